/*
 * A .tlm's convolution weights stored by 16 (format 1.2, tl_kernels.h):
 * for a host with fast mode's direct kernel (AVX-512), which then reads
 * them where they lie instead of packing them at every run. Strict mode
 * gives the same bits either way, and fast mode too; on aarch64 the
 * GEMM reads A 16 floats a step rather than 4 at a time, so the TA's
 * models stay as they are.
 */
#ifndef TL_TLM_BY_16_H
#define TL_TLM_BY_16_H

#include <stddef.h>

/*
 * Rewrites the model in blob (size bytes, aligned to TL_ALIGN) in place:
 * each convolution that allows it (tl_conv_weights_by_16_allowed) gets
 * its weights by 16, unless another layer reads the same tensor; the
 * file then says minor version 2, and its CRC is written again. Returns
 * how many weight tensors it rewrote (0: none could be, the blob
 * unchanged), or -1 with the reason in err: the model does not open
 * ("tl_model_open: ...", the blob unchanged), or memory ran out.
 */
int tl_tlm_store_by_16(void *blob, size_t size, char *err, size_t err_len);

#endif
