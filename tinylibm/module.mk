# Tinylibm: libtinylibm.a, freestanding.
TINYLIBM_SRCS := $(wildcard tinylibm/src/*.c)
TINYLIBM_LIB := $(B)/lib/libtinylibm.a
LIBS += $(TINYLIBM_LIB)

$(TINYLIBM_LIB): $(call objects,$(TINYLIBM_SRCS))
$(B)/obj/tinylibm/%.o: CFLAGS = $(SECURE_CFLAGS) -Itinylibm/include
