/*
 * What the client's tests share (cmocka must be included first): the
 * simulated TEE on the stock RPi3 (the TA's compiled sizes hold the
 * digits model), the digits model and its samples with their reference
 * outputs from tl_run on the host, a fixed key, files in a fresh
 * directory.
 */
#ifndef CLIENT_FIXTURE_H
#define CLIENT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "smartzone_ta.h"
#include "tl_engine.h"

#define CF_DIGITS "models/digits/digits.tlm"
#define CF_SAMPLES 10
#define CF_IN 64	/* 1 x 8 x 8 */
#define CF_OUT 10

extern const uint8_t cf_key[SZ_KEY_BYTES];

/* cmocka setup and teardown: a machine with a fresh temporary store and
 * a scratch directory; teardown fails when a check found a violation. */
int cf_up(void **state);
int cf_down(void **state);

/* The machine again, its TA's heap set to data_size (0: as built). */
void cf_configure(uint32_t data_size);

/* The scratch directory's file name (a static buffer per call slot). */
const char *cf_path(const char *name);

/* The digits model, 16-byte aligned, and its tl_plan arena. */
struct cf_model {
	uint8_t *blob;
	size_t size;
	size_t arena;
	struct tl_model m;
	struct tl_plan *plan;
};
void cf_digits(struct cf_model *m);
void cf_model_free(struct cf_model *m);

/* Sample i (the digit i) of models/digits/samples as the model's input. */
void cf_sample(int digit, float x[CF_IN]);

/* tl_run on the host, strict. */
void cf_reference(const struct cf_model *m, const float *in, float *out);

void cf_write(const char *path, const void *data, size_t n);

#endif
