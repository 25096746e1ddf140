/*
 * smartzone verify's run: a model through the TA under the Unicorn
 * runner (sim_uc.h), as the
 * normal world drives it: OPEN_MODEL, the file in window-sized
 * LOAD_CHUNKs, one RUN, REPORT; then the output held against the host's
 * S-Tinylib on the same model and input. In strict mode the two must be
 * bit-identical; when they are not, each layer's output under Unicorn is
 * held against the host's (the model cut after that layer, run on the
 * host) and the first layer that differs is named.
 */
#ifndef SZ_VERIFY_RUN_H
#define SZ_VERIFY_RUN_H

#include "sim_uc.h"
#include "tl_engine.h"
#include "tl_model.h"

struct sz_verify_job {
	const char *guest_elf;
	const struct mm_plan *plan;	/* the model's plan (mm_plan) */
	uint64_t shm_pa;		/* the window: static shm start */
	uint64_t window;		/* bytes a LOAD_CHUNK carries */
	const uint8_t *tlm;		/* 16-byte aligned */
	size_t tlm_size;
	const float *input;		/* the model's input elements */
	enum tl_mode mode;
	bool figures;
};

struct sz_verify_outcome {
	TEE_Result result;		/* the first command that failed, or
					 * TEE_SUCCESS */
	uint32_t failed_command;
	struct sim_uc_violation violation;	/* stop == SIM_UC_RAN: none */
	uint32_t n_outputs;
	float *output;			/* Unicorn's, n_outputs (malloc) */
	float *host_output;		/* the host's */
	bool identical;			/* bit for bit */
	double max_rel_err;		/* largest difference / largest host
					 * output */
	int first_layer_differs;	/* -1: none (or not looked for) */
	uint32_t n_layers;
	struct sim_insn_mix *layers;	/* the RUN's figures (malloc) */
	struct sim_insn_mix load, outside;	/* the load's, the RUN's TA part */
	uint64_t chunks;
	uint64_t window_va;		/* where a command's first memref lies */
};

/* Runs the job; -1 with err for what keeps it from starting (a model the
 * host refuses, no guest, no host memory). A violation, a failed command
 * or a mismatch is an outcome, not an error. */
int sz_verify_model(const struct sz_verify_job *job,
		     struct sz_verify_outcome *out, char *err,
		     size_t err_len);
void sz_verify_outcome_free(struct sz_verify_outcome *out);

/* The first layer whose output (hashes of the n layers' outputs under
 * Unicorn) differs from the host's, or -1 (verify_cut.c). */
int sz_verify_first_difference(const struct sz_verify_job *j,
			       const uint64_t *hashes, uint32_t n);

#endif
