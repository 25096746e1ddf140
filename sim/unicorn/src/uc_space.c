/*
 * The guest's address space. TZDRAM and the client's window are host
 * memory standing for their physical ranges (mm_phys); mm_xlat_ta_build
 * writes the TA's translation tables into TZDRAM and places its areas in
 * TA_RAM; then every page of every area is translated by walking those
 * tables, and mapped into Unicorn at its virtual address, onto the host
 * bytes of its physical page, with the permissions its descriptor gives
 * EL0. Pages the tables do not map stay unmapped in Unicorn.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "uc_internal.h"

#define PAGE MM_XLAT_PAGE

static uint64_t page_up(uint64_t n)
{
	return (n + PAGE - 1) / PAGE * PAGE;
}

static uint8_t *host_alloc(uint64_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* TZDRAM and the window as modelled physical memory. */
static int phys_alloc(const struct sim_uc_options *opt, struct uc_space *sp,
		      char *err, size_t err_len)
{
	const struct mm_plan *pl = opt->plan;
	uint64_t shm_start = opt->shm_pa / PAGE * PAGE;
	sp->tzdram_size = pl->tzdram_size;
	sp->shm_bytes = page_up(opt->shm_pa + opt->shm_size) - shm_start;
	sp->tzdram = host_alloc(sp->tzdram_size);
	sp->shm = host_alloc(sp->shm_bytes);
	if (sp->tzdram == NULL || sp->shm == NULL) {
		snprintf(err, err_len, "no host memory for TZDRAM (%llu bytes) "
			 "and the window", (unsigned long long)sp->tzdram_size);
		return -1;
	}
	sp->phys.range[0] = (struct mm_phys_range){ pl->tzdram_start,
						    sp->tzdram_size, sp->tzdram };
	sp->phys.range[1] = (struct mm_phys_range){ shm_start, sp->shm_bytes,
						    sp->shm };
	sp->phys.n = 2;
	return 0;
}

static int build_tables(const struct sim_uc_options *opt,
			const struct uc_image *img, struct uc_space *sp,
			char *err, size_t err_len)
{
	const struct mm_plan *pl = opt->plan;
	struct mm_ta_request rq = {
		.code = img->seg[UC_SEG_TEXT].mem_size,
		.rodata = img->seg[UC_SEG_RODATA].mem_size,
		.data = page_up(img->seg[UC_SEG_DATA].mem_size) +
			pl->ta_data_size,
		.stack = pl->ta_stack_size,
		.shm_pa = opt->shm_pa,
		.shm_size = opt->shm_size,
	};
	if (mm_xlat_ta_build(pl, &rq, pl->pgt_cache_size, &sp->phys, &sp->ta,
			     err, err_len))
		return -1;
	static const enum mm_ta_area_kind of_seg[UC_SEGS] = {
		MM_TA_CODE, MM_TA_RODATA, MM_TA_DATA };
	for (int s = 0; s < UC_SEGS; s++)
		if (sp->ta.area[of_seg[s]].va != img->seg[s].va) {
			snprintf(err, err_len, "the guest's segment %d is linked "
				 "at 0x%llx, its tables put it at 0x%llx", s,
				 (unsigned long long)img->seg[s].va,
				 (unsigned long long)sp->ta.area[of_seg[s]].va);
			return -1;
		}
	sp->heap_va = img->seg[UC_SEG_DATA].va +
		      page_up(img->seg[UC_SEG_DATA].mem_size);
	sp->heap_size = pl->ta_data_size;
	const struct mm_xlat_area *st = &sp->ta.area[MM_TA_STACK];
	sp->stack_top = st->va + st->size - UC_FRAME_BYTES;
	return 0;
}

static uint32_t uc_perms(unsigned attrs)
{
	return ((attrs & MM_XLAT_R) ? UC_PROT_READ : 0) |
	       ((attrs & MM_XLAT_W) ? UC_PROT_WRITE : 0) |
	       ((attrs & MM_XLAT_X) ? UC_PROT_EXEC : 0);
}

