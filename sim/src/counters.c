/*
 * SMC accounting: every Client API call that enters the TEE adds what it
 * carried to the machine's counters and, when a session is concerned, to
 * the session's. The cost model (sim_cost.h) reads them.
 */
#include <string.h>
#include <time.h>

#include "sim_internal.h"

uint64_t sim_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void add(struct sim_counters *c, const struct sim_counters *d)
{
	c->smc += d->smc;
	c->open_sessions += d->open_sessions;
	c->invokes += d->invokes;
	c->close_sessions += d->close_sessions;
	c->shm_registrations += d->shm_registrations;
	c->params += d->params;
	c->bytes_to_secure += d->bytes_to_secure;
	c->bytes_to_normal += d->bytes_to_normal;
	c->pages_mapped += d->pages_mapped;
	c->bounce_copy_bytes += d->bounce_copy_bytes;
	c->secure_ns += d->secure_ns;
	c->normal_ns += d->normal_ns;
}

void sim_count(struct sim_session *s, const struct sim_counters *delta)
{
	add(&sim_m.counters, delta);
	if (s != NULL)
		add(&s->counters, delta);
}

void sim_counters_global(struct sim_counters *out)
{
	*out = sim_m.counters;
}

int sim_counters_session(const TEEC_Session *s, struct sim_counters *out)
{
	memset(out, 0, sizeof *out);
	if (s == NULL || !sim_session_valid(s->imp.session))
		return SIM_E_STATE;
	*out = ((const struct sim_session *)s->imp.session)->counters;
	return SIM_OK;
}

void sim_counters_reset(void)
{
	memset(&sim_m.counters, 0, sizeof sim_m.counters);
	for (struct sim_session *s = sim_m.sessions; s; s = s->next)
		memset(&s->counters, 0, sizeof s->counters);
}
