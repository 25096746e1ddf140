/*
 * The simulated TEE the commands run the Smart-Zone TA in (sim/): the
 * platform file, the layout a plan gives, the checks. On a board the
 * same client code talks to libteec instead.
 */
#ifndef SZ_TEE_H
#define SZ_TEE_H

#include <stdbool.h>
#include <stddef.h>

#include "mm_plan.h"
#include "sim_counters.h"

struct sz_tee {
	const char *platform_path;	/* the platform file */
	const struct mm_plan *plan;	/* its layout, and the TA as if
					 * built with its TA_DATA_SIZE and
					 * TA_STACK_SIZE (sim_ta_sizes) */
	bool taint_off;			/* skip the leakage check */
	bool double_fetch;		/* arm the double-fetch trap */
};

/* Builds the machine. When the double-fetch trap can not be armed here
 * (qemu-user, valgrind), fails with the reason. 0, or -1 with a
 * sentence in err. */
int sz_tee_start(const struct sz_tee *t, char *err, size_t err_len);

/* Tears it down (its temporary store goes too). */
void sz_tee_stop(void);

/* out = a - b, field by field (counters only grow). */
void sz_counters_sub(const struct sim_counters *a,
		     const struct sim_counters *b, struct sim_counters *out);

#endif