/* Maps [va, va + len) onto host bytes with perms, or says why not. */
static int map_run(uc_engine *e, uint64_t va, uint64_t len, uint32_t perms,
		   uint8_t *host, char *err, size_t err_len)
{
	if (len == 0)
		return 0;
	uc_err r = uc_mem_map_ptr(e, va, len, perms, host);
	if (r != UC_ERR_OK) {
		snprintf(err, err_len, "Unicorn cannot map 0x%llx+0x%llx: %s",
			 (unsigned long long)va, (unsigned long long)len,
			 uc_strerror(r));
		return -1;
	}
	return 0;
}

/* Walks every page of the area and maps the runs of pages that are
 * contiguous on the host with the same permissions. */
static int map_area(uc_engine *e, const struct uc_space *sp,
		    const struct mm_xlat_area *a, char *err, size_t err_len)
{
	uint64_t run_va = a->va, run_len = 0;
	uint8_t *run_host = NULL;
	uint32_t run_perms = 0;
	for (uint64_t va = a->va; va < a->va + a->size; va += PAGE) {
		struct mm_xlat_hit hit;
		if (mm_xlat_walk(&sp->phys, sp->ta.ttbr0, sp->ta.start_level,
				 va, &hit, err, err_len))
			return -1;
		uint8_t *host = mm_phys_at(&sp->phys, hit.pa, PAGE);
		if (host == NULL || !(hit.attrs & MM_XLAT_USER)) {
			snprintf(err, err_len, "area %s: page 0x%llx maps to "
				 "0x%llx, outside the modelled memory or not "
				 "for EL0", a->name, (unsigned long long)va,
				 (unsigned long long)hit.pa);
			return -1;
		}
		uint32_t perms = uc_perms(hit.attrs);
		if (run_len && host == run_host + run_len && perms == run_perms) {
			run_len += PAGE;
			continue;
		}
		if (map_run(e, run_va, run_len, run_perms, run_host, err,
			    err_len))
			return -1;
		run_va = va, run_len = PAGE, run_host = host, run_perms = perms;
	}
	return map_run(e, run_va, run_len, run_perms, run_host, err, err_len);
}

/* The segments' bytes into their pages (bss stays zero). */
static void copy_segments(const struct uc_image *img, struct uc_space *sp)
{
	for (int s = 0; s < UC_SEGS; s++) {
		const struct uc_segment *g = &img->seg[s];
		if (g->file_size)
			memcpy(uc_space_host(sp, g->va, g->file_size),
			       img->file + g->file_off, g->file_size);
	}
}

int uc_space_build(uc_engine *e, const struct sim_uc_options *opt,
		   const struct uc_image *img, struct uc_space *sp, char *err,
		   size_t err_len)
{
	memset(sp, 0, sizeof *sp);
	if (phys_alloc(opt, sp, err, err_len) ||
	    build_tables(opt, img, sp, err, err_len))
		return -1;
	for (int k = 0; k < MM_TA_AREAS; k++)
		if (sp->ta.area[k].size &&
		    map_area(e, sp, &sp->ta.area[k], err, err_len))
			return -1;
	copy_segments(img, sp);
	return 0;
}

void uc_space_free(struct uc_space *sp)
{
	if (sp->tzdram)
		munmap(sp->tzdram, sp->tzdram_size);
	if (sp->shm)
		munmap(sp->shm, sp->shm_bytes);
	memset(sp, 0, sizeof *sp);
}

uint8_t *uc_space_host(const struct uc_space *sp, uint64_t va, uint64_t len)
{
	for (int k = 0; k < MM_TA_AREAS; k++) {
		const struct mm_xlat_area *a = &sp->ta.area[k];
		if (va >= a->va && len <= a->size && va - a->va <= a->size - len)
			return mm_phys_at(&sp->phys, a->pa + (va - a->va), len);
	}
	return NULL;
}

const char *uc_space_area(const struct uc_space *sp, uint64_t va)
{
	for (int k = 0; k < MM_TA_AREAS; k++) {
		const struct mm_xlat_area *a = &sp->ta.area[k];
		if (a->size && va >= a->va && va - a->va < a->size)
			return a->name;
	}
	return "unmapped";
}
