/* The good test TA, as OP-TEE's dev kit reads it: a multi-instance TA
 * (every session its own instance). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <sztest_ta.h>

#define TA_UUID		SZTEST_GOOD_UUID
#define TA_FLAGS	0
/* 4 KiB: twice optee_examples' 2 KiB, room for sanitizer frames. */
#define TA_STACK_SIZE	(4 * 1024)
/* 64 KiB: weights (1 KiB), a copy of the largest input (4 KiB) and
 * its result, with room to spare for the heap probe. */
#define TA_DATA_SIZE	(64 * 1024)

#endif
