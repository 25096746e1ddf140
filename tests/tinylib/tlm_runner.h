/*
 * A .tlm from a file or a blob, opened, planned and run, for the tests
 * that compare S-Tinylib with outputs written elsewhere (cmocka must be
 * included first).
 */
#ifndef TL_TEST_TLM_RUNNER_H
#define TL_TEST_TLM_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "tl_engine.h"

struct tlm_runner {
	uint8_t *blob;            /* 16-byte aligned copy */
	struct tl_model model;
	struct tl_plan *plan;
	void *arena;
	size_t n_in, n_out;
};

/* Takes blob (malloc'd, 16-byte aligned); fails the test if it does not
 * open (the message names the field, as tl_tlm_describe_error does). */
void runner_open_blob(struct tlm_runner *r, uint8_t *blob, size_t size,
		      const char *name);
void runner_open(struct tlm_runner *r, const char *path);
/* out receives n_out floats. */
void runner_run(struct tlm_runner *r, const float *in, float *out,
		enum tl_mode mode);
void runner_close(struct tlm_runner *r);

/* Whitespace-separated numbers from a text file, lines starting with '#'
 * skipped; malloc'd. Fails the test on anything that is not a number. */
float *read_numbers(const char *path, size_t *count);

/* The index of the largest of n values (the first of equal ones). */
size_t top1(const float *x, size_t n);

/* max |a - b| over n values (infinite if a is not finite). */
double max_abs_diff(const float *a, const float *b, size_t n);

#endif
