/*
 * The Cortex-A53 estimate of one inference from the instruction mix the
 * TA's aarch64 code executes under the Unicorn runner (sim_uc_model.h,
 * sim_a53.h), for `smartzone run --details` and `smartzone compare`,
 * beside the cost model's MAC-rate estimate. Built where the host's
 * libunicorn links (SZ_WITH_UNICORN).
 */
#ifndef SZ_A53_RUN_H
#define SZ_A53_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_platform.h"
#include "tl_model.h"

struct sz_a53 {
	bool has;		/* else why says why not */
	double seconds;		/* one RUN on the platform's core */
	double cycles;
	uint64_t instructions;
	double unicorn_s;	/* what the estimate took on this host */
	char why[256];
};

/* The guest ELF: $SMARTZONE_GUEST, else the aarch64 build's. */
const char *sz_guest_path(void);

/* Whether the estimate is wanted: not when $SMARTZONE_GUEST is "none"
 * (make check's valgrind phase: Unicorn's generated code under valgrind
 * takes hours and checks nothing of the project's). */
int sz_a53_wanted(void);

/* One RUN of the plaintext model blob (from path) on input in mode,
 * planned for p as smartzone plans it. */
void sz_a53_estimate(const struct mm_platform *p, const char *path,
		     const uint8_t *blob, size_t size, const float *input,
		     enum tl_mode mode, struct sz_a53 *out);

#endif
