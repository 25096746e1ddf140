/*
 * Regions and the controller's decision (mm_regions.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mm_regions.h"
#include "mm_text.h"

const char *mm_regions_status_str(int status)
{
	switch (status) {
	case MM_REGIONS_OK: return "no error";
	case MM_REGIONS_E_ARG: return "bad argument";
	case MM_REGIONS_E_FULL: return "too many regions";
	case MM_REGIONS_E_NUMBER: return "bad region number";
	case MM_REGIONS_E_ALIGN: return "region not aligned";
	case MM_REGIONS_E_RANGE: return "region empty or outside the address space";
	case MM_REGIONS_E_SUBREGION: return "subregions disabled where there are none";
	case MM_REGIONS_E_OVERLAP: return "regions overlap";
	case MM_REGIONS_E_NO_REGION: return "no region matches the address";
	default: return "unknown status";
	}
}

unsigned mm_owner_access(enum mm_owner owner)
{
	switch (owner) {
	case MM_OWNER_NORMAL:
	case MM_OWNER_SHARED:
		return MM_S_RW | MM_NS_RW;
	case MM_OWNER_SECURE:
	case MM_OWNER_BOOT:
	default:
		return MM_S_RW;
	}
}

const char *mm_owner_name(enum mm_owner owner)
{
	switch (owner) {
	case MM_OWNER_SECURE: return "secure";
	case MM_OWNER_NORMAL: return "normal";
	case MM_OWNER_BOOT: return "boot";
	case MM_OWNER_SHARED: return "shared";
	default: return NULL;
	}
}

const char *mm_controller_name(enum mm_controller ctrl)
{
	switch (ctrl) {
	case MM_CTRL_NONE: return "none";
	case MM_CTRL_TZC380: return "tzc380";
	case MM_CTRL_TZC400: return "tzc400";
	default: return NULL;
	}
}

void mm_regions_init(struct mm_regions *rs, enum mm_controller ctrl,
		     unsigned max_regions, uint64_t space_size)
{
	memset(rs, 0, sizeof *rs);
	rs->controller = ctrl;
	rs->max_regions = max_regions < MM_REGIONS_MAX ? max_regions
						       : MM_REGIONS_MAX;
	rs->space_size = space_size;
}

struct mm_region *mm_regions_add(struct mm_regions *rs, const char *name,
				 uint64_t start, uint64_t size,
				 unsigned number, enum mm_owner owner,
				 unsigned access)
{
	if (!rs || rs->n >= MM_REGIONS_MAX)
		return NULL;
	struct mm_region *r = &rs->r[rs->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "%s", name ? name : "");
	r->start = start;
	r->size = size;
	r->number = number;
	r->owner = owner;
	r->access = access;
	r->enabled = true;
	r->filters = 0xf;
	return r;
}

const struct mm_region *mm_regions_find(const struct mm_regions *rs,
					unsigned number)
{
	for (size_t i = 0; rs && i < rs->n; i++)
		if (rs->r[i].number == number)
			return &rs->r[i];
	return NULL;
}

static int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* The last byte of r, r->size > 0 and no overflow checked before. */
static uint64_t last_byte(const struct mm_region *r)
{
	return r->start + (r->size - 1);
}

static int check_bounds(const struct mm_regions *rs,
			const struct mm_region *r, char *err, size_t err_len)
{
	if (r->size == 0)
		return mm_fail(err, err_len, MM_REGIONS_E_RANGE,
			    "region %u (%s) is empty", r->number, r->name);
	if (r->size - 1 > UINT64_MAX - r->start)
		return mm_fail(err, err_len, MM_REGIONS_E_RANGE,
			    "region %u (%s): start 0x%llx + size 0x%llx "
			    "overflows 64 bits", r->number, r->name,
			    (unsigned long long)r->start,
			    (unsigned long long)r->size);
	if (rs->space_size &&
	    (r->start >= rs->space_size || r->size > rs->space_size - r->start))
		return mm_fail(err, err_len, MM_REGIONS_E_RANGE,
			    "region %u (%s) ends past the address space "
			    "(0x%llx bytes)", r->number, r->name,
			    (unsigned long long)rs->space_size);
	return MM_REGIONS_OK;
}

static int check_shape(const struct mm_regions *rs,
		       const struct mm_region *r, char *err, size_t err_len)
{
	if (rs->controller == MM_CTRL_TZC380) {
		if (!is_pow2(r->size) || r->size < MM_TZC380_MIN_SIZE ||
		    r->start % r->size)
			return mm_fail(err, err_len, MM_REGIONS_E_ALIGN,
				    "region %u (%s): TZC-380 needs a power-of-"
				    "two size from 32 KiB and a base aligned "
				    "to it, found start 0x%llx size 0x%llx",
				    r->number, r->name,
				    (unsigned long long)r->start,
				    (unsigned long long)r->size);
		if (r->subregion_disable && r->size < MM_TZC380_SUBREGION_MIN)
			return mm_fail(err, err_len, MM_REGIONS_E_SUBREGION,
				    "region %u (%s): subregions need 256 KiB "
				    "or more", r->number, r->name);
		return MM_REGIONS_OK;
	}
	if (r->subregion_disable)
		return mm_fail(err, err_len, MM_REGIONS_E_SUBREGION,
			    "region %u (%s): only a TZC-380 has subregions",
			    r->number, r->name);
	if (r->start % MM_TZC_GRANULE || r->size % MM_TZC_GRANULE)
		return mm_fail(err, err_len, MM_REGIONS_E_ALIGN,
			    "region %u (%s): start 0x%llx and size 0x%llx "
			    "must be 4 KiB aligned", r->number, r->name,
			    (unsigned long long)r->start,
			    (unsigned long long)r->size);
	return MM_REGIONS_OK;
}

