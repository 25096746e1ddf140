/*
 * What a model asks of the secure world, from S-Tinylib's own checker and
 * planner: the numbers the memory planner takes (memmodel knows nothing
 * of models; ARCHITECTURE.md).
 */
#ifndef SZ_MODEL_NEEDS_H
#define SZ_MODEL_NEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_plan.h"

/*
 * The TA's own memory beyond the model, as the TA (ta/) takes it:
 * - heap: the plan struct (sizeof(struct tl_plan)) and RUN's secure
 *   copies of the input and the output, added per model, plus
 *   SZ_TA_HEAP_EXTRA: the session state, each block's 16-byte header and
 *   alignment slack, and the SZ_HEAP_RESERVE (2 KiB, ta/sz_ta.h) the TA
 *   keeps free for libutee's own blocks and bget's slack in OP-TEE.
 *   Measured: the TA's heap peak beyond model + arena + plan + input +
 *   output is 428 bytes for the digits model, with the reserve 2,476
 *   (REPORT's heap_peak, equal to the simulator's heap to the byte;
 *   build/host/bin/test_ta_load). 4 KiB leaves 1.6 KiB to spare.
 * - stack: measured 3,368 bytes used on x86-64 and 1,744 on aarch64
 *   (-O2, the TA stack's high-water mark in the simulator over loading,
 *   running and REPORT of the digits and tiny models, plaintext and
 *   encrypted: build/host/bin/test_ta_load, test_ta_encrypted, and the
 *   same under qemu-aarch64); 8 KiB is more than twice that. OP-TEE adds
 *   its own TA_FRAMEWORK_STACK_SIZE for libutee's entry on top.
 * - code: measured 164,394 bytes for the dev-kit build against OP-TEE
 *   4.10.0 (`make -C ta TA_DEV_KIT_DIR=.../export-ta_arm64`, docs/ta.md):
 *   `aarch64-linux-gnu-size` of the TA's ELF gives text 148,734 + data
 *   1,140 + bss 202,936, of which 188,416 are the heap
 *   (ta_heap[TA_DATA_SIZE]); 0x29000 is that rounded up to 4 KiB. Of
 *   the text and read-only data (its link map): libutee 48 KiB, S-Tinylib
 *   28 KiB with both kernel modes, mbedTLS 21 KiB (libutee links it),
 *   libutils 13 KiB, Tinylibm 6 KiB, the TA's own code 5 KiB.
 */
#define SZ_TA_HEAP_EXTRA	0x1000ull
/* An encrypted model also takes the TA's secure bounce buffer for the
 * ciphertext, 16 KiB (SZ_BOUNCE_BYTES, ta/sz_ta.h). Its input and output
 * sizes are not in its clear header; each lives in the arena while the
 * model runs, so the arena bounds each: RUN's copies are counted as two
 * arenas (an over-ask of at most that much). */
#define SZ_TA_DECRYPT_EXTRA	0x4000ull
#define SZ_TA_STACK		0x2000ull
#define SZ_TA_CODE		0x29000ull

struct sz_model_needs {
	uint64_t file_size;	/* the .tlm: weights M_s + its tables */
	uint64_t weights_size;	/* the parameter bytes alone */
	uint64_t arena;		/* F_gc: tl_plan's arena */
	uint64_t lower_bound;	/* activation bytes alive at once */
	uint64_t heap_slack;	/* plan struct + input + output +
				 * SZ_TA_HEAP_EXTRA */
	uint32_t layers;
	uint64_t input_bytes;	/* RUN's input and output (0 for an */
	uint64_t output_bytes;	/* encrypted model: not in its header) */
	bool encrypted;		/* a .tlme: sizes from its clear header,
				 * weights_size, lower_bound, layers 0 */
};

/* The model file's bytes: a .tlm or .tlme as it is, a Darknet .cfg
 * converted (with weights_path, or seeded weights). malloc'd. */
int sz_model_blob(const char *path, const char *weights_path,
		  uint8_t **blob, size_t *size, char *err, size_t err_len);

/* The needs of a model already in memory (what sz_model_blob gave). */
int sz_model_needs_blob(const char *path, const uint8_t *blob, size_t size,
			struct sz_model_needs *out, char *err, size_t err_len);

/*
 * Reads a .tlm, or a Darknet .cfg (with weights_path, or seeded weights:
 * the sizes do not depend on the values), checks it with tl_model_open
 * and plans its arena; of an encrypted .tlme, reads its clear header.
 * On error writes one sentence naming the file.
 */
int sz_model_needs_load(const char *path, const char *weights_path,
			struct sz_model_needs *out, char *err, size_t err_len);

/* The planner's input for these needs on platform p. */
struct mm_plan_input sz_model_plan_input(const struct sz_model_needs *n,
					 const struct mm_platform *p,
					 unsigned sessions);

/* The model's name: the file name without directory and extension. */
void sz_model_name(const char *path, char *out, size_t len);

#endif
