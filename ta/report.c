/*
 * REPORT: what the TA holds and has done, for the normal world's
 * figures. Sizes and counters only, never a byte of the model or of an
 * activation.
 */
#include "sz_ta.h"

/* Convolutions: out elements x (c/groups x kh x kw) taps; connected
 * layers: out x in; eltwise and layernorm (1.1): one per output element.
 * The other layers do no multiply-adds. */
uint64_t sz_model_macs(const struct tl_model *m)
{
	uint64_t macs = 0;
	for (uint32_t i = 0; i < m->layer_count; i++) {
		struct tl_layer l;
		struct tl_tensor in, out;
		tl_model_layer(m, i, &l);
		tl_model_tensor(m, l.output, &out);
		if (l.type == TL_LAYER_ELTWISE || l.type == TL_LAYER_LAYERNORM)
			macs += out.elements;
		if (l.type != TL_LAYER_CONV && l.type != TL_LAYER_CONNECTED)
			continue;
		tl_model_tensor(m, l.inputs[0], &in);
		struct tl_geometry g;	/* checked: kh, kw >= 1 */
		tl_layer_geometry(&l, &g);
		uint64_t taps = l.type == TL_LAYER_CONNECTED
			? in.elements
			: in.c / (uint32_t)l.params[3] * (uint64_t)g.kh * g.kw;
		macs += out.elements * taps;
	}
	return macs;
}

TEE_Result sz_cmd_report(struct sz_session *s, uint32_t types, TEE_Param p[4])
{
	if (types != SZ_ONE_PARAM(TEE_PARAM_TYPE_MEMREF_OUTPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	struct sz_report r;
	TEE_MemFill(&r, 0, sizeof r);
	r.heap_size = s->heap_size;
	r.heap_used = s->heap_used;
	r.heap_peak = s->heap_peak;
	r.model_bytes = s->model.size;
	r.arena_bytes = s->arena.size;
	r.plan_bytes = s->plan.size;
	if (s->state == SZ_READY) {
		r.layers = s->tlm.layer_count;
		r.tensors = s->tlm.tensor_count;
	}
	r.runs = s->runs;
	r.bytes_loaded = s->loaded;
	r.macs = s->macs;
	r.state = s->state;
	r.encrypted = s->encrypted;
	return sz_give(&p[0], &r, sizeof r);
}
