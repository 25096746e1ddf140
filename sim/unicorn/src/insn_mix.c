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
