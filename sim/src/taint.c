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
 *    Every 16-byte window at every byte offset is looked up.
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

#define CHUNK		16u
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
	/* the heap as the last call left it, and per page whether it held
	 * no secret then (every chunk known or of little content): such a
	 * page, unchanged, holds none now either (the known set only
	 * grows), so a call hashes only the pages that changed or hold
	 * secrets, and loading a model costs its chunks, not its square */
	uint8_t *shadow, *quiet;
	uint64_t pages;
};

struct secret {
	uint64_t h;
	const uint8_t *at;	/* NULL: empty slot */
	const char *what;
	bool known;
	bool looked_up;		/* searched for in the given bytes */
};

struct table {
	struct secret *e;
	size_t cap, n;
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

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* A 64-bit hash of 16 bytes (multiply-xorshift mixing, the finaliser of
 * SplitMix64); never 0, which marks an empty slot. */
static uint64_t hash16(const uint8_t *p)
{
	uint64_t h = load64(p) * 0x9E3779B97F4A7C15ull ^
		     (load64(p + 8) + 0x632BE59BD9B4E019ull) *
			     0xC2B2AE3D27D4EB4Full;
	h ^= h >> 30;
	h *= 0xBF58476D1CE4E5B9ull;
	h ^= h >> 27;
	h *= 0x94D049BB133111EBull;
	h ^= h >> 31;
	return h ? h : 1;
}

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

static void known_add(struct sim_instance *inst, uint64_t h)
{
	struct sim_known *k = inst->known;
	if (k == NULL && (k = inst->known = calloc(1, sizeof *k)) == NULL)
		return;
	if (known_has(k, h))
		return;
	if (2 * (k->n + 1) > k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		uint64_t *s = calloc(cap, sizeof *s);
		if (s == NULL)
			return;
		for (size_t i = 0; i < k->cap; i++) {
			if (k->slot[i] == 0)
				continue;
			size_t j = k->slot[i] & (cap - 1);
			while (s[j])
				j = (j + 1) & (cap - 1);
			s[j] = k->slot[i];
		}
		free(k->slot);
		k->slot = s;
		k->cap = cap;
	}
	size_t j = h & (k->cap - 1);
	while (k->slot[j])
		j = (j + 1) & (k->cap - 1);
	k->slot[j] = h;
	k->n++;
}

void sim_taint_forget(struct sim_instance *inst)
{
	if (inst->known != NULL) {
		free(inst->known->slot);
		free(inst->known->given);
		free(inst->known->shadow);
		free(inst->known->quiet);
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
	if (e->known || e->looked_up)
		return e->known;
	e->looked_up = true;
	if (k != NULL && k->given_n &&
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
		struct secret *e = &t->e[i];
		if (e->at == NULL)
			return NULL;
		if (e->h == h && memcmp(e->at, p, CHUNK) == 0)
			return e;
	}
}

struct collect {
	struct table *t;
	const struct sim_known *known;
	const uint8_t *heap;
	uint8_t *same;	/* per page of the memo, this call: 0 not compared
			 * yet, 1 as the shadow, 2 changed */
};

/* Doubles the table (it is kept at most half full). */
static bool grow(struct table *t)
{
	size_t cap = t->cap * 2;
	struct secret *e = calloc(cap, sizeof *e);
	if (e == NULL)
		return false;
	for (size_t i = 0; i < t->cap; i++) {
		if (t->e[i].at == NULL)
			continue;
		size_t j = t->e[i].h & (cap - 1);
		while (e[j].at != NULL)
			j = (j + 1) & (cap - 1);
		e[j] = t->e[i];
	}
	free(t->e);
	t->e = e;
	t->cap = cap;
	return true;
}

static void add_secrets(const uint8_t *p, uint64_t n, const char *what,
			void *arg)
{
	struct collect *c = arg;
	struct table *t = c->t;
	for (uint64_t off = 0; off + CHUNK <= n; off += CHUNK) {
		const uint8_t *q = p + off;
		if (low_content(q))
			continue;
		uint64_t h = hash16(q);
		if (known_has(c->known, h) || find(t, q, h) != NULL)
			continue;
		if (2 * (t->n + 1) > t->cap && !grow(t))
			return;
		size_t i = h & (t->cap - 1);
		while (t->e[i].at != NULL)
			i = (i + 1) & (t->cap - 1);
		t->e[i] = (struct secret){ h, q, what, false, false };
		t->n++;
	}
}

/* Whether heap page pg held no secret at the last call and has not
 * changed since. */
static bool page_quiet(struct collect *c, uint64_t pg)
{
	const struct sim_known *k = c->known;
	if (k == NULL || c->same == NULL || pg >= k->pages || !k->quiet[pg])
		return false;
	if (!c->same[pg])
		c->same[pg] = memcmp(c->heap + pg * SIM_PG,
				     k->shadow + pg * SIM_PG, SIM_PG) ? 2 : 1;
	return c->same[pg] == 1;
}

/* A block's payload, page by page, leaving out the quiet pages. */
static void add_heap_secrets(const uint8_t *p, uint64_t n, void *arg)
{
	struct collect *c = arg;
	while (n) {
		uint64_t off = (uint64_t)(p - c->heap);
		uint64_t in_page = SIM_PG - off % SIM_PG;
		uint64_t len = n < in_page ? n : in_page;
		if (!page_quiet(c, off / SIM_PG))
			add_secrets(p, len, "the TA heap", arg);
		p += len;
		n -= len;
	}
}

/* The memo for the next call: the heap's pages up to its high-water
 * mark, each quiet when every chunk is known or of little content. A
 * page this call found quiet and unchanged stays so. */
static void remember_heap(struct sim_instance *inst, const uint8_t *same)
{
	struct sim_known *k = inst->known;
	uint64_t pages = SIM_PG_UP(inst->heap.hwm) / SIM_PG;
	if (k == NULL && (k = inst->known = calloc(1, sizeof *k)) == NULL)
		return;
	if (pages > k->pages) {
		uint8_t *sh = realloc(k->shadow, pages * SIM_PG);
		if (sh == NULL)
			return;
		k->shadow = sh;
		uint8_t *q = realloc(k->quiet, pages);
		if (q == NULL)
			return;
		memset(q + k->pages, 0, pages - k->pages);
		k->quiet = q;
	}
	for (uint64_t pg = 0; pg < pages; pg++) {
		if (pg < k->pages && k->quiet[pg] && same && same[pg] == 1)
			continue;
		const uint8_t *page = inst->heap_base + pg * SIM_PG;
		bool quiet = true;
		for (uint64_t i = 0; quiet && i < SIM_PG; i += CHUNK)
			quiet = low_content(page + i) ||
				known_has(k, hash16(page + i));
		k->quiet[pg] = quiet;
		memcpy(k->shadow + pg * SIM_PG, page, SIM_PG);
	}
	if (pages > k->pages)
		k->pages = pages;
}

static bool build(struct sim_instance *inst, struct table *t, uint8_t **same)
{
	sim_mem_expose(inst->stack, inst->stack_size);
	t->cap = 1024;
	t->n = 0;
	t->e = calloc(t->cap, sizeof *t->e);
	if (t->e == NULL)
		return false;
	const struct sim_known *k = inst->known;
	*same = k && k->pages ? calloc(k->pages, 1) : NULL;
	struct collect c = { t, k, inst->heap_base, *same };
	sim_heap_payloads(&inst->heap, add_heap_secrets, &c);
	add_secrets(inst->stack, inst->stack_size, "the TA stack", &c);
	sim_crypto_secrets(inst, add_secrets, &c);
	return true;
}

/* Every window of p that is a secret becomes known to the normal world:
 * p as it stands, and p with zeros before and after it, which is how a
 * copy of it sits at the start of a zeroed allocation, both in the TA's
 * heap and in a fresh pool page (its last bytes and the zeros after
 * them would otherwise look like a secret found in the pool). */
static void learn(struct sim_instance *inst, struct table *t,
		  const uint8_t *p, uint64_t n)
{
	if (n == 0)
		return;
	uint8_t *padded = calloc(1, n + 2 * (CHUNK - 1));
	if (padded == NULL)
		return;
	memcpy(padded + CHUNK - 1, p, n);
	for (uint64_t i = 0; i + CHUNK <= n + 2 * (CHUNK - 1); i++) {
		uint64_t h = hash16(padded + i);
		struct secret *e = find(t, padded + i, h);
		if (e != NULL && !e->known) {
			e->known = true;
			known_add(inst, h);
		}
	}
	free(padded);
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
	uint64_t run_end;	/* host offset after the last reported run */
	struct sim_violation *last;
};

static bool zero_page(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i + 8 <= n; i += 8)
		if (load64(p + i))
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
		if (((uintptr_t)(p + i) & (SIM_PG - 1)) == 0 &&
		    i + SIM_PG <= n && zero_page(p + i, SIM_PG)) {
			i += SIM_PG - CHUNK + 1;	/* windows inside it */
			continue;
		}
		struct secret *e = find(s->t, p + i, hash16(p + i));
		if (e != NULL && !given_before(s->call->inst, e) &&
		    !unchanged(s->call, p + i)) {
			report(s, p + i, phys + i, region, e);
			i += CHUNK;
			continue;
		}
		i++;
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
		if (!sim_nw_allowed(phys, false, &region))
			continue;
		uint64_t len = n - off < SIM_PG ? n - off : SIM_PG;
		for (uint64_t c = 0; c + CHUNK <= len; c += CHUNK) {
			const uint8_t *q = p + off + c;
			const struct secret *e = low_content(q) ? NULL
					       : find(s->t, q, hash16(q));
			if (e != NULL && !e->known) {
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
	uint8_t *same = NULL;
	c->session = session ? session->id : 0;
	if (!build(c->inst, &t, &same))
		goto out;
	for (int i = 0; i < 4; i++) {
		learn(c->inst, &t, c->in[i].p, c->in[i].n);
		remember_given(c->inst, c->in[i].p, c->in[i].n);
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
	if (t.n == 0)
		goto out;
	scan(&s, sim_m.shm, sim_m.shm_size, sim_m.shm_start, "shmem");
	for (struct sim_shm *m = sim_m.shms; m; m = m->next)
		if (!m->pool)
			scan(&s, m->host, m->size, m->phys, "registered memory");
	if (sim_m.storage_written)
		scan_storage(&s);
	scan_exposed(&s, c->inst->heap_base, c->inst->heap.hwm);
	scan_exposed(&s, c->inst->stack, c->inst->stack_size);
out:
	if (t.e != NULL)
		remember_heap(c->inst, same);
	free(same);
	free(t.e);
	for (int i = 0; i < 4; i++)
		free(c->in[i].p);
	free_snapshots(c);
	free(c);
	sim_m.taint_call = NULL;
}
