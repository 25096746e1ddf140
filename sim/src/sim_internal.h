/*
 * What the simulator's files share: the machine (physical layout, shared
 * memory, instances, sessions, counters, violations), and the functions
 * one file offers the others. Nothing here is public.
 */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>

#include "mm_plan.h"
#include "sim.h"
#include "sim_heap.h"
#include "sim_ta.h"
#include "tee_client_api.h"
#include "tee_internal_api.h"

/* OP-TEE maps memory in 4 KiB pages (LPAE small pages). */
#define SIM_PG		0x1000ull
#define SIM_PG_UP(x)	(((x) + SIM_PG - 1) & ~(SIM_PG - 1))
#define SIM_PG_DOWN(x)	((x) & ~(SIM_PG - 1))

/* ---- extents.c: first-fit allocator over an address range ---- */

struct sim_extent {
	uint64_t start, size;
};

struct sim_extents {
	uint64_t base, size, used;
	struct sim_extent *free;	/* sorted by start, coalesced */
	size_t n, cap;
};

int sim_extents_init(struct sim_extents *e, uint64_t base, uint64_t size);
void sim_extents_fini(struct sim_extents *e);
/* First fit of size bytes at a multiple of align (a power of two); 0 on
 * success, -1 when nothing fits. */
int sim_extents_alloc(struct sim_extents *e, uint64_t size, uint64_t align,
		      uint64_t *start);
void sim_extents_free(struct sim_extents *e, uint64_t start, uint64_t size);

/* ---- shared memory (shm.c) ---- */

struct sim_ctx {
	unsigned id;
};

struct sim_shm {
	struct sim_shm *next;
	struct sim_ctx *ctx;		/* NULL for the simulator's own */
	uint8_t *host;			/* what the client sees */
	uint64_t phys;
	uint64_t size;
	uint64_t span_phys, span;	/* the pages it takes */
	uint32_t flags;			/* TEEC_MEM_* */
	bool pool;			/* static pool, else registered */
	bool owns_host;			/* host freed with it (a client
					 * buffer the simulator allocated) */
	unsigned id;
};

struct sim_shm *sim_shm_pool_alloc(struct sim_ctx *ctx, uint64_t size,
				   uint32_t flags);
struct sim_shm *sim_shm_register(struct sim_ctx *ctx, void *buffer,
				 uint64_t size, uint32_t flags);
/* A buffer the client library allocates (TEEC_AllocateSharedMemory, a
 * temporary memref's bounce buffer): from the static pool, or with the
 * platform's client_shm = registered, normal-world pages registered with
 * the TEE (sim_shm_client_smc() world switches each way). */
struct sim_shm *sim_shm_client_alloc(struct sim_ctx *ctx, uint64_t size,
				     uint32_t flags);
unsigned sim_shm_client_smc(void);
void sim_shm_free(struct sim_shm *s);
/* The shared object holding [host, host + len), or NULL. */
struct sim_shm *sim_shm_find(const void *host, uint64_t len);
bool sim_shm_valid(const struct sim_shm *s);

/* ---- the TA heap (heap.c): sim_heap.h ---- */

/* ---- instances and sessions ---- */

enum sim_run_state {
	SIM_RUN_IDLE = 0,
	SIM_RUN_TA,		/* TA code on the TA stack */
	SIM_RUN_SYSCALL,	/* core code on behalf of the TA */
	SIM_RUN_RETURNED,
	SIM_RUN_PANICKED,
};

struct __TEE_OperationHandle;
struct sim_known;
struct sim_watch;

/* An object handle (the specification leaves the type to the
 * implementation): a transient AES key, or an open persistent object. */
struct __TEE_ObjectHandle {
	struct __TEE_ObjectHandle *next;	/* the instance's handles */
	uint32_t type;			/* TEE_TYPE_AES, or 0 for data only */
	uint32_t max_bits;		/* maxObjectSize */
	uint32_t usage;
	uint32_t handle_flags;		/* TEE_HANDLE_FLAG_* */
	uint8_t key[32];
	uint32_t key_len;		/* bytes; 0 until populated */
	/* persistent objects */
	uint32_t flags;			/* TEE_DATA_FLAG_* it was opened with */
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	uint32_t id_len;
	char path[600];
	uint8_t *data;			/* the data stream, in core memory */
	uint32_t data_len, pos;
};

/* One call's parameter as it crosses into the TEE. */
struct sim_msg_param {
	uint32_t type;		/* TEE_PARAM_TYPE_* as the TA sees it */
	uint32_t a, b;		/* values */
	uint8_t *host;		/* memrefs: the bytes */
	uint64_t phys;
	uint32_t size;		/* offered */
	uint32_t out_size;	/* as the TA left it */
};

