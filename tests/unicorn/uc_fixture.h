/*
 * What the Unicorn runner's tests share: a model planned on a platform
 * as `smartzone verify` plans it, and a job for sz_verify_model on it
 * with a guest of build/aarch64/guest/.
 */
#ifndef UC_FIXTURE_H
#define UC_FIXTURE_H

#include "mm_plan.h"
#include "model_needs.h"
#include "verify_run.h"

struct uc_fixture {
	char model[64];
	struct mm_platform p;
	struct sz_model_needs needs;
	struct mm_plan plan;
	uint8_t *blob;
	size_t size;
	float *input;
	char guest[256];
};

/* models/mlperf/NAME.tlm with its committed input, else
 * models/digits/digits.tlm or models/zoo/NAME.cfg with seeded weights and
 * a seeded input; planned on platform (a file of memmodel/platforms).
 * Fails the test when any of it fails. */
void uc_fixture_load(struct uc_fixture *f, const char *model,
		     const char *platform);
void uc_fixture_free(struct uc_fixture *f);

/* A job for the fixture in mode with the guest named (smartzone_ta or
 * broken_X). */
struct sz_verify_job uc_fixture_job(struct uc_fixture *f, const char *guest,
				       enum tl_mode mode);

#endif
