/*
 * The leakage (taint) check, by content: after every open and invoke,
 * no secret byte may be readable by the normal world, other than the
 * declared output. A host build can not follow every instruction (the
 * Unicorn runner will), so the check compares contents:
 *
 * 1. Secrets: the running instance's heap blocks (live and freed, up to
 *    the highest byte ever handed out; not the allocator's headers), its
 *    stack, and the key bytes the core holds for it, cut into 16-byte
 *    chunks at 16-byte aligned addresses. Skipped:
 *    chunks of little content (14 or more bytes of one value: zeros,
 *    fills, a small field in zeros), and chunks the normal
 *    world knows: those that appear, at any offset, in the input memrefs
 *    of this call (snapshotted before the TA ran) or of any earlier call
 *    of the instance, or in a declared output it was given, each taken
 *    also with zeros around it. A chunk that is a secret when the bytes
 *    come is learned then (a hash); one the TA makes later from them (a
 *    field of its model decoded onto its stack) is looked up in the
 *    instance's record of those bytes when the scan finds it.
 * 2. The normal world's memory: the whole static shared pool and every
 *    registered buffer, minus the declared outputs (the output memrefs
 *    of a successful call, up to the size the TA gave them); the files
 *    of the persistent store when the call wrote to it; and the secrets'
 *    own pages when the region set lets the normal world read them (a
 *    planning error: TZDRAM not withheld from the normal world).
 *    Every 16-byte window at every byte offset is looked up (but for
 *    windows of the pool's clean pages, pool_watch.c, and of inputs the
 *    TA left as they came, which can equal no unknown secret).
 *
 * The cost follows what the TA writes, not what it holds: the heap pages
 * hashed are those written since the last check (page_watch.c); the
 * secrets of the others are those the check found there before, kept
 * (taint_kept.h; docs/simulator.md, "Its cost").
 * 3. A window equal to a secret chunk is a leak: a violation with the
 *    normal-world address, the secret's address, and the run's length;
 *    unless the call left it as the normal world had it: its bytes in
 *    shared buffers what they held before the call (every buffer is
 *    snapshotted with the inputs, and takes what the double-fetch trap
 *    writes there for the normal world), any byte outside every buffer
 *    zero.
 *    The TA did not write such a window, the normal world did, so it
 *    knew it whatever it equals (a window of a model's table the normal
 *    world left in its window beyond the last chunk, which the TA then
 *    decodes onto its stack; a buffer's last bytes and the zeros after
 *    it).
 *
 * What it catches: any copy of 31 or more contiguous secret bytes (such
 * a run always holds one whole aligned chunk), wherever the TA wrote it
 * in shared memory: past its declared output, into an input, into a
 * buffer it was not given, through an error return. Copies of 16 to 30
 * bytes when they happen to hold an aligned chunk.
 * What it misses: leaks of fewer than 16 bytes; transformed bytes
 * (encrypted, XORed, shifted by a bit, one value per float); secrets in
 * normal-world memory the simulator does not model (the client's private
 * memory the TA never received); timing; and bytes equal to something the
 * normal world supplied (by design: those are not secret).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"
#include "taint_kept.h"

#define MAX_REPORTS	16	/* per call: one bad TA can not flood */

struct sim_known {
	uint64_t *slot;		/* 0: empty */
	size_t cap, n;
	/* every byte the normal world gave the instance (inputs, declared
	 * outputs), each run with CHUNK - 1 zeros either side: a secret
	 * chunk first made after the bytes came (a field the TA decodes
	 * from its model onto its stack) is looked up here when it is
	 * found in the normal world's memory */
	uint8_t *given;
	size_t given_n, given_cap;
	/* per heap page whether it held no secret at the last call but
	 * those kept at their place (every other chunk known or of little
	 * content): such a page, not written since (page_watch.c), holds
	 * the same now (the known set only grows), so a call hashes only
	 * the pages that were written (and the few that hold an unknown
	 * secret's bytes a second time), and loading a model, plain or
	 * encrypted, costs its chunks, not its square */
	uint64_t *quiet;	/* a bit a page */
	uint64_t pages;
	size_t last_n;		/* secrets the last call had */
	/* the last call's table, kept for the next: a large one is a
	 * mapping of its own, and a new one at every call cost the
	 * kernel more time zeroing pages than the check took */
	struct secret *spare;
	uint32_t *spare_slot;
	size_t spare_cap;
	/* the heap's secrets of earlier calls (taint_kept.h) */
	struct sim_kept *kept;
	uint32_t calls;		/* checks made: the epoch of looked_up */
};

/* A heap page's chunk that equals an entry made from another place. */
struct dup {
	uint64_t pg, h;
};

/* The call's secrets: the entries one after another, found through an
 * index of cap slots (at most half full) that holds each one's place
 * plus one (0: empty). A call's passes over its secrets (the known set
 * asked, the filter filled, the kept table fed) read n entries, not
 * cap, and a fresh table clears 4 bytes a slot, not an entry. */
