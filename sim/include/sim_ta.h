/*
 * How the simulator knows a TA: a descriptor, as OP-TEE's dev kit builds
 * one from the TA's user_ta_header_defines.h (TA_UUID, TA_FLAGS,
 * TA_STACK_SIZE, TA_DATA_SIZE). sim/ta/ta_header.c, compiled once per TA
 * with the TA's directory on the include path, defines it; the simulator
 * finds every descriptor linked into the program (section sim_ta_descs).
 * Only the simulator and ta_header.c include this file, never a TA.
 */
#ifndef SIM_TA_H
#define SIM_TA_H

#include <stdint.h>

#include "tee_api_types.h"

/* The dev kit's TA flags (OP-TEE user_ta_header.h, the values its TAs'
 * user_ta_header_defines.h expand): a TA asks for one instance shared by
 * all sessions, for several sessions on that instance, and for the
 * instance to outlive its last session. */
#define TA_FLAG_USER_MODE		0u	/* kept for old TAs; no effect */
#define TA_FLAG_EXEC_DDR		0u	/* kept for old TAs; no effect */
#define TA_FLAG_SINGLE_INSTANCE		(1u << 2)
#define TA_FLAG_MULTI_SESSION		(1u << 3)
#define TA_FLAG_INSTANCE_KEEP_ALIVE	(1u << 4)

struct sim_ta_desc {
	const char *name;		/* the TA's directory, for messages */
	TEE_UUID uuid;			/* TA_UUID */
	uint32_t flags;			/* TA_FLAGS */
	uint32_t stack_size;		/* TA_STACK_SIZE */
	uint32_t data_size;		/* TA_DATA_SIZE: the heap */
	uint64_t code_size;		/* text + data + bss of its objects */
	uint64_t static_rw_size;	/* data + bss: one copy per program */
	TEE_Result (*create)(void);
	void (*destroy)(void);
	TEE_Result (*open_session)(uint32_t param_types, TEE_Param params[4],
				   void **session_context);
	void (*close_session)(void *session_context);
	TEE_Result (*invoke)(void *session_context, uint32_t command,
			     uint32_t param_types, TEE_Param params[4]);
};

/* The section the descriptors live in (GNU ld provides its bounds). */
#define SIM_TA_SECTION	"sim_ta_descs"

#endif
