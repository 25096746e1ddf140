/*
 * The TA's own properties (Internal Core API 4.4), as far as a TA needs
 * them to size itself: gpd.ta.dataSize and gpd.ta.stackSize of
 * TEE_PROPSET_CURRENT_TA, which OP-TEE's user_ta_header.c publishes from
 * TA_DATA_SIZE and TA_STACK_SIZE. Here they are the instance's sizes, so
 * a sim_config override (the TA as rebuilt with other sizes) answers
 * with the new ones, as the rebuilt TA would.
 */
#include <string.h>

#include "sim_internal.h"

struct prop_args {
	const char *name;
	uint32_t *value;
	TEE_Result res;
};

static void do_get_u32(void *arg)
{
	struct prop_args *a = arg;
	const struct sim_instance *inst = sim_current();
	uint32_t v;
	if (strcmp(a->name, "gpd.ta.dataSize") == 0)
		v = inst->data_size;
	else if (strcmp(a->name, "gpd.ta.stackSize") == 0)
		v = inst->stack_req;
	else {
		a->res = TEE_ERROR_ITEM_NOT_FOUND;
		return;
	}
	sim_to_ta(a->value, &v, sizeof v);
	a->res = TEE_SUCCESS;
}

TEE_Result TEE_GetPropertyAsU32(TEE_PropSetHandle propsetOrEnumerator,
				const char *name, uint32_t *value)
{
	if (propsetOrEnumerator != TEE_PROPSET_CURRENT_TA || name == NULL ||
	    sim_fault_now("TEE_GetPropertyAsU32"))
		return TEE_ERROR_ITEM_NOT_FOUND;
	struct prop_args a = { name, value, TEE_ERROR_GENERIC };
	sim_syscall(do_get_u32, &a);
	return a.res;
}
