/*
 * Darknet to .tlm: a parsed cfg and its .weights (or weights drawn from a
 * seeded generator, so the real architectures can be run without a
 * trained file) become a .tlm that S-Tinylib opens. Batch normalisation is
 * folded into the preceding convolution or connected layer here, with
 * Darknet's arithmetic (the epsilon is added to the square root).
 *
 *   uint8_t *blob; size_t size; char err[256];
 *   if (tl_darknet_convert_files("tiny.cfg", NULL, 1, &blob, &size,
 *                                err, sizeof err))
 *       fprintf(stderr, "%s\n", err);
 */
#ifndef TL_DARKNET_IMPORT_H
#define TL_DARKNET_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "tl_darknet.h"

/*
 * The floats of a .weights file after its header (int32 major, minor,
 * revision, then `seen` as uint64 when major*10+minor >= 2, else int32).
 * *floats is malloc'd. Errors name the file and what was wrong.
 */
int tl_darknet_weights_parse(const uint8_t *data, size_t len,
			     const char *file_name, float **floats,
			     size_t *count, char *err, size_t err_len);

/*
 * Darknet-order parameters for every layer of net, drawn from a
 * generator seeded with seed: He-uniform kernels, small biases, and batch
 * normalisation statistics near 1 so that folding is exercised.
 */
float *tl_darknet_random_weights(const struct tl_darknet_net *net,
				 uint64_t seed);

/* net + its Darknet-order weights (net->params floats) to a .tlm blob. */
int tl_darknet_to_tlm(const struct tl_darknet_cfg *cfg,
		      const struct tl_darknet_net *net, const float *weights,
		      uint8_t **blob, size_t *size, char *err, size_t err_len);

/* Reads cfg_path and weights_path (NULL: seeded weights) into a blob. */
int tl_darknet_convert_files(const char *cfg_path, const char *weights_path,
			     uint64_t seed, uint8_t **blob, size_t *size,
			     char *err, size_t err_len);

#endif /* TL_DARKNET_IMPORT_H */
