# The fuzz targets (fuzz/fuzz_*.c, one libFuzzer target a file;
# docs/fuzzing.md), built in the fuzz flavours only: FLAVOR=fuzz (clang,
# libFuzzer, ASan, UBSan) and FLAVOR=fuzz-afl (AFL++'s compiler, the same
# sanitizers). The compiler, its flags and the engine come from
# fuzz/build.sh (OSS-Fuzz's $CC, $CFLAGS, $LIB_FUZZING_ENGINE).
# fuzz/support/ holds what the targets share.
$(B)/obj/fuzz/%.o: CFLAGS = $(NORMAL_CFLAGS) -Ifuzz/support -Isim/include \
	-Isim/cost/include \
	-Isim/src -Imemmodel/include -Ita/include -Itinylib/normal/include \
	-Itinylib/secure/include -Itinylibm/include -Itests/memmodel \
	-Itests/tinylib

FUZZ_TARGETS := $(notdir $(basename $(wildcard fuzz/fuzz_*.c)))
FUZZ_OBJ = $(call objects,$(addprefix fuzz/,$(1)))
FUZZ_TINYLIB := $(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB)
# The fuzz model is the tests' small model in another shape.
FUZZ_MODEL := $(call FUZZ_OBJ,support/fuzz_model.c) \
	$(call objects,tests/tinylib/small_model.c)
# A target running the TA in the simulator: the TA, libsim.a, the memory
# model.
FUZZ_IN_SIM := $(call FUZZ_OBJ,support/fuzz_sim.c) $(FUZZ_MODEL) \
	$(TINYLIB_NORMAL_LIB) $(SZ_TA_OBJS) $(SIM_LIB) $(SIM_COST_LIB) $(MEMMODEL_LIB) \
	$(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB)

# The platform the simulator is built on, compiled in: a fuzzing cluster
# runs the targets far from the source tree.
FUZZ_PLATFORM_H := $(B)/gen/fuzz/fuzz_platform_text.h
$(FUZZ_PLATFORM_H): memmodel/platforms/rpi3bplus.conf
	@mkdir -p $(@D)
	{ echo 'static const unsigned char fuzz_platform_text[] = {'; \
	  od -An -tx1 -v $< | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; } >$@
$(B)/obj/fuzz/support/fuzz_sim.o: $(FUZZ_PLATFORM_H)
$(B)/obj/fuzz/support/fuzz_sim.o: CFLAGS += -I$(B)/gen/fuzz

FUZZ_LINK_fuzz_ta_boundary := $(FUZZ_IN_SIM)
FUZZ_LINK_fuzz_tlme := $(FUZZ_IN_SIM)
FUZZ_LINK_fuzz_tlm := $(FUZZ_TINYLIB)
FUZZ_LINK_fuzz_darknet := $(FUZZ_TINYLIB)
FUZZ_LINK_fuzz_platform := $(call objects,tests/memmodel/json_check.c) \
	$(MEMMODEL_LIB)
# the client against a hostile TEE Client API instead of the simulator
FUZZ_LINK_fuzz_client := $(call FUZZ_OBJ,support/hostile_teec.c) \
	$(FUZZ_MODEL) $(FUZZ_TINYLIB)

$(foreach t,$(FUZZ_TARGETS),$(eval $(call link,$(t),\
	$(call FUZZ_OBJ,$(t).c) $(FUZZ_LINK_$(t)),\
	$(LIB_FUZZING_ENGINE) $(SIM_LDLIBS) -lm)))

.PHONY: fuzzers
fuzzers: $(addprefix $(B)/bin/,$(FUZZ_TARGETS))

# Every target is also a test program in every other flavour:
# test_<target> replays fuzz/regressions/<target>/ (each a crash's input,
# kept once fixed) and the seeds of fuzz/corpus/<target>/ through it
# (support/replay.c).
ifeq ($(filter fuzz fuzz-afl fuzz-cov,$(FLAVOR)),)
FUZZ_REPLAYS := $(addprefix test_,$(FUZZ_TARGETS))
TESTS += $(FUZZ_REPLAYS)
$(foreach t,$(FUZZ_TARGETS),$(eval $(call link,test_$(t),\
	$(call FUZZ_OBJ,$(t).c support/replay.c) $(FUZZ_LINK_$(t)) \
	$(TINYLIB_NORMAL_LIB),\
	$(TEST_LDLIBS) $(SIM_LDLIBS))))
endif

# fuzz_seeds writes the seed corpora (make fuzz-seeds).
PROGRAMS += fuzz_seeds
$(eval $(call link,fuzz_seeds,\
	$(call FUZZ_OBJ,support/make_seeds.c) $(FUZZ_MODEL) \
	$(FUZZ_TINYLIB),$(SIM_LDLIBS)))

# The simulator without coverage instrumentation (fuzz/coverage-ignore.txt)
ifneq ($(filter fuzz fuzz-afl fuzz-cov,$(FLAVOR)),)
$(B)/obj/sim/%.o: CFLAGS += -fsanitize-coverage-ignorelist=fuzz/coverage-ignore.txt
endif