struct table {
	struct secret *e;	/* cap / 2 of them */
	uint32_t *slot;
	size_t cap, n;
	struct sim_filter filter;	/* of every entry, once built */
	bool incomplete;		/* out of memory: secrets left out */
	/* an entry stands for one place of its bytes: the other heap
	 * pages that hold them are noted, to be loud with it */
	struct dup *dup;
	size_t n_dup, cap_dup;
	bool dup_lost;			/* out of memory: a page not noted */
};

/* A shared buffer's bytes before the call. */
struct snapshot {
	const uint8_t *host;
	uint8_t *copy;
	uint64_t n;
};

struct sim_taint_call {
	struct sim_instance *inst;
	struct {
		uint8_t *p;
		uint64_t n;
	} in[4];
	struct snapshot *shared;	/* every shared buffer, before */
	size_t n_shared;
	size_t reports;
	unsigned session;
};

/* Fewer bytes than this besides the chunk's most common value, and the
 * chunk is no evidence: a normal-world window of random bytes (say
 * ciphertext) ending next to a zeroed page matches a secret chunk of one
 * small field in zeros, [0x0a, 0 x 15], once in 256 calls (seen with an
 * encrypted model's 32 KiB window); with three such bytes, once in 2^24
 * per chunk. */
#define MIN_CONTENT 3

/* Whether 16 - MIN_CONTENT + 1 or more of the chunk's bytes are one value
 * (zeros, fills, a small field in zeros). Such a value is among the first
 * MIN_CONTENT bytes, which can not all be the others. */
static bool low_content(const uint8_t *p)
{
	if ((sim_load64(p) | sim_load64(p + 8)) == 0)	/* the common case: zeros */
		return true;
	for (unsigned j = 0; j < MIN_CONTENT; j++) {
		unsigned same = 0;
		for (unsigned i = 0; i < CHUNK; i++)
			same += p[i] == p[j];
		if (same > CHUNK - MIN_CONTENT)
			return true;
	}
	return false;
}

/* ---- the known set: hashes, per instance ---- */

static bool known_has(const struct sim_known *k, uint64_t h)
{
	if (k == NULL || k->cap == 0)
		return false;
	for (size_t i = h & (k->cap - 1);; i = (i + 1) & (k->cap - 1)) {
		if (k->slot[i] == h)
			return true;
		if (k->slot[i] == 0)
			return false;
	}
}

/* The known set holds a hash for every chunk of a model, far more than
 * the cache does: a lookup that waits for each miss in turn was most of
 * the check's cost (AlexNet: 15.6 million chunks). The callers hash a
 * batch first and fetch its slots ahead. */
#define AHEAD 16

static void known_prefetch(const struct sim_known *k, uint64_t h)
{
	if (k != NULL && k->cap)
		__builtin_prefetch(&k->slot[h & (k->cap - 1)]);
}

/* The set doubled (it is kept at most half full). */
static bool known_grow(struct sim_known *k)
{
	size_t cap = k->cap ? k->cap * 2 : 64;
	uint64_t *s = sim_huge_zeroed(cap * sizeof *s);
	if (s == NULL)
		return false;
	for (size_t i = 0; i < k->cap; i++) {
		if (k->slot[i] == 0)
			continue;
		size_t j = k->slot[i] & (cap - 1);
		while (s[j])
			j = (j + 1) & (cap - 1);
		s[j] = k->slot[i];
	}
	sim_huge_free(k->slot, k->cap * sizeof *k->slot);
	k->slot = s;
	k->cap = cap;
	return true;
}

static void known_add(struct sim_instance *inst, uint64_t h)
{
	struct sim_known *k = inst->known;
	if (k == NULL && (k = inst->known = calloc(1, sizeof *k)) == NULL)
		return;
	/* one walk finds it or the empty slot it takes */
	size_t j = h & (k->cap - 1);
	for (; k->cap && k->slot[j]; j = (j + 1) & (k->cap - 1))
		if (k->slot[j] == h)
			return;
	if (2 * (k->n + 1) > k->cap) {
		if (!known_grow(k))
			return;
		for (j = h & (k->cap - 1); k->slot[j];
		     j = (j + 1) & (k->cap - 1))
			;
	}
	k->slot[j] = h;
	k->n++;
}

static void known_add_all(struct sim_instance *inst, const uint64_t *h,
			  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i + AHEAD < n)
			known_prefetch(inst->known, h[i + AHEAD]);
		known_add(inst, h[i]);
	}
}

void sim_taint_forget(struct sim_instance *inst)
{
	if (inst->known != NULL) {
		sim_huge_free(inst->known->slot,
			      inst->known->cap * sizeof *inst->known->slot);
		free(inst->known->given);
		free(inst->known->quiet);
		free(inst->known->spare);
		free(inst->known->spare_slot);
		sim_kept_free(inst->known->kept);
	}
	free(inst->known);
	inst->known = NULL;
}

