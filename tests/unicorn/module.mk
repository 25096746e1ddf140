# The Unicorn runner's tests (sim/unicorn/): host programs that load the
# aarch64 guest (build/aarch64/guest/, built by make FLAVOR=aarch64) and
# broken variants of it made here: each links one file of
# tests/unicorn/broken/ with --wrap of the functions it replaces
# (UC_BROKEN_WRAP_<name>), the rest of the guest the real one. They are
# UNICORN_TESTS, not TESTS: they run on the host only (make check's
# "unicorn" phase, make verify, make coverage), not under qemu-aarch64 or
# valgrind. make check and make coverage run the sample models of
# UNICORN_CHECK_MODELS; make verify runs them all. The five networks of
# models/mlperf/ take 1.2 s together (measured, -O2).
UNICORN_CHECK_MODELS := digits tiny cifar kws_dscnn vww_mobilenet_v1 \
	ic_resnet8 ad_autoencoder har_conv1d
UC_BROKEN := read_past_layer read_past_input double_fetch shm_write \
	output_twice jump_to_data wrong_value
UC_BROKEN_WRAP_read_past_layer := tl_maxpool
UC_BROKEN_WRAP_read_past_input := sz_take_exact
UC_BROKEN_WRAP_double_fetch := sz_take_exact
UC_BROKEN_WRAP_shm_write := sz_take_exact tl_maxpool
UC_BROKEN_WRAP_output_twice := sz_give
UC_BROKEN_WRAP_jump_to_data := tl_softmax
UC_BROKEN_WRAP_wrong_value := tl_maxpool
$(B)/obj/tests/unicorn/broken/%.o: CFLAGS = $(SECURE_CFLAGS) -Isim/include \
	-Ita -Ita/include $(SECURE_INCLUDES)
define uc_broken_guest
$(B)/guest/broken_$(1).elf: $(call objects,tests/unicorn/broken/$(1).c) \
		$(SIM_UC_GUEST_INPUTS)
	$$(call sim_uc_guest_link,$(foreach f,$(UC_BROKEN_WRAP_$(1)),-Xlinker --wrap=$(f)))
endef
$(foreach b,$(UC_BROKEN),$(eval $(call uc_broken_guest,$(b))))
ifeq ($(FLAVOR),aarch64)
GUESTS += $(foreach b,$(UC_BROKEN),$(B)/guest/broken_$(b).elf)
endif

$(B)/obj/tests/unicorn/%.o: CFLAGS = $(NORMAL_CFLAGS) $(SIM_UC_INCLUDES) \
	-Itools/smartzone -Itinylib/normal/include -Itinylib/secure/include \
	-Itinylibm/include -Ita/include -Isim/cost/include \
	-DUC_GUEST_DIR='"build/aarch64/guest"'
UNICORN_TEST_SRCS := $(wildcard tests/unicorn/test_*.c)
UNICORN_TEST_SUPPORT := $(call objects,$(filter-out $(UNICORN_TEST_SRCS),\
	$(wildcard tests/unicorn/*.c)) tests/tools/cli.c)
ifeq ($(SIM_UC_ENABLED),yes)
UNICORN_TESTS := $(notdir $(UNICORN_TEST_SRCS:.c=))
HOST_ONLY_TESTS += $(UNICORN_TESTS)
$(foreach t,$(UNICORN_TESTS),$(eval $(call link,$(t),\
	$(call objects,tests/unicorn/$(t).c) $(UNICORN_TEST_SUPPORT) \
	$(SMARTZONE_CMD_OBJS) $(SMARTZONE_LIBS),\
	$(TEST_LDLIBS) $(SMARTZONE_LDLIBS))))
endif
