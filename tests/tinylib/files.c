#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "files.h"

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s (run the tests from the repository "
			 "root)", path);
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	do {
		cap = cap ? 2 * cap : 4096;
		buf = realloc(buf, cap);
		assert_non_null(buf);
		*len += fread(buf + *len, 1, cap - *len, f);
	} while (*len == cap);
	fclose(f);
	buf[*len] = '\0';	/* the loop ends with room for it */
	return buf;
}
