/*
 * Parameters: a memref's bytes live in shared memory, where the normal
 * world may change them at any moment, so each is read exactly once,
 * into secure memory, and its size is taken from the TEE_Param (TA
 * memory) once. Outputs are written once, the final bytes only.
 */
#include "sz_ta.h"

TEE_Result sz_take_exact(const TEE_Param *p, void *dst, uint32_t size)
{
	if (p->memref.size != size)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_MemMove(dst, p->memref.buffer, size);
	return TEE_SUCCESS;
}

TEE_Result sz_give(TEE_Param *p, const void *src, uint32_t n)
{
	if (p->memref.size < n) {
		p->memref.size = n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_MemMove(p->memref.buffer, src, n);
	p->memref.size = n;
	return TEE_SUCCESS;
}

TEE_Result sz_mode(const TEE_Param *p, enum tl_mode *mode)
{
	if (p->value.b != 0)
		return TEE_ERROR_BAD_PARAMETERS;
	if (p->value.a == SZ_MODE_STRICT)
		*mode = TL_MODE_STRICT;
	else if (p->value.a == SZ_MODE_FAST)
		*mode = TL_MODE_FAST;
	else
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}
