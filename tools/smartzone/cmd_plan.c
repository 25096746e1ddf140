/*
 * smartzone plan: from a model and a platform, the secure memory, TZDRAM
 * layout, translation tables, shared-memory window and OP-TEE settings,
 * checked against the invariants (memmodel/), written for people, for
 * tools and for OP-TEE's build.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "commands.h"
#include "model_needs.h"
#include "mm_plan_report.h"
#include "platform_path.h"
#include "shm_points.h"

static const char usage_text[] =
"usage: smartzone plan --platform NAME|FILE.conf [options] MODEL [WEIGHTS]\n"
"\n"
"MODEL is a .tlm, or a Darknet .cfg (with its .weights, or without: the\n"
"sizes do not depend on the values). NAME is a file in the platform\n"
"directory (" SZ_PLATFORM_DIR_HELP "): rpi3bplus, qemu_armv8a.\n"
"\n"
"options:\n"
"  --sessions N      sessions open at once, each its own TA instance (1)\n"
"  --tee-core BYTES  CFG_TEE_RAM_VA_SIZE (default: the platform's)\n"
"  --shrink          let TZDRAM end below today's size\n"
"  --tolerance F     shared-memory window within F of the asymptote (0.05)\n"
"  --json            print JSON instead of text\n"
"  --out DIR         also write DIR/plan.txt, plan.json, conf.mk,\n"
"                    user_ta_header_defines.h and memory-map.svg\n";

struct plan_args {
	const char *platform, *model, *weights, *out_dir;
	unsigned sessions;
	uint64_t tee_core;
	double tolerance;
	bool shrink, json;
};

static int bad_usage(const char *fmt, const char *what)
{
	return sz_bad_usage("plan", usage_text, fmt, what);
}

static bool takes_value(const char *o)
{
	static const char *const with_value[] = { "--platform", "--out",
		"--sessions", "--tee-core", "--tolerance" };
	for (size_t i = 0; i < sizeof with_value / sizeof *with_value; i++)
		if (!strcmp(o, with_value[i]))
			return true;
	return false;
}

static int parse_args(int argc, char **argv, struct plan_args *a)
{
	*a = (struct plan_args){ .sessions = 1 };
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;
		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			fputs(usage_text, stdout);
			return -1;
		} else if (!strcmp(o, "--json")) {
			a->json = true;
		} else if (!strcmp(o, "--shrink")) {
			a->shrink = true;
		} else if (takes_value(o) && !v) {
			return bad_usage("%s needs a value", o);
		} else if (!strcmp(o, "--platform")) {
			a->platform = argv[++i];
		} else if (!strcmp(o, "--out")) {
			a->out_dir = argv[++i];
		} else if (!strcmp(o, "--sessions")) {
			if (!sz_parse_u64(argv[++i], &n) || !n || n > 64)
				return bad_usage("--sessions %s: expected 1 to "
						 "64", v);
			a->sessions = (unsigned)n;
		} else if (!strcmp(o, "--tee-core")) {
			if (!sz_parse_u64(argv[++i], &a->tee_core))
				return bad_usage("--tee-core %s: expected a "
						 "size in bytes", v);
		} else if (!strcmp(o, "--tolerance")) {
			char *end;
			a->tolerance = strtod(argv[++i], &end);
			if (*end || !(a->tolerance > 0 && a->tolerance < 1))
				return bad_usage("--tolerance %s: expected a "
						 "fraction between 0 and 1", v);
		} else if (o[0] == '-') {
			return bad_usage("unknown option %s", o);
		} else if (!a->model) {
			a->model = o;
		} else if (!a->weights) {
			a->weights = o;
		} else {
			return bad_usage("unexpected argument %s", o);
		}
	}
	if (!a->platform)
		return bad_usage("%s", "--platform is required");
	if (!a->model)
		return bad_usage("%s", "a MODEL is required");
	return 0;
}

typedef int (*writer)(FILE *, const struct mm_platform *,
		      const struct mm_plan *, const char *);

static int write_one(const char *dir, const char *file, writer w,
		     const struct mm_platform *p, const struct mm_plan *pl,
		     const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *f = fopen(path, "w");
	int bad = !f || w(f, p, pl, name);
	if (f && fclose(f))
		bad = 1;
	if (bad)
		fprintf(stderr, "smartzone plan: %s: %s\n", path,
			strerror(errno));
	return bad;
}

static int write_outputs(const char *dir, const struct mm_platform *p,
			 const struct mm_plan *pl, const char *name)
{
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "smartzone plan: %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	return write_one(dir, "plan.txt", mm_plan_write_text, p, pl, name) ||
	       write_one(dir, "plan.json", mm_plan_write_json, p, pl, name) ||
	       write_one(dir, "conf.mk", mm_plan_write_conf_mk, p, pl,
			 name) ||
	       write_one(dir, "user_ta_header_defines.h",
			 mm_plan_write_ta_header, p, pl, name) ||
	       write_one(dir, "memory-map.svg", mm_plan_write_svg, p, pl,
			 name);
}

/* The transfer points for the window: counted by provisioning the model
 * (blob) through the simulated TA at every window, or, for an encrypted
 * model (which only its device can open), modelled from the same law
 * for its needs->file_size bytes; costed for the board. layout is a plan
 * of the model (any window) to run it in. */
