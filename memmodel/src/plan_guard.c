/*
 * What keeps the normal world out of a planned TZDRAM beyond the region
 * set (mm_plan.h, mm_plan_guard). With a TZASC the hardware decides. With
 * none, only TZDRAM inside secure RAM the hardware enforces (QEMU virt's)
 * is safe by itself; anywhere else the normal world's kernel must not map
 * it (a reserved-memory node with no-map, which OP-TEE adds to the tree it
 * hands over) and must not let user space read physical memory: the QEMU
 * validation read a whole model out of a relocated TZDRAM through an
 * mmap of /dev/mem, the no-map node notwithstanding, and none once the
 * kernel ran with lockdown=integrity (docs/qemu.md).
 */
#include "mm_plan.h"

static bool inside(uint64_t start, uint64_t size, uint64_t outer_start,
		   uint64_t outer_size)
{
	return start >= outer_start && size <= outer_size &&
	       start - outer_start <= outer_size - size;
}

void mm_plan_guard(const struct mm_platform *p, struct mm_plan *pl)
{
	bool enforced = p->secure_sram_enforced &&
			inside(pl->tzdram_start, pl->tzdram_size,
			       p->secure_sram_start, p->secure_sram_size);
	pl->nw_must_lock_down = p->tzasc == MM_CTRL_NONE && !enforced;
	pl->core_aslr_off = p->relocated_without_aslr &&
			    pl->placement == MM_PLACE_RELOCATED;
}
