/*
 * The host TEE simulator's own interface: what a test or a tool adds to
 * the two GlobalPlatform APIs (tee_client_api.h for the normal world,
 * tee_internal_api.h for the TA). A libteec program needs none of it: the
 * first TEEC_InitializeContext configures the simulator from the
 * environment (SIM_PLATFORM, SIM_STORAGE_DIR, SIM_HOSTILE, SIM_TAINT).
 *
 *   struct sim_config cfg = { .plan = &plan };   (mm_plan.h)
 *   char err[256];
 *   if (sim_configure(&cfg, err, sizeof err)) ... err says why ...
 *   TEEC_InitializeContext(NULL, &ctx); ... TEEC_* as usual ...
 *   sim_counters_session(&session, &c);      what crossed the boundary
 *   sim_violation_count();                   leaks, faults, double fetches
 *   sim_shutdown();
 *
 * The machine: a platform file (memmodel/platforms/) and, optionally, a
 * plan (mm_plan) give the physical layout: TZDRAM (TEE core, then
 * TA_RAM), the static shared-memory pool, and normal DRAM pages for
 * registered client memory. docs/simulator.md says what is modelled and
 * what each check catches and misses.
 *
 * The simulator is single-threaded: call it from one thread.
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_plan.h"
#include "sim_counters.h"
#include "tee_client_api.h"

enum sim_status {
	SIM_OK = 0,
	SIM_E_ARG,		/* a NULL pointer or a bad argument */
	SIM_E_BUSY,		/* contexts are open */
	SIM_E_PLATFORM,		/* the platform file is refused */
	SIM_E_LAYOUT,		/* the plan or platform gives no usable layout */
	SIM_E_NOMEM,		/* host memory */
	SIM_E_DENIED,		/* the normal world may not access the address */
	SIM_E_UNBACKED,		/* nothing is modelled at the address */
	SIM_E_UNSUPPORTED,	/* not possible in this build or under this tool */
	SIM_E_STORAGE,		/* the storage directory is unusable */
	SIM_E_STATE,		/* no such session, or it is dead */
};

/* The status as a short phrase. */
const char *sim_status_str(int status);

/*
 * A TA's TA_DATA_SIZE and TA_STACK_SIZE as if it had been rebuilt with
 * another user_ta_header_defines.h (the one a plan writes): its
 * instances get exactly these heap and stack sizes, TA_RAM footprint
 * included, and gpd.ta.dataSize / gpd.ta.stackSize answer them. That is
 * all a rebuild with new sizes changes (the code is the same), so a
 * model larger than the compiled TA_DATA_SIZE runs without recompiling.
 * 0 keeps the TA's own value.
 */
struct sim_ta_sizes {
	TEEC_UUID uuid;
	uint32_t data_size, stack_size;	/* 0: the TA header's */
	/* 0: the host build's measured code size; else the board's (e.g. the
	 * dev-kit ELF's, which the planner counts), so that TA_RAM is
	 * accounted as on the board whatever this build's flags make of the
	 * code (-O0 and --coverage more than double it) */
	uint64_t code_size;
};
#define SIM_TA_SIZES_MAX	8

struct sim_config {
	const char *platform;	/* platform file; NULL: $SIM_PLATFORM, else
				 * SIM_DEFAULT_PLATFORM (the build's rpi3bplus) */
	const struct mm_plan *plan; /* NULL: the platform's stock TZDRAM */
	const char *storage_dir; /* NULL: $SIM_STORAGE_DIR, else a temporary
				  * directory removed by sim_shutdown */
	bool taint_off;		/* leakage check after every call (default on) */
	unsigned hostile;	/* SIM_HOSTILE_* modes */
	const struct sim_ta_sizes *ta_sizes;	/* at most SIM_TA_SIZES_MAX */
	size_t n_ta_sizes;
};

/* Builds the machine anew (the previous one is shut down first). Refused
 * with SIM_E_BUSY while contexts are open. */
