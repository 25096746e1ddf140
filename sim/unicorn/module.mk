# The Unicorn runner's pure parts (sim/unicorn/): libsim_insn.a, the A64
# instruction decoder (sim_insn.h: class and bytes of each instruction
# word) and the Cortex-A53 cycle estimate from an instruction mix
# (sim_a53.h). Only sim/unicorn/src/insn_*.c and a53_*.c: no Unicorn, no
# other room, so a program or test links it alone. The runner's own
# sources, which need libunicorn, live beside them under other names.
SIM_INSN_SRCS := $(wildcard sim/unicorn/src/insn_*.c) \
	$(wildcard sim/unicorn/src/a53_*.c)
SIM_INSN_LIB := $(B)/lib/libsim_insn.a
LIBS += $(SIM_INSN_LIB)
$(SIM_INSN_LIB): $(call objects,$(SIM_INSN_SRCS))
SIM_INSN_CFLAGS := $(NORMAL_CFLAGS) -Isim/unicorn/include
$(B)/obj/sim/unicorn/src/insn_%.o: CFLAGS = $(SIM_INSN_CFLAGS)
$(B)/obj/sim/unicorn/src/a53_%.o: CFLAGS = $(SIM_INSN_CFLAGS)

# The runner (sim_uc.h): libsim_uc.a, sim/unicorn/src/uc_*.c, over
# Debian's libunicorn (2.x), the memory model's translation tables and
# the simulator's TA heap; it knows nothing of Tinylib (the caller names
# the guest's layer functions). A program linking it adds
# $(SIM_UC_LDLIBS).
SIM_UC_SRCS := $(wildcard sim/unicorn/src/uc_*.c)
SIM_UC_LIB := $(B)/lib/libsim_uc.a
SIM_UC_LDLIBS := -lunicorn -lm
SIM_UC_INCLUDES := -Isim/unicorn/include -Isim/include -Imemmodel/include
# Only where the host's libunicorn links: not in the aarch64 flavours
# (their programs run under qemu-aarch64 or on the board).
SIM_UC_ENABLED := $(if $(filter aarch64 board,$(FLAVOR)),,yes)
ifeq ($(SIM_UC_ENABLED),yes)
LIBS += $(SIM_UC_LIB)
endif
$(SIM_UC_LIB): $(call objects,$(SIM_UC_SRCS))
$(B)/obj/sim/unicorn/src/uc_%.o: CFLAGS = $(NORMAL_CFLAGS) $(SIM_UC_INCLUDES)

# The guest: the TA's objects (ta/module.mk), S-Tinylib and Tinylibm as
# the aarch64 flavour builds them for the TA, and sim/unicorn/guest/ (the
# GP calls as SVCs, the four string functions GCC may call), linked
# freestanding by guest.ld at the VA where mm_xlat_ta_build puts a TA's
# code (MM_TA_VA_START). Built in FLAVOR=aarch64 only:
# build/aarch64/guest/smartzone_ta.elf, which the host's runner loads.
SIM_UC_GUEST_SRCS := $(wildcard sim/unicorn/guest/*.c)
SIM_UC_GUEST := $(B)/guest/smartzone_ta.elf
SIM_UC_GUEST_VA := 0x40001000
$(B)/obj/sim/unicorn/guest/%.o: CFLAGS = $(SECURE_CFLAGS) -Isim/include \
	-Isim/unicorn/include
SIM_UC_GUEST_INPUTS := $(call objects,$(SIM_UC_GUEST_SRCS)) \
	$(call objects,$(SZ_TA_SRCS)) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB) \
	sim/unicorn/guest/guest.ld
# $(call sim_uc_guest_link,EXTRA_LDFLAGS): the recipe linking $@ from the
# objects and libraries among $^ (a test's broken guest adds --wrap).
sim_uc_guest_link = @mkdir -p $(@D) && $(CC) -nostdlib -static -no-pie \
	-Wl,--build-id=none -Wl,--defsym=GUEST_VA=$(SIM_UC_GUEST_VA) \
	-Wl,-T,sim/unicorn/guest/guest.ld \
	-Wl,-u,TA_CreateEntryPoint -Wl,-u,TA_OpenSessionEntryPoint \
	-Wl,-u,TA_InvokeCommandEntryPoint -Wl,-u,TA_CloseSessionEntryPoint \
	$(1) -o $@ $(filter %.o,$^) $(filter %.a,$^) -lgcc
$(SIM_UC_GUEST): $(SIM_UC_GUEST_INPUTS)
	$(call sim_uc_guest_link,)
ifeq ($(FLAVOR),aarch64)
GUESTS += $(SIM_UC_GUEST)
endif
