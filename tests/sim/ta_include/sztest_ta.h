/*
 * The boundary of the simulator's test TAs, shared by the TAs and the
 * normal-world tests (as optee_examples' <name>_ta.h is): UUIDs, command
 * IDs, and the made-up "model" the TAs hold as their secret.
 *
 * SZTEST_CMD_PROCESS, the small model:
 *   params[0] MEMREF_INPUT   { uint32_t n; uint32_t data[n]; }, n a
 *                            multiple of 4, 0 < n <= SZTEST_MAX_WORDS,
 *                            the size exactly 4 + 4 n
 *   params[1] MEMREF_OUTPUT  n / 4 words: out[k] = sum over j < 4 of
 *                            data[4k + j] * w[(4k + j) % SZTEST_WEIGHTS]
 *                            (mod 2^32), w the secret weights
 * A short output gives TEE_ERROR_SHORT_BUFFER with the size needed.
 */
#ifndef SZTEST_TA_H
#define SZTEST_TA_H

#include <stdint.h>

#define SZTEST_GOOD_UUID \
	{ 0x5a7e0001, 0x6c0d, 0x4f3b, \
	  { 0x9d, 0x1e, 0x53, 0x6d, 0x61, 0x72, 0x74, 0x01 } }
#define SZTEST_SINGLE_UUID \
	{ 0x5a7e0002, 0x6c0d, 0x4f3b, \
	  { 0x9d, 0x1e, 0x53, 0x6d, 0x61, 0x72, 0x74, 0x02 } }
#define SZTEST_EXCLUSIVE_UUID \
	{ 0x5a7e0003, 0x6c0d, 0x4f3b, \
	  { 0x9d, 0x1e, 0x53, 0x6d, 0x61, 0x72, 0x74, 0x03 } }
#define SZTEST_DARKNETZ_UUID \
	{ 0x5a7e0004, 0x6c0d, 0x4f3b, \
	  { 0x9d, 0x1e, 0x53, 0x6d, 0x61, 0x72, 0x74, 0x04 } }
#define SZTEST_BAD_UUID \
	{ 0x5a7e0005, 0x6c0d, 0x4f3b, \
	  { 0x9d, 0x1e, 0x53, 0x6d, 0x61, 0x72, 0x74, 0x05 } }

enum sztest_cmd {
	SZTEST_CMD_INC_VALUE = 0,	/* VALUE_INOUT: a + 1 */
	SZTEST_CMD_PROCESS = 1,		/* see above */
	SZTEST_CMD_SEAL = 2,		/* in: plaintext; out: nonce ct tag */
	SZTEST_CMD_UNSEAL = 3,		/* in: nonce ct tag; out: plaintext */
	SZTEST_CMD_GCM = 4,		/* in: key nonce aad pt; VALUE_INPUT
					 * a = aad bytes, b = update size;
					 * out: ct tag */
	SZTEST_CMD_HEAP_PROBE = 5,	/* VALUE_INPUT a = block bytes;
					 * VALUE_OUTPUT a = blocks, b = 1 when
					 * the other heap checks held */
	SZTEST_CMD_PANIC = 6,
	SZTEST_CMD_STORE = 7,		/* VALUE_INPUT a: kept in the session */
	SZTEST_CMD_LOAD = 8,		/* VALUE_OUTPUT a: what was kept */
	SZTEST_CMD_RECURSE = 9,		/* VALUE_INPUT a: depth, 256 B a level */
	SZTEST_CMD_ACCESS = 10,		/* MEMREF_INPUT, MEMREF_OUTPUT,
					 * VALUE_OUTPUT a: SZTEST_ACCESS_ALL
					 * when every access check held */
	SZTEST_CMD_STORAGE_RULES = 11,	/* VALUE_OUTPUT a: the persistent
					 * object rules that held (bits) */
	/* the bad TA only */
	SZTEST_CMD_LEAK_PAST_OUTPUT = 20, /* PROCESS, then weights after the
					   * declared output */
	SZTEST_CMD_LEAK_INTO_INPUT = 21,  /* PROCESS, then weights over the
					   * input */
	SZTEST_CMD_LEAK_SMALL = 22,	  /* PROCESS, then 12 bytes of
					   * weights after the output */
	SZTEST_CMD_LEAK_UNALIGNED = 23,	  /* PROCESS, then 40 bytes of the
					   * weights from byte 69 (no 16-byte
					   * boundary) after the output */
	SZTEST_CMD_LEAK_NEXT_PAGE = 24,	  /* PROCESS, then 64 bytes of
					   * weights 4 KiB past the output's
					   * start, a page no one was given */
	SZTEST_CMD_DECRYPT = 25,	  /* PROCESS, then a page of its
					   * input decrypted with a key of the
					   * TA's into the next of
					   * SZTEST_PLAIN_PAGES pages of the
					   * heap (the first again after the
					   * last), as a model's chunk is */
	SZTEST_CMD_LEAK_DECRYPTED = 26,	  /* PROCESS, then 64 bytes of the
					   * first decrypted page after the
					   * output */
};

#define SZTEST_PLAIN_PAGES	8

#define SZTEST_MAX_WORDS	1024
#define SZTEST_WEIGHTS		256	/* words: 1 KiB of secret */
#define SZTEST_SEAL_MAX		4096	/* plaintext bytes */
#define SZTEST_NONCE		12u	/* GCM's 96-bit nonce */
#define SZTEST_TAG		16u	/* 128-bit tag */
#define SZTEST_ACCESS_ALL	0x7Fu
#define SZTEST_STORAGE_ALL	0x1FFu
#define SZTEST_KEY_ID		"sztest-key"

/* The weights: a xorshift32 sequence (Marsaglia 2003, shifts 13, 17, 5)
 * from a fixed seed, so the tests can compute the expected outputs. */
static inline void sztest_weights(uint32_t w[SZTEST_WEIGHTS])
{
	uint32_t x = 0x5eed1234u;
	for (uint32_t i = 0; i < SZTEST_WEIGHTS; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		w[i] = x;
	}
}

static inline uint32_t sztest_block(const uint32_t *data, uint32_t k,
				    const uint32_t *w)
{
	uint32_t s = 0;
	for (uint32_t j = 0; j < 4; j++)
		s += data[4 * k + j] * w[(4 * k + j) % SZTEST_WEIGHTS];
	return s;
}

#endif
