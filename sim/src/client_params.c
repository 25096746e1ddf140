/*
 * The client library's side of parameters (TEE Client API v1.0, 4.5.9
 * and 4.5.10): TEEC_Operation to the message the TEE receives, and back.
 *
 * Checked here, before anything enters the TEE, each refusal being
 * TEEC_ERROR_BAD_PARAMETERS with origin API: unknown types; a temporary
 * memref with a NULL buffer and a size; a registered memref without a
 * parent, with a parent this context did not register or allocate, with a
 * direction its parent's flags do not allow, or reaching past its parent;
 * sizes the TA's 32-bit sizes can not carry; and memrefs overlapping
 * where one of them may be written (the TA would see its input change as
 * it writes its output).
 *
 * Temporary memrefs are bounced through a shared buffer allocated for the
 * call, as libteec does (sim_shm_client_alloc: the static pool, or pages
 * registered with the TEE, a world switch to register and one to
 * release): the input copied in, the output (as much as the TA says it
 * wrote and the client's buffer holds) copied back on success. The
 * copies are counted as bounce_copy_bytes.
 */
#include <string.h>

#include "sim_internal.h"

uint32_t sim_tee_type(uint32_t teec_type, uint32_t parent_flags)
{
	switch (teec_type) {
	case TEEC_NONE:
	case TEEC_VALUE_INPUT:
	case TEEC_VALUE_OUTPUT:
	case TEEC_VALUE_INOUT:
		return teec_type;	/* the same numbers on both sides */
	case TEEC_MEMREF_TEMP_INPUT:
	case TEEC_MEMREF_PARTIAL_INPUT:
		return TEE_PARAM_TYPE_MEMREF_INPUT;
	case TEEC_MEMREF_TEMP_OUTPUT:
	case TEEC_MEMREF_PARTIAL_OUTPUT:
		return TEE_PARAM_TYPE_MEMREF_OUTPUT;
	case TEEC_MEMREF_TEMP_INOUT:
	case TEEC_MEMREF_PARTIAL_INOUT:
		return TEE_PARAM_TYPE_MEMREF_INOUT;
	case TEEC_MEMREF_WHOLE:
		switch (parent_flags & (TEEC_MEM_INPUT | TEEC_MEM_OUTPUT)) {
		case TEEC_MEM_INPUT: return TEE_PARAM_TYPE_MEMREF_INPUT;
		case TEEC_MEM_OUTPUT: return TEE_PARAM_TYPE_MEMREF_OUTPUT;
		case TEEC_MEM_INPUT | TEEC_MEM_OUTPUT:
			return TEE_PARAM_TYPE_MEMREF_INOUT;
		default: return SIM_TYPE_BAD;
		}
	default:
		return SIM_TYPE_BAD;
	}
}

bool sim_type_is_memref(uint32_t t)
{
	return t >= TEE_PARAM_TYPE_MEMREF_INPUT &&
	       t <= TEE_PARAM_TYPE_MEMREF_INOUT;
}

bool sim_type_writable(uint32_t t)
{
	return t == TEE_PARAM_TYPE_VALUE_OUTPUT ||
	       t == TEE_PARAM_TYPE_VALUE_INOUT ||
	       t == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
	       t == TEE_PARAM_TYPE_MEMREF_INOUT;
}

static bool is_temp(uint32_t t)
{
	return t >= TEEC_MEMREF_TEMP_INPUT && t <= TEEC_MEMREF_TEMP_INOUT;
}

static bool is_registered(uint32_t t)
{
	return t >= TEEC_MEMREF_WHOLE && t <= TEEC_MEMREF_PARTIAL_INOUT;
}

/* The client's bytes of a registered memref: its parent, checked. */
static bool registered(struct sim_ctx *ctx, uint32_t t,
		       const TEEC_RegisteredMemoryReference *m,
		       uint8_t **host, uint64_t *size)
{
	if (m->parent == NULL || !sim_shm_valid(m->parent->imp.shm))
		return false;
	const struct sim_shm *s = m->parent->imp.shm;
	if (s->ctx != ctx)
		return false;
	if (t == TEEC_MEMREF_WHOLE) {
		*host = s->host;
		*size = s->size;
		return true;
	}
	uint32_t need = t == TEEC_MEMREF_PARTIAL_INPUT ? TEEC_MEM_INPUT
		      : t == TEEC_MEMREF_PARTIAL_OUTPUT ? TEEC_MEM_OUTPUT
		      : TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	if ((s->flags & need) != need || m->offset > s->size ||
	    m->size > s->size - m->offset)
		return false;
	*host = s->host + m->offset;
	*size = m->size;
	return true;
}

static bool overlap(const uint8_t *a, uint64_t an, const uint8_t *b,
		    uint64_t bn)
{
	return an && bn && a < b + bn && b < a + an;
}

