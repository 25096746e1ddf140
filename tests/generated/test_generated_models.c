/*
 * Every valid model plans and runs: models drawn from seeds
 * (model_gen.h) through the oracle (model_oracle.h), then the kept
 * regression files (the .tlm files of tests/generated/regressions/) the
 * same way.
 * A failing seed is shrunk (model_shrink.h) and written, with the
 * command that reproduces it, so that it can be kept as a regression.
 *
 * The environment chooses the seeds:
 *   TL_GEN_FIRST    the first seed (1)
 *   TL_GEN_MODELS   how many seeds from it (300; 40 in the coverage and
 *                   sanitizer builds)
 *   TL_GEN_EVERY    check only every Nth of them (1; 25 with
 *                   TL_TEST_QUICK, the aarch64 and valgrind phases)
 *   TL_GEN_QUICK_BYTES  with TL_TEST_QUICK, leave out models whose file
 *                   and arena pass this many bytes (2097152; 0: none)
 *   TL_GEN_STATS    a file the counts are written to (key value lines)
 *   TL_GEN_FAILURES where shrunk failing models go
 *                   (build/generated-failures)
 * Each model's strict outputs go through digest_file.h: written on the
 * host (TL_DIGEST_OUT_DIR), compared under qemu-aarch64
 * (TL_DIGEST_REF_DIR), bit for bit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <cmocka.h>

#include "cli.h"
#include "digest_file.h"
#include "gen_stats.h"
#include "model_gen.h"
#include "model_oracle.h"
#include "model_shrink.h"
#include "tl_engine.h"
#include "tl_file.h"

#define DIGESTS "generated_models"
#define REGRESSIONS "tests/generated/regressions"
#define MAX_REPORTED 20

static uint64_t env_u64(const char *name, uint64_t fallback)
{
	const char *v = getenv(name);
	return v && *v ? strtoull(v, NULL, 0) : fallback;
}

static int instrumented(void)
{
#ifdef TL_INSTRUMENTED_BUILD
	return 1;
#else
	return 0;
#endif
}

/* What a seed's model is checked with besides itself: the sessions it
 * is planned for (mostly one; up to 64, so that some are refused for
 * size), the platform it runs on, whether the double-fetch trap is
 * armed (x86-64, not under qemu or valgrind or in instrumented builds). */
static struct gen_check_opts opts_for(uint64_t seed, const char *dir,
				      const char *name)
{
	uint64_t h = seed * 0x9e3779b97f4a7c15ull;
	struct gen_check_opts o = { .dir = dir, .name = name, .sessions = 1,
				    .run_platform = (int)(seed % 2),
				    .input_seed = seed };
	if ((h >> 60) < 3)
		o.sessions = 2 + (unsigned)((h >> 20) % 63);
#if defined(__x86_64__)
	o.double_fetch = !cli_quick() && !instrumented() && (h >> 40) % 4 == 0;
#endif
	return o;
}

/* ---- Shrinking a failure into a regression file ---- */

struct failing {
	const struct gen_check_opts *o;
	char kind[64];		/* the failure's words before its first ':' */
};

static void kind_of(const char *failure, char *kind, size_t len)
{
	size_t n = strcspn(failure, ":");
	snprintf(kind, len, "%.*s", (int)(n < len ? n : len - 1), failure);
}

/* The shrinker's test: the candidate fails the same way. */
static int still_fails(const struct gen_model *m, void *arg)
{
	const struct failing *f = arg;
	uint8_t *blob;
	size_t size;
	static struct gen_outcome out;
	if (gen_model_write(m, &blob, &size))
		return 0;
	int bad = gen_check_model(blob, size, f->o, &out) != 0;
	free(blob);
	char kind[64];
	kind_of(out.failure, kind, sizeof kind);
	return bad && !strcmp(kind, f->kind);
}

/* The shrunk model and its input (the shrinker keeps the input's
 * shape) as BASE.tlm and BASE.f32; the model's bytes, 0 when it could
 * not be written. */
static size_t save_failure(const struct gen_model *m,
			   const struct gen_check_opts *o, const char *base)
{
	char path[600];
	uint8_t *blob = NULL;
	size_t size = 0, n = (size_t)gen_elements(m->input);
	float *x = gen_model_input(o->input_seed, n);
	int bad = gen_model_write(m, &blob, &size);
	snprintf(path, sizeof path, "%s.tlm", base);
	bad = bad || gen_save(path, blob, size);
	snprintf(path, sizeof path, "%s.f32", base);
	bad = bad || !x || gen_save(path, x, n * sizeof *x);
	free(blob);
	free(x);
	return bad ? 0 : size;
}

/* Shrinks the failing model of seed, writes it and its input to the
 * failures folder, and says so in report. */
static void keep_failure(struct gen_model *m, const struct gen_check_opts *o,
			 const char *failure, char *report, size_t len)
{
	struct failing f = { .o = o };
	kind_of(failure, f.kind, sizeof f.kind);
	size_t before = m->n_layers;
	gen_model_shrink(m, still_fails, &f);
	const char *dir = getenv("TL_GEN_FAILURES");
	char path[256];
	dir = dir && *dir ? dir : "build/generated-failures";
	mkdir(dir, 0777);
	snprintf(path, sizeof path, "%s/seed-%llu", dir,
		 (unsigned long long)m->seed);
	size_t size = save_failure(m, o, path);
	snprintf(report, len, "seed %llu: %.2000s\n  shrunk from %zu to %zu "
		 "layers: %s.tlm (%zu bytes) and its input %s.f32; again: "
		 "TL_GEN_FIRST=%llu TL_GEN_MODELS=1 "
		 "build/host/bin/test_generated_models; keep them: cp %s.tlm "
		 "%s.f32 " REGRESSIONS "/\n", (unsigned long long)m->seed,
		 failure, before, m->n_layers, path, size, path,
		 (unsigned long long)m->seed, path, path);
}