static int check_numbers(const struct mm_regions *rs, size_t i, char *err,
			 size_t err_len)
{
	const struct mm_region *r = &rs->r[i];
	if (r->number >= rs->max_regions)
		return mm_fail(err, err_len, MM_REGIONS_E_NUMBER,
			    "region %u (%s): the %s has regions 0..%u",
			    r->number, r->name,
			    mm_controller_name(rs->controller),
			    rs->max_regions ? rs->max_regions - 1 : 0);
	for (size_t j = 0; j < i; j++)
		if (rs->r[j].number == r->number)
			return mm_fail(err, err_len, MM_REGIONS_E_NUMBER,
				    "regions %s and %s both have number %u",
				    rs->r[j].name, r->name, r->number);
	return MM_REGIONS_OK;
}

/* TZC-400: enabled regions 1..8 sharing a filter must not overlap. */
static int check_tzc400_overlap(const struct mm_regions *rs, char *err,
				size_t err_len)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct mm_region *a = &rs->r[i];
		if (!a->enabled || a->number == 0)
			continue;
		for (size_t j = i + 1; j < rs->n; j++) {
			const struct mm_region *b = &rs->r[j];
			if (!b->enabled || b->number == 0 ||
			    !(a->filters & b->filters))
				continue;
			if (a->start <= last_byte(b) &&
			    b->start <= last_byte(a))
				return mm_fail(err, err_len, MM_REGIONS_E_OVERLAP,
					    "TZC-400 regions %u (%s) and %u "
					    "(%s) overlap on filter mask 0x%x",
					    a->number, a->name, b->number,
					    b->name, a->filters & b->filters);
		}
	}
	return MM_REGIONS_OK;
}

int mm_regions_validate(const struct mm_regions *rs, char *err,
			size_t err_len)
{
	if (!rs || rs->n > MM_REGIONS_MAX)
		return mm_fail(err, err_len, MM_REGIONS_E_ARG, "no region set");
	for (size_t i = 0; i < rs->n; i++) {
		const struct mm_region *r = &rs->r[i];
		int s = check_numbers(rs, i, err, err_len);
		if (!s && r->number != 0)
			s = check_bounds(rs, r, err, err_len);
		if (!s && r->number != 0)
			s = check_shape(rs, r, err, err_len);
		if (s)
			return s;
	}
	if (rs->controller == MM_CTRL_TZC400)
		return check_tzc400_overlap(rs, err, err_len);
	return MM_REGIONS_OK;
}

/* Whether r covers addr, its TZC-380 subregions taken into account. */
static int covers(const struct mm_regions *rs, const struct mm_region *r,
		  uint64_t addr)
{
	if (!r->enabled)
		return 0;
	if (r->number == 0)
		return 1;
	if (addr < r->start || addr - r->start >= r->size)
		return 0;
	if (rs->controller == MM_CTRL_TZC380 && r->subregion_disable &&
	    r->size >= MM_TZC380_SUBREGION_MIN) {
		unsigned sub = (unsigned)((addr - r->start) / (r->size / 8));
		return !(r->subregion_disable & (1u << sub));
	}
	return 1;
}

static void grant(const struct mm_region *r, struct mm_decision *d)
{
	d->region = r;
	d->s_read = r->access & MM_S_RD;
	d->s_write = r->access & MM_S_WR;
	d->ns_read = r->access & MM_NS_RD;
	d->ns_write = r->access & MM_NS_WR;
}

int mm_decide(const struct mm_regions *rs, uint64_t addr,
	      struct mm_decision *d)
{
	if (!d)
		return MM_REGIONS_E_ARG;
	memset(d, 0, sizeof *d);
	if (!rs || rs->n > MM_REGIONS_MAX)
		return MM_REGIONS_E_ARG;
	if (rs->space_size && addr >= rs->space_size)
		return MM_REGIONS_E_NO_REGION;

	const struct mm_region *best = NULL, *background = NULL;
	size_t matches = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct mm_region *r = &rs->r[i];
		if (!covers(rs, r, addr))
			continue;
		if (r->number == 0) {
			background = r;
			continue;
		}
		matches++;
		if (!best || r->number > best->number)
			best = r;
	}
	if (rs->controller == MM_CTRL_TZC400 && matches > 1)
		return MM_REGIONS_E_OVERLAP;
	if (!best)
		best = background;
	if (!best)
		return MM_REGIONS_E_NO_REGION;
	grant(best, d);
	return MM_REGIONS_OK;
}
