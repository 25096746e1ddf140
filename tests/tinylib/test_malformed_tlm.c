/*
 * The corpus of malformed .tlm files (tests/corpus/tlm/, written by
 * tests/corpus/make_corpus.c): one valid model changed in one way each,
 * most with the size field and CRC made right again. Every file is
 * refused by tl_model_open with the status, field, layer and tensor
 * expected.tsv gives for it; every file of the folder is listed there,
 * and the unchanged model opens.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "corpus_manifest.h"
#include "files.h"
#include "tl_model.h"
#include "tl_tlm_builder.h"

#define DIR_TLM TL_CORPUS_DIR "/tlm"

/* The file, 16-byte aligned, as tl_model_open wants it. */
static uint8_t *load(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%.128s", DIR_TLM, name);
	char *data = read_file(path, len);
	uint8_t *b = aligned_alloc(TL_ALIGN, (*len + TL_ALIGN) / TL_ALIGN *
				   TL_ALIGN);
	assert_non_null(b);
	memcpy(b, data, *len);
	free(data);
	return b;
}

/* Whether a file's CRC is right (its size field may still be wrong). */
static int crc_right(const uint8_t *b, size_t len)
{
	uint32_t stored;
	if (len < TL_HEADER_SIZE + TL_CRC_SIZE)
		return 0;
	memcpy(&stored, b + len - TL_CRC_SIZE, 4);
	return stored == tl_crc32(0, b, len - TL_CRC_SIZE);
}

/* expected.tsv: file, status phrase, field, layer, tensor. */
static void test_every_file_is_refused_as_expected(void **state)
{
	(void)state;
	static struct corpus_row e[CORPUS_ROWS_MAX];
	size_t n = corpus_rows(DIR_TLM, e), crc_made_right = 0;
	assert_true(n >= 100);
	for (size_t i = 0; i < n; i++) {
		const char *file = e[i].col[0], *status = e[i].col[1];
		const char *field = e[i].col[2];
		int layer = atoi(e[i].col[3]), tensor = atoi(e[i].col[4]);
		assert_int_equal(e[i].n, 5);
		size_t len;
		uint8_t *b = load(file, &len);
		struct tl_model m;
		struct tl_model_error err;
		enum tl_status s = tl_model_open(b, len, &m, &err);
		char msg[320];
		tl_tlm_describe_error(&err, file, msg, sizeof msg);
		if (s == TL_OK || strcmp(tl_status_str(s), status) ||
		    strcmp(err.field, field) || err.layer != layer ||
		    err.tensor != tensor)
			fail_msg("%s: got \"%s\" (layer %d, tensor %d), expected "
				 "%s in field '%s' (layer %d, tensor %d)", file,
				 s == TL_OK ? "accepted" : msg, err.layer,
				 err.tensor, status, field, layer, tensor);
		crc_made_right += s != TL_E_CRC && crc_right(b, len);
		free(b);
	}
	print_message("%zu malformed .tlm files refused as expected, %zu of "
		      "them with a right CRC\n", n, crc_made_right);
	assert_true(crc_made_right > n / 2);
}

static void test_every_file_is_listed(void **state)
{
	(void)state;
	static struct corpus_row e[CORPUS_ROWS_MAX];
	corpus_assert_listed(DIR_TLM, ".tlm", e, corpus_rows(DIR_TLM, e));
}

/* Each case is the one change: the model they start from opens. */
static void test_the_model_they_change_opens(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = load("valid-base.model", &len);
	struct tl_model m;
	struct tl_model_error err;
	assert_int_equal(tl_model_open(b, len, &m, &err), TL_OK);
	assert_int_equal(m.layer_count, 7);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_file_is_refused_as_expected),
		cmocka_unit_test(test_every_file_is_listed),
		cmocka_unit_test(test_the_model_they_change_opens),
	};
	return cmocka_run_group_tests_name("malformed_tlm", tests, NULL, NULL);
}
