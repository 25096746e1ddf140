/*
 * The baseline against Smart-Zone through the simulated TEE, and
 * `smartzone compare` run in-process.
 * - The baseline (tl_baseline_infer on the stock layout's default heap),
 *   plaintext and sealed (tl_baseline_seal), gives Smart-Zone's output
 *   to the bit, with the leakage check on and
 *   the double-fetch trap armed (x86-64; elsewhere skipped with the
 *   simulator's reason); its world switches are exactly one per command:
 *   HOLD_INPUT, per step OPEN_MODEL, one LOAD_CHUNK per chunk, RUN_HELD,
 *   CLOSE_MODEL, then TAKE_OUTPUT; the TA's heap peak is the split's
 *   need (tl_baseline_need) to within the TA's own allowance.
 * - compare's JSON is well formed with both modes, host-measured and
 *   board-modelled figures apart; its text has both tables and the
 *   paper's row; the three default models run (the Darknet reference on
 *   a raised heap); usage errors.
 * TL_TEST_QUICK=1 (qemu, valgrind): Tiny Darknet only, larger chunks,
 * the JSON case only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "commands.h"
#include "compare.h"
#include "json_check.h"
#include "mm_plan.h"
#include "model_needs.h"
#include "platform_path.h"
#include "sim.h"
#include "tee.h"
#include "tl_baseline.h"
#include "tl_client.h"
#include "tl_tlme.h"

#define RPI3 "memmodel/platforms/rpi3bplus.conf"

static struct mm_platform rpi3;

static int setup(void **state)
{
	(void)state;
	char err[256];
	if (sz_platform_load(RPI3, &rpi3, err, sizeof err))
		fail_msg("%s", err);
	return 0;
}

/* A model both ways; with a key, sealed both ways. */
struct model {
	uint8_t *blob;
	size_t size;
	struct tl_baseline b;
	const uint8_t *key;	/* NULL: plaintext */
	uint64_t extra;		/* the TA heap a step may not take */
	float *in, *out_sz, *out_base;
};

static void model_load(struct model *m, const char *name, uint64_t heap,
		       const uint8_t *key)
{
	char err[512];
	memset(m, 0, sizeof *m);
	m->key = key;
	m->extra = SZ_TA_HEAP_EXTRA + (key ? SZ_TA_DECRYPT_EXTRA : 0);
	if (sz_model_blob(cli_cfg(name), NULL, &m->blob, &m->size, err,
			  sizeof err) ||
	    tl_baseline_split(m->blob, m->size, heap - m->extra, &m->b, err,
			      sizeof err) ||
	    (key && tl_baseline_seal(&m->b, key, err, sizeof err)))
		fail_msg("%s", err);
	m->in = malloc(m->b.in_elements * sizeof(float));
	m->out_sz = calloc(m->b.out_elements, sizeof(float));
	m->out_base = calloc(m->b.out_elements, sizeof(float));
	assert_true(m->in && m->out_sz && m->out_base);
	for (size_t i = 0; i < m->b.in_elements; i++)
		m->in[i] = (float)(i % 255) / 255.0f;
}

static void model_free(struct model *m)
{
	tl_baseline_free(&m->b);
	free(m->blob);
	free(m->in);
	free(m->out_sz);
	free(m->out_base);
}

/* The machine plan lays out, with the checks on: taint always, the
 * double-fetch trap where it can run (the reason printed where not). */
static void configure(const struct mm_plan *plan)
{
	struct sz_tee t = { .platform_path = RPI3, .plan = plan };
	char err[256], why[256];
	if (sz_tee_start(&t, err, sizeof err))
		fail_msg("%s", err);
	if (sim_hostile_set(SIM_HOSTILE_DOUBLE_FETCH, why, sizeof why))
		print_message("  double-fetch trap off: %s\n", why);
}

static void no_violations(void)
{
	size_t n = sim_violation_count();
	for (size_t i = 0; i < n; i++)
		print_message("  violation: %s\n", sim_violation_at(i)->msg);
	assert_int_equal(n, 0);
}

/* A client with a session, and the key when the model is sealed. */
static void open_client(struct tl_client *c, const struct model *m)
{
	char err[512];
	if (tl_client_open(c, NULL, err, sizeof err) ||
	    (m->key && tl_client_provision_key(c, m->key, err, sizeof err)))
		fail_msg("%s", err);
}

