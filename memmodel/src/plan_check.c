/*
 * mm_check: the invariants a secure-memory plan must keep (mm_plan.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mm_plan.h"

const char *mm_invariant_str(int inv)
{
	switch (inv) {
	case MM_INV_OK: return "ok";
	case MM_INV_PLACE: return "TZDRAM lies neither inside DRAM nor inside secure RAM";
	case MM_INV_SHM_OVERLAP: return "shared memory overlaps TZDRAM";
	case MM_INV_NORMAL_AREA: return "TZDRAM overlaps an area the normal world or boot chain owns";
	case MM_INV_NOT_SECURE: return "a TZDRAM byte is not decided by a secure-only region";
	case MM_INV_TA_RAM: return "TA allocations do not lie in TA_RAM";
	case MM_INV_XLAT: return "translation tables do not cover every mapping";
	default: return "unknown invariant";
	}
}

static bool overlaps(uint64_t s1, uint64_t n1, uint64_t s2, uint64_t n2)
{
	return n1 && n2 && s1 < s2 + n2 && s2 < s1 + n1;
}

static bool inside(uint64_t s, uint64_t n, uint64_t cs, uint64_t cn)
{
	return s >= cs && n <= cn && s - cs <= cn - n;
}

__attribute__((format(printf, 5, 6)))
static int broke(struct mm_violation *v, enum mm_invariant inv,
		 uint64_t addr, const char *region, const char *fmt, ...)
{
	v->inv = inv;
	v->addr = addr;
	snprintf(v->region, sizeof v->region, "%s", region ? region : "");
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(v->msg, sizeof v->msg, "%s: ", mm_invariant_str(inv));
	if (n > 0 && (size_t)n < sizeof v->msg)
		vsnprintf(v->msg + n, sizeof v->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return inv;
}

typedef unsigned long long ull;

/* The secure decision at addr, or a violation. */
static int check_at(const struct mm_plan *pl, uint64_t addr,
		    struct mm_violation *v)
{
	struct mm_decision d;
	int rc = mm_decide(&pl->regions, addr, &d);
	if (rc != MM_REGIONS_OK)
		return broke(v, MM_INV_NOT_SECURE, addr, NULL,
			     "no decision at 0x%llx (%s)", (ull)addr,
			     mm_regions_status_str(rc));
	if (d.region->owner != MM_OWNER_SECURE || d.ns_read || d.ns_write ||
	    !d.s_read || !d.s_write)
		return broke(v, MM_INV_NOT_SECURE, addr, d.region->name,
			     "0x%llx is decided by region %u '%s' (%s%s%s)",
			     (ull)addr, d.region->number, d.region->name,
			     mm_owner_name(d.region->owner),
			     d.ns_read ? ", normal world reads" : "",
			     d.ns_write ? ", normal world writes" : "");
	return MM_INV_OK;
}

int mm_check(const struct mm_platform *p, const struct mm_plan *pl,
	     struct mm_violation *v)
{
	struct mm_violation scratch;
	if (!v)
		v = &scratch;
	memset(v, 0, sizeof *v);
	if (!p || !pl)
		return broke(v, MM_INV_PLACE, 0, NULL, "no platform or plan");
	uint64_t ts = pl->tzdram_start, tn = pl->tzdram_size;

	/* 1. placement */
	if (!tn || !(inside(ts, tn, p->dram_base, p->dram_size) ||
		     inside(ts, tn, p->secure_sram_start,
			    p->secure_sram_size)))
		return broke(v, MM_INV_PLACE, ts, NULL,
			     "[0x%llx, 0x%llx); DRAM [0x%llx, 0x%llx), secure "
			     "RAM [0x%llx, 0x%llx)", (ull)ts, (ull)(ts + tn),
			     (ull)p->dram_base,
			     (ull)(p->dram_base + p->dram_size),
			     (ull)p->secure_sram_start,
			     (ull)(p->secure_sram_start + p->secure_sram_size));

	/* 2. shared memory */
	if (overlaps(ts, tn, p->shmem_start, p->shmem_size))
		return broke(v, MM_INV_SHM_OVERLAP,
			     ts > p->shmem_start ? ts : p->shmem_start,
			     "shmem", "shmem [0x%llx, 0x%llx), TZDRAM "
			     "[0x%llx, 0x%llx)", (ull)p->shmem_start,
			     (ull)(p->shmem_start + p->shmem_size), (ull)ts,
			     (ull)(ts + tn));

