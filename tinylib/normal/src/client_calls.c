/*
 * The client's record of its TEEC calls (tl_client.h, struct
 * tl_client_calls): what it asked of the TEE and what came back, kept on
 * the normal side so that a board's run and the simulator's can be
 * compared call for call.
 */
#include <stdbool.h>

#include "client_internal.h"

const char *tl_client_call_name(uint32_t kind)
{
	static const char *const names[] = {
		[TL_CALL_INITIALIZE_CONTEXT] = "TEEC_InitializeContext",
		[TL_CALL_OPEN_SESSION] = "TEEC_OpenSession",
		[TL_CALL_INVOKE_COMMAND] = "TEEC_InvokeCommand",
		[TL_CALL_CLOSE_SESSION] = "TEEC_CloseSession",
		[TL_CALL_FINALIZE_CONTEXT] = "TEEC_FinalizeContext",
		[TL_CALL_ALLOCATE_SHARED_MEMORY] = "TEEC_AllocateSharedMemory",
		[TL_CALL_RELEASE_SHARED_MEMORY] = "TEEC_ReleaseSharedMemory",
	};
	return kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

const char *tl_client_command_name(uint32_t command)
{
	static const char *const names[] = {
		[SZ_CMD_OPEN_MODEL] = "OPEN_MODEL",
		[SZ_CMD_LOAD_CHUNK] = "LOAD_CHUNK",
		[SZ_CMD_RUN] = "RUN",
		[SZ_CMD_REPORT] = "REPORT",
		[SZ_CMD_CLOSE_MODEL] = "CLOSE_MODEL",
		[SZ_CMD_PROVISION_KEY] = "PROVISION_KEY",
		[SZ_CMD_HOLD_INPUT] = "HOLD_INPUT",
		[SZ_CMD_RUN_HELD] = "RUN_HELD",
		[SZ_CMD_TAKE_OUTPUT] = "TAKE_OUTPUT",
	};
	const char *name = command < sizeof names / sizeof names[0]
			   ? names[command] : NULL;
	return name ? name : "?";
}

void tl_client_record(struct tl_client *c, enum tl_client_call_kind kind,
		      uint32_t command, uint32_t result, uint32_t origin)
{
	struct tl_client_calls *k = &c->calls;
	k->total++;
	for (size_t i = 0; i < k->n; i++) {
		struct tl_client_call *e = &k->entry[i];
		if (e->kind == (uint32_t)kind && e->command == command &&
		    e->result == result && e->origin == origin) {
			e->count++;
			return;
		}
	}
	if (k->n == TL_CLIENT_CALLS_MAX) {
		k->unrecorded++;
		return;
	}
	k->entry[k->n++] = (struct tl_client_call){ .kind = kind,
		.command = command, .result = result, .origin = origin,
		.count = 1 };
}

static bool is_temp_memref(uint32_t type)
{
	return type == TEEC_MEMREF_TEMP_INPUT ||
	       type == TEEC_MEMREF_TEMP_OUTPUT ||
	       type == TEEC_MEMREF_TEMP_INOUT;
}

TEEC_Result tl_client_invoke_raw(struct tl_client *c, uint32_t cmd,
				 TEEC_Operation *op, uint32_t *origin)
{
	/* TEEC_PARAM_TYPES puts parameter i in bits 4i..4i+3 (Client API
	 * spec 4.5.12) */
	for (unsigned i = 0; op && i < 4; i++)
		c->calls.temp_memrefs +=
			is_temp_memref((op->paramTypes >> (4 * i)) & 0xFu);
	*origin = 0;
	TEEC_Result res = TEEC_InvokeCommand(&c->session, cmd, op, origin);
	tl_client_record(c, TL_CALL_INVOKE_COMMAND, cmd, res, *origin);
	return res;
}
