/*
 * Deliberately broken code for the Unicorn runner's tests: each file here
 * replaces one function of the TA or of S-Tinylib through the linker's
 * --wrap (tests/unicorn/module.mk names which), so that the rest of the
 * guest is the real one. Each breaks one rule the runner must catch.
 */
#ifndef BROKEN_H
#define BROKEN_H

#include <tee_internal_api.h>

#include "tl_kernels.h"

TEE_Result __real_sz_take_exact(const TEE_Param *p, void *dst, uint32_t size);
TEE_Result __wrap_sz_take_exact(const TEE_Param *p, void *dst, uint32_t size);
TEE_Result __real_sz_give(TEE_Param *p, const void *src, uint32_t n);
TEE_Result __wrap_sz_give(TEE_Param *p, const void *src, uint32_t n);
void __real_tl_maxpool(const struct tl_pool_params *p, const float *in,
		       float *out);
void __wrap_tl_maxpool(const struct tl_pool_params *p, const float *in,
		       float *out);
void __real_tl_softmax(const float *in, float *out, size_t n);
void __wrap_tl_softmax(const float *in, float *out, size_t n);

#endif