static int window_points(const char *platform, const struct mm_platform *p,
			 const struct mm_plan *layout, const uint8_t *blob,
			 size_t size, const struct sz_model_needs *needs,
			 struct mm_shm_point *pts, size_t *n, char *source,
			 size_t source_len, char *err, size_t err_len)
{
	char path[4096];
	sz_platform_path(platform, path, sizeof path);
	snprintf(source, source_len, "%s, costed for %s", needs->encrypted
		 ? "the cost model's transfer counters (the model is "
		   "encrypted)" : "the simulator's counted transfers", p->name);
	if (needs->encrypted)
		return sz_shm_points_modelled(p, needs->file_size, pts,
					      SIM_COST_SHM_MAX_POINTS, n, err,
					      err_len);
	return sz_shm_points_counted(p, path, layout, blob, size,
				     needs->arena, pts,
				     SIM_COST_SHM_MAX_POINTS, n, err, err_len);
}

enum { PLAN_OK, PLAN_REFUSED, PLAN_NO_POINTS };

/* The plan: with the platform's cost figures, the window is fitted to
 * the simulator's points; without them, to the provisional table. */
static int make_plan(const struct plan_args *a, const struct mm_platform *p,
		     const uint8_t *blob, size_t size,
		     const struct sz_model_needs *needs, struct mm_plan *pl,
		     char *err, size_t err_len)
{
	struct mm_plan_input in = sz_model_plan_input(needs, p, a->sessions);
	in.tee_core = a->tee_core;
	in.allow_shrink = a->shrink;
	in.shm_tolerance = a->tolerance;
	if (mm_plan(&in, pl, err, err_len))
		return PLAN_REFUSED;
	if (!p->has_cost)
		return PLAN_OK;
	struct mm_shm_point pts[SIM_COST_SHM_MAX_POINTS];
	char source[128];
	if (window_points(a->platform, p, pl, blob, size, needs, pts,
			  &in.n_shm_points, source, sizeof source, err,
			  err_len))
		return PLAN_NO_POINTS;
	in.shm_points = pts;
	in.shm_source = source;
	return mm_plan(&in, pl, err, err_len) ? PLAN_REFUSED : PLAN_OK;
}

int sz_cmd_plan(int argc, char **argv)
{
	struct plan_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	char err[1024], name[256];
	struct mm_platform p;
	if (sz_platform_load(a.platform, &p, err, sizeof err)) {
		fprintf(stderr, "smartzone plan: %s\n", err);
		return 1;
	}
	uint8_t *blob = NULL;
	size_t size = 0;
	struct sz_model_needs needs;
	if (sz_model_blob(a.model, a.weights, &blob, &size, err, sizeof err) ||
	    sz_model_needs_blob(a.model, blob, size, &needs, err,
				sizeof err)) {
		fprintf(stderr, "smartzone plan: %s\n", err);
		free(blob);
		return 1;
	}
	sz_model_name(a.model, name, sizeof name);
	static struct mm_plan pl;
	rc = make_plan(&a, &p, blob, size, &needs, &pl, err, sizeof err);
	free(blob);
	if (rc == PLAN_REFUSED)
		fprintf(stderr, "smartzone plan: %s on %s: refused: %s\n", name,
			p.name, err);
	else if (rc)
		fprintf(stderr, "smartzone plan: %s on %s: %s\n", name, p.name,
			err);
	if (rc)
		return 1;
	if (a.out_dir && write_outputs(a.out_dir, &p, &pl, name))
		return 1;
	rc = a.json ? mm_plan_write_json(stdout, &p, &pl, name)
		    : mm_plan_write_text(stdout, &p, &pl, name);
	return rc ? 1 : 0;
}
