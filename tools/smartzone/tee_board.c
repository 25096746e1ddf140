/*
 * OP-TEE through libteec (tee.h): the board build's TEE. The firmware
 * fixed the layout when it was built (with the plan's settings, the
 * user's part), so there is nothing to start; the TEE's own counters and
 * the simulator's checks do not exist here.
 */
#include <string.h>

#include "tee.h"

int sz_tee_start(const struct sz_tee *t, char *err, size_t err_len)
{
	(void)t;
	(void)err;
	(void)err_len;
	return 0;
}

void sz_tee_stop(void)
{
}

const char *sz_tee_name(void)
{
	return "OP-TEE (libteec)";
}

bool sz_tee_simulated(void)
{
	return false;
}

bool sz_tee_session_counters(const TEEC_Session *s, struct sim_counters *out)
{
	(void)s;
	memset(out, 0, sizeof *out);
	return false;
}

bool sz_tee_total_counters(struct sim_counters *out)
{
	memset(out, 0, sizeof *out);
	return false;
}

void sz_tee_checks(struct sz_tee_checks *k)
{
	memset(k, 0, sizeof *k);
}
