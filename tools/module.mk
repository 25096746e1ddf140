# Command-line programs.
$(B)/obj/tools/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itinylib/normal/include \
	-Itinylib/secure/include -Itinylibm/include

PROGRAMS += darknet2tlm
$(eval $(call link,darknet2tlm,$(call objects,tools/darknet2tlm.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))
