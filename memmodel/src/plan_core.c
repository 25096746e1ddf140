/*
 * The secure-memory planner: sizes, placement, translation tables and the
 * region set after planning. Rules and assumptions: mm_plan.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mm_plan.h"
#include "mm_text.h"

#define MiB 0x100000ull

const char *mm_plan_status_str(int status)
{
	switch (status) {
	case MM_PLAN_OK: return "ok";
	case MM_PLAN_E_ARG: return "bad argument";
	case MM_PLAN_E_OVERFLOW: return "sizes overflow the address space";
	case MM_PLAN_E_CONTROLLER: return "the address-space controller can not express the regions";
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

unsigned mm_plan_pgt_per_instance(uint64_t instance_bytes, uint64_t span)
{
	uint64_t per = span ? instance_bytes / span + 2 : 0xffff;
	return per > 0xffff ? 0xffff : (unsigned)per;
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

static double mib(uint64_t x)
{
	return (double)x / (double)MiB;
}

static bool usable_platform(const struct mm_platform *p)
{
	return p->pa_bits >= 20 && p->pa_bits <= 48 && p->xlat_table_span &&
	       !(p->xlat_table_span & (p->xlat_table_span - 1)) &&
	       p->xlat_table_size >= 8 && p->dram_size;
}

/* The TA's and the paper's sizes (mm_plan.h, "Rules"). */
static void size_ta(const struct mm_plan_input *in, struct mm_plan *pl)
{
	const struct mm_platform *p = in->platform;
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
}

static void add_conflict(struct mm_plan *pl, const struct mm_conflict *c)
{
	if (pl->n_conflicts < MM_PLAN_CONFLICTS_MAX)
		pl->conflicts[pl->n_conflicts++] = *c;
}

/* Today's TZDRAM start with the new size, when nothing is in the way;
 * else records in pl what is. */
static bool fits_in_place(const struct mm_platform *p,
			  const struct area_set *fs, uint64_t size,
			  struct mm_plan *pl)
{
	uint64_t ts = p->tzdram_start;
	bool in_dram = inside(ts, p->tzdram_size, p->dram_base, p->dram_size);
	uint64_t cs = in_dram ? p->dram_base : p->secure_sram_start;
	uint64_t cn = in_dram ? p->dram_size : p->secure_sram_size;
	bool ok = true;
	if (!inside(ts, size, cs, cn)) {
		struct mm_conflict end = {
			.start = cs + cn, .size = 0,
			.owner = in_dram ? MM_OWNER_NORMAL : MM_OWNER_BOOT,
		};
		snprintf(end.name, sizeof end.name, "end of %s",
			 in_dram ? "DRAM" : "secure RAM");
		add_conflict(pl, &end);
		ok = false;
	}
	for (size_t i = 0; i < fs->n; i++)
		if (overlaps(ts, size, fs->f[i].start, fs->f[i].size)) {
			add_conflict(pl, &fs->f[i]);
			ok = false;
		}
	return ok;
}

/* The first candidate start in DRAM with room for need bytes; else 0
 * and *best the most any start (or today's, to its container's end)
 * could give. */
static bool relocate(const struct mm_platform *p, const struct area_set *fs,
		     uint64_t need, uint64_t *start, uint64_t *best)
{
	uint64_t c[FORBIDDEN_MAX + 1];
	size_t k = candidates(p, fs, p->xlat_table_span, c, p->tzdram_start);
	bool found = false;
	*best = 0;
	for (size_t i = 0; i < k; i++) {
		uint64_t room = free_until(fs, c[i], dram_end(p)) - c[i];
		if (room > *best)
			*best = room;
		if (!found && room >= need) {
			found = true;
			*start = c[i];
		}
	}
	uint64_t ts = p->tzdram_start;
	bool in_dram = inside(ts, p->tzdram_size, p->dram_base, p->dram_size);
	uint64_t end = in_dram ? dram_end(p)
			       : p->secure_sram_start + p->secure_sram_size;
	uint64_t here = free_until(fs, ts, end) - ts;
	if (here > *best)
		*best = here;
	return found;
}

static void forbidden_set(const struct mm_platform *p, struct area_set *fs)
{
	fs->n = mm_plan_forbidden(p, fs->f, FORBIDDEN_MAX);
	if (fs->n > FORBIDDEN_MAX)
		fs->n = FORBIDDEN_MAX;
}

/* The refusal of a model that does not fit: the TA RAM it needs (need:
 * the TZDRAM that would hold it) and the most TA RAM the platform can
 * give (best: the largest free TZDRAM, less the TEE core). */
