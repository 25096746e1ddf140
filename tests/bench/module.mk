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
