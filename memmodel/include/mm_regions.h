/*
 * Memory regions and the address-space controller's decision: which
 * region decides the access rights at an address, and whether the normal
 * world may read or write there.
 *
 *   struct mm_regions rs;
 *   struct mm_decision d;
 *   char err[256];
 *   mm_regions_init(&rs, MM_CTRL_TZC380, 16, 1ull << 32);
 *   mm_regions_add(&rs, "tzdram", 0x10000000, 0x01000000, 1,
 *                  MM_OWNER_SECURE, mm_owner_access(MM_OWNER_SECURE));
 *   if (mm_regions_validate(&rs, err, sizeof err)
 *       || mm_decide(&rs, 0x10100000, &d))
 *           ... err says why ...
 *   ... d.region->name, d.ns_read, d.ns_write ...
 *
 * The controllers (BRIEF, "TrustZone address space controllers"):
 * - MM_CTRL_TZC380: region 0 is the background over the whole space; the
 *   enabled region with the highest number that matches the address
 *   decides. Each region of 256 KiB or more has 8 equal subregions that
 *   can be disabled; a disabled region or subregion falls through to the
 *   next lower-numbered match. Sizes are powers of two from 32 KiB, bases
 *   aligned to the size.
 * - MM_CTRL_TZC400: region 0 is the background, used only where no
 *   enabled region 1..8 matches. Two enabled regions 1..8 that overlap on
 *   a filter they share are an error (mm_regions_validate); mm_decide
 *   treats any two matching regions as undefined (MM_REGIONS_E_OVERLAP),
 *   since the answer would depend on the port. Bounds are 4 KiB aligned.
 * - MM_CTRL_NONE (the RPi3): no hardware decision. The "decision" is the
 *   configuration's view: the enabled region with the highest number
 *   (priority) that matches, region 0 the background.
 *
 * Region 0, when present, always spans the whole address space whatever
 * its start and size say.
 */
#ifndef MM_REGIONS_H
#define MM_REGIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mm_regions_status {
	MM_REGIONS_OK = 0,
	MM_REGIONS_E_ARG,	/* a NULL pointer or a bad argument */
	MM_REGIONS_E_FULL,	/* more regions than the set holds */
	MM_REGIONS_E_NUMBER,	/* a number the controller has not, or twice */
	MM_REGIONS_E_ALIGN,	/* start or size off the controller's granule */
	MM_REGIONS_E_RANGE,	/* empty, overflowing or outside the space */
	MM_REGIONS_E_SUBREGION,	/* subregions disabled where there are none */
	MM_REGIONS_E_OVERLAP,	/* TZC-400: enabled regions 1..8 overlap */
	MM_REGIONS_E_NO_REGION,	/* no enabled region matches the address */
};

/* The status as a short phrase ("regions overlap", ...). */
const char *mm_regions_status_str(int status);

enum mm_controller {
	MM_CTRL_NONE = 0,	/* no TZASC: the configuration decides */
	MM_CTRL_TZC380,
	MM_CTRL_TZC400,
};

enum mm_owner {
	MM_OWNER_SECURE = 0,	/* the trusted OS and its TAs (TZDRAM) */
	MM_OWNER_NORMAL,	/* the normal world (kernel, DT, BL33, DRAM) */
	MM_OWNER_BOOT,		/* the secure boot firmware (TF-A BL1/BL2/BL31) */
	MM_OWNER_SHARED,	/* memory both worlds use (static shm) */
};

/* Access bits: secure read/write (S_RD/S_WR), normal read/write. */
#define MM_S_RD		0x1u
#define MM_S_WR		0x2u
#define MM_NS_RD	0x4u
#define MM_NS_WR	0x8u
#define MM_S_RW		(MM_S_RD | MM_S_WR)
#define MM_NS_RW	(MM_NS_RD | MM_NS_WR)

/* The access an owner's region grants: secure and boot MM_S_RW, normal
 * and shared MM_S_RW | MM_NS_RW. */
unsigned mm_owner_access(enum mm_owner owner);

/* "secure", "normal", "boot", "shared" (NULL for a bad value). */
const char *mm_owner_name(enum mm_owner owner);
const char *mm_controller_name(enum mm_controller ctrl);

#define MM_REGIONS_MAX	32	/* what a set holds (TZC-380: 16, TZC-400: 9) */
#define MM_NAME_MAX	32	/* a name's bytes, NUL included */
#define MM_TZC_GRANULE	0x1000u	/* 4 KiB */
#define MM_TZC380_MIN_SIZE	0x8000u		/* 32 KiB */
#define MM_TZC380_SUBREGION_MIN	0x40000u	/* 256 KiB: 8 subregions */

struct mm_region {
	char name[MM_NAME_MAX];
	uint64_t start;
	uint64_t size;
	unsigned number;	/* region number = priority; 0 the background */
	enum mm_owner owner;
	unsigned access;	/* MM_S_* | MM_NS_* */
	bool enabled;
	uint8_t subregion_disable; /* TZC-380: bit i disables eighth i */
	uint8_t filters;	/* TZC-400: the filters it is enabled on */
};

struct mm_regions {
	enum mm_controller controller;
	unsigned max_regions;	/* numbers 0 .. max_regions - 1 */
	uint64_t space_size;	/* the address space [0, space_size) */
	struct mm_region r[MM_REGIONS_MAX];
	size_t n;
};

/* An empty set. max_regions is capped at MM_REGIONS_MAX; space_size 0
 * means the whole 64-bit space. */
void mm_regions_init(struct mm_regions *rs, enum mm_controller ctrl,
		     unsigned max_regions, uint64_t space_size);

/* Appends an enabled region on every filter, no subregion disabled
 * (name truncated to MM_NAME_MAX - 1 bytes). Returns the new region, or
 * NULL when the set is full. Checks nothing else: mm_regions_validate. */
struct mm_region *mm_regions_add(struct mm_regions *rs, const char *name,
				 uint64_t start, uint64_t size,
				 unsigned number, enum mm_owner owner,
				 unsigned access);

/* The region numbered number, or NULL. */
const struct mm_region *mm_regions_find(const struct mm_regions *rs,
					unsigned number);

/*
 * Checks the set against its controller: numbers below max_regions and
 * unique; every region but 0 non-empty, without overflow and inside the
 * space; 4 KiB alignment (TZC-380: power-of-two size >= 32 KiB, base
 * aligned to it, subregions only from 256 KiB); TZC-400: no two enabled
 * regions 1..8 overlapping on a shared filter. Writes one sentence naming
 * the region(s) into err on failure.
 */
int mm_regions_validate(const struct mm_regions *rs, char *err,
			size_t err_len);

struct mm_decision {
	const struct mm_region *region;	/* the deciding region */
	bool s_read, s_write;
	bool ns_read, ns_write;
};

/*
 * The decision at addr (see the top of this file). Returns MM_REGIONS_OK,
 * MM_REGIONS_E_NO_REGION (nothing enabled matches, or addr outside the
 * space), MM_REGIONS_E_OVERLAP (TZC-400, two matching regions 1..8) or
 * MM_REGIONS_E_ARG. On error *d says nothing may access addr.
 */
int mm_decide(const struct mm_regions *rs, uint64_t addr,
	      struct mm_decision *d);

#endif