/* Keeps p (n bytes the normal world gave) with zeros around it. */
static void remember_given(struct sim_instance *inst, const uint8_t *p,
			   uint64_t n)
{
	struct sim_known *k = inst->known;
	if (n == 0 ||
	    (k == NULL && (k = inst->known = calloc(1, sizeof *k)) == NULL))
		return;
	size_t need = k->given_n + (size_t)n + 2 * (CHUNK - 1);
	if (need > k->given_cap) {
		size_t cap = k->given_cap ? k->given_cap : 4096;
		while (cap < need)
			cap *= 2;
		uint8_t *g = realloc(k->given, cap);
		if (g == NULL)
			return;
		k->given = g;
		k->given_cap = cap;
	}
	memset(k->given + k->given_n, 0, CHUNK - 1);
	memcpy(k->given + k->given_n + CHUNK - 1, p, (size_t)n);
	memset(k->given + k->given_n + CHUNK - 1 + n, 0, CHUNK - 1);
	k->given_n = need;
}

/* Whether the normal world gave the instance the secret's bytes once
 * (searched at most once a secret, and only for one it is found to
 * hold: a real leak of many chunks costs one search each). */
static bool given_before(struct sim_instance *inst, struct secret *e)
{
	const struct sim_known *k = inst->known;
	if (e->known || k == NULL || e->looked_up == k->calls)
		return e->known;
	e->looked_up = k->calls;
	if (k->given_n &&
	    memmem(k->given, k->given_n, e->at, CHUNK) != NULL) {
		e->known = true;
		known_add(inst, e->h);
	}
	return e->known;
}

/* ---- the secrets of one call ---- */

static struct secret *find(const struct table *t, const uint8_t *p,
			   uint64_t h)
{
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i] == 0)
			return NULL;
		struct secret *e = &t->e[t->slot[i] - 1];
		if (e->h == h && memcmp(e->at, p, CHUNK) == 0)
			return e;
	}
}

struct collect {
	struct table *t;
	const struct sim_instance *inst;
	const uint8_t *page;	/* the heap page being hashed, or NULL */
};

static void note_dup(struct table *t, const uint8_t *heap,
		     const uint8_t *page, uint64_t h)
{
	if (t->n_dup == t->cap_dup) {
		size_t cap = t->cap_dup ? 2 * t->cap_dup : 64;
		struct dup *d = realloc(t->dup, cap * sizeof *d);
		if (d == NULL) {
			t->dup_lost = true;
			return;
		}
		t->dup = d;
		t->cap_dup = cap;
	}
	t->dup[t->n_dup++] = (struct dup){ (uint64_t)(page - heap) / SIM_PG,
					   h };
}

/* Places entry idx in the index. */
static void index_put(uint32_t *slot, size_t cap, uint64_t h, size_t idx)
{
	size_t i = h & (cap - 1);
	while (slot[i] != 0)
		i = (i + 1) & (cap - 1);
	slot[i] = (uint32_t)idx + 1;
}

/* Doubles the table (it is kept at most half full). */
static bool grow(struct table *t)
{
	size_t cap = t->cap * 2;
	uint32_t *slot = calloc(cap, sizeof *slot);
	struct secret *e = slot ? realloc(t->e, cap / 2 * sizeof *e) : NULL;
	if (e == NULL) {
		free(slot);
		return false;
	}
	for (size_t i = 0; i < t->n; i++)
		index_put(slot, cap, e[i].h, i);
	free(t->slot);
	t->e = e;
	t->slot = slot;
	t->cap = cap;
	return true;
}

/* A new entry for the bytes at at (not in the table); NULL when the
 * table can not grow (then it is marked incomplete). */
static struct secret *insert(struct table *t, uint64_t h, const uint8_t *at,
			     const char *what)
{
	if (2 * (t->n + 1) > t->cap && !grow(t)) {
		t->incomplete = true;
		return NULL;
	}
	index_put(t->slot, t->cap, h, t->n);
	t->e[t->n] = (struct secret){ h, at, what, false, false, 0 };
	return &t->e[t->n++];
}

static void add_secrets(const uint8_t *p, uint64_t n, const char *what,
			void *arg)
{
	struct collect *c = arg;
	struct table *t = c->t;
	for (uint64_t off = 0; off + CHUNK <= n;) {
		/* a batch hashed first, its slots fetched ahead: the
		 * table of an arena's secrets is far beyond the cache */
		const uint8_t *q[AHEAD];
		uint64_t h[AHEAD];
		unsigned m = 0;
		for (; m < AHEAD && off + CHUNK <= n; off += CHUNK) {
			if (low_content(p + off))
				continue;
			q[m] = p + off;
			h[m] = sim_hash16(q[m]);
			__builtin_prefetch(&t->slot[h[m++] & (t->cap - 1)]);
		}
		for (unsigned j = 0; j < m; j++) {
			const struct secret *e = find(t, q[j], h[j]);
			if (e != NULL && c->page != NULL &&
			    (e->at < c->page || e->at >= c->page + SIM_PG))
				note_dup(t, c->inst->heap_base, c->page, h[j]);
			if (e == NULL && insert(t, h[j], q[j], what) == NULL)
				return;
		}
	}
}

/* Marks the entries the normal world knew before this call. Done after
 * the call's own bytes are learnt: a chunk of a model being provisioned
 * is learnt from the chunk that brought it, and only the rest costs a
 * lookup in the known set, batched. */