/* Smart-Zone: planned, provisioned, one RUN; the TA counts the same
 * multiply-adds as the splitter. */
static void run_smartzone(struct model *m, const char *name)
{
	char err[512];
	struct sz_model_needs needs;
	static struct mm_plan plan;
	uint8_t *blob = m->blob, *sealed = NULL;
	size_t size = m->size;
	if (m->key) {
		if (tl_tlme_encrypt(m->blob, m->size, name, m->key, &sealed,
				    &size, err, sizeof err))
			fail_msg("%s", err);
		blob = sealed;
	}
	assert_int_equal(sz_model_needs_blob(name, blob, size, &needs, err,
					     sizeof err), 0);
	struct mm_plan_input pin = sz_model_plan_input(&needs, &rpi3, 1);
	if (mm_plan(&pin, &plan, err, sizeof err))
		fail_msg("%s", err);
	configure(&plan);
	struct tl_client c;
	size_t got;
	struct sz_report rep;
	open_client(&c, m);
	if (tl_client_load_blob(&c, blob, size, NULL, err, sizeof err) ||
	    tl_client_run(&c, m->in, m->b.in_elements, m->out_sz,
			  m->b.out_elements, &got, SZ_MODE_STRICT, err,
			  sizeof err) ||
	    tl_client_report(&c, &rep, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(got, m->b.out_elements);
	assert_int_equal(rep.macs, m->b.macs);
	assert_int_equal(rep.encrypted, m->key != NULL);
	tl_client_close(&c);
	free(sealed);
	no_violations();
	assert_int_equal(sim_shutdown(), SIM_OK);
}

/* What one baseline inference must cross: one SMC per command. A
 * sealed step sends its clear header to OPEN_MODEL, its ciphertext in
 * the chunks and its tag with the last one. */
static void expected(const struct model *m, size_t chunk,
		     struct sim_counters *n)
{
	const struct tl_baseline *b = &m->b;
	memset(n, 0, sizeof *n);
	n->invokes = 2;		/* HOLD_INPUT, TAKE_OUTPUT */
	n->params = 2;
	n->bytes_to_secure = b->in_elements * sizeof(float);
	n->bytes_to_normal = b->out_elements * sizeof(float);
	for (size_t i = 0; i < b->n_steps; i++) {
		uint64_t file = b->steps[i].size, header = SZ_HEADER_BYTES;
		if (m->key) {
			header = sizeof(struct sz_enc_header);
			file -= TL_TLME_OVERHEAD;
			n->params++;
			n->bytes_to_secure += SZ_GCM_TAG_BYTES;
		}
		uint64_t chunks = (file + chunk - 1) / chunk;
		n->invokes += 3 + chunks; /* OPEN, RUN_HELD, CLOSE */
		n->params += 3 + 1 + 2 * chunks;
		n->bytes_to_secure += header + file;
	}
	n->smc = n->invokes;
	n->bounce_copy_bytes = n->bytes_to_secure + n->bytes_to_normal;
}

/* The baseline on the stock layout; its counters and heap. */
static void run_baseline(struct model *m, uint64_t heap, size_t chunk)
{
	char err[512];
	static struct mm_plan plan;
	if (sz_cmp_baseline_plan(&rpi3, heap, &plan, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(plan.placement, MM_PLACE_UNCHANGED);
	configure(&plan);
	struct tl_client c;
	open_client(&c, m);
	sim_counters_reset();
	if (tl_baseline_infer(&c, &m->b, chunk, SZ_MODE_STRICT, m->in,
			      m->out_base, err, sizeof err))
		fail_msg("%s", err);
	struct sim_counters n, want;
	sim_counters_global(&n);
	expected(m, chunk, &want);
	assert_int_equal(n.smc, want.smc);
	assert_int_equal(n.invokes, want.invokes);
	assert_int_equal(n.shm_registrations, 0);
	assert_int_equal(n.params, want.params);
	assert_int_equal(n.bytes_to_secure, want.bytes_to_secure);
	assert_int_equal(n.bytes_to_normal, want.bytes_to_normal);
	assert_int_equal(n.bounce_copy_bytes, want.bounce_copy_bytes);
	/* the TA held what the split counted for its largest step, and
	 * no more than that and its own allowance */
	struct sim_instance_info ii;
	assert_int_equal(sim_session_instance(&c.session, &ii), SIM_OK);
	size_t need = 0;
	for (size_t i = 0; i < m->b.n_steps; i++)
		need = m->b.steps[i].need > need ? m->b.steps[i].need : need;
	assert_true(ii.heap_peak >= need);
	assert_true(ii.heap_peak <= need + m->extra);
	assert_int_equal(ii.heap_size, heap);
	tl_client_close(&c);
	no_violations();
	assert_int_equal(sim_shutdown(), SIM_OK);
}

/* Tiny Darknet both ways, plaintext or sealed for key: two steps in
 * the RPi3's default heap. */
static void both_ways(const uint8_t *key)
{
	struct model m;
	uint64_t heap = sz_cmp_default_heap(&rpi3);
	/* the stock TA_RAM (8 MiB) holds one instance with that heap */
	assert_int_equal(heap % MM_PLAN_PAGE, 0);
	assert_int_equal(heap + MM_PLAN_TA_OVERHEAD +
			 (SZ_TA_CODE + 0xfff) / 0x1000 * 0x1000 +
			 (SZ_TA_STACK + 0xfff) / 0x1000 * 0x1000, 8 << 20);
	model_load(&m, "tiny", heap, key);
	assert_int_equal(m.b.n_steps, 2);
	run_smartzone(&m, "tiny");
	run_baseline(&m, heap,
		     cli_quick() ? 0x10000 : TL_BASELINE_CHUNK_DEFAULT);
	assert_memory_equal(m.out_sz, m.out_base,
			    m.b.out_elements * sizeof(float));
	model_free(&m);
}

static void test_baseline_equals_smartzone(void **state)
{
	(void)state;
	both_ways(NULL);
}

/* Sealed: the steps cross as ciphertext, the TA decrypts each. */
static void test_sealed_equals_smartzone(void **state)
{
	(void)state;
	uint8_t key[SZ_KEY_BYTES];
	char err[256];
	if (tl_tlme_random(key, sizeof key, err, sizeof err))
		fail_msg("%s", err);
	both_ways(key);
}

/* Refusals before anything crosses. */
static void test_baseline_refusals(void **state)
{
	(void)state;
	struct model m;
	char err[256];
	model_load(&m, "tiny", sz_cmp_default_heap(&rpi3), NULL);
	struct tl_client c = { 0 };
	assert_int_equal(tl_baseline_infer(&c, &m.b, 63, SZ_MODE_STRICT,
					   m.in, m.out_base, err, sizeof err),
			 TL_CLIENT_E_ARG);
	assert_non_null(strstr(err, "the first must hold the 64-byte header"));
	assert_int_equal(tl_baseline_infer(&c, &m.b, 4096, SZ_MODE_STRICT,
					   m.in, m.out_base, err, sizeof err),
			 TL_CLIENT_E_ARG);
	assert_non_null(strstr(err, "no session"));
	model_free(&m);
}

/* The number after key in text, which must be there. */
static double number_after(const char *text, const char *key)
{
	const char *at = strstr(text, key);
	if (!at)
		fail_msg("no %s in the output", key);
	return strtod(at + strlen(key), NULL);
}

static void json_ok(void)
{
	size_t bad = json_check(cli_out, strlen(cli_out));
	if (bad)
		fail_msg("JSON error at byte %zu: %.60s", bad - 1,
			 cli_out + bad - 1);
}

static void test_compare_json(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "--json",
				 "--runs", "1", cli_cfg("tiny"), NULL), 0);
	json_ok();
	static const char *const keys[] = {
		"\"platform\":\"rpi3bplus\"", "\"outputs_identical\":true",
		"\"smartzone\":{", "\"provisioning\":{", "\"baseline\":{",
		"\"steps\":2", "\"stock_layout\":true", "\"refused_need\":0",
		"\"paper\":{\"speedup\":3.13,\"power_saving\":0.665}",
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!strstr(cli_out, keys[i]))
			fail_msg("no %s in %s", keys[i], cli_out);
	/* both modes measured and modelled, apart */
	const char *sz = strstr(cli_out, "\"smartzone\":{");
	const char *base = strstr(cli_out, "\"baseline\":{");
	assert_non_null(strstr(sz, "\"measured_on_this_host\":{\"wall_s\":"));
	assert_non_null(strstr(base, "\"measured_on_this_host\":{\"wall_s\":"));
	assert_non_null(strstr(base, "\"modelled_for_board\":{\"board\":"));
	double speedup = number_after(cli_out, "\"modelled_for_board\":{"
				      "\"board\":\"rpi3bplus\",\"speedup\":");
	double saving = number_after(cli_out, "\"energy_saving\":");
	assert_true(speedup > 1.0 && speedup < 3.13);
	assert_true(saving > 0.0 && saving < 0.665);
}

/* Text, on the other platform with the public code's example chunks,
 * sealed models (not under TL_TEST_QUICK: the JSON case runs most of
 * the same code). */
static void test_compare_text(void **state)
{
	(void)state;
	if (cli_quick())
		skip();
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "--runs", "1",
				 "--platform", "qemu_armv8a", "--chunk",
				 "1048576", "--encrypted", cli_cfg("tiny"),
				 NULL), 0);
	static const char *const lines[] = {
		"Per inference, measured on this host (the simulator: not a "
		"board figure; medians; in brackets the time inside the TA):",
		"Per inference, modelled for qemu_armv8a (docs/cost-model.md):",
		"| paper (Xie et al., INFOCOM 2024) | | | | | | | 3.13x | | | "
		"66.5% (power) |",
		"the outputs of the two modes are the same to the bit",
		"in 1048576-byte chunks",
		"- Models sealed for the device's key (AES-256-GCM)",
		"| tiny | Smart-Zone |", "| tiny | baseline |",
		"Smart-Zone's one-off provisioning",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		if (!strstr(cli_out, lines[i]))
			fail_msg("no \"%s\" in\n%s", lines[i], cli_out);
	/* QEMU's 13 MiB of TA_RAM hold Tiny Darknet in one step */
	assert_non_null(strstr(cli_out, "| tiny | 0.492 | 1 |"));
}

/* The three default models: each faster with Smart-Zone, the Darknet
 * reference's 18 MiB layer on a raised baseline heap. */
static void test_compare_defaults(void **state)
{
	(void)state;
	if (cli_quick())
		skip();
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "--json",
				 "--runs", "1", NULL), 0);
	json_ok();
	static const char *const names[] = { "mobilenet_v1", "darknet",
					     "tiny" };
	const char *at = cli_out;
	for (size_t i = 0; i < 3; i++) {
		char key[64];
		snprintf(key, sizeof key, "{\"name\":\"%s\"", names[i]);
		at = strstr(at, key);
		assert_non_null(at);
		assert_non_null(strstr(at, "\"outputs_identical\":true"));
		bool raised = !strcmp(names[i], "darknet");
		double need = number_after(at, "\"refused_need\":");
		assert_int_equal(need > 18 * 1048576.0, raised);
		double s = number_after(at, "\"modelled_for_board\":{\"board\":"
					"\"rpi3bplus\",\"speedup\":");
		assert_true(s > 1.0);
	}
}

