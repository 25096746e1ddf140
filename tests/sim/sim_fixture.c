#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "sim_fixture.h"

const TEEC_UUID sztest_good_uuid = SZTEST_GOOD_UUID;
const TEEC_UUID sztest_single_uuid = SZTEST_SINGLE_UUID;
const TEEC_UUID sztest_exclusive_uuid = SZTEST_EXCLUSIVE_UUID;
const TEEC_UUID sztest_darknetz_uuid = SZTEST_DARKNETZ_UUID;
const TEEC_UUID sztest_bad_uuid = SZTEST_BAD_UUID;

static char storage[512];

const char *sim_fixture_storage(void)
{
	return storage;
}

void sim_fixture_configure_cfg(struct sim_config *cfg)
{
	char err[320];
	cfg->storage_dir = storage;
	if (sim_configure(cfg, err, sizeof err))
		fail_msg("sim_configure: %s", err);
	sim_violations_clear();
	sim_counters_reset();
}

void sim_fixture_configure(const struct mm_plan *plan)
{
	struct sim_config cfg = { .plan = plan };
	sim_fixture_configure_cfg(&cfg);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

int sim_fixture_up(void **state)
{
	(void)state;
	mkdir("build", 0755);
	mkdir(SIM_TEST_TMP, 0755);
	snprintf(storage, sizeof storage, "%s/sim-store-XXXXXX", SIM_TEST_TMP);
	if (mkdtemp(storage) == NULL) {
		fprintf(stderr, "mkdtemp %s: %s\n", storage, strerror(errno));
		return -1;
	}
	struct sim_config cfg = { .storage_dir = storage };
	char err[320];
	if (sim_configure(&cfg, err, sizeof err)) {
		fprintf(stderr, "sim_configure: %s\n", err);
		nftw(storage, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		return -1;
	}
	sim_violations_clear();
	sim_counters_reset();
	return 0;
}

/* Fails the test when a check found something the test did not clear:
 * every test of the good TA ends without a violation. */
int sim_fixture_down(void **state)
{
	(void)state;
	int rc = 0;
	for (size_t i = 0; i < sim_violation_count(); i++) {
		fprintf(stderr, "unexpected violation: %s\n",
			sim_violation_at(i)->msg);
		rc = -1;
	}
	if (sim_shutdown())
		rc = -1;
	if (nftw(storage, remove_one, 16, FTW_DEPTH | FTW_PHYS))
		rc = -1;
	return rc;
}

void sim_fixture_platform(const char *name, struct mm_platform *p)
{
	char path[256], err[256];
	snprintf(path, sizeof path, "%s/%s.conf", MM_PLATFORM_DIR, name);
	if (mm_platform_load(path, p, err, sizeof err, NULL))
		fail_msg("%s", err);
}

void sim_open(TEEC_Context *ctx, TEEC_Session *s, const TEEC_UUID *uuid)
{
	uint32_t origin = 0;
	assert_int_equal(TEEC_InitializeContext(NULL, ctx), TEEC_SUCCESS);
	TEEC_Result r = TEEC_OpenSession(ctx, s, uuid, TEEC_LOGIN_PUBLIC, NULL,
					 NULL, &origin);
	if (r != TEEC_SUCCESS)
		fail_msg("TEEC_OpenSession: 0x%08x origin %u", r, origin);
}

void sim_close(TEEC_Context *ctx, TEEC_Session *s)
{
	TEEC_CloseSession(s);
	TEEC_FinalizeContext(ctx);
}

void sztest_input(uint32_t *in, uint32_t n, uint32_t seed)
{
	in[0] = n;
	for (uint32_t i = 0; i < n; i++)
		in[1 + i] = seed + i * 7;
}

void sztest_expect(const uint32_t *in, uint32_t *out)
{
	uint32_t w[SZTEST_WEIGHTS];
	sztest_weights(w);
	for (uint32_t k = 0; k < in[0] / 4; k++)
		out[k] = sztest_block(in + 1, k, w);
}

TEEC_Operation sztest_op(uint32_t t0, uint32_t t1, uint32_t t2, uint32_t t3)
{
	TEEC_Operation op;
	memset(&op, 0, sizeof op);
	op.paramTypes = TEEC_PARAM_TYPES(t0, t1, t2, t3);
	return op;
}

TEEC_Operation sztest_temp(const void *in, size_t in_size, void *out,
			   size_t out_size)
{
	TEEC_Operation op = sztest_op(TEEC_MEMREF_TEMP_INPUT,
				      TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
				      TEEC_NONE);
	op.params[0].tmpref = (TEEC_TempMemoryReference){ (void *)in, in_size };
	op.params[1].tmpref = (TEEC_TempMemoryReference){ out, out_size };
	return op;
}

TEEC_Operation sztest_whole(TEEC_SharedMemory *in, TEEC_SharedMemory *out)
{
	TEEC_Operation op = sztest_op(TEEC_MEMREF_WHOLE, TEEC_MEMREF_WHOLE,
				      TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = in;
	op.params[1].memref.parent = out;
	return op;
}

TEEC_Result sztest_process(TEEC_Session *s, uint32_t cmd, const uint32_t *in,
			   size_t in_size, uint32_t *out, size_t *out_size,
			   uint32_t *origin)
{
	TEEC_Operation op = sztest_temp(in, in_size, out, *out_size);
	TEEC_Result r = TEEC_InvokeCommand(s, cmd, &op, origin);
	*out_size = op.params[1].tmpref.size;
	return r;
}

void sztest_show(const char *what, const struct sim_hostile_report *r)
{
	printf("  %s: %zu hostile cases, %zu failed\n", what, r->n_cases,
	       r->n_failed);
	for (size_t i = 0; i < r->n_cases; i++)
		printf("    %-34s %s%s\n", r->cases[i].name,
		       r->cases[i].passed ? "passed" : "FAILED: ",
		       r->cases[i].passed ? "" : r->cases[i].why);
}

struct sim_hostile_report *sztest_hostile_process(TEEC_Session *s)
{
	struct sim_hostile_report *r = malloc(sizeof *r);
	assert_non_null(r);
	uint32_t in[1 + 16], out[4];
	sztest_input(in, 16, 1);
	TEEC_Operation op = sztest_temp(in, sizeof in, out, sizeof out);
	assert_int_equal(sim_hostile_params(s, SZTEST_CMD_PROCESS, &op, r),
			 SIM_OK);
	sztest_show("PROCESS", r);
	return r;
}

void sim_fixture_double_fetch_on(void)
{
	char why[256];
	if (sim_hostile_set(SIM_HOSTILE_DOUBLE_FETCH, why, sizeof why)) {
		printf("  skipped: %s\n", why);
		skip();
	}
}

bool sim_all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}
