/*
 * A stage-1 walk as the MMU does it (Arm ARM DDI 0487, D8, the
 * translation table walk): from the level-1 table at ttbr, one
 * descriptor a level, until a block or page gives the output address.
 */
#include <string.h>

#include "mm_text.h"
#include "xlat_map.h"

static int fault(unsigned level, uint64_t va, uint64_t d, uint64_t e,
		 char *err, size_t err_len)
{
	return mm_fail(err, err_len, -1, "translation fault at level %u: va "
		       "0x%llx, descriptor 0x%016llx at pa 0x%llx", level,
		       (unsigned long long)va, (unsigned long long)d,
		       (unsigned long long)e);
}

int mm_xlat_walk(const struct mm_phys *mem, uint64_t ttbr,
		 unsigned start_level, uint64_t va, struct mm_xlat_hit *hit,
		 char *err, size_t err_len)
{
	memset(hit, 0, sizeof *hit);
	if (start_level != MM_XLAT_START_LEVEL)
		return mm_fail(err, err_len, -1, "start level %u: only level "
			       "%d (a %d-bit address space) is modelled",
			       start_level, MM_XLAT_START_LEVEL,
			       MM_XLAT_VA_BITS);
	/* an input address above T0SZ's range faults before any table is
	 * read: reported at level 0 */
	if (va >> MM_XLAT_VA_BITS)
		return mm_fail(err, err_len, -1, "translation fault at level "
			       "0: va 0x%llx is beyond the %d-bit input range",
			       (unsigned long long)va, MM_XLAT_VA_BITS);
	uint64_t table = ttbr;
	for (unsigned level = start_level; level <= 3; level++) {
		uint64_t e = table + 8u * xlat_index(va, level), d;
		hit->table[level] = table;
		if (mm_phys_read64(mem, e, &d))
			return mm_fail(err, err_len, -1, "level-%u table entry "
				       "at pa 0x%llx is not in the modelled "
				       "memory", level, (unsigned long long)e);
		struct mm_xlat_desc x = mm_xlat_desc_decode(d, level);
		if (x.kind == MM_DESC_INVALID)
			return fault(level, va, d, e, err, err_len);
		if (x.kind == MM_DESC_TABLE) {
			table = x.addr;
			continue;
		}
		if (!x.af)
			return mm_fail(err, err_len, -1, "access flag fault at "
				       "level %u: va 0x%llx", level,
				       (unsigned long long)va);
		hit->block_size = 1ull << xlat_shift(level);
		hit->pa = x.addr | (va & (hit->block_size - 1));
		hit->attrs = x.attrs;
		hit->level = level;
		return 0;
	}
	return mm_fail(err, err_len, -1, "va 0x%llx: no leaf by level 3",
		       (unsigned long long)va);
}
