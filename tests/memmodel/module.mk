# The memory model's tests: every tests/memmodel/test_*.c is a test
# program, linked with the other .c files here (shared test support) and
# libmemmodel.a. The tests run from the repository's root, where the
# platform files are.
$(B)/obj/tests/memmodel/%.o: CFLAGS = $(NORMAL_CFLAGS) -Imemmodel/include \
	-Itests/corpus \
	-DMM_PLATFORM_DIR='"memmodel/platforms"' \
	-DMM_CORPUS_DIR='"tests/corpus/platform"'

MEMMODEL_TEST_SRCS := $(wildcard tests/memmodel/test_*.c)
MEMMODEL_TEST_SUPPORT := $(call objects,$(filter-out $(MEMMODEL_TEST_SRCS),\
	$(wildcard tests/memmodel/*.c)) tests/corpus/corpus_manifest.c)
MEMMODEL_TESTS := $(notdir $(MEMMODEL_TEST_SRCS:.c=))
TESTS += $(MEMMODEL_TESTS)
$(foreach t,$(MEMMODEL_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/memmodel/$(t).c) $(MEMMODEL_TEST_SUPPORT) \
	$(MEMMODEL_LIB),$(TEST_LDLIBS))))