static void test_compare_usage(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "--runs", "0",
				 NULL), 2);
	assert_non_null(strstr(cli_err, "--runs 0: expected 1 to 1000"));
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "--chunk", "63",
				 NULL), 2);
	assert_non_null(strstr(cli_err, "--chunk 63: expected 64 to"));
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "--chunk", NULL),
			 2);
	assert_non_null(strstr(cli_err, "--chunk needs a value"));
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "--bogus", NULL),
			 2);
	assert_non_null(strstr(cli_err, "unknown option --bogus"));
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "missing.tlm",
				 NULL), 1);
	assert_non_null(strstr(cli_err, "missing.tlm"));
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "--platform",
				 "no_such_board", cli_cfg("tiny"), NULL), 1);
	assert_non_null(strstr(cli_err, "no_such_board.conf"));
	assert_int_equal(cli_run(sz_cmd_compare, "compare", "--help", NULL),
			 0);
	assert_non_null(strstr(cli_out, "usage: smartzone compare"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_equals_smartzone),
		cmocka_unit_test(test_sealed_equals_smartzone),
		cmocka_unit_test(test_baseline_refusals),
		cmocka_unit_test(test_compare_json),
		cmocka_unit_test(test_compare_text),
		cmocka_unit_test(test_compare_defaults),
		cmocka_unit_test(test_compare_usage),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
