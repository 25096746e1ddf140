/*
 * S-Tinylib's arena planner: every tensor of a model gets an offset in one
 * arena, and tensors that are never alive at the same step share bytes.
 * The contract is tflite-micro's memory planner's: add a buffer with its
 * size and its first and last use, solve, read back offsets and the arena
 * size. Freestanding: no allocation, no globals, the caller hands in the
 * storage, so the planner can run inside the Trusted Application.
 *
 *   struct tl_plan_buffer bufs[64];
 *   int scratch[64];
 *   struct tl_planner p;
 *   tl_planner_init(&p, bufs, scratch, 64);
 *   int in  = tl_planner_add(&p, 3 * 32 * 32 * 4, 0, 0);   (read by layer 0)
 *   int act = tl_planner_add(&p, 16 * 32 * 32 * 4, 0, 1);  (layer 0 -> 1)
 *   int out = tl_planner_add(&p, 10 * 4, 1, 1);            (layer 1 writes)
 *   if (tl_planner_solve(&p) != 0)
 *           ... the sizes overflow size_t ...
 *   char *arena = ... tl_planner_arena_size(&p) bytes, 16-aligned ...
 *   float *x = (float *)(arena + tl_planner_offset(&p, act));
 *
 * Steps are layer indices; a buffer is alive from first_use to last_use,
 * both included, so a layer's input and output never share bytes. Every
 * size is rounded up to TL_PLAN_ALIGN for placement, so every offset and
 * the arena size are multiples of it.
 *
 * Placement is greedy: each buffer in turn at the lowest offset where it
 * fits beside the placed buffers alive with it. Three fixed orders are
 * tried (largest first; even first-use steps before odd ones, which meets
 * the lower bound on any chain; execution order) and the smallest arena
 * kept: deterministic, O(n^2) time, no memory beyond the caller's.
 */
#ifndef TL_PLANNER_H
#define TL_PLANNER_H

#include <stddef.h>

#define TL_PLAN_ALIGN 16

struct tl_plan_buffer {
	size_t size;		/* bytes, as asked */
	int first_use;		/* the first step that touches it */
	int last_use;		/* the last one, included */
	size_t offset;		/* set by solve; SIZE_MAX until then */
};

struct tl_planner {
	struct tl_plan_buffer *buffers;	/* the caller's, capacity entries */
	int count, capacity;
	int *order;		/* the caller's scratch, capacity entries */
	size_t arena_size;	/* set by solve; 0 until then */
};

/* An empty planner for up to capacity buffers; storage and order_scratch
 * hold capacity entries each and stay the caller's. */
void tl_planner_init(struct tl_planner *p, struct tl_plan_buffer *storage,
		     int *order_scratch, int capacity);

/* The new buffer's id (0, 1, ...), or -1 when the planner is full or
 * first_use > last_use. Adding invalidates an earlier solve. */
int tl_planner_add(struct tl_planner *p, size_t size, int first_use,
		   int last_use);

/* Places every buffer: 0, or -1 when the arena would not fit in size_t
 * (then every offset stays SIZE_MAX and the arena size 0). */
int tl_planner_solve(struct tl_planner *p);

/* The buffer's offset after a successful solve; SIZE_MAX before it, or
 * for an id the planner never gave. */
size_t tl_planner_offset(const struct tl_planner *p, int id);

/* The bytes the arena needs after a successful solve; 0 before it. */
size_t tl_planner_arena_size(const struct tl_planner *p);

/* The most bytes alive at any one step (sizes rounded up to
 * TL_PLAN_ALIGN): no placement can do with less. SIZE_MAX on overflow. */
size_t tl_planner_lower_bound(const struct tl_planner *p);

#endif