static void resolve_known(const struct sim_known *k, struct table *t)
{
	if (k == NULL || k->n == 0)
		return;
	struct secret *e[AHEAD];
	for (size_t i = 0; i < t->n;) {
		unsigned m = 0;
		for (; m < AHEAD && i < t->n; i++) {
			if (t->e[i].known)
				continue;
			e[m] = &t->e[i];
			known_prefetch(k, e[m++]->h);
		}
		for (unsigned j = 0; j < m; j++)
			e[j]->known = known_has(k, e[j]->h);
	}
}

/* The quiet bits of the 64 heap pages from 64 x word on. */
static uint64_t quiet_bits(const struct sim_known *k, uint64_t word)
{
	if (k == NULL || word * 64 >= k->pages)
		return 0;
	uint64_t bits = k->quiet[word];
	if (k->pages < word * 64 + 64)
		bits &= ~(~0ull << (k->pages - word * 64));
	return bits;
}

/* Calls fn(pg, arg) for the heap pages in [first, end) that must be
 * hashed: every one but those that held no secret at the last call and
 * have not been written since. A call costs the pages written, not the
 * heap: a word of 64 quiet, unwritten pages is one test. */
static void each_loud_page(const struct sim_instance *inst, uint64_t first,
			   uint64_t end, void (*fn)(uint64_t pg, void *arg),
			   void *arg)
{
	for (uint64_t w = first / 64; w * 64 < end; w++) {
		uint64_t loud = ~quiet_bits(inst->known, w) |
				sim_watch_written_bits(inst, w);
		if (w == first / 64)
			loud &= ~0ull << (first % 64);
		if (end < w * 64 + 64)
			loud &= ~(~0ull << (end - w * 64));
		for (; loud; loud &= loud - 1)
			fn(w * 64 + (uint64_t)__builtin_ctzll(loud), arg);
	}
}

struct payload {
	struct collect *c;
	const uint8_t *p;
	uint64_t n;
};

static void add_payload_page(uint64_t pg, void *arg)
{
	const struct payload *a = arg;
	const uint8_t *page = a->c->inst->heap_base + pg * SIM_PG;
	const uint8_t *from = a->p > page ? a->p : page;
	const uint8_t *to = a->p + a->n < page + SIM_PG ? a->p + a->n
							 : page + SIM_PG;
	a->c->page = page;
	add_secrets(from, (uint64_t)(to - from), "the TA heap", a->c);
	a->c->page = NULL;
}

/* A block's payload, leaving out the quiet pages. */
static void add_heap_secrets(const uint8_t *p, uint64_t n, void *arg)
{
	struct payload a = { arg, p, n };
	uint64_t off = (uint64_t)(p - a.c->inst->heap_base);
	if (n)
		each_loud_page(a.c->inst, off / SIM_PG,
			       (off + n - 1) / SIM_PG + 1, add_payload_page,
			       &a);
}

struct requiet {
	const struct sim_instance *inst;
	struct sim_known *k;
	uint64_t pages;
};

static void set_quiet(const struct requiet *a, uint64_t pg, bool quiet)
{
	uint64_t bit = 1ull << (pg % 64);
	a->k->quiet[pg / 64] = quiet ? a->k->quiet[pg / 64] | bit
				     : a->k->quiet[pg / 64] & ~bit;
}

/* A page hashed this call: the kept entries on it may be stale. */
static void quiet_page(uint64_t pg, void *arg)
{
	const struct requiet *a = arg;
	set_quiet(a, pg, true);
	sim_kept_written(a->k->kept, pg);
}

static void loud_page(uint64_t pg, void *arg)
{
	const struct requiet *a = arg;
	set_quiet(a, pg, false);
	sim_kept_written(a->k->kept, pg);
}

/* The page of the heap that holds p loud, when the heap holds it. */
static void loud_at(const struct requiet *a, const uint8_t *p)
{
	const uint8_t *heap = a->inst->heap_base;
	if (p >= heap && p < heap + a->pages * SIM_PG)
		set_quiet(a, (uint64_t)(p - heap) / SIM_PG, false);
}

/* The entry for hash h, by hash alone (as the known set compares). */
static const struct secret *find_hash(const struct table *t, uint64_t h)
{
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i] == 0)
			return NULL;
		if (t->e[t->slot[i] - 1].h == h)
			return &t->e[t->slot[i] - 1];
	}
}

static bool known_to(const void *k, uint64_t h)
{
	return known_has(k, h);
}

#define KEEP_AHEAD 32

/* Whether the heap's secret e is kept for the next calls at its place:
 * its page then need not be hashed again until it is written. */
static bool keep(const struct requiet *a, const struct secret *e)
{
	const uint8_t *heap = a->inst->heap_base;
	if (e->at < heap || e->at >= heap + a->pages * SIM_PG ||
	    (uint64_t)(e->at - heap) / CHUNK >= SIM_KEPT_DEAD)
		return false;
	return sim_kept_add(a->k->kept, e) == SIM_KEPT_HELD;
}

