/*
 * The normal world's view of physical memory: every access is decided by
 * the region set in force (the plan's, else the platform's) through
 * mm_decide, page by page. A denied page is a fault: the access fails and
 * a violation names the address and the region that decided.
 */
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

bool sim_nw_allowed(uint64_t addr, bool write, const char **region)
{
	struct mm_decision d;
	int rc = mm_decide(&sim_m.regions, addr, &d);
	if (region != NULL)
		*region = rc == MM_REGIONS_OK && d.region ? d.region->name
							 : "(no region)";
	return rc == MM_REGIONS_OK && (write ? d.ns_write : d.ns_read);
}

uint64_t sim_nw_same_until(uint64_t addr)
{
	/* the decision changes only at a region's bounds, and with a
	 * TZC-380 at its subregions' (eighths of it), and at the end of
	 * the address space (mm_decide) */
	const struct mm_regions *rs = &sim_m.regions;
	uint64_t next = rs->space_size > addr ? rs->space_size : UINT64_MAX;
	for (size_t i = 0; i < rs->n; i++) {
		const struct mm_region *r = &rs->r[i];
		for (unsigned k = 0; k <= 9; k++) {
			uint64_t b = r->start + (k == 9 ? r->size
							: r->size / 8 * k);
			if (b > addr && b < next)
				next = b;
		}
	}
	return next;
}

static int access_nw(uint64_t addr, uint8_t *buf, size_t len, bool write)
{
	if (sim_machine_ensure())
		return SIM_E_LAYOUT;
	if (len == 0)
		return SIM_OK;
	if (addr + len < addr)
		return SIM_E_ARG;
	for (uint64_t page = SIM_PG_DOWN(addr); page < addr + len;
	     page += SIM_PG) {
		uint64_t at = page < addr ? addr : page;
		const char *region;
		if (!sim_nw_allowed(at, write, &region)) {
			sim_violation_add(SIM_V_NW_ACCESS, at, 0, (uint32_t)len,
					  0, region,
					  "normal-world %s of 0x%llx refused: "
					  "region %s denies it",
					  write ? "write" : "read",
					  (unsigned long long)at, region);
			return SIM_E_DENIED;
		}
	}
	uint8_t *host = sim_phys_to_host(addr, len);
	if (host == NULL)
		return SIM_E_UNBACKED;
	if (write) {
		/* a TA heap may be write-watched (page_watch.c) */
		sim_signals_install();
		memcpy(host, buf, len);
		if (host >= sim_m.shm && host < sim_m.shm + sim_m.shm_size)
			sim_pool_watch_mark((uint64_t)(host - sim_m.shm), len,
					    false);
	} else {
		memcpy(buf, host, len);
	}
	return SIM_OK;
}

int sim_nw_read(uint64_t addr, void *out, size_t len)
{
	return out || !len ? access_nw(addr, out, len, false) : SIM_E_ARG;
}

int sim_nw_write(uint64_t addr, const void *in, size_t len)
{
	return in || !len ? access_nw(addr, (uint8_t *)in, len, true)
			  : SIM_E_ARG;
}

int sim_secure_read(uint64_t addr, void *out, size_t len)
{
	if (out == NULL && len)
		return SIM_E_ARG;
	if (sim_machine_ensure())
		return SIM_E_LAYOUT;
	uint8_t *host = sim_phys_to_host(addr, len);
	if (host == NULL)
		return SIM_E_UNBACKED;
	/* a TA stack's dead frames are poisoned (ASan) or undefined
	 * (valgrind): reading them here is deliberate */
	sim_mem_expose(host, len);
	memcpy(out, host, len);
	return SIM_OK;
}

int sim_shm_phys(const TEEC_SharedMemory *shm, uint64_t *addr)
{
	if (shm == NULL || addr == NULL || !sim_shm_valid(shm->imp.shm))
		return SIM_E_ARG;
	*addr = ((const struct sim_shm *)shm->imp.shm)->phys;
	return SIM_OK;
}
