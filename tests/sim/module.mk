# The simulator's tests: every tests/sim/test_*.c is a test program,
# linked with the other .c files here (shared test support), libsim.a
# and libmemmodel.a, and with the test TAs named for it below. The tests
# run from the repository's root, where the platform files are.
$(B)/obj/tests/sim/%.o: CFLAGS = $(NORMAL_CFLAGS) -Isim/include -Isim/cost/include \
	-Imemmodel/include -Itests/sim/ta_include \
	-DMM_PLATFORM_DIR='"memmodel/platforms"' \
	-DSIM_TEST_TMP='"$(B)/tmp"'

# The test TAs, built as TAs are: secure flags, the GlobalPlatform
# headers, their own boundary header, nothing else.
SIM_TA_CFLAGS := $(SECURE_CFLAGS) -Isim/include -Itests/sim/ta_include
$(B)/obj/tests/sim/ta_good/%.o: CFLAGS = $(SIM_TA_CFLAGS)
# The bad TA reads misaligned shared words on purpose (the hostile
# driver sends them): UBSan would stop the test where the simulator's
# checks are what is being tested.
$(B)/obj/tests/sim/ta_bad/%.o: CFLAGS = $(SIM_TA_CFLAGS) -fno-sanitize=alignment
SIM_TA_GOOD_CODE := $(call objects,$(wildcard tests/sim/ta_good/*.c))
SIM_TA_BAD_CODE := $(call objects,$(wildcard tests/sim/ta_bad/*.c))
# The good TA's code is also linked under other headers: one instance
# for all sessions (single), one session at a time (exclusive), and
# DarkneTZ's 10 MiB heap (darknetz).
SIM_TA_INC := tests/sim/ta_include
$(eval $(call sim_ta,good,tests/sim/ta_good $(SIM_TA_INC),$(SIM_TA_GOOD_CODE)))
$(eval $(call sim_ta,single,tests/sim/ta_variants/single $(SIM_TA_INC),$(SIM_TA_GOOD_CODE)))
$(eval $(call sim_ta,exclusive,tests/sim/ta_variants/exclusive $(SIM_TA_INC),$(SIM_TA_GOOD_CODE)))
$(eval $(call sim_ta,darknetz,tests/sim/ta_variants/darknetz $(SIM_TA_INC),$(SIM_TA_GOOD_CODE)))
$(eval $(call sim_ta,bad,tests/sim/ta_bad $(SIM_TA_INC),$(SIM_TA_BAD_CODE)))

# Which TAs each test links (one TA's code per program: the entry points
# are global symbols); tests not named here link none.
SIM_TAS_test_sim_client_api := good
SIM_TAS_test_sim_hello_world := good
SIM_TAS_test_sim_memory := good darknetz
SIM_TAS_test_sim_sessions := good single exclusive
SIM_TAS_test_sim_crypto_storage := good
SIM_TAS_test_sim_checks_good := good
SIM_TAS_test_sim_checks_bad := bad
SIM_TAS_test_sim_registered_shm := good
sim_test_tas = $(sort $(foreach n,$(SIM_TAS_$(1)),$(SIM_TA_OBJS_$(n))))

# The tests of libsim_insn.a (sim/unicorn/) stand alone: below.
SIM_INSN_TESTS := test_insn_decode test_a53_estimate
SIM_TEST_SRCS := $(filter-out $(patsubst %,tests/sim/%.c,$(SIM_INSN_TESTS)),\
	$(wildcard tests/sim/test_*.c))
SIM_TEST_SUPPORT := $(call objects,$(filter-out $(wildcard tests/sim/test_*.c),\
	$(wildcard tests/sim/*.c)))
SIM_TESTS := $(notdir $(SIM_TEST_SRCS:.c=))
TESTS += $(SIM_TESTS)
$(foreach t,$(SIM_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/sim/$(t).c) $(call sim_test_tas,$(t)) \
	$(SIM_TEST_SUPPORT) $(SIM_LIB) $(SIM_COST_LIB) $(MEMMODEL_LIB),\
	$(TEST_LDLIBS) $(SIM_LDLIBS))))

# libsim_insn.a's tests. test_insn_decode checks the decoder against real
# instruction words, assembled by binutils at build time, never typed in:
# tests/sim/insn_cases.S (one instruction a line, the expected class and
# bytes in its comment) as a raw .text image, and S-Tinylib's GEMM kernel
# compiled for AArch64 with the secure flags (strict, and fast as
# tinylib/module.mk builds the fast kernels), disassembled by objdump so
# the test can compare each word's class with objdump's mnemonic. The
# cross tools are used in every flavour: the words are AArch64's whatever
# runs the test.
A64_PREFIX := aarch64-linux-gnu-
SIM_INSN_GEN := $(B)/gen/tests/sim
SIM_INSN_A64_CFLAGS := -std=c11 -O2 -ffreestanding -fno-builtin \
	-fno-math-errno -ffp-contract=off -fno-common $(SECURE_INCLUDES)
$(SIM_INSN_GEN)/insn_cases.bin: tests/sim/insn_cases.S
	@mkdir -p $(@D)
	$(A64_PREFIX)as -o $(@:.bin=.o) $<
	$(A64_PREFIX)objcopy -O binary -j .text $(@:.bin=.o) $@
$(SIM_INSN_GEN)/gemm_strict.o: tinylib/secure/src/kernels/gemm.c
	@mkdir -p $(@D)
	$(A64_PREFIX)gcc $(SIM_INSN_A64_CFLAGS) -c -o $@ $<
$(SIM_INSN_GEN)/gemm_fast.o: tinylib/secure/src/kernels/gemm.c
	@mkdir -p $(@D)
	$(A64_PREFIX)gcc $(SIM_INSN_A64_CFLAGS) $(FAST_MATH_FLAGS) -c -o $@ $<
$(SIM_INSN_GEN)/gemm.dis: $(SIM_INSN_GEN)/gemm_strict.o $(SIM_INSN_GEN)/gemm_fast.o
	$(A64_PREFIX)objdump -d -j .text $^ >$@

SIM_INSN_TEST_CFLAGS := $(NORMAL_CFLAGS) -Isim/unicorn/include \
	-Imemmodel/include -DMM_PLATFORM_DIR='"memmodel/platforms"' \
	-DSIM_INSN_CASES_S='"tests/sim/insn_cases.S"' \
	-DSIM_INSN_CASES_BIN='"$(SIM_INSN_GEN)/insn_cases.bin"' \
	-DSIM_INSN_GEMM_DIS='"$(SIM_INSN_GEN)/gemm.dis"'
$(foreach t,$(SIM_INSN_TESTS),\
	$(eval $(call objects,tests/sim/$(t).c): CFLAGS = $(SIM_INSN_TEST_CFLAGS)))
TESTS += $(SIM_INSN_TESTS)
$(eval $(call link,test_insn_decode,$(call objects,tests/sim/test_insn_decode.c) \
	$(SIM_INSN_LIB) $(SIM_INSN_GEN)/insn_cases.bin $(SIM_INSN_GEN)/gemm.dis,\
	$(TEST_LDLIBS)))
$(eval $(call link,test_a53_estimate,$(call objects,tests/sim/test_a53_estimate.c) \
	$(SIM_INSN_LIB) $(MEMMODEL_LIB),$(TEST_LDLIBS)))
