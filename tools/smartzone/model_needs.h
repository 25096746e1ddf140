/*
 * What a model asks of the secure world, from S-Tinylib's own checker and
 * planner: the numbers the memory planner takes (memmodel knows nothing
 * of models; ARCHITECTURE.md).
 */
#ifndef SZ_MODEL_NEEDS_H
#define SZ_MODEL_NEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "mm_plan.h"

/*
 * The TA's own memory beyond the model, until the TA (ta/) measures it:
 * - heap slack: the plan struct (sizeof(struct tl_plan), added at run
 *   time) plus SZ_TA_HEAP_EXTRA for session state and the allocator's
 *   headers (ASSUMED: OP-TEE's bget adds tens of bytes per block; the
 *   TA allocates a handful of blocks).
 * - stack: ASSUMED 16 KiB; S-Tinylib's kernels keep their buffers in the
 *   arena, not on the stack, and its call chain is four deep.
 * - code: ASSUMED 256 KiB. Measured: S-Tinylib + Tinylibm text for
 *   aarch64 is 40 KiB (`aarch64-linux-gnu-size -t` on the two libraries);
 *   the dev kit's libutee/libutils and the TA's own code are not measured
 *   yet.
 */
#define SZ_TA_HEAP_EXTRA	0x4000ull
#define SZ_TA_STACK		0x4000ull
#define SZ_TA_CODE		0x40000ull

struct sz_model_needs {
	uint64_t file_size;	/* the .tlm: weights M_s + its tables */
	uint64_t weights_size;	/* the parameter bytes alone */
	uint64_t arena;		/* F_gc: tl_plan's arena */
	uint64_t lower_bound;	/* activation bytes alive at once */
	uint64_t heap_slack;	/* plan struct + SZ_TA_HEAP_EXTRA */
	uint32_t layers;
};

/*
 * Reads a .tlm, or a Darknet .cfg (with weights_path, or seeded weights:
 * the sizes do not depend on the values), checks it with tl_model_open
 * and plans its arena. On error writes one sentence naming the file.
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
