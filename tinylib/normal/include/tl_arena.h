/*
 * An arena for tl_run on the host (the benchmarks, the tools): aligned to
 * TL_ARENA_FAST_ALIGN (tl_engine.h: a cache line, where AVX-512 runs 3-4%
 * faster than on tl_run's TL_ALIGN), freed with free(). The TA takes its
 * arena from its own heap (ta/heap.c).
 */
#ifndef TL_ARENA_H
#define TL_ARENA_H

#include <stddef.h>

/* bytes (at least one allocated, so that 0 still gives a buffer) or NULL
 * when out of memory */
void *tl_arena_alloc(size_t bytes);

#endif
