# Benchmarks (make bench): built in the bench flavour, -O2 -march=native.
$(B)/obj/tests/bench/%.o: CFLAGS = $(NORMAL_CFLAGS) -Itinylibm/include

BENCHES += bench_tinylibm
$(eval $(call link,bench_tinylibm,\
	$(call objects,tests/bench/bench_tinylibm.c) $(TINYLIBM_LIB),-lm))
