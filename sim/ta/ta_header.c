/*
 * A TA's descriptor, as OP-TEE's dev kit builds user_ta_header.c: compiled
 * once per TA, with the TA's directory (its user_ta_header_defines.h) on
 * the include path, and with SIM_TA_CODE_SIZE and SIM_TA_STATIC_RW_SIZE
 * measured from the TA's objects by the build (sim/module.mk, sim_ta).
 * SIM_TA_DESC names the descriptor, so one program may hold several
 * descriptors of the same TA code (different sizes, flags, UUIDs).
 */
#include <tee_internal_api.h>

#include "sim_ta.h"
#include "user_ta_header_defines.h"

#ifndef SIM_TA_DESC
#define SIM_TA_DESC sim_ta_desc
#endif
#ifndef SIM_TA_NAME
#define SIM_TA_NAME "ta"
#endif

__attribute__((used, section(SIM_TA_SECTION), aligned(8)))
const struct sim_ta_desc SIM_TA_DESC = {
	.name = SIM_TA_NAME,
	.uuid = TA_UUID,
	.flags = TA_FLAGS,
	.stack_size = TA_STACK_SIZE,
	.data_size = TA_DATA_SIZE,
	.code_size = SIM_TA_CODE_SIZE,
	.static_rw_size = SIM_TA_STATIC_RW_SIZE,
	.create = TA_CreateEntryPoint,
	.destroy = TA_DestroyEntryPoint,
	.open_session = TA_OpenSessionEntryPoint,
	.close_session = TA_CloseSessionEntryPoint,
	.invoke = TA_InvokeCommandEntryPoint,
};
