/*
 * The rules a run is held to (sim_uc.h). Unmapped, read-only and
 * never-execute pages are Unicorn's own checks, reported through its
 * invalid-access hooks; the shared window has a read and a write hook of
 * its own, which hold each access against the command's memrefs and
 * against the bytes the command has read or written before.
 */
#include <stdio.h>
#include <string.h>

#include "uc_internal.h"

const char *sim_uc_stop_str(enum sim_uc_stop s)
{
	switch (s) {
	case SIM_UC_RAN: return "ran";
	case SIM_UC_UNMAPPED: return "access to an unmapped address";
	case SIM_UC_READ_ONLY: return "write to read-only memory";
	case SIM_UC_NOT_CODE: return "execution outside the code";
	case SIM_UC_SHM_WRITE:
		return "write into the shared window outside the declared output";
	case SIM_UC_SHM_READ:
		return "read of the shared window outside the declared input";
	case SIM_UC_DOUBLE_FETCH: return "double fetch of shared memory";
	case SIM_UC_INTERMEDIATE:
		return "store of an intermediate to normal-world-readable memory";
	case SIM_UC_PANIC: return "TA panic";
	case SIM_UC_NOT_SERVED: return "GP call not served";
	case SIM_UC_FAULT: return "emulation fault";
	}
	return "?";
}

static void describe(struct sim_uc *uc, const char *detail)
{
	struct sim_uc_violation *v = &uc->v;
	char layer[32], where[64];
	if (v->layer == SIM_UC_OUTSIDE_LAYERS)
		snprintf(layer, sizeof layer, "outside the layers");
	else
		snprintf(layer, sizeof layer, "layer %d", v->layer);
	if (strcmp(v->entry, "TA_InvokeCommandEntryPoint") == 0)
		snprintf(where, sizeof where, "command %u", v->command);
	else
		snprintf(where, sizeof where, "%s", v->entry);
	snprintf(v->text, sizeof v->text,
		 "%s at 0x%llx (%s), %s of %s, by the instruction "
		 "0x%08x at 0x%llx (%s)%s%s",
		 sim_uc_stop_str(v->stop), (unsigned long long)v->addr, v->area,
		 layer, where, v->insn, (unsigned long long)v->pc,
		 v->function, detail ? ": " : "", detail ? detail : "");
}

/* The instruction that broke the rule: for a data access, found in the
 * block (uc_fault_pc.c); for a fetch, the address fetched; for an SVC,
 * the one before the PC Unicorn reports past it. */
static uint64_t pc_of(struct sim_uc *uc, enum sim_uc_stop stop, uint64_t addr)
{
	uint64_t pc = 0;
	uc_reg_read(uc->e, UC_ARM64_REG_PC, &pc);
	switch (stop) {
	case SIM_UC_NOT_CODE: return addr;
	case SIM_UC_PANIC: case SIM_UC_NOT_SERVED: return pc - 4;
	case SIM_UC_READ_ONLY: case SIM_UC_SHM_WRITE: case SIM_UC_INTERMEDIATE:
		return uc_fault_pc(uc, addr, true);
	case SIM_UC_SHM_READ: case SIM_UC_DOUBLE_FETCH:
		return uc_fault_pc(uc, addr, false);
	case SIM_UC_UNMAPPED:
		return uc->fault_kind == UC_MEM_FETCH_UNMAPPED ? addr
			: uc_fault_pc(uc, addr, uc->fault_kind == UC_MEM_WRITE_UNMAPPED);
	default: return pc;
	}
}

void uc_rules_stop(struct sim_uc *uc, enum sim_uc_stop stop, uint64_t addr,
		   const char *detail)
{
	uc_emu_stop(uc->e);
	if (uc->v.stop != SIM_UC_RAN)
		return;		/* the first stop is the one that counts */
	struct sim_uc_violation *v = &uc->v;
	v->stop = stop;
	v->addr = addr;
	v->pc = pc_of(uc, stop, addr);
	const uint8_t *code = uc_space_host(&uc->sp, v->pc, 4);
	v->insn = 0;
	if (code)
		memcpy(&v->insn, code, sizeof v->insn);
	v->layer = uc->layer;
	v->command = uc->command;
	snprintf(v->entry, sizeof v->entry, "%s", uc->entry ? uc->entry : "?");
	snprintf(v->area, sizeof v->area, "%s", uc_space_area(&uc->sp, addr));
	snprintf(v->function, sizeof v->function, "%s",
		 uc_image_function(&uc->img, v->pc));
	describe(uc, detail);
}

