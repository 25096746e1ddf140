/*
 * The plan as OP-TEE's own files want it (mm_plan_report.h): a conf.mk
 * fragment for the platform's CFG_ settings, and the TA's
 * user_ta_header_defines.h values. Constants OP-TEE keeps in source files
 * rather than in CFG_ variables are written as comments that say where to
 * change them, never as settings that would silently do nothing.
 */
#include <stdio.h>

#include "mm_plan_report.h"

typedef unsigned long long ull;

int mm_plan_write_conf_mk(FILE *f, const struct mm_platform *p,
			  const struct mm_plan *pl, const char *model)
{
	fprintf(f, "# Smart-Zone plan for %s on %s (smartzone plan): OP-TEE "
		"platform settings.\n# Append to core/arch/arm/plat-<platform>/"
		"conf.mk, or pass on the make command line.\n",
		model ? model : "the model", p->name);
	fprintf(f, "CFG_TZDRAM_START := 0x%08llx\n"
		"CFG_TZDRAM_SIZE := 0x%08llx\n"
		"CFG_TEE_RAM_VA_SIZE := 0x%08llx\n"
		"CFG_SHMEM_START := 0x%08llx\n"
		"CFG_SHMEM_SIZE := 0x%08llx\n", (ull)pl->tzdram_start,
		(ull)pl->tzdram_size, (ull)pl->tee_core,
		(ull)p->shmem_start, (ull)p->shmem_size);
	if (pl->max_xlat_tables != p->xlat_tables)
		fprintf(f, "# MAX_XLAT_TABLES: raise from %u to %u where the "
			"core's LPAE code defines it "
			"(core/arch/arm/mm/core_mmu_lpae.c; OP-TEE #3339).\n",
			p->xlat_tables, pl->max_xlat_tables);
	if (pl->pgt_cache_size != p->pgt_cache_size && p->pgt_cache_is_cfg)
		fprintf(f, "CFG_PGT_CACHE_ENTRIES := %u\n", pl->pgt_cache_size);
	else if (pl->pgt_cache_size != p->pgt_cache_size)
		fprintf(f, "# PGT_CACHE_SIZE: raise from %u to %u "
			"(core/include/mm/pgt_cache.h; it is "
			"ROUNDUP(CFG_NUM_THREADS * 2, PGT_NUM_PGT_PER_PAGE) "
			"there).\n", p->pgt_cache_size, pl->pgt_cache_size);
	if (pl->core_aslr_off)
		fprintf(f, "# The core's ASLR off: with TZDRAM moved here, "
			"OP-TEE panicked at boot for some\n# ASLR seeds "
			"(\"user_va_idx != -1\": no 1 GiB slot left for TAs; "
			"docs/qemu.md).\nCFG_CORE_ASLR := n\n");
	if (pl->nw_must_lock_down)
		fprintf(f, "# No hardware keeps the normal world out of this "
			"TZDRAM: its kernel must not let\n# user space read "
			"physical memory (boot Linux with lockdown=integrity); "
			"the no-map\n# reservation alone does not stop an mmap "
			"of /dev/mem (docs/qemu.md).\n");
	if (pl->placement == MM_PLACE_RELOCATED)
		fprintf(f, "# TZDRAM moved: TF-A must load BL32 at "
			"0x%08llx (TF-A has no build option for it: its\n# "
			"platform_def.h's secure DRAM base and size, "
			"docs/qemu.md), and the normal world's device\n# tree "
			"must reserve [0x%08llx, +0x%llx) with no-map (OP-TEE "
			"adds that node\n# when TF-A hands it the tree, as on "
			"QEMU).\n", (ull)pl->tzdram_start,
			(ull)pl->tzdram_start, (ull)pl->tzdram_size);
	return ferror(f) ? -1 : 0;
}

int mm_plan_write_ta_header(FILE *f, const struct mm_platform *p,
			    const struct mm_plan *pl, const char *model)
{
	fprintf(f, "/* Smart-Zone plan for %s on %s (smartzone plan): the "
		"TA's sizes.\n * TA heap = weights %llu + arena %llu + slack "
		"%llu bytes, rounded to 4 KiB. */\n",
		model ? model : "the model", p->name, (ull)pl->weights,
		(ull)pl->arena, (ull)pl->heap_slack);
	fprintf(f, "#define TA_DATA_SIZE\t0x%llx\n#define TA_STACK_SIZE\t"
		"0x%llx\n", (ull)pl->ta_data_size, (ull)pl->ta_stack_size);
	return ferror(f) ? -1 : 0;
}
