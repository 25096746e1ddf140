/*
 * The plan a person reads: each setting from what to what and why, then
 * the conflicts, the regions after planning, the scrubbing and the
 * invariants (mm_plan_report.h).
 */
#include <stdio.h>

#include "mm_plan_report.h"

typedef unsigned long long ull;

#define MiB (1024.0 * 1024.0)
#define KiB 1024.0

const char *mm_placement_str(int placement)
{
	switch (placement) {
	case MM_PLACE_UNCHANGED: return "unchanged";
	case MM_PLACE_GROWN: return "grown in place";
	case MM_PLACE_RELOCATED: return "relocated";
	case MM_PLACE_SHRUNK: return "shrunk in place";
	default: return "unknown";
	}
}

static double mib(uint64_t x)
{
	return (double)x / MiB;
}

/* One row: name, before, after, why; "=" when unchanged. */
static void row_hex(FILE *f, const char *name, uint64_t before,
		    uint64_t after, const char *why)
{
	if (before == after)
		fprintf(f, "  %-21s 0x%08llx   =            %s\n", name,
			(ull)before, why);
	else
		fprintf(f, "  %-21s 0x%08llx   0x%08llx   %s\n", name,
			(ull)before, (ull)after, why);
}

static void row_num(FILE *f, const char *name, unsigned before,
		    unsigned after, const char *why)
{
	if (before == after)
		fprintf(f, "  %-21s %-10u   =            %s\n", name, before,
			why);
	else
		fprintf(f, "  %-21s %-10u   %-10u   %s\n", name, before, after,
			why);
}

static void write_needs(FILE *f, const struct mm_platform *p,
			const struct mm_plan *pl)
{
	fprintf(f, "The model needs (S-Tinylib's tl_plan):\n"
		"  weights M_s %.2f MiB, arena F_gc %.2f MiB, heap slack "
		"%.2f MiB -> TA heap %.2f MiB\n"
		"  one TA instance %.2f MiB (heap + stack %.0f KiB + code "
		"%.0f KiB + %.0f KiB loader and padding), %u session(s): "
		"TA_RAM %.2f MiB\n",
		mib(pl->weights), mib(pl->arena), mib(pl->heap_slack),
		mib(pl->ta_data_size), mib(pl->ta_instance_size),
		(double)pl->ta_stack_size / KiB,
		(double)pl->ta_code_size / KiB,
		(double)MM_PLAN_TA_OVERHEAD / KiB, pl->sessions,
		mib(pl->ta_ram_needed));
	if (pl->run_shm && p->client_shm == MM_SHM_REGISTERED)
		fprintf(f, "  one inference: input and output %.0f KiB at once "
			"in normal-world pages registered for the call\n",
			(double)pl->run_shm / KiB);
	else if (pl->run_shm)
		fprintf(f, "  one inference: input and output %.0f KiB at once "
			"in the static shared memory (%.0f KiB)\n",
			(double)pl->run_shm / KiB,
			(double)p->shmem_size / KiB);
	fprintf(f, "  the paper's view: TEE_RAM = M_s + F_gc + TEE_CORE = "
		"%.2f MiB, NUM_pgt = floor(TEE_RAM / %.0f MiB) + 1 = %u\n\n",
		mib(pl->tee_ram_paper), mib(p->xlat_table_span),
		pl->num_pgt_paper);
}

static void write_settings(FILE *f, const struct mm_platform *p,
			   const struct mm_plan *pl)
{
	char why[160];
	fprintf(f, "Settings (before -> after):\n");
	snprintf(why, sizeof why, "%s%s", mm_placement_str(pl->placement),
		 pl->placement == MM_PLACE_RELOCATED
		 ? ": see the conflicts below" : "");
	row_hex(f, "CFG_TZDRAM_START", p->tzdram_start, pl->tzdram_start,
		why);
	snprintf(why, sizeof why, "TEE core %.2f MiB + TA_RAM %.2f MiB, in "
		 "1 MiB steps", mib(pl->tee_core), mib(pl->ta_ram_size));
	row_hex(f, "CFG_TZDRAM_SIZE", p->tzdram_size, pl->tzdram_size, why);
	row_hex(f, "CFG_TEE_RAM_VA_SIZE", p->tee_ram_size, pl->tee_core,
		"TEE core RAM, at the start of TZDRAM");
	row_hex(f, "TA_RAM start", p->tzdram_start + p->tee_ram_size,
		pl->ta_ram_start, "after the TEE core");
	row_hex(f, "TA_DATA_SIZE", 0x8000, pl->ta_data_size,
		"TA heap: weights + arena + slack (before: optee_examples)");
	row_hex(f, "TA_STACK_SIZE", MM_PLAN_DEFAULT_STACK, pl->ta_stack_size,
		"S-Tinylib's deepest call chain (before: optee_examples)");
	snprintf(why, sizeof why, "core mappings of TZDRAM and shared "
		 "memory take %u", pl->xlat_needed);
	row_num(f, "MAX_XLAT_TABLES", p->xlat_tables, pl->max_xlat_tables,
		why);
	snprintf(why, sizeof why, "%u running instance(s) x %u tables",
		 pl->sessions < p->num_threads ? pl->sessions
					       : p->num_threads,
		 pl->pgt_per_instance);
	row_num(f, p->pgt_cache_is_cfg ? "CFG_PGT_CACHE_ENTRIES"
				       : "PGT_CACHE_SIZE",
		p->pgt_cache_size, pl->pgt_cache_size, why);
	fprintf(f, "  %-21s 0x%08llx   =            static shared memory "
		"unchanged; the window below fits in it\n\n", "CFG_SHMEM_SIZE",
		(ull)p->shmem_size);
}

