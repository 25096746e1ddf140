# Command-line programs.
$(B)/obj/tools/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itinylib/normal/include \
	-Itinylib/secure/include -Itinylibm/include

PROGRAMS += darknet2tlm
$(eval $(call link,darknet2tlm,$(call objects,tools/darknet2tlm.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))

# smartzone: the command-line program (tools/smartzone/, one file per
# command). It finds platform files and the ONNX converter in the source
# tree by default. Two builds of it:
# - the host's (every flavour but board): the Smart-Zone TA run in the
#   simulated TEE, linking the TA ($(SZ_TA_OBJS), ta/module.mk), libsim.a
#   and mbedTLS;
# - the board's (FLAVOR=board, aarch64): run, keygen and encrypt beside a
#   real OP-TEE, through Debian's libteec (optee-client-dev:arm64; its
#   tee_client_api.h, so no -Isim/include), mbedTLS linked statically so
#   that a minimal root file system needs only libteec and libc.
# tee_sim.c and tee_board.c are the two sides of tee.h.
SMARTZONE_ALL_SRCS := $(wildcard tools/smartzone/*.c)
# verify and the A53 estimate (the Unicorn runner), where the host's
# libunicorn links
SMARTZONE_VERIFY_SRCS := tools/smartzone/cmd_verify.c \
	tools/smartzone/verify_print.c tools/smartzone/verify_run.c \
	tools/smartzone/verify_cut.c tools/smartzone/a53_run.c
SMARTZONE_BOARD_ONLY := tools/smartzone/tee_board.c \
	tools/smartzone/commands_board.c
SMARTZONE_HOST_ONLY := tools/smartzone/tee_sim.c \
	tools/smartzone/commands_host.c tools/smartzone/cmd_plan.c \
	tools/smartzone/cmd_compare.c tools/smartzone/cmd_convert.c \
	tools/smartzone/shm_points_counted.c $(wildcard tools/smartzone/compare_*.c) \
	$(SMARTZONE_VERIFY_SRCS)
SMARTZONE_DEFINES := -DSZ_PLATFORM_DIR='"$(CURDIR)/memmodel/platforms"' \
	-DSZ_TOOLS_DIR='"$(CURDIR)/tools"' -DSZ_ZOO_DIR='"$(CURDIR)/models/zoo"' \
	-DSZ_GUEST_DEFAULT='"$(CURDIR)/build/aarch64/guest/smartzone_ta.elf"'
ifeq ($(FLAVOR),board)
SMARTZONE_SRCS := $(filter-out $(SMARTZONE_HOST_ONLY),$(SMARTZONE_ALL_SRCS))
$(B)/obj/tools/smartzone/%.o: CFLAGS = $(NORMAL_CFLAGS) \
	-Itinylib/normal/include -Itinylib/secure/include -Itinylibm/include \
	-Imemmodel/include -Isim/cost/include -Ita/include $(SMARTZONE_DEFINES)
SMARTZONE_LIBS := $(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) \
	$(TINYLIBM_LIB) $(MEMMODEL_LIB) $(SIM_COST_LIB)
$(eval $(call link,smartzone,$(call objects,$(SMARTZONE_SRCS)) \
	$(SMARTZONE_LIBS),-lteec -l:libmbedcrypto.a -lm))
else
SMARTZONE_SRCS := $(filter-out $(SMARTZONE_BOARD_ONLY) \
	$(if $(SIM_UC_ENABLED),,$(SMARTZONE_VERIFY_SRCS)),$(SMARTZONE_ALL_SRCS))
$(B)/obj/tools/smartzone/%.o: CFLAGS = $(NORMAL_CFLAGS) \
	-Itinylib/normal/include -Itinylib/secure/include -Itinylibm/include \
	-Imemmodel/include -Isim/include -Isim/cost/include -Ita/include \
	-Isim/unicorn/include $(SMARTZONE_DEFINES) \
	$(if $(SIM_UC_ENABLED),-DSZ_WITH_UNICORN)
# What a program with smartzone's commands links after their objects
# (verify: the Unicorn runner, sim/unicorn/module.mk).
SMARTZONE_LIBS := $(TINYLIB_NORMAL_LIB) $(SZ_TA_OBJS) \
	$(if $(SIM_UC_ENABLED),$(SIM_UC_LIB) $(SIM_INSN_LIB)) $(SIM_LIB) \
	$(SIM_COST_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB) $(MEMMODEL_LIB)
SMARTZONE_LDLIBS := -lm $(SIM_LDLIBS) $(if $(SIM_UC_ENABLED),$(SIM_UC_LDLIBS))
PROGRAMS += smartzone
$(eval $(call link,smartzone,$(call objects,$(SMARTZONE_SRCS)) \
	$(SMARTZONE_LIBS),$(SMARTZONE_LDLIBS)))
endif

PROGRAMS += tlmrun
$(eval $(call link,tlmrun,$(call objects,tools/tlmrun.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))