	/* 3. areas others own */
	struct mm_conflict f[64];
	size_t n = mm_plan_forbidden(p, f, 64);
	if (n > 64)
		n = 64;
	for (size_t i = 0; i < n; i++)
		if (overlaps(ts, tn, f[i].start, f[i].size))
			return broke(v, MM_INV_NORMAL_AREA,
				     ts > f[i].start ? ts : f[i].start,
				     f[i].name, "%s '%s' [0x%llx, 0x%llx), "
				     "TZDRAM [0x%llx, 0x%llx)",
				     mm_owner_name(f[i].owner), f[i].name,
				     (ull)f[i].start,
				     (ull)(f[i].start + f[i].size), (ull)ts,
				     (ull)(ts + tn));

	/* 4. every TZDRAM byte decided by a secure-only region: the decision
	 * only changes at a region's (or a subregion's) bounds, so checking
	 * TZDRAM's start and every bound inside it checks every byte */
	int rc = check_at(pl, ts, v);
	if (rc)
		return rc;
	const struct mm_regions *rs = &pl->regions;
	for (size_t i = 0; i < rs->n && i < MM_REGIONS_MAX; i++) {
		const struct mm_region *r = &rs->r[i];
		if (r->number == 0)
			continue;
		uint64_t b[10];
		size_t k = 0;
		b[k++] = r->start;
		if (r->size <= UINT64_MAX - r->start)
			b[k++] = r->start + r->size;
		if (rs->controller == MM_CTRL_TZC380 &&
		    r->size >= MM_TZC380_SUBREGION_MIN)
			for (unsigned e = 1; e < 8; e++)
				b[k++] = r->start + r->size / 8 * e;
		for (size_t j = 0; j < k; j++)
			if (b[j] > ts && b[j] - ts < tn &&
			    (rc = check_at(pl, b[j], v)))
				return rc;
	}

	/* 5. TA allocations in TA_RAM */
	uint64_t model = pl->weights + pl->arena + pl->heap_slack;
	uint64_t inst = pl->ta_data_size + pl->ta_stack_size +
			pl->ta_code_size + MM_PLAN_TA_OVERHEAD;
	if (pl->sessions == 0 || pl->ta_data_size < model ||
	    pl->ta_instance_size < inst)
		return broke(v, MM_INV_TA_RAM, pl->ta_ram_start, NULL,
			     "TA_DATA_SIZE 0x%llx holds less than the model "
			     "0x%llx, or the instance 0x%llx is below its parts "
			     "0x%llx", (ull)pl->ta_data_size, (ull)model,
			     (ull)pl->ta_instance_size, (ull)inst);
	if (pl->ta_ram_start != ts + pl->tee_core ||
	    pl->tee_core >= tn || pl->ta_ram_size != tn - pl->tee_core)
		return broke(v, MM_INV_TA_RAM, pl->ta_ram_start, NULL,
			     "TA_RAM [0x%llx, +0x%llx) is not TZDRAM after the "
			     "0x%llx bytes of TEE core RAM", (ull)pl->ta_ram_start,
			     (ull)pl->ta_ram_size, (ull)pl->tee_core);
	if (pl->ta_instance_size > pl->ta_ram_size / pl->sessions)
		return broke(v, MM_INV_TA_RAM,
			     pl->ta_ram_start + pl->ta_ram_size, NULL,
			     "%u session(s) x 0x%llx bytes exceed TA_RAM "
			     "0x%llx", pl->sessions, (ull)pl->ta_instance_size,
			     (ull)pl->ta_ram_size);

	/* 6. translation tables */
	unsigned need = mm_plan_xlat_count(p, ts, pl->tee_core, tn);
	if (need > pl->max_xlat_tables)
		return broke(v, MM_INV_XLAT, ts, NULL,
			     "mapping TZDRAM and shared memory takes %u tables, "
			     "MAX_XLAT_TABLES is %u", need,
			     pl->max_xlat_tables);
	return MM_INV_OK;
}
