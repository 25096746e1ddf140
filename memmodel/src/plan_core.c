/*
 * The secure-memory planner: sizes, placement, translation tables and the
 * region set after planning. Rules and assumptions: mm_plan.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mm_plan.h"
#include "mm_error.h"

#define MiB 0x100000ull

const char *mm_plan_status_str(int status)
{
	switch (status) {
	case MM_PLAN_OK: return "ok";
	case MM_PLAN_E_ARG: return "bad argument";
	case MM_PLAN_E_OVERFLOW: return "sizes overflow the address space";
	case MM_PLAN_E_CONTROLLER: return "address-space controller not handled";
	case MM_PLAN_E_NO_FIT: return "the model does not fit the platform";
	default: return "unknown status";
	}
}

/* Round up to a power of two a; UINT64_MAX on overflow. */
static uint64_t roundup(uint64_t x, uint64_t a)
{
	if (x > UINT64_MAX - (a - 1))
		return UINT64_MAX;
	return (x + a - 1) & ~(a - 1);
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static bool overlaps(uint64_t s1, uint64_t n1, uint64_t s2, uint64_t n2)
{
	return n1 && n2 && s1 < s2 + n2 && s2 < s1 + n1;
}

static bool inside(uint64_t s, uint64_t n, uint64_t cs, uint64_t cn)
{
	return s >= cs && n <= cn && s - cs <= cn - n;
}

unsigned mm_plan_num_pgt(uint64_t tee_ram, uint64_t span)
{
	return span ? (unsigned)(tee_ram / span) + 1 : 0;
}

/* ---- Translation tables ---- */

struct wrange { uint64_t a, b; };	/* windows a..b inclusive */

static size_t merge_count(struct wrange *r, size_t n)
{
	/* the number of windows in the union of n ranges (n small) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && r[j].a < r[j - 1].a; j--) {
			struct wrange t = r[j]; r[j] = r[j - 1]; r[j - 1] = t;
		}
	size_t count = 0;
	uint64_t end = 0;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		uint64_t a = r[i].a;
		if (any && a <= end)
			a = end + 1;
		if (any && r[i].b <= end)
			continue;
		count += (size_t)(r[i].b - a + 1);
		end = r[i].b;
		any = true;
	}
	return count;
}

/* Adds the partially covered windows of [s, s + n) to r. */
static size_t partial_windows(uint64_t s, uint64_t n, uint64_t span,
			      struct wrange *r, size_t k)
{
	if (!n)
		return k;
	uint64_t e = s + n;
	uint64_t w0 = s / span, w1 = (e - 1) / span;
	if (s % span || (w0 == w1 && e % span))
		r[k++] = (struct wrange){ w0, w0 };
	if (e % span && w1 != w0)
		r[k++] = (struct wrange){ w1, w1 };
	return k;
}

unsigned mm_plan_xlat_count(const struct mm_platform *p, uint64_t tz_start,
			    uint64_t tee_core, uint64_t tz_size)
{
	uint64_t span = p->xlat_table_span;
	uint64_t gspan = span * (p->xlat_table_size / 8);
	struct wrange l3[6], l2[3];
	size_t k = 0;
	if (tee_core)
		l3[k++] = (struct wrange){ tz_start / span,
					   (tz_start + tee_core - 1) / span };
	k = partial_windows(tz_start + tee_core, tz_size - tee_core, span,
			    l3, k);
	k = partial_windows(p->shmem_start, p->shmem_size, span, l3, k);
	l2[0] = (struct wrange){ tz_start / gspan,
				 (tz_start + tz_size - 1) / gspan };
	size_t m = 1;
	if (p->shmem_size)
		l2[m++] = (struct wrange){ p->shmem_start / gspan,
			(p->shmem_start + p->shmem_size - 1) / gspan };
	return (unsigned)(merge_count(l3, k) + merge_count(l2, m));
}

/* ---- Forbidden areas ---- */

static size_t put(struct mm_conflict *out, size_t n, size_t max,
		  const char *name, uint64_t s, uint64_t sz,
		  enum mm_owner owner)
{
	if (n < max) {
		snprintf(out[n].name, sizeof out[n].name, "%s", name);
		out[n].start = s;
		out[n].size = sz;
		out[n].owner = owner;
	}
	return n + 1;
}

static bool in_region(const struct mm_platform *p, uint64_t a)
{
	for (size_t i = 0; i < p->n_regions; i++)
		if (p->regions[i].owner != MM_OWNER_SECURE &&
		    inside(a, 1, p->regions[i].start, p->regions[i].size))
			return true;
	return false;
}

size_t mm_plan_forbidden(const struct mm_platform *p, struct mm_conflict *out,
			 size_t max)
{
	size_t n = 0;
	uint64_t ts = p->tzdram_start, te = p->tzdram_start + p->tzdram_size;
	for (size_t i = 0; i < p->n_regions; i++) {
		const struct mm_platform_region *g = &p->regions[i];
		uint64_t s = g->start, e = g->start + g->size;
		switch (g->owner) {
		case MM_OWNER_SECURE:
			break;
		case MM_OWNER_NORMAL:
		case MM_OWNER_SHARED:
			n = put(out, n, max, g->name, s, g->size, g->owner);
			break;
		case MM_OWNER_BOOT:
			/* the boot firmware's part: outside today's TZDRAM */
			if (!overlaps(s, g->size, ts, p->tzdram_size)) {
				n = put(out, n, max, g->name, s, g->size,
					g->owner);
				break;
			}
			if (s < ts)
				n = put(out, n, max, g->name, s, ts - s,
					g->owner);
			if (e > te)
				n = put(out, n, max, g->name, te, e - te,
					g->owner);
			break;
		}
	}
	n = put(out, n, max, "shmem", p->shmem_start, p->shmem_size,
		MM_OWNER_SHARED);
	static const char *const names[] = { "bl33_base", "kernel_base",
					     "dtb_base" };
	const uint64_t at[] = { p->bl33_base, p->kernel_base, p->dtb_base };
	for (size_t i = 0; i < 3; i++)
		if (!in_region(p, at[i]))
			n = put(out, n, max, names[i], at[i] & ~(MM_PLAN_PAGE - 1),
				MM_PLAN_PAGE, MM_OWNER_NORMAL);
	return n;
}

/* ---- Placement ---- */

#define FORBIDDEN_MAX 64

struct area_set {
	struct mm_conflict f[FORBIDDEN_MAX];
	size_t n;
};

/* The lowest forbidden start >= s, or limit. */
static uint64_t free_until(const struct area_set *fs, uint64_t s,
			   uint64_t limit)
{
	uint64_t end = limit;
	for (size_t i = 0; i < fs->n; i++) {
		const struct mm_conflict *c = &fs->f[i];
		if (overlaps(c->start, c->size, s, 1))
			return s;
		if (c->start > s && c->start < end)
			end = c->start;
	}
	return end;
}

static uint64_t dram_end(const struct mm_platform *p)
{
	return p->dram_base + p->dram_size;
}

/* The candidate starts in DRAM, at or above `from` first, each ascending. */
static size_t candidates(const struct mm_platform *p,
			 const struct area_set *fs, uint64_t align,
			 uint64_t *c, uint64_t from)
{
	uint64_t raw[FORBIDDEN_MAX + 1];
	size_t n = 0;
	raw[n++] = roundup(p->dram_base, align);
	for (size_t i = 0; i < fs->n; i++)
		raw[n++] = roundup(fs->f[i].start + fs->f[i].size, align);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && raw[j] < raw[j - 1]; j--) {
			uint64_t t = raw[j]; raw[j] = raw[j - 1]; raw[j - 1] = t;
		}
	size_t k = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			if ((raw[i] >= from) != (pass == 0))
				continue;
			if (raw[i] < p->dram_base || raw[i] >= dram_end(p))
				continue;
			if (k && c[k - 1] == raw[i])
				continue;
			c[k++] = raw[i];
		}
	return k;
}

