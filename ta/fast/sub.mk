# S-Tinylib's kernels a second time, in fast mode: tinylib/module.mk
# compiles each kernel twice, and the dev kit compiles a source file once,
# so each X_fast.c here is X.c with TL_FAST defined, which names its
# functions X_fast (kernel_mode.h) to link beside the strict copies;
# kernel_dispatch.c picks one or the other at run time. A kernel added to
# tinylib/secure/src/kernels/ needs its X_fast.c here (the link fails
# until it has one). The flags are tinylib/module.mk's FAST_MATH_FLAGS.
cflags-y += -ffp-contract=fast -fassociative-math -fno-signed-zeros \
	-fno-trapping-math -fno-builtin -fno-math-errno
cflags-remove-y += -Wfloat-equal
incdirs-y += ../../tinylib/secure/src/kernels
srcs-y += $(notdir $(wildcard $(sub-dir)/*.c))
