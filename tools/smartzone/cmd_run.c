/*
 * smartzone run: a model provisioned into the Smart-Zone TA and run on
 * inputs, through the simulated TEE (the host build) or OP-TEE (the
 * board build, tee.h); prints the top-k and every call to the TEE, and
 * in the simulator the world switches, the time measured here beside the
 * board's modelled latency and energy, and whether every check held
 * (exit status 1 when one broke).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a53_run.h"
#include "args.h"
#include "commands.h"
#include "input.h"
#include "labels.h"
#include "platform_path.h"
#include "progress.h"
#include "run_print.h"
#include "run_session.h"
#include "tee.h"

static const char usage_text[] =
"usage: smartzone run [options] MODEL INPUT...\n"
"\n"
"MODEL is a .tlm, or a .tlme made by `smartzone encrypt` (then give its\n"
"key with --encrypted). Each INPUT is a PGM image (P2 or P5, grey, its\n"
"size the model's H x W; pixels become pixel / maxval) or raw float32\n"
"values, as many as the model's input holds (NCHW, little-endian).\n"
"The TA's memory is planned for the model and the platform first; the\n"
"model is provisioned once and every input runs on it.\n"
"\n"
"options:\n"
"  --platform NAME|FILE.conf  the board to plan and cost for (rpi3bplus;\n"
"                     names from " SZ_PLATFORM_DIR_HELP ")\n"
"  --layout planned|stock  the simulated TEE's TZDRAM: the plan's\n"
"                     (default), or the platform's as shipped with the TA\n"
"                     still built with the plan's sizes (what a board\n"
"                     whose firmware was not rebuilt gives); on a board\n"
"                     the firmware decides and this is refused\n"
"  --save-outputs DIR each input's outputs as raw float32 in\n"
"                     DIR/<input's file name>.out\n"
"  --encrypted KEYFILE  the key (smartzone keygen) to provision first\n"
"  --window BYTES     shared memory a provisioning call (default: the\n"
"                     plan's window for this model and board)\n"
"  --fast             S-Tinylib's fast numeric mode (default: strict)\n"
"  --top N            outputs to show per input, largest first (3)\n"
"  --double-fetch     arm the simulator's double-fetch trap (x86-64,\n"
"                     not under valgrind)\n"
"  --no-leak-check    skip the simulator's leakage check (it searches\n"
"                     normal-world memory after every call: slow on\n"
"                     large models)\n"
"  --details          the cost model's whole breakdown\n"
"  --progress         a progress bar while provisioning, also when\n"
"                     stderr is no terminal\n"
"  --json             print JSON instead of text\n"
"\n"
"Exit status: 0 when every check held, 1 on an error or a broken check,\n"
"2 on a usage error.\n";

struct run_args {
	struct sz_run_opts o;
	unsigned top;
	bool json, details, progress;
	const char *save_dir;
};

static int bad_usage(const char *fmt, const char *what)
{
	return sz_bad_usage("run", usage_text, fmt, what);
}

static bool takes_value(const char *o)
{
	static const char *const with_value[] = { "--platform",
		"--encrypted", "--window", "--top", "--layout",
		"--save-outputs" };
	for (size_t i = 0; i < sizeof with_value / sizeof *with_value; i++)
		if (!strcmp(o, with_value[i]))
			return true;
	return false;
}

/* An option with its value; 0, or the usage error's status. */
static int option_value(struct run_args *a, const char *o, const char *v)
{
	uint64_t n;
	if (!strcmp(o, "--platform")) {
		a->o.platform = v;
	} else if (!strcmp(o, "--encrypted")) {
		a->o.key_path = v;
	} else if (!strcmp(o, "--save-outputs")) {
		a->save_dir = v;
	} else if (!strcmp(o, "--layout")) {
		if (strcmp(v, "planned") && strcmp(v, "stock"))
			return bad_usage("--layout %s: expected planned or "
					 "stock", v);
		if (!sz_tee_simulated() && !strcmp(v, "stock"))
			return bad_usage("--layout %s: on a board the "
					 "firmware gives the layout", v);
		a->o.stock_layout = !strcmp(v, "stock");
	} else if (!strcmp(o, "--window")) {
		if (!sz_parse_u64(v, &n) || n < TL_CLIENT_MIN_WINDOW ||
		    n > TEEC_CONFIG_SHAREDMEM_MAX_SIZE)
			return bad_usage("--window %s: expected 4096 to "
					 "33554432 bytes", v);
		a->o.window = n;
	} else if (!sz_parse_u64(v, &n) || n < 1 || n > 64) {
		return bad_usage("--top %s: expected 1 to 64", v);
	} else {
		a->top = (unsigned)n;
	}
	return 0;
}

static int option_flag(struct run_args *a, const char *o)
{
	if (!strcmp(o, "--json"))
		a->json = true;
	else if (!strcmp(o, "--fast"))
		a->o.mode = SZ_MODE_FAST;
	else if (!strcmp(o, "--double-fetch"))
		a->o.double_fetch = true;
	else if (!strcmp(o, "--no-leak-check"))
		a->o.no_leak_check = true;
	else if (!strcmp(o, "--details"))
		a->details = true;
	else if (!strcmp(o, "--progress"))
		a->progress = true;
	else
		return bad_usage("unknown option %s", o);
	return 0;
}

