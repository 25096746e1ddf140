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
#include <dirent.h>
#include <cmocka.h>

#include "files.h"
#include "tl_model.h"
#include "tl_tlm_builder.h"

#define DIR_TLM TL_CORPUS_DIR "/tlm"
#define CASES_MAX 512

struct expect {
	char file[96];
	char status[64];
	char field[64];
	int layer, tensor;
};

/* expected.tsv: file, status phrase, field, layer, tensor, tab apart. */
static size_t read_expected(struct expect *e, size_t max)
{
	size_t len, n = 0;
	char *text = read_file(DIR_TLM "/expected.tsv", &len);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		assert_true(n < max);
		assert_int_equal(sscanf(line, "%95[^\t]\t%63[^\t]\t%63[^\t]\t%d\t%d",
					e[n].file, e[n].status, e[n].field,
					&e[n].layer, &e[n].tensor), 5);
		n++;
	}
	free(text);
	return n;
}

/* The file, 16-byte aligned, as tl_model_open wants it. */
static uint8_t *load(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", DIR_TLM, name);
	char *data = read_file(path, len);
	uint8_t *b = aligned_alloc(TL_ALIGN, (*len + TL_ALIGN) / TL_ALIGN *
				   TL_ALIGN);
	assert_non_null(b);
	memcpy(b, data, *len);
	free(data);
	return b;
}

static void test_every_file_is_refused_as_expected(void **state)
{
	(void)state;
	static struct expect e[CASES_MAX];
	size_t n = read_expected(e, CASES_MAX);
	assert_true(n >= 100);
	size_t crc_made_right = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		uint8_t *b = load(e[i].file, &len);
		struct tl_model m;
		struct tl_model_error err;
		enum tl_status s = tl_model_open(b, len, &m, &err);
		char msg[320];
		tl_tlm_describe_error(&err, e[i].file, msg, sizeof msg);
		if (s == TL_OK || strcmp(tl_status_str(s), e[i].status) ||
		    strcmp(err.field, e[i].field) || err.layer != e[i].layer ||
		    err.tensor != e[i].tensor)
			fail_msg("%s: got \"%s\" (layer %d, tensor %d), expected "
				 "%s in field '%s' (layer %d, tensor %d)",
				 e[i].file, s == TL_OK ? "accepted" : msg,
				 err.layer, err.tensor, e[i].status,
				 e[i].field, e[i].layer, e[i].tensor);
		if (len >= TL_HEADER_SIZE + TL_CRC_SIZE &&
		    strcmp(e[i].status, tl_status_str(TL_E_CRC)) != 0) {
			uint32_t stored;
			memcpy(&stored, b + len - TL_CRC_SIZE, 4);
			crc_made_right += stored == tl_crc32(0, b, len -
							     TL_CRC_SIZE);
		}
		free(b);
	}
	print_message("%zu malformed .tlm files refused as expected, %zu of "
		      "them with a right CRC\n", n, crc_made_right);
	assert_true(crc_made_right > n / 2);
}

static void test_every_file_is_listed(void **state)
{
	(void)state;
	static struct expect e[CASES_MAX];
	size_t n = read_expected(e, CASES_MAX), files = 0;
	DIR *d = opendir(DIR_TLM);
	assert_non_null(d);
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		const char *dot = strrchr(de->d_name, '.');
		if (dot == NULL || strcmp(dot, ".tlm") != 0)
			continue;
		size_t i = 0;
		while (i < n && strcmp(e[i].file, de->d_name) != 0)
			i++;
		if (i == n)
			fail_msg("%s: not in expected.tsv", de->d_name);
		files++;
	}
	closedir(d);
	assert_int_equal(files, n);
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
