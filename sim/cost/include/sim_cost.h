/*
 * The cost and energy model: what a run of the simulated TEE would cost
 * on the board a platform file describes. The simulator counts what
 * crossed the world boundary (sim_counters.h); this turns the counts,
 * and the secure-world work the caller declares, into modelled board
 * latency and energy. Host times stay what they are: measured on this
 * host, carried beside the model and never mixed into it. The formulas
 * and the source of every figure: docs/cost-model.md.
 *
 *   struct mm_platform p;          (mm_platform_load, with cost_* keys)
 *   struct sim_counters n;         (from a simulated run)
 *   struct sim_work w = { .macs = 740000000 };
 *   struct sim_cost_report r;
 *   if (sim_cost_run(&p, &n, &w, &r, err, sizeof err) ||
 *       sim_cost_print_text(stdout, &r))
 *           ... err says why ...
 *
 * The shared-memory window (mm_shm_fit.h) from the same model:
 *
 *   struct sim_cost_shm_window sw;
 *   sim_cost_shm_window(&p.cost, weight_bytes, 1, 0.05, 4096, 4 << 20,
 *                       &sw, err, sizeof err);
 *
 * Every function returning int returns SIM_COST_OK or an error code and,
 * on error, writes one sentence into err (when err is not NULL).
 */
#ifndef SIM_COST_H
#define SIM_COST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mm_platform.h"
#include "mm_shm_fit.h"
#include "sim_counters.h"

enum sim_cost_status {
	SIM_COST_OK = 0,
	SIM_COST_E_ARG,		/* a NULL pointer */
	SIM_COST_E_NO_COST,	/* the platform file has no cost_* keys */
	SIM_COST_E_PARAM,	/* a cost figure the model can not use */
	SIM_COST_E_WORK,	/* a period that is negative or not finite */
	SIM_COST_E_WINDOW,	/* unusable transfer size or window range */
	SIM_COST_E_FIT,		/* mm_shm_fit or mm_shm_window refused */
	SIM_COST_E_IO,		/* the report could not be written */
};

/* The status as a short phrase ("no cost figures", ...). */
const char *sim_cost_status_str(int status);

#define SIM_COST_PAGE 4096u	/* OP-TEE's shared page (LPAE 4 KiB) */

/* What the caller knows and the simulator does not (it knows nothing of
 * Tinylib): the work done in the secure world, and the wall time the
 * energy is to cover. */
struct sim_work {
	uint64_t macs;		/* fp32 multiply-adds the TA did */
	double period_s;	/* board wall time to account for; the idle
				 * board fills what the run leaves. 0: the
				 * run alone */
};

/* Modelled for the board, in seconds. */
struct sim_cost_time {
	double switches;	/* smc x round trip */
	double mapping;		/* pages_mapped x per-page mapping */
	double copy_secure;	/* (bytes_to_secure + bytes_to_normal) / copy
				 * bandwidth: the TA copies each input in once
				 * and writes each output once */
	double copy_normal;	/* bounce_copy_bytes / copy bandwidth: the
				 * client library's temp-memref copies */
	double compute;		/* macs / (MHz x MAC/cycle x share) */
	double secure;		/* switches + mapping + copy_secure
				 * + compute */
	double normal;		/* copy_normal */
	double busy;		/* secure + normal */
	double idle;		/* period - busy when positive, else 0 */
	double total;		/* busy + idle */
};

/* Modelled for the board, in joules: time in each state x its power. */
struct sim_cost_energy {
	double secure, normal, idle, total;
};

struct sim_cost_modelled {
	struct sim_cost_time t;
	struct sim_cost_energy e;
};

/* Measured on this host (sim_counters' secure_ns and normal_ns), in
 * seconds: how long the simulation took here, no board figure. */
struct sim_cost_measured {
	double secure_s, normal_s, total_s;
};

/* Everything a report shows, each part labelled by where it comes from. */
struct sim_cost_report {
	char board[MM_NAME_MAX];	/* the platform the model is for */
	struct mm_cost cost;		/* its cost_* figures */
	struct sim_counters counted;	/* counted in the simulator */
	struct sim_work work;		/* declared by the caller */
	struct sim_cost_measured host;	/* measured on this host */
	struct sim_cost_modelled model;	/* modelled for the board */
};

