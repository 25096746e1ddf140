/*
 * The fuzz targets' own model and device key: a small .tlm that loads
 * and runs in the TA's compiled heap in a millisecond, and its image
 * sealed as `smartzone encrypt` seals one, with a nonce of the caller's
 * (so that a target is deterministic).
 */
#ifndef FUZZ_MODEL_H
#define FUZZ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "smartzone_ta.h"

extern const uint8_t fz_key[SZ_KEY_BYTES];

/* The fuzz model: the tests' small model (tests/tinylib/small_model.h)
 * in another shape, input 2x6x6 -> conv 3x3 pad 1, 3 filters, relu ->
 * maxpool 2/2 -> connected 5 -> softmax; 72 floats in, 5 out. 16-byte
 * aligned, built once. */
struct fz_model {
	const uint8_t *blob;
	size_t size;
	uint32_t arena;		/* tl_plan's */
	uint32_t n_in, n_out;	/* floats */
};
const struct fz_model *fz_model(void);

/* tlm sealed with key as `smartzone encrypt` seals it (struct
 * sz_enc_header with the nonce and the arena in its reserved word, the
 * AES-256-GCM ciphertext, the tag), with the caller's nonce: the same
 * bytes every time. malloc'd. */
uint8_t *fz_seal(const uint8_t *tlm, size_t size, uint32_t arena,
		 const uint8_t nonce[SZ_GCM_NONCE_BYTES],
		 const uint8_t key[SZ_KEY_BYTES], size_t *out_size);

#endif
