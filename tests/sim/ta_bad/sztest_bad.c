/*
 * The deliberately wrong test TA: every mistake the simulator's checks
 * exist for, each in a command of its own, so that the tests can show
 * each check catching it. It is what the public Tinylib TA does
 * (STYLE.md, "What not to copy") and worse:
 *
 * - No parameter-type checks anywhere: a value sent where a memref is
 *   expected is used as a pointer.
 * - SZTEST_CMD_PROCESS reads the count n from the shared input, checks
 *   it, and reads it again in place for the loop (a double fetch), and
 *   writes n / 4 words of output whatever the output's size (trusts
 *   sizes).
 * - SZTEST_CMD_LEAK_*: the right result, then secret weights written
 *   past the declared output, over the input, (12 bytes, too few for
 *   the taint check to see) past the output, (40 bytes from an odd
 *   offset) past the output, or by a plain pointer into the page after
 *   the output's, which no buffer holds; or bytes it decrypted, calls
 *   before, with a key of its own (SZTEST_CMD_DECRYPT), as an encrypted
 *   model's weights are.
 */
#include <stdbool.h>

#include <tee_internal_api.h>

#include <sztest_ta.h>

struct session {
	uint32_t weights[SZTEST_WEIGHTS];
	uint8_t *plain;		/* SZTEST_PLAIN_PAGES pages decrypted */
	uint32_t decrypts;
};

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[4],
				    void **session_context)
{
	(void)types, (void)params;
	struct session *s = TEE_Malloc(sizeof *s, TEE_MALLOC_FILL_ZERO);
	if (s == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	sztest_weights(s->weights);
	s->plain = TEE_Malloc(SZTEST_PLAIN_PAGES * 4096, TEE_MALLOC_FILL_ZERO);
	if (s->plain == NULL) {
		TEE_Free(s);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	*session_context = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session_context)
{
	struct session *s = session_context;
	TEE_Free(s->plain);
	TEE_Free(s);
}

static TEE_Result process(struct session *s, TEE_Param p[4])
{
	volatile const uint32_t *in = p[0].memref.buffer;
	uint32_t *out = p[1].memref.buffer;
	if (in[0] == 0 || in[0] > SZTEST_MAX_WORDS || in[0] % 4)
		return TEE_ERROR_BAD_PARAMETERS;
	for (uint32_t k = 0; k < in[0] / 4; k++) {	/* n read again */
		uint32_t sum = 0;
		for (uint32_t j = 0; j < 4; j++)
			sum += in[1 + 4 * k + j] *
			       s->weights[(4 * k + j) % SZTEST_WEIGHTS];
		out[k] = sum;
	}
	p[1].memref.size = in[0];
	return TEE_SUCCESS;
}

/* The right result, then len bytes of weights from byte from past the
 * declared output (or over the input, past its count). */
static TEE_Result leak(struct session *s, TEE_Param p[4], bool into_input,
		       uint32_t from, uint32_t len)
{
	TEE_Result res = process(s, p);
	uint8_t *dst = into_input ? (uint8_t *)p[0].memref.buffer + 4
				  : (uint8_t *)p[1].memref.buffer +
					    p[1].memref.size;
	if (res == TEE_SUCCESS)
		TEE_MemMove(dst, (const uint8_t *)s->weights + from, len);
	return res;
}

/* The right result, then 64 bytes of weights written by the TA's own
 * stores (no system call to refuse them) 4 KiB past the output's start:
 * in the pool, the next page, which no buffer holds. */
static TEE_Result leak_next_page(struct session *s, TEE_Param p[4])
{
	TEE_Result res = process(s, p);
	volatile uint8_t *dst = (uint8_t *)p[1].memref.buffer + 4096;
	const uint8_t *w = (const uint8_t *)s->weights + 64;
	for (uint32_t i = 0; res == TEE_SUCCESS && i < 64; i++)
		dst[i] = w[i];
	return res;
}

/* The right result, then a page of plaintext: the input's bytes over and
 * over, XORed with a key stream that only the TA knows (xorshift32 from
 * a seed of its own and the call's count), so that no bytes the normal
 * world gave equal it. The page is the next one, round the
 * SZTEST_PLAIN_PAGES. */
static TEE_Result decrypt(struct session *s, TEE_Param p[4])
{
	TEE_Result res = process(s, p);
	const uint8_t *in = p[0].memref.buffer;
	uint32_t n = p[0].memref.size;
	uint8_t *page = s->plain + s->decrypts % SZTEST_PLAIN_PAGES * 4096;
	uint32_t x = 0x7a5ec0deu ^ s->decrypts++;
	for (uint32_t i = 0; res == TEE_SUCCESS && i < 4096; i += 4) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		for (uint32_t j = 0; j < 4; j++)
			page[i + j] = in[(i + j) % n] ^ (uint8_t)(x >> 8 * j);
	}
	return res;
}

/* The right result, then 64 bytes of the first decrypted page past the
 * declared output. */
static TEE_Result leak_decrypted(struct session *s, TEE_Param p[4])
{
	TEE_Result res = process(s, p);
	if (res == TEE_SUCCESS)
		TEE_MemMove((uint8_t *)p[1].memref.buffer + p[1].memref.size,
			    s->plain + 64, 64);
	return res;
}

TEE_Result TA_InvokeCommandEntryPoint(void *session_context, uint32_t cmd,
				      uint32_t types, TEE_Param params[4])
{
	(void)types;
	struct session *s = session_context;
	switch (cmd) {
	case SZTEST_CMD_INC_VALUE:
		params[0].value.a++;
		return TEE_SUCCESS;
	case SZTEST_CMD_PROCESS:
		return process(s, params);
	case SZTEST_CMD_LEAK_PAST_OUTPUT:
		return leak(s, params, false, 64, 64);
	case SZTEST_CMD_LEAK_INTO_INPUT:
		return leak(s, params, true, 64, 64);
	case SZTEST_CMD_LEAK_SMALL:
		return leak(s, params, false, 64, 12);
	case SZTEST_CMD_LEAK_UNALIGNED:
		return leak(s, params, false, 69, 40);
	case SZTEST_CMD_LEAK_NEXT_PAGE:
		return leak_next_page(s, params);
	case SZTEST_CMD_DECRYPT:
		return decrypt(s, params);
	case SZTEST_CMD_LEAK_DECRYPTED:
		return leak_decrypted(s, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