/* ---- The seeds ---- */

struct run {
	char dir[64];
	struct gen_stats st;
	char reports[MAX_REPORTED][4096];
};

/* The file and arena of a model tl_model_open takes; else 0, and the
 * oracle says why. */
static uint64_t memory_of(const uint8_t *blob, size_t size)
{
	struct tl_model m;
	struct tl_model_error err;
	static struct tl_plan plan;
	if (tl_model_open(blob, size, &m, &err) != TL_OK ||
	    tl_plan(&m, &plan) != TL_OK)
		return 0;
	return size + plan.arena_size;
}

/* Whether this phase leaves the model out: under qemu and valgrind
 * (TL_TEST_QUICK), the large ones. */
static int left_out(const uint8_t *blob, size_t size)
{
	uint64_t max = env_u64("TL_GEN_QUICK_BYTES", 2u << 20);
	return cli_quick() && max && memory_of(blob, size) > max;
}

/* One seed: drawn, written, checked (or left out of this phase). */
static void check_seed(struct run *run, uint64_t seed)
{
	struct gen_model m;
	uint8_t *blob;
	size_t size;
	char name[32];
	assert_int_equal(gen_model_draw(seed, &m), 0);
	assert_int_equal(gen_model_write(&m, &blob, &size), 0);
	run->st.generated++;
	snprintf(name, sizeof name, "gen-%llu", (unsigned long long)seed);
	struct gen_check_opts o = opts_for(seed, run->dir, name);
	static struct gen_outcome out;
	if (left_out(blob, size)) {
		run->st.skipped++;
	} else if (gen_check_model(blob, size, &o, &out)) {
		if (run->st.failures < MAX_REPORTED)
			keep_failure(&m, &o, out.failure,
				     run->reports[run->st.failures],
				     sizeof run->reports[0]);
		run->st.failures++;
	} else {
		gen_stats_add(&run->st, &m, &o, &out);
		char key[32];
		snprintf(key, sizeof key, "seed-%llu", (unsigned long long)seed);
		run->st.cross_compared += digest_check(DIGESTS, key, out.digest);
	}
	free(blob);
	gen_model_free(&m);
}

static void test_generated_models(void **state)
{
	(void)state;
	static struct run run;
	memset(&run, 0, sizeof run);
	cli_tmpdir(run.dir, sizeof run.dir);
	uint64_t first = env_u64("TL_GEN_FIRST", 1);
	uint64_t count = env_u64("TL_GEN_MODELS", instrumented() ? 40 : 300);
	uint64_t every = env_u64("TL_GEN_EVERY", cli_quick() ? 25 : 1);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t i = 0; i < count; i += every ? every : 1)
		check_seed(&run, first + i);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	run.st.seconds = (double)(t1.tv_sec - t0.tv_sec) +
			 (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	cli_rmdir(run.dir);
	gen_stats_print(&run.st, first, count, every);
	gen_stats_write(&run.st, getenv("TL_GEN_STATS"));
	for (unsigned i = 0; i < run.st.failures && i < MAX_REPORTED; i++)
		print_message("%s", run.reports[i]);
	if (run.st.failures)
		fail_msg("%u of %u generated models failed (above)",
			 run.st.failures, run.st.generated);
	/* the generator keeps covering what it promises */
	if (run.st.checked >= 200)
		gen_stats_assert_coverage(&run.st);
}

/* The kept regression files: every check holds on each, run on both
 * platforms, with NAME.f32 as its input when there is one. */
static void test_regressions(void **state)
{
	(void)state;
	char dir[64];
	cli_tmpdir(dir, sizeof dir);
	DIR *d = opendir(REGRESSIONS);
	assert_non_null(d);
	unsigned n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".tlm"))
			continue;
		char path[512], input[512], name[256];
		snprintf(path, sizeof path, REGRESSIONS "/%s", e->d_name);
		snprintf(name, sizeof name, "%.*s", (int)(len - 4), e->d_name);
		/* its own input when one was kept, else seed 0's */
		snprintf(input, sizeof input, REGRESSIONS "/%s.f32", name);
		struct stat st;
		bool has_input = stat(input, &st) == 0;
		uint8_t *blob;
		size_t size;
		char err[512];
		if (tl_read_file(path, &blob, &size, err, sizeof err))
			fail_msg("%s", err);
		for (int k = 0; k < GEN_PLATFORMS; k++) {
			struct gen_check_opts o = { .dir = dir, .name = name,
						    .sessions = 1,
						    .run_platform = k,
						    .input_path = has_input
						    ? input : NULL };
			static struct gen_outcome out;
			if (gen_check_model(blob, size, &o, &out))
				fail_msg("%s: %s", path, out.failure);
		}
		free(blob);
		n++;
	}
	closedir(d);
	cli_rmdir(dir);
	print_message("%u regression file(s) in " REGRESSIONS " held\n", n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_models),
		cmocka_unit_test(test_regressions),
	};
	digest_start(DIGESTS);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
