#include <stdarg.h>
#include <stdio.h>

#include "mm_error.h"

int mm_fail(char *err, size_t err_len, int status, const char *fmt, ...)
{
	if (err != NULL && err_len > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return status;
}
