/*
 * First-fit allocation over an address range, with freeing and
 * coalescing: places TA instances in TA_RAM, buffers in the static shared
 * pool and registered client memory in the normal world's DRAM window.
 * The free list is sorted by address; it is short (one entry per hole).
 */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static int grow(struct sim_extents *e)
{
	if (e->n < e->cap)
		return 0;
	size_t cap = e->cap ? e->cap * 2 : 8;
	struct sim_extent *f = realloc(e->free, cap * sizeof *f);
	if (f == NULL)
		return -1;
	e->free = f;
	e->cap = cap;
	return 0;
}

int sim_extents_init(struct sim_extents *e, uint64_t base, uint64_t size)
{
	memset(e, 0, sizeof *e);
	e->base = base;
	e->size = size;
	if (size == 0)
		return 0;
	if (grow(e))
		return -1;
	e->free[0] = (struct sim_extent){ base, size };
	e->n = 1;
	return 0;
}

void sim_extents_fini(struct sim_extents *e)
{
	free(e->free);
	memset(e, 0, sizeof *e);
}

int sim_extents_alloc(struct sim_extents *e, uint64_t size, uint64_t align,
		      uint64_t *start)
{
	if (size == 0 || align == 0)
		return -1;
	for (size_t i = 0; i < e->n; i++) {
		struct sim_extent *f = &e->free[i];
		uint64_t at = (f->start + align - 1) & ~(align - 1);
		if (at < f->start || at - f->start > f->size ||
		    f->size - (at - f->start) < size)
			continue;
		uint64_t head = at - f->start;
		uint64_t tail = f->size - head - size;
		if (head && tail) {	/* split: one hole becomes two */
			if (grow(e))
				return -1;
			f = &e->free[i];
			memmove(f + 2, f + 1, (e->n - i - 1) * sizeof *f);
			e->n++;
			f[1] = (struct sim_extent){ at + size, tail };
			f->size = head;
		} else if (head) {
			f->size = head;
		} else if (tail) {
			f->start = at + size;
			f->size = tail;
		} else {
			memmove(f, f + 1, (e->n - i - 1) * sizeof *f);
			e->n--;
		}
		e->used += size;
		*start = at;
		return 0;
	}
	return -1;
}

void sim_extents_free(struct sim_extents *e, uint64_t start, uint64_t size)
{
	if (size == 0 || grow(e))
		return;
	size_t i = 0;
	while (i < e->n && e->free[i].start < start)
		i++;
	memmove(&e->free[i + 1], &e->free[i], (e->n - i) * sizeof *e->free);
	e->free[i] = (struct sim_extent){ start, size };
	e->n++;
	e->used -= size;
	/* coalesce with the next, then with the previous */
	if (i + 1 < e->n && e->free[i].start + e->free[i].size ==
	    e->free[i + 1].start) {
		e->free[i].size += e->free[i + 1].size;
		memmove(&e->free[i + 1], &e->free[i + 2],
			(e->n - i - 2) * sizeof *e->free);
		e->n--;
	}
	if (i > 0 && e->free[i - 1].start + e->free[i - 1].size ==
	    e->free[i].start) {
		e->free[i - 1].size += e->free[i].size;
		memmove(&e->free[i], &e->free[i + 1],
			(e->n - i - 1) * sizeof *e->free);
		e->n--;
	}
}
