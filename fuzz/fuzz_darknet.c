/*
 * Fuzz target 4: the Darknet importer (N-Tinylib): a .cfg parsed
 * (tl_darknet_cfg_parse), built into Darknet's layer list
 * (tl_darknet_net_build), a .weights file parsed
 * (tl_darknet_weights_parse), and the two converted to a .tlm
 * (tl_darknet_to_tlm).
 *
 * Input: a 16-bit length, that many bytes of .cfg text, then the
 * .weights file (empty: weights drawn from the seeded generator, as
 * `smartzone convert` does without one).
 *
 * Invariants: every refusal writes a sentence; a .tlm the importer
 * writes is one S-Tinylib opens and plans (the importer must refuse,
 * naming the cfg line, whatever the format can not hold), with the
 * input and output shapes the net says. Nets with more parameters than
 * PARAMS_MAX are built but not converted (memory, not correctness).
 */
#include "fuzz_input.h"
#include "tl_darknet.h"
#include "tl_darknet_import.h"
#include "tl_engine.h"
#include "tl_model.h"
#include "tl_tlm_builder.h"

#define PARAMS_MAX	(1u << 22)	/* 16 MiB of floats */

static void refused(int status, const char *err, const char *what)
{
	if (status < 0 || status > TL_DARKNET_E_NOMEM || strlen(err) == 0)
		fz_broken("%s refused with status %d and \"%s\"", what, status,
			  err);
}

/* The importer's .tlm: opens, plans, and takes and gives the net's
 * shapes. */
static void check_blob(const struct tl_darknet_net *net, const uint8_t *blob,
		       size_t size)
{
	struct tl_model m;
	struct tl_model_error e;
	enum tl_status s = tl_model_open(blob, size, &m, &e);
	if (s != TL_OK) {
		char msg[320];
		tl_tlm_describe_error(&e, "imported.tlm", msg, sizeof msg);
		fz_broken("the importer wrote a .tlm S-Tinylib refuses: %s",
			  msg);
	}
	struct tl_plan *plan = malloc(sizeof *plan);
	if (plan == NULL)
		abort();
	if (tl_plan(&m, plan) != TL_OK)
		fz_broken("the imported model does not plan");
	free(plan);
	const struct tl_darknet_shape *in = &net->input;
	if (tl_model_input_elements(&m) != (size_t)in->c * in->h * in->w)
		fz_broken("the imported input has %zu elements, the net %d x "
			  "%d x %d", tl_model_input_elements(&m), in->c, in->h,
			  in->w);
}

static void convert(const struct tl_darknet_cfg *cfg,
		    const struct tl_darknet_net *net, const uint8_t *wfile,
		    size_t wlen)
{
	char err[320] = "";
	float *weights = NULL;
	size_t count = net->params;
	if (wlen == 0) {
		weights = tl_darknet_random_weights(net, 1);
	} else {
		int s = tl_darknet_weights_parse(wfile, wlen, "fuzz.weights",
						 &weights, &count, err,
						 sizeof err);
		if (s != TL_DARKNET_OK) {
			refused(s, err, "tl_darknet_weights_parse");
			return;
		}
	}
	if (weights == NULL)
		abort();
	if (count == net->params) {
		uint8_t *blob = NULL;
		size_t size = 0;
		int s = tl_darknet_to_tlm(cfg, net, weights, &blob, &size, err,
					  sizeof err);
		if (s != TL_DARKNET_OK)
			refused(s, err, "tl_darknet_to_tlm");
		else
			check_blob(net, blob, size);
		free(blob);
	}
	free(weights);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	size_t cfg_len, wlen;
	const uint8_t *text = fz_span(&f, &cfg_len);
	const uint8_t *wfile = fz_bytes(&f, fz_left(&f), &wlen);
	struct tl_darknet_cfg cfg = { 0 };
	struct tl_darknet_net net = { 0 };
	char err[320] = "";
	int s = tl_darknet_cfg_parse((const char *)text, cfg_len, "fuzz.cfg",
				     &cfg, err, sizeof err);
	if (s != TL_DARKNET_OK) {
		refused(s, err, "tl_darknet_cfg_parse");
	} else if ((s = tl_darknet_net_build(&cfg, &net, err, sizeof err))) {
		refused(s, err, "tl_darknet_net_build");
	} else if (net.params <= PARAMS_MAX) {
		convert(&cfg, &net, wfile, wlen);
	}
	tl_darknet_net_free(&net);
	tl_darknet_cfg_free(&cfg);
	return 0;
}