/* The client-side bytes of each memref, and the refusals above. */
static bool client_ranges(struct sim_ctx *ctx, const TEEC_Operation *op,
			  struct sim_msg_param p[4], uint8_t *host[4],
			  uint64_t size[4])
{
	for (int i = 0; i < 4; i++) {
		uint32_t t = (op->paramTypes >> (4 * i)) & 0xF;
		const TEEC_Parameter *q = &op->params[i];
		uint32_t flags = 0;
		host[i] = NULL;
		size[i] = 0;
		if (t == TEEC_MEMREF_WHOLE && q->memref.parent != NULL &&
		    sim_shm_valid(q->memref.parent->imp.shm))
			flags = ((struct sim_shm *)q->memref.parent->imp.shm)
					->flags;
		p[i].type = sim_tee_type(t, flags);
		if (p[i].type == SIM_TYPE_BAD)
			return false;
		if (is_temp(t)) {
			if (q->tmpref.buffer == NULL && q->tmpref.size != 0)
				return false;
			host[i] = q->tmpref.buffer;
			size[i] = q->tmpref.size;
		} else if (is_registered(t) &&
			   !registered(ctx, t, &q->memref, &host[i], &size[i])) {
			return false;
		}
		if (size[i] > UINT32_MAX)
			return false;
		p[i].a = q->value.a;
		p[i].b = q->value.b;
	}
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			if ((sim_type_writable(p[i].type) ||
			     sim_type_writable(p[j].type)) &&
			    sim_type_is_memref(p[i].type) &&
			    sim_type_is_memref(p[j].type) &&
			    overlap(host[i], size[i], host[j], size[j]))
				return false;
	return true;
}

TEEC_Result sim_params_in(struct sim_ctx *ctx, const TEEC_Operation *op,
			  struct sim_msg_param p[4], struct sim_op_state *st)
{
	memset(p, 0, 4 * sizeof *p);
	memset(st, 0, sizeof *st);
	if (op == NULL)
		return TEEC_SUCCESS;
	uint8_t *host[4];
	uint64_t size[4];
	if (!client_ranges(ctx, op, p, host, size))
		return TEEC_ERROR_BAD_PARAMETERS;
	for (int i = 0; i < 4; i++) {
		uint32_t t = (op->paramTypes >> (4 * i)) & 0xF;
		p[i].host = host[i];
		p[i].size = (uint32_t)size[i];
		/* an empty one with a buffer is bounced too: libteec gives
		 * it shared memory (optee_client allocates at least 8
		 * bytes), and the TA receives a memref of 0 bytes; NULL with
		 * 0 bytes is the null memref */
		if (!is_temp(t) || host[i] == NULL)
			continue;
		st->bounce[i] = sim_shm_client_alloc(NULL, size[i],
						     TEEC_MEM_INPUT |
						     TEEC_MEM_OUTPUT);
		if (st->bounce[i] == NULL) {
			sim_params_release(st);
			return TEEC_ERROR_OUT_OF_MEMORY;
		}
		st->bounce_smc += 2 * sim_shm_client_smc();
		p[i].host = st->bounce[i]->host;
		if (t != TEEC_MEMREF_TEMP_OUTPUT) {
			memcpy(p[i].host, host[i], size[i]);
			st->bounce_bytes += size[i];
		}
	}
	return TEEC_SUCCESS;
}

void sim_params_out(TEEC_Operation *op, const struct sim_msg_param p[4],
		    TEEC_Result res, struct sim_op_state *st)
{
	if (op == NULL)
		return;
	bool sized = res == TEEC_SUCCESS || res == TEEC_ERROR_SHORT_BUFFER;
	for (int i = 0; i < 4; i++) {
		uint32_t t = (op->paramTypes >> (4 * i)) & 0xF;
		TEEC_Parameter *q = &op->params[i];
		if (!sim_type_writable(p[i].type))
			continue;
		if (!sim_type_is_memref(p[i].type)) {
			q->value.a = p[i].a;
			q->value.b = p[i].b;
		} else if (is_temp(t) && sized) {
			if (res == TEEC_SUCCESS && st->bounce[i] != NULL) {
				uint32_t n = p[i].out_size < p[i].size
						     ? p[i].out_size
						     : p[i].size;
				memcpy(q->tmpref.buffer, st->bounce[i]->host, n);
				st->bounce_bytes += n;
			}
			q->tmpref.size = p[i].out_size;
		} else if (sized) {
			q->memref.size = p[i].out_size;
		}
	}
}

void sim_params_release(struct sim_op_state *st)
{
	for (int i = 0; i < 4; i++)
		if (st->bounce[i] != NULL) {
			sim_shm_free(st->bounce[i]);
			st->bounce[i] = NULL;
		}
}
