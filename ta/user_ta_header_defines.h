/*
 * The Smart-Zone TA as OP-TEE's dev kit (and the simulator's sim_ta)
 * reads it: its UUID from the protocol header, one instance per session
 * (TA_FLAGS 0: the memory planner counts an instance a session), and the
 * heap and stack sizes the plan gives for a model, in ta_sizes.h.
 *
 * ta_sizes.h as committed is the plan for the bundled digits model on
 * rpi3bplus. For another model or board, build with the plan's header
 * instead (docs/ta.md): ta/Makefile's SZ_TA_SIZES names it, and it is
 * included in place of ta_sizes.h:
 *   smartzone plan --platform rpi3bplus MODEL --out plan/
 *   make -C ta ... SZ_TA_SIZES=$PWD/plan/user_ta_header_defines.h
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include "smartzone_ta.h"
#ifdef SZ_TA_SIZES
#include SZ_TA_SIZES
#else
#include "ta_sizes.h"
#endif

#define TA_UUID		SZ_TA_UUID
#define TA_FLAGS	0
#define TA_VERSION	"1.0"
#define TA_DESCRIPTION	"Smart-Zone: a whole DNN inside the TEE"

#endif
