/*
 * The leakage check's secrets, as taint.c and the table it keeps between
 * calls (taint_kept.c) share them.
 *
 * A call's own table holds the secrets of the heap pages written since
 * the last check, of the stack and of the core's keys. The kept table
 * holds the heap's secrets the normal world did not know at an earlier
 * check, on pages not written since: a decrypted model's weights, an
 * arena after an inference. Without it such pages were hashed again at
 * every call, and loading an encrypted model cost the square of its
 * size (mobilenet_v1: 47 s for a 0.3 s run). An entry whose page was
 * written since is stale: its bytes no longer equal its hash, so no
 * lookup (which compares the bytes) finds it, and the table drops it
 * when it is made anew.
 */
#ifndef SIM_TAINT_KEPT_H
#define SIM_TAINT_KEPT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "taint_filter.h"

#define CHUNK 16u

struct secret {
	uint64_t h;
	const uint8_t *at;	/* NULL: empty slot */
	const char *what;
	bool known;
	bool kept;		/* a copy of a kept entry (sim_kept_find) */
	uint32_t looked_up;	/* the call it was searched for in the
				 * given bytes (sim_known's count), 0:
				 * never */
};

static inline uint64_t sim_load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* A 64-bit hash of 16 bytes (multiply-xorshift mixing, the finaliser of
 * SplitMix64); never 0, which marks an empty slot. */
static inline uint64_t sim_hash16(const uint8_t *p)
{
	uint64_t h = sim_load64(p) * 0x9E3779B97F4A7C15ull ^
		     (sim_load64(p + 8) + 0x632BE59BD9B4E019ull) *
			     0xC2B2AE3D27D4EB4Full;
	h ^= h >> 30;
	h *= 0xBF58476D1CE4E5B9ull;
	h ^= h >> 27;
	h *= 0x94D049BB133111EBull;
	h ^= h >> 31;
	return h ? h : 1;
}

/* The entry of an open-addressed table of cap slots (a power of two)
 * whose bytes equal p's, or NULL. */
static inline struct secret *sim_secret_find(const struct secret *e,
					     size_t cap, const uint8_t *p,
					     uint64_t h)
{
	for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (e[i].at == NULL)
			return NULL;
		if (e[i].h == h && memcmp(e[i].at, p, CHUNK) == 0)
			return (struct secret *)&e[i];
	}
}

/* A kept secret: half a call's entry, since the table grows to several
 * times a decrypted model and the kernel's zeroing of its pages was
 * most of what keeping cost. Always on the heap, unknown when kept
 * (whether the normal world learnt it since, the known set tells). */
struct sim_kept_entry {
	uint64_t h;		/* 0: empty slot */
	uint32_t chunk;		/* the heap's byte CHUNK x chunk */
	uint32_t mark;		/* its filter mark: a table made anew
				 * reads no heap bytes to fill its filter */
};

#define SIM_KEPT_DEAD UINT32_MAX	/* a chunk: dropped by a sweep */

struct sim_kept {
	const uint8_t *heap;
	struct sim_kept_entry *e;
	size_t cap, n;		/* n counts stale entries too */
	struct sim_filter filter;	/* of every entry since made anew */
	/* a bit a heap page: written since the table was made anew; the
	 * entries on other pages stand without hashing their bytes */
	uint64_t *written;
	uint64_t pages;
};

static inline const uint8_t *sim_kept_at(const struct sim_kept *k,
					 const struct sim_kept_entry *e)
{
	return k->heap + (uint64_t)e->chunk * CHUNK;
}

/* The kept entry whose bytes equal p's, or NULL. */
static inline struct sim_kept_entry *sim_kept_find(struct sim_kept *k,
						   const uint8_t *p,
						   uint64_t h)
{
	if (k == NULL || k->n == 0)
		return NULL;
	for (size_t i = h & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
		struct sim_kept_entry *e = &k->e[i];
		if (e->h == 0)
			return NULL;
		if (e->h == h && memcmp(sim_kept_at(k, e), p, CHUNK) == 0)
			return e;
	}
}

/* false: the 16 bytes at p are no kept secret (inline: asked of every
 * window the scan looks up). */
static inline bool sim_kept_may(const struct sim_kept *k, const uint8_t *p)
{
	return k != NULL && k->n && sim_filter_may(&k->filter, p);
}

/* Fetches ahead the slot that keeping s will touch. */
static inline void sim_kept_prefetch(const struct sim_kept *k,
				     const struct secret *s)
{
	if (k != NULL && k->e != NULL)
		__builtin_prefetch(&k->e[s->h & (k->cap - 1)]);
}

/* What sim_kept_add did with a secret. */
enum sim_kept_add {
	SIM_KEPT_HELD,		/* kept (or already, at the same place) */
	SIM_KEPT_ELSEWHERE,	/* its bytes are kept at another place */
	SIM_KEPT_FAILED,	/* no room reserved */
};

/* Room for more new entries of the heap at heap, the stale and known
 * ones swept out if the table must be made anew (known(arg, h): whether
 * the normal world has learnt the bytes of hash h since: asked of the
 * entries on pages written since, which are hashed again); false: out
 * of memory. */
bool sim_kept_reserve(struct sim_kept **k, const uint8_t *heap, size_t more,
		      bool (*known)(const void *arg, uint64_t h),
		      const void *arg);
/* Notes that heap page pg was written (its entries may be stale). */
void sim_kept_written(struct sim_kept *k, uint64_t pg);
/* Keeps the heap's secret s, within what was reserved. */
enum sim_kept_add sim_kept_add(struct sim_kept *k, const struct secret *s);
void sim_kept_free(struct sim_kept *k);

#endif
