/*
 * What the simulator's tests share: a machine configured per test, its
 * persistent store in a fresh directory under build/<flavour>/tmp that
 * is removed afterwards, and helpers for the good and bad test TAs.
 */
#ifndef SIM_FIXTURE_H
#define SIM_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_plan.h"
#include "sim.h"
#include "sztest_ta.h"
#include "tee_client_api.h"

#define KiB 0x400ull
#define MiB 0x100000ull

extern const TEEC_UUID sztest_good_uuid, sztest_single_uuid,
	sztest_exclusive_uuid, sztest_darknetz_uuid, sztest_bad_uuid;

/* cmocka setup/teardown: a machine on the stock RPi3 platform with a
 * fresh storage directory; violations and counters cleared. Teardown
 * fails when violations are left: a test that expects some clears
 * them once it has checked them. */
int sim_fixture_up(void **state);
int sim_fixture_down(void **state);

/* Builds the machine again (plan may be NULL), keeping the storage
 * directory; the test fails when the simulator refuses. */
void sim_fixture_configure(const struct mm_plan *plan);
/* The same with the rest of a configuration (storage_dir is set here). */
void sim_fixture_configure_cfg(struct sim_config *cfg);

/* The fixture's storage directory. */
const char *sim_fixture_storage(void);

/* Loads a platform file from memmodel/platforms. */
void sim_fixture_platform(const char *name, struct mm_platform *p);

/* A context and a session on uuid; the test fails unless both open. */
void sim_open(TEEC_Context *ctx, TEEC_Session *s, const TEEC_UUID *uuid);
void sim_close(TEEC_Context *ctx, TEEC_Session *s);

/* SZTEST_CMD_PROCESS's input for n words (data[i] = seed + i * 7) and
 * the output the good TA must give. in holds 1 + n words, out n / 4. */
void sztest_input(uint32_t *in, uint32_t n, uint32_t seed);
void sztest_expect(const uint32_t *in, uint32_t *out);

/* A zeroed operation with these parameter types. */
TEEC_Operation sztest_op(uint32_t t0, uint32_t t1, uint32_t t2, uint32_t t3);
/* Temporary input and output memrefs. */
TEEC_Operation sztest_temp(const void *in, size_t in_size, void *out,
			   size_t out_size);
/* Whole registered (or allocated) input and output memrefs. */
TEEC_Operation sztest_whole(TEEC_SharedMemory *in, TEEC_SharedMemory *out);

/* SZTEST_CMD_PROCESS with temporary memrefs; returns the result, and
 * the origin in *origin. */
TEEC_Result sztest_process(TEEC_Session *s, uint32_t cmd, const uint32_t *in,
			   size_t in_size, uint32_t *out, size_t *out_size,
			   uint32_t *origin);

/* Runs the hostile-parameter driver on SZTEST_CMD_PROCESS of s (16
 * words, temporary memrefs) and prints every case; the caller frees. */
struct sim_hostile_report *sztest_hostile_process(TEEC_Session *s);
void sztest_show(const char *what, const struct sim_hostile_report *r);

/* Arms the double-fetch trap, or skips the test saying why it can not
 * run here (aarch64 under qemu, valgrind). */
void sim_fixture_double_fetch_on(void);

/* Whether len bytes at p are all zero. */
bool sim_all_zero(const void *p, size_t len);

#endif