/* Options may come anywhere; the first other argument is the model, the
 * rest are inputs (a->o.inputs: malloc'd, the caller frees). */
static int parse_args(int argc, char **argv, struct run_args *a)
{
	*a = (struct run_args){ .top = 3, .o = { .platform = "rpi3bplus",
						 .mode = SZ_MODE_STRICT } };
	char **inputs = calloc((size_t)argc, sizeof *inputs);
	if (!inputs)
		return bad_usage("%s", "out of memory");
	a->o.inputs = inputs;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		int rc = 0;
		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			fputs(usage_text, stdout);
			return -1;
		} else if (takes_value(o)) {
			if (i + 1 >= argc)
				return bad_usage("%s needs a value", o);
			rc = option_value(a, o, argv[++i]);
		} else if (o[0] == '-' && o[1]) {
			rc = option_flag(a, o);
		} else if (!a->o.model) {
			a->o.model = o;
		} else {
			inputs[a->o.n_inputs++] = argv[i];
		}
		if (rc)
			return rc;
	}
	if (!a->o.model)
		return bad_usage("%s", "a MODEL is required");
	if (!a->o.n_inputs)
		return bad_usage("%s", "at least one INPUT is required");
	a->o.progress = sz_progress_wanted(stderr, a->progress, a->json);
	return 0;
}

static int print(const struct run_args *a, const struct sz_run *r)
{
	struct sz_labels l;
	char err[512];
	if (sz_labels_load(a->o.model, &l, err, sizeof err)) {
		fprintf(stderr, "smartzone run: %s\n", err);
		return 1;
	}
	int rc = a->json ? sz_run_print_json(stdout, r, &l, a->top)
			 : sz_run_print_text(stdout, r, &l, a->top,
					     a->details);
	sz_labels_free(&l);
	return rc ? 1 : 0;
}

/* DIR/<input's file name>.out: its floats as they are in memory
 * (little-endian on every machine Smart-Zone runs on). */
static int save_outputs(const char *dir, const struct sz_run *r)
{
	for (size_t i = 0; i < r->n_outputs; i++) {
		const struct sz_run_output *o = &r->outputs[i];
		const char *base = strrchr(o->path, '/');
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.out", dir,
			 base ? base + 1 : o->path);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(o->y, sizeof *o->y, o->n, f) != o->n ||
		    fclose(f)) {
			fprintf(stderr, "smartzone run: --save-outputs: %s: "
				"%s\n", path, strerror(errno));
			return 1;
		}
	}
	return 0;
}

#ifdef SZ_WITH_UNICORN
/* --details: the Cortex-A53 estimate of one inference on the first
 * input (a53_run.h); a plaintext model only, the runner loads it as it
 * is. */
static void estimate_a53(const struct sz_run_opts *o, struct sz_run *r)
{
	uint8_t *blob = NULL;
	size_t size = 0;
	struct tl_model m;
	struct tl_model_error e;
	struct tl_tensor t;
	struct sz_input in = { 0 };
	char *why = r->a53.why;
	size_t why_len = sizeof r->a53.why;
	if (r->model.encrypted) {
		snprintf(why, why_len, "an encrypted model (smartzone verify "
			 "takes its plaintext .tlm)");
		return;
	}
	if (sz_model_blob(o->model, NULL, &blob, &size, why, why_len) == 0 &&
	    tl_model_open(blob, size, &m, &e) == TL_OK) {
		tl_model_tensor(&m, m.input, &t);
		struct sz_input_shape want = { t.c, t.h, t.w, t.elements };
		if (sz_input_read(o->inputs[0], &want, &in, why, why_len) == 0)
			sz_a53_estimate(&r->platform, o->model, blob, size, in.x,
					o->mode == SZ_MODE_FAST ? TL_MODE_FAST
								: TL_MODE_STRICT,
					&r->a53);
	}
	sz_input_free(&in);
	free(blob);
}
#endif

int sz_cmd_run_model(int argc, char **argv)
{
	struct run_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc) {
		free((void *)a.o.inputs);
		return rc < 0 ? 0 : rc;
	}
	char err[1024];
	static struct sz_run r;	/* a plan is large for a stack */
	rc = sz_run(&a.o, &r, err, sizeof err);
	if (rc) {
		fprintf(stderr, "smartzone run: %s\n", err);
		for (size_t i = 0; i < r.checks.total && i < SZ_TEE_MESSAGES;
		     i++)
			fprintf(stderr, "smartzone run: check broken: %s\n",
				r.checks.msg[i]);
		if (a.json)
			sz_run_print_json_failure(stdout, &r, err);
	} else {
#ifdef SZ_WITH_UNICORN
		if (a.details && !a.json)
			estimate_a53(&a.o, &r);
#endif
		rc = print(&a, &r);
		if (!rc && a.save_dir)
			rc = save_outputs(a.save_dir, &r);
	}
	sz_run_free(&r);
	free((void *)a.o.inputs);
	return rc || r.checks.total ? 1 : 0;
}
