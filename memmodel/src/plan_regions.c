/*
 * The region set after planning: the platform's regions with today's
 * secure ones replaced by the planned TZDRAM, expressed in what the
 * address-space controller can hold, so that secure memory always wins.
 *
 * - none (RPi3): the platform's other regions, then TZDRAM as one secure
 *   region numbered above all of them (the configuration's priority).
 * - TZC-380: the highest-numbered matching region decides, so TZDRAM goes
 *   on top too; its regions must be powers of two aligned to their size,
 *   so TZDRAM becomes its binary decomposition: from its start, each time
 *   the largest power of two the address is aligned to that still fits.
 *   A 1 MiB multiple at a 1 MiB aligned start needs at most 2 per bit of
 *   its size, in practice 1 to 4.
 * - TZC-400: overlapping regions 1..8 are undefined, so nothing else may
 *   match a TZDRAM byte: boot regions are cut around TZDRAM (what is left
 *   on either side stays the boot chain's), then TZDRAM is one region.
 *   Other overlaps are the platform's own and are refused.
 * Every set is checked with mm_regions_validate before it is returned.
 */
#include <stdio.h>
#include <string.h>

#include "mm_plan.h"
#include "mm_text.h"

typedef unsigned long long ull;

static void add_owned(struct mm_regions *rs, const char *name,
		      uint64_t start, uint64_t size, unsigned number,
		      enum mm_owner owner)
{
	mm_regions_add(rs, name, start, size, number, owner,
		       mm_owner_access(owner));
}

/* The largest power of two that divides a (a != 0) and is <= n. */
static uint64_t aligned_block(uint64_t a, uint64_t n)
{
	uint64_t b = a ? a & (~a + 1) : UINT64_C(1) << 63;
	while (b > n)
		b >>= 1;
	return b;
}

size_t mm_plan_pow2_blocks(uint64_t start, uint64_t size, uint64_t *starts,
			   uint64_t *sizes, size_t max)
{
	size_t n = 0;
	while (size) {
		uint64_t b = aligned_block(start, size);
		if (n < max) {
			starts[n] = start;
			sizes[n] = b;
		}
		n++;
		start += b;
		size -= b;
	}
	return n;
}

/* Region 0 and the platform's regions that are not today's TZDRAM;
 * boot regions cut around [cut_s, cut_s + cut_n) when cut_n != 0. */
static unsigned add_platform(const struct mm_platform *p,
			     struct mm_regions *rs, uint64_t cut_s,
			     uint64_t cut_n)
{
	add_owned(rs, "background", 0, 1ull << p->pa_bits, 0, p->background);
	unsigned num = 1;
	for (size_t i = 0; i < p->n_regions; i++) {
		const struct mm_platform_region *g = &p->regions[i];
		if (g->owner == MM_OWNER_SECURE)
			continue;
		uint64_t s = g->start, e = g->start + g->size;
		uint64_t cut_e = cut_s + cut_n;
		if (!cut_n || g->owner != MM_OWNER_BOOT || e <= cut_s ||
		    s >= cut_e) {
			add_owned(rs, g->name, s, g->size, num++, g->owner);
			continue;
		}
		if (s < cut_s)
			add_owned(rs, g->name, s, cut_s - s, num++, g->owner);
		if (e > cut_e)
			add_owned(rs, g->name, cut_e, e - cut_e, num++,
				  g->owner);
	}
	return num;
}

int mm_plan_regions(const struct mm_platform *p, uint64_t tz_start,
		    uint64_t tz_size, struct mm_regions *rs, char *err,
		    size_t err_len)
{
	unsigned max = p->tzasc == MM_CTRL_NONE ? MM_REGIONS_MAX
						: p->tzasc_regions;
	mm_regions_init(rs, p->tzasc, max, 1ull << p->pa_bits);
	bool tzc400 = p->tzasc == MM_CTRL_TZC400;
	unsigned num = add_platform(p, rs, tzc400 ? tz_start : 0,
				    tzc400 ? tz_size : 0);
	uint64_t bs[MM_REGIONS_MAX], bn[MM_REGIONS_MAX];
	size_t blocks = 1;
	bs[0] = tz_start;
	bn[0] = tz_size;
	if (p->tzasc == MM_CTRL_TZC380)
		blocks = mm_plan_pow2_blocks(tz_start, tz_size, bs, bn,
					     MM_REGIONS_MAX);
	if (num + blocks > max)
		return mm_fail(err, err_len, MM_PLAN_E_CONTROLLER,
			       "platform %s: TZDRAM [0x%llx, 0x%llx) needs %zu "
			       "%s region(s) on top of the platform's %u, the "
			       "controller has %u (0..%u)", p->name,
			       (ull)tz_start, (ull)(tz_start + tz_size),
			       blocks, mm_controller_name(p->tzasc), num, max,
			       max - 1);
	for (size_t i = 0; i < blocks; i++)
		add_owned(rs, "tzdram", bs[i], bn[i], num++, MM_OWNER_SECURE);
	char why[256];
	if (mm_regions_validate(rs, why, sizeof why))
		return mm_fail(err, err_len, MM_PLAN_E_CONTROLLER,
			       "platform %s: the planned regions are not "
			       "valid for its %s: %s", p->name,
			       mm_controller_name(p->tzasc), why);
	return MM_PLAN_OK;
}
