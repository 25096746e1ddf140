/*
 * What `smartzone run` feeds a model: a PGM image (P2 or P5, grey) read
 * as pixel / maxval in float32, the bundled digits model's mapping
 * (models/digits/README.md: the samples store 0..16 with maxval 16), or
 * raw little-endian float32 values (NCHW), as many as the input holds.
 * The file's first bytes decide: "P2" or "P5" is a PGM, unless it is
 * none and holds exactly the model's input as float32 values (raw
 * values may begin with those bytes).
 */
#ifndef SZ_INPUT_H
#define SZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The model's input as the normal world knows it; all 0 when it does
 * not (an encrypted model: then any size is sent and the TA judges). */
struct sz_input_shape {
	uint32_t c, h, w;
	size_t elements;
};

struct sz_input {
	float *x;		/* malloc'd */
	size_t n;
	bool pgm;
	uint32_t w, h;		/* the PGM's */
};

/* 0, or -1 with a sentence naming the file and what was expected. */
int sz_input_read(const char *path, const struct sz_input_shape *want,
		  struct sz_input *out, char *err, size_t err_len);

void sz_input_free(struct sz_input *in);

#endif
