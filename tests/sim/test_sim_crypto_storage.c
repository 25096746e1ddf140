/*
 * Authenticated encryption and persistent objects through the good TA:
 * AES-GCM against the published test vector, updated in pieces of many
 * sizes; seal and unseal with the TA's stored key, a tampered message
 * refused with TEE_ERROR_MAC_INVALID; the key surviving a new instance
 * and a new machine on the same store; the store's files holding no
 * plaintext and refusing a tampered file; the storage rules of the
 * Internal Core API.
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

#include "sim_fixture.h"

/* The Internal Core API's TEE_ERROR_MAC_INVALID, which the Client API
 * has no name for; the TA's code reaches the client as it is. */
#define TEE_MAC_INVALID 0xFFFF3071u

/* McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", 2005,
 * Test Case 4: AES-128, 96-bit IV, 20 bytes of AAD, 60 of plaintext. */
static const uint8_t kat_key[16] = {
	0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c,
	0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08,
};
static const uint8_t kat_iv[12] = {
	0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce, 0xdb, 0xad,
	0xde, 0xca, 0xf8, 0x88,
};
static const uint8_t kat_aad[20] = {
	0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef, 0xfe, 0xed,
	0xfa, 0xce, 0xde, 0xad, 0xbe, 0xef, 0xab, 0xad, 0xda, 0xd2,
};
static const uint8_t kat_pt[60] = {
	0xd9, 0x31, 0x32, 0x25, 0xf8, 0x84, 0x06, 0xe5, 0xa5, 0x59,
	0x09, 0xc5, 0xaf, 0xf5, 0x26, 0x9a, 0x86, 0xa7, 0xa9, 0x53,
	0x15, 0x34, 0xf7, 0xda, 0x2e, 0x4c, 0x30, 0x3d, 0x8a, 0x31,
	0x8a, 0x72, 0x1c, 0x3c, 0x0c, 0x95, 0x95, 0x68, 0x09, 0x53,
	0x2f, 0xcf, 0x0e, 0x24, 0x49, 0xa6, 0xb5, 0x25, 0xb1, 0x6a,
	0xed, 0xf5, 0xaa, 0x0d, 0xe6, 0x57, 0xba, 0x63, 0x7b, 0x39,
};
static const uint8_t kat_ct_tag[76] = {
	0x42, 0x83, 0x1e, 0xc2, 0x21, 0x77, 0x74, 0x24, 0x4b, 0x72,
	0x21, 0xb7, 0x84, 0xd0, 0xd4, 0x9c, 0xe3, 0xaa, 0x21, 0x2f,
	0x2c, 0x02, 0xa4, 0xe0, 0x35, 0xc1, 0x7e, 0x23, 0x29, 0xac,
	0xa1, 0x2e, 0x21, 0xd5, 0x14, 0xb2, 0x54, 0x66, 0x93, 0x1c,
	0x7d, 0x8f, 0x6a, 0x5a, 0xac, 0x84, 0xaa, 0x05, 0x1b, 0xa3,
	0x0b, 0x39, 0x6a, 0x0a, 0xac, 0x97, 0x3d, 0x58, 0xe0, 0x91,
	/* tag */
	0x5b, 0xc9, 0x4f, 0xbc, 0x32, 0x21, 0xa5, 0xdb,
	0x94, 0xfa, 0xe9, 0x5a, 0xe7, 0x12, 0x1a, 0x47,
};

static TEEC_Result in_out(TEEC_Session *s, uint32_t cmd, const void *in,
			  size_t in_size, void *out, size_t *out_size)
{
	TEEC_Operation op = sztest_temp(in, in_size, out, *out_size);
	uint32_t origin;
	TEEC_Result r = TEEC_InvokeCommand(s, cmd, &op, &origin);
	if (r != TEEC_SUCCESS && r != TEEC_ERROR_SHORT_BUFFER)
		assert_int_equal(origin, TEEC_ORIGIN_TRUSTED_APP);
	*out_size = op.params[1].tmpref.size;
	return r;
}

