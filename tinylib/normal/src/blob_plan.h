/* A .tlm blob checked and planned on the normal side (S-Tinylib's own
 * tl_model_open and tl_plan), for what the client and the encrypting
 * side must tell the TA before it has the model. */
#ifndef TL_BLOB_PLAN_H
#define TL_BLOB_PLAN_H

#include <stddef.h>
#include <stdint.h>

struct tl_blob_plan {
	size_t arena;			/* tl_plan's arena_size */
	size_t input_elements, output_elements;
	uint32_t input_c, input_h, input_w;
};

/* 0; or TL_CLIENT_E_MODEL (the model is refused) or TL_CLIENT_E_NOMEM,
 * with a sentence naming name in err. blob need not be aligned. */
int tl_blob_plan(const uint8_t *blob, size_t size, const char *name,
		 struct tl_blob_plan *out, char *err, size_t err_len);

#endif