int sim_configure(const struct sim_config *cfg, char *err, size_t err_len);

/* Tears the machine down: instances kept alive are destroyed, a temporary
 * storage directory is removed. SIM_E_BUSY while contexts are open. */
int sim_shutdown(void);

/* ---- What crossed the boundary ---- */

/* Since the machine was built or the counters reset. */
void sim_counters_global(struct sim_counters *out);
/* One session's share. SIM_E_STATE when s is not a session. */
int sim_counters_session(const TEEC_Session *s, struct sim_counters *out);
void sim_counters_reset(void);

/* ---- Memory ---- */

struct sim_memory_info {
	uint64_t tzdram_start, tzdram_size;
	uint64_t tee_core_size;		/* accounted, holds no data */
	uint64_t ta_ram_start, ta_ram_size;
	uint64_t ta_ram_used;		/* by live instances */
	uint64_t shm_start, shm_size;	/* the static pool (CFG_SHMEM) */
	uint64_t shm_used;
	uint64_t nw_window_start, nw_window_size; /* registered memory goes here */
	unsigned instances, sessions;
};
void sim_memory(struct sim_memory_info *out);

/* Footprint of one TA instance in TA_RAM (physical addresses). */
struct sim_instance_info {
	unsigned id;
	unsigned sessions;
	uint64_t ram_start, ram_size;	/* code + heap + stack + overhead */
	uint64_t code_start, code_size;	/* accounted, holds no data */
	uint64_t heap_start, heap_size;	/* TA_DATA_SIZE */
	uint64_t heap_used, heap_peak;	/* bytes in live blocks, with headers */
	uint64_t stack_start, stack_size; /* TA_STACK_SIZE, guard page below */
	unsigned handles;		/* object and operation handles open */
	bool dead;
};
int sim_session_instance(const TEEC_Session *s, struct sim_instance_info *out);

/* ---- The normal world's view ---- */

/*
 * Reads or writes physical memory as the normal world: every page of the
 * range must be one the region set (the plan's, else the platform's) lets
 * the normal world read (write). A denied page records a violation naming
 * the address and the deciding region and returns SIM_E_DENIED; a
 * permitted address where nothing is modelled gives SIM_E_UNBACKED.
 */
int sim_nw_read(uint64_t addr, void *out, size_t len);
int sim_nw_write(uint64_t addr, const void *in, size_t len);

/* The simulator's own view (no access check): for tests that look at
 * secure memory, e.g. that a dead instance's heap was scrubbed. */
int sim_secure_read(uint64_t addr, void *out, size_t len);

/* Where a registered or allocated shared buffer lies. */
int sim_shm_phys(const TEEC_SharedMemory *shm, uint64_t *addr);

/* ---- Violations: what the checks found ---- */

enum sim_violation_kind {
	SIM_V_NW_ACCESS = 1,	/* sim_nw_read/write on a denied address */
	SIM_V_LEAK,		/* secret bytes readable by the normal world */
	SIM_V_DOUBLE_FETCH,	/* the TA read shared bytes again after the
				 * normal world rewrote them */
};

struct sim_violation {
	enum sim_violation_kind kind;
	uint64_t addr;		/* normal-world address */
	uint64_t secure_addr;	/* SIM_V_LEAK: the secret's address */
	uint32_t len;		/* bytes concerned */
	unsigned session;	/* 0 when no session is concerned */
	char region[MM_NAME_MAX]; /* the deciding region, or the area */
	char msg[320];		/* one sentence */
};

size_t sim_violation_count(void);
size_t sim_violation_count_kind(enum sim_violation_kind kind);
const struct sim_violation *sim_violation_at(size_t i);
void sim_violations_clear(void);

/* Taint (leakage) check after every open and invoke; on by default. */
void sim_taint_set(bool on);

/* ---- Fault injection ---- */

