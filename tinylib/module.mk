# N-Tinylib: libtinylib_normal.a, the normal-side library (Darknet reader).
TINYLIB_NORMAL_SRCS := $(wildcard tinylib/normal/src/*.c)
TINYLIB_NORMAL_LIB := $(B)/lib/libtinylib_normal.a
LIBS += $(TINYLIB_NORMAL_LIB)

$(TINYLIB_NORMAL_LIB): $(call objects,$(TINYLIB_NORMAL_SRCS))
$(B)/obj/tinylib/normal/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itinylib/normal/include
