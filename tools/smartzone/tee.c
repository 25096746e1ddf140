/* The simulated TEE (tee.h). */
#include <stdio.h>
#include <string.h>

#include "sim.h"
#include "smartzone_ta.h"
#include "tee.h"

int sz_tee_start(const struct sz_tee *t, char *err, size_t err_len)
{
	/* the TA as if rebuilt with the plan's user_ta_header_defines.h */
	struct sim_ta_sizes sizes = {
		.uuid = SZ_TA_UUID,
		.data_size = (uint32_t)t->plan->ta_data_size,
		.stack_size = (uint32_t)t->plan->ta_stack_size,
		.code_size = t->plan->ta_code_size,
	};
	struct sim_config cfg = {
		.platform = t->platform_path,
		.plan = t->plan,
		.taint_off = t->taint_off,
		.ta_sizes = &sizes,
		.n_ta_sizes = 1,
	};
	char why[256];
	if (sim_configure(&cfg, why, sizeof why)) {
		snprintf(err, err_len, "the simulated TEE: %s", why);
		return -1;
	}
	if (t->double_fetch &&
	    sim_hostile_set(SIM_HOSTILE_DOUBLE_FETCH, why, sizeof why)) {
		snprintf(err, err_len, "the double-fetch trap: %s", why);
		sim_shutdown();
		return -1;
	}
	return 0;
}

void sz_tee_stop(void)
{
	sim_shutdown();
}

_Static_assert(sizeof(struct sim_counters) % sizeof(uint64_t) == 0,
	       "struct sim_counters holds uint64_t fields only");

void sz_counters_sub(const struct sim_counters *a,
		     const struct sim_counters *b, struct sim_counters *out)
{
	uint64_t x[sizeof *a / sizeof(uint64_t)], y[sizeof x / sizeof *x];
	memcpy(x, a, sizeof x);
	memcpy(y, b, sizeof y);
	for (size_t i = 0; i < sizeof x / sizeof *x; i++)
		x[i] -= y[i];
	memcpy(out, x, sizeof x);
}
