/* The simulated TEE (tee.h): the host build's. */
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
		.plan = t->stock_layout ? NULL : t->plan,
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

const char *sz_tee_name(void)
{
	return "the simulated TEE";
}

bool sz_tee_simulated(void)
{
	return true;
}

bool sz_tee_session_counters(const TEEC_Session *s, struct sim_counters *out)
{
	return sim_counters_session(s, out) == SIM_OK;
}

bool sz_tee_total_counters(struct sim_counters *out)
{
	sim_counters_global(out);
	return true;
}

void sz_tee_checks(struct sz_tee_checks *k)
{
	memset(k, 0, sizeof *k);
	k->ran = true;
	k->total = sim_violation_count();
	k->leaks = sim_violation_count_kind(SIM_V_LEAK);
	k->nw_access = sim_violation_count_kind(SIM_V_NW_ACCESS);
	k->double_fetches = sim_violation_count_kind(SIM_V_DOUBLE_FETCH);
	for (size_t i = 0; i < k->total && i < SZ_TEE_MESSAGES; i++)
		snprintf(k->msg[i], sizeof k->msg[i], "%s",
			 sim_violation_at(i)->msg);
}