static void test_gcm_known_answer_in_pieces(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint8_t in[16 + 12 + 20 + 60];
	memcpy(in, kat_key, 16);
	memcpy(in + 16, kat_iv, 12);
	memcpy(in + 28, kat_aad, 20);
	memcpy(in + 48, kat_pt, 60);
	/* 0: all in the final call; the others through TEE_AEUpdate */
	const uint32_t chunks[] = { 0, 1, 7, 15, 16, 17, 32, 59 };
	for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
		uint8_t out[76];
		memset(out, 0, sizeof out);
		TEEC_Operation op;
		memset(&op, 0, sizeof op);
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
						 TEEC_VALUE_INPUT,
						 TEEC_MEMREF_TEMP_OUTPUT,
						 TEEC_NONE);
		op.params[0].tmpref = (TEEC_TempMemoryReference){ in, sizeof in };
		op.params[1].value.a = sizeof kat_aad;
		op.params[1].value.b = chunks[k];
		op.params[2].tmpref = (TEEC_TempMemoryReference){ out, sizeof out };
		uint32_t origin;
		TEEC_Result r = TEEC_InvokeCommand(&s, SZTEST_CMD_GCM, &op,
						   &origin);
		if (r != TEEC_SUCCESS)
			fail_msg("pieces of %u: 0x%08x", chunks[k], r);
		assert_int_equal(op.params[2].tmpref.size, sizeof kat_ct_tag);
		if (memcmp(out, kat_ct_tag, sizeof kat_ct_tag))
			fail_msg("pieces of %u: not the test vector", chunks[k]);
	}
	sim_close(&ctx, &s);
}

static void test_seal_unseal_and_tamper(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint8_t plain[100], sealed[200], back[100];
	for (size_t i = 0; i < sizeof plain; i++)
		plain[i] = (uint8_t)(i * 37 + 1);
	size_t n = 10;
	assert_int_equal(in_out(&s, SZTEST_CMD_SEAL, plain, sizeof plain,
				sealed, &n), TEEC_ERROR_SHORT_BUFFER);
	assert_int_equal(n, 12 + 100 + 16);
	n = sizeof sealed;
	assert_int_equal(in_out(&s, SZTEST_CMD_SEAL, plain, sizeof plain,
				sealed, &n), TEEC_SUCCESS);
	assert_int_equal(n, 128);
	assert_memory_not_equal(sealed + 12, plain, sizeof plain);
	size_t m = sizeof back;
	assert_int_equal(in_out(&s, SZTEST_CMD_UNSEAL, sealed, n, back, &m),
			 TEEC_SUCCESS);
	assert_int_equal(m, sizeof plain);
	assert_memory_equal(back, plain, sizeof plain);
	/* one bit of the ciphertext, then of the tag */
	const size_t flips[] = { 12 + 50, 127 };
	for (size_t k = 0; k < 2; k++) {
		sealed[flips[k]] ^= 1;
		memset(back, 0xAA, sizeof back);
		m = sizeof back;
		assert_int_equal(in_out(&s, SZTEST_CMD_UNSEAL, sealed, n, back,
					&m), TEE_MAC_INVALID);
		assert_int_equal(back[0], 0xAA);	/* nothing released */
		sealed[flips[k]] ^= 1;
	}
	/* two seals of one message differ (random nonces) */
	uint8_t again[200];
	size_t n2 = sizeof again;
	assert_int_equal(in_out(&s, SZTEST_CMD_SEAL, plain, sizeof plain,
				again, &n2), TEEC_SUCCESS);
	assert_memory_not_equal(again, sealed, n);
	sim_close(&ctx, &s);
}

/* Seals a message in a new session; returns its length. */
static size_t seal_once(uint8_t *sealed, size_t size, const uint8_t *plain,
			size_t len)
{
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	assert_int_equal(in_out(&s, SZTEST_CMD_SEAL, plain, len, sealed,
				&size), TEEC_SUCCESS);
	sim_close(&ctx, &s);
	return size;
}

static TEEC_Result unseal_once(const uint8_t *sealed, size_t n,
			       uint8_t *plain, size_t *len)
{
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	TEEC_Result r = in_out(&s, SZTEST_CMD_UNSEAL, sealed, n, plain, len);
	sim_close(&ctx, &s);
	return r;
}