static void write_window(FILE *f, const struct mm_plan *pl)
{
	const struct mm_shm_fit *t = &pl->shm_fit;
	const char *capped = pl->shm_capped
		? "; capped at the static shared memory's size" : "";
	if (pl->shm_fit_applied) {
		fprintf(f, "Shared-memory window: %llu bytes (%.0f KiB) per "
			"call, the smallest within %.0f%% of the asymptote "
			"of\n  T(w) = %.4g + %.4g exp(-w / %.4g), r^2 %.4f, "
			"fitted to %s%s\n", (ull)pl->shm_window,
			(double)pl->shm_window / KiB, pl->shm_tolerance * 100,
			t->a, t->b, t->c, t->r2, pl->shm_source, capped);
		fprintf(f, "  On the data themselves this window takes %.2fx "
			"the best time of any window (the fit promises at "
			"most %.2fx).\n\n", pl->shm_data_ratio,
			1 + pl->shm_tolerance);
		return;
	}
	fprintf(f, "Shared-memory window: %llu bytes (%.0f KiB) per call, the "
		"smallest whose time is within %.0f%% of the best of the "
		"points\n  (%s)%s.\n"
		"  The exponential fit T(w) = a + b exp(-w / c) did not apply "
		"to them\n  (%s),\n  so the points chose: the window is a "
		"recommendation, never a reason to refuse. It takes %.2fx "
		"the best time.\n\n", (ull)pl->shm_window,
		(double)pl->shm_window / KiB, pl->shm_tolerance * 100,
		pl->shm_source, capped, pl->shm_fit_skipped,
		pl->shm_data_ratio);
}

static void write_conflicts(FILE *f, const struct mm_plan *pl)
{
	if (!pl->n_conflicts)
		return;
	fprintf(f, "Growing TZDRAM in place would have covered:\n");
	for (size_t i = 0; i < pl->n_conflicts; i++) {
		const struct mm_conflict *c = &pl->conflicts[i];
		fprintf(f, "  %-12s [0x%08llx, 0x%08llx) %s\n", c->name,
			(ull)c->start, (ull)(c->start + c->size),
			mm_owner_name(c->owner));
	}
	fprintf(f, "  so TZDRAM moves to 0x%08llx. Also change: the normal "
		"world must not use the new TZDRAM (a reserved-memory node "
		"with no-map in the device tree), and TF-A must load BL32 "
		"there (its BL32 base).\n\n", (ull)pl->tzdram_start);
}

/* What the normal world and the core must do beyond the settings. */
static void write_guard(FILE *f, const struct mm_plan *pl)
{
	if (pl->core_aslr_off)
		fprintf(f, "The core's ASLR off (CFG_CORE_ASLR := n): with "
			"TZDRAM moved, OP-TEE panicked at boot for some ASLR "
			"seeds (\"user_va_idx != -1\", docs/qemu.md).\n\n");
	if (pl->nw_must_lock_down)
		fprintf(f, "No hardware keeps the normal world out of TZDRAM "
			"here: its kernel must not map it (reserved-memory, "
			"no-map) and must not let user space read physical "
			"memory (boot Linux with lockdown=integrity; the no-map "
			"reservation alone does not stop an mmap of /dev/mem, "
			"docs/qemu.md).\n\n");
}

static void write_regions(FILE *f, const struct mm_platform *p,
			  const struct mm_plan *pl)
{
	fprintf(f, "Regions after planning (controller %s; %s):\n",
		mm_controller_name(p->tzasc),
		p->tzasc == MM_CTRL_TZC400
		? "no two regions 1..8 overlap"
		: "the highest number decides");
	for (size_t i = 0; i < pl->regions.n; i++) {
		const struct mm_region *r = &pl->regions.r[i];
		fprintf(f, "  %2u %-12s [0x%09llx, 0x%09llx) %-6s normal "
			"world %s\n", r->number, r->name, (ull)r->start,
			(ull)(r->start + r->size), mm_owner_name(r->owner),
			r->access & MM_NS_RW ? "reads/writes" : "denied");
	}
	fputc('\n', f);
}

static void write_scrub(FILE *f, const struct mm_platform *p,
			const struct mm_plan *pl)
{
	struct mm_range r[2];
	size_t k = mm_plan_scrub_ranges(p->tzdram_start, p->tzdram_size,
					pl->tzdram_start, pl->tzdram_size, r);
	if (!k) {
		fprintf(f, "Scrub: nothing leaves TZDRAM.\n");
		return;
	}
	fprintf(f, "Scrub before the new settings take effect (today's "
		"TZDRAM that the normal world gets back):\n");
	for (size_t i = 0; i < k; i++)
		fprintf(f, "  [0x%08llx, 0x%08llx) %.2f MiB\n",
			(ull)r[i].start, (ull)(r[i].start + r[i].size),
			mib(r[i].size));
}

int mm_plan_write_text(FILE *f, const struct mm_platform *p,
		       const struct mm_plan *pl, const char *model)
{
	fprintf(f, "Smart-Zone plan: %s on %s\n\n", model ? model : "model",
		p->name);
	write_needs(f, p, pl);
	write_settings(f, p, pl);
	write_window(f, pl);
	write_conflicts(f, pl);
	write_guard(f, pl);
	write_regions(f, p, pl);
	write_scrub(f, p, pl);
	struct mm_violation v;
	int inv = mm_check(p, pl, &v);
	fprintf(f, "\nInvariants: %s\n", inv ? v.msg
		: "all hold (every TZDRAM byte decided by a secure-only "
		  "region; no shared or normal memory in TZDRAM; TA "
		  "allocations in TA_RAM; tables cover every mapping)");
	return ferror(f) ? -1 : 0;
}
