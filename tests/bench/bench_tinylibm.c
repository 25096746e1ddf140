/*
 * Tinylibm against glibc's libm in the loops an inference engine runs:
 * softmax over rows of 1000 classes, the logistic (sigmoid) and tanh
 * activations, and plain expf and logf over an array. Both sides are
 * called through the same kind of loop, built with the same flags.
 * Figures are measured on this host: the best of several passes over
 * 2^20 floats, in ns per element, and the ratio glibc / Tinylibm (above 1:
 * Tinylibm is faster).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tinylibm.h"

#define N (1 << 20)
#define ROW 1000
#define PASSES 15

typedef float (*unary)(float);

static float input[N], output[N];

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static void softmax(unary exp_fn, const float *x, float *y, int n)
{
	for (int row = 0; row + ROW <= n; row += ROW) {
		float max = x[row], sum = 0;
		for (int i = row; i < row + ROW; i++)
			max = x[i] > max ? x[i] : max;
		for (int i = row; i < row + ROW; i++) {
			y[i] = exp_fn(x[i] - max);
			sum += y[i];
		}
		for (int i = row; i < row + ROW; i++)
			y[i] /= sum;
	}
}

static void sigmoid(unary exp_fn, const float *x, float *y, int n)
{
	for (int i = 0; i < n; i++)
		y[i] = 1.0f / (1.0f + exp_fn(-x[i]));
}

static void map(unary fn, const float *x, float *y, int n)
{
	for (int i = 0; i < n; i++)
		y[i] = fn(x[i]);
}

typedef void (*kernel)(unary, const float *, float *, int);

/* Best time of PASSES runs, in ns per element. */
static double time_kernel(kernel k, unary fn, const float *x)
{
	double best = 1e30;
	for (int pass = 0; pass < PASSES; pass++) {
		double start = now();
		k(fn, x, output, N);
		double t = now() - start;
		best = t < best ? t : best;
	}
	return best * 1e9 / N;
}

static float glibc_expf(float x) { return expf(x); }
static float glibc_tanhf(float x) { return tanhf(x); }
static float glibc_logf(float x) { return logf(x); }

struct row {
	const char *loop;
	kernel k;
	unary tl, glibc;
	const float *x;
};

int main(void)
{
	static float positive[N];
	srand(1);
	for (int i = 0; i < N; i++) {
		input[i] = 20.0f * rand() / RAND_MAX - 10.0f;
		positive[i] = 1e-3f + 1e3f * rand() / RAND_MAX;
	}
	const struct row rows[] = {
		{ "softmax (expf)", softmax, tl_expf, glibc_expf, input },
		{ "sigmoid (expf)", sigmoid, tl_expf, glibc_expf, input },
		{ "tanh", map, tl_tanhf, glibc_tanhf, input },
		{ "expf", map, tl_expf, glibc_expf, input },
		{ "logf", map, tl_logf, glibc_logf, positive },
	};
	printf("bench_tinylibm: measured on this host, one thread, %d floats, "
	       "best of %d passes\n", N, PASSES);
	printf("%-16s %14s %14s %18s\n", "loop", "tinylibm ns/el",
	       "glibc ns/el", "glibc / tinylibm");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		double tl = time_kernel(r->k, r->tl, r->x);
		double gl = time_kernel(r->k, r->glibc, r->x);
		printf("%-16s %14.2f %14.2f %17.2fx\n", r->loop, tl, gl, gl / tl);
	}
	return 0;
}
