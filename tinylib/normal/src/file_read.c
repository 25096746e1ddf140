/* Reading a whole file (tl_file.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_file.h"
#include "tl_model.h"

int tl_read_file(const char *path, uint8_t **data, size_t *size, char *err,
		 size_t err_len)
{
	errno = 0;
	FILE *f = fopen(path, "rb");
	long n = -1;
	*data = NULL;
	*size = 0;
	if (f && fseek(f, 0, SEEK_END) == 0)
		n = ftell(f);
	if (f && n >= 0 && fseek(f, 0, SEEK_SET) == 0)
		*data = aligned_alloc(TL_ALIGN, ((size_t)n + TL_ALIGN) /
					       TL_ALIGN * TL_ALIGN);
	if (*data && fread(*data, 1, (size_t)n, f) == (size_t)n) {
		*size = (size_t)n;
	} else {
		if (err && err_len)
			snprintf(err, err_len, "%s: %s", path,
				 errno ? strerror(errno) : "short read");
		free(*data);
		*data = NULL;
	}
	if (f)
		fclose(f);
	return *data ? 0 : -1;
}
