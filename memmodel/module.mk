# The memory model: libmemmodel.a (platform files, regions and the
# controller's decision, the shared-memory window fit). Normal side, libc.
MEMMODEL_SRCS := $(wildcard memmodel/src/*.c)
MEMMODEL_LIB := $(B)/lib/libmemmodel.a
LIBS += $(MEMMODEL_LIB)

$(MEMMODEL_LIB): $(call objects,$(MEMMODEL_SRCS))
$(B)/obj/memmodel/%.o: CFLAGS = $(NORMAL_CFLAGS) -Imemmodel/include
