/*
 * What the fuzz targets that run the Smart-Zone TA in the simulator share:
 * the machine (stock RPi3 platform, a storage directory of the process's
 * own, the model key of fuzz_model.h provisioned) and the checks after every call: no violation of the simulator's
 * (leak, double fetch, normal-world access), no dead TA, no instance or
 * shared memory left once every session is closed.
 */
#ifndef FUZZ_SIM_H
#define FUZZ_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_model.h"
#include "sim.h"
#include "smartzone_ta.h"
#include "tee_client_api.h"

extern const TEEC_UUID fz_ta_uuid;
/* Builds the machine once per process (the leakage check on or off) and
 * provisions fz_key; later calls do nothing. */
void fz_sim_init(bool taint);

/* Aborts with every violation's sentence when there is one. */
void fz_sim_check(const char *after);

/* Aborts unless the TA's answer is one it gives by design: TEE_SUCCESS
 * or one of the refusals docs/ta.md lists (origin TRUSTED_APP), or a
 * refusal of the core for parameters outside shared memory (origin
 * TEE, BAD_PARAMETERS). A dead TA never is. */
void fz_sim_answer(const char *what, uint32_t res, uint32_t origin);

/* Once every session and context is closed: no instance, no TA_RAM, no
 * pool memory left. */
void fz_sim_idle(void);

/* A raw invocation straight to the TEE core, past the client library's
 * checks (a hostile normal world's message): the session must be open. */
struct sim_msg_param;
uint32_t fz_sim_invoke_raw(TEEC_Session *s, uint32_t cmd,
			   struct sim_msg_param *p, uint32_t *origin);

#endif
