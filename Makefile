# Smart-Zone: one Makefile for every room.
#
# Builds are out of tree, one folder per flavour:
#   build/host/      x86-64, the default
#   build/aarch64/   gcc-aarch64-linux-gnu; tests run under qemu-aarch64
#   build/board/     aarch64 smartzone for a real OP-TEE (libteec)
#   build/coverage/  host with --coverage (make coverage)
#   build/sanitize/  host with ASan + UBSan (make sanitize)
#   build/bench/     host with -march=native (make bench, make verify-math)
#   build/fuzz/      clang with libFuzzer, ASan and UBSan (make fuzz; fuzz/build.sh)
#   build/fuzz-afl/  the same targets for AFL++ (make fuzz-afl)
#   build/fuzz-cov/  the same with clang's source-based coverage
#                    (make fuzz-coverage)
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
# The fuzz targets (fuzz/module.mk): every room compiled with the fuzzing
# compiler and its flags, as OSS-Fuzz's $CC and $CFLAGS give them
# (fuzz/build.sh passes them in as FUZZ_CC and FUZZ_CFLAGS), the targets
# linked with $LIB_FUZZING_ENGINE.
ifneq ($(filter fuzz fuzz-afl fuzz-cov,$(FLAVOR)),)
FUZZ_CC ?= clang-14
FUZZ_CFLAGS ?= -fsanitize=address,undefined,fuzzer-no-link \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
LIB_FUZZING_ENGINE ?= -fsanitize=fuzzer
CC := $(FUZZ_CC)
OPT := -O1
INSTRUMENT := $(FUZZ_CFLAGS) -DTL_INSTRUMENTED_BUILD
endif

WARNINGS := -Wall -Wextra -Werror
# In the fuzz flavours warnings stay warnings: a cluster's newer clang may
# know more of them (the host and aarch64 builds hold the same sources to
# -Werror).
ifneq ($(filter fuzz fuzz-afl fuzz-cov,$(FLAVOR)),)
WARNINGS := -Wall -Wextra
endif
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
include memmodel/module.mk
include tests/memmodel/module.mk
include sim/module.mk
include ta/module.mk
include sim/unicorn/module.mk
include tests/sim/module.mk
include tests/ta/module.mk
include tests/client/module.mk
# tools/ last: its programs link the other rooms' libraries
include tools/module.mk
include tests/tools/module.mk
include fuzz/module.mk
include tests/corpus/module.mk
include tests/generated/module.mk
include tests/unicorn/module.mk
include tests/bench/module.mk

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/lib/%.a:
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# ---- Inner targets: one flavour ($(FLAVOR)) ----
.PHONY: libs tests programs benches guests
libs: $(LIBS)
tests: $(addprefix $(B)/bin/,$(TESTS) $(HOST_ONLY_TESTS))
programs: $(addprefix $(B)/bin/,$(PROGRAMS)) $(GUESTS)
# The guests the Unicorn runner loads (FLAVOR=aarch64: build/aarch64/guest/)
guests: $(GUESTS)
benches: $(addprefix $(B)/bin/,$(BENCHES))

# ---- Top-level targets ----
# Seconds each fuzz target runs in make check and make fuzz.
FUZZ_SECONDS ?= 60

.PHONY: all demo cross board qemu-check check coverage sanitize bench \
	verify-math deps clean fuzz fuzz-afl fuzz-coverage fuzz-seeds corpus \
	generate-check verify mlperf-models reference-nets

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
# Python tests, each fuzz target for FUZZ_SECONDS (60, two at a time), and
# the QEMU validation (qemu-check). The last line is
# the count over all of them.
check:
	@ci/deps.sh check
	$(MAKE) FLAVOR=host libs programs benches tests
	$(MAKE) FLAVOR=aarch64 libs programs tests
	$(MAKE) FLAVOR=bench $(addprefix build/bench/bin/,$(NATIVE_TESTS))
	fuzz/build.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) UNICORN_TESTS="$(UNICORN_TESTS)" \
		UNICORN_CHECK_MODELS="$(UNICORN_CHECK_MODELS)" \
		NATIVE_TESTS="$(NATIVE_TESTS)" ci/check.sh $(TESTS)

# Every sample model under the Unicorn runner (sim/unicorn/, docs/unicorn.md):
# the TA's aarch64 code in the address space its plan's tables map, each
# rule held, strict output bit-identical to the host's; and the broken
# guests caught. make check runs the same on UNICORN_CHECK_MODELS.
verify:
	@ci/deps.sh verify
	$(MAKE) FLAVOR=aarch64 guests
	$(MAKE) FLAVOR=host build/host/bin/smartzone \
		$(addprefix build/host/bin/,$(UNICORN_TESTS))
	rm -f build/verify-results.txt
	ci/run-tests.sh unicorn build/verify-results.txt "" \
		$(addprefix build/host/bin/,$(UNICORN_TESTS))
	ci/summary.sh build/verify-results.txt

