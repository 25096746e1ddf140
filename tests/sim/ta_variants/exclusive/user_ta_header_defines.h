/* The good TA's code as a single-instance TA with one session at a time
 * (a second session is refused with TEE_ERROR_BUSY). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <sztest_ta.h>

#define TA_UUID		SZTEST_EXCLUSIVE_UUID
#define TA_FLAGS	TA_FLAG_SINGLE_INSTANCE
#define TA_STACK_SIZE	(4 * 1024)
#define TA_DATA_SIZE	(64 * 1024)

#endif
