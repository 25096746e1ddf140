/*
 * The TEE the commands run the Smart-Zone TA in. Two builds give it:
 * tee_sim.c, the host simulator (sim/), with its layout from a plan,
 * its own counters and its checks; tee_board.c, OP-TEE on a board or
 * under QEMU through libteec, where the firmware fixes the layout and
 * only the client's side can be seen. Everything else in a command is
 * the same code in both.
 */
#ifndef SZ_TEE_H
#define SZ_TEE_H

#include <stdbool.h>
#include <stddef.h>

#include "mm_plan.h"
#include "sim_counters.h"
#include "tee_client_api.h"

struct sz_tee {
	const char *platform_path;	/* the platform file */
	const struct mm_plan *plan;	/* the TA as if built with its
					 * TA_DATA_SIZE and TA_STACK_SIZE
					 * (sim_ta_sizes), and, unless
					 * stock_layout, its TZDRAM */
	bool stock_layout;		/* the platform's TZDRAM as shipped */
	bool taint_off;			/* skip the leakage check */
	bool double_fetch;		/* arm the double-fetch trap */
};

/* What the simulator's checks found (none run on a board). */
#define SZ_TEE_MESSAGES 8
struct sz_tee_checks {
	bool ran;			/* false on a board */
	size_t total;			/* sim_violation_count */
	size_t leaks, nw_access, double_fetches;
	bool leak_armed, double_fetch_armed;	/* set by the caller */
	char msg[SZ_TEE_MESSAGES][320];	/* the first violations' sentences */
};

/* Makes the TEE ready: builds the simulated machine (the simulator), or
 * nothing (a board: libteec connects when the client opens). When the
 * double-fetch trap can not be armed here (qemu-user, valgrind), fails
 * with the reason. 0, or -1 with a sentence in err. */
int sz_tee_start(const struct sz_tee *t, char *err, size_t err_len);

/* Tears it down (the simulator's temporary store goes too). */
void sz_tee_stop(void);

/* "the simulated TEE", or "OP-TEE (libteec)". */
const char *sz_tee_name(void);
bool sz_tee_simulated(void);

/* The TEE's own count of what crossed for session s (the simulator's
 * counters). false on a board, where the client's record
 * (tl_client_calls) is all there is. */
bool sz_tee_session_counters(const TEEC_Session *s, struct sim_counters *out);

/* Everything the TEE counted since sz_tee_start, every session and
 * shared-memory call included (the simulator's global counters); false
 * on a board. */
bool sz_tee_total_counters(struct sim_counters *out);

/* The checks' findings since sz_tee_start (k->ran false on a board). */
void sz_tee_checks(struct sz_tee_checks *k);

/* out = a - b, field by field (counters only grow). */
void sz_counters_sub(const struct sim_counters *a,
		     const struct sim_counters *b, struct sim_counters *out);

#endif
