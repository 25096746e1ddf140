/* The Cortex-A53 estimate as a table (sim_a53.h). */
#include <inttypes.h>

#include "sim_a53.h"

int sim_a53_print(FILE *f, const struct sim_insn_mix *m)
{
	struct sim_a53_breakdown b;
	int bad = 0;

	sim_a53_breakdown(m, &b);
	bad |= fprintf(f, "%-10s %14s %6s %16s\n", "class", "count",
		       "cost", "A53 cycles") < 0;
	for (int c = 0; c < SIM_INSN_CLASSES; c++)
		bad |= fprintf(f, "%-10s %14" PRIu64 " %6.2f %16.1f\n",
			       sim_insn_class_name(c), m->count[c],
			       sim_a53_class_cost(c), b.cls[c]) < 0;
	bad |= fprintf(f, "%-10s %14" PRIu64 " %6.2f %16.1f\n", "q128-extra",
		       m->q128_ops, SIM_A53_Q128_EXTRA, b.q128) < 0;
	bad |= fprintf(f, "%-10s %14s %6s %16.1f  (%" PRIu64 " B loaded, %"
		       PRIu64 " B stored)\n", "memory", "", "", b.memory,
		       m->bytes_loaded, m->bytes_stored) < 0;
	bad |= fprintf(f, "%-10s %14s %6s %16.1f\n", "total", "", "",
		       b.total) < 0;
	return bad ? -1 : 0;
}
