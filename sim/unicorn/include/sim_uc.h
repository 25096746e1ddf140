/*
 * The Unicorn runner: the aarch64 build of the secure code (Tinylibm,
 * S-Tinylib and the TA's entry points, linked freestanding into one ELF
 * by sim/unicorn/module.mk) run under Unicorn inside the address space
 * the plan gives the TA. The TA's translation tables are built as bytes
 * in modelled physical memory (mm_xlat.h) and walked page by page; every
 * page they map is mapped into Unicorn with the descriptor's permissions
 * and nothing else is, so the code touches only what its tables map.
 * (Unicorn's own MMU is left off: a walk done here names the area, the
 * physical address and the descriptor of every page, where a fault of
 * the emulated MMU would arrive as an exception vector to decode.)
 *
 * Every run is held to these rules, each a stop with the address, the
 * area, the layer and the instruction named (struct sim_uc_violation):
 * - nothing unmapped is touched, nothing read-only written, nothing but
 *   the code executed;
 * - within a command, shared memory is read only inside the declared
 *   input memrefs and each of those bytes once (a second read is a double
 *   fetch), and written only inside the declared outputs, each byte once
 *   (a second store means an intermediate reached normal-world-readable
 *   memory before the output).
 *
 * Figures: per layer, instructions by class and bytes loaded and stored
 * (sim_insn.h), deterministic for a model, input and mode.
 *
 *   struct sim_uc *uc;
 *   sim_uc_open(&opt, &uc, err, sizeof err);
 *   sim_uc_open_session(uc);
 *   sim_uc_invoke(uc, SZ_CMD_OPEN_MODEL, types, params);
 *   ...
 *   sim_uc_close(uc);
 */
#ifndef SIM_UC_H
#define SIM_UC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_plan.h"
#include "sim_insn.h"
#include "tee_api_types.h"

enum sim_uc_stop {
	SIM_UC_RAN = 0,		/* the call returned */
	SIM_UC_UNMAPPED,	/* read, write or fetch of an unmapped address */
	SIM_UC_READ_ONLY,	/* a write to a page mapped read-only */
	SIM_UC_NOT_CODE,	/* execution of a page mapped never-execute */
	SIM_UC_SHM_WRITE,	/* a store to shared memory outside the outputs */
	SIM_UC_SHM_READ,	/* a load of shared memory outside the inputs */
	SIM_UC_DOUBLE_FETCH,	/* a second load of the same shared byte */
	SIM_UC_INTERMEDIATE,	/* a second store to the same output byte */
	SIM_UC_PANIC,		/* TEE_Panic */
	SIM_UC_NOT_SERVED,	/* a GP call the runner does not serve */
	SIM_UC_FAULT,		/* anything else Unicorn stopped on */
};

const char *sim_uc_stop_str(enum sim_uc_stop s);

#define SIM_UC_OUTSIDE_LAYERS (-1)	/* the TA's own code, loading */

struct sim_uc_violation {
	enum sim_uc_stop stop;
	uint64_t addr;		/* the address accessed */
	uint64_t pc;		/* the instruction's address */
	uint32_t insn;		/* its encoding */
	int layer;		/* SIM_UC_OUTSIDE_LAYERS or the layer index */
	uint32_t command;	/* the command being run */
	char entry[32];		/* the TA entry point being run */
	char area[16];		/* the TA area of addr, "unmapped" */
	char function[48];	/* the symbol around pc */
	char text[512];		/* all of it, one sentence */
};

/* What the caller knows of the guest's code, by symbol (the simulator
 * knows nothing of Tinylib): a call of run_fn starts the layers, a call
 * of layer_fn inside it starts the layer whose index is its argument
 * index_arg (x0..x3), and the watched regions (sim_uc_watch) lie from the
 * pointer in run_fn's argument base_arg. NULL names: no layers. */
struct sim_uc_layer_marks {
	const char *run_fn, *layer_fn;
	unsigned index_arg, base_arg;
};

struct sim_uc_options {
	const char *guest_elf;		/* build/aarch64/guest/smartzone_ta.elf */
	const struct mm_plan *plan;	/* TA_RAM, TA_DATA_SIZE, stack, tables */
	uint64_t shm_pa;		/* the client's window */
	uint64_t shm_size;
	bool figures;			/* count instructions per layer */
	struct sim_uc_layer_marks marks;
};

struct sim_uc;

int sim_uc_open(const struct sim_uc_options *opt, struct sim_uc **out,
		char *err, size_t err_len);
void sim_uc_close(struct sim_uc *uc);

/* One parameter as the normal world passes it: a value, or a memref of
 * size bytes that the runner places in the window (in: copied there
 * before the call; out: copied back after it, size updated). */
struct sim_uc_param {
	uint32_t a, b;
	const void *in;
	void *out;
	uint32_t size;
};

/* The TA's entry points. A violation or a panic ends the call with
 * TEE_ERROR_TARGET_DEAD and the instance is dead from then on. */
TEE_Result sim_uc_open_session(struct sim_uc *uc);
TEE_Result sim_uc_invoke(struct sim_uc *uc, uint32_t command, uint32_t types,
			 struct sim_uc_param params[4]);
void sim_uc_close_session(struct sim_uc *uc);

/* Where each command's first memref lies in the TA's address space;
 * the next ones follow, each from a multiple of SIM_UC_REF_ALIGN. */
#define SIM_UC_REF_ALIGN 64u
uint64_t sim_uc_window_va(const struct sim_uc *uc);

/* The rule the instance broke, or NULL. */
const struct sim_uc_violation *sim_uc_violation(const struct sim_uc *uc);

/* The figures: layers[i] for layer i (up to n_layers), outside for the
 * TA's own code and everything outside inference. */
struct sim_uc_figures {
	struct sim_insn_mix *layers;
	uint32_t n_layers;
	struct sim_insn_mix outside;
	uint64_t svc_calls;
};
const struct sim_uc_figures *sim_uc_figures(const struct sim_uc *uc);
/* Zeroes the figures (between loading and running, say). */
void sim_uc_figures_reset(struct sim_uc *uc);

/* Region i (bytes from the base, see struct sim_uc_layer_marks) is
 * hashed as layer i ends: a layer's output, before later layers reuse
 * its memory. n layers; the figures are kept for as many. */
struct sim_uc_region {
	uint64_t offset, bytes;
};
int sim_uc_watch(struct sim_uc *uc, const struct sim_uc_region *per_layer,
		 uint32_t n);

/* The hashes (sim_uc_hash) of the watched regions as the run left them. */
const uint64_t *sim_uc_layer_hashes(const struct sim_uc *uc, uint32_t *n);

/* FNV-1a 64 of n bytes: the fingerprint of a watched region. */
uint64_t sim_uc_hash(const void *p, uint64_t n);

#endif
