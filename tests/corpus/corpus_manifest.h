/*
 * What the tests of the malformed corpus share (cmocka must be included
 * first): a folder's expected.tsv read into rows of columns, and the
 * check that it lists every file of the folder and nothing else.
 */
#ifndef CORPUS_MANIFEST_H
#define CORPUS_MANIFEST_H

#include <stddef.h>

#define CORPUS_COLUMNS 6
#define CORPUS_ROWS_MAX 512

/* One line of an expected.tsv: its tab-separated columns, the file
 * first. */
struct corpus_row {
	char col[CORPUS_COLUMNS][128];
	int n;
};

/* The rows of dir/expected.tsv, lines starting with '#' left out (rows
 * holds CORPUS_ROWS_MAX); fails the test when it can not be read. */
size_t corpus_rows(const char *dir, struct corpus_row *rows);

/* Fails the test unless the files of dir whose names end in ext are
 * exactly the rows' first columns. */
void corpus_assert_listed(const char *dir, const char *ext,
			  const struct corpus_row *rows, size_t n);

#endif
