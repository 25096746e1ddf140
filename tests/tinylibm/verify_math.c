/*
 * verify_math: the exhaustive sweep behind `make verify-math`.
 *
 * Every unary function over all 2^32 float inputs; every binary function
 * over all 2^32 values of x at each of its fixed y, and of y at each fixed
 * x (mathref.c lists them). Prints the worst error and its input per
 * function and exits 1 if any bound is broken. Runs on every core.
 *
 *   verify_math [function ...]     (default: all of them)
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mathref.h"

#define BLOCK (1ull << 20)
#define BLOCKS ((1ull << 32) / BLOCK)
#define MAX_THREADS 64

/* One sweep: all 2^32 patterns of one argument, the other held fixed. */
struct sweep {
	const struct math_fn *fn;
	int sweep_x;   /* 1: x varies and y is `fixed`; 0: the reverse */
	float fixed;
	uint64_t next_block;
	pthread_mutex_t lock;
};

struct worst {
	double error;
	float x, y;
};

static void note(struct worst *w, double error, float x, float y)
{
	if (error > w->error) {
		w->error = error;
		w->x = x;
		w->y = y;
	}
}

static uint64_t take_block(struct sweep *s)
{
	pthread_mutex_lock(&s->lock);
	uint64_t b = s->next_block++;
	pthread_mutex_unlock(&s->lock);
	return b;
}

static void *sweep_worker(void *arg)
{
	struct sweep *s = ((void **)arg)[0];
	struct worst *w = ((void **)arg)[1];
	for (uint64_t b = take_block(s); b < BLOCKS; b = take_block(s)) {
		for (uint64_t i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
			float v = float_from_bits((uint32_t)i);
			float x = s->sweep_x ? v : s->fixed;
			float y = s->sweep_x ? s->fixed : v;
			note(w, error_of(s->fn, x, y), x, y);
		}
	}
	return NULL;
}

static struct worst run_sweep(const struct math_fn *fn, int sweep_x,
			      float fixed, int threads)
{
	struct sweep s = { fn, sweep_x, fixed, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t ids[MAX_THREADS];
	struct worst worsts[MAX_THREADS];
	void *args[MAX_THREADS][2];
	for (int t = 0; t < threads; t++) {
		worsts[t] = (struct worst){ -1.0, 0, 0 };
		args[t][0] = &s;
		args[t][1] = &worsts[t];
		pthread_create(&ids[t], NULL, sweep_worker, args[t]);
	}
	struct worst worst = { -1.0, 0, 0 };
	for (int t = 0; t < threads; t++) {
		pthread_join(ids[t], NULL);
		note(&worst, worsts[t].error, worsts[t].x, worsts[t].y);
	}
	return worst;
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

/* Sweeps one function the way its arity asks; returns 1 if within bound. */
static int verify(const struct math_fn *fn, int threads)
{
	struct worst worst = { -1.0, 0, 0 }, w;
	time_t start = time(NULL);
	int sweeps = 0;
	if (fn->fixed_y_count == 0) {
		worst = run_sweep(fn, 1, 0.0f, threads);
		sweeps = 1;
	}
	for (int i = 0; i < fn->fixed_y_count; i++, sweeps++) {
		w = run_sweep(fn, 1, fn->fixed_y[i], threads);
		note(&worst, w.error, w.x, w.y);
	}
	for (int i = 0; i < fn->fixed_x_count; i++, sweeps++) {
		w = run_sweep(fn, 0, fn->fixed_x[i], threads);
		note(&worst, w.error, w.x, w.y);
	}
	int held = worst.error <= fn->bound_ulp;
	printf("%-10s %2d x 2^32  worst %-12.6f bound %.1f  at x=%-16a y=%-14a "
	       "%4lds  %s\n", fn->name, sweeps, worst.error, fn->bound_ulp,
	       (double)worst.x, (double)worst.y, (long)(time(NULL) - start),
	       held ? "held" : "BROKEN");
	fflush(stdout);
	return held;
}

int main(int argc, char **argv)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (int)cores;
	int broken = 0, run = 0;
	printf("verify-math: exhaustive sweep on %d threads; error in ULP "
	       "against the double-precision libm (bound 0 = bit-exact)\n",
	       threads);
	for (int i = 0; i < math_fn_count; i++) {
		if (!wanted(math_fns[i].name, argc, argv))
			continue;
		run++;
		broken += !verify(&math_fns[i], threads);
	}
	if (run == 0) {
		fprintf(stderr, "verify_math: no function by that name\n");
		return 2;
	}
	printf("%d of %d functions within their bounds\n", run - broken, run);
	return broken ? 1 : 0;
}
