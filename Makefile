# Smart-Zone: one Makefile for every room.
#
# Builds are out of tree, one folder per flavour:
#   build/host/      x86-64, the default
#   build/aarch64/   gcc-aarch64-linux-gnu; tests run under qemu-aarch64
#   build/board/     aarch64 smartzone for a real OP-TEE (libteec)
#   build/coverage/  host with --coverage (make coverage)
#   build/sanitize/  host with ASan + UBSan (make sanitize)
#   build/bench/     host with -march=native (make bench, make verify-math)
# Each room adds its libraries, programs and tests in its own module.mk.
# The top-level targets below run the inner ones for the flavours they need.

FLAVOR ?= host
B := build/$(FLAVOR)

ifneq ($(filter aarch64 board,$(FLAVOR)),)
CROSS := aarch64-linux-gnu-
endif
# board: the normal-world programs for a real OP-TEE (aarch64), against
# the system's tee_client_api.h and libteec (optee-client-dev:arm64)
# instead of the simulator's.
ifeq ($(FLAVOR),board)
TEE_CLIENT_API_CFLAGS :=
endif
CC := $(CROSS)gcc
AR := $(CROSS)ar
NM := $(CROSS)nm

OPT := -O2
INSTRUMENT :=
ifeq ($(FLAVOR),coverage)
OPT := -O0
INSTRUMENT := --coverage -DTL_INSTRUMENTED_BUILD
endif
ifeq ($(FLAVOR),sanitize)
OPT := -O1
INSTRUMENT := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -DTL_INSTRUMENTED_BUILD
endif
ifeq ($(FLAVOR),bench)
OPT := -O2 -march=native
endif

WARNINGS := -Wall -Wextra -Werror
COMMON_CFLAGS := -std=c11 $(WARNINGS) $(OPT) -g -MMD -MP $(INSTRUMENT)
# The secure side (tinylibm/, tinylib/secure/, ta/) has no libc and must
# give the same bits on every machine: no builtins that may become libc
# calls, no errno, no fused multiply-add.
SECURE_CFLAGS := $(COMMON_CFLAGS) -ffreestanding -fno-builtin \
	-fno-math-errno -ffp-contract=off -fno-common
# The normal side, tools and tests.
NORMAL_CFLAGS := $(COMMON_CFLAGS) -D_GNU_SOURCE
LDFLAGS := $(INSTRUMENT)
TEST_LDLIBS := -lcmocka -lm -lpthread

TESTS :=
PROGRAMS :=
BENCHES :=

# $(call objects,sources): the object files of sources in this flavour.
objects = $(patsubst %.c,$(B)/obj/%.o,$(1))

# $(call link,program,objects and libraries,extra libraries)
define link
$(B)/bin/$(1): $(2)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $$(filter %.a,$$^) $(3)
endef

include tinylibm/module.mk
include tests/tinylibm/module.mk
include tinylib/module.mk
include tests/tinylib/module.mk
include tests/bench/module.mk
include memmodel/module.mk
include tests/memmodel/module.mk
include sim/module.mk
include tests/sim/module.mk
include ta/module.mk
include tests/ta/module.mk
include tests/client/module.mk
# tools/ last: its programs link the other rooms' libraries
include tools/module.mk
include tests/tools/module.mk

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/lib/%.a:
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# ---- Inner targets: one flavour ($(FLAVOR)) ----
.PHONY: libs tests programs benches
libs: $(LIBS)
tests: $(addprefix $(B)/bin/,$(TESTS))
programs: $(addprefix $(B)/bin/,$(PROGRAMS))
benches: $(addprefix $(B)/bin/,$(BENCHES))

# ---- Top-level targets ----
.PHONY: all demo cross board qemu-check check coverage sanitize bench \
	verify-math deps clean

all:
	@ci/deps.sh check
	$(MAKE) FLAVOR=host libs programs tests

# The bundled digits model on its sample images in the TA, through the
# simulated TEE (ci/demo.sh says what it prints).
demo:
	@ci/deps.sh demo
	$(MAKE) FLAVOR=host build/host/bin/smartzone
	ci/demo.sh

cross:
	@ci/deps.sh check
	$(MAKE) FLAVOR=aarch64 libs programs tests

# smartzone for a board or QEMU running OP-TEE: build/board/bin/smartzone.
board:
	@ci/deps.sh board
	$(MAKE) FLAVOR=board build/board/bin/smartzone

# The final validation on QEMU-armv8 under a real OP-TEE and TF-A, built
# out of tree from ../shared/optee or $$SMARTZONE_OPTEE_DIR (docs/qemu.md);
# QEMU_CHECK_ARGS=--full validates every sample model. make check runs it
# as its last phase.
qemu-check:
	@ci/deps.sh qemu
	rm -f build/qemu-results.txt
	/usr/bin/python3 ci/qemu/qemu_check.py --results build/qemu-results.txt \
		$(QEMU_CHECK_ARGS); ci/summary.sh build/qemu-results.txt

# Builds everything (benchmarks too, so they always compile), then runs
# every test on the host, the same tests built for aarch64 under
# qemu-aarch64, valgrind memcheck of the host tests, the converter's
# Python tests, and the QEMU validation (qemu-check). The last line is
# the count over all of them.
check:
	@ci/deps.sh check
	$(MAKE) FLAVOR=host libs programs benches tests
	$(MAKE) FLAVOR=aarch64 libs programs tests
	ci/check.sh $(TESTS)

coverage:
	@ci/deps.sh coverage
	$(MAKE) FLAVOR=coverage tests
	ci/coverage.sh $(TESTS)

sanitize:
	@ci/deps.sh sanitize
	$(MAKE) FLAVOR=sanitize tests
	ci/run-tests.sh sanitize build/sanitize/results.txt "" \
		$(addprefix build/sanitize/bin/,$(TESTS))
	ci/summary.sh build/sanitize/results.txt

bench:
	@ci/deps.sh bench
	$(MAKE) FLAVOR=bench benches
	@for b in $(BENCHES); do build/bench/bin/$$b || exit 1; done
	@echo "secure-side code lines (cloc):"
	@ci/tcb-lines.sh

verify-math:
	@ci/deps.sh verify-math
	$(MAKE) FLAVOR=host programs
	build/host/bin/verify_math

# Every package every target needs.
deps:
	@ci/deps.sh demo check coverage sanitize bench verify-math qemu

clean:
	rm -rf build
