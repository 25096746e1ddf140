/* The good TA's code with DarkneTZ's heap: TA_DATA_SIZE 10 MiB (BRIEF,
 * "the public code ... TA headers ask for TA_DATA_SIZE 10 MiB
 * (DarkneTZ)"), more than the stock RPi3's 8 MiB of TA_RAM holds. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <sztest_ta.h>

#define TA_UUID		SZTEST_DARKNETZ_UUID
#define TA_FLAGS	0
#define TA_STACK_SIZE	(4 * 1024)
#define TA_DATA_SIZE	(10 * 1024 * 1024)

#endif
