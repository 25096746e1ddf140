/*
 * Provisioning time against shared-memory window size, for make bench's
 * plot: each model provisioned through the simulated TA at every window
 * smartzone plan tries (4 KiB doubled up to the static shared memory),
 * its counted transfers costed for the board (sz_shm_points_counted,
 * what smartzone plan fits), then the plan made from those points as
 * smartzone plan makes it: the exponential fit T(w) = a + b exp(-w/c)
 * (mm_shm_fit.h) and the window it chooses. JSON on standard output.
 *
 *   bench_window [--platform NAME] MODEL.tlm...     (from the root)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_needs.h"
#include "platform_path.h"
#include "shm_points.h"

/* s as a JSON string's contents: quotes and backslashes left out. */
static void json_text(FILE *out, const char *s)
{
	for (; *s; s++)
		if (*s != '"' && *s != '\\' && (unsigned char)*s >= 0x20)
			fputc(*s, out);
}

/* smartzone plan's window_points and make_plan for one session. */
static int window(const char *platform, const struct mm_platform *p,
		  const char *path, FILE *out, int first, char *err,
		  size_t err_len)
{
	uint8_t *blob = NULL;
	size_t size = 0, n = 0;
	struct sz_model_needs needs;
	static struct mm_plan layout, pl;
	struct mm_shm_point pts[SIM_COST_SHM_MAX_POINTS];
	char conf[4096], name[256];
	sz_platform_path(platform, conf, sizeof conf);
	if (sz_model_blob(path, NULL, &blob, &size, err, err_len) ||
	    sz_model_needs_blob(path, blob, size, &needs, err, err_len)) {
		free(blob);
		return -1;
	}
	struct mm_plan_input in = sz_model_plan_input(&needs, p, 1);
	int rc = mm_plan(&in, &layout, err, err_len) ||
		 sz_shm_points_counted(p, conf, &layout, blob, size,
				       needs.arena, pts,
				       SIM_COST_SHM_MAX_POINTS, &n, err,
				       err_len);
	free(blob);
	if (rc)
		return -1;
	in.shm_points = pts;
	in.n_shm_points = n;
	in.shm_source = "the simulator's counted transfers";
	if (mm_plan(&in, &pl, err, err_len))
		return -1;
	sz_model_name(path, name, sizeof name);
	fprintf(out, "%s\n  {\"name\": \"%s\", \"bytes\": %zu, \"window\": %llu, "
		"\"rule\": \"%s\", \"points\": [", first ? "" : ",", name, size,
		(unsigned long long)pl.shm_window,
		pl.shm_fit_applied ? "fit" : "points");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s[%.0f, %.9g]", i ? ", " : "", pts[i].w, pts[i].t);
	fprintf(out, "],\n   \"fit\": ");
	if (pl.shm_fit_applied)
		fprintf(out, "{\"a\": %.9g, \"b\": %.9g, \"c\": %.9g, "
			"\"r2\": %.6f}", pl.shm_fit.a, pl.shm_fit.b,
			pl.shm_fit.c, pl.shm_fit.r2);
	else {
		fprintf(out, "null, \"fit_not_applied\": \"");
		json_text(out, pl.shm_fit_skipped);
		fprintf(out, "\"");
	}
	fprintf(out, "}");
	return 0;
}

int main(int argc, char **argv)
{
	const char *platform = "rpi3bplus";
	int i = 1;
	if (argc > 2 && strcmp(argv[1], "--platform") == 0) {
		platform = argv[2];
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: bench_window [--platform NAME] "
			"MODEL.tlm...\n");
		return 2;
	}
	char err[1024];
	struct mm_platform p;
	if (sz_platform_load(platform, &p, err, sizeof err)) {
		fprintf(stderr, "bench_window: %s\n", err);
		return 1;
	}
	if (!p.has_cost) {
		fprintf(stderr, "bench_window: %s has no cost figures: nothing "
			"to cost the transfers with\n", platform);
		return 1;
	}
	printf("{\"platform\": \"%s\", \"time_unit\": \"s, modelled for the "
	       "board\", \"window_unit\": \"bytes\",\n \"models\": [", p.name);
	for (int first = 1; i < argc; i++, first = 0)
		if (window(platform, &p, argv[i], stdout, first, err,
			   sizeof err)) {
			fprintf(stderr, "bench_window: %s: %s\n", argv[i], err);
			return 1;
		}
	printf("\n ]}\n");
	return 0;
}
