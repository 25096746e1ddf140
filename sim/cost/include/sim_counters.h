/*
 * What crossed the world boundary in the simulated TEE: the simulator's
 * Client API counts every SMC and what it carried; the cost model
 * (sim_cost.h) turns the counts into modelled board latency and energy.
 * Host times here are measured on this host, never board figures.
 */
#ifndef SIM_COUNTERS_H
#define SIM_COUNTERS_H

#include <stdint.h>

struct sim_counters {
	uint64_t smc;			/* world-switch round trips, all kinds */
	uint64_t open_sessions;		/* TEEC_OpenSession calls that reached the TEE */
	uint64_t invokes;		/* TEEC_InvokeCommand calls that reached the TEE */
	uint64_t close_sessions;
	uint64_t shm_registrations;	/* register/allocate/release of shared memory */
	uint64_t params;		/* non-NONE parameters carried */
	uint64_t bytes_to_secure;	/* memref bytes offered to the TA (input, inout) */
	uint64_t bytes_to_normal;	/* memref bytes handed back (output, inout) */
	uint64_t pages_mapped;		/* 4 KiB shared pages mapped into the TA, per call */
	uint64_t bounce_copy_bytes;	/* bytes the client library copied for temp memrefs */
	uint64_t secure_ns;		/* measured host time inside TA entry points */
	uint64_t normal_ns;		/* measured host time in the client library outside the TA */
};

#endif
