# The Smart-Zone TA's sources for OP-TEE's TA dev kit (ta/Makefile): the
# TA's own files here, S-Tinylib and Tinylibm from their folders, and
# S-Tinylib's kernels once more in fast mode in fast/.
global-incdirs-y += include ../tinylib/secure/include ../tinylibm/include

# As SECURE_CFLAGS in the root Makefile: no contraction in strict mode
# (but in its convolutions, below), so that a board gives the bits the
# host gives; no builtins that could turn into libc calls, and no errno,
# so that Tinylibm's sqrtf is the instruction and never a call to a libm
# the dev kit does not have.
sz-secure-cflags := -ffp-contract=off -fno-builtin -fno-math-errno
cflags-y += $(sz-secure-cflags)
srcs-y += $(notdir $(wildcard $(sub-dir)/*.c))

# The libraries by absolute path, so that their objects go under the out
# directory (a path with .. would put them beside it); every OP-TEE
# release's mk/subdir.mk takes absolute paths.
sz-root := $(abspath $(sub-dir)/..)
sz-lib-srcs := $(wildcard $(sz-root)/tinylibm/src/*.c) \
	$(wildcard $(sz-root)/tinylib/secure/src/*.c) \
	$(wildcard $(sz-root)/tinylib/secure/src/kernels/*.c)
srcs-y += $(sz-lib-srcs)
# The math compares floats exactly on purpose (special cases such as
# x == 0 or an infinity, a reduction's exact result, a max-pool's first
# element); -Wfloat-equal is for code that does it by accident. The TA's
# own files keep it.
$(foreach f,$(sz-lib-srcs),$(eval cflags-remove-$(f)-y += -Wfloat-equal))
# Strict mode's convolutions fuse each multiply-add, as tinylib/module.mk
# builds them (its STRICT_FUSED_KERNELS, the same two files; fused_steps.h
# says why), at -O2 whatever the dev kit's level (GCC contracts only from
# -O2 on); a file's own flags come after cflags-y and the dev kit's.
sz-fused-kernels := gemm depthwise
$(foreach f,$(sz-fused-kernels),$(eval \
	cflags-$(sz-root)/tinylib/secure/src/kernels/$(f).c-y += -O2 -ffp-contract=fast))

subdirs-y += fast
