/*
 * TA loading and instances. The TAs a program can open are the
 * descriptors linked into it (sim_ta.h, section sim_ta_descs). An
 * instance takes, in TA_RAM, the footprint mm_plan counts for it:
 *
 *   [code][heap: TA_DATA_SIZE][guard page][stack: TA_STACK_SIZE][rest]
 *    each rounded up to 4 KiB, plus MM_PLAN_TA_OVERHEAD (ldelf and page
 *    padding in OP-TEE; here it also holds the guard page)
 *
 * so that the planner's promise ("sessions x instance fits") and the
 * simulator agree; when TA_RAM has no room left, opening a session gives
 * TEE_ERROR_OUT_OF_MEMORY, as OP-TEE does (DarkneTZ issues #2, #23, #34,
 * #35), and so it does when the instance needs more user page tables
 * than the layout's cache holds (mm_plan_pgt_per_instance; OP-TEE 4.10
 * under QEMU: "alloc_pgt: Page tables are not available"). The code area is accounted only: the TA's code runs from the
 * host program.
 *
 * Instances follow TA_FLAGS as OP-TEE does: a multi-instance TA gets a
 * new instance per session; TA_FLAG_SINGLE_INSTANCE shares one, refusing
 * a second session with TEE_ERROR_BUSY unless TA_FLAG_MULTI_SESSION;
 * TA_FLAG_INSTANCE_KEEP_ALIVE keeps it after its last session closes.
 * A dead or destroyed instance's heap and stack are zeroed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim_internal.h"

extern const struct sim_ta_desc __start_sim_ta_descs[] __attribute__((weak));
extern const struct sim_ta_desc __stop_sim_ta_descs[] __attribute__((weak));

static bool same_uuid(const TEE_UUID *a, const TEE_UUID *b)
{
	return a->timeLow == b->timeLow && a->timeMid == b->timeMid &&
	       a->timeHiAndVersion == b->timeHiAndVersion &&
	       memcmp(a->clockSeqAndNode, b->clockSeqAndNode, 8) == 0;
}

const struct sim_ta_desc *sim_ta_find(const TEE_UUID *uuid)
{
	const struct sim_ta_desc *d = __start_sim_ta_descs;
	for (; d != NULL && d < __stop_sim_ta_descs; d++)
		if (same_uuid(&d->uuid, uuid))
			return d;
	return NULL;
}

struct entry_thunk {
	struct sim_instance *inst;
	TEE_Result ret;
};

static void run_create(void *arg)
{
	struct entry_thunk *t = arg;
	t->ret = t->inst->ta->create();
}

static void run_destroy(void *arg)
{
	struct entry_thunk *t = arg;
	t->inst->ta->destroy();
}

/* The guard page works where the host's pages are OP-TEE's 4 KiB. */
static bool guard_possible(void)
{
	return sysconf(_SC_PAGESIZE) == (long)SIM_PG;
}

/* The TA's sizes: its header's and its measured code, or those
 * sim_config gives its UUID (the TA as rebuilt with another
 * user_ta_header_defines.h, its code as the board's build has it). */
static void sizes_of(const struct sim_ta_desc *ta, uint32_t *data,
		     uint32_t *stack, uint64_t *code)
{
	*data = ta->data_size;
	*stack = ta->stack_size;
	*code = ta->code_size;
	for (size_t i = 0; i < sim_m.n_ta_sizes; i++) {
		const struct sim_ta_sizes *o = &sim_m.ta_sizes[i];
		TEE_UUID u = { o->uuid.timeLow, o->uuid.timeMid,
			       o->uuid.timeHiAndVersion, { 0 } };
		memcpy(u.clockSeqAndNode, o->uuid.clockSeqAndNode, 8);
		if (!same_uuid(&u, &ta->uuid))
			continue;
		*data = o->data_size ? o->data_size : *data;
		*stack = o->stack_size ? o->stack_size : *stack;
		*code = o->code_size ? o->code_size : *code;
	}
}

/*
 * An instance on pages of its own: its ucontexts are read and written by
 * the kernel (swapcontext's signal mask), and the double-fetch trap
 * protects whole pages of registered client memory, which the host's
 * malloc may share with anything it gave out nearby. A kernel access to a
 * protected page is no fault the trap sees but an EFAULT, and the switch
 * into the TA would silently not happen.
 */
static void *alloc_own_pages(size_t size)
{
	size_t n = SIM_PG_UP(size);
	void *p = aligned_alloc(SIM_PG, n);
	if (p)
		memset(p, 0, n);
	return p;
}