/*
 * The model: time and energy of a run with counters n and work w on a
 * board with figures c. Refuses figures that would divide by zero or
 * overflow the model (SIM_COST_E_PARAM) and a negative or non-finite
 * period (SIM_COST_E_WORK). w may be NULL (no work, no period). On error
 * *out is zeroed.
 */
int sim_cost_model(const struct mm_cost *c, const struct sim_counters *n,
		   const struct sim_work *w, struct sim_cost_modelled *out,
		   char *err, size_t err_len);

/* The whole report for platform p; SIM_COST_E_NO_COST when p's file has
 * no cost_* keys. */
int sim_cost_run(const struct mm_platform *p, const struct sim_counters *n,
		 const struct sim_work *w, struct sim_cost_report *out,
		 char *err, size_t err_len);

/* The report as text, host-measured and board-modelled figures side by
 * side, each column labelled. SIM_COST_E_IO when writing fails. */
int sim_cost_print_text(FILE *f, const struct sim_cost_report *r);

/* The same as one JSON object (for --json): "measured_on_this_host" and
 * "modelled_for_board" are separate members. */
int sim_cost_print_json(FILE *f, const struct sim_cost_report *r);

/* ---- The shared-memory window ---- */

/*
 * The counters of moving `total` bytes of weights into the TA through a
 * window of `window` bytes a call, as Smart-Zone's provisioning does:
 * ceil(total / window) invokes, each one SMC carrying 2 parameters (the
 * chunk, and its index, size and last flag as values), the chunk's bytes
 * to the secure world and its 4 KiB pages mapped (a page-aligned buffer);
 * with bounce (temporary memrefs, TEEC_MEMREF_TEMP_INPUT as in the public
 * code), the client library also copies each chunk. No host times.
 * The simulator's real provisioning runs produce the same counters by
 * counting; sim_cost_shm_point takes either.
 */
void sim_cost_shm_counters(uint64_t total, uint64_t window, int bounce,
			   struct sim_counters *out);

/* One point for mm_shm_fit: (window, modelled board time of the transfer
 * the counters n describe, in seconds; no compute). */
int sim_cost_shm_point(const struct mm_cost *c, uint64_t window,
		       const struct sim_counters *n, struct mm_shm_point *out,
		       char *err, size_t err_len);

/*
 * Points for the windows w_lo, 2 w_lo, 4 w_lo, ... up to w_hi (both
 * multiples of SIM_COST_PAGE, w_hi = w_lo x a power of two), for moving
 * total bytes with or without bounce copies. At most cap points; *n is set to
 * the count. SIM_COST_E_WINDOW for a total of 0, a bad range, or more
 * windows than cap.
 */
int sim_cost_shm_points(const struct mm_cost *c, uint64_t total,
			int bounce, uint64_t w_lo, uint64_t w_hi,
			struct mm_shm_point *pts, size_t cap, size_t *n,
			char *err, size_t err_len);

#define SIM_COST_SHM_MAX_POINTS 40	/* 4 KiB doubled 39 times */

struct sim_cost_shm_window {
	struct mm_shm_fit fit;	/* of the modelled points */
	uint64_t window;	/* bytes: mm_shm_window's answer */
	int capped;		/* 1 when w_hi is below what f needs */
	size_t n_points;
};

/*
 * The window for moving total bytes on a board with figures c: the
 * modelled points (sim_cost_shm_points), their exponential fit
 * (mm_shm_fit) and the smallest page multiple within a fraction f of the fit's
 * asymptote (mm_shm_window, page SIM_COST_PAGE, clamped to [w_lo, w_hi]).
 * SIM_COST_E_FIT, with mm_shm's sentence, when the fit refuses.
 */
int sim_cost_shm_window(const struct mm_cost *c, uint64_t total,
			int bounce, double f, uint64_t w_lo, uint64_t w_hi,
			struct sim_cost_shm_window *out, char *err,
			size_t err_len);

#endif
