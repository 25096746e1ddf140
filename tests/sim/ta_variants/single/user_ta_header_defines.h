/* The good TA's code as a single-instance, multi-session TA that stays
 * loaded after its last session (OP-TEE's TA_FLAG_* semantics). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <sztest_ta.h>

#define TA_UUID		SZTEST_SINGLE_UUID
#define TA_FLAGS	(TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | \
			 TA_FLAG_INSTANCE_KEEP_ALIVE)
#define TA_STACK_SIZE	(4 * 1024)
#define TA_DATA_SIZE	(64 * 1024)

#endif
