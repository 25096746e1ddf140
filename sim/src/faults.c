/*
 * Fault injection (sim.h, sim_fault_set): the n-th fallible call of the
 * Internal Core API that TA code makes fails, the way the specification
 * lets that call fail, so that a test can walk a command path failing
 * each call in turn. Counted over every instance, in the order the
 * calls are made; the simulator is single-threaded.
 *
 * Each fallible call asks sim_fault_now first, after the checks whose
 * failure the specification answers with a panic and after clearing
 * the handle it would hand out, so that a faulted call leaves what a
 * real failure leaves.
 */
#include "sim_internal.h"

void sim_fault_set(uint64_t n)
{
	sim_m.fault_at = n;
	sim_m.fault_calls = 0;
	sim_m.fault_fired = NULL;
}

uint64_t sim_fault_calls(void)
{
	return sim_m.fault_calls;
}

const char *sim_fault_fired(void)
{
	return sim_m.fault_fired;
}

bool sim_fault_now(const char *call)
{
	if (++sim_m.fault_calls != sim_m.fault_at)
		return false;
	sim_m.fault_fired = call;
	return true;
}
