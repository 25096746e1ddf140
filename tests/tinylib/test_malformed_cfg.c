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
#include <dirent.h>
#include <cmocka.h>

#include "files.h"
#include "tl_darknet.h"

#define DIR_CFG TL_CORPUS_DIR "/cfg"
#define CASES_MAX 128

struct expect {
	char file[96];
	char status[64];
	int line;
	char piece[96];
};

static size_t read_expected(struct expect *e, size_t max)
{
	size_t len, n = 0;
	char *text = read_file(DIR_CFG "/expected.tsv", &len);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		assert_true(n < max);
		e[n].piece[0] = '\0';
		assert_true(sscanf(line, "%95[^\t]\t%63[^\t]\t%d\t%95[^\n]",
				   e[n].file, e[n].status, &e[n].line,
				   e[n].piece) >= 3);
		n++;
	}
	free(text);
	return n;
}

/* The reader's answer for a file: parse, then build. */
static int refusal(const char *name, char *err, size_t err_len)
{
	char path[256];
	size_t len;
	snprintf(path, sizeof path, "%s/%.96s", DIR_CFG, name);
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

static void test_every_file_is_refused_as_expected(void **state)
{
	(void)state;
	static struct expect e[CASES_MAX];
	size_t n = read_expected(e, CASES_MAX);
	assert_true(n >= 30);
	for (size_t i = 0; i < n; i++) {
		char err[320], where[128];
		int s = refusal(e[i].file, err, sizeof err);
		if (e[i].line > 0)
			snprintf(where, sizeof where, "%.96s:%d: ", e[i].file,
				 e[i].line);
		else
			snprintf(where, sizeof where, "%.96s: ", e[i].file);
		if (s == TL_DARKNET_OK ||
		    strcmp(tl_darknet_status_str(s), e[i].status) ||
		    strncmp(err, where, strlen(where)) ||
		    strstr(err, e[i].piece) == NULL)
			fail_msg("%s: got %s, \"%s\"; expected %s, \"%s...%s\"",
				 e[i].file, tl_darknet_status_str(s), err,
				 e[i].status, where, e[i].piece);
	}
	print_message("%zu malformed .cfg files refused as expected\n", n);
}

static void test_every_file_is_listed(void **state)
{
	(void)state;
	static struct expect e[CASES_MAX];
	size_t n = read_expected(e, CASES_MAX), files = 0;
	DIR *d = opendir(DIR_CFG);
	assert_non_null(d);
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		const char *dot = strrchr(de->d_name, '.');
		if (dot == NULL || strcmp(dot, ".cfg") != 0)
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_file_is_refused_as_expected),
		cmocka_unit_test(test_every_file_is_listed),
	};
	return cmocka_run_group_tests_name("malformed_cfg", tests, NULL, NULL);
}
