/* sz_counters_sub (tee.h): the counters of one phase. */
#include <stdint.h>
#include <string.h>

#include "tee.h"

_Static_assert(sizeof(struct sim_counters) % sizeof(uint64_t) == 0,
	       "struct sim_counters holds uint64_t fields only");

void sz_counters_sub(const struct sim_counters *a,
		     const struct sim_counters *b, struct sim_counters *out)
{
	uint64_t x[sizeof *a / sizeof(uint64_t)], y[sizeof x / sizeof *x];
	memcpy(x, a, sizeof x);
	memcpy(y, b, sizeof y);
	for (size_t i = 0; i < sizeof x / sizeof *x; i++)
		x[i] -= y[i];
	memcpy(out, x, sizeof x);
}
