# The Smart-Zone TA (ta/) for the host simulator: its objects built as a
# TA's are (the secure flags, the GlobalPlatform headers of sim/include,
# S-Tinylib's headers, and the warnings OP-TEE's dev kit turns on, here as
# errors), with S-Tinylib and Tinylibm, and its descriptor from
# ta/user_ta_header_defines.h (sim_ta, sim/module.mk). A program that
# opens the TA links $(SZ_TA_OBJS) with $(SIM_LIB) $(MEMMODEL_LIB) and
# $(SIM_LDLIBS); the descriptor is $(SZ_TA_DESC). ta/Makefile builds the
# same sources for a board with OP-TEE's TA dev kit (docs/ta.md).
SZ_TA_SRCS := $(wildcard ta/*.c)
# The dev kit's warnings (mk/compile.mk, WARNS=3) that -Wall -Wextra
# leave out.
DEVKIT_WARNINGS := -Wcast-align -Wfloat-equal -Wformat=2 -Winit-self \
	-Wmissing-declarations -Wmissing-prototypes -Wnested-externs \
	-Wpointer-arith -Wshadow -Wstrict-prototypes -Wswitch-default \
	-Wwrite-strings -Wredundant-decls -Wold-style-definition -Wundef
$(B)/obj/ta/%.o: CFLAGS = $(SECURE_CFLAGS) $(DEVKIT_WARNINGS) -Isim/include \
	-Ita/include $(SECURE_INCLUDES)
SZ_TA_CODE := $(call objects,$(SZ_TA_SRCS)) $(TINYLIB_SECURE_LIB) \
	$(TINYLIBM_LIB)
$(eval $(call sim_ta,smartzone,ta ta/include,$(SZ_TA_CODE)))
SZ_TA_OBJS := $(SIM_TA_OBJS_smartzone)
SZ_TA_DESC := sim_ta_desc_smartzone
