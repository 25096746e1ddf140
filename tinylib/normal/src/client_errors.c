/*
 * The client's error sentences: GlobalPlatform names for result codes
 * and origins (TEE Client API v1.0 and TEE Internal Core API v1.1, whose
 * codes a TA's own refusals carry through to the client), and a hint for
 * the failures people meet first.
 */
#include <stdio.h>

#include "client_internal.h"

struct name { uint32_t value; const char *name; };

/* TEEC_* from the Client API; the Internal Core API's TEE_* codes that
 * are not Client API codes keep their TEE_ names. */
static const struct name results[] = {
	{ 0x00000000u, "TEEC_SUCCESS" },
	{ 0xFFFF0000u, "TEEC_ERROR_GENERIC" },
	{ 0xFFFF0001u, "TEEC_ERROR_ACCESS_DENIED" },
	{ 0xFFFF0002u, "TEEC_ERROR_CANCEL" },
	{ 0xFFFF0003u, "TEEC_ERROR_ACCESS_CONFLICT" },
	{ 0xFFFF0004u, "TEEC_ERROR_EXCESS_DATA" },
	{ 0xFFFF0005u, "TEEC_ERROR_BAD_FORMAT" },
	{ 0xFFFF0006u, "TEEC_ERROR_BAD_PARAMETERS" },
	{ 0xFFFF0007u, "TEEC_ERROR_BAD_STATE" },
	{ 0xFFFF0008u, "TEEC_ERROR_ITEM_NOT_FOUND" },
	{ 0xFFFF0009u, "TEEC_ERROR_NOT_IMPLEMENTED" },
	{ 0xFFFF000Au, "TEEC_ERROR_NOT_SUPPORTED" },
	{ 0xFFFF000Bu, "TEEC_ERROR_NO_DATA" },
	{ 0xFFFF000Cu, "TEEC_ERROR_OUT_OF_MEMORY" },
	{ 0xFFFF000Du, "TEEC_ERROR_BUSY" },
	{ 0xFFFF000Eu, "TEEC_ERROR_COMMUNICATION" },
	{ 0xFFFF000Fu, "TEEC_ERROR_SECURITY" },
	{ 0xFFFF0010u, "TEEC_ERROR_SHORT_BUFFER" },
	{ 0xFFFF0011u, "TEEC_ERROR_EXTERNAL_CANCEL" },
	{ 0xFFFF300Fu, "TEE_ERROR_OVERFLOW" },
	{ 0xFFFF3024u, "TEEC_ERROR_TARGET_DEAD" },
	{ 0xFFFF3041u, "TEE_ERROR_STORAGE_NO_SPACE" },
	{ 0xFFFF3071u, "TEE_ERROR_MAC_INVALID" },
	{ 0xFFFF3072u, "TEE_ERROR_SIGNATURE_INVALID" },
	{ 0xF0100001u, "TEE_ERROR_CORRUPT_OBJECT" },
	{ 0xF0100003u, "TEE_ERROR_STORAGE_NOT_AVAILABLE" },
};

static const struct name origins[] = {
	{ 0x1u, "TEEC_ORIGIN_API" },
	{ 0x2u, "TEEC_ORIGIN_COMMS" },
	{ 0x3u, "TEEC_ORIGIN_TEE" },
	{ 0x4u, "TEEC_ORIGIN_TRUSTED_APP" },
};

/* What to do about the failures users meet (BRIEF.md: DarkneTZ #2, #23,
 * #34, #35 for out of memory, #29 for a dead TA); origin 0: any. */
static const struct hint {
	uint32_t result, origin;
	const char *text;
} hints[] = {
	{ 0xFFFF000Cu, 0x1u, "the client library found no room in the "
	  "shared memory for the call's buffers (temporary memrefs go through "
	  "the static shared memory, CFG_SHMEM_SIZE): `smartzone plan` says "
	  "what one inference needs" },
	{ 0xFFFF000Cu, 0, "the TA's memory (TA_DATA_SIZE, TA_RAM) does not "
	  "hold the model: `smartzone plan` gives the settings that do" },
	{ 0xFFFF0008u, 0x3u, "no such TA: is the Smart-Zone TA installed?" },
	{ 0xFFFF0008u, 0x4u, "the TA holds no model key: provision it first "
	  "(tl_client_provision_key, smartzone run --encrypted)" },
	{ 0xFFFF3024u, 0, "the TA died (a panic or a fault) and its session "
	  "with it: open a new one" },
	{ 0xFFFF3071u, 0, "the tag does not match: a different key, or a "
	  "changed file" },
	{ 0xFFFF000Fu, 0, "the TA refused the data as unsafe" },
	{ 0xFFFF0005u, 0x4u, "the TA found the model file malformed (an "
	  "encrypted model decrypted with a different key looks so too)" },
};

static const char *hint_for(uint32_t result, uint32_t origin)
{
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
		if (hints[i].result == result &&
		    (!hints[i].origin || hints[i].origin == origin))
			return hints[i].text;
	return NULL;
}

static const char *find(const struct name *t, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return NULL;
}

#define COUNT(t) (sizeof (t) / sizeof (t)[0])

const char *tl_client_result_name(uint32_t result)
{
	const char *s = find(results, COUNT(results), result);
	return s ? s : "unknown";
}

const char *tl_client_origin_name(uint32_t origin)
{
	const char *s = find(origins, COUNT(origins), origin);
	return s ? s : "unknown";
}

const char *tl_client_status_str(int status)
{
	static const char *const s[] = {
		[TL_CLIENT_OK] = "ok",
		[TL_CLIENT_E_ARG] = "bad argument",
		[TL_CLIENT_E_IO] = "file not readable",
		[TL_CLIENT_E_MODEL] = "model refused",
		[TL_CLIENT_E_TEE] = "TEE call failed",
		[TL_CLIENT_E_NOMEM] = "out of memory",
		[TL_CLIENT_E_SHORT] = "output buffer too small",
	};
	if (status < 0 || (size_t)status >= COUNT(s) || !s[status])
		return "unknown status";
	return s[status];
}

int tl_client_fail(char *err, size_t err_len, int status, const char *fmt,
		   ...)
{
	if (err && err_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return status;
}

int tl_client_tee_fail(struct tl_client *c, char *err, size_t err_len,
		       const char *what, TEEC_Result res, uint32_t origin)
{
	c->last_result = res;
	c->last_origin = origin;
	const char *hint = hint_for(res, origin);
	return tl_client_fail(err, err_len, TL_CLIENT_E_TEE,
			      "%s: 0x%08x (%s) from %s%s%s", what,
			      (unsigned)res, tl_client_result_name(res),
			      tl_client_origin_name(origin),
			      hint ? "; " : "", hint ? hint : "");
}