struct sim_instance {
	struct sim_instance *next;
	const struct sim_ta_desc *ta;
	unsigned id;
	unsigned sessions;
	bool created;			/* TA_CreateEntryPoint succeeded */
	bool dead;
	uint64_t ram_phys, ram_size;	/* footprint in TA_RAM */
	uint8_t *ram;
	uint64_t code_size;
	uint32_t data_size;		/* TA_DATA_SIZE (or its override) */
	uint32_t stack_req;		/* TA_STACK_SIZE (or its override) */
	uint8_t *code, *heap_base, *guard, *stack;
	uint64_t stack_size;
	struct sim_heap heap;
	struct __TEE_ObjectHandle *objects;
	struct __TEE_OperationHandle *operations;
	struct sim_known *known;	/* taint: chunks the normal world knows */
	struct sim_watch *watch;	/* taint: heap pages written since */
	/* the call running now (world_switch.c) */
	ucontext_t core_uc, ta_uc;
	enum sim_run_state state;
	void (*fn)(void *);		/* the entry point's thunk */
	void *arg;
	void (*sys_fn)(void *);		/* the system call running */
	void *sys_arg;
	sigjmp_buf *syscall_exit;
	void *asan_fake_stack;
	unsigned vg_stack_id;
	TEE_Result panic_code;
	char panic_why[200];
	const struct sim_msg_param *params;	/* the current call's */
};

struct sim_session {
	struct sim_session *next;
	struct sim_ctx *ctx;
	struct sim_instance *inst;
	void *ta_session;		/* the TA's session context */
	unsigned id;
	bool dead;
	struct sim_counters counters;
};

/* ---- the machine (machine.c) ---- */

struct sim_machine {
	bool built;
	struct mm_platform platform;
	struct mm_regions regions;	/* the plan's, else the platform's */
	uint64_t tz_start, tz_size, core_size;
	uint64_t ta_ram_start, ta_ram_size;
	unsigned pgt_cache;		/* user page tables an instance may take */
	uint8_t *tz;			/* host backing of TZDRAM */
	uint64_t shm_start, shm_size;
	uint8_t *shm;			/* host backing of the static pool */
	struct sim_extents ta_ram, pool, nw;
	struct sim_shm *shms;
	struct sim_instance *instances;
	struct sim_session *sessions;
	unsigned contexts;
	unsigned next_id;
	struct sim_counters counters;
	bool taint_on;
	unsigned hostile;
	struct sim_violation *viol;
	size_t n_viol, cap_viol;
	char storage[512];
	bool storage_tmp;
	bool storage_written;		/* during the current call */
	struct sim_instance *current;	/* the instance running now */
	struct sim_ta_sizes ta_sizes[SIM_TA_SIZES_MAX];	/* sim_config's */
	size_t n_ta_sizes;
	uint64_t check_ns;		/* time spent in the checks */
	struct sim_taint_call *taint_call;	/* the call being checked */
	/* fault injection (faults.c) */
	uint64_t fault_at;		/* the call that fails; 0: none */
	uint64_t fault_calls;		/* fallible calls since armed */
	const char *fault_fired;	/* the call that failed */
};

extern struct sim_machine sim_m;

/* Builds the machine from the environment if it is not built. */
int sim_machine_ensure(void);
unsigned sim_next_id(void);

/* Host address of physical [phys, phys + len) when one modelled area
 * (TZDRAM, the pool, a registered buffer) holds all of it, else NULL. */
uint8_t *sim_phys_to_host(uint64_t phys, uint64_t len);
/* Physical address of a TZDRAM host address. */
uint64_t sim_tz_phys(const void *host);

/* instance.c */
TEE_Result sim_instance_get(const struct sim_ta_desc *ta,
			    struct sim_instance **out, uint32_t *origin);
/* One session fewer; destroys the instance when it is the last and the
 * TA does not ask to be kept alive, or when it is dead. */
void sim_instance_put(struct sim_instance *inst);
/* Marks it dead and scrubs its heap and stack. */
void sim_instance_kill(struct sim_instance *inst);
void sim_instance_destroy(struct sim_instance *inst);
const struct sim_ta_desc *sim_ta_find(const TEE_UUID *uuid);

/* world_switch.c: runs fn(arg) as TA code on inst's stack. Returns 0, or
 * -1 when the TA panicked (inst->panic_code, inst->panic_why). */
int sim_run_ta(struct sim_instance *inst, void (*fn)(void *), void *arg);
/* From TA code: runs fn(arg) in the core, off the TA stack, as a system
 * call does. */