static int no_fit(const struct mm_plan_input *in, const struct mm_plan *pl,
		  uint64_t need, uint64_t best, int status, char *err,
		  size_t err_len)
{
	const struct mm_platform *p = in->platform;
	uint64_t give = best > pl->tee_core ? best - pl->tee_core : 0;
	char beyond[96] = "";
	if (status == MM_PLAN_E_OVERFLOW)
		snprintf(beyond, sizeof beyond, " (beyond its %u-bit physical "
			 "address space)", p->pa_bits);
	return mm_fail(err, err_len, status, "model needs %.1f MiB of TA RAM "
		       "(%u session(s) x %.1f MiB; TZDRAM %.1f MiB with %.1f "
		       "MiB TEE core), the platform %s%s can give at most "
		       "%.1f MiB", mib(pl->ta_ram_needed), in->sessions,
		       mib(pl->ta_instance_size), mib(need), mib(pl->tee_core),
		       p->name, beyond, mib(give));
}

/* Placement: in place (grown or, when allowed, shrunk) or relocated.
 * Returns MM_PLAN_OK or MM_PLAN_E_NO_FIT with err written. */
static int place(const struct mm_plan_input *in, uint64_t need,
		 struct mm_plan *pl, char *err, size_t err_len)
{
	const struct mm_platform *p = in->platform;
	struct area_set fs;
	forbidden_set(p, &fs);
	uint64_t size = need > p->tzdram_size || in->allow_shrink
		? need : p->tzdram_size;
	if (fits_in_place(p, &fs, size, pl)) {
		pl->tzdram_start = p->tzdram_start;
		pl->tzdram_size = size;
		pl->placement = size == p->tzdram_size ? MM_PLACE_UNCHANGED
			: size > p->tzdram_size ? MM_PLACE_GROWN
						: MM_PLACE_SHRUNK;
		return MM_PLAN_OK;
	}
	uint64_t best;
	if (relocate(p, &fs, need, &pl->tzdram_start, &best)) {
		pl->tzdram_size = need;
		pl->placement = MM_PLACE_RELOCATED;
		return MM_PLAN_OK;
	}
	return no_fit(in, pl, need, best, MM_PLAN_E_NO_FIT, err, err_len);
}

/* A model beyond the physical address space: refused with what the
 * platform could give it. */
static int beyond_space(const struct mm_plan_input *in, uint64_t need,
			const struct mm_plan *pl, char *err, size_t err_len)
{
	struct area_set fs;
	uint64_t start, best;
	forbidden_set(in->platform, &fs);
	relocate(in->platform, &fs, UINT64_MAX, &start, &best);
	return no_fit(in, pl, need, best, MM_PLAN_E_OVERFLOW, err, err_len);
}

/* One inference's input and output in the static shared memory at
 * once, where the client takes its buffers from it (mm_plan.h); else
 * refused with both sizes. Registered buffers are normal-world pages,
 * not planned. */
static int fit_run(const struct mm_plan_input *in, struct mm_plan *pl,
		   char *err, size_t err_len)
{
	const struct mm_platform *p = in->platform;
	uint64_t a = roundup(in->run_in, MM_PLAN_PAGE);
	uint64_t b = roundup(in->run_out, MM_PLAN_PAGE);
	pl->run_shm = add_sat(a, b);
	if (p->client_shm == MM_SHM_REGISTERED || pl->run_shm <= p->shmem_size)
		return MM_PLAN_OK;
	/* in KiB: whole pages, exact where MiB would round both to one */
	return mm_fail(err, err_len, MM_PLAN_E_NO_FIT, "model needs %llu KiB "
		       "of shared memory for one inference (input %llu KiB "
		       "and output %llu KiB, a page-rounded buffer each, at "
		       "once), the platform %s can give at most %llu KiB (its "
		       "static shared memory, CFG_SHMEM_SIZE)",
		       (unsigned long long)(pl->run_shm >> 10),
		       (unsigned long long)(a >> 10),
		       (unsigned long long)(b >> 10), p->name,
		       (unsigned long long)(p->shmem_size >> 10));
}

/* Core translation tables and the TA page-table cache for the placed
 * TZDRAM. */
static void size_tables(const struct mm_platform *p, struct mm_plan *pl)
{
	uint64_t span = p->xlat_table_span;
	pl->xlat_needed = mm_plan_xlat_count(p, pl->tzdram_start, pl->tee_core,
					     pl->tzdram_size);
	pl->max_xlat_tables = pl->xlat_needed > p->xlat_tables
		? pl->xlat_needed : p->xlat_tables;
	/* While a command runs, its memrefs are mapped into the TA's address
	 * space beside the TA's regions, one page apart (OP-TEE's vm_map of
	 * the parameters, core/mm/vm.c), and take level-3 tables from the
	 * same cache: the largest command's, a chunk of the window or one
	 * inference's input and output. Without them the count fell one
	 * short for yolov3-tiny (its 2 MiB input), which the Unicorn
	 * runner's tables showed (docs/unicorn.md). */
	uint64_t chunk = roundup(pl->shm_window, MM_PLAN_PAGE);
	uint64_t params = add_sat(pl->run_shm > chunk ? pl->run_shm : chunk,
				  MM_PLAN_PAGE);
	pl->pgt_per_instance = mm_plan_pgt_per_instance(
		add_sat(pl->ta_instance_size, params), span);
	unsigned running = pl->sessions < p->num_threads ? pl->sessions
							 : p->num_threads;
	unsigned ppp = p->pgt_per_page ? p->pgt_per_page : 1;
	unsigned want = running * pl->pgt_per_instance;
	want = (want + ppp - 1) / ppp * ppp;
	pl->pgt_cache_size = want > p->pgt_cache_size ? want
						      : p->pgt_cache_size;
}

