# The host TEE simulator: libsim.a, both GlobalPlatform APIs over the
# memory model (Client API for the normal world, the Internal Core API a
# TA uses), world switches and their counters, the leakage and
# hostile-world checks, and the cost and energy model. Normal side, libc
# and mbedTLS; it builds on the memory model (platform files, plans, the
# shared-memory fit), never the other way round.
SIM_SRCS := $(wildcard sim/src/*.c)
SIM_LIB := $(B)/lib/libsim.a
LIBS += $(SIM_LIB)
# What a program linking libsim.a adds: the cost model's library, and
# mbedTLS's crypto library (the TA crypto and the encrypted persistent
# store).
SIM_LDLIBS := -lmbedcrypto

# The cost and energy model (sim/cost/): libsim_cost.a, pure arithmetic
# over counted world switches and a platform's figures, with no machine
# and no TEE API of its own, so that a program beside a real OP-TEE (the
# board build) can plan the window the same way.
SIM_COST_SRCS := $(wildcard sim/cost/src/*.c)
SIM_COST_LIB := $(B)/lib/libsim_cost.a
LIBS += $(SIM_COST_LIB)
$(SIM_COST_LIB): $(call objects,$(SIM_COST_SRCS))
$(B)/obj/sim/cost/%.o: CFLAGS = $(NORMAL_CFLAGS) -Isim/cost/include \
	-Imemmodel/include

$(SIM_LIB): $(call objects,$(SIM_SRCS))
$(B)/obj/sim/src/%.o: CFLAGS = $(NORMAL_CFLAGS) -Isim/include \
	-Isim/cost/include -Imemmodel/include \
	-DSIM_DEFAULT_PLATFORM='"memmodel/platforms/rpi3bplus.conf"'

# A TA for the simulator, as OP-TEE's dev kit makes one: its descriptor
# (sim/ta/ta_header.c compiled with the TA's user_ta_header_defines.h),
# with the code size measured from the TA's objects (size(1): text +
# data + bss; data + bss also as the static data all instances share).
#
#   $(eval $(call sim_ta,NAME,INCLUDE_DIRS,TA_OBJECTS))
#
# gives $(B)/obj/sim_ta/NAME.o, the descriptor sim_ta_desc_NAME, and
# SIM_TA_OBJS_NAME = that object and the TA's. Link them into a program
# with libsim.a. The TA's own objects are built with SECURE_CFLAGS and
# -Isim/include by the caller, like a real TA's.
SIM_SIZE := $(CROSS)size
define sim_ta
$(B)/gen/sim_ta/$(1)/ta_size.h: $(3)
	@mkdir -p $$(@D)
	$(SIM_SIZE) -t $(3) | awk 'END { \
		print "#define SIM_TA_CODE_SIZE " $$$$4 "u"; \
		print "#define SIM_TA_STATIC_RW_SIZE " $$$$2 + $$$$3 "u" }' >$$@
$(B)/obj/sim_ta/$(1).o: sim/ta/ta_header.c $(B)/gen/sim_ta/$(1)/ta_size.h
	@mkdir -p $$(@D)
	$$(CC) $$(SECURE_CFLAGS) -Isim/include $(addprefix -I,$(2)) \
		-I$(B)/gen/sim_ta/$(1) -include ta_size.h \
		-DSIM_TA_DESC=sim_ta_desc_$(1) -DSIM_TA_NAME='"$(1)"' \
		-c -o $$@ $$<
SIM_TA_OBJS_$(1) := $(B)/obj/sim_ta/$(1).o $(3)
endef