/* The call's secrets the normal world does not know, kept for the next
 * calls; those that can not be (no memory, or their bytes kept at
 * another place) leave their page loud, to be hashed again. */
static void keep_all(const struct requiet *a, const struct table *t)
{
	size_t n = 0;
	const struct secret **e = malloc((t->n ? t->n : 1) * sizeof *e);
	for (size_t i = 0; e != NULL && i < t->n; i++)
		if (!t->e[i].known)
			e[n++] = &t->e[i];
	bool room = e != NULL &&
		    (n == 0 || sim_kept_reserve(&a->k->kept, a->inst->heap_base,
						n, known_to, a->k));
	for (size_t i = 0; room && i < n; i++) {
		/* the slots fetched well ahead: the kept table of a
		 * decrypted model is far beyond the cache */
		if (i + KEEP_AHEAD < n)
			sim_kept_prefetch(a->k->kept, e[i + KEEP_AHEAD]);
		if (!keep(a, e[i]))
			loud_at(a, e[i]->at);
	}
	for (size_t i = 0; !room && i < t->n; i++)
		if (!t->e[i].known)
			loud_at(a, t->e[i].at);
	free(e);
}

/* The pages hashed this call become quiet but those that hold a secret
 * the normal world does not know and not kept at its place: a secret
 * the kept table can not take, and the other heap pages noted as
 * holding an unknown secret's bytes. The rest of their chunks are of
 * little content, known (learnt now or before), kept, or no payload (an
 * allocator header, left out). This costs a pass over the call's
 * secrets, not a second hashing of the pages. */
static void requiet(const struct requiet *a, const struct table *t)
{
	if (t->dup_lost) {	/* not all places known: all stay loud */
		each_loud_page(a->inst, 0, a->pages, loud_page, (void *)a);
		return;
	}
	each_loud_page(a->inst, 0, a->pages, quiet_page, (void *)a);
	keep_all(a, t);
	for (size_t i = 0; i < t->n_dup; i++) {
		const struct secret *e = find_hash(t, t->dup[i].h);
		if (e != NULL && !e->known && t->dup[i].pg < a->pages)
			set_quiet(a, t->dup[i].pg, false);
	}
}

/* The memo for the next call: the heap's pages up to its high-water
 * mark, each quiet when it holds no secret the normal world does not
 * know. A page this call found quiet and not written stays so. Then the
 * watch starts again from here. */
static void remember_heap(struct sim_instance *inst, const struct table *t)
{
	struct sim_known *k = inst->known;
	uint64_t pages = SIM_PG_UP(inst->heap.hwm) / SIM_PG;
	if (k == NULL && (k = inst->known = calloc(1, sizeof *k)) == NULL)
		return;
	uint64_t words = pages / 64 + 1, had = k->pages ? k->pages / 64 + 1 : 0;
	if (words > had) {
		uint64_t *q = realloc(k->quiet, words * sizeof *q);
		if (q == NULL)
			return;
		memset(q + had, 0, (words - had) * sizeof *q);
		k->quiet = q;
	}
	struct requiet a = { inst, k, pages };
	requiet(&a, t);
	if (pages > k->pages)
		k->pages = pages;
	sim_watch_rearm(inst);
}

/* An empty table of cap slots: the spare when it is that size. */
static bool table_take(struct sim_known *k, struct table *t)
{
	if (k == NULL || k->spare == NULL || k->spare_cap != t->cap) {
		t->slot = calloc(t->cap, sizeof *t->slot);
		t->e = malloc(t->cap / 2 * sizeof *t->e);
		return t->slot != NULL && t->e != NULL;
	}
	t->e = k->spare;
	t->slot = k->spare_slot;
	k->spare = NULL;
	k->spare_slot = NULL;
	memset(t->slot, 0, t->cap * sizeof *t->slot);
	return true;
}

static void table_keep(struct sim_known *k, struct table *t)
{
	if (k == NULL || t->e == NULL || t->slot == NULL) {
		free(t->e);
		free(t->slot);
		t->e = NULL;
		t->slot = NULL;
		return;
	}
	free(k->spare);
	free(k->spare_slot);
	k->spare = t->e;
	k->spare_slot = t->slot;
	k->spare_cap = t->cap;
	t->e = NULL;
	t->slot = NULL;
}

static bool build(struct sim_instance *inst, struct table *t)
{
	sim_mem_expose(inst->stack, inst->stack_size);
	/* sized for as many secrets as the last call had (up to 2^20):
	 * a model's chunks come in calls alike, and each growth rehashes */
	size_t last = inst->known ? inst->known->last_n : 0;
	t->cap = 1024;
	while (t->cap < 2 * last && t->cap < (1u << 20))
		t->cap *= 2;
	t->n = 0;
	if (!table_take(inst->known, t))
		return false;
	struct collect c = { t, inst, NULL };
	sim_heap_payloads(&inst->heap, add_heap_secrets, &c);
	add_secrets(inst->stack, inst->stack_size, "the TA stack", &c);
	sim_crypto_secrets(inst, add_secrets, &c);
	if (inst->known != NULL)
		inst->known->last_n = t->n;
	sim_filter_init(&t->filter, t->n);
	for (size_t i = 0; i < t->n; i++)
		sim_filter_add(&t->filter, t->e[i].at);
	return true;
}

