/*
 * The baseline: a non-memory-optimised TEE deployment, run for comparison
 * with Smart-Zone (docs/compare.md). It does what DarkneTZ and the public
 * Tinylib do on a stock OP-TEE: the TA gets the platform's default heap,
 * the model stays in the normal world, and every inference streams it in
 * again as consecutive steps of layers, one world switch per step and per
 * chunk of the default shared-memory window.
 *
 * Splitting (pure, no TEE): each step is a self-contained .tlm whose input
 * is the previous step's output, the longest run of layers that fits the
 * heap budget.
 *
 *   struct tl_baseline b;
 *   char err[256];
 *   if (tl_baseline_split(blob, size, budget, &b, err, sizeof err))
 *           ... err says which layer does not fit, with the numbers ...
 *   ... b.steps[i].blob, .size, .arena ...
 *   tl_baseline_free(&b);
 *
 * Streaming, through a client connected to the Smart-Zone TA (tl_client.h,
 * ta/include/smartzone_ta.h), per inference: HOLD_INPUT, then for every
 * step OPEN_MODEL, LOAD_CHUNK ..., RUN_HELD, CLOSE_MODEL, then
 * TAKE_OUTPUT:
 *
 *   struct tl_client c;
 *   tl_client_open(&c, NULL, err, sizeof err);
 *   tl_baseline_infer(&c, &b, TL_BASELINE_CHUNK_DEFAULT, SZ_MODE_STRICT,
 *                     in, out, err, sizeof err);
 */
#ifndef TL_BASELINE_H
#define TL_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

struct tl_client;	/* tl_client.h: only the streaming needs it */

/* The public code's default window: `-mov_size` 1024 floats a call
 * (BRIEF.md, "The system being built"). */
#define TL_BASELINE_CHUNK_DEFAULT	4096u

struct tl_baseline_step {
	uint32_t first, count;	/* layers [first, first + count) */
	uint8_t *blob;		/* the step's .tlm (malloc'd, 16-aligned),
				 * or once sealed its .tlme */
	size_t size;
	size_t arena;		/* tl_plan's arena for it */
	size_t in_bytes;	/* the activation it takes ... */
	size_t out_bytes;	/* ... and the one it leaves held */
	size_t need;		/* tl_baseline_need of the above */
	uint64_t macs;		/* multiply-adds of its layers */
};

struct tl_baseline {
	struct tl_baseline_step *steps;
	size_t n_steps;
	size_t budget;		/* heap bytes a step may take */
	size_t in_elements, out_elements; /* the whole model's */
	uint64_t bytes;		/* the steps' files: streamed per inference
				 * (sealed: with headers and tags) */
	uint64_t macs;		/* the whole model's */
	size_t refused_need;	/* after a refusal: what the shortest step
				 * at the layer that did not fit needs */
};

/*
 * The TA heap a step takes while it runs (RUN_HELD): its model file, its
 * arena, the plan struct (sizeof(struct tl_plan)), the held input and
 * the output that replaces it. Block headers and the TA's session state
 * are the caller's to leave out of the budget.
 */
size_t tl_baseline_need(size_t file, size_t arena, size_t in_bytes,
			size_t out_bytes);

/*
 * Splits the .tlm blob (size bytes, 16-byte aligned) into steps whose need
 * is at most budget. A step boundary is only placed where exactly one
 * activation crosses it (so a shortcut or route never spans steps: the
 * TA holds one activation between steps); among those, each step is the
 * longest that fits. A layer (or a run of layers no boundary can cut)
 * larger than the budget is refused, naming the layers and the bytes.
 * 0 on success; on failure err holds one sentence and *out is empty but
 * for refused_need (0 when the failure is not about the budget), so that
 * a caller may retry with a larger heap.
 */
int tl_baseline_split(const void *blob, size_t size, size_t budget,
		      struct tl_baseline *out, char *err, size_t err_len);

void tl_baseline_free(struct tl_baseline *b);

/*
 * Seals every step for key (SZ_KEY_BYTES bytes; tl_tlme.h), so that the
 * steps cross the normal world as ciphertext, as an encrypted Smart-Zone
 * model does; the TA then decrypts each step on every inference, through
 * its secure bounce buffer, which the budget must leave room for. 0, or
 * -1 with a sentence in err (steps sealed before the failure stay so).
 */
int tl_baseline_seal(struct tl_baseline *b, const uint8_t *key, char *err,
		     size_t err_len);

/* Multiply-adds of one layer of an opened model (convolution: output
 * pixels x filters x c/groups x size^2; connected: its weights; 1.1's
 * eltwise and layernorm: one per output element; the others none), as
 * Darknet counts them. */
uint64_t tl_baseline_layer_macs(const struct tl_model *m, uint32_t layer);

/*
 * One inference of b through client c (connected, no model loaded):
 * input (b->in_elements floats) in, output (b->out_elements floats) out.
 * Each step's file crosses in LOAD_CHUNKs of chunk bytes (at least
 * SZ_HEADER_BYTES) through temporary memrefs (TEEC_MEMREF_TEMP_INPUT, as
 * the public code sends them). mode is SZ_MODE_STRICT or SZ_MODE_FAST.
 * Returns TL_CLIENT_OK or a tl_client_status; err names the command and
 * the step.
 */
int tl_baseline_infer(struct tl_client *c, const struct tl_baseline *b,
		      size_t chunk, uint32_t mode, const float *input,
		      float *output, char *err, size_t err_len);

#endif
