/* The Smart-Zone TA's code under another UUID, as one instance that
 * outlives its sessions (tests/ta/module.mk): what the TA leaves in its
 * heap when a session closes stays there to be read. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include "../ta_keep.h"
#include "ta_sizes.h"

#define TA_UUID		SZ_TA_KEEP_UUID
#define TA_FLAGS	(TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | \
			 TA_FLAG_INSTANCE_KEEP_ALIVE)

#endif
