/*
 * Writing mappings into tables in modelled memory, tables taken from a
 * pool (OP-TEE's xlat_tables[] for the core, its page-table cache for a
 * TA).
 */
#include <stdio.h>
#include <string.h>

#include "mm_text.h"
#include "xlat_map.h"

void xlat_pool_init(struct xlat_pool *pool, uint64_t base, unsigned max)
{
	memset(pool, 0, sizeof *pool);
	pool->base = base;
	pool->max = max;
	for (size_t i = 0; i < 4; i++)
		pool->last_miss[i] = UINT64_MAX;
}

unsigned xlat_pool_needed(const struct xlat_pool *pool)
{
	return pool->used + pool->missed;
}

/* Counts the table of window key at level as missing, once. */
static void pool_miss(struct xlat_pool *pool, unsigned level, uint64_t key)
{
	if (pool->last_miss[level] != key) {
		pool->missed++;
		pool->last_miss[level] = key;
	}
}

/* A fresh table for window key at level, or 0 when the pool is empty. */
static uint64_t pool_take(struct xlat_pool *pool, unsigned level,
			  uint64_t key)
{
	if (pool->used >= pool->max) {
		pool_miss(pool, level, key);
		return 0;
	}
	pool->taken[level]++;
	return pool->base + (uint64_t)pool->used++ * MM_XLAT_PAGE;
}

int xlat_zero_table(struct mm_phys *mem, uint64_t pa, char *err,
		    size_t err_len)
{
	uint8_t *b = mm_phys_at(mem, pa, MM_XLAT_PAGE);
	if (!b)
		return mm_fail(err, err_len, -1, "translation table at pa "
			       "0x%llx is not in the modelled memory",
			       (unsigned long long)pa);
	memset(b, 0, MM_XLAT_PAGE);
	return 0;
}

static int not_modelled(uint64_t pa, char *err, size_t err_len)
{
	return mm_fail(err, err_len, -1, "translation table entry at pa "
		       "0x%llx is not in the modelled memory",
		       (unsigned long long)pa);
}

/*
 * The level + 1 table under va's entry in the level table at parent,
 * made from pool when the entry is empty; *out = 0 when the pool is
 * empty or parent itself is missing (0): then it is counted as missing.
 */
static int child_table(struct xlat_ctx *c, uint64_t parent, unsigned level,
		       uint64_t va, struct xlat_pool *pool, uint64_t *out,
		       char *err, size_t err_len)
{
	uint64_t key = va >> xlat_shift(level);
	*out = 0;
	if (!parent) {
		pool_miss(pool, level + 1, key);
		return 0;
	}
	uint64_t e = parent + 8u * xlat_index(va, level), d;
	if (mm_phys_read64(c->mem, e, &d))
		return not_modelled(e, err, err_len);
	struct mm_xlat_desc x = mm_xlat_desc_decode(d, level);
	if (x.kind == MM_DESC_TABLE) {
		*out = x.addr;
		return 0;
	}
	if (x.kind != MM_DESC_INVALID)
		return mm_fail(err, err_len, -1, "va 0x%llx: already mapped "
			       "by a level-%u block", (unsigned long long)va,
			       level);
	uint64_t t = pool_take(pool, level + 1, key);
	if (!t)
		return 0;
	if (xlat_zero_table(c->mem, t, err, err_len) ||
	    mm_phys_write64(c->mem, e, mm_xlat_desc_table(t)))
		return -1;
	*out = t;
	return 0;
}

/* Writes the leaf for va -> pa into the level table at table (nothing
 * when the table is missing); an entry already valid is a double map. */
static int put_leaf(struct xlat_ctx *c, uint64_t table, unsigned level,
		    uint64_t va, uint64_t pa, unsigned attrs, char *err,
		    size_t err_len)
{
	if (!table)
		return 0;
	uint64_t e = table + 8u * xlat_index(va, level), d;
	if (mm_phys_read64(c->mem, e, &d))
		return not_modelled(e, err, err_len);
	if (d & 1u)
		return mm_fail(err, err_len, -1, "va 0x%llx is mapped twice "
			       "(level %u)", (unsigned long long)va, level);
	if (mm_phys_write64(c->mem, e, mm_xlat_desc_leaf(pa, level, attrs)))
		return not_modelled(e, err, err_len);
	return 0;
}

/* Maps n bytes (inside one 2 MiB window) as pages under the level-2
 * table l2. */
static int map_pages(struct xlat_ctx *c, uint64_t l2, uint64_t va,
		     uint64_t pa, uint64_t n, unsigned attrs, char *err,
		     size_t err_len)
{
	uint64_t l3;
	if (child_table(c, l2, 2, va, c->l3_pool, &l3, err, err_len))
		return -1;
	for (uint64_t off = 0; off < n; off += MM_XLAT_PAGE)
		if (put_leaf(c, l3, 3, va + off, pa + off, attrs, err,
			     err_len))
			return -1;
	return 0;
}

int xlat_map_area(struct xlat_ctx *c, const struct mm_xlat_area *a,
		  bool blocks, char *err, size_t err_len)
{
	uint64_t space = 1ull << MM_XLAT_VA_BITS;
	if ((a->va | a->pa | a->size) % MM_XLAT_PAGE || a->va > space ||
	    a->size > space - a->va)
		return mm_fail(err, err_len, -1, "area %s: va 0x%llx + 0x%llx "
			       "(pa 0x%llx) is not page-aligned or leaves the "
			       "%d-bit address space", a->name,
			       (unsigned long long)a->va,
			       (unsigned long long)a->size,
			       (unsigned long long)a->pa, MM_XLAT_VA_BITS);
	for (uint64_t off = 0; off < a->size;) {
		uint64_t va = a->va + off, pa = a->pa + off;
		uint64_t n = ((va | (MM_XLAT_L2_BLOCK - 1)) + 1) - va;
		if (n > a->size - off)
			n = a->size - off;
		uint64_t l2;
		int rc = child_table(c, c->l1, 1, va, c->l2_pool, &l2, err,
				     err_len);
		if (!rc && blocks && n == MM_XLAT_L2_BLOCK &&
		    !(pa % MM_XLAT_L2_BLOCK))
			rc = put_leaf(c, l2, 2, va, pa, a->attrs, err, err_len);
		else if (!rc)
			rc = map_pages(c, l2, va, pa, n, a->attrs, err,
				       err_len);
		if (rc)
			return -1;
		off += n;
	}
	return 0;
}

size_t xlat_area_add(struct mm_xlat_area *a, size_t n, const char *name,
		     uint64_t va, uint64_t pa, uint64_t size, unsigned attrs)
{
	if (!size)
		return n;
	snprintf(a[n].name, sizeof a[n].name, "%s", name);
	a[n].va = va;
	a[n].pa = pa;
	a[n].size = size;
	a[n].attrs = attrs;
	return n + 1;
}

int xlat_check_room(unsigned asked, unsigned planned, const char *what,
		    const char *field, const struct mm_phys *mem,
		    uint64_t start, uint64_t size, char *err, size_t err_len)
{
	if (asked > planned)
		return mm_fail(err, err_len, -1, "%s %u is more than the "
			       "plan's %s %u: the tables' place in TEE core RAM "
			       "is laid out from the plan", what, asked, field,
			       planned);
	if (!mm_phys_at(mem, start, size))
		return mm_fail(err, err_len, -1, "the tables at 0x%llx + 0x%llx "
			       "(the end of TEE core RAM) are not in the "
			       "modelled memory", (unsigned long long)start,
			       (unsigned long long)size);
	return 0;
}
