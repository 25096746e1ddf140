/*
 * Calls into the guest and the services it asks for. A call sets x0..x3,
 * the stack pointer at the top of the TA's stack and the link register
 * at sim_uc_guest_return, where the engine stops. The guest's GP calls
 * arrive as SVCs (sim_uc_svc.h): the heap is sim_heap over the guest's
 * heap pages (the TA's accounting, ta/heap.c, meets the allocator it
 * meets in the simulator), properties are the plan's sizes.
 */
#include <stdio.h>
#include <string.h>

#include "sim_uc_svc.h"
#include "tee_api_defines.h"
#include "uc_internal.h"

/* Unicorn's interrupt number for an SVC (QEMU's EXCP_SWI). */
#define UC_EXCP_SWI 2

static const int arg_regs[4] = { UC_ARM64_REG_X0, UC_ARM64_REG_X1,
				 UC_ARM64_REG_X2, UC_ARM64_REG_X3 };

static uint64_t reg(uc_engine *e, int r)
{
	uint64_t v = 0;
	uc_reg_read(e, r, &v);
	return v;
}

static void set_reg(uc_engine *e, int r, uint64_t v)
{
	uc_reg_write(e, r, &v);
}

uint64_t uc_call(struct sim_uc *uc, uint64_t fn, const uint64_t args[4])
{
	for (int i = 0; i < 4; i++)
		set_reg(uc->e, arg_regs[i], args[i]);
	set_reg(uc->e, UC_ARM64_REG_SP, uc->sp.stack_top);
	set_reg(uc->e, UC_ARM64_REG_LR, uc->fn_return);
	uc_err r = uc_emu_start(uc->e, fn, uc->fn_return, 0, 0);
	if (uc->v.stop == SIM_UC_RAN && r != UC_ERR_OK)
		uc_rules_stop(uc, SIM_UC_FAULT, reg(uc->e, UC_ARM64_REG_PC),
			      uc_strerror(r));
	return uc->v.stop == SIM_UC_RAN ? reg(uc->e, UC_ARM64_REG_X0) : 0;
}

static uint64_t heap_va_of(const struct sim_uc *uc, const void *p)
{
	return p == NULL ? 0 : uc->sp.heap_va + (uint64_t)((const uint8_t *)p -
							    uc->heap.base);
}

/* Host bytes of a pointer the guest passed into its heap, or NULL. */
static void *heap_host(struct sim_uc *uc, uint64_t va)
{
	if (va < uc->sp.heap_va || va - uc->sp.heap_va >= uc->sp.heap_size)
		return NULL;
	return uc->heap.base + (va - uc->sp.heap_va);
}

static uint64_t serve_malloc(struct sim_uc *uc, uint64_t size, uint64_t hint)
{
	uint8_t *p = sim_heap_alloc(&uc->heap, size);
	if (p != NULL && hint == TEE_MALLOC_FILL_ZERO)
		memset(p, 0, size);
	return heap_va_of(uc, p);
}

static uint64_t serve_realloc(struct sim_uc *uc, uint64_t va, uint64_t size)
{
	bool bad = false;
	void *p = sim_heap_realloc(&uc->heap, va ? heap_host(uc, va) : NULL,
				   size, &bad);
	if (bad || (va && heap_host(uc, va) == NULL)) {
		uc_rules_stop(uc, SIM_UC_PANIC, va,
			      "TEE_Realloc of a pointer that is no heap block");
		return 0;
	}
	return heap_va_of(uc, p);
}

static void serve_free(struct sim_uc *uc, uint64_t va)
{
	if (va == 0)
		return;
	void *p = heap_host(uc, va);
	if (p == NULL || sim_heap_free(&uc->heap, p) != 0)
		uc_rules_stop(uc, SIM_UC_PANIC, va,
			      "TEE_Free of a pointer that is no heap block");
}

/* gpd.ta.dataSize and gpd.ta.stackSize, as OP-TEE publishes them from
 * the TA's header; a name the guest passes is read at most 32 bytes. */
static uint64_t serve_property(struct sim_uc *uc, uint64_t name_va,
			       uint64_t out_va)
{
	char name[32] = { 0 };
	uint8_t *out = uc_space_host(&uc->sp, out_va, sizeof(uint32_t));
	if (uc_mem_read(uc->e, name_va, name, sizeof name - 1) != UC_ERR_OK ||
	    out == NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	uint64_t v;
	if (strcmp(name, "gpd.ta.dataSize") == 0)
		v = uc->opt.plan->ta_data_size;
	else if (strcmp(name, "gpd.ta.stackSize") == 0)
		v = uc->opt.plan->ta_stack_size;
	else
		return TEE_ERROR_ITEM_NOT_FOUND;
	uint32_t v32 = (uint32_t)v;
	memcpy(out, &v32, sizeof v32);
	return TEE_SUCCESS;
}

static const char *unserved_name(uint64_t which)
{
	switch (which) {
	case SIM_UC_OBJECTS: return "transient and persistent objects";
	case SIM_UC_OPERATIONS: return "cryptographic operations";
	default: return "an unknown GP function";
	}
}

static uint64_t serve(struct sim_uc *uc, uint64_t nr, const uint64_t a[3])
{
	char text[96];
	switch (nr) {
	case SIM_UC_SVC_MALLOC: return serve_malloc(uc, a[0], a[1]);
	case SIM_UC_SVC_REALLOC: return serve_realloc(uc, a[0], a[1]);
	case SIM_UC_SVC_FREE: serve_free(uc, a[0]); return 0;
	case SIM_UC_SVC_PROPERTY_U32: return serve_property(uc, a[1], a[2]);
	case SIM_UC_SVC_PANIC:
		snprintf(text, sizeof text, "TEE_Panic(0x%08llx)",
			 (unsigned long long)a[0]);
		uc_rules_stop(uc, SIM_UC_PANIC, 0, text);
		return 0;
	case SIM_UC_SVC_NOT_SERVED:
		snprintf(text, sizeof text, "the TA called %s, which the "
			 "Unicorn runner does not serve", unserved_name(a[0]));
		uc_rules_stop(uc, SIM_UC_NOT_SERVED, 0, text);
		return 0;
	default:
		snprintf(text, sizeof text, "SVC number %llu",
			 (unsigned long long)nr);
		uc_rules_stop(uc, SIM_UC_FAULT, 0, text);
		return 0;
	}
}

static void on_interrupt(uc_engine *e, uint32_t intno, void *arg)
{
	struct sim_uc *uc = arg;
	if (intno != UC_EXCP_SWI) {
		char text[48];
		snprintf(text, sizeof text, "exception %u", intno);
		uc_rules_stop(uc, SIM_UC_FAULT, 0, text);
		return;
	}
	uc->fig.svc_calls++;
	const uint64_t a[3] = { reg(e, UC_ARM64_REG_X0), reg(e, UC_ARM64_REG_X1),
				reg(e, UC_ARM64_REG_X2) };
	set_reg(e, UC_ARM64_REG_X0, serve(uc, reg(e, UC_ARM64_REG_X8), a));
}

int uc_calls_hook(struct sim_uc *uc, char *err, size_t err_len)
{
	uc_hook h;
	uc_err r = uc_hook_add(uc->e, &h, UC_HOOK_INTR, (void *)on_interrupt,
			       uc, 1, 0);
	if (r != UC_ERR_OK) {
		snprintf(err, err_len, "Unicorn: %s", uc_strerror(r));
		return -1;
	}
	return 0;
}
