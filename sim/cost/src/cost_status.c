/* The cost model's status phrases. */
#include "sim_cost.h"

const char *sim_cost_status_str(int status)
{
	switch (status) {
	case SIM_COST_OK: return "ok";
	case SIM_COST_E_ARG: return "bad argument";
	case SIM_COST_E_NO_COST: return "no cost figures";
	case SIM_COST_E_PARAM: return "unusable cost figure";
	case SIM_COST_E_WORK: return "bad work or period";
	case SIM_COST_E_WINDOW: return "bad transfer size or window range";
	case SIM_COST_E_FIT: return "shared-memory fit refused";
	case SIM_COST_E_IO: return "report not written";
	}
	return "unknown status";
}
