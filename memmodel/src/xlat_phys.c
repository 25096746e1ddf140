/*
 * Modelled physical memory: a few ranges of host bytes standing for
 * physical addresses, read and written as the little-endian machine the
 * tables are for.
 */
#include <string.h>

#include "mm_text.h"
#include "mm_xlat.h"

uint8_t *mm_phys_at(const struct mm_phys *m, uint64_t pa, uint64_t len)
{
	for (size_t i = 0; i < m->n && i < MM_PHYS_RANGES; i++) {
		const struct mm_phys_range *r = &m->range[i];
		if (pa >= r->start && len <= r->size &&
		    pa - r->start <= r->size - len)
			return r->bytes + (pa - r->start);
	}
	return NULL;
}

int mm_phys_add(struct mm_phys *m, uint64_t start, uint64_t size,
		uint8_t *bytes, char *err, size_t err_len)
{
	if (m->n >= MM_PHYS_RANGES)
		return mm_fail(err, err_len, -1, "modelled memory holds %d "
			       "ranges already", MM_PHYS_RANGES);
	if (!size || !bytes || start > UINT64_MAX - size)
		return mm_fail(err, err_len, -1, "range 0x%llx + 0x%llx: "
			       "empty, without bytes or past 2^64",
			       (unsigned long long)start,
			       (unsigned long long)size);
	for (size_t i = 0; i < m->n; i++) {
		const struct mm_phys_range *r = &m->range[i];
		if (start < r->start + r->size && r->start < start + size)
			return mm_fail(err, err_len, -1, "range 0x%llx + "
				       "0x%llx overlaps 0x%llx + 0x%llx",
				       (unsigned long long)start,
				       (unsigned long long)size,
				       (unsigned long long)r->start,
				       (unsigned long long)r->size);
	}
	m->range[m->n++] = (struct mm_phys_range){ start, size, bytes };
	return 0;
}

int mm_phys_read64(const struct mm_phys *m, uint64_t pa, uint64_t *v)
{
	const uint8_t *b = mm_phys_at(m, pa, 8);
	if (!b)
		return -1;
	uint64_t x = 0;
	for (int i = 7; i >= 0; i--)
		x = x << 8 | b[i];
	*v = x;
	return 0;
}

int mm_phys_write64(const struct mm_phys *m, uint64_t pa, uint64_t v)
{
	uint8_t *b = mm_phys_at(m, pa, 8);
	if (!b)
		return -1;
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return 0;
}
