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