/* Every window of p that is a secret becomes known to the normal world:
 * p as it stands, and p with zeros before and after it, which is how a
 * copy of it sits at the start of a zeroed allocation, both in the TA's
 * heap and in a fresh pool page (its last bytes and the zeros after
 * them would otherwise look like a secret found in the pool). The
 * secrets kept from earlier calls are not asked about here: their
 * table's filter lies far beyond the cache, a miss for every window,
 * and a window of the given bytes equal to one is found known when the
 * scan meets it (given_before). */
static void learn(struct sim_instance *inst, struct table *t,
		  const uint8_t *p, uint64_t n)
{
	if (n == 0)
		return;
	uint8_t *padded = calloc(1, n + 2 * (CHUNK - 1));
	if (padded == NULL)
		return;
	memcpy(padded + CHUNK - 1, p, n);
	/* each entry is learnt once: at most t->n of them */
	uint64_t *learnt = malloc((t->n ? t->n : 1) * sizeof *learnt);
	size_t n_learnt = 0;
	for (uint64_t i = 0; i + CHUNK <= n + 2 * (CHUNK - 1); i++) {
		if (!sim_filter_may(&t->filter, padded + i))
			continue;
		uint64_t h = sim_hash16(padded + i);
		struct secret *e = find(t, padded + i, h);
		if (e != NULL && !e->known) {
			e->known = true;
			if (learnt != NULL)
				learnt[n_learnt++] = h;
			else
				known_add(inst, h);
		}
	}
	known_add_all(inst, learnt, n_learnt);
	free(learnt);
	free(padded);
}

/* The call's entry for a kept secret whose bytes are p's (hash h), made
 * on its first hit: the scan then marks it known or looked up for the
 * rest of the call as it does the call's own, and the keeping at the
 * end finds it kept already. */
static struct secret *from_kept(struct sim_instance *inst, struct table *t,
				const uint8_t *p, uint64_t h)
{
	struct sim_kept *k = inst->known->kept;
	struct sim_kept_entry *ke = sim_kept_find(k, p, h);
	if (ke == NULL)
		return NULL;
	struct secret *e = find(t, p, h);
	if (e == NULL)
		e = insert(t, h, sim_kept_at(k, ke), "the TA heap");
	if (e == NULL)
		return NULL;
	e->kept = true;
	/* the known set may have learnt its bytes since it was kept */
	if (known_has(inst->known, h))
		e->known = true;
	return e;
}

/* The secret whose bytes are p's: the call's, else one kept from an
 * earlier call. */
static struct secret *lookup(struct sim_instance *inst, struct table *t,
			     const uint8_t *p)
{
	const struct sim_kept *kept = inst->known ? inst->known->kept : NULL;
	bool in_call = sim_filter_may(&t->filter, p);
	bool in_kept = sim_kept_may(kept, p);
	if (!in_call && !in_kept)
		return NULL;
	uint64_t h = sim_hash16(p);
	struct secret *e = in_call ? find(t, p, h) : NULL;
	return e != NULL || !in_kept ? e : from_kept(inst, t, p, h);
}

/* ---- the scan of the normal world's memory ---- */

struct range {
	const uint8_t *p;
	uint64_t n;
};

struct scan {
	struct sim_taint_call *call;
	struct table *t;
	struct range excl[4];
	struct range given[4];	/* inputs the TA left as they came */
	uint64_t run_end;	/* host offset after the last reported run */
	struct sim_violation *last;
};

static bool zero_page(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i + 8 <= n; i += 8)
		if (sim_load64(p + i))
			return false;
	return true;
}

static void report(struct scan *s, const uint8_t *p, uint64_t phys,
		   const char *region, const struct secret *e)
{
	/* a window right after the last run extends it */
	if (s->last != NULL && p == (const uint8_t *)(uintptr_t)s->run_end) {
		s->last->len += CHUNK;
		s->run_end += CHUNK;
		return;
	}
	if (s->call->reports++ >= MAX_REPORTS) {
		s->last = NULL;
		return;
	}
	uint64_t secure = e->at >= sim_m.tz && e->at < sim_m.tz + sim_m.tz_size
				  ? sim_tz_phys(e->at) : 0;
	sim_violation_add(SIM_V_LEAK, phys, secure, CHUNK, s->call->session,
			  region, "TA %s: bytes of %s at 0x%llx are readable "
			  "by the normal world at 0x%llx (%s)",
			  s->call->inst->ta->name, e->what,
			  (unsigned long long)secure, (unsigned long long)phys,
			  region);
	s->last = &sim_m.viol[sim_m.n_viol - 1];
	s->run_end = (uint64_t)(uintptr_t)(p + CHUNK);
}

/* The byte at p before the call when a shared buffer holds it; false
 * when none does. */
