/*
 * Cross-architecture digests for the cmocka tests: `make check` runs each
 * test program on the host with TL_DIGEST_OUT_DIR set, where it writes
 * "<name> <digest>" lines to <dir>/<group>.txt, then the aarch64 build
 * under qemu-aarch64 with TL_DIGEST_REF_DIR set, where each digest must
 * equal the host's, bit for bit. With neither set nothing is checked.
 * A header of static functions, so each test program takes it as it is.
 */
#ifndef DIGEST_FILE_H
#define DIGEST_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a over the bytes of n floats: h = digest_floats(DIGEST_START, x, n),
 * chained over several arrays by passing h on. */
#define DIGEST_START 0xcbf29ce484222325ull
static inline uint64_t digest_floats(uint64_t h, const float *x, size_t n)
{
	const unsigned char *p = (const unsigned char *)x;
	for (size_t i = 0; i < n * sizeof *x; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static inline void digest_path(const char *dir, const char *group, char *path,
			size_t len)
{
	snprintf(path, len, "%s/%s.txt", dir, group);
}

/* Empties the group's file when writing, so reruns do not append. */
static inline void digest_start(const char *group)
{
	char path[512];
	const char *dir = getenv("TL_DIGEST_OUT_DIR");
	if (dir != NULL) {
		digest_path(dir, group, path, sizeof path);
		remove(path);
	}
}

static inline int digest_lookup(const char *path, const char *name, uint64_t *digest)
{
	char line_name[128];
	unsigned long long value = 0;
	int found = 0;
	FILE *f = fopen(path, "r");
	if (f == NULL)
		fail_msg("%s: cannot open the host digests", path);
	while (!found && fscanf(f, "%127s %llx", line_name, &value) == 2)
		found = strcmp(line_name, name) == 0;
	fclose(f);
	*digest = value;
	return found;
}

/* Writes or compares one digest (cmocka must be included first); 1 when
 * it was compared with the host's, 0 when there was nothing to compare. */
static inline int digest_check(const char *group, const char *name, uint64_t digest)
{
	char path[512];
	const char *out = getenv("TL_DIGEST_OUT_DIR");
	const char *ref = getenv("TL_DIGEST_REF_DIR");
	if (out != NULL) {
		digest_path(out, group, path, sizeof path);
		FILE *f = fopen(path, "a");
		assert_non_null(f);
		fprintf(f, "%s %016llx\n", name, (unsigned long long)digest);
		fclose(f);
	}
	if (ref == NULL)
		return 0;
	uint64_t expected;
	digest_path(ref, group, path, sizeof path);
	if (!digest_lookup(path, name, &expected))
		fail_msg("%s: no digest for %s", path, name);
	if (digest != expected)
		fail_msg("%s: digest %016llx here, %016llx on the host", name,
			 (unsigned long long)digest, (unsigned long long)expected);
	return 1;
}

#endif
