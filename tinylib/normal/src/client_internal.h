/* What the client's files share (tl_client.h is the interface). */
#ifndef TL_CLIENT_INTERNAL_H
#define TL_CLIENT_INTERNAL_H

#include <stdarg.h>

#include "tl_client.h"

/* Writes the sentence into err (when not NULL) and returns status. */
int tl_client_fail(char *err, size_t err_len, int status, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));

/* A failed TEEC call: "what: 0x%08x (NAME) from ORIGIN[; hint]"; keeps
 * the code and origin in c. Returns TL_CLIENT_E_TEE. */
int tl_client_tee_fail(struct tl_client *c, char *err, size_t err_len,
		       const char *what, TEEC_Result res, uint32_t origin);

/* Notes one TEEC call in c->calls (client_calls.c). */
void tl_client_record(struct tl_client *c, enum tl_client_call_kind kind,
		      uint32_t command, uint32_t result, uint32_t origin);

/* TEEC_InvokeCommand on c's session, recorded; the result as it came
 * (origin in *origin). Every invoke of the client goes through here. */
TEEC_Result tl_client_invoke_raw(struct tl_client *c, uint32_t cmd,
				 TEEC_Operation *op, uint32_t *origin);

/* TEEC_InvokeCommand on c's session; a failure is described as
 * "<what>" by tl_client_tee_fail. */
int tl_client_invoke(struct tl_client *c, uint32_t cmd, TEEC_Operation *op,
		     const char *what, char *err, size_t err_len);

#endif
