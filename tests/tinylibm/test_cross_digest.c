/*
 * Same answers everywhere: a digest of every result of the dense subset,
 * per function, with NaNs made one NaN (payloads are the hardware's, not
 * the library's). `make check` runs this first on the host with
 * TL_DIGEST_OUT_DIR set, which writes the digests there, then the aarch64
 * build under qemu-aarch64 with TL_DIGEST_REF_DIR naming that folder, which
 * compares them bit for bit (see digest_file.h).
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
#include "../digest_file.h"

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

static void test_digest(void **state)
{
	const struct math_fn *fn = *state;
	if (!digest_check("tinylibm", fn->name, digest_of(fn)))
		skip(); /* the host run: it writes the reference */
}

int main(void)
{
	digest_start("tinylibm");
	struct CMUnitTest tests[32];
	for (int i = 0; i < math_fn_count; i++) {
		struct CMUnitTest t = { math_fns[i].name, test_digest, NULL,
					NULL, (void *)&math_fns[i] };
		tests[i] = t;
	}
	return _cmocka_run_group_tests("tinylibm_cross_digest", tests,
				       (size_t)math_fn_count, NULL, NULL);
}
