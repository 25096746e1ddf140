# Tinylib's tests. The sample cfgs live beside the repository; the tests
# run from its root.
$(B)/obj/tests/tinylib/%.o: CFLAGS = $(NORMAL_CFLAGS) \
	-Itinylib/normal/include \
	-DTL_DARKNET_CFG_DIR='"../shared/models/darknet-cfg"'

TINYLIB_TESTS := test_darknet_cfg test_darknet_net
TESTS += $(TINYLIB_TESTS)
$(foreach t,$(TINYLIB_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/tinylib/$(t).c) $(TINYLIB_NORMAL_LIB),\
	$(TEST_LDLIBS))))
