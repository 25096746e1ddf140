/*
 * The TA heap behind TEE_Malloc (sim/src/heap.c): first fit over exactly
 * TA_DATA_SIZE bytes, its block headers inside those bytes as in OP-TEE's
 * bget pool. The simulator gives every instance one; the Unicorn runner
 * (sim/unicorn/) lays one over the guest's heap pages, so that the TA's
 * own accounting (ta/heap.c) meets the same allocator in both.
 */
#ifndef SIM_HEAP_H
#define SIM_HEAP_H

#include <stdbool.h>
#include <stdint.h>

struct sim_heap {
	uint8_t *base;
	uint64_t size;		/* TA_DATA_SIZE */
	uint64_t used, peak;	/* bytes in live blocks, headers included */
	uint64_t hwm;		/* highest byte offset ever handed out */
};

void sim_heap_init(struct sim_heap *h, uint8_t *base, uint64_t size);
void *sim_heap_alloc(struct sim_heap *h, uint64_t size);
/* 0 when p was a live block and is freed, -1 when p is no block. */
int sim_heap_free(struct sim_heap *h, void *p);
/* NULL when out of memory (p stays); *bad set when p is no block. */
void *sim_heap_realloc(struct sim_heap *h, void *p, uint64_t size, bool *bad);
/* Calls fn on the payload of every block, live or free, below the
 * high-water mark: what the TA stored there, without the headers. */
void sim_heap_payloads(const struct sim_heap *h,
		       void (*fn)(const uint8_t *p, uint64_t n, void *arg),
		       void *arg);

#endif
