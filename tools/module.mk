# Command-line programs.
$(B)/obj/tools/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itinylib/normal/include \
	-Itinylib/secure/include -Itinylibm/include

PROGRAMS += darknet2tlm
$(eval $(call link,darknet2tlm,$(call objects,tools/darknet2tlm.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))

# smartzone: the command-line program (tools/smartzone/, one file per
# command). It finds platform files and the ONNX converter in the source
# tree by default, and runs the Smart-Zone TA in the simulated TEE: it
# links the TA ($(SZ_TA_OBJS), ta/module.mk), libsim.a and mbedTLS.
SMARTZONE_SRCS := $(wildcard tools/smartzone/*.c)
$(B)/obj/tools/smartzone/%.o: CFLAGS = $(NORMAL_CFLAGS) \
	-Itinylib/normal/include -Itinylib/secure/include -Itinylibm/include \
	-Imemmodel/include -Isim/include -Ita/include \
	-DSZ_PLATFORM_DIR='"$(CURDIR)/memmodel/platforms"' \
	-DSZ_TOOLS_DIR='"$(CURDIR)/tools"' -DSZ_ZOO_DIR='"$(CURDIR)/models/zoo"'
# What a program with smartzone's commands links after their objects.
SMARTZONE_LIBS := $(TINYLIB_NORMAL_LIB) $(SZ_TA_OBJS) $(SIM_LIB) \
	$(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB) $(MEMMODEL_LIB)
PROGRAMS += smartzone
$(eval $(call link,smartzone,$(call objects,$(SMARTZONE_SRCS)) \
	$(SMARTZONE_LIBS),-lm $(SIM_LDLIBS)))

PROGRAMS += tlmrun
$(eval $(call link,tlmrun,$(call objects,tools/tlmrun.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))
