/*
 * Encrypted models: the .tlme that tl_tlme_encrypt writes (checked with
 * mbedTLS directly, not through the code under test), provisioned with
 * its key into the real TA in the simulator and run, giving the plain
 * model's outputs bit for bit; the plaintext never in normal-world
 * memory while it is provisioned (the simulator's leakage check after
 * every call, and the shared pool searched for the plaintext after
 * every chunk, with the plain model as the search's proof that it
 * finds it); refusals for a wrong or missing key, a changed file, a
 * changed header, and files that are no .tlme.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/gcm.h>

#include "client_fixture.h"
#include "sim.h"
#include "tl_client.h"
#include "tl_tlme.h"

static char err[512];

/* TEE Internal Core API v1.1: the tag did not match (a TA's code, passed
 * through to the client). */
#define TEE_ERROR_MAC_INVALID 0xFFFF3071u

struct sealed {
	struct cf_model m;
	uint8_t *tlme;
	size_t size;
	const char *path;
};

static void seal(struct sealed *s)
{
	cf_digits(&s->m);
	if (tl_tlme_encrypt(s->m.blob, s->m.size, "digits", cf_key, &s->tlme,
			    &s->size, err, sizeof err))
		fail_msg("%s", err);
	s->path = cf_path("digits.tlme");
	cf_write(s->path, s->tlme, s->size);
}

static void unseal(struct sealed *s)
{
	free(s->tlme);
	cf_model_free(&s->m);
}

static void open_with_key(struct tl_client *c, const uint8_t *key)
{
	if (tl_client_open(c, NULL, err, sizeof err) ||
	    tl_client_provision_key(c, key, err, sizeof err))
		fail_msg("%s", err);
}

/* The format of smartzone_ta.h: the header (its reserved word the
 * arena), the .tlm under AES-256-GCM with the header as additional data,
 * the tag; and a fresh nonce each time. */
static void test_format(void **state)
{
	(void)state;
	struct sealed s;
	seal(&s);
	struct sz_enc_header h;
	assert_int_equal(s.size, sizeof h + s.m.size + SZ_GCM_TAG_BYTES);
	memcpy(&h, s.tlme, sizeof h);
	assert_int_equal(h.magic, SZ_ENC_MAGIC);
	assert_int_equal(h.plaintext_bytes, s.m.size);
	assert_int_equal(h.reserved, s.m.arena);
	assert_int_equal(h.pad, 0);
	uint8_t *plain = malloc(s.m.size);
	assert_non_null(plain);
	mbedtls_gcm_context g;
	mbedtls_gcm_init(&g);
	assert_int_equal(mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, cf_key,
					    256), 0);
	assert_int_equal(mbedtls_gcm_auth_decrypt(&g, s.m.size, h.nonce,
						  sizeof h.nonce, s.tlme,
						  sizeof h,
						  s.tlme + sizeof h + s.m.size,
						  SZ_GCM_TAG_BYTES,
						  s.tlme + sizeof h, plain), 0);
	mbedtls_gcm_free(&g);
	assert_memory_equal(plain, s.m.blob, s.m.size);
	uint8_t *again;
	size_t n;
	if (tl_tlme_encrypt(s.m.blob, s.m.size, "digits", cf_key, &again, &n,
			    err, sizeof err))
		fail_msg("%s", err);
	assert_memory_not_equal(again + 16, s.tlme + 16, SZ_GCM_NONCE_BYTES);
	free(again);
	free(plain);
	unseal(&s);
}

/* The shared pool searched after every chunk, while the window still
 * holds it: for the .tlm's header and for the plaintext of the chunk
 * just sent. */
struct search {
	const uint8_t *plain;	/* the .tlm */
	uint64_t last;		/* bytes sent at the previous call */
	size_t found, calls;
};

static bool pool_holds(const uint8_t *needle, size_t n)
{
	struct sim_memory_info mi;
	sim_memory(&mi);
	uint8_t *pool = malloc(mi.shm_size);
	assert_non_null(pool);
	assert_int_equal(sim_nw_read(mi.shm_start, pool, mi.shm_size),
			 SIM_OK);
	bool found = memmem(pool, mi.shm_size, needle, n) != NULL;
	free(pool);
	return found;
}

static void search_pool(void *arg, uint64_t done, uint64_t total)
{
	struct search *s = arg;
	(void)total;
	s->calls++;
	/* the chunk's first 32 plaintext bytes: floats, never uniform */
	if (done > s->last && done - s->last >= 32 &&
	    pool_holds(s->plain + s->last, 32))
		s->found++;
	if (pool_holds(s->plain, SZ_HEADER_BYTES))
		s->found++;
	s->last = done;
}

