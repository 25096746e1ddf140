/*
 * The good test TA: the five entry points and the command switch, as
 * optee_examples' TAs are written. Every command checks its parameter
 * types before it touches a parameter.
 */
#include "sztest_good.h"

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
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	struct session *s = TEE_Malloc(sizeof *s, TEE_MALLOC_FILL_ZERO);
	if (s == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	sztest_weights(s->weights);
	TEE_Result res = load_key(s);
	if (res != TEE_SUCCESS) {
		TEE_Free(s);
		return res;
	}
	*session_context = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session_context)
{
	TEE_Free(session_context);
}

static TEE_Result inc_value(uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	p[0].value.a++;
	return TEE_SUCCESS;
}

static TEE_Result value_cmd(struct session *s, uint32_t cmd, uint32_t types,
			    TEE_Param p[4])
{
	uint32_t want = cmd == SZTEST_CMD_LOAD ? TEE_PARAM_TYPE_VALUE_OUTPUT
					       : TEE_PARAM_TYPE_VALUE_INPUT;
	if (types != TEE_PARAM_TYPES(want, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (cmd == SZTEST_CMD_LOAD)
		p[0].value.a = s->stored;
	else
		s->stored = p[0].value.a;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *session_context, uint32_t cmd,
				      uint32_t types, TEE_Param params[4])
{
	struct session *s = session_context;
	switch (cmd) {
	case SZTEST_CMD_INC_VALUE:
		return inc_value(types, params);
	case SZTEST_CMD_PROCESS:
		return cmd_process(s, types, params);
	case SZTEST_CMD_SEAL:
		return cmd_seal(s, types, params);
	case SZTEST_CMD_UNSEAL:
		return cmd_unseal(s, types, params);
	case SZTEST_CMD_GCM:
		return cmd_gcm(types, params);
	case SZTEST_CMD_HEAP_PROBE:
		return cmd_heap_probe(types, params);
	case SZTEST_CMD_PANIC:
		TEE_Panic(0x0BADC0DE);
	case SZTEST_CMD_STORE:
	case SZTEST_CMD_LOAD:
		return value_cmd(s, cmd, types, params);
	case SZTEST_CMD_RECURSE:
		return cmd_recurse(types, params);
	case SZTEST_CMD_ACCESS:
		return cmd_access(types, params);
	case SZTEST_CMD_STORAGE_RULES:
		return cmd_storage_rules(types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
