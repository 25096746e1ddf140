/*
 * smartzone convert: a model from Darknet (.cfg and .weights) or from
 * ONNX (what PyTorch exports) to the .tlm the TA runs. Darknet goes
 * through N-Tinylib's importer in this process; ONNX through
 * tools/onnx2tlm.py (Debian's python3-onnx), run as a child.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "args.h"
#include "commands.h"
#include "mm_text.h"
#include "model_needs.h"
#include "tl_darknet_import.h"
#include "tl_file.h"
#include "tl_tlm_by_16.h"

extern char **environ;

static const char usage_text[] =
"usage: smartzone convert MODEL.cfg [MODEL.weights] -o OUT.tlm [--seed N]\n"
"                         [--weights-by-16]\n"
"       smartzone convert MODEL.onnx -o OUT.tlm [-v] [--weights-by-16]\n"
"\n"
"Darknet: without a .weights file the weights are drawn from a generator\n"
"seeded with N (default 1): the architecture runs and can be planned.\n"
"ONNX: one input (1, C, H, W) or (1, N), one output; every node is mapped\n"
"exactly or the model is refused, naming the node (docs/onnx.md). Needs\n"
"Debian's python3-onnx and python3-numpy.\n"
"\n"
"options:\n"
"  --json   print what was written as JSON\n"
"  -v       ONNX: list the layers as they are made\n"
"  --weights-by-16\n"
"           store the weights of the convolutions that allow it 16\n"
"           filters to a vector (format 1.2), as fast mode's direct kernel\n"
"           reads them with AVX-512, rather than packing them at every run;\n"
"           for an x86-64 host, not for the TA (docs/model-format.md)\n";

/* Where the ONNX converter is: $SMARTZONE_TOOLS, else the source tree's
 * tools/ (SZ_TOOLS_DIR, set at build); the interpreter: $SMARTZONE_PYTHON,
 * else Debian's /usr/bin/python3, which has python3-onnx. */
#define SZ_PYTHON "/usr/bin/python3"

struct convert_args {
	const char *in, *weights, *out;
	uint64_t seed;
	bool json, verbose, by_16;
	int layers_by_16;	/* what --weights-by-16 rewrote */
};

static int parse(int argc, char **argv, struct convert_args *a)
{
	*a = (struct convert_args){ .seed = 1 };
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		bool has_value = i + 1 < argc;
		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			fputs(usage_text, stdout);
			return -1;
		} else if (!strcmp(o, "--json")) {
			a->json = true;
		} else if (!strcmp(o, "-v")) {
			a->verbose = true;
		} else if (!strcmp(o, "--weights-by-16")) {
			a->by_16 = true;
		} else if (!strcmp(o, "-o") && has_value) {
			a->out = argv[++i];
		} else if (!strcmp(o, "--seed") && has_value) {
			if (!sz_parse_u64(argv[++i], &a->seed))
				return sz_bad_usage("convert", usage_text,
						    "--seed %s: expected a "
						    "whole number", argv[i]);
		} else if (o[0] == '-') {
			return sz_bad_usage("convert", usage_text,
					    "unknown option %s", o);
		} else if (!a->in) {
			a->in = o;
		} else if (!a->weights) {
			a->weights = o;
		} else {
			return sz_bad_usage("convert", usage_text,
					    "unexpected argument %s", o);
		}
	}
	if (!a->in || !a->out)
		return sz_bad_usage("convert", usage_text, "%s", !a->in
				    ? "a model (.cfg or .onnx) is required"
				    : "-o OUT.tlm is required");
	bool cfg = sz_ends_with(a->in, ".cfg");
	if (!cfg && !sz_ends_with(a->in, ".onnx"))
		return sz_bad_usage("convert", usage_text, "%s: expected a "
				    "Darknet .cfg or an ONNX .onnx", a->in);
	if (a->weights && !cfg)
		return sz_bad_usage("convert", usage_text, "%s: a weights file "
				    "goes with a Darknet .cfg", a->weights);
	return 0;
}

static int darknet(const struct convert_args *a, char *err, size_t err_len)
{
	uint8_t *blob;
	size_t size;
	if (tl_darknet_convert_files(a->in, a->weights, a->seed, &blob, &size,
				     err, err_len))
		return -1;
	int rc = sz_write_file(a->out, blob, size, 0644, err, err_len);
	free(blob);
	return rc;
}

/* Runs argv[0] with argv, its stdout (and with quiet its stderr too)
 * sent to /dev/null unless show_out; its exit status, or -1 when it
 * could not run. */
