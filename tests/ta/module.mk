# The TA's tests: every tests/ta/test_*.c is a test program, linked with
# the other .c files here (shared support), the TA (ta/module.mk) under
# its own descriptor and under a keep-alive one, the simulator, Tinylib
# (the host references and the Darknet import) and the planner's model
# numbers (tools/smartzone/model_needs.c). They run from the repository's
# root, where the models and platform files are.
$(B)/obj/tests/ta/%.o: CFLAGS = $(NORMAL_CFLAGS) -Isim/include -Isim/cost/include \
	-Imemmodel/include -Itests/sim -Itests/sim/ta_include -Ita/include \
	-Itinylib/normal/include -Itinylib/secure/include -Itools/smartzone \
	-DTL_ZOO_DIR='"models/zoo"' -DTL_CORPUS_DIR='"tests/corpus"'

# The same TA code as one instance kept alive after its sessions close,
# so that a test can read what the TA left in its heap (the simulator
# zeroes an instance it destroys).
$(eval $(call sim_ta,smartzone_keep,tests/ta/keep_alive ta ta/include,\
	$(SZ_TA_CODE)))

TA_TEST_SRCS := $(wildcard tests/ta/test_*.c)
TA_TEST_SUPPORT := $(call objects,$(filter-out $(TA_TEST_SRCS),\
	$(wildcard tests/ta/*.c)) tests/sim/sim_fixture.c \
	tools/smartzone/model_needs.c tools/smartzone/args.c)
TA_TESTS := $(notdir $(TA_TEST_SRCS:.c=))
TESTS += $(TA_TESTS)
$(foreach t,$(TA_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/ta/$(t).c) $(TA_TEST_SUPPORT) \
	$(sort $(SZ_TA_OBJS) $(SIM_TA_OBJS_smartzone_keep)) \
	$(TINYLIB_NORMAL_LIB) $(SIM_LIB) $(SIM_COST_LIB) $(MEMMODEL_LIB) \
	$(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),\
	$(TEST_LDLIBS) $(SIM_LDLIBS))))