static bool byte_before(const struct sim_taint_call *c, const uint8_t *p,
			uint8_t *v)
{
	for (size_t i = 0; i < c->n_shared; i++) {
		const struct snapshot *x = &c->shared[i];
		if (p >= x->host && (uint64_t)(p - x->host) < x->n) {
			*v = x->copy[p - x->host];
			return true;
		}
	}
	return false;
}

/* Whether the call left the window at p as the normal world had it:
 * each byte in a shared buffer what it held before the call, each byte
 * outside every buffer (pool memory no one holds) zero. Such a window
 * tells the normal world nothing new, whatever secret it equals (a
 * buffer's last bytes and the zeros after it, say). */
static bool unchanged(const struct sim_taint_call *c, const uint8_t *p)
{
	for (unsigned i = 0; i < CHUNK; i++) {
		uint8_t v = 0;
		if (!byte_before(c, p + i, &v) && p[i] != 0)
			return false;
		if (p[i] != v)
			return false;
	}
	return true;
}

/* Where the windows from p + i on leave an input the TA left as it came,
 * when p + i starts one wholly inside it (else i): such a window is one
 * of the bytes the normal world gave, learnt before the scan, so it can
 * never be a leak and is not looked up. */
static uint64_t past_given(const struct scan *s, const uint8_t *p, uint64_t i)
{
	for (int k = 0; k < 4; k++) {
		const struct range *x = &s->given[k];
		if (x->n >= CHUNK && p + i >= x->p &&
		    p + i + CHUNK <= x->p + x->n)
			return (uint64_t)(x->p + x->n - CHUNK + 1 - p);
	}
	return i;
}

/* Scans [p, p + n), normal-world address phys, skipping the excluded
 * ranges (windows must lie wholly outside them). */
static void scan(struct scan *s, const uint8_t *p, uint64_t n, uint64_t phys,
		 const char *region)
{
	s->last = NULL;
	for (uint64_t i = 0; i + CHUNK <= n;) {
		bool skipped = false;
		for (int k = 0; k < 4; k++) {
			const struct range *x = &s->excl[k];
			if (x->n && p + i < x->p + x->n && x->p < p + i + CHUNK) {
				i = (uint64_t)(x->p + x->n - p);
				skipped = true;
			}
		}
		if (skipped)
			continue;
		uint64_t past = past_given(s, p, i);
		if (past != i) {
			i = past;
			continue;
		}
		if (((uintptr_t)(p + i) & (SIM_PG - 1)) == 0 &&
		    i + SIM_PG <= n && zero_page(p + i, SIM_PG)) {
			i += SIM_PG - CHUNK + 1;	/* windows inside it */
			continue;
		}
		struct secret *e = lookup(s->call->inst, s->t, p + i);
		if (e != NULL && !given_before(s->call->inst, e) &&
		    !unchanged(s->call, p + i)) {
			report(s, p + i, phys + i, region, e);
			i += CHUNK;
			continue;
		}
		i++;
	}
}

/* The static pool, but for its clean pages (pool_watch.c): each run of
 * other pages with the windows that reach into it from either side,
 * which hold zeros of a clean page and bytes of the run. */
static void scan_pool(struct scan *s)
{
	uint64_t pages = sim_m.shm_size / SIM_PG;
	for (uint64_t pg = 0; pg < pages;) {
		if (sim_pool_watch_clean(pg)) {
			pg++;
			continue;
		}
		uint64_t end = pg;
		while (end < pages && !sim_pool_watch_clean(end))
			end++;
		uint64_t from = pg ? pg * SIM_PG - (CHUNK - 1) : 0;
		uint64_t to = end < pages ? end * SIM_PG + CHUNK - 1
					  : sim_m.shm_size;
		scan(s, sim_m.shm + from, to - from, sim_m.shm_start + from,
		     "shmem");
		pg = end;
	}
}

static void scan_storage(struct scan *s)
{
	char dir[520];
	sim_storage_dir(&s->call->inst->ta->uuid, dir, sizeof dir);
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		if (de->d_name[0] == '.')
			continue;
		char path[800], region[MM_NAME_MAX + 40];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		snprintf(region, sizeof region, "storage file %.16s...",
			 de->d_name);
		FILE *f = fopen(path, "rb");
		if (f == NULL)
			continue;
		uint8_t *buf = NULL;
		size_t n = 0, cap = 0, got;
		do {
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				uint8_t *b = realloc(buf, cap);
				if (b == NULL)
					break;
				buf = b;
			}
			got = fread(buf + n, 1, cap - n, f);
			n += got;
		} while (got > 0);
		fclose(f);
		scan(s, buf, n, 0, region);
		free(buf);
	}
	closedir(d);
}

