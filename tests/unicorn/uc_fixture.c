/* The Unicorn tests' fixture (uc_fixture.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform_path.h"
#include "run_session.h"
#include "uc_fixture.h"

static void fail_with(const char *what, const char *err)
{
	fail_msg("%s: %s", what, err);
}

void uc_fixture_load(struct uc_fixture *f, const char *model,
		     const char *platform)
{
	char path[256], err[512];
	memset(f, 0, sizeof *f);
	snprintf(f->model, sizeof f->model, "%s", model);
	snprintf(path, sizeof path, "models/mlperf/%s.tlm", model);
	FILE *mlperf = fopen(path, "rb");
	if (mlperf != NULL)
		fclose(mlperf);
	else if (strcmp(model, "digits") == 0)
		snprintf(path, sizeof path, "models/digits/digits.tlm");
	else
		snprintf(path, sizeof path, "models/zoo/%s.cfg", model);
	if (sz_platform_load(platform, &f->p, err, sizeof err))
		fail_with(platform, err);
	if (sz_model_blob(path, NULL, &f->blob, &f->size, err, sizeof err) ||
	    sz_model_needs_blob(path, f->blob, f->size, &f->needs, err,
				sizeof err) ||
	    sz_run_plan(&f->p, &f->needs, &f->plan, err, sizeof err))
		fail_with(path, err);
	size_t n = f->needs.input_bytes / sizeof(float);
	f->input = malloc(n * sizeof *f->input);
	assert_non_null(f->input);
	if (mlperf != NULL) {
		/* its committed input: values in the range it was made for */
		snprintf(path, sizeof path, "models/mlperf/%s.input.f32",
			 model);
		FILE *in = fopen(path, "rb");
		assert_non_null(in);
		assert_int_equal(fread(f->input, sizeof *f->input, n, in), n);
		fclose(in);
		return;
	}
	uint32_t s = 0x9e3779b9u;	/* xorshift32: the same input every run */
	for (size_t i = 0; i < n; i++) {
		s ^= s << 13, s ^= s >> 17, s ^= s << 5;
		f->input[i] = (float)(s >> 8) / (float)(1u << 23) - 1.0f;
	}
}

void uc_fixture_free(struct uc_fixture *f)
{
	free(f->blob);
	free(f->input);
	memset(f, 0, sizeof *f);
}

struct sz_verify_job uc_fixture_job(struct uc_fixture *f, const char *guest,
				       enum tl_mode mode)
{
	snprintf(f->guest, sizeof f->guest, "%s/%s.elf", UC_GUEST_DIR, guest);
	struct sz_verify_job job = {
		f->guest, &f->plan, f->p.shmem_start, f->plan.shm_window,
		f->blob, f->size, f->input, mode, true };
	return job;
}
