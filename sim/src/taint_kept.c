/*
 * The leakage check's secrets kept between calls (taint_kept.h says
 * why). Entries go stale when their page is written; rather than find
 * them then (the bytes they stood for are gone), the table sweeps them
 * out when a call's new entries would fill it past three quarters,
 * into a table at most half full: every sweep follows new entries in
 * proportion to what it reads, so keeping costs each secret a
 * constant, and the table follows the live secrets down as well as up.
 */
#include <stdlib.h>

#include "sim_internal.h"
#include "taint_kept.h"

static void put(struct sim_kept *k, const struct sim_kept_entry *e)
{
	size_t i = e->h & (k->cap - 1);
	while (k->e[i].h != 0)
		i = (i + 1) & (k->cap - 1);
	k->e[i] = *e;
	k->n++;
	sim_filter_add_mark(&k->filter, e->mark);
}

/* Whether n entries fit: up to three quarters full (linear probing
 * stays short, four entries a cache line, and a decrypted model of
 * 2^20 chunks fits 2^21 slots, not 2^22). */
static bool fits(const struct sim_kept *k, size_t n)
{
	return 4 * n <= 3 * k->cap;
}

static bool page_written(const struct sim_kept *k, uint64_t pg)
{
	return pg >= k->pages || (k->written[pg / 64] >> (pg % 64) & 1);
}

void sim_kept_written(struct sim_kept *k, uint64_t pg)
{
	if (k == NULL || k->e == NULL)	/* no entries yet */
		return;
	if (pg >= k->pages) {
		uint64_t words = pg / 64 + 1, had = (k->pages + 63) / 64;
		uint64_t *w = realloc(k->written, words * sizeof *w);
		if (w == NULL) {	/* every page counts as written */
			k->pages = 0;
			return;
		}
		memset(w + had, 0, (words - had) * sizeof *w);
		k->written = w;
		k->pages = words * 64;
	}
	k->written[pg / 64] |= 1ull << (pg % 64);
}

/* Whether an entry still stands for a secret: its bytes unchanged since
 * it was made, and not learnt by the normal world since. An entry on a
 * page not written since the table was made anew stands as it did (a
 * sweep that hashed every entry's bytes again cost as much as keeping
 * them); one the normal world has learnt meanwhile stays until its page
 * is written, and is found known when it is looked up. */
static bool live(const struct sim_kept *k, const struct sim_kept_entry *e,
		 bool (*known)(const void *arg, uint64_t h), const void *arg)
{
	if (e->h == 0 || e->chunk == SIM_KEPT_DEAD)
		return false;
	uint64_t pg = (uint64_t)e->chunk * CHUNK / SIM_PG;
	return !page_written(k, pg) ||
	       (sim_hash16(sim_kept_at(k, e)) == e->h && !known(arg, e->h));
}

/* Marks the entries that no longer stand for a secret dead (the table
 * is made anew next, so they need not stay where they are); gives how
 * many are left. */
static size_t sweep(struct sim_kept *k,
		    bool (*known)(const void *arg, uint64_t h),
		    const void *arg)
{
	size_t n = 0;
	for (size_t i = 0; i < k->cap; i++) {
		if (k->e[i].h == 0)
			continue;
		if (live(k, &k->e[i], known, arg))
			n++;
		else
			k->e[i].chunk = SIM_KEPT_DEAD;
	}
	return n;
}

/* A table of cap slots with the entries of k not marked dead, each
 * batch's slots fetched ahead. */
static bool rebuild(struct sim_kept *k, size_t cap)
{
	struct sim_kept nk = { k->heap, sim_huge_zeroed(cap * sizeof(struct sim_kept_entry)), cap, 0, { 0 },
			       k->written, k->pages };
	if (nk.e == NULL)
		return false;
	/* a filter for an eighth of the slots, not the most the table
	 * may hold: asked only of the normal world's bytes the scan reads
	 * (a few pages a call), it would cost every put a cache miss */
	sim_filter_init(&nk.filter, cap / 8);
	for (size_t i = 0; i < k->cap;) {
		const struct sim_kept_entry *e[16];
		unsigned m = 0;
		for (; m < 16 && i < k->cap; i++) {
			if (k->e[i].h == 0 || k->e[i].chunk == SIM_KEPT_DEAD)
				continue;
			e[m] = &k->e[i];
			__builtin_prefetch(&nk.e[e[m++]->h & (cap - 1)]);
		}
		for (unsigned j = 0; j < m; j++)
			put(&nk, e[j]);
	}
	sim_huge_free(k->e, k->cap * sizeof *k->e);
	sim_filter_free(&k->filter);
	*k = nk;
	if (k->written != NULL)
		memset(k->written, 0, (k->pages / 64) * sizeof *k->written);
	return true;
}

bool sim_kept_reserve(struct sim_kept **kp, const uint8_t *heap, size_t more,
		      bool (*known)(const void *arg, uint64_t h),
		      const void *arg)
{
	struct sim_kept *k = *kp;
	if (k == NULL && (k = *kp = calloc(1, sizeof *k)) == NULL)
		return false;
	k->heap = heap;
	if (k->e != NULL && fits(k, k->n + more))
		return true;
	/* at most half full after the sweep: at least a quarter of the
	 * slots fill before the next one, which reads them all */
	size_t need = 2 * ((k->e ? sweep(k, known, arg) : 0) + more);
	size_t cap = 1024;
	while (cap < need)
		cap *= 2;
	return rebuild(k, cap);
}

enum sim_kept_add sim_kept_add(struct sim_kept *k, const struct secret *s)
{
	if (k == NULL || k->e == NULL || !fits(k, k->n + 1))
		return SIM_KEPT_FAILED;	/* more than was reserved */
	uint32_t chunk = (uint32_t)((uint64_t)(s->at - k->heap) / CHUNK);
	/* one walk: the entry with its bytes, or the empty slot it takes */
	size_t i = s->h & (k->cap - 1);
	for (; k->e[i].h != 0; i = (i + 1) & (k->cap - 1)) {
		const struct sim_kept_entry *e = &k->e[i];
		if (e->h == s->h &&
		    memcmp(sim_kept_at(k, e), s->at, CHUNK) == 0)
			return e->chunk == chunk ? SIM_KEPT_HELD
						 : SIM_KEPT_ELSEWHERE;
	}
	k->e[i] = (struct sim_kept_entry){ s->h, chunk,
					   sim_filter_mark(s->at) };
	k->n++;
	sim_filter_add_mark(&k->filter, k->e[i].mark);
	return SIM_KEPT_HELD;
}

void sim_kept_free(struct sim_kept *k)
{
	if (k != NULL) {
		free(k->written);
		sim_huge_free(k->e, k->cap * sizeof *k->e);
		sim_filter_free(&k->filter);
	}
	free(k);
}
