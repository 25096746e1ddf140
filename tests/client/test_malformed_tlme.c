/*
 * The corpus of tampered encrypted models (tests/corpus/tlme/, written by
 * tests/corpus/make_corpus.c with the key in tlme/key): each is refused,
 * as expected.tsv says, either by the client before anything enters the
 * TEE (a clear header that is no .tlme of its length: TL_CLIENT_E_MODEL,
 * no call made) or by the TA once the tag fails to verify
 * (TEE_ERROR_MAC_INVALID from the TA, and the TA then holds what a fresh
 * session holds: the load scrubbed and freed). The image they were cut
 * from loads and runs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client_fixture.h"
#include "corpus_manifest.h"
#include "sim.h"
#include "tl_client.h"

#define DIR_TLME "tests/corpus/tlme"
#define MAC_INVALID 0xFFFF3071u	/* the Internal Core API's code */

/* A client with the corpus's key provisioned; the heap it then holds. */
static uint64_t open_keyed(struct tl_client *c)
{
	uint8_t key[SZ_KEY_BYTES];
	FILE *f = fopen(DIR_TLME "/key", "rb");
	assert_non_null(f);
	assert_int_equal(fread(key, 1, sizeof key, f), sizeof key);
	fclose(f);
	char err[320];
	assert_int_equal(tl_client_open(c, NULL, err, sizeof err), 0);
	assert_int_equal(tl_client_provision_key(c, key, err, sizeof err), 0);
	struct sz_report r;
	assert_int_equal(tl_client_report(c, &r, err, sizeof err), 0);
	return r.heap_used;
}

static void test_every_file_is_refused_as_expected(void **state)
{
	(void)state;
	static struct corpus_row e[CORPUS_ROWS_MAX];
	size_t n = corpus_rows(DIR_TLME, e), by_client = 0;
	assert_true(n >= 10);
	struct tl_client c;
	uint64_t bare = open_keyed(&c);
	for (size_t i = 0; i < n; i++) {
		char path[256], err[512] = "";
		snprintf(path, sizeof path, "%s/%.96s", DIR_TLME, e[i].col[0]);
		struct sim_counters before, after;
		sim_counters_session(&c.session, &before);
		c.last_result = TEEC_SUCCESS;
		int s = tl_client_load_file(&c, path, NULL, err, sizeof err);
		sim_counters_session(&c.session, &after);
		if (strcmp(e[i].col[1], "client") == 0) {
			if (s != TL_CLIENT_E_MODEL || after.smc != before.smc)
				fail_msg("%s: %d after %llu calls into the TEE, "
					 "\"%s\"; expected the client's refusal",
					 e[i].col[0], s, (unsigned long long)
					 (after.smc - before.smc), err);
			by_client++;
		} else {
			assert_string_equal(e[i].col[1], "TEE_ERROR_MAC_INVALID");
			if (s != TL_CLIENT_E_TEE || c.last_result != MAC_INVALID ||
			    c.last_origin != TEEC_ORIGIN_TRUSTED_APP)
				fail_msg("%s: %d, 0x%08x from origin %u, \"%s\"; "
					 "expected MAC_INVALID from the TA",
					 e[i].col[0], s, c.last_result,
					 c.last_origin, err);
		}
		struct sz_report r;
		assert_int_equal(tl_client_report(&c, &r, err, sizeof err), 0);
		if (r.state != 0 || r.heap_used != bare)
			fail_msg("%s: the TA holds %llu bytes in state %u after "
				 "the refusal, %llu before", e[i].col[0],
				 (unsigned long long)r.heap_used, r.state,
				 (unsigned long long)bare);
	}
	tl_client_close(&c);
	print_message("%zu tampered .tlme files refused (%zu by the client, "
		      "%zu by the TA)\n", n, by_client, n - by_client);
	assert_true(by_client > 0 && by_client < n);
}

static void test_every_file_is_listed(void **state)
{
	(void)state;
	static struct corpus_row e[CORPUS_ROWS_MAX];
	corpus_assert_listed(DIR_TLME, ".tlme", e, corpus_rows(DIR_TLME, e));
}

/* The sealed image the cases change loads and runs. */
static void test_the_image_they_change_loads(void **state)
{
	(void)state;
	struct tl_client c;
	char err[512];
	open_keyed(&c);
	assert_int_equal(tl_client_load_file(&c, DIR_TLME "/valid-base.model",
					     NULL, err, sizeof err), 0);
	float in[128] = { 0 }, out[6];
	size_t n_out = 0;
	assert_int_equal(tl_client_run(&c, in, 128, out, 6, &n_out,
				       SZ_MODE_STRICT, err, sizeof err), 0);
	assert_int_equal(n_out, 6);
	tl_client_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_every_file_is_refused_as_expected, cf_up, cf_down),
		cmocka_unit_test_setup_teardown(test_every_file_is_listed,
						cf_up, cf_down),
		cmocka_unit_test_setup_teardown(
			test_the_image_they_change_loads, cf_up, cf_down),
	};
	return cmocka_run_group_tests_name("malformed_tlme", tests, NULL,
					   NULL);
}
