# Benchmarks (make bench): built in the bench flavour, -O2 -march=native.
# (Included after tools/: bench_mlperf links smartzone's commands.)
$(B)/obj/tests/bench/%.o: CFLAGS = $(NORMAL_CFLAGS) -ffp-contract=fast -Itinylibm/include \
	-Itinylib/normal/include -Itinylib/secure/include

BENCHES += bench_tinylibm bench_models bench_open
$(eval $(call link,bench_tinylibm,\
	$(call objects,tests/bench/bench_tinylibm.c) $(TINYLIBM_LIB),-lm))
$(eval $(call link,bench_models,$(call objects,tests/bench/bench_models.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))
$(eval $(call link,bench_open,$(call objects,tests/bench/bench_open.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))

# The networks of models/mlperf/ through smartzone run's session (the
# simulated TEE, the plan, the cost model) and the A53 estimate.
BENCHES += bench_mlperf
$(B)/obj/tests/bench/bench_mlperf.o: CFLAGS += -Itools/smartzone \
	-Imemmodel/include -Isim/include -Isim/cost/include -Ita/include \
	-Isim/unicorn/include
$(eval $(call link,bench_mlperf,$(call objects,tests/bench/bench_mlperf.c) \
	$(SMARTZONE_CMD_OBJS) $(SMARTZONE_LIBS),$(SMARTZONE_LDLIBS)))

# S-Tinylib strict and fast, Darknet's algorithm and onnxruntime (a node
# coprocess) interleaved on one core (ci/bench.sh, docs/bench.md).
# Darknet's algorithm is built with Darknet's own -Ofast (its Makefile's
# OPTS), as Darknet is.
BENCHES += bench_engines
$(B)/obj/tests/bench/darknet_algo.o: CFLAGS += -Ofast
$(eval $(call link,bench_engines,$(call objects,tests/bench/bench_engines.c \
	tests/bench/bench_engine_set.c tests/bench/bench_layers.c \
	tests/bench/bench_loading.c \
	tests/bench/bench_report_json.c tests/bench/darknet_algo.c \
	tests/bench/ort_client.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))

# Provisioning time against the shared-memory window, the points and the
# fit smartzone plan makes (tools/smartzone/shm_points.h).
BENCHES += bench_window
$(B)/obj/tests/bench/bench_window.o: CFLAGS += -Itools/smartzone \
	-Imemmodel/include -Isim/include -Isim/cost/include -Ita/include
$(eval $(call link,bench_window,$(call objects,tests/bench/bench_window.c) \
	$(SMARTZONE_CMD_OBJS) $(SMARTZONE_LIBS),$(SMARTZONE_LDLIBS)))
