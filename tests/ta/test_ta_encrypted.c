/*
 * Encrypted models: the key provisioned once into the TA's storage, the
 * model encrypted here (AES-256-GCM with mbedTLS, the format of
 * smartzone_ta.h), sent as ciphertext and decrypted chunk by chunk inside
 * the TA; it runs to tl_run's bits and its plaintext never reaches
 * memory the normal world can read (the leakage check after every call,
 * the storage files included). A wrong key, a changed byte of
 * ciphertext, tag, nonce or header: TEE_ERROR_MAC_INVALID, and no byte
 * of the plaintext is left in the TA's heap.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ta_client.h"

struct fixture {
	struct tmodel m;
	struct tsession t;
	uint8_t key[SZ_KEY_BYTES];
	uint8_t *image;
	size_t image_size;
	uint64_t session_heap;
};

static int up(void **state)
{
	if (sim_fixture_up(state))
		return -1;
	struct fixture *f = calloc(1, sizeof *f);
	tmodel_digits(&f->m);
	for (unsigned i = 0; i < SZ_KEY_BYTES; i++)
		f->key[i] = (uint8_t)(0x5A ^ (i * 37));
	f->image = ts_encrypt(&f->m, f->key, 1, &f->image_size);
	/* the TA's sizes as planned for an encrypted load (its bounce
	 * buffer); the committed ta_sizes.h is the plaintext plan */
	ts_configure_for(&f->m, true);
	f->session_heap = ts_open_bare(&f->t, &sz_uuid);
	ts_provision(&f->t, f->key);
	*state = f;
	return 0;
}

static int down(void **state)
{
	struct fixture *f = *state;
	ts_close(&f->t);
	tmodel_free(&f->m);
	free(f->image);
	free(f);
	return sim_fixture_down(state);
}

static int cmp16(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/* Whether any 16-byte aligned chunk of the TA's heap that is not all zero
 * equals one of the plaintext model: the model buffer is 16-byte aligned
 * in the heap, so every copy of a chunk of it would be found (and stale
 * allocator headers, also aligned, hold sizes no model chunk matches). */
static bool plaintext_in_heap(struct fixture *f)
{
	struct sim_instance_info i;
	ts_instance(&f->t, &i);
	size_t n = f->m.size / 16;
	uint8_t *chunks = malloc(n * 16), *heap = malloc(i.heap_size);
	memcpy(chunks, f->m.blob, n * 16);
	qsort(chunks, n, 16, cmp16);
	assert_int_equal(sim_secure_read(i.heap_start, heap, i.heap_size),
			 SIM_OK);
	static const uint8_t zero[16];
	bool found = false;
	for (size_t k = 0; k + 16 <= i.heap_size && !found; k += 16)
		found = memcmp(heap + k, zero, 16) != 0 &&
			bsearch(heap + k, chunks, n, 16, cmp16) != NULL;
	free(heap);
	free(chunks);
	return found;
}

static void assert_scrubbed(struct fixture *f)
{
	struct sz_report r;
	ts_report(&f->t, &r);
	assert_int_equal(r.state, 0);
	assert_int_equal(r.heap_used, f->session_heap);
	assert_false(plaintext_in_heap(f));
}

/* Windows that cut the ciphertext off 16-byte blocks (1000), one of the
 * bounce buffer's size and more (slices), the whole file. */
static void test_encrypted_model_runs_as_tl_run(void **state)
{
	struct fixture *f = *state;
	const size_t windows[] = { 1000, 40000, f->m.size };
	for (size_t w = 0; w < 3; w++) {
		assert_int_equal(ts_load_encrypted(&f->t, &f->m, f->image,
						   f->image_size, windows[w]),
				 TEEC_SUCCESS);
		ts_check_runs(&f->t, &f->m);
		struct sz_report r;
		ts_report(&f->t, &r);
		assert_int_equal(r.state, 2);
		assert_int_equal(r.encrypted, 1);
		assert_int_equal(r.model_bytes, f->m.size);
		assert_true(plaintext_in_heap(f));	/* the check sees it */
		struct sim_instance_info i;
		ts_instance(&f->t, &i);
		printf("  window %zu: heap peak %llu bytes, stack %zu of %llu "
		       "bytes used\n", windows[w],
		       (unsigned long long)r.heap_peak, stack_used(&i),
		       (unsigned long long)i.stack_size);
		assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
		assert_scrubbed(f);
	}
	assert_int_equal(sim_violation_count(), 0);
}

/* The loads that must fail on the tag, and leave nothing. */
static void expect_mac_invalid(struct fixture *f, const uint8_t *image)
{
	assert_int_equal(ts_load_encrypted(&f->t, &f->m, image, f->image_size,
					   4096), SZ_ERROR_MAC_INVALID);
	assert_scrubbed(f);
}

static void test_wrong_key_is_mac_invalid(void **state)
{
	struct fixture *f = *state;
	uint8_t other[SZ_KEY_BYTES];
	memcpy(other, f->key, sizeof other);
	other[7] ^= 1;
	ts_provision(&f->t, other);
	expect_mac_invalid(f, f->image);
	/* the right key again: the same file loads */
	ts_provision(&f->t, f->key);
	assert_int_equal(ts_load_encrypted(&f->t, &f->m, f->image,
					   f->image_size, 4096), TEEC_SUCCESS);
	ts_check_runs(&f->t, &f->m);
	assert_int_equal(sim_violation_count(), 0);
}

static void test_changed_bytes_are_mac_invalid(void **state)
{
	struct fixture *f = *state;
	size_t hdr = sizeof(struct sz_enc_header);
	/* a ciphertext byte early and late, the tag, the nonce, the
	 * header's reserved word (additional data) */
	const size_t at[] = { hdr + 70, f->image_size - 20,
			      f->image_size - 1, 16, 4 };
	uint8_t *copy = malloc(f->image_size);
	for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
		memcpy(copy, f->image, f->image_size);
		copy[at[k]] ^= 0x10;
		expect_mac_invalid(f, copy);
	}
	free(copy);
	assert_int_equal(sim_violation_count(), 0);
}