static bool on_invalid(uc_engine *e, uc_mem_type type, uint64_t addr,
		       int size, int64_t value, void *arg)
{
	(void)e, (void)size, (void)value;
	struct sim_uc *uc = arg;
	enum sim_uc_stop stop = SIM_UC_UNMAPPED;
	uc->fault_kind = type;
	if (type == UC_MEM_WRITE_PROT)
		stop = SIM_UC_READ_ONLY;
	else if (type == UC_MEM_FETCH_PROT || type == UC_MEM_FETCH_UNMAPPED)
		stop = type == UC_MEM_FETCH_PROT ? SIM_UC_NOT_CODE
						  : SIM_UC_UNMAPPED;
	uc_rules_stop(uc, stop, addr, NULL);
	return false;
}

/* The memref of the command holding [at, at + n) in the window, or NULL. */
static const struct uc_window_ref *ref_of(const struct sim_uc *uc,
					  uint64_t at, uint64_t n)
{
	for (int i = 0; i < 4; i++) {
		const struct uc_window_ref *r = &uc->refs[i];
		if (r->size && at >= r->va && n <= r->size &&
		    at - r->va <= r->size - n)
			return r;
	}
	return NULL;
}

static void on_shm_read(struct sim_uc *uc, uint64_t addr, int size)
{
	const struct uc_window_ref *r = ref_of(uc, addr, (uint64_t)size);
	if (r == NULL || !r->input) {
		uc_rules_stop(uc, SIM_UC_SHM_READ, addr, NULL);
		return;
	}
	uint8_t *seen = uc->shm_read + (addr - uc->sp.ta.area[MM_TA_SHM].va);
	for (int i = 0; i < size; i++)
		if (seen[i]) {
			uc_rules_stop(uc, SIM_UC_DOUBLE_FETCH, addr + (uint64_t)i,
				      "the byte was read before in this command");
			return;
		}
	memset(seen, 1, (size_t)size);
}

static void on_shm_write(struct sim_uc *uc, uint64_t addr, int size)
{
	const struct uc_window_ref *r = ref_of(uc, addr, (uint64_t)size);
	if (r == NULL || !r->output) {
		uc_rules_stop(uc, SIM_UC_SHM_WRITE, addr, NULL);
		return;
	}
	uint8_t *seen =
		uc->shm_written + (addr - uc->sp.ta.area[MM_TA_SHM].va);
	for (int i = 0; i < size; i++)
		if (seen[i]) {
			uc_rules_stop(uc, SIM_UC_INTERMEDIATE, addr + (uint64_t)i,
				      "the output byte was written before in "
				      "this command");
			return;
		}
	memset(seen, 1, (size_t)size);
}

static void on_shm(uc_engine *e, uc_mem_type type, uint64_t addr, int size,
		   int64_t value, void *arg)
{
	(void)e, (void)value;
	if (type == UC_MEM_READ)
		on_shm_read(arg, addr, size);
	else
		on_shm_write(arg, addr, size);
}

int uc_rules_hook(struct sim_uc *uc, char *err, size_t err_len)
{
	const struct mm_xlat_area *shm = &uc->sp.ta.area[MM_TA_SHM];
	uc_hook h;
	uc_err r = uc_hook_add(uc->e, &h, UC_HOOK_MEM_INVALID,
			       (void *)on_invalid, uc, 1, 0);
	if (r == UC_ERR_OK && shm->size)
		r = uc_hook_add(uc->e, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE,
				(void *)on_shm, uc, shm->va,
				shm->va + shm->size - 1);
	if (r != UC_ERR_OK) {
		snprintf(err, err_len, "Unicorn: %s", uc_strerror(r));
		return -1;
	}
	return 0;
}
