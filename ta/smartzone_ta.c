/*
 * The Smart-Zone TA's entry points (GlobalPlatform TEE Internal Core
 * API). Every session is its own instance (TA_FLAGS 0) and keeps all its
 * state in its session context; the command switch hands each command of
 * smartzone_ta.h to the function named for it, which checks the
 * parameter types before it touches a parameter.
 */
#include "sz_ta.h"

#define NO_PARAMS SZ_ONE_PARAM(TEE_PARAM_TYPE_NONE)

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[4],
				    void **session_context)
{
	(void)params;
	if (types != NO_PARAMS)
		return TEE_ERROR_BAD_PARAMETERS;
	struct sz_session *s = NULL;
	TEE_Result res = sz_session_new(&s);
	if (res == TEE_SUCCESS)
		*session_context = s;
	return res;
}

/* Everything the session holds is zeroed before it is freed. */
void TA_CloseSessionEntryPoint(void *session_context)
{
	struct sz_session *s = session_context;
	sz_model_close(s);
	sz_buf_free(s, &s->held);
	sz_session_free(s);
}

static TEE_Result close_model(struct sz_session *s, uint32_t types)
{
	if (types != NO_PARAMS)
		return TEE_ERROR_BAD_PARAMETERS;
	sz_model_close(s);
	sz_held_settle(s);
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *session_context, uint32_t cmd,
				      uint32_t types, TEE_Param params[4])
{
	struct sz_session *s = session_context;
	switch (cmd) {
	case SZ_CMD_OPEN_MODEL:
		return sz_cmd_open_model(s, types, params);
	case SZ_CMD_LOAD_CHUNK:
		return sz_cmd_load_chunk(s, types, params);
	case SZ_CMD_RUN:
		return sz_cmd_run(s, types, params);
	case SZ_CMD_REPORT:
		return sz_cmd_report(s, types, params);
	case SZ_CMD_CLOSE_MODEL:
		return close_model(s, types);
	case SZ_CMD_PROVISION_KEY:
		return sz_cmd_provision_key(types, params);
	case SZ_CMD_HOLD_INPUT:
		return sz_cmd_hold_input(s, types, params);
	case SZ_CMD_RUN_HELD:
		return sz_cmd_run_held(s, types, params);
	case SZ_CMD_TAKE_OUTPUT:
		return sz_cmd_take_output(s, types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
