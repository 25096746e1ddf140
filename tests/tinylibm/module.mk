# Tinylibm's tests, and verify_math, the exhaustive sweep.
MATHREF_OBJS := $(call objects,tests/tinylibm/mathref.c)
$(B)/obj/tests/tinylibm/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itinylibm/include \
	-DTL_NM='"$(NM)"' -DTL_LIBTINYLIBM='"$(TINYLIBM_LIB)"'

TINYLIBM_TESTS := test_accuracy test_special_values test_freestanding \
	test_cross_digest
TESTS += $(TINYLIBM_TESTS)
$(foreach t,$(TINYLIBM_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/tinylibm/$(t).c) $(MATHREF_OBJS) $(TINYLIBM_LIB),\
	$(TEST_LDLIBS))))

PROGRAMS += verify_math
$(eval $(call link,verify_math,\
	$(call objects,tests/tinylibm/verify_math.c) $(MATHREF_OBJS) \
	$(TINYLIBM_LIB),-lm -lpthread))
