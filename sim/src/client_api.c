/*
 * The GlobalPlatform TEE Client API (tee_client_api.h): contexts,
 * sessions, commands. Shared memory is in shm.c, parameters in
 * client_params.c; what happens inside the TEE in tee_core.c.
 *
 * Return origins follow the specification and libteec: API for what the
 * client library refuses itself, COMMS for a call cancelled before it
 * left, TEE for what the TEE refuses (unknown TA, no memory, dead TA),
 * TRUSTED_APP for what the TA's entry point returns.
 *
 * normal_ns counts host time in the client library outside the TA and
 * outside the simulator's checks (taint scan, double-fetch trap).
 */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

TEEC_Result TEEC_InitializeContext(const char *name, TEEC_Context *context)
{
	(void)name;	/* one TEE: any name reaches it */
	if (context == NULL)
		return TEEC_ERROR_BAD_PARAMETERS;
	if (sim_machine_ensure())
		return TEEC_ERROR_ITEM_NOT_FOUND;	/* no TEE to talk to */
	struct sim_ctx *ctx = calloc(1, sizeof *ctx);
	if (ctx == NULL)
		return TEEC_ERROR_OUT_OF_MEMORY;
	ctx->id = sim_next_id();
	sim_m.contexts++;
	context->imp.ctx = ctx;
	return TEEC_SUCCESS;
}

void TEEC_FinalizeContext(TEEC_Context *context)
{
	if (context == NULL || context->imp.ctx == NULL)
		return;
	struct sim_ctx *ctx = context->imp.ctx;
	/* What the client left open goes with the context, as the driver
	 * cleans up when libteec closes its file. */
	for (struct sim_session *s = sim_m.sessions, *n; s; s = n) {
		n = s->next;
		if (s->ctx == ctx)
			sim_core_close(s);
	}
	for (struct sim_shm *s = sim_m.shms, *n; s; s = n) {
		n = s->next;
		if (s->ctx == ctx)
			sim_shm_free(s);
	}
	free(ctx);
	context->imp.ctx = NULL;
	sim_m.contexts--;
}

static bool login_ok(uint32_t method, const void *data)
{
	switch (method) {
	case TEEC_LOGIN_PUBLIC:
	case TEEC_LOGIN_USER:
	case TEEC_LOGIN_APPLICATION:
	case TEEC_LOGIN_USER_APPLICATION:
		return true;
	case TEEC_LOGIN_GROUP:
	case TEEC_LOGIN_GROUP_APPLICATION:
		return data != NULL;	/* the group id */
	default:
		return false;
	}
}

/* One call with an operation: cancellation, parameters in, the TEE,
 * parameters out, accounting. opened is NULL for an invoke. */
static TEEC_Result call(struct sim_ctx *ctx, TEEC_Operation *op,
			struct sim_session *s, uint32_t cmd,
			const TEEC_UUID *uuid, struct sim_session **opened,
			uint32_t *origin)
{
	uint64_t t0 = sim_now_ns();
	uint64_t secure0 = sim_m.counters.secure_ns, check0 = sim_m.check_ns;
	*origin = TEEC_ORIGIN_API;
	if (op != NULL) {
		op->started = 1;
		if (op->imp.cancelled) {
			op->imp.cancelled = 0;
			*origin = TEEC_ORIGIN_COMMS;
			return TEEC_ERROR_CANCEL;
		}
	}
	struct sim_msg_param p[4];
	struct sim_op_state st;
	TEEC_Result res = sim_params_in(ctx, op, p, &st);
	if (res != TEEC_SUCCESS)
		return res;
	if (opened != NULL) {
		res = sim_core_open(ctx, uuid, p, opened, origin);
		s = *opened;
	} else {
		res = sim_core_invoke(s, cmd, p, origin);
	}
	sim_params_out(op, p, res, &st);
	sim_params_release(&st);
	uint64_t spent = sim_now_ns() - t0;
	uint64_t other = (sim_m.counters.secure_ns - secure0) +
			 (sim_m.check_ns - check0);
	struct sim_counters d = { .smc = st.bounce_smc,
				  .bounce_copy_bytes = st.bounce_bytes,
				  .normal_ns = spent > other ? spent - other
							     : 0 };
	sim_count(s, &d);
	return res;
}

TEEC_Result TEEC_OpenSession(TEEC_Context *context, TEEC_Session *session,
			     const TEEC_UUID *destination,
			     uint32_t connectionMethod,
			     const void *connectionData,
			     TEEC_Operation *operation,
			     uint32_t *returnOrigin)
{
	uint32_t origin = TEEC_ORIGIN_API;
	TEEC_Result res = TEEC_ERROR_BAD_PARAMETERS;
	if (context != NULL && context->imp.ctx != NULL && session != NULL &&
	    destination != NULL &&
	    login_ok(connectionMethod, connectionData)) {
		struct sim_session *s = NULL;
		res = call(context->imp.ctx, operation, NULL, 0, destination,
			   &s, &origin);
		session->imp.session = s;
	}
	if (returnOrigin != NULL)
		*returnOrigin = origin;
	return res;
}

TEEC_Result TEEC_InvokeCommand(TEEC_Session *session, uint32_t commandID,
			       TEEC_Operation *operation,
			       uint32_t *returnOrigin)
{
	uint32_t origin = TEEC_ORIGIN_API;
	TEEC_Result res = TEEC_ERROR_BAD_PARAMETERS;
	if (session != NULL && sim_session_valid(session->imp.session)) {
		struct sim_session *s = session->imp.session;
		res = call(s->ctx, operation, s, commandID, NULL, NULL,
			   &origin);
	}
	if (returnOrigin != NULL)
		*returnOrigin = origin;
	return res;
}

void TEEC_CloseSession(TEEC_Session *session)
{
	if (session == NULL || !sim_session_valid(session->imp.session))
		return;
	sim_core_close(session->imp.session);
	session->imp.session = NULL;
}

/*
 * Spec 4.5.11: a request, which the implementation may ignore. The
 * simulator runs each operation to its end on the caller's thread, so
 * what it can honour is a request made before the operation started
 * (started still 0): that operation then returns TEEC_ERROR_CANCEL,
 * origin COMMS, without entering the TEE.
 */
void TEEC_RequestCancellation(TEEC_Operation *operation)
{
	if (operation != NULL && operation->started == 0)
		operation->imp.cancelled = 1;
}