static void build_regions(const struct mm_platform *p, struct mm_plan *pl)
{
	struct mm_regions *rs = &pl->regions;
	mm_regions_init(rs, p->tzasc, MM_REGIONS_MAX, 1ull << p->pa_bits);
	mm_regions_add(rs, "background", 0, 1ull << p->pa_bits, 0,
		       p->background, mm_owner_access(p->background));
	unsigned num = 1;
	for (size_t i = 0; i < p->n_regions; i++) {
		const struct mm_platform_region *g = &p->regions[i];
		if (g->owner == MM_OWNER_SECURE)
			continue;
		mm_regions_add(rs, g->name, g->start, g->size, num++,
			       g->owner, mm_owner_access(g->owner));
	}
	mm_regions_add(rs, "tzdram", pl->tzdram_start, pl->tzdram_size, num,
		       MM_OWNER_SECURE, mm_owner_access(MM_OWNER_SECURE));
}

static double mib(uint64_t x)
{
	return (double)x / (double)MiB;
}

int mm_plan(const struct mm_plan_input *in, struct mm_plan *out, char *err,
	    size_t err_len)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!in || !out || !in->platform || !in->sessions) {
		mm_fail(err, err_len, 0, "need an input, an output, a platform and "
		     "at least one session");
		return MM_PLAN_E_ARG;
	}
	const struct mm_platform *p = in->platform;
	if (p->pa_bits < 20 || p->pa_bits > 48 || !p->xlat_table_span ||
	    (p->xlat_table_span & (p->xlat_table_span - 1)) ||
	    p->xlat_table_size < 8 || !p->dram_size) {
		mm_fail(err, err_len, 0, "platform %s: unusable pa_bits, DRAM or "
		     "translation-table keys", p->name);
		return MM_PLAN_E_ARG;
	}
	if (p->tzasc != MM_CTRL_NONE) {
		mm_fail(err, err_len, 0, "platform %s: the planner handles only "
		     "tzasc = none, not %s", p->name,
		     mm_controller_name(p->tzasc));
		return MM_PLAN_E_CONTROLLER;
	}
	struct mm_plan *pl = out;
	uint64_t space = 1ull << p->pa_bits;
	pl->weights = in->weights;
	pl->arena = in->arena;
	pl->heap_slack = in->heap_slack;
	pl->sessions = in->sessions;
	pl->ta_data_size = roundup(add_sat(add_sat(in->weights, in->arena),
					   in->heap_slack), MM_PLAN_PAGE);
	pl->ta_stack_size = roundup(in->ta_stack ? in->ta_stack
						 : MM_PLAN_DEFAULT_STACK,
				    MM_PLAN_PAGE);
	pl->ta_code_size = roundup(in->ta_code, MM_PLAN_PAGE);
	pl->ta_instance_size = add_sat(add_sat(pl->ta_data_size,
					       pl->ta_stack_size),
				       add_sat(pl->ta_code_size,
					       MM_PLAN_TA_OVERHEAD));
	pl->ta_ram_needed = mul_sat(pl->ta_instance_size, in->sessions);
	pl->tee_core = roundup(in->tee_core ? in->tee_core : p->tee_ram_size,
			       MM_PLAN_PAGE);
	pl->tee_ram_paper = add_sat(add_sat(in->weights, in->arena),
				    pl->tee_core);
	pl->num_pgt_paper = pl->tee_ram_paper >= space ? 0
		: mm_plan_num_pgt(pl->tee_ram_paper, p->xlat_table_span);
	uint64_t need = roundup(add_sat(pl->tee_core, pl->ta_ram_needed),
				MM_PLAN_TZDRAM_GRANULE);
	if (need >= space) {
		uint64_t keep = pl->ta_ram_needed;
		memset(out, 0, sizeof *out);
		mm_fail(err, err_len, 0, "model needs %.1f MiB of TA RAM, beyond "
		     "the %u-bit physical address space of %s",
		     mib(keep), p->pa_bits, p->name);
		return MM_PLAN_E_OVERFLOW;
	}

	struct area_set fs_local, *fs = &fs_local;
	fs->n = mm_plan_forbidden(p, fs->f, FORBIDDEN_MAX);
	if (fs->n > FORBIDDEN_MAX)
		fs->n = FORBIDDEN_MAX;

	/* in place */
	uint64_t size = need > p->tzdram_size ? need : p->tzdram_size;
	uint64_t ts = p->tzdram_start;
	bool in_dram = inside(ts, p->tzdram_size, p->dram_base, p->dram_size);
	uint64_t cs = in_dram ? p->dram_base : p->secure_sram_start;
	uint64_t cn = in_dram ? p->dram_size : p->secure_sram_size;
	bool ok = true;
	if (!inside(ts, size, cs, cn)) {
		ok = false;
		if (pl->n_conflicts < MM_PLAN_CONFLICTS_MAX) {
			struct mm_conflict *c =
				&pl->conflicts[pl->n_conflicts++];
			snprintf(c->name, sizeof c->name, "end of %s",
				 in_dram ? "DRAM" : "secure RAM");
			c->start = cs + cn;
			c->size = 0;
			c->owner = in_dram ? MM_OWNER_NORMAL : MM_OWNER_BOOT;
		}
	}
	for (size_t i = 0; i < fs->n; i++)
		if (overlaps(ts, size, fs->f[i].start, fs->f[i].size)) {
			ok = false;
			if (pl->n_conflicts < MM_PLAN_CONFLICTS_MAX)
				pl->conflicts[pl->n_conflicts++] = fs->f[i];
		}
	uint64_t span = p->xlat_table_span;
	if (ok) {
		pl->tzdram_start = ts;
		pl->tzdram_size = size;
		pl->placement = size == p->tzdram_size ? MM_PLACE_UNCHANGED
						       : MM_PLACE_GROWN;
	} else {
		uint64_t c[FORBIDDEN_MAX + 1], best = 0;
		size_t k = candidates(p, fs, span, c, ts);
		bool found = false;
		for (size_t i = 0; i < k; i++) {
			uint64_t lim = free_until(fs, c[i], dram_end(p));
			uint64_t room = lim - c[i];
			if (room > best)
				best = room;
			if (!found && room >= need) {
				found = true;
				pl->tzdram_start = c[i];
			}
		}
		/* what in place could give, when nothing is in the way but
		 * the container's end */
		uint64_t here = free_until(fs, ts, cs + cn) - ts;
		if (here > best)
			best = here;
		if (!found) {
			uint64_t keep = pl->ta_ram_needed, core = pl->tee_core;
			memset(out, 0, sizeof *out);
			uint64_t give = best > core ? best - core : 0;
			mm_fail(err, err_len, 0, "model needs %.1f MiB of TA RAM "
			     "(%u session(s) x %.1f MiB; TZDRAM %.1f MiB with "
			     "%.1f MiB TEE core), the platform %s can give "
			     "at most %.1f MiB", mib(keep), in->sessions,
			     mib(keep / in->sessions), mib(need), mib(core),
			     p->name, mib(give));
			return MM_PLAN_E_NO_FIT;
		}
		pl->tzdram_size = need;
		pl->placement = MM_PLACE_RELOCATED;
	}
	pl->ta_ram_start = pl->tzdram_start + pl->tee_core;
	pl->ta_ram_size = pl->tzdram_size - pl->tee_core;
	pl->xlat_needed = mm_plan_xlat_count(p, pl->tzdram_start, pl->tee_core,
					     pl->tzdram_size);
	pl->max_xlat_tables = pl->xlat_needed > p->xlat_tables
		? pl->xlat_needed : p->xlat_tables;
	/* TA user mapping: code, stack and heap in 2 MiB tables, one extra
	 * for a window split by alignment */
	uint64_t per = pl->ta_instance_size / span + 2;
	pl->pgt_per_instance = per > 0xffff ? 0xffff : (unsigned)per;
	unsigned running = in->sessions < p->num_threads ? in->sessions
							 : p->num_threads;
	unsigned ppp = p->pgt_per_page ? p->pgt_per_page : 1;
	unsigned want = running * pl->pgt_per_instance;
	want = (want + ppp - 1) / ppp * ppp;
	pl->pgt_cache_size = want > p->pgt_cache_size ? want
						      : p->pgt_cache_size;
	build_regions(p, pl);

	int w = snprintf(pl->note, sizeof pl->note,
			 "TA_DATA_SIZE=0x%llx TA_STACK_SIZE=0x%llx "
			 "CFG_TZDRAM_START=0x%llx CFG_TZDRAM_SIZE=0x%llx "
			 "CFG_TEE_RAM_VA_SIZE=0x%llx MAX_XLAT_TABLES=%u "
			 "PGT_CACHE_SIZE=%u",
			 (unsigned long long)pl->ta_data_size,
			 (unsigned long long)pl->ta_stack_size,
			 (unsigned long long)pl->tzdram_start,
			 (unsigned long long)pl->tzdram_size,
			 (unsigned long long)pl->tee_core,
			 pl->max_xlat_tables, pl->pgt_cache_size);
	if (pl->placement == MM_PLACE_RELOCATED && w > 0 &&
	    (size_t)w < sizeof pl->note)
		snprintf(pl->note + w, sizeof pl->note - (size_t)w,
			 "; CFG_TZDRAM_START moved: tell the normal world "
			 "(reserved-memory no-map in the device tree / U-Boot) "
			 "and move TF-A's BL32 load address");
	return MM_PLAN_OK;
}
