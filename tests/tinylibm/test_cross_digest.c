/*
 * Same answers everywhere: a digest of every result of the dense subset,
 * per function, with NaNs made one NaN (payloads are the hardware's, not
 * the library's). `make check` runs this first on the host with
 * TL_DIGEST_OUT set, which writes the digests, then the aarch64 build under
 * qemu-aarch64 with TL_DIGEST_REFERENCE pointing at that file, which
 * compares them bit for bit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mathref.h"

/* FNV-1a over the canonical result bits, inputs in subset order. */
static uint64_t digest_of(const struct math_fn *fn)
{
	uint64_t h = 0xcbf29ce484222325ull;
	float x, y;
	for (uint32_t i = 0; i < SUBSET_SIZE; i++) {
		fn->inputs(i, &x, &y);
		uint32_t bits = canonical_bits(fn->tl(x, y));
		for (int b = 0; b < 4; b++) {
			h ^= (bits >> (8 * b)) & 0xffu;
			h *= 0x100000001b3ull;
		}
	}
	return h;
}

static int read_reference(const char *path, const char *name, uint64_t *digest)
{
	char line_name[64];
	unsigned long long value;
	FILE *f = fopen(path, "r");
	if (f == NULL)
		fail_msg("%s: cannot open the host digests", path);
	int found = 0;
	while (!found && fscanf(f, "%63s %llx", line_name, &value) == 2)
		found = strcmp(line_name, name) == 0;
	fclose(f);
	*digest = value;
	return found;
}

static void test_digest(void **state)
{
	const struct math_fn *fn = *state;
	const char *reference = getenv("TL_DIGEST_REFERENCE");
	const char *out = getenv("TL_DIGEST_OUT");
	uint64_t digest = digest_of(fn);

	if (out != NULL) {
		FILE *f = fopen(out, "a");
		assert_non_null(f);
		fprintf(f, "%s %016llx\n", fn->name, (unsigned long long)digest);
		fclose(f);
	}
	if (reference == NULL)
		skip();
	uint64_t expected;
	if (!read_reference(reference, fn->name, &expected))
		fail_msg("%s: no digest for %s", reference, fn->name);
	if (digest != expected)
		fail_msg("%s: digest %016llx here, %016llx in %s", fn->name,
			 (unsigned long long)digest, (unsigned long long)expected,
			 reference);
}

int main(void)
{
	const char *out = getenv("TL_DIGEST_OUT");
	if (out != NULL)
		remove(out);
	struct CMUnitTest tests[32];
	for (int i = 0; i < math_fn_count; i++) {
		struct CMUnitTest t = { math_fns[i].name, test_digest, NULL,
					NULL, (void *)&math_fns[i] };
		tests[i] = t;
	}
	return _cmocka_run_group_tests("tinylibm_cross_digest", tests,
				       (size_t)math_fn_count, NULL, NULL);
}