void sim_syscall(void (*fn)(void *), void *arg);
/* The running instance; panics the program when called outside a TA. */
struct sim_instance *sim_current(void);
/* Ends the running TA: never returns. */
__attribute__((noreturn, format(printf, 2, 3)))
void sim_panic(TEE_Result code, const char *fmt, ...);
void sim_signals_install(void);
/* Tells ASan and valgrind that the simulator reads or writes [p, p + n)
 * of a TA stack on purpose (scrubbing, the taint scan): frames the TA
 * left behind are poisoned or marked inaccessible there. */
void sim_mem_expose(void *p, uint64_t n);
void sim_stack_register(struct sim_instance *inst);
void sim_stack_deregister(struct sim_instance *inst);

/* client_params.c: the TA-side type of a Client API parameter type (for
 * a whole memref, from its parent's flags); TEEC_PARAM_BAD when the
 * type is no valid one. */
#define SIM_TYPE_BAD	0xFFu
uint32_t sim_tee_type(uint32_t teec_type, uint32_t parent_flags);
bool sim_type_is_memref(uint32_t tee_type);
bool sim_type_writable(uint32_t tee_type);

struct sim_op_state {
	struct sim_shm *bounce[4];	/* temporary memrefs' buffers */
	uint64_t bounce_bytes;		/* copied so far */
	unsigned bounce_smc;		/* world switches they took (registered
					 * and released) */
};
/* The operation as the TEE receives it (op may be NULL): origin API
 * errors. */
TEEC_Result sim_params_in(struct sim_ctx *ctx, const TEEC_Operation *op,
			  struct sim_msg_param p[4], struct sim_op_state *st);
/* Sizes, values and temporary outputs back into op. */
void sim_params_out(TEEC_Operation *op, const struct sim_msg_param p[4],
		    TEEC_Result res, struct sim_op_state *st);
void sim_params_release(struct sim_op_state *st);

/* tee_memory.c: copies between the core and TA memory on the TA's behalf
 * (one read or write of each byte, as the double-fetch trap sees it).
 * A TA buffer the instance may not use panics the TA. */
void sim_from_ta(void *core_dst, const void *ta_src, uint64_t n);
void sim_to_ta(void *ta_dst, const void *core_src, uint64_t n);
/* true when [p, p + n) is the running instance's heap or stack (own), or
 * a memref of the current call (shared, with its TA-side type). */
bool sim_ta_owns(const void *p, uint64_t n);
const struct sim_msg_param *sim_ta_param_of(const void *p, uint64_t n);

/* tee_core.c: what happens inside the TEE for each SMC. */
TEE_Result sim_core_open(struct sim_ctx *ctx, const TEEC_UUID *uuid,
			 struct sim_msg_param p[4], struct sim_session **out,
			 uint32_t *origin);
TEE_Result sim_core_invoke(struct sim_session *s, uint32_t cmd,
			   struct sim_msg_param p[4], uint32_t *origin);
void sim_core_close(struct sim_session *s);
bool sim_session_valid(const struct sim_session *s);

/* faults.c: true when this fallible call (its name) is the one
 * sim_fault_set armed, which must then fail. */
bool sim_fault_now(const char *call);

/* counters.c */
void sim_count(struct sim_session *s, const struct sim_counters *delta);
uint64_t sim_now_ns(void);

/* violations.c */
__attribute__((format(printf, 7, 8)))
void sim_violation_add(enum sim_violation_kind kind, uint64_t addr,
		       uint64_t secure_addr, uint32_t len, unsigned session,
		       const char *region, const char *fmt, ...);

/* nw_view.c: the name of the region deciding addr for the normal world
 * and whether it may read (write) there. */
bool sim_nw_allowed(uint64_t addr, bool write, const char **region);
/* The first address above addr where that decision may differ from
 * addr's (a region's bound); UINT64_MAX when none. */
uint64_t sim_nw_same_until(uint64_t addr);

/* huge_alloc.c: bytes zeroed, a mapping of their own on huge pages when
 * large (the leakage check's hash tables); freed with their size. */
void *sim_huge_zeroed(size_t bytes);
void sim_huge_free(void *p, size_t bytes);

/* taint.c */
struct sim_taint_call;
struct sim_taint_call *sim_taint_begin(struct sim_instance *inst,
				       const struct sim_msg_param p[4]);
/* After the entry point: outputs_declared when it succeeded (then the
 * output memrefs' bytes, as sized by the TA, are the declared output). */
void sim_taint_end(struct sim_taint_call *call, struct sim_session *s,
		   const struct sim_msg_param p[4], bool outputs_declared);
void sim_taint_forget(struct sim_instance *inst);
/* The normal world wrote the byte at p during the call (the double-fetch
 * trap's rewrite): its snapshot takes the new value, the normal world's
 * own. Safe in a signal handler. */
