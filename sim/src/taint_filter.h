/*
 * A quick first test for the leakage check's lookups (taint.c): a bit
 * array over the first 8 bytes of every secret chunk of a call. The
 * check looks up every 16-byte window at every byte offset of the bytes
 * it is given and of the normal world's memory; almost none is a secret,
 * and a clear bit says so for one multiply and one load, where the full
 * lookup hashes 16 bytes and probes a table that may not be in cache.
 * A set bit only sends the window on to that lookup: the filter never
 * changes what the check finds. About 32 bits a secret keep false hits
 * near 3%.
 */
#ifndef SIM_TAINT_FILTER_H
#define SIM_TAINT_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sim_filter {
	uint64_t *bits;		/* NULL: every window passes */
	unsigned shift;		/* 64 - log2(bits) */
};

static inline uint64_t sim_filter_slot(const struct sim_filter *f,
				       const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return (v * 0x9E3779B97F4A7C15ull) >> f->shift;
}

/* A filter sized for n secrets (all bits clear); with no memory, one
 * that lets everything through. */
static inline void sim_filter_init(struct sim_filter *f, size_t n)
{
	unsigned log2 = 16;
	while (log2 < 30 && (1ull << log2) < 32 * (uint64_t)n)
		log2++;
	f->shift = 64 - log2;
	f->bits = calloc((1ull << log2) / 64, sizeof *f->bits);
}

static inline void sim_filter_add(struct sim_filter *f, const uint8_t *p)
{
	if (f->bits != NULL) {
		uint64_t s = sim_filter_slot(f, p);
		f->bits[s / 64] |= 1ull << (s % 64);
	}
}

/* The top 32 bits of the product a slot is taken from: enough to find
 * a secret's slot in any filter (at most 2^30 bits) without its bytes. */
static inline uint32_t sim_filter_mark(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return (uint32_t)((v * 0x9E3779B97F4A7C15ull) >> 32);
}

static inline void sim_filter_add_mark(struct sim_filter *f, uint32_t mark)
{
	if (f->bits != NULL) {
		uint64_t s = mark >> (f->shift - 32);
		f->bits[s / 64] |= 1ull << (s % 64);
	}
}

/* false: the 16 bytes at p are no secret the filter was given. */
static inline bool sim_filter_may(const struct sim_filter *f,
				  const uint8_t *p)
{
	if (f->bits == NULL)
		return true;
	uint64_t s = sim_filter_slot(f, p);
	return (f->bits[s / 64] >> (s % 64)) & 1;
}

static inline void sim_filter_free(struct sim_filter *f)
{
	free(f->bits);
	f->bits = NULL;
}

#endif
