/*
 * The arena planner: greedy placement by size, first fit over the gaps
 * between the placed buffers that share a step with the new one.
 *
 * The scratch array does double duty during a pass: order[0..i) holds the
 * buffers placed so far, sorted by offset (what first fit walks), and
 * order[i..n) the ones still to place, in placement order.
 *
 * Overflow: every placed offset and size is a multiple of TL_PLAN_ALIGN,
 * so SIZE_MAX, which is not, can stand for "overflowed" in every sum.
 */
#include <stdint.h>

#include "tl_planner.h"

#define ALIGN_MASK ((size_t)TL_PLAN_ALIGN - 1)

static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* n rounded up to the alignment, or SIZE_MAX when that overflows. */
static size_t padded(size_t n)
{
	return n > SIZE_MAX - ALIGN_MASK ? SIZE_MAX : (n + ALIGN_MASK) & ~ALIGN_MASK;
}

static int alive_at(const struct tl_plan_buffer *b, int step)
{
	return b->first_use <= step && step <= b->last_use;
}

static int alive_together(const struct tl_plan_buffer *a,
			  const struct tl_plan_buffer *b)
{
	return a->first_use <= b->last_use && b->first_use <= a->last_use;
}

/*
 * The placement orders tried; the smallest arena wins. Largest first is
 * the classic greedy (tflite-micro's). Parity places the buffers first
 * used at even steps before the odd ones: in a chain each half is
 * disjoint in time, so the even ones all land at 0 and each odd one just
 * above its larger neighbour, which is the lower bound; residual networks
 * are nearly chains. Execution order helps where long-lived buffers
 * interleave. Within each order: largest first, then earlier first use,
 * then lower id.
 */
enum { BY_SIZE, BY_PARITY, BY_FIRST_USE, N_ORDERS };

/* What this order sorts on before size. */
static int leading_key(int order, const struct tl_plan_buffer *b)
{
	if (order == BY_PARITY)
		return (int)((unsigned)b->first_use & 1u);
	return order == BY_FIRST_USE ? b->first_use : 0;
}

/* Whether buffer a is placed before buffer b in this order. */
static int goes_first(const struct tl_planner *p, int order, int a, int b)
{
	const struct tl_plan_buffer *x = &p->buffers[a], *y = &p->buffers[b];
	int kx = leading_key(order, x), ky = leading_key(order, y);
	if (kx != ky)
		return kx < ky;
	if (x->size != y->size)
		return x->size > y->size;
	if (x->first_use != y->first_use)
		return x->first_use < y->first_use;
	return a < b;
}

/* Insertion sort: n is a few hundred and there is no room for more. */
static void sort_queue(struct tl_planner *p, int order)
{
	for (int i = 0; i < p->count; i++) {
		int j = i;
		for (; j > 0 && goes_first(p, order, i, p->order[j - 1]); j--)
			p->order[j] = p->order[j - 1];
		p->order[j] = i;
	}
}

/* The lowest offset where b fits beside the placed buffers alive with it,
 * or SIZE_MAX on overflow. The placed ones come sorted by offset, so the
 * walk can stop at the first one above the candidate gap. */
static size_t first_fit(const struct tl_planner *p, int placed,
			const struct tl_plan_buffer *b)
{
	size_t need = padded(b->size), at = 0;
	for (int i = 0; i < placed; i++) {
		const struct tl_plan_buffer *q = &p->buffers[p->order[i]];
		if (!alive_together(b, q))
			continue;
		if (q->offset >= sat_add(at, need))
			break;
		size_t end = q->offset + padded(q->size);	/* placed: no overflow */
		if (end > at)
			at = end;
	}
	return sat_add(at, need) == SIZE_MAX ? SIZE_MAX : at;
}

/* Moves the just-placed order[placed] into the offset-sorted prefix. */
static void insert_placed(struct tl_planner *p, int placed)
{
	int id = p->order[placed], i = placed;
	size_t off = p->buffers[id].offset;
	for (; i > 0 && p->buffers[p->order[i - 1]].offset > off; i--)
		p->order[i] = p->order[i - 1];
	p->order[i] = id;
}

/* One greedy pass in this order: the arena size, or SIZE_MAX. */
static size_t place_all(struct tl_planner *p, int order)
{
	size_t arena = 0;
	sort_queue(p, order);
	for (int i = 0; i < p->count; i++) {
		struct tl_plan_buffer *b = &p->buffers[p->order[i]];
		b->offset = first_fit(p, i, b);
		if (b->offset == SIZE_MAX)
			return SIZE_MAX;
		if (b->offset + padded(b->size) > arena)
			arena = b->offset + padded(b->size);
		insert_placed(p, i);
	}
	return arena;
}

void tl_planner_init(struct tl_planner *p, struct tl_plan_buffer *storage,
		     int *order_scratch, int capacity)
{
	p->buffers = storage;
	p->order = order_scratch;
	p->count = 0;
	p->capacity = capacity > 0 ? capacity : 0;
	p->arena_size = 0;
}

int tl_planner_add(struct tl_planner *p, size_t size, int first_use,
		   int last_use)
{
	if (p->count >= p->capacity || first_use > last_use)
		return -1;
	struct tl_plan_buffer *b = &p->buffers[p->count];
	b->size = size;
	b->first_use = first_use;
	b->last_use = last_use;
	b->offset = SIZE_MAX;
	p->arena_size = 0;
	return p->count++;
}

int tl_planner_solve(struct tl_planner *p)
{
	int best = 0;
	size_t best_arena = SIZE_MAX;
	for (int order = 0; order < N_ORDERS; order++) {
		size_t arena = place_all(p, order);
		if (arena < best_arena) {
			best_arena = arena;
			best = order;
		}
	}
	if (best_arena == SIZE_MAX) {
		for (int i = 0; i < p->count; i++)
			p->buffers[i].offset = SIZE_MAX;
		p->arena_size = 0;
		return -1;
	}
	if (best != N_ORDERS - 1)	/* the buffers hold the last pass */
		place_all(p, best);
	p->arena_size = best_arena;
	return 0;
}

size_t tl_planner_offset(const struct tl_planner *p, int id)
{
	return id >= 0 && id < p->count ? p->buffers[id].offset : SIZE_MAX;
}

size_t tl_planner_arena_size(const struct tl_planner *p)
{
	return p->arena_size;
}

/* The bytes alive only grow at some buffer's first use, so the maximum
 * over those steps is the maximum over all steps. */
size_t tl_planner_lower_bound(const struct tl_planner *p)
{
	size_t most = 0;
	for (int i = 0; i < p->count; i++) {
		size_t sum = 0;
		for (int j = 0; j < p->count; j++)
			if (alive_at(&p->buffers[j], p->buffers[i].first_use))
				sum = sat_add(sum, padded(p->buffers[j].size));
		if (sum > most)
			most = sum;
	}
	return most;
}