void sim_taint_nw_wrote(const uint8_t *p);

/* page_watch.c: the heap pages of an instance written since the last
 * leakage check. sim_watch_rearm, at the end of a check, protects the
 * pages written since the one before (the whole heap the first time);
 * sim_watch_written_bits gives a bit for each of the 64 pages from
 * 64 x word on, set when the page may have been written since (all set
 * when the watch is off: valgrind, pages not 4 KiB);
 * sim_watch_stop lifts the protection before the simulator scrubs or
 * frees the heap. sim_watch_on_fault, from the SIGSEGV handler: true
 * when the fault was a first write to a watched page, now writable. */
void sim_watch_rearm(struct sim_instance *inst);
uint64_t sim_watch_written_bits(const struct sim_instance *inst,
				uint64_t word);
void sim_watch_stop(struct sim_instance *inst);
bool sim_watch_on_fault(void *addr);

/* pool_watch.c: the pages of the static pool known clean (free and
 * zero), which the leakage check leaves out; they are read-only to catch
 * a write. sim_pool_watch_arm, before every TA run, starts the watch
 * (or drops it with the leakage check off); sim_pool_watch_on_fault,
 * from the SIGSEGV handler: true when the fault was such a write, now
 * let through; sim_pool_watch_mark says the pool's bytes [off, off +
 * len) were given out or written (clean false) or zeroed and freed
 * (true); sim_pool_watch_clean asks about page pg of the pool;
 * sim_pool_watch_forget drops what is known (every page unclean). */
void sim_pool_watch_arm(void);
bool sim_pool_watch_on_fault(void *addr);
void sim_pool_watch_mark(uint64_t off, uint64_t len, bool clean);
bool sim_pool_watch_clean(uint64_t pg);
void sim_pool_watch_forget(void);

/* hostile_fetch.c */
int sim_df_arm(const struct sim_msg_param p[4]);
/* Records what the trap saw as violations of inst (session). */
void sim_df_disarm(const struct sim_instance *inst, unsigned session);
bool sim_df_armed(void);
/* Bulk access by the simulator on the TA's behalf (TEE_MemMove, crypto
 * inputs): one read (or write) of each byte of [p, p + n). */
void sim_df_bulk_begin(const void *p, uint64_t n, bool write);
void sim_df_bulk_end(const void *p, uint64_t n, bool write);
/* From the signal handlers: true when the fault was the double-fetch
 * trap's to handle. */
bool sim_df_on_fault(void *addr, bool write, void *uctx);
bool sim_df_on_trap(void *uctx);

/* objects.c: the instance's object handles. sim_object_find panics the
 * TA when h is not one of its handles (TEE_HANDLE_NULL gives NULL). */
struct __TEE_ObjectHandle *sim_object_new(struct sim_instance *inst);
struct __TEE_ObjectHandle *sim_object_find(struct sim_instance *inst,
					   TEE_ObjectHandle h);
void sim_object_free(struct sim_instance *inst, struct __TEE_ObjectHandle *o);
/* storage.c: closes a persistent object's handle. */
void sim_storage_close(struct sim_instance *inst, struct __TEE_ObjectHandle *o);

/* crypto.c: random bytes (mbedTLS CTR-DRBG over the host's entropy). */
void sim_random(void *out, uint64_t n);

/* crypto.c and storage.c: a dying instance's handles. */
void sim_crypto_release_all(struct sim_instance *inst);
void sim_storage_release_all(struct sim_instance *inst);
/* The operation handles inst holds. */
unsigned sim_crypto_operations(const struct sim_instance *inst);
/* The key material the core holds for inst (taint's secrets). */
typedef void (*sim_secret_fn)(const uint8_t *p, uint64_t n,
			      const char *what, void *arg);
void sim_crypto_secrets(struct sim_instance *inst, sim_secret_fn fn,
			void *arg);
/* storage_file.c: the encrypted files of the persistent store. */
int sim_storage_file_write(const char *path, const TEE_UUID *ta,
			   const uint8_t *data, uint64_t len);
int sim_storage_file_read(const char *path, const TEE_UUID *ta,
			  uint8_t **data, uint64_t *len);
/* The file name for an object identifier (a keyed hash: the normal
 * world learns no identifier from the name). */
void sim_storage_file_name(const TEE_UUID *ta, const void *id, uint32_t len,
			   char out[65]);
void sim_uuid_str(const TEE_UUID *u, char out[37]);
/* The directory of a TA's objects under the storage directory. */
void sim_storage_dir(const TEE_UUID *ta, char *out, size_t len);

#endif
