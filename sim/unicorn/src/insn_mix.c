/* Adding decoded instructions to a mix (sim_insn.h). */
#include "sim_insn.h"

void sim_insn_mix_add(struct sim_insn_mix *m, const struct sim_insn_info *i,
		      uint64_t times)
{
	m->count[i->cls] += times;
	m->bytes_loaded += times * i->bytes_loaded;
	m->bytes_stored += times * i->bytes_stored;
	if (i->flags & SIM_INSN_F_FP)
		m->flops_lanes += times * i->simd_lanes;
	if (i->flags & SIM_INSN_F_Q128)
		m->q128_ops += times;
}

void sim_insn_mix_sum(struct sim_insn_mix *to, const struct sim_insn_mix *m)
{
	for (int c = 0; c < SIM_INSN_CLASSES; c++)
		to->count[c] += m->count[c];
	to->bytes_loaded += m->bytes_loaded;
	to->bytes_stored += m->bytes_stored;
	to->flops_lanes += m->flops_lanes;
	to->q128_ops += m->q128_ops;
}

uint64_t sim_insn_mix_total(const struct sim_insn_mix *m)
{
	uint64_t n = 0;
	for (int c = 0; c < SIM_INSN_CLASSES; c++)
		n += m->count[c];
	return n;
}
