/* The malformed corpus's manifests (corpus_manifest.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "corpus_manifest.h"

/* Splits line (its newline cut) into r's columns at tabs. */
static void split(char *line, struct corpus_row *r)
{
	line[strcspn(line, "\n")] = '\0';
	r->n = 0;
	for (char *c = line; c != NULL && r->n < CORPUS_COLUMNS; r->n++) {
		char *tab = strchr(c, '\t');
		if (tab != NULL)
			*tab = '\0';
		snprintf(r->col[r->n], sizeof r->col[r->n], "%.127s", c);
		c = tab ? tab + 1 : NULL;
	}
}

size_t corpus_rows(const char *dir, struct corpus_row *rows)
{
	char path[256], line[512];
	snprintf(path, sizeof path, "%s/expected.tsv", dir);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		fail_msg("cannot open %s (run the tests from the repository "
			 "root)", path);
	size_t n = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(n < CORPUS_ROWS_MAX);
		split(line, &rows[n++]);
	}
	fclose(f);
	return n;
}

void corpus_assert_listed(const char *dir, const char *ext,
			  const struct corpus_row *rows, size_t n)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t files = 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		const char *dot = strrchr(de->d_name, '.');
		if (dot == NULL || strcmp(dot, ext) != 0)
			continue;
		size_t i = 0;
		while (i < n && strcmp(rows[i].col[0], de->d_name) != 0)
			i++;
		if (i == n)
			fail_msg("%s/%s: not in expected.tsv", dir, de->d_name);
		files++;
	}
	closedir(d);
	assert_int_equal(files, n);
}
