# N-Tinylib's client (tinylib/normal/src/client*.c, tlme.c) against the
# real TA in the simulator: every tests/client/test_*.c is a test
# program, linked with the other .c files here (shared support), the
# input reader of smartzone run (tools/smartzone/input.c), the client
# library, the TA (ta/module.mk), the simulator and Tinylib (host
# references). They run from the repository's root, where the models and
# platform files are.
$(B)/obj/tests/client/%.o: CFLAGS = $(NORMAL_CFLAGS) -Isim/include -Isim/cost/include \
	-Imemmodel/include -Ita/include -Itinylib/normal/include \
	-Itinylib/secure/include -Itools/smartzone -Itests/corpus

CLIENT_TEST_SRCS := $(wildcard tests/client/test_*.c)
CLIENT_TEST_SUPPORT := $(call objects,$(filter-out $(CLIENT_TEST_SRCS),\
	$(wildcard tests/client/*.c)) tools/smartzone/input.c \
	tests/corpus/corpus_manifest.c)
CLIENT_TESTS := $(notdir $(CLIENT_TEST_SRCS:.c=))
TESTS += $(CLIENT_TESTS)
$(foreach t,$(CLIENT_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/client/$(t).c) $(CLIENT_TEST_SUPPORT) \
	$(TINYLIB_NORMAL_LIB) $(SZ_TA_OBJS) $(SIM_LIB) $(SIM_COST_LIB) $(MEMMODEL_LIB) \
	$(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),\
	$(TEST_LDLIBS) $(SIM_LDLIBS))))
