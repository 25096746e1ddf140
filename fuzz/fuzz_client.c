/*
 * Fuzz target 6: N-Tinylib's client (tl_client.h, tl_baseline_infer)
 * against a hostile TEE (hostile_teec.h): every result code, origin,
 * declared output size and output byte the TA or the core hands back is
 * the input's.
 *
 * Input: the client's calls, one selector byte each (open, load the
 * fuzz model plain or sealed through a window of the input's size, run
 * with an output buffer of the input's size, report, unload, provision
 * the key, the baseline's streamed inference, close), the TEE's answers
 * read as the calls go.
 *
 * Invariants, with ASan and LeakSanitizer on every buffer: every status
 * is a known one, and every refusal writes a sentence; a run that
 * succeeds says it gave at most the floats its buffer holds (the caller
 * then reads them all), and one refused as short says more are needed
 * than the buffer holds; a report that succeeds is a whole struct
 * sz_report; a baseline inference that succeeds filled the output; every
 * shared-memory window is released; after close the client says it has
 * no session and no model.
 */
#include <stdbool.h>

#include "fuzz_input.h"
#include "fuzz_model.h"
#include "hostile_teec.h"
#include "tl_baseline.h"
#include "tl_client.h"

/* Where the outputs are read, as a caller reads them (ASan checks each
 * read). */
static volatile float sink;

static struct {
	uint8_t *sealed;
	size_t sealed_size;
	struct tl_baseline steps;
} g;

static void setup(void)
{
	const struct fz_model *m = fz_model();
	uint8_t nonce[SZ_GCM_NONCE_BYTES] = { 7 };
	char err[256];
	g.sealed = fz_seal(m->blob, m->size, m->arena, nonce, fz_key,
			   &g.sealed_size);
	/* the smallest budget that splits it: the most steps */
	for (size_t budget = 0x1000; budget < 0x100000; budget += 0x400) {
		if (tl_baseline_split(m->blob, m->size, budget, &g.steps, err,
				      sizeof err) == 0)
			break;
	}
	if (g.steps.n_steps < 2)
		fz_broken("the fuzz model does not split in steps: %s", err);
}

static void status(int s, const char *err, const char *what)
{
	if (s < TL_CLIENT_OK || s > TL_CLIENT_E_SHORT)
		fz_broken("%s: status %d", what, s);
	if (s != TL_CLIENT_OK && strlen(err) == 0)
		fz_broken("%s: status %d without a sentence", what, s);
}

static void load(struct tl_client *c, struct fz *f)
{
	const struct fz_model *m = fz_model();
	bool sealed = fz_u8(f) & 1;
	struct tl_client_load_opts o = { .window = fz_u16(f) * 16ull };
	char err[512] = "";
	int s = sealed ? tl_client_load_blob(c, g.sealed, g.sealed_size, &o,
					     err, sizeof err)
		       : tl_client_load_blob(c, m->blob, m->size, &o, err,
					     sizeof err);
	status(s, err, "tl_client_load_blob");
	if (hostile_teec_live_shm() != 0)
		fz_broken("a load left %u shared-memory blocks",
			  hostile_teec_live_shm());
}

static void run(struct tl_client *c, struct fz *f)
{
	const struct fz_model *m = fz_model();
	size_t out_max = fz_u8(f) % 16, n_out = 0;
	float *in = calloc(m->n_in, sizeof *in);
	float *out = malloc(out_max ? out_max * sizeof *out : 1);
	char err[512] = "";
	if (in == NULL || out == NULL)
		abort();
	int s = tl_client_run(c, in, m->n_in, out_max ? out : NULL, out_max,
			      &n_out, fz_u8(f) & 1, err, sizeof err);
	status(s, err, "tl_client_run");
	if (s == TL_CLIENT_OK) {
		if (n_out > out_max)
			fz_broken("tl_client_run: %zu floats given, the "
				  "buffer holds %zu", n_out, out_max);
		for (size_t i = 0; i < n_out; i++)
			sink += out[i];
	}
	if (s == TL_CLIENT_E_SHORT && n_out <= out_max)
		fz_broken("tl_client_run: short, yet %zu floats fit the "
			  "buffer's %zu", n_out, out_max);
	free(in);
	free(out);
}

static void report(struct tl_client *c)
{
	struct sz_report r;
	char err[512] = "";
	status(tl_client_report(c, &r, err, sizeof err), err,
	       "tl_client_report");
}

static void baseline(struct tl_client *c, struct fz *f)
{
	const struct fz_model *m = fz_model();
	float *in = calloc(m->n_in, sizeof *in);
	float *out = malloc(m->n_out * sizeof *out);
	char err[512] = "";
	if (in == NULL || out == NULL)
		abort();
	memset(out, 0xff, m->n_out * sizeof *out);
	int s = tl_baseline_infer(c, &g.steps, fz_u16(f), SZ_MODE_STRICT, in,
				  out, err, sizeof err);
	if (s != 0 && strlen(err) == 0)
		fz_broken("tl_baseline_infer refused without a sentence");
	for (size_t i = 0; s == 0 && i < m->n_out; i++)
		sink += out[i];
	free(in);
	free(out);
}

static void one_call(struct tl_client *c, struct fz *f)
{
	char err[512] = "";
	switch (fz_u8(f) % 8) {
	case 0:
		tl_client_close(c);
		status(tl_client_open(c, NULL, err, sizeof err), err,
		       "tl_client_open");
		break;
	case 1: load(c, f); break;
	case 2: run(c, f); break;
	case 3: report(c); break;
	case 4:
		status(tl_client_unload(c, err, sizeof err), err,
		       "tl_client_unload");
		break;
	case 5:
		status(tl_client_provision_key(c, fz_key, err, sizeof err),
		       err, "tl_client_provision_key");
		break;
	case 6: baseline(c, f); break;
	default:
		tl_client_close(c);
		if (c->session_open || c->ctx_open || c->loaded)
			fz_broken("a closed client still has a session, a "
				  "context or a model");
		break;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct tl_client c;
	char err[512] = "";
	hostile_teec_script(&f);
	status(tl_client_open(&c, NULL, err, sizeof err), err,
	       "tl_client_open");
	for (int calls = 0; fz_left(&f) && calls < 32; calls++)
		one_call(&c, &f);
	tl_client_close(&c);
	hostile_teec_script(NULL);
	if (hostile_teec_live_shm() != 0)
		fz_broken("%u shared-memory blocks never released",
			  hostile_teec_live_shm());
	return 0;
}
