/* tl_model_open against memcpy (bench_loading.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_loading.h"
#include "bench_stats.h"
#include "tl_file.h"
#include "tl_model.h"

#define LOADING_RUNS 5

int bench_loading_measure(const char *tlm_path, struct bench_loading *out,
			  char *err, size_t err_len)
{
	uint8_t *blob;
	size_t size;
	if (tl_read_file(tlm_path, &blob, &size, err, err_len))
		return -1;
	void *copy = aligned_alloc(64, (size + 63) / 64 * 64);
	if (!copy) {
		snprintf(err, err_len, "%s: out of memory for a copy", tlm_path);
		free(blob);
		return -1;
	}
	memset(copy, 0, size);	/* its pages faulted in before timing */
	double open_t[LOADING_RUNS], copy_t[LOADING_RUNS];
	int rc = 0;
	for (int r = 0; r < LOADING_RUNS && rc == 0; r++) {
		struct tl_model m;
		struct tl_model_error e;
		double t0 = bench_now();
		rc = tl_model_open(blob, size, &m, &e) == TL_OK ? 0 : -1;
		open_t[r] = bench_now() - t0;
		t0 = bench_now();
		memcpy(copy, blob, size);
		copy_t[r] = bench_now() - t0;
		if (rc)
			snprintf(err, err_len, "%s: tl_model_open: %s", tlm_path,
				 tl_status_str(e.code));
	}
	out->bytes = size;
	out->open_s = bench_spread_of(open_t, LOADING_RUNS).median;
	out->memcpy_s = bench_spread_of(copy_t, LOADING_RUNS).median;
	free(copy);
	free(blob);
	return rc;
}
