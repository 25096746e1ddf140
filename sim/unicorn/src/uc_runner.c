/*
 * The runner's instance and the TA's entry points (sim_uc.h). A
 * command's memrefs are laid out one after the other in the client's
 * window, as the client library lays temporary memrefs out in shared
 * memory; the TEE_Param array and the session pointer sit in a frame at
 * the top of the TA's stack, where OP-TEE's core puts them for a user TA.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tee_api_defines.h"
#include "uc_internal.h"

#define FRAME_BYTES	UC_FRAME_BYTES
#define PARAM_BYTES	16u	/* a TEE_Param on AArch64 */

/* The symbols the runner needs and the caller's layer marks. */
static int find_symbols(struct sim_uc *uc, char *err, size_t err_len)
{
	const struct sim_uc_layer_marks *m = &uc->opt.marks;
	const char *names[] = { "sim_uc_guest_return", "TA_CreateEntryPoint",
				"TA_OpenSessionEntryPoint",
				"TA_InvokeCommandEntryPoint",
				"TA_CloseSessionEntryPoint", m->run_fn,
				m->layer_fn };
	uint64_t *to[] = { &uc->fn_return, NULL, NULL, NULL, NULL,
			   &uc->fn_run, &uc->fn_layer };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		if (names[i] == NULL)
			continue;
		uint64_t a = uc_image_symbol(&uc->img, names[i]);
		if (a == 0) {
			snprintf(err, err_len, "%s: no symbol %s",
				 uc->opt.guest_elf, names[i]);
			return -1;
		}
		if (to[i])
			*to[i] = a;
	}
	return 0;
}

static int open_engine(struct sim_uc *uc, char *err, size_t err_len)
{
	uc_err r = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc->e);
	if (r != UC_ERR_OK) {
		snprintf(err, err_len, "Unicorn: %s", uc_strerror(r));
		return -1;
	}
	return 0;
}

int sim_uc_open(const struct sim_uc_options *opt, struct sim_uc **out,
		char *err, size_t err_len)
{
	*out = NULL;
	struct sim_uc *uc = calloc(1, sizeof *uc);
	if (uc == NULL) {
		snprintf(err, err_len, "out of host memory");
		return -1;
	}
	uc->opt = *opt;
	if (uc_image_load(opt->guest_elf, &uc->img, err, err_len) ||
	    find_symbols(uc, err, err_len) || open_engine(uc, err, err_len) ||
	    uc_space_build(uc->e, opt, &uc->img, &uc->sp, err, err_len) ||
	    uc_calls_hook(uc, err, err_len) || uc_rules_hook(uc, err, err_len) ||
	    uc_layers_hook(uc, err, err_len)) {
		sim_uc_close(uc);
		return -1;
	}
	uc->shm_read = calloc(1, uc->sp.ta.area[MM_TA_SHM].size + 1);
	uc->shm_written = calloc(1, uc->sp.ta.area[MM_TA_SHM].size + 1);
	uint8_t *heap = uc_space_host(&uc->sp, uc->sp.heap_va, uc->sp.heap_size);
	if (uc->shm_read == NULL || uc->shm_written == NULL || heap == NULL) {
		snprintf(err, err_len, "out of host memory");
		sim_uc_close(uc);
		return -1;
	}
	sim_heap_init(&uc->heap, heap, uc->sp.heap_size);
	*out = uc;
	return 0;
}

void sim_uc_close(struct sim_uc *uc)
{
	if (uc == NULL)
		return;
	if (uc->e)
		uc_close(uc->e);
	uc_space_free(&uc->sp);
	uc_image_free(&uc->img);
	uc_layers_free(uc);
	free(uc->shm_read);
	free(uc->shm_written);
	free(uc);
}

const struct sim_uc_violation *sim_uc_violation(const struct sim_uc *uc)
{
	return uc->v.stop == SIM_UC_RAN ? NULL : &uc->v;
}

static uint64_t frame_va(const struct sim_uc *uc)
{
	return uc->sp.stack_top;
}

/* A call of an entry point; a stop kills the instance. */
static uint64_t enter(struct sim_uc *uc, const char *entry,
		      const uint64_t args[4])
{
	uc->entry = entry;
	uint64_t ret = uc_call(uc, uc_image_symbol(&uc->img, entry), args);
	if (uc->v.stop != SIM_UC_RAN)
		uc->dead = true;
	return ret;
}

TEE_Result sim_uc_open_session(struct sim_uc *uc)
{
	const uint64_t none[4] = { 0, 0, 0, 0 };
	if (uc->dead)
		return TEE_ERROR_TARGET_DEAD;
	uc->command = 0;
	TEE_Result res = (TEE_Result)enter(uc, "TA_CreateEntryPoint", none);
	if (uc->dead)
		return TEE_ERROR_TARGET_DEAD;
	if (res != TEE_SUCCESS)
		return res;
	uint64_t slot = frame_va(uc) + 4 * PARAM_BYTES;
	const uint64_t args[4] = { 0, frame_va(uc), slot, 0 };
	memset(uc_space_host(&uc->sp, frame_va(uc), FRAME_BYTES), 0,
	       FRAME_BYTES);
	res = (TEE_Result)enter(uc, "TA_OpenSessionEntryPoint", args);
	if (uc->dead)
		return TEE_ERROR_TARGET_DEAD;
	memcpy(&uc->session, uc_space_host(&uc->sp, slot, 8), 8);
	return res;
}

