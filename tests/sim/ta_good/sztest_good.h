/* The good test TA's session and its commands (one file a command
 * family). State lives in the session, nothing in globals. */
#ifndef SZTEST_GOOD_H
#define SZTEST_GOOD_H

#include <tee_internal_api.h>

#include <sztest_ta.h>

struct session {
	uint32_t weights[SZTEST_WEIGHTS];	/* the secret "model" */
	uint8_t key[16];			/* AES-128, from storage */
	uint32_t stored;			/* SZTEST_CMD_STORE */
};

TEE_Result cmd_process(struct session *s, uint32_t types, TEE_Param p[4]);
TEE_Result cmd_seal(struct session *s, uint32_t types, TEE_Param p[4]);
TEE_Result cmd_unseal(struct session *s, uint32_t types, TEE_Param p[4]);
TEE_Result cmd_gcm(uint32_t types, TEE_Param p[4]);
TEE_Result cmd_heap_probe(uint32_t types, TEE_Param p[4]);
TEE_Result cmd_recurse(uint32_t types, TEE_Param p[4]);
TEE_Result cmd_access(uint32_t types, TEE_Param p[4]);
TEE_Result cmd_storage_rules(uint32_t types, TEE_Param p[4]);
TEE_Result load_key(struct session *s);

/* Whether two buffers share a byte. */
static inline int overlaps(const void *a, uint32_t an, const void *b,
			   uint32_t bn)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
	return an && bn && x < y + bn && y < x + an;
}

#endif
