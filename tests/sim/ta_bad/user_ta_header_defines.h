/* The deliberately wrong test TA. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <sztest_ta.h>

#define TA_UUID		SZTEST_BAD_UUID
#define TA_FLAGS	0
#define TA_STACK_SIZE	(4 * 1024)
#define TA_DATA_SIZE	(64 * 1024)

#endif