static TEE_Result place(const struct sim_ta_desc *ta, struct sim_instance **out)
{
	uint32_t data_size, stack_req;
	uint64_t code_size;
	sizes_of(ta, &data_size, &stack_req, &code_size);
	uint64_t code = SIM_PG_UP(code_size);
	uint64_t heap = SIM_PG_UP((uint64_t)data_size);
	uint64_t stack = SIM_PG_UP((uint64_t)stack_req);
	uint64_t size = code + heap + stack + MM_PLAN_TA_OVERHEAD;
	uint64_t phys;
	/* OP-TEE maps the instance with user page tables from its cache */
	if (mm_plan_pgt_per_instance(size, sim_m.platform.xlat_table_span) >
	    sim_m.pgt_cache)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (sim_extents_alloc(&sim_m.ta_ram, size, SIM_PG, &phys))
		return TEE_ERROR_OUT_OF_MEMORY;
	struct sim_instance *inst = alloc_own_pages(sizeof *inst);
	if (inst == NULL) {
		sim_extents_free(&sim_m.ta_ram, phys, size);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	inst->ta = ta;
	inst->id = sim_next_id();
	inst->ram_phys = phys;
	inst->ram_size = size;
	inst->ram = sim_phys_to_host(phys, size);
	inst->code = inst->ram;
	inst->code_size = code;
	inst->data_size = data_size;
	inst->stack_req = stack_req;
	inst->heap_base = inst->ram + code;
	inst->guard = inst->heap_base + heap;
	inst->stack = inst->guard + SIM_PG;
	inst->stack_size = stack;
	sim_heap_init(&inst->heap, inst->heap_base, data_size);
	if (guard_possible())
		mprotect(inst->guard, SIM_PG, PROT_NONE);
	sim_stack_register(inst);
	inst->next = sim_m.instances;
	sim_m.instances = inst;
	*out = inst;
	return TEE_SUCCESS;
}

static struct sim_instance *find_live(const struct sim_ta_desc *ta)
{
	for (struct sim_instance *i = sim_m.instances; i; i = i->next)
		if (i->ta == ta && !i->dead)
			return i;
	return NULL;
}

TEE_Result sim_instance_get(const struct sim_ta_desc *ta,
			    struct sim_instance **out, uint32_t *origin)
{
	*origin = TEE_ORIGIN_TEE;
	if (ta->flags & TA_FLAG_SINGLE_INSTANCE) {
		struct sim_instance *i = find_live(ta);
		if (i != NULL) {
			if (i->sessions > 0 &&
			    !(ta->flags & TA_FLAG_MULTI_SESSION))
				return TEE_ERROR_BUSY;
			*out = i;
			return TEE_SUCCESS;
		}
	}
	struct sim_instance *inst;
	TEE_Result res = place(ta, &inst);
	if (res != TEE_SUCCESS)
		return res;
	struct entry_thunk t = { inst, TEE_ERROR_GENERIC };
	if (sim_run_ta(inst, run_create, &t)) {
		fprintf(stderr, "sim: TA %s panicked in TA_CreateEntryPoint: "
				"%s\n", ta->name, inst->panic_why);
		sim_instance_destroy(inst);
		return TEE_ERROR_TARGET_DEAD;
	}
	if (t.ret != TEE_SUCCESS) {
		inst->dead = true;	/* never created: no destroy entry */
		sim_instance_destroy(inst);
		*origin = TEE_ORIGIN_TRUSTED_APP;
		return t.ret;
	}
	inst->created = true;
	*out = inst;
	return TEE_SUCCESS;
}

void sim_instance_kill(struct sim_instance *inst)
{
	inst->dead = true;
	for (struct sim_session *s = sim_m.sessions; s; s = s->next)
		if (s->inst == inst)
			s->dead = true;
	sim_crypto_release_all(inst);
	sim_storage_release_all(inst);
	sim_taint_forget(inst);
	sim_watch_stop(inst);
	memset(inst->heap_base, 0, SIM_PG_UP((uint64_t)inst->data_size));
	sim_mem_expose(inst->stack, inst->stack_size);
	memset(inst->stack, 0, inst->stack_size);
}

void sim_instance_destroy(struct sim_instance *inst)
{
	if (!inst->dead && inst->created) {
		struct entry_thunk t = { inst, TEE_SUCCESS };
		if (sim_run_ta(inst, run_destroy, &t))
			fprintf(stderr, "sim: TA %s panicked in "
					"TA_DestroyEntryPoint: %s\n",
				inst->ta->name, inst->panic_why);
	}
	sim_instance_kill(inst);
	sim_stack_deregister(inst);
	if (guard_possible())
		mprotect(inst->guard, SIM_PG, PROT_READ | PROT_WRITE);
	sim_extents_free(&sim_m.ta_ram, inst->ram_phys, inst->ram_size);
	for (struct sim_instance **pp = &sim_m.instances; *pp;
	     pp = &(*pp)->next)
		if (*pp == inst) {
			*pp = inst->next;
			break;
		}
	free(inst);
}

void sim_instance_put(struct sim_instance *inst)
{
	if (inst->sessions > 0)
		inst->sessions--;
	if (inst->sessions > 0)
		return;
	uint32_t keep = TA_FLAG_SINGLE_INSTANCE | TA_FLAG_INSTANCE_KEEP_ALIVE;
	if (inst->dead || (inst->ta->flags & keep) != keep)
		sim_instance_destroy(inst);
}

int sim_session_instance(const TEEC_Session *s, struct sim_instance_info *out)
{
	memset(out, 0, sizeof *out);
	if (s == NULL || !sim_session_valid(s->imp.session))
		return SIM_E_STATE;
	const struct sim_instance *i =
		((const struct sim_session *)s->imp.session)->inst;
	out->id = i->id;
	out->sessions = i->sessions;
	out->ram_start = i->ram_phys;
	out->ram_size = i->ram_size;
	out->code_start = i->ram_phys;
	out->code_size = i->code_size;
	out->heap_start = sim_tz_phys(i->heap_base);
	out->heap_size = i->data_size;
	out->heap_used = i->heap.used;
	out->heap_peak = i->heap.peak;
	out->stack_start = sim_tz_phys(i->stack);
	out->stack_size = i->stack_size;
	for (const struct __TEE_ObjectHandle *o = i->objects; o; o = o->next)
		out->handles++;
	out->handles += sim_crypto_operations(i);
	out->dead = i->dead;
	return SIM_OK;
}