static void test_key_outlives_instances_and_machines(void **state)
{
	(void)state;
	const uint8_t msg[] = "weights of a model";
	uint8_t sealed[128], back[64];
	size_t n = seal_once(sealed, sizeof sealed, msg, sizeof msg);
	size_t m = sizeof back;
	assert_int_equal(unseal_once(sealed, n, back, &m), TEEC_SUCCESS);
	assert_memory_equal(back, msg, sizeof msg);
	/* a new machine on the same store: same key */
	sim_fixture_configure(NULL);
	m = sizeof back;
	assert_int_equal(unseal_once(sealed, n, back, &m), TEEC_SUCCESS);
	assert_memory_equal(back, msg, sizeof msg);
	/* a machine on another store: another key */
	assert_int_equal(sim_configure(NULL, NULL, 0), SIM_OK);
	m = sizeof back;
	assert_int_equal(unseal_once(sealed, n, back, &m), TEE_MAC_INVALID);
	sim_fixture_configure(NULL);
}

/* The one file the good TA keeps: its key object. */
static void key_file(char *path, size_t len)
{
	char dir[560];
	TEEC_UUID u = sztest_good_uuid;
	snprintf(dir, sizeof dir,
		 "%s/%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 sim_fixture_storage(), u.timeLow, u.timeMid,
		 u.timeHiAndVersion, u.clockSeqAndNode[0],
		 u.clockSeqAndNode[1], u.clockSeqAndNode[2],
		 u.clockSeqAndNode[3], u.clockSeqAndNode[4],
		 u.clockSeqAndNode[5], u.clockSeqAndNode[6],
		 u.clockSeqAndNode[7]);
	DIR *d = opendir(dir);
	assert_non_null(d);
	int files = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (e->d_name[0] != '.') {
			snprintf(path, len, "%s/%s", dir, e->d_name);
			files++;
		}
	closedir(d);
	assert_int_equal(files, 1);
}

static void test_store_files_are_opaque(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);	/* creates the key */
	sim_close(&ctx, &s);
	char path[1024];
	key_file(path, sizeof path);
	/* the name is a keyed hash, not the object ID */
	assert_null(strstr(path, SZTEST_KEY_ID));
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint8_t file[128];
	size_t n = fread(file, 1, sizeof file, f);
	fclose(f);
	/* magic, nonce, tag, then the 16 key bytes encrypted */
	assert_int_equal(n, 8 + 12 + 16 + 16);
	assert_memory_equal(file, "SZSIMOB1", 8);
	/* one flipped bit: the TA's open fails, the object is corrupt */
	file[n - 1] ^= 0x80;
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(file, 1, n, f), n);
	fclose(f);
	uint32_t origin = 0;
	assert_int_equal(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	assert_int_equal(TEEC_OpenSession(&ctx, &s, &sztest_good_uuid,
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin),
			 0xF0100001);	/* TEE_ERROR_CORRUPT_OBJECT */
	assert_int_equal(origin, TEEC_ORIGIN_TRUSTED_APP);
	TEEC_FinalizeContext(&ctx);
}

static void test_storage_rules(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	TEEC_Operation op = sztest_op(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE,
				      TEEC_NONE);
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_STORAGE_RULES, &op,
					    &origin), TEEC_SUCCESS);
	printf("  storage rules held: 0x%x of 0x%x\n", op.params[0].value.a,
	       SZTEST_STORAGE_ALL);
	assert_int_equal(op.params[0].value.a, SZTEST_STORAGE_ALL);
	sim_close(&ctx, &s);
	char path[1024];
	key_file(path, sizeof path);	/* its object was deleted */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sim_fixture_up, sim_fixture_down)
		T(test_gcm_known_answer_in_pieces),
		T(test_seal_unseal_and_tamper),
		T(test_key_outlives_instances_and_machines),
		T(test_store_files_are_opaque),
		T(test_storage_rules),
#undef T
	};
	return cmocka_run_group_tests_name("sim_crypto_storage", tests, NULL,
					   NULL);
}
