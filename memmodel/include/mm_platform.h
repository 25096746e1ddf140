/*
 * A platform description (memmodel/platforms/<name>.conf) parsed into
 * numbers: DRAM, secure RAM, TZDRAM, TEE core RAM, static shared memory,
 * the normal world's fixed areas, the address-space controller,
 * translation tables, the TA page-table cache, the memory regions and,
 * for the simulator's cost model, the board's cost and power figures.
 * The file format is documented at the top of each .conf file.
 *
 *   struct mm_platform p;
 *   char err[256];
 *   int line;
 *   if (mm_platform_load("memmodel/platforms/rpi3bplus.conf", &p,
 *                        err, sizeof err, &line))
 *           ... err is "FILE:LINE: KEY: reason" ...
 *   struct mm_regions rs;
 *   mm_platform_regions(&p, &rs);
 *
 * Every function returns MM_PLATFORM_OK or an error code and, on error,
 * writes one sentence into err (when err is not NULL) and the 1-based
 * line at fault into *line (0 when no line is at fault, e.g. a missing
 * key or an unreadable file; line may be NULL).
 */
#ifndef MM_PLATFORM_H
#define MM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "mm_regions.h"

enum mm_platform_status {
	MM_PLATFORM_OK = 0,
	MM_PLATFORM_E_IO,		/* the file can not be read */
	MM_PLATFORM_E_SYNTAX,		/* a line that is no `key = value` */
	MM_PLATFORM_E_UNKNOWN_KEY,
	MM_PLATFORM_E_DUPLICATE_KEY,
	MM_PLATFORM_E_NUMBER,		/* not a number, or too large */
	MM_PLATFORM_E_VALUE,		/* a number or word out of range */
	MM_PLATFORM_E_MISSING_KEY,	/* a required key is absent */
	MM_PLATFORM_E_ALIGN,		/* an address or size not 4 KiB aligned */
	MM_PLATFORM_E_RANGE,		/* start + size overflows, or leaves the space */
	MM_PLATFORM_E_INCONSISTENT,	/* keys that contradict each other */
};

/* The status as a short phrase ("unknown key", ...). */
const char *mm_platform_status_str(int status);

#define MM_PLATFORM_REGIONS_MAX	15	/* region lines; 0 is the background */

struct mm_platform_region {
	char name[MM_NAME_MAX];
	uint64_t start;
	uint64_t size;
	enum mm_owner owner;
	int line;
};

/*
 * The board's cost and power figures: the `cost_*` keys, read by the
 * simulator's cost model (sim/include/sim_cost.h, docs/cost-model.md).
 * The keys come as a set: a file gives all of them or none (has_cost),
 * so a file that only describes memory still plans. Integers in the
 * units the names say; the platform files give each value's source.
 */
struct mm_cost {
	uint64_t smc_round_trip_ns;	/* normal -> secure -> normal, no work */
	uint64_t map_page_ns;		/* one 4 KiB shared page mapped into the TA */
	uint64_t copy_bytes_per_s;	/* memcpy in the secure world */
	uint64_t core_mhz;		/* the core the TA runs on */
	uint64_t macs_per_cycle;	/* fp32 multiply-adds a cycle at peak */
	uint64_t compute_efficiency_pct; /* share of that peak the kernels reach */
	uint64_t power_idle_mw;		/* whole board, idle */
	uint64_t power_normal_mw;	/* whole board, one core busy, normal world */
	uint64_t power_secure_mw;	/* whole board, one core busy, secure world */
};

/*
 * Where the normal world's shared buffers come from (the optional
 * `client_shm` key; pool when absent). With pool, TEEC_AllocateSharedMemory
 * and libteec's bounce buffers for temporary memrefs take the static
 * shared memory (CFG_SHMEM) the TEE mapped at boot: no world switch. With
 * registered (OP-TEE's dynamic shared memory, CFG_CORE_DYN_SHM, with a
 * Linux driver that uses it), every such buffer is normal-world pages
 * registered with OP-TEE when allocated and unregistered when freed: a
 * world switch each way.
 */
enum mm_client_shm {
	MM_SHM_POOL = 0,
	MM_SHM_REGISTERED,
};

struct mm_platform {
	char name[MM_NAME_MAX];
	unsigned pa_bits;		/* the physical space is [0, 2^pa_bits) */
	uint64_t dram_base, dram_size;
	uint64_t secure_sram_start, secure_sram_size;
	uint64_t tzdram_start, tzdram_size;
	uint64_t tee_ram_size;		/* CFG_TEE_RAM_VA_SIZE */
	uint64_t shmem_start, shmem_size;	/* CFG_SHMEM_START/SIZE */
	uint64_t bl33_base, kernel_base, dtb_base;
	enum mm_controller tzasc;
	unsigned tzasc_regions;		/* hardware regions, 0 with none */
	uint64_t tzasc_granule;
	enum mm_owner background;	/* owner of region 0 */
	unsigned xlat_tables;		/* MAX_XLAT_TABLES */
	uint64_t xlat_table_size;	/* bytes of one table */
	uint64_t xlat_table_span;	/* bytes one table maps */
	unsigned num_threads;		/* CFG_NUM_THREADS */
	unsigned pgt_per_page;		/* PGT_NUM_PGT_PER_PAGE */
	/* The TA page-table cache's entries: the optional key
	 * pgt_cache_entries, the firmware's CFG_PGT_CACHE_ENTRIES (a make
	 * variable in OP-TEE 4.x); without it, derived as OP-TEE 3.8.0's
	 * source constant: ROUNDUP(threads * 2, per page). */
	unsigned pgt_cache_size;
	int pgt_cache_is_cfg;		/* 1: set by CFG_PGT_CACHE_ENTRIES */
	unsigned cores;			/* CFG_TEE_CORE_NB_CORE */
	enum mm_client_shm client_shm;	/* the normal world's shared buffers */
	/* Optional yes/no keys (default no), facts the QEMU validation
	 * established (docs/qemu.md):
	 * secure_sram_enforced: the secure SRAM is the secure world's by
	 *   hardware (QEMU virt's secure RAM: a normal-world read faults);
	 *   elsewhere, with no TZASC, only the normal world's configuration
	 *   keeps it out of TZDRAM;
	 * relocated_without_aslr: a TZDRAM moved out of place needs the
	 *   core's ASLR off (OP-TEE 4.10 on QEMU virt panics at boot for some
	 *   ASLR seeds otherwise, "user_va_idx != -1"). */
	int secure_sram_enforced;
	int relocated_without_aslr;
	struct mm_platform_region regions[MM_PLATFORM_REGIONS_MAX];
	size_t n_regions;		/* region i is number i + 1 */
	int has_cost;			/* 1 when the file gives the cost_* keys */
	struct mm_cost cost;		/* zero when has_cost is 0 */
};

/* Parses the text of a platform file (len bytes, NUL bytes refused);
 * file_name is used in messages. */
int mm_platform_parse(const char *text, size_t len, const char *file_name,
		      struct mm_platform *out, char *err, size_t err_len,
		      int *line);

/* Reads and parses the file at path. */
int mm_platform_load(const char *path, struct mm_platform *out, char *err,
		     size_t err_len, int *line);

/*
 * The platform's regions as a set for mm_decide: region 0 the background
 * (the whole space, owner p->background), then region i + 1 for each
 * region line, its access from its owner. Max regions: p->tzasc_regions,
 * or MM_REGIONS_MAX with no controller.
 */
void mm_platform_regions(const struct mm_platform *p, struct mm_regions *rs);

#endif