static void test_key_refusals(void **state)
{
	struct fixture *f = *state;
	TEEC_Operation op = ts_op(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE,
				  TEEC_NONE);
	op.params[0].tmpref.buffer = f->key;
	op.params[0].tmpref.size = SZ_KEY_BYTES - 1;
	assert_int_equal(ts_invoke(&f->t, SZ_CMD_PROVISION_KEY, &op),
			 TEEC_ERROR_BAD_PARAMETERS);
	/* an encrypted header that is not one */
	struct sz_enc_header h;
	memcpy(&h, f->image, sizeof h);
	h.magic ^= 1;
	assert_int_equal(ts_open_model(&f->t, (uint32_t)f->m.size,
				       SZ_OPEN_ENCRYPTED, &h, sizeof h,
				       (uint32_t)f->m.plan->arena_size),
			 TEEC_ERROR_BAD_FORMAT);
	memcpy(&h, f->image, sizeof h);
	assert_int_equal(ts_open_model(&f->t, (uint32_t)f->m.size - 16,
				       SZ_OPEN_ENCRYPTED, &h, sizeof h,
				       (uint32_t)f->m.plan->arena_size),
			 TEEC_ERROR_BAD_PARAMETERS);	/* not its size */
	/* the first chunk must hold the .tlm header; the last the tag */
	assert_int_equal(ts_open_model(&f->t, (uint32_t)f->m.size,
				       SZ_OPEN_ENCRYPTED, &h, sizeof h,
				       (uint32_t)f->m.plan->arena_size),
			 TEEC_SUCCESS);
	const uint8_t *c = f->image + sizeof h;
	assert_int_equal(ts_chunk(&f->t, 0, c, 48, false, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ts_chunk(&f->t, 0, c, f->m.size, true, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
	assert_scrubbed(f);
	assert_int_equal(sim_violation_count(), 0);
}

/* A device where no key was provisioned: ITEM_NOT_FOUND at OPEN_MODEL,
 * and nothing allocated. */
static void test_no_key_is_item_not_found(void **state)
{
	(void)state;
	struct tmodel m;
	struct tsession t;
	struct sz_report after;
	uint8_t key[SZ_KEY_BYTES] = { 1 };
	tmodel_digits(&m);
	size_t n;
	uint8_t *image = ts_encrypt(&m, key, 2, &n);
	ts_configure_for(&m, true);
	uint64_t bare = ts_open_bare(&t, &sz_uuid);
	assert_int_equal(ts_load_encrypted(&t, &m, image, n, 4096),
			 TEEC_ERROR_ITEM_NOT_FOUND);
	ts_report(&t, &after);
	assert_int_equal(after.heap_used, bare);
	assert_int_equal(after.state, 0);
	ts_close(&t);
	free(image);
	tmodel_free(&m);
}

/* What the store holds is the simulator's encrypted file, never the key
 * (the leakage check reads the files after every call that wrote them;
 * this looks for the key bytes themselves). */
static bool key_in_store(const char *dir, const uint8_t *key)
{
	char path[1024];
	DIR *d = opendir(dir);
	bool found = false;
	if (d == NULL)
		return false;
	for (struct dirent *e; !found && (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			found = key_in_store(path, key);
			continue;
		}
		FILE *fp = fopen(path, "rb");
		static uint8_t buf[1 << 16];
		size_t n = fp ? fread(buf, 1, sizeof buf, fp) : 0;
		if (fp)
			fclose(fp);
		found = memmem(buf, n, key, 16) || memmem(buf, n, key + 16, 16);
	}
	closedir(d);
	return found;
}

static void test_key_is_not_in_the_store(void **state)
{
	struct fixture *f = *state;
	assert_false(key_in_store(sim_fixture_storage(), f->key));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, up, down)
	const struct CMUnitTest tests[] = {
		T(test_encrypted_model_runs_as_tl_run),
		T(test_wrong_key_is_mac_invalid),
		T(test_changed_bytes_are_mac_invalid),
		T(test_key_refusals),
		cmocka_unit_test_setup_teardown(test_no_key_is_item_not_found,
						sim_fixture_up,
						sim_fixture_down),
		T(test_key_is_not_in_the_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