static void load_searched(struct tl_client *c, const char *path,
			  struct search *s)
{
	struct tl_client_load_opts o = { .window = 4096,
					 .progress = search_pool,
					 .progress_arg = s };
	if (tl_client_load_file(c, path, &o, err, sizeof err))
		fail_msg("%s", err);
}

static void test_no_plaintext_in_normal_world(void **state)
{
	(void)state;
	struct sealed s;
	seal(&s);
	struct tl_client c;
	open_with_key(&c, cf_key);
	struct search enc = { .plain = s.m.blob };
	load_searched(&c, s.path, &enc);
	assert_int_equal(enc.calls, c.model.chunks + 1);
	assert_int_equal(enc.found, 0);
	assert_int_equal(sim_violation_count(), 0);
	/* the search finds plaintext where there is some: the plain model
	 * through the same window */
	struct search plain = { .plain = s.m.blob };
	load_searched(&c, CF_DIGITS, &plain);
	assert_true(plain.found >= c.model.chunks);
	tl_client_close(&c);
	unseal(&s);
}

/* The sealed model runs as the plain one does, bit for bit. */
static void test_run(void **state)
{
	(void)state;
	struct sealed s;
	seal(&s);
	struct tl_client c;
	open_with_key(&c, cf_key);
	if (tl_client_load_file(&c, s.path, NULL, err, sizeof err))
		fail_msg("%s", err);
	assert_true(c.model.encrypted);
	assert_int_equal(c.model.arena_bytes, s.m.arena);
	assert_int_equal(c.model.input_elements, 0);	/* unreadable here */
	float x[CF_IN], y[CF_OUT], ref[CF_OUT];
	size_t n;
	cf_sample(6, x);
	cf_reference(&s.m, x, ref);
	/* its output size, from the TA */
	assert_int_equal(tl_client_run(&c, x, CF_IN, NULL, 0, &n,
				       SZ_MODE_STRICT, err, sizeof err),
			 TL_CLIENT_E_SHORT);
	assert_int_equal(n, CF_OUT);
	if (tl_client_run(&c, x, CF_IN, y, n, &n, SZ_MODE_STRICT, err,
			  sizeof err))
		fail_msg("%s", err);
	assert_memory_equal(y, ref, sizeof y);
	struct sz_report r;
	if (tl_client_report(&c, &r, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(r.encrypted, 1);
	assert_int_equal(r.model_bytes, s.m.size);
	tl_client_close(&c);
	unseal(&s);
}

/* Windows where the last chunk leaves no room for the tag: that chunk
 * goes in two. 104,492 bytes: the whole file in one window, and 26,123
 * (a quarter of it). */
static void test_tag_room(void **state)
{
	(void)state;
	struct sealed s;
	seal(&s);
	static const struct { uint64_t window, chunks; } cases[] = {
		{ 104492, 2 }, { 26123, 5 }, { 4096, 26 }, { 1 << 20, 1 },
	};
	struct tl_client c;
	open_with_key(&c, cf_key);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct tl_client_load_opts o = { .window = cases[i].window };
		if (tl_client_load_file(&c, s.path, &o, err, sizeof err))
			fail_msg("window %llu: %s",
				 (unsigned long long)cases[i].window, err);
		assert_int_equal(c.model.chunks, cases[i].chunks);
	}
	tl_client_close(&c);
	unseal(&s);
}

static void expect_refused(struct tl_client *c, const char *path,
			   uint32_t code, const char *words)
{
	assert_int_equal(tl_client_load_file(c, path, NULL, err, sizeof err),
			 TL_CLIENT_E_TEE);
	assert_int_equal(c->last_result, code);
	assert_int_equal(c->last_origin, TEEC_ORIGIN_TRUSTED_APP);
	assert_non_null(strstr(err, words));
	struct sz_report r;
	if (tl_client_report(c, &r, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(r.state, 0);	/* nothing kept */
	assert_int_equal(r.model_bytes, 0);
}

static void test_wrong_key_and_changes(void **state)
{
	(void)state;
	struct sealed s;
	seal(&s);
	uint8_t other[SZ_KEY_BYTES];
	memcpy(other, cf_key, sizeof other);
	other[0] ^= 0x80;
	struct tl_client c;
	open_with_key(&c, other);
	expect_refused(&c, s.path, TEE_ERROR_MAC_INVALID,
		       "(LOAD_CHUNK at byte 0): 0xffff3071 "
		       "(TEE_ERROR_MAC_INVALID) from TEEC_ORIGIN_TRUSTED_APP;"
		       " the tag does not match");
	if (tl_client_provision_key(&c, cf_key, err, sizeof err))
		fail_msg("%s", err);
	/* a weight changed in transit, then the arena in the header (the
	 * additional data authenticates it) */
	const char *bad = cf_path("changed.tlme");
	s.tlme[sizeof(struct sz_enc_header) + 5000] ^= 1;
	cf_write(bad, s.tlme, s.size);
	expect_refused(&c, bad, TEE_ERROR_MAC_INVALID, "the tag does not");
	s.tlme[sizeof(struct sz_enc_header) + 5000] ^= 1;
	s.tlme[4] ^= 0x10;	/* reserved: 16 bytes more arena */
	cf_write(bad, s.tlme, s.size);
	expect_refused(&c, bad, TEE_ERROR_MAC_INVALID, "the tag does not");
	tl_client_close(&c);
	unseal(&s);
}

/* A TA that never got a key says so. */
static void test_no_key(void **state)
{
	(void)state;
	struct sealed s;
	seal(&s);
	struct tl_client c;
	if (tl_client_open(&c, NULL, err, sizeof err))
		fail_msg("%s", err);
	expect_refused(&c, s.path, TEEC_ERROR_ITEM_NOT_FOUND,
		       "opening the model in the TA (OPEN_MODEL): 0xffff0008 "
		       "(TEEC_ERROR_ITEM_NOT_FOUND) from "
		       "TEEC_ORIGIN_TRUSTED_APP; the TA holds no model key");
	tl_client_close(&c);
	unseal(&s);
}

/* Files that are no .tlme are refused on the normal side, naming the
 * file and the field. */
static void test_header_checks(void **state)
{
	(void)state;
	struct sealed s;
	seal(&s);
	struct sz_enc_header h;
	memcpy(&h, s.tlme, sizeof h);
	assert_int_equal(tl_tlme_check_header(&h, s.size, "x", err,
					      sizeof err), 0);
	assert_int_equal(tl_tlme_check_header(&h, s.size - 1, "x", err,
					      sizeof err), -1);
	assert_non_null(strstr(err, "x: its length is not header + "
				    "plaintext size + tag"));
	struct sz_enc_header b = h;
	b.reserved = 0;
	assert_int_equal(tl_tlme_check_header(&b, s.size, "x", err,
					      sizeof err), -1);
	assert_non_null(strstr(err, "records no arena size"));
	b = h;
	b.pad = 1;
	assert_int_equal(tl_tlme_check_header(&b, s.size, "x", err,
					      sizeof err), -1);
	b = h;
	b.plaintext_bytes = 10;
	assert_int_equal(tl_tlme_check_header(&b, 10 + TL_TLME_OVERHEAD, "x",
					      err, sizeof err), -1);
	assert_non_null(strstr(err, "no possible .tlm size"));
	/* a cut file, through the client: nothing enters the TEE */
	const char *cut = cf_path("cut.tlme");
	cf_write(cut, s.tlme, s.size - 1);
	struct tl_client c;
	if (tl_client_open(&c, NULL, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(tl_client_load_file(&c, cut, NULL, err, sizeof err),
			 TL_CLIENT_E_MODEL);
	assert_non_null(strstr(err, cut));
	tl_client_close(&c);
	/* a .tlm that does not check is not sealed */
	uint8_t *out;
	size_t n;
	s.m.blob[200] ^= 1;
	assert_int_equal(tl_tlme_encrypt(s.m.blob, s.m.size, "broken.tlm",
					 cf_key, &out, &n, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "broken.tlm"));
	assert_null(out);
	unseal(&s);
}

/* The TA's heap for the encrypted digits model: as built it holds the
 * plaintext model alone (ta/ta_sizes.h); the ciphertext's secure bounce
 * buffer takes 16 KiB more. 256 KiB holds both. */
static int up(void **state)
{
	int rc = cf_up(state);
	if (!rc)
		cf_configure(0x40000);
	return rc;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, up, cf_down)
	const struct CMUnitTest tests[] = {
		T(test_format), T(test_no_plaintext_in_normal_world),
		T(test_run), T(test_tag_room), T(test_wrong_key_and_changes),
		T(test_no_key), T(test_header_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