# The import's whole reference suite (tests/onnx/test_reference_nets.py
# with SZ_LONG=1): torchvision's larger mobile networks too, each
# exported, converted, planned on both boards and run in the simulated
# TEE against PyTorch; ends with the figures table of docs/onnx.md. The
# packages are make check's.
reference-nets:
	@ci/deps.sh check
	$(MAKE) FLAVOR=host build/host/bin/tlmrun build/host/bin/smartzone
	rm -f build/reference-nets-results.txt
	SZ_LONG=1 ci/run-tests.sh python build/reference-nets-results.txt \
		/usr/bin/python3 tests/onnx/test_reference_nets.py
	ci/summary.sh build/reference-nets-results.txt

# Ten thousand generated models through the whole oracle on the host,
# every 20th of them again under qemu-aarch64, bit for bit
# (ci/generate-check.sh, docs/generated-models.md); the packages are
# make check's. GENERATE_COUNT sets how many.
GENERATE_COUNT ?= 10000
generate-check:
	@ci/deps.sh check
	$(MAKE) FLAVOR=host build/host/bin/test_generated_models
	$(MAKE) FLAVOR=aarch64 build/aarch64/bin/test_generated_models
	ci/generate-check.sh $(GENERATE_COUNT)

coverage:
	@ci/deps.sh coverage
	$(MAKE) FLAVOR=aarch64 guests
	$(MAKE) FLAVOR=coverage tests
	UNICORN_TESTS="$(UNICORN_TESTS)" \
		UNICORN_CHECK_MODELS="$(UNICORN_CHECK_MODELS)" ci/coverage.sh $(TESTS)

sanitize:
	@ci/deps.sh sanitize
	$(MAKE) FLAVOR=sanitize tests
	rm -f build/sanitize/results.txt	# this run's results only
	ci/run-tests.sh sanitize build/sanitize/results.txt "" \
		$(addprefix build/sanitize/bin/,$(TESTS))
	ci/summary.sh build/sanitize/results.txt

# Tinylibm against glibc, MLPerf Tiny's networks through the simulated
# TEE, then the report of ci/bench.sh (docs/bench.md): S-Tinylib beside
# Darknet's algorithm and onnxruntime, memory, provisioning, Smart-Zone
# against the baseline. QUICK=1: the report's quick set alone (make
# check's bench phase runs the same).
QUICK ?=
bench:
	@ci/deps.sh bench
ifeq ($(filter-out 0,$(QUICK)),)
	$(MAKE) FLAVOR=aarch64 guests	# bench_mlperf's A53 estimate
endif
	$(MAKE) FLAVOR=bench benches build/bench/bin/smartzone
ifeq ($(filter-out 0,$(QUICK)),)
	@for b in bench_tinylibm bench_open bench_mlperf; do build/bench/bin/$$b || exit 1; done
	@echo "secure-side code lines (cloc):"
	@ci/tcb-lines.sh
endif
	BENCH_QUICK=$(filter-out 0,$(QUICK)) ci/bench.sh

# The fuzz targets (fuzz/, docs/fuzzing.md) built for libFuzzer with
# clang, ASan and UBSan (fuzz/build.sh, as a fuzzing cluster builds them)
# and each run for FUZZ_SECONDS; the last line counts the targets that
# ran clean.
fuzz:
	@ci/deps.sh fuzz
	fuzz/build.sh
	rm -f build/fuzz/results.txt
	ci/fuzz.sh build/fuzz/results.txt $(FUZZ_SECONDS)
	ci/summary.sh build/fuzz/results.txt

# The same targets built with AFL++'s compiler and its libFuzzer driver;
# with FUZZ_SECONDS given, each then runs that long under afl-fuzz.
fuzz-afl:
	@ci/deps.sh fuzz-afl
	FUZZ_FLAVOR=fuzz-afl CC=afl-clang-fast \
		CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
		LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a \
		OUT=build/fuzz-afl/out fuzz/build.sh
ifneq ($(origin FUZZ_SECONDS),file)
	rm -f build/fuzz-afl/results.txt
	FUZZ_ENGINE=afl ci/fuzz.sh build/fuzz-afl/results.txt $(FUZZ_SECONDS)
	ci/summary.sh build/fuzz-afl/results.txt
endif

# The line coverage each fuzz target's corpus reaches in the code it
# tests (clang's source-based coverage, ci/fuzz-coverage.sh).
fuzz-coverage:
	@ci/deps.sh fuzz
	ci/fuzz-coverage.sh

# Writes the binary part of the corpus of malformed inputs
# (tests/corpus/) anew.
corpus:
	@ci/deps.sh demo
	$(MAKE) FLAVOR=host build/host/bin/make_corpus
	build/host/bin/make_corpus

# Writes the MLPerf Tiny networks and the activity network of
# models/mlperf/ anew from PyTorch (seeded weights; the same bytes on one
# machine: tests/onnx/test_mlperf_models.py), with python3-torch.
mlperf-models:
	/usr/bin/python3 tools/mlperf_models.py

# Writes the seed corpora (fuzz/corpus/) anew from their sources.
fuzz-seeds:
	@ci/deps.sh demo
	$(MAKE) FLAVOR=host build/host/bin/fuzz_seeds
	build/host/bin/fuzz_seeds

verify-math:
	@ci/deps.sh verify-math
	$(MAKE) FLAVOR=host programs
	build/host/bin/verify_math

# Every package every target needs.
deps:
	@ci/deps.sh demo check coverage sanitize bench verify-math verify qemu fuzz-afl

clean:
	rm -rf build
