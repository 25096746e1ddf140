/*
 * The TA heap behind TEE_Malloc: first fit over exactly TA_DATA_SIZE
 * bytes of the instance's TA_RAM, block headers inside those bytes as in
 * OP-TEE's bget pool (the TA_DATA_SIZE bytes are the pool, bookkeeping
 * included), so a TA that fits here fits there and out-of-memory comes
 * where OP-TEE would give it, up to the two allocators' overheads.
 *
 * A block is a 16-byte header {size | used bit, size of the previous
 * block} and its payload, 16-byte aligned (OP-TEE's aarch64 alignment).
 * Freeing coalesces with both neighbours. Headers live in TA memory, so a
 * TA that overruns a block breaks them: every walk checks the sizes and
 * stops at the first impossible one.
 */
#include <string.h>

#include "sim_internal.h"

#define HDR	16u
#define ALIGN	16u
#define MIN_BLK	(HDR + ALIGN)
#define USED	1ull

struct hdr {
	uint64_t size;		/* block bytes with header; bit 0: used */
	uint64_t prev;		/* the previous block's bytes; 0 for the first */
};

static uint64_t heap_end(const struct sim_heap *h)
{
	return h->size & ~(uint64_t)(ALIGN - 1);
}

static struct hdr *at(const struct sim_heap *h, uint64_t off)
{
	return (struct hdr *)(h->base + off);
}

static uint64_t bsize(const struct hdr *b)
{
	return b->size & ~USED;
}

void sim_heap_init(struct sim_heap *h, uint8_t *base, uint64_t size)
{
	memset(h, 0, sizeof *h);
	h->base = base;
	h->size = size;
	if (heap_end(h) >= MIN_BLK)
		*at(h, 0) = (struct hdr){ heap_end(h), 0 };
}

/* The offset of the block whose payload is p, or -1 (also for a heap
 * whose headers no longer add up). */
static int64_t find(const struct sim_heap *h, const void *p)
{
	const uint8_t *q = p;
	if (q < h->base + HDR || q >= h->base + heap_end(h))
		return -1;
	uint64_t want = (uint64_t)(q - h->base) - HDR;
	for (uint64_t off = 0; off < heap_end(h);) {
		uint64_t s = bsize(at(h, off));
		if (s < MIN_BLK || s > heap_end(h) - off)
			return -1;
		if (off == want)
			return (at(h, off)->size & USED) ? (int64_t)off : -1;
		off += s;
	}
	return -1;
}

static void set_prev_of_next(struct sim_heap *h, uint64_t off)
{
	uint64_t next = off + bsize(at(h, off));
	if (next < heap_end(h))
		at(h, next)->prev = bsize(at(h, off));
}

/* Cuts block off down to need bytes when the rest makes a block. */
static void split(struct sim_heap *h, uint64_t off, uint64_t need)
{
	struct hdr *b = at(h, off);
	uint64_t s = bsize(b);
	if (s - need < MIN_BLK)
		return;
	b->size = need | (b->size & USED);
	*at(h, off + need) = (struct hdr){ s - need, need };
	set_prev_of_next(h, off + need);
}

static void account(struct sim_heap *h, uint64_t off, int64_t delta)
{
	h->used += (uint64_t)delta;
	if (h->used > h->peak)
		h->peak = h->used;
	uint64_t end = off + bsize(at(h, off));
	if (delta > 0 && end > h->hwm)
		h->hwm = end;
}

static uint64_t need_for(uint64_t size)
{
	if (size > UINT64_MAX - HDR - 2 * ALIGN)
		return 0;
	uint64_t payload = size ? (size + ALIGN - 1) & ~(uint64_t)(ALIGN - 1)
				: ALIGN;
	return payload + HDR;
}

void *sim_heap_alloc(struct sim_heap *h, uint64_t size)
{
	uint64_t need = need_for(size);
	if (need == 0 || need > heap_end(h))
		return NULL;
	for (uint64_t off = 0; off < heap_end(h);) {
		struct hdr *b = at(h, off);
		uint64_t s = bsize(b);
		if (s < MIN_BLK || s > heap_end(h) - off)
			return NULL;	/* headers broken by the TA */
		if (!(b->size & USED) && s >= need) {
			split(h, off, need);
			b->size |= USED;
			account(h, off, (int64_t)bsize(b));
			return b + 1;
		}
		off += s;
	}
	return NULL;
}

/* Merges the block at off with the next one when that is free. */
static void merge_next(struct sim_heap *h, uint64_t off)
{
	struct hdr *b = at(h, off);
	uint64_t next = off + bsize(b);
	if (next >= heap_end(h) || (at(h, next)->size & USED))
		return;
	b->size += bsize(at(h, next));
	set_prev_of_next(h, off);
}

int sim_heap_free(struct sim_heap *h, void *p)
{
	int64_t off = find(h, p);
	if (off < 0)
		return -1;
	struct hdr *b = at(h, (uint64_t)off);
	account(h, (uint64_t)off, -(int64_t)bsize(b));
	b->size &= ~USED;
	merge_next(h, (uint64_t)off);
	if (b->prev != 0) {
		uint64_t prev = (uint64_t)off - b->prev;
		if (!(at(h, prev)->size & USED))
			merge_next(h, prev);
	}
	return 0;
}

void *sim_heap_realloc(struct sim_heap *h, void *p, uint64_t size, bool *bad)
{
	*bad = false;
	if (p == NULL)
		return sim_heap_alloc(h, size);
	int64_t soff = find(h, p);
	if (soff < 0) {
		*bad = true;
		return NULL;
	}
	uint64_t off = (uint64_t)soff, need = need_for(size);
	struct hdr *b = at(h, off);
	uint64_t old = bsize(b);
	if (need == 0)
		return NULL;
	uint64_t next = off + old;
	if (need > old && next < heap_end(h) &&
	    !(at(h, next)->size & USED) &&
	    old + bsize(at(h, next)) >= need) {
		b->size += bsize(at(h, next));	/* grow in place */
		set_prev_of_next(h, off);
	}
	if (bsize(b) >= need) {
		split(h, off, need);
		uint64_t rest = off + bsize(b);
		if (rest < heap_end(h) && !(at(h, rest)->size & USED))
			merge_next(h, rest);
		account(h, off, (int64_t)bsize(b) - (int64_t)old);
		return p;
	}
	void *q = sim_heap_alloc(h, size);
	if (q == NULL)
		return NULL;
	memcpy(q, p, old - HDR);
	sim_heap_free(h, p);
	return q;
}

void sim_heap_payloads(const struct sim_heap *h,
		       void (*fn)(const uint8_t *p, uint64_t n, void *arg),
		       void *arg)
{
	for (uint64_t off = 0; off < h->hwm;) {
		uint64_t s = bsize(at(h, off));
		if (s < MIN_BLK || s > heap_end(h) - off)
			return;	/* headers broken: the rest is not walked */
		uint64_t end = off + s < h->hwm ? off + s : h->hwm;
		fn(h->base + off + HDR, end - off - HDR, arg);
		off += s;
	}
}
