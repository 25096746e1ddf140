/*
 * Inference. RUN copies the input once into a secure buffer, runs the
 * model there (S-Tinylib, in the arena opened with the model) and copies
 * only the output out: nothing else reaches shared memory, and the input
 * and output buffers are zeroed and freed before RUN returns.
 *
 * The baseline keeps one activation in the TA between the steps of a
 * model streamed in pieces (smartzone_ta.h): HOLD_INPUT puts it there,
 * RUN_HELD replaces it with the loaded step's output, TAKE_OUTPUT hands
 * it out and frees it. CLOSE_MODEL leaves it; the session's end frees it.
 */
#include "sz_ta.h"

/* A tensor's bytes: c*h*w*4 fits 32 bits (tl_model_open checks it). */
static uint32_t tensor_bytes(size_t elements)
{
	return (uint32_t)(elements * sizeof(float));
}

static TEE_Result infer(struct sz_session *s, const void *in, void *out,
			enum tl_mode mode)
{
	/* cannot fail: the plan was checked against the arena at load */
	if (tl_run(&s->tlm, s->plan.p, s->arena.p, s->arena.size, in, out,
		   mode) != TL_OK)
		return TEE_ERROR_GENERIC;
	s->runs++;
	return TEE_SUCCESS;
}

TEE_Result sz_cmd_run(struct sz_session *s, uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_OUTPUT,
				     TEE_PARAM_TYPE_VALUE_INPUT,
				     TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (s->state != SZ_READY)
		return TEE_ERROR_BAD_STATE;
	enum tl_mode mode;
	TEE_Result res = sz_mode(&p[2], &mode);
	uint32_t n_in = tensor_bytes(tl_model_input_elements(&s->tlm));
	uint32_t n_out = tensor_bytes(tl_model_output_elements(&s->tlm));
	if (res != TEE_SUCCESS || p[0].memref.size != n_in)
		return TEE_ERROR_BAD_PARAMETERS;
	if (p[1].memref.size < n_out) {
		p[1].memref.size = n_out;
		return TEE_ERROR_SHORT_BUFFER;
	}
	struct sz_buf in = { NULL, NULL, 0, 0 }, out = in;
	res = sz_heap_room(s, sz_buf_cost(n_in) + sz_buf_cost(n_out));
	if (res == TEE_SUCCESS)
		res = sz_buf_alloc(s, &in, n_in);
	if (res == TEE_SUCCESS)
		res = sz_buf_alloc(s, &out, n_out);
	if (res == TEE_SUCCESS)
		res = sz_take_exact(&p[0], in.p, n_in);
	if (res == TEE_SUCCESS)
		res = infer(s, in.p, out.p, mode);
	if (res == TEE_SUCCESS)
		res = sz_give(&p[1], out.p, n_out);
	sz_buf_free(s, &in);
	sz_buf_free(s, &out);
	return res;
}

TEE_Result sz_cmd_hold_input(struct sz_session *s, uint32_t types,
			     TEE_Param p[4])
{
	if (types != SZ_ONE_PARAM(TEE_PARAM_TYPE_MEMREF_INPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t n = p[0].memref.size;
	if (n == 0 || n % sizeof(float) != 0)
		return TEE_ERROR_BAD_PARAMETERS;
	sz_buf_free(s, &s->held);
	TEE_Result res = sz_buf_alloc(s, &s->held, n);
	if (res == TEE_SUCCESS)
		res = sz_take_exact(&p[0], s->held.p, n);
	return res;
}

/* The step's output goes to a new buffer, which then replaces the held
 * activation: room for both is needed while the step runs. */
TEE_Result sz_cmd_run_held(struct sz_session *s, uint32_t types,
			   TEE_Param p[4])
{
	if (types != SZ_ONE_PARAM(TEE_PARAM_TYPE_VALUE_INPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	enum tl_mode mode;
	TEE_Result res = sz_mode(&p[0], &mode);
	if (res != TEE_SUCCESS)
		return res;
	/* nothing held, or not what this step takes */
	if (s->state != SZ_READY || s->held.base == NULL ||
	    s->held.size != tensor_bytes(tl_model_input_elements(&s->tlm)))
		return TEE_ERROR_BAD_STATE;
	struct sz_buf next = { NULL, NULL, 0, 0 };
	res = sz_buf_alloc(s, &next,
			   tensor_bytes(tl_model_output_elements(&s->tlm)));
	if (res == TEE_SUCCESS)
		res = infer(s, s->held.p, next.p, mode);
	if (res != TEE_SUCCESS) {
		sz_buf_free(s, &next);
		return res;
	}
	sz_buf_free(s, &s->held);
	s->held = next;
	return TEE_SUCCESS;
}

/* Between two steps, once CLOSE_MODEL has freed the step's model, arena
 * and plan: the held activation was written while they were there, so
 * it lies past where they were and cuts the free heap in two; the next
 * step's model may fit the sum and neither part. Copied into a new block,
 * it moves to the lowest free place with a first-fit heap (the freed
 * arena alone holds it: the output tensor lives in the arena), and the
 * rest of the heap is one piece again. (OP-TEE's best-fit bget does so
 * only when no smaller free block holds it: docs/ta.md.) */
void sz_held_settle(struct sz_session *s)
{
	struct sz_buf moved = { NULL, NULL, 0, 0 };
	if (s->held.base == NULL ||
	    sz_buf_alloc(s, &moved, s->held.size) != TEE_SUCCESS)
		return;
	TEE_MemMove(moved.p, s->held.p, s->held.size);
	sz_buf_free(s, &s->held);
	s->held = moved;
}

TEE_Result sz_cmd_take_output(struct sz_session *s, uint32_t types,
			      TEE_Param p[4])
{
	if (types != SZ_ONE_PARAM(TEE_PARAM_TYPE_MEMREF_OUTPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	if (s->held.base == NULL)
		return TEE_ERROR_BAD_STATE;
	TEE_Result res = sz_give(&p[0], s->held.p, s->held.size);
	if (res == TEE_SUCCESS)
		sz_buf_free(s, &s->held);
	return res;
}
