/*
 * SZTEST_CMD_PROCESS (sztest_ta.h), the right way: the shared input is
 * copied once into secure memory and only the copy is checked and used;
 * the output is sized and written once, exactly the declared bytes.
 */
#include "sztest_good.h"

TEE_Result cmd_process(struct session *s, uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_OUTPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t in_size = p[0].memref.size, out_size = p[1].memref.size;
	if (in_size < 4 || in_size > 4 + 4 * SZTEST_MAX_WORDS ||
	    overlaps(p[0].memref.buffer, in_size, p[1].memref.buffer, out_size))
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t *in = TEE_Malloc(in_size, TEE_MALLOC_FILL_ZERO);
	uint32_t *out = TEE_Malloc(in_size / 4 + 4, TEE_MALLOC_FILL_ZERO);
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;
	if (in == NULL || out == NULL)
		goto out;
	TEE_MemMove(in, p[0].memref.buffer, in_size);	/* the one read */
	uint32_t n = in[0];
	res = TEE_ERROR_BAD_PARAMETERS;
	if (n == 0 || n % 4 || n > SZTEST_MAX_WORDS || in_size != 4 + 4 * n)
		goto out;
	if (out_size < n) {
		p[1].memref.size = n;
		res = TEE_ERROR_SHORT_BUFFER;
		goto out;
	}
	for (uint32_t k = 0; k < n / 4; k++)
		out[k] = sztest_block(in + 1, k, s->weights);
	TEE_MemMove(p[1].memref.buffer, out, n);
	p[1].memref.size = n;
	res = TEE_SUCCESS;
out:
	TEE_Free(in);
	TEE_Free(out);
	return res;
}