/*
 * Makes the n-th fallible Internal Core API call that TA code makes from
 * now on fail (1: the next one; counted over every instance), the way
 * the specification lets that call fail, leaving what a real failure
 * leaves (no handle, no block, nothing written): TEE_Malloc and
 * TEE_Realloc give NULL; TEE_GetPropertyAsU32 ITEM_NOT_FOUND;
 * TEE_AllocateOperation and TEE_AllocateTransientObject OUT_OF_MEMORY;
 * TEE_PopulateTransientObject BAD_PARAMETERS; TEE_SetOperationKey and
 * TEE_GetObjectInfo1 CORRUPT_OBJECT; TEE_AEInit NOT_SUPPORTED;
 * TEE_AEUpdate and TEE_AEEncryptFinal SHORT_BUFFER (with the size
 * needed); TEE_AEDecryptFinal MAC_INVALID; TEE_OpenPersistentObject and
 * TEE_CloseAndDeletePersistentObject1 STORAGE_NOT_AVAILABLE;
 * TEE_CreatePersistentObject and TEE_WriteObjectData STORAGE_NO_SPACE;
 * TEE_ReadObjectData and TEE_SeekObjectData CORRUPT_OBJECT. n = 0 fails
 * none. Either way the fallible calls are counted from here on, so that
 * a test learns how many a command path makes (sim_fault_calls) and then
 * fails each in turn; sim_fault_fired names the call that failed (NULL
 * while none has).
 */
void sim_fault_set(uint64_t n);
uint64_t sim_fault_calls(void);
const char *sim_fault_fired(void);

/* ---- The hostile normal world ---- */

/*
 * SIM_HOSTILE_DOUBLE_FETCH: while a TA runs, the shared pages it was
 * given are rewritten behind every read, and a read of bytes rewritten
 * since the TA last read them is recorded as SIM_V_DOUBLE_FETCH. Needs a
 * single-step trap (x86-64) and no valgrind; otherwise sim_hostile_set
 * returns SIM_E_UNSUPPORTED and writes the reason into why.
 */
#define SIM_HOSTILE_DOUBLE_FETCH	0x1u

int sim_hostile_set(unsigned modes, char *why, size_t why_len);

/* True when the program runs under valgrind (deliberate faults in TA
 * code would be reported as its errors). */
bool sim_under_valgrind(void);

#define SIM_HOSTILE_CASES_MAX	64

struct sim_hostile_case {
	char name[64];		/* "p1 misaligned by 1", ... */
	uint32_t ret, origin;	/* what the call returned */
	bool passed;
	char why[192];		/* on failure: what was wrong */
};

struct sim_hostile_report {
	size_t n_cases, n_failed;
	struct sim_hostile_case cases[SIM_HOSTILE_CASES_MAX];
};

/*
 * Hostile parameters: runs command cmd on session s first with honest, an
 * operation that must succeed, then with variants a malicious normal world
 * can send past the client library (straight to the TEE): every memref
 * retyped as a value, as NONE and with its direction flipped; every value
 * as a memref; each memref one byte and all bytes too small, misaligned by
 * one byte and with a size beyond its buffer; memrefs overlapping each
 * other. Each buffer sits between canaries in the shared pool. A case
 * passes when the TA answers BAD_PARAMETERS (SHORT_BUFFER with the needed
 * size for a short output; the honest result for a misaligned or
 * overlapping buffer is also fine), wrote nothing outside its outputs, and
 * did not die. A dead TA ends the run. Returns SIM_OK when the cases ran
 * (see r->n_failed), else an error (e.g. the honest run failed).
 * Meant for commands whose parameters fix their input (so that a short
 * input is malformed) and whose output is deterministic; a command that
 * takes any length, or draws random numbers, fails cases it handles well.
 */
int sim_hostile_params(TEEC_Session *s, uint32_t cmd,
		       const TEEC_Operation *honest,
		       struct sim_hostile_report *r);

#endif