/* Secrets on pages the region set lets the normal world read. */
static void scan_exposed(struct scan *s, const uint8_t *p, uint64_t n)
{
	for (uint64_t off = 0; off < n; off += SIM_PG) {
		const char *region;
		uint64_t phys = sim_tz_phys(p + off);
		if (!sim_nw_allowed(phys, false, &region)) {
			/* and every page that starts before the next region
			 * bound: one decision per region, not per page, or
			 * a heap of 250 MiB costs 64,000 at every call */
			uint64_t skip = sim_nw_same_until(phys) - phys;
			if (skip >= n - off)
				break;
			off += SIM_PG_UP(skip) - SIM_PG;
			continue;
		}
		uint64_t len = n - off < SIM_PG ? n - off : SIM_PG;
		for (uint64_t c = 0; c + CHUNK <= len; c += CHUNK) {
			const uint8_t *q = p + off + c;
			struct secret *e = low_content(q) ? NULL
					       : lookup(s->call->inst, s->t, q);
			if (e != NULL && !e->known &&
			    !(e->kept && given_before(s->call->inst, e))) {
				s->last = NULL;
				report(s, q, phys + c, region, e);
				break;	/* one report per page */
			}
		}
	}
}

/* Every shared buffer (allocated from the pool or registered) as it is
 * before the call. A buffer that can not be copied is left out: its
 * windows are then checked as if the call had written them. */
static void snapshot_shared(struct sim_taint_call *c)
{
	size_t n = 0;
	for (const struct sim_shm *m = sim_m.shms; m; m = m->next)
		n++;
	c->shared = calloc(n ? n : 1, sizeof *c->shared);
	for (const struct sim_shm *m = sim_m.shms; c->shared && m; m = m->next) {
		uint8_t *copy = malloc(m->size ? m->size : 1);
		if (copy == NULL)
			continue;
		memcpy(copy, m->host, m->size);
		c->shared[c->n_shared++] = (struct snapshot){ m->host, copy,
							      m->size };
	}
}

static void free_snapshots(struct sim_taint_call *c)
{
	for (size_t i = 0; i < c->n_shared; i++)
		free(c->shared[i].copy);
	free(c->shared);
}

void sim_taint_nw_wrote(const uint8_t *p)
{
	const struct sim_taint_call *c = sim_m.taint_call;
	for (size_t i = 0; c != NULL && i < c->n_shared; i++) {
		const struct snapshot *x = &c->shared[i];
		if (p >= x->host && (uint64_t)(p - x->host) < x->n)
			x->copy[p - x->host] = *p;
	}
}

struct sim_taint_call *sim_taint_begin(struct sim_instance *inst,
				       const struct sim_msg_param p[4])
{
	struct sim_taint_call *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	c->inst = inst;
	snapshot_shared(c);
	sim_m.taint_call = c;
	sim_m.storage_written = false;
	for (int i = 0; i < 4; i++) {
		if (!sim_type_is_memref(p[i].type) || p[i].size == 0 ||
		    p[i].type == TEE_PARAM_TYPE_MEMREF_OUTPUT)
			continue;
		c->in[i].p = malloc(p[i].size);
		if (c->in[i].p == NULL)
			continue;
		memcpy(c->in[i].p, p[i].host, p[i].size);
		c->in[i].n = p[i].size;
	}
	return c;
}

void sim_taint_end(struct sim_taint_call *c, struct sim_session *session,
		   const struct sim_msg_param p[4], bool outputs_declared)
{
	struct table t = { 0 };
	struct scan s = { .call = c, .t = &t };
	c->session = session ? session->id : 0;
	if (c->inst->known == NULL)
		c->inst->known = calloc(1, sizeof *c->inst->known);
	if (c->inst->known != NULL)
		c->inst->known->calls++;	/* from 1: 0 is never */
	if (!build(c->inst, &t))
		goto out;
	for (int i = 0; i < 4; i++) {
		learn(c->inst, &t, c->in[i].p, c->in[i].n);
		remember_given(c->inst, c->in[i].p, c->in[i].n);
		if (c->in[i].n && !memcmp(c->in[i].p, p[i].host, c->in[i].n))
			s.given[i] = (struct range){ p[i].host, c->in[i].n };
	}
	for (int i = 0; outputs_declared && i < 4; i++) {
		if (!sim_type_is_memref(p[i].type) ||
		    !sim_type_writable(p[i].type))
			continue;
		uint64_t n = p[i].out_size < p[i].size ? p[i].out_size
						       : p[i].size;
		s.excl[i] = (struct range){ p[i].host, n };
		learn(c->inst, &t, p[i].host, n);
		remember_given(c->inst, p[i].host, n);
	}
	resolve_known(c->inst->known, &t);
	if (t.n == 0 && (c->inst->known == NULL || c->inst->known->kept == NULL))
		goto out;
	scan_pool(&s);
	for (struct sim_shm *m = sim_m.shms; m; m = m->next)
		if (!m->pool)
			scan(&s, m->host, m->size, m->phys, "registered memory");
	if (sim_m.storage_written)
		scan_storage(&s);
	scan_exposed(&s, c->inst->heap_base, c->inst->heap.hwm);
	scan_exposed(&s, c->inst->stack, c->inst->stack_size);
out:
	if (t.e != NULL && !t.incomplete)
		remember_heap(c->inst, &t);
	sim_filter_free(&t.filter);
	free(t.dup);
	table_keep(c->inst->known, &t);
	for (int i = 0; i < 4; i++)
		free(c->in[i].p);
	free_snapshots(c);
	free(c);
	sim_m.taint_call = NULL;
}
