# Command-line programs.
$(B)/obj/tools/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itinylib/normal/include \
	-Itinylib/secure/include -Itinylibm/include

PROGRAMS += darknet2tlm
$(eval $(call link,darknet2tlm,$(call objects,tools/darknet2tlm.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))

# smartzone: the command-line program (tools/smartzone/, one file per
# command). It finds platform files in the source tree by default.
SMARTZONE_SRCS := $(wildcard tools/smartzone/*.c)
$(B)/obj/tools/smartzone/%.o: CFLAGS = $(NORMAL_CFLAGS) \
	-Itinylib/normal/include -Itinylib/secure/include -Itinylibm/include \
	-Imemmodel/include -DSZ_PLATFORM_DIR='"$(CURDIR)/memmodel/platforms"'
PROGRAMS += smartzone
$(eval $(call link,smartzone,$(call objects,$(SMARTZONE_SRCS)) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB) \
	$(MEMMODEL_LIB),-lm))

PROGRAMS += tlmrun
$(eval $(call link,tlmrun,$(call objects,tools/tlmrun.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))