void sim_uc_close_session(struct sim_uc *uc)
{
	if (uc->dead || uc->session == 0)
		return;
	const uint64_t args[4] = { uc->session, 0, 0, 0 };
	enter(uc, "TA_CloseSessionEntryPoint", args);
	uc->session = 0;
}

static bool is_memref(uint32_t t)
{
	return t >= TEE_PARAM_TYPE_MEMREF_INPUT &&
	       t <= TEE_PARAM_TYPE_MEMREF_INOUT;
}

uint64_t sim_uc_window_va(const struct sim_uc *uc)
{
	uint64_t at = uc->sp.ta.shm_va;
	return (at + SIM_UC_REF_ALIGN - 1) / SIM_UC_REF_ALIGN * SIM_UC_REF_ALIGN;
}

/* Lays the memrefs out in the window and writes the TEE_Param array;
 * -1 when they do not fit the window. */
static int put_params(struct sim_uc *uc, uint32_t types,
		      const struct sim_uc_param p[4])
{
	const struct mm_xlat_area *w = &uc->sp.ta.area[MM_TA_SHM];
	uint64_t at = sim_uc_window_va(uc);
	uint8_t *frame = uc_space_host(&uc->sp, frame_va(uc), 4 * PARAM_BYTES);
	memset(frame, 0, 4 * PARAM_BYTES);
	memset(uc->refs, 0, sizeof uc->refs);
	for (int i = 0; i < 4; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		uint8_t *slot = frame + i * PARAM_BYTES;
		if (!is_memref(t)) {
			memcpy(slot, &p[i].a, 4);
			memcpy(slot + 4, &p[i].b, 4);
			continue;
		}
		at = (at + SIM_UC_REF_ALIGN - 1) / SIM_UC_REF_ALIGN * SIM_UC_REF_ALIGN;
		if (p[i].size > w->va + w->size - at)
			return -1;
		uint8_t *host = uc_space_host(&uc->sp, at, p[i].size);
		if (p[i].in && p[i].size)
			memcpy(host, p[i].in, p[i].size);
		uc->refs[i] = (struct uc_window_ref){
			at, p[i].size, t != TEE_PARAM_TYPE_MEMREF_OUTPUT,
			t != TEE_PARAM_TYPE_MEMREF_INPUT };
		memcpy(slot, &at, 8);
		memcpy(slot + 8, &p[i].size, 4);
		at += p[i].size;
	}
	return 0;
}

/* Outputs back to the caller: values, and memrefs with their new size. */
static void take_params(struct sim_uc *uc, uint32_t types,
			struct sim_uc_param p[4])
{
	const uint8_t *frame =
		uc_space_host(&uc->sp, frame_va(uc), 4 * PARAM_BYTES);
	for (int i = 0; i < 4; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(types, i);
		const uint8_t *slot = frame + i * PARAM_BYTES;
		if (t == TEE_PARAM_TYPE_VALUE_OUTPUT ||
		    t == TEE_PARAM_TYPE_VALUE_INOUT) {
			memcpy(&p[i].a, slot, 4);
			memcpy(&p[i].b, slot + 4, 4);
		}
		if (t != TEE_PARAM_TYPE_MEMREF_OUTPUT &&
		    t != TEE_PARAM_TYPE_MEMREF_INOUT)
			continue;
		uint32_t size;
		memcpy(&size, slot + 8, 4);
		uint32_t n = size < p[i].size ? size : p[i].size;
		if (p[i].out && n)
			memcpy(p[i].out,
			       uc_space_host(&uc->sp, uc->refs[i].va, n), n);
		p[i].size = size;
	}
}

static void clear_window_marks(struct sim_uc *uc)
{
	uint64_t base = uc->sp.ta.area[MM_TA_SHM].va;
	for (int i = 0; i < 4; i++) {
		const struct uc_window_ref *r = &uc->refs[i];
		if (r->size == 0)
			continue;
		memset(uc->shm_read + (r->va - base), 0, r->size);
		memset(uc->shm_written + (r->va - base), 0, r->size);
	}
}

TEE_Result sim_uc_invoke(struct sim_uc *uc, uint32_t command, uint32_t types,
			 struct sim_uc_param params[4])
{
	if (uc->dead)
		return TEE_ERROR_TARGET_DEAD;
	clear_window_marks(uc);
	if (put_params(uc, types, params) != 0)
		return TEE_ERROR_OUT_OF_MEMORY;	/* as the client's pool */
	uc->command = command;
	const uint64_t args[4] = { uc->session, command, types, frame_va(uc) };
	TEE_Result res = (TEE_Result)enter(uc, "TA_InvokeCommandEntryPoint",
					   args);
	if (uc->dead)
		return TEE_ERROR_TARGET_DEAD;
	take_params(uc, types, params);
	return res;
}
