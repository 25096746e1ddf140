/*
 * A GlobalPlatform TEE Client API whose every answer comes from the fuzz
 * input: the client library (N-Tinylib) linked against it instead of the
 * simulator faces a TEE that may say anything a real libteec could hand
 * back from a hostile or broken TA or core (fuzz target 6).
 *
 * Per call: the result (mostly TEEC_SUCCESS, else a GlobalPlatform code
 * or any 32-bit value) and the origin; after an invocation, for each
 * output parameter, the size the TA declared (kept, 0, one off, the
 * largest values, any) and, as libteec does for temporary memrefs
 * (optee_client's teec_post_process_tmpref), bytes copied into the
 * caller's buffer only when that size fits it; output values anything.
 * Shared memory is allocated for real (page-aligned, as libteec's), so
 * that ASan and LeakSanitizer see its misuse.
 */
#ifndef HOSTILE_TEEC_H
#define HOSTILE_TEEC_H

#include "fuzz_input.h"

/* The script the next TEEC calls read; NULL: every call succeeds and
 * changes nothing. */
void hostile_teec_script(struct fz *f);

/* Shared-memory blocks allocated and not released. */
unsigned hostile_teec_live_shm(void);

#endif
