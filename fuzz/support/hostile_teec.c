/* The hostile TEE Client API (hostile_teec.h). */

#include "hostile_teec.h"
#include "tee_client_api.h"

static struct fz *script;
static unsigned live_shm;

void hostile_teec_script(struct fz *f)
{
	script = f;
}

unsigned hostile_teec_live_shm(void)
{
	return live_shm;
}

static uint8_t next(void)
{
	return script ? fz_u8(script) : 0;
}

/* Mostly success: a client must survive the rest. */
static TEEC_Result result(void)
{
	static const TEEC_Result codes[] = {
		TEEC_ERROR_GENERIC, TEEC_ERROR_ACCESS_DENIED,
		TEEC_ERROR_CANCEL, TEEC_ERROR_BAD_FORMAT,
		TEEC_ERROR_BAD_PARAMETERS, TEEC_ERROR_BAD_STATE,
		TEEC_ERROR_ITEM_NOT_FOUND, TEEC_ERROR_NOT_SUPPORTED,
		TEEC_ERROR_OUT_OF_MEMORY, TEEC_ERROR_BUSY,
		TEEC_ERROR_SHORT_BUFFER, TEEC_ERROR_TARGET_DEAD,
		0xFFFF3071u /* TEE_ERROR_MAC_INVALID */,
	};
	uint8_t k = next();
	if (k < 0xb0)
		return TEEC_SUCCESS;
	if (k == 0xff)
		return script ? fz_u32(script) : 0;
	return codes[k % (sizeof codes / sizeof *codes)];
}

static uint32_t origin(void)
{
	return next() % 6;	/* 1..4 the specification's, 0 and 5 none */
}

TEEC_Result TEEC_InitializeContext(const char *name, TEEC_Context *context)
{
	(void)name;
	context->imp.ctx = NULL;
	return result();
}

void TEEC_FinalizeContext(TEEC_Context *context)
{
	(void)context;
}

TEEC_Result TEEC_OpenSession(TEEC_Context *context, TEEC_Session *session,
			     const TEEC_UUID *destination,
			     uint32_t connectionMethod,
			     const void *connectionData,
			     TEEC_Operation *operation,
			     uint32_t *returnOrigin)
{
	(void)context, (void)session, (void)destination;
	(void)connectionMethod, (void)connectionData, (void)operation;
	TEEC_Result res = result();
	if (returnOrigin)
		*returnOrigin = origin();
	return res;
}

void TEEC_CloseSession(TEEC_Session *session)
{
	(void)session;
}

TEEC_Result TEEC_AllocateSharedMemory(TEEC_Context *context,
				      TEEC_SharedMemory *sharedMem)
{
	(void)context;
	TEEC_Result res = result();
	if (res != TEEC_SUCCESS)
		return res;
	size_t n = (sharedMem->size + 4095) / 4096 * 4096;
	sharedMem->buffer = aligned_alloc(4096, n ? n : 4096);
	if (sharedMem->buffer == NULL)
		return TEEC_ERROR_OUT_OF_MEMORY;
	live_shm++;
	return TEEC_SUCCESS;
}

TEEC_Result TEEC_RegisterSharedMemory(TEEC_Context *context,
				      TEEC_SharedMemory *sharedMem)
{
	(void)context, (void)sharedMem;
	return result();
}

void TEEC_ReleaseSharedMemory(TEEC_SharedMemory *sharedMem)
{
	if (sharedMem->buffer == NULL)
		return;
	free(sharedMem->buffer);
	sharedMem->buffer = NULL;
	live_shm--;
}

void TEEC_RequestCancellation(TEEC_Operation *operation)
{
	(void)operation;
}

/* The size a TA declared for an output of cap bytes. */
static uint64_t declared(size_t cap)
{
	switch (next() % 8) {
	case 0: return 0;
	case 1: return cap ? cap - 1 : 0;
	case 2: return (uint64_t)cap + 1;
	case 3: return UINT32_MAX;
	case 4: return SIZE_MAX;
	case 5: return script ? fz_u32(script) : cap;
	default: return cap;
	}
}

/* Bytes the TA wrote, copied back as libteec does: only when the size
 * it declared fits the caller's buffer. */
static void written(void *buf, size_t cap, size_t *size_field)
{
	uint64_t n = declared(cap);
	if (n <= cap && buf != NULL && script) {
		size_t got;
		const uint8_t *p = fz_bytes(script, (size_t)n, &got);
		memcpy(buf, p, got);
		memset((uint8_t *)buf + got, 0, (size_t)n - got);
	}
	*size_field = (size_t)n;
}

static void outputs(TEEC_Operation *op)
{
	for (int i = 0; i < TEEC_CONFIG_PAYLOAD_REF_COUNT; i++) {
		uint32_t t = (op->paramTypes >> (4 * i)) & 0xfu;
		TEEC_Parameter *q = &op->params[i];
		switch (t) {
		case TEEC_VALUE_OUTPUT:
		case TEEC_VALUE_INOUT:
			if (next() & 1) {
				q->value.a = script ? fz_u32(script) : 0;
				q->value.b = script ? fz_u32(script) : 0;
			}
			break;
		case TEEC_MEMREF_TEMP_OUTPUT:
		case TEEC_MEMREF_TEMP_INOUT:
			written(q->tmpref.buffer, q->tmpref.size,
				&q->tmpref.size);
			break;
		case TEEC_MEMREF_PARTIAL_OUTPUT:
		case TEEC_MEMREF_PARTIAL_INOUT:
			if (q->memref.parent != NULL)
				written((uint8_t *)q->memref.parent->buffer +
					q->memref.offset, q->memref.size,
					&q->memref.size);
			break;
		default:
			break;
		}
	}
}

TEEC_Result TEEC_InvokeCommand(TEEC_Session *session, uint32_t commandID,
			       TEEC_Operation *operation,
			       uint32_t *returnOrigin)
{
	(void)session, (void)commandID;
	TEEC_Result res = result();
	if (returnOrigin)
		*returnOrigin = origin();
	if (operation != NULL)
		outputs(operation);
	return res;
}