static int run_child(char *const argv[], bool show_out, bool quiet)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (!show_out)
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
	pid_t pid;
	int st = -1;
	fflush(stdout);
	fflush(stderr);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0 &&
	    waitpid(pid, &st, 0) == pid)
		st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	else
		st = -1;
	posix_spawn_file_actions_destroy(&fa);
	return st;
}

static int onnx(const struct convert_args *a, char *err, size_t err_len)
{
	const char *py = getenv("SMARTZONE_PYTHON");
	const char *dir = getenv("SMARTZONE_TOOLS");
	py = py && *py ? py : SZ_PYTHON;
	dir = dir && *dir ? dir : SZ_TOOLS_DIR;
	char script[4096];
	snprintf(script, sizeof script, "%s/onnx2tlm.py", dir);
	char *check[] = { (char *)py, "-c", "import onnx, numpy", NULL };
	if (run_child(check, false, true) != 0) {
		snprintf(err, err_len, "converting ONNX needs %s with Debian's "
			 "python3-onnx and python3-numpy: apt-get install "
			 "python3-onnx python3-numpy (ci/deps.sh installs "
			 "them)", py);
		return -1;
	}
	char *conv[] = { (char *)py, script, (char *)a->in, "-o",
			 (char *)a->out, a->verbose ? "-v" : NULL, NULL };
	/* its summary line is ours to print; its layer list (-v) goes
	 * through, but never into JSON */
	int st = run_child(conv, a->verbose && !a->json, false);
	if (st != 0)	/* onnx2tlm said why on stderr */
		snprintf(err, err_len, "%s: not converted (onnx2tlm.py "
			 "exited with %d)", a->in, st);
	return st ? -1 : 0;
}

/* --weights-by-16: the file written, read back and rewritten. */
static int store_by_16(struct convert_args *a, char *err, size_t err_len)
{
	uint8_t *blob;
	size_t size;
	char why[512];
	if (tl_read_file(a->out, &blob, &size, err, err_len))
		return -1;
	a->layers_by_16 = tl_tlm_store_by_16(blob, size, why, sizeof why);
	int rc = a->layers_by_16 < 0 ? -1 : 0;
	if (rc)
		snprintf(err, err_len, "%s: %s", a->out, why);
	else if (a->layers_by_16 > 0)
		rc = sz_write_file(a->out, blob, size, 0644, err, err_len);
	free(blob);
	return rc;
}

/* What was written, read back through S-Tinylib's checker. */
static int summary(const struct convert_args *a, char *err, size_t err_len)
{
	struct sz_model_needs n;
	if (sz_model_needs_load(a->out, NULL, &n, err, err_len))
		return -1;
	const char *from = sz_ends_with(a->in, ".onnx") ? "onnx" : "darknet";
	if (a->json) {
		printf("{\"output\": ");
		mm_json_string(stdout, a->out);
		printf(", \"from\": \"%s\", \"bytes\": %llu, "
		       "\"layers\": %u, \"weights_bytes\": %llu, "
		       "\"arena_bytes\": %llu, \"seeded_weights\": %s, "
		       "\"layers_weights_by_16\": %d}\n",
		       from, (unsigned long long)n.file_size,
		       n.layers, (unsigned long long)n.weights_size,
		       (unsigned long long)n.arena,
		       !strcmp(from, "darknet") && !a->weights ? "true"
							       : "false",
		       a->layers_by_16);
	} else {
		printf("%s: %llu bytes, %u layers, %llu bytes of weights, "
		       "arena %llu bytes (%s%s)\n", a->out,
		       (unsigned long long)n.file_size, n.layers,
		       (unsigned long long)n.weights_size,
		       (unsigned long long)n.arena, from,
		       !strcmp(from, "darknet") && !a->weights
		       ? ", seeded weights" : "");
		if (a->by_16)
			printf("%s: %d layers' weights by 16\n", a->out,
			       a->layers_by_16);
	}
	return 0;
}

int sz_cmd_convert(int argc, char **argv)
{
	struct convert_args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	char err[1024];
	rc = sz_ends_with(a.in, ".cfg") ? darknet(&a, err, sizeof err)
					: onnx(&a, err, sizeof err);
	if (!rc && a.by_16)
		rc = store_by_16(&a, err, sizeof err);
	if (!rc)
		rc = summary(&a, err, sizeof err);
	if (rc) {
		fprintf(stderr, "smartzone convert: %s\n", err);
		return 1;
	}
	return 0;
}
