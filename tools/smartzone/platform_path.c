#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_path.h"

void sz_platform_path(const char *name_or_path, char *path, size_t len)
{
	size_t n = strlen(name_or_path);
	bool is_path = strchr(name_or_path, '/') ||
		       (n > 5 && !strcmp(name_or_path + n - 5, ".conf"));
	if (is_path) {
		snprintf(path, len, "%s", name_or_path);
	} else {
		const char *dir = getenv("SMARTZONE_PLATFORMS");
		snprintf(path, len, "%s/%s.conf",
			 dir && *dir ? dir : SZ_PLATFORM_DIR, name_or_path);
	}
}

int sz_platform_load(const char *name_or_path, struct mm_platform *p,
		     char *err, size_t err_len)
{
	char path[4096];
	sz_platform_path(name_or_path, path, sizeof path);
	int line;
	return mm_platform_load(path, p, err, err_len, &line);
}
