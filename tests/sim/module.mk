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

SIM_TEST_SRCS := $(wildcard tests/sim/test_*.c)
SIM_TEST_SUPPORT := $(call objects,$(filter-out $(SIM_TEST_SRCS),\
	$(wildcard tests/sim/*.c)))
SIM_TESTS := $(notdir $(SIM_TEST_SRCS:.c=))
TESTS += $(SIM_TESTS)
$(foreach t,$(SIM_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/sim/$(t).c) $(call sim_test_tas,$(t)) \
	$(SIM_TEST_SUPPORT) $(SIM_LIB) $(SIM_COST_LIB) $(MEMMODEL_LIB),\
	$(TEST_LDLIBS) $(SIM_LDLIBS))))
