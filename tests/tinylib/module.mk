# Tinylib's tests: every tests/tinylib/test_*.c is a test program, linked
# with the other .c files here (shared test support, the double-precision
# reference) and all of Tinylib. The sample architectures are the
# project's own (models/zoo/); the tests run from the repository's root.
$(B)/obj/tests/tinylib/%.o: CFLAGS = $(NORMAL_CFLAGS) \
	-Itinylib/normal/include -Itinylib/secure/include -Itinylibm/include \
	-Itests/corpus -DTL_ZOO_DIR='"models/zoo"' \
	-DTL_CORPUS_DIR='"tests/corpus"' \
	-DTL_NM='"$(NM)"' -DTL_LIBSECURE='"$(TINYLIB_SECURE_LIB)"'

TINYLIB_TEST_SRCS := $(wildcard tests/tinylib/test_*.c)
TINYLIB_TEST_SUPPORT := $(call objects,$(filter-out $(TINYLIB_TEST_SRCS),\
	$(wildcard tests/tinylib/*.c)) tests/corpus/corpus_manifest.c)
TINYLIB_TESTS := $(notdir $(TINYLIB_TEST_SRCS:.c=))
TESTS += $(TINYLIB_TESTS)
# The kernels' tests built for this machine's widest vectors too (the
# bench flavour, -march=native: AVX-512's strips of 32 on the CI machine,
# paths the portable host build never compiles, and direct.c reading
# weights by 16), their strict digests the host's (make check's phase
# "native").
NATIVE_TESTS := test_kernels test_kernels_1_1 test_geometry test_region \
	test_weights_by_16 test_crc32
# test_crc32 holds the CRC against zlib's crc32 too where zlib is the
# build machine's own (zlib1g-dev: the host's builds, not aarch64's).
ifeq ($(CROSS),)
$(B)/obj/tests/tinylib/test_crc32.o: CFLAGS += -DTL_TEST_ZLIB
TINYLIB_LDLIBS_test_crc32 := -lz
endif
$(foreach t,$(TINYLIB_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/tinylib/$(t).c) $(TINYLIB_TEST_SUPPORT) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),\
	$(TEST_LDLIBS) $(TINYLIB_LDLIBS_$(t)))))
