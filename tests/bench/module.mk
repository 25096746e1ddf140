# Benchmarks (make bench): built in the bench flavour, -O2 -march=native.
$(B)/obj/tests/bench/%.o: CFLAGS = $(NORMAL_CFLAGS) -ffp-contract=fast -Itinylibm/include \
	-Itinylib/normal/include -Itinylib/secure/include

BENCHES += bench_tinylibm bench_models
$(eval $(call link,bench_tinylibm,\
	$(call objects,tests/bench/bench_tinylibm.c) $(TINYLIBM_LIB),-lm))
$(eval $(call link,bench_models,$(call objects,tests/bench/bench_models.c) \
	$(TINYLIB_NORMAL_LIB) $(TINYLIB_SECURE_LIB) $(TINYLIBM_LIB),-lm))
