/* Finding a platform file by name (smartzone's --platform). */
#ifndef SZ_PLATFORM_PATH_H
#define SZ_PLATFORM_PATH_H

#include <stddef.h>

#include "mm_platform.h"

/* The directory names are looked up in: $SMARTZONE_PLATFORMS, else the
 * source tree's memmodel/platforms (SZ_PLATFORM_DIR, set at build). */
#define SZ_PLATFORM_DIR_HELP "$SMARTZONE_PLATFORMS, else memmodel/platforms"

/* The file name_or_path stands for: itself when it holds a '/' or ends
 * in .conf, else NAME.conf in the platform directory. */
void sz_platform_path(const char *name_or_path, char *path, size_t len);

/* name_or_path: a path when it holds a '/' or ends in .conf, else a name
 * in the platform directory. */
int sz_platform_load(const char *name_or_path, struct mm_platform *p,
		     char *err, size_t err_len);

#endif
