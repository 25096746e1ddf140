# The command-line programs' tests: every tests/tools/test_*.c is a test
# program linked with smartzone's command objects (not its main.c) and the
# libraries they use. They run from the repository's root.
$(B)/obj/tests/tools/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itools/smartzone \
	-Imemmodel/include -Itinylib/normal/include -Itinylib/secure/include \
	-DTL_DARKNET_CFG_DIR='"../shared/models/darknet-cfg"'

TOOLS_TEST_SRCS := $(wildcard tests/tools/test_*.c)
TOOLS_TESTS := $(notdir $(TOOLS_TEST_SRCS:.c=))
SMARTZONE_CMD_OBJS := $(call objects,$(filter-out tools/smartzone/main.c,\
	$(SMARTZONE_SRCS)))
TESTS += $(TOOLS_TESTS)
$(foreach t,$(TOOLS_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/tools/$(t).c) $(SMARTZONE_CMD_OBJS) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB) \
	$(MEMMODEL_LIB),$(TEST_LDLIBS))))
