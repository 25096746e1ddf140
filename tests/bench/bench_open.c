/*
 * Loading at the speed of memory (issue 15): tl_model_open (every table
 * and shape checked, the CRC over the whole file) on AlexNet's .tlm
 * (seeded weights, 238 MiB: the largest sample model, all of it weights)
 * against memcpy of the same blob on this host, one thread. Each figure
 * is the best of RUNS, the two measured alternately, so that a busy
 * machine slows both alike. A figure, not a test: nothing is asserted.
 *
 *   bench_open [MODEL.cfg]       (default models/zoo/alexnet.cfg)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_clock.h"
#include "tl_darknet_import.h"
#include "tl_engine.h"

#define RUNS 9

static double best(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "models/zoo/alexnet.cfg";
	char err[512];
	uint8_t *blob;
	size_t size;
	if (tl_darknet_convert_files(path, NULL, 1, &blob, &size, err, sizeof err)) {
		fprintf(stderr, "bench_open: %s\n", err);
		return 1;
	}
	uint8_t *copy = malloc(size);
	if (copy == NULL)
		return 1;
	memcpy(copy, blob, size);	/* every page touched before timing */
	double t_copy = 1e9, t_open = 1e9, t_crc = 1e9;
	for (int r = 0; r < RUNS; r++) {
		double t0 = bench_now();
		memcpy(copy, blob, size);
		double t1 = bench_now();
		struct tl_model m;
		struct tl_model_error e;
		if (tl_model_open(blob, size, &m, &e) != TL_OK) {
			fprintf(stderr, "bench_open: %s: %s\n", path, e.field);
			return 1;
		}
		double t2 = bench_now();
		tl_crc32(0, copy, size);	/* another unit: not elided */
		double t3 = bench_now();
		t_copy = best(t_copy, t1 - t0);
		t_open = best(t_open, t2 - t1);
		t_crc = best(t_crc, t3 - t2);
	}
	double copy_gbs = size / t_copy / 1e9, open_gbs = size / t_open / 1e9;
	printf("%s, %.2f MiB (best of %d, GB/s = 10^9 bytes/s)\n", path,
	       size / 1048576.0, RUNS);
	printf("  memcpy                 %6.2f GB/s\n", copy_gbs);
	printf("  tl_model_open          %6.2f GB/s  (%.0f%% of memcpy; %.1f ms)\n",
	       open_gbs, 100 * open_gbs / copy_gbs, t_open * 1e3);
	printf("  tl_crc32 alone         %6.2f GB/s\n", size / t_crc / 1e9);
	free(copy);
	free(blob);
	return 0;
}
