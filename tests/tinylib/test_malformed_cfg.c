/*
 * The corpus of malformed Darknet .cfg files (tests/corpus/cfg/): each
 * one small valid cfg changed in one way. Every file is refused by the
 * reader (tl_darknet_cfg_parse, then tl_darknet_net_build) with the
 * status expected.tsv gives, its sentence naming the file and the line
 * at fault (or none, for what no line holds) and saying what was wrong;
 * every file of the folder is listed there.
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
#include "tl_darknet.h"

#define DIR_CFG TL_CORPUS_DIR "/cfg"

/* The reader's answer for a file: parse, then build. */
static int refusal(const char *name, char *err, size_t err_len)
{
	char path[256];
	size_t len;
	snprintf(path, sizeof path, "%s/%.128s", DIR_CFG, name);
	char *text = read_file(path, &len);
	struct tl_darknet_cfg cfg;
	struct tl_darknet_net net = { 0 };
	err[0] = '\0';
	int s = tl_darknet_cfg_parse(text, len, name, &cfg, err, err_len);
	if (s == TL_DARKNET_OK) {
		s = tl_darknet_net_build(&cfg, &net, err, err_len);
		tl_darknet_net_free(&net);
	}
	tl_darknet_cfg_free(&cfg);
	free(text);
	return s;
}

/* expected.tsv: file, status phrase, line (0: none), a piece of the
 * sentence. */
static void test_every_file_is_refused_as_expected(void **state)
{
	(void)state;
	static struct corpus_row e[CORPUS_ROWS_MAX];
	size_t n = corpus_rows(DIR_CFG, e);
	assert_true(n >= 30);
	for (size_t i = 0; i < n; i++) {
		const char *file = e[i].col[0], *status = e[i].col[1];
		const char *piece = e[i].n > 3 ? e[i].col[3] : "";
		int line = atoi(e[i].col[2]);
		char err[320], where[160];
		int s = refusal(file, err, sizeof err);
		if (line > 0)
			snprintf(where, sizeof where, "%.128s:%d: ", file, line);
		else
			snprintf(where, sizeof where, "%.128s: ", file);
		if (s == TL_DARKNET_OK || strcmp(tl_darknet_status_str(s), status) ||
		    strncmp(err, where, strlen(where)) || !strstr(err, piece))
			fail_msg("%s: got %s, \"%s\"; expected %s, \"%s...%s\"",
				 file, tl_darknet_status_str(s), err, status,
				 where, piece);
	}
	print_message("%zu malformed .cfg files refused as expected\n", n);
}

static void test_every_file_is_listed(void **state)
{
	(void)state;
	static struct corpus_row e[CORPUS_ROWS_MAX];
	corpus_assert_listed(DIR_CFG, ".cfg", e, corpus_rows(DIR_CFG, e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_file_is_refused_as_expected),
		cmocka_unit_test(test_every_file_is_listed),
	};
	return cmocka_run_group_tests_name("malformed_cfg", tests, NULL, NULL);
}
