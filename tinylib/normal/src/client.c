/*
 * The client's session and its commands other than loading (tl_client.h):
 * every command's parameters as smartzone_ta.h lays them out.
 */
#include <stdbool.h>
#include <string.h>

#include "client_internal.h"

int tl_client_open(struct tl_client *c, const TEEC_UUID *uuid, char *err,
		   size_t err_len)
{
	if (!c)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG,
				      "tl_client_open: no client");
	memset(c, 0, sizeof *c);
	static const TEEC_UUID sz_uuid = SZ_TA_UUID;
	TEEC_Result res = TEEC_InitializeContext(NULL, &c->ctx);
	tl_client_record(c, TL_CALL_INITIALIZE_CONTEXT, 0, res,
			 res == TEEC_SUCCESS ? 0 : TEEC_ORIGIN_API);
	if (res != TEEC_SUCCESS)
		return tl_client_tee_fail(c, err, err_len, "connecting to the "
					  "TEE (TEEC_InitializeContext)", res,
					  TEEC_ORIGIN_API);
	c->ctx_open = true;
	uint32_t origin = 0;
	res = TEEC_OpenSession(&c->ctx, &c->session, uuid ? uuid : &sz_uuid,
			       TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	tl_client_record(c, TL_CALL_OPEN_SESSION, 0, res, origin);
	if (res != TEEC_SUCCESS) {
		int s = tl_client_tee_fail(c, err, err_len, "opening a session "
					   "with the Smart-Zone TA", res,
					   origin);
		tl_client_close(c);
		return s;
	}
	c->session_open = true;
	return TL_CLIENT_OK;
}

void tl_client_close(struct tl_client *c)
{
	if (!c)
		return;
	if (c->session_open) {
		TEEC_CloseSession(&c->session);
		tl_client_record(c, TL_CALL_CLOSE_SESSION, 0, TEEC_SUCCESS, 0);
	}
	if (c->ctx_open) {
		TEEC_FinalizeContext(&c->ctx);
		tl_client_record(c, TL_CALL_FINALIZE_CONTEXT, 0, TEEC_SUCCESS,
				 0);
	}
	c->session_open = c->ctx_open = c->loaded = false;
}

int tl_client_invoke(struct tl_client *c, uint32_t cmd, TEEC_Operation *op,
		     const char *what, char *err, size_t err_len)
{
	if (!c || !c->session_open)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG,
				      "%s: the client has no session", what);
	uint32_t origin;
	TEEC_Result res = tl_client_invoke_raw(c, cmd, op, &origin);
	if (res != TEEC_SUCCESS)
		return tl_client_tee_fail(c, err, err_len, what, res, origin);
	return TL_CLIENT_OK;
}

int tl_client_provision_key(struct tl_client *c,
			    const uint8_t key[SZ_KEY_BYTES], char *err,
			    size_t err_len)
{
	if (!key)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG,
				      "provisioning the key: no key");
	TEEC_Operation op = { .paramTypes = TEEC_PARAM_TYPES(
		TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE) };
	op.params[0].tmpref.buffer = (void *)key;
	op.params[0].tmpref.size = SZ_KEY_BYTES;
	return tl_client_invoke(c, SZ_CMD_PROVISION_KEY, &op, "provisioning "
				"the model key (PROVISION_KEY)", err, err_len);
}

int tl_client_unload(struct tl_client *c, char *err, size_t err_len)
{
	TEEC_Operation op = { .paramTypes = TEEC_PARAM_TYPES(
		TEEC_NONE, TEEC_NONE, TEEC_NONE, TEEC_NONE) };
	int s = tl_client_invoke(c, SZ_CMD_CLOSE_MODEL, &op, "closing the "
				 "model (CLOSE_MODEL)", err, err_len);
	if (!s)
		c->loaded = false;
	return s;
}

/* RUN's answer, with the output size the TA declared believed only when
 * it is possible: whole floats, within the buffer on success, beyond it
 * when the TA says the buffer is short. A TA that says otherwise is
 * broken or hostile; the caller, who reads *n_out floats, must not trust
 * it (*n_out is then 0). */
static int run_answer(TEEC_Result res, uint32_t origin, size_t declared,
		      size_t out_max, struct tl_client *c, size_t *n_out,
		      char *err, size_t err_len)
{
	size_t room = out_max * sizeof(float);
	bool possible = declared % sizeof(float) == 0 &&
			(res == TEEC_ERROR_SHORT_BUFFER ? declared > room
							 : declared <= room);
	*n_out = 0;
	if ((res == TEEC_SUCCESS || res == TEEC_ERROR_SHORT_BUFFER) &&
	    !possible)
		return tl_client_fail(err, err_len, TL_CLIENT_E_TEE,
				      "running the model (RUN): the TA "
				      "answered 0x%08x (%s) with an output of "
				      "%zu bytes for a buffer of %zu: not "
				      "believed", (unsigned)res,
				      tl_client_result_name(res), declared,
				      room);
	*n_out = declared / sizeof(float);
	if (res == TEEC_ERROR_SHORT_BUFFER)
		return tl_client_fail(err, err_len, TL_CLIENT_E_SHORT,
				      "running the model: the output takes "
				      "%zu floats, the buffer holds %zu",
				      *n_out, out_max);
	if (res != TEEC_SUCCESS)
		return tl_client_tee_fail(c, err, err_len, "running the model "
					  "(RUN)", res, origin);
	return TL_CLIENT_OK;
}

int tl_client_run(struct tl_client *c, const float *in, size_t n_in,
		  float *out, size_t out_max, size_t *n_out, uint32_t mode,
		  char *err, size_t err_len)
{
	if (!c || !in || !n_out || (!out && out_max))
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG,
				      "running the model: a NULL argument");
	if (!c->loaded)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG,
				      "running the model: no model loaded");
	TEEC_Operation op = { .paramTypes = TEEC_PARAM_TYPES(
		TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT,
		TEEC_VALUE_INPUT, TEEC_NONE) };
	op.params[0].tmpref.buffer = (void *)in;
	op.params[0].tmpref.size = n_in * sizeof *in;
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = out_max * sizeof *out;
	op.params[2].value.a = mode;
	uint32_t origin = 0;
	TEEC_Result res = tl_client_invoke_raw(c, SZ_CMD_RUN, &op, &origin);
	return run_answer(res, origin, op.params[1].tmpref.size, out_max, c,
			  n_out, err, err_len);
}

int tl_client_report(struct tl_client *c, struct sz_report *out, char *err,
		     size_t err_len)
{
	if (!out)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG,
				      "reading the report: no buffer");
	memset(out, 0, sizeof *out);
	TEEC_Operation op = { .paramTypes = TEEC_PARAM_TYPES(
		TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE) };
	op.params[0].tmpref.buffer = out;
	op.params[0].tmpref.size = sizeof *out;
	int s = tl_client_invoke(c, SZ_CMD_REPORT, &op, "reading the TA's "
				 "report (REPORT)", err, err_len);
	if (!s && op.params[0].tmpref.size != sizeof *out)
		return tl_client_fail(err, err_len, TL_CLIENT_E_TEE,
				      "reading the TA's report: %zu bytes, "
				      "expected %zu", op.params[0].tmpref.size,
				      sizeof *out);
	return s;
}
