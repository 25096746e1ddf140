/*
 * Loading a model: tl_model_open's throughput (it checks the whole file,
 * CRC-32 included, before anything uses it) against memcpy's bandwidth
 * on a buffer of the same size, both on this core, median of a few runs.
 */
#ifndef BENCH_LOADING_H
#define BENCH_LOADING_H

#include <stddef.h>

struct bench_loading {
	size_t bytes;
	double open_s, memcpy_s;	/* medians */
};

/* 0, or -1 with a sentence in err. */
int bench_loading_measure(const char *tlm_path, struct bench_loading *out,
			  char *err, size_t err_len);

#endif
