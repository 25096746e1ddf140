# The command-line programs' tests: every tests/tools/test_*.c is a test
# program linked with the other .c files here (cli.c: a command run
# in-process, its output captured), memmodel's JSON checker, smartzone's
# command objects (not its main.c) and the libraries they use (the TA in
# the simulator among them). They run from the repository's root.
$(B)/obj/tests/tools/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itools/smartzone \
	-Imemmodel/include -Itinylib/normal/include -Itinylib/secure/include \
	-Isim/include -Isim/cost/include -Ita/include \
	-Itests/memmodel -DTL_ZOO_DIR='"models/zoo"'

TOOLS_TEST_SRCS := $(wildcard tests/tools/test_*.c)
TOOLS_TEST_SUPPORT := $(call objects,$(filter-out $(TOOLS_TEST_SRCS),\
	$(wildcard tests/tools/*.c)) tests/memmodel/json_check.c)
TOOLS_TESTS := $(notdir $(TOOLS_TEST_SRCS:.c=))
SMARTZONE_CMD_OBJS := $(call objects,$(filter-out tools/smartzone/main.c,\
	$(SMARTZONE_SRCS)))
TESTS += $(TOOLS_TESTS)
$(foreach t,$(TOOLS_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/tools/$(t).c) $(TOOLS_TEST_SUPPORT) \
	$(SMARTZONE_CMD_OBJS) \
	$(SMARTZONE_LIBS),$(TEST_LDLIBS) $(SMARTZONE_LDLIBS))))
