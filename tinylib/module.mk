# N-Tinylib: libtinylib_normal.a, the normal-side library (Darknet reader,
# .tlm writer, the client over the GP Client API, encrypted models). The
# client compiles against any tee_client_api.h (the simulator's here,
# optee_client's libteec on a board) and the TA's protocol header; a
# program using the client or tl_tlme links a TEE Client API (libsim.a
# or -lteec) and -lmbedcrypto.
TINYLIB_NORMAL_SRCS := $(wildcard tinylib/normal/src/*.c)
TINYLIB_NORMAL_LIB := $(B)/lib/libtinylib_normal.a
LIBS += $(TINYLIB_NORMAL_LIB)

$(TINYLIB_NORMAL_LIB): $(call objects,$(TINYLIB_NORMAL_SRCS))
$(B)/obj/tinylib/normal/%.o: CFLAGS = $(NORMAL_CFLAGS) \
	-Itinylib/normal/include -Itinylib/secure/include -Ita/include \
	$(TEE_CLIENT_API_CFLAGS)
# Where tee_client_api.h comes from: the simulator's by default.
TEE_CLIENT_API_CFLAGS ?= -Isim/include

# S-Tinylib: libtinylib_secure.a, freestanding like Tinylibm. The kernels in
# tinylib/secure/src/kernels/ are compiled twice, strict (the secure flags:
# no contraction but the convolutions' below, fixed order) and fast
# (contraction and reassociation allowed, TL_FAST defined), so one library
# offers both numeric modes.
TINYLIB_SECURE_SRCS := $(wildcard tinylib/secure/src/*.c)
TINYLIB_KERNEL_SRCS := $(wildcard tinylib/secure/src/kernels/*.c)
TINYLIB_SECURE_LIB := $(B)/lib/libtinylib_secure.a
LIBS += $(TINYLIB_SECURE_LIB)
SECURE_INCLUDES := -Itinylib/secure/include -Itinylibm/include
FAST_MATH_FLAGS := -ffp-contract=fast -fassociative-math -fno-signed-zeros \
	-fno-trapping-math -DTL_FAST=1

$(TINYLIB_SECURE_LIB): $(call objects,$(TINYLIB_SECURE_SRCS) $(TINYLIB_KERNEL_SRCS)) \
	$(patsubst %.c,$(B)/obj/fast/%.o,$(TINYLIB_KERNEL_SRCS))
$(B)/obj/tinylib/secure/%.o: CFLAGS = $(SECURE_CFLAGS) $(SECURE_INCLUDES)
# Strict mode's convolutions fuse each multiply-add (fused_steps.h says
# why): contraction for their two files alone, and on x86-64 the FMA
# instructions (Haswell and later; aarch64 always has them), without which
# those files refuse to build. -O2 in every flavour: GCC contracts only
# from -O2 on (its widening-multiply pass), so the coverage (-O0) and
# sanitize (-O1) builds would round each product and give other bits.
# GCC's tuning for AMD's Zen cores (what -march=native picks there, as
# the bench flavour does: znver3) keeps a chain of dependent multiply-adds
# of 256 bits or fewer apart, a multiply and an add (its
# avoid-fma-max-bits), and strict mode's scalar and 4-float steps gave
# other bits than the board's: avoid-fma-max-bits=0 keeps them fused
# (test_kernels in the bench flavour on an AMD EPYC: test_strict_conv_order
# and test_strict_depthwise_nonfinite failed without it). GCC only: clang
# has no such tuning and would reject the unknown parameter.
STRICT_FUSED_KERNELS := gemm depthwise
FMA_CHAINS_FLAG := $(shell $(CC) -Werror --param=avoid-fma-max-bits=0 \
	-x c -c -o /dev/null /dev/null 2>/dev/null && \
	echo --param=avoid-fma-max-bits=0)
STRICT_FUSED_CFLAGS = -O2 -ffp-contract=fast $(FMA_CHAINS_FLAG) \
	$(if $(findstring x86_64,$(shell $(CC) -dumpmachine)),-mfma) \
	$(if $(filter sanitize,$(FLAVOR)),$(ZEN_TUNING))
# The sanitize build tunes the two for Zen (scheduling only: the code runs
# on any x86-64 with FMA), so that its strict-order tests hold the flag
# above on every machine CI runs on, not on AMD's alone.
ZEN_TUNING := -mtune=znver3
$(patsubst %,$(B)/obj/tinylib/secure/src/kernels/%.o,$(STRICT_FUSED_KERNELS)): \
	CFLAGS = $(SECURE_CFLAGS) $(SECURE_INCLUDES) $(STRICT_FUSED_CFLAGS)
$(B)/obj/fast/tinylib/secure/%.o: tinylib/secure/%.c
	@mkdir -p $(@D)
	$(CC) $(SECURE_CFLAGS) $(FAST_MATH_FLAGS) $(SECURE_INCLUDES) -c -o $@ $<