/* The shared-memory window from the transfer-time points (the
 * provisional table when the input has none). */
static int size_window(const struct mm_plan_input *in, struct mm_plan *pl,
		       char *err, size_t err_len)
{
	const struct mm_platform *p = in->platform;
	const struct mm_shm_point *pts = in->shm_points;
	size_t n = in->n_shm_points;
	pl->shm_provisional = !pts;
	snprintf(pl->shm_source, sizeof pl->shm_source, "%s",
		 !pts ? "the PROVISIONAL table (assumed costs, not "
			"measurements)"
		 : in->shm_source ? in->shm_source
		 : "the given transfer times");
	if (!pts)
		pts = mm_shm_provisional_table(&n);
	pl->shm_tolerance = in->shm_tolerance > 0 ? in->shm_tolerance
						  : MM_PLAN_SHM_TOLERANCE;
	uint64_t max = p->shmem_size >= MM_PLAN_PAGE
		? p->shmem_size & ~(MM_PLAN_PAGE - 1) : MM_PLAN_PAGE;
	pl->shm_fit_applied =
		!mm_shm_fit(pts, n, &pl->shm_fit, pl->shm_fit_skipped,
			    sizeof pl->shm_fit_skipped) &&
		!mm_shm_window(&pl->shm_fit, pl->shm_tolerance, MM_PLAN_PAGE,
			       MM_PLAN_PAGE, max, &pl->shm_window,
			       &pl->shm_capped, pl->shm_fit_skipped,
			       sizeof pl->shm_fit_skipped);
	size_t why_len = strlen(pl->shm_fit_skipped);
	if (pl->shm_fit_applied) {
		pl->shm_fit_skipped[0] = '\0';
	} else {
		/* a clause in the plan's sentence: no full stop */
		if (why_len && pl->shm_fit_skipped[why_len - 1] == '.')
			pl->shm_fit_skipped[why_len - 1] = '\0';
		memset(&pl->shm_fit, 0, sizeof pl->shm_fit);
		char why[256];
		if (mm_shm_window_from_points(pts, n, pl->shm_tolerance,
					      MM_PLAN_PAGE, MM_PLAN_PAGE, max,
					      &pl->shm_window,
					      &pl->shm_capped, why,
					      sizeof why))
			return mm_fail(err, err_len, MM_PLAN_E_ARG, "the "
				       "transfer points for the shared-memory "
				       "window: %s", why);
	}
	pl->shm_data_ratio = mm_shm_data_ratio(pts, n,
					       (double)pl->shm_window);
	return MM_PLAN_OK;
}

static void write_note(struct mm_plan *pl)
{
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
}

static int refuse(struct mm_plan *out, int status)
{
	memset(out, 0, sizeof *out);
	return status;
}

int mm_plan(const struct mm_plan_input *in, struct mm_plan *out, char *err,
	    size_t err_len)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!in || !out || !in->platform || !in->sessions)
		return mm_fail(err, err_len, MM_PLAN_E_ARG, "need an input, an "
			       "output, a platform and at least one session");
	const struct mm_platform *p = in->platform;
	if (!usable_platform(p))
		return mm_fail(err, err_len, MM_PLAN_E_ARG, "platform %s: "
			       "unusable pa_bits, DRAM or translation-table "
			       "keys", p->name);
	size_ta(in, out);
	uint64_t need = roundup(add_sat(out->tee_core, out->ta_ram_needed),
				MM_PLAN_TZDRAM_GRANULE);
	if (need >= 1ull << p->pa_bits)
		return refuse(out, beyond_space(in, need, out, err, err_len));
	int rc = place(in, need, out, err, err_len);
	if (!rc)
		rc = fit_run(in, out, err, err_len);
	if (!rc)
		rc = mm_plan_regions(p, out->tzdram_start, out->tzdram_size,
				     &out->regions, err, err_len);
	if (!rc)
		rc = size_window(in, out, err, err_len);
	if (rc)
		return refuse(out, rc);
	out->ta_ram_start = out->tzdram_start + out->tee_core;
	out->ta_ram_size = out->tzdram_size - out->tee_core;
	size_tables(p, out);
	mm_plan_guard(p, out);
	write_note(out);
	return MM_PLAN_OK;
}
