/*
 * Every sample model under the Unicorn runner: the bundled digits model,
 * the seven sample cfgs with seeded weights and the five networks of
 * models/mlperf/ (MLPerf Tiny's four and the activity network), each
 * planned on the RPi3 as smartzone plans it, loaded through the window
 * and run in strict mode by the TA's aarch64 code in the address space
 * its tables map. Each must hold every rule and give the host's output
 * bit for bit, and each layer must have executed its multiply-adds (the
 * instruction figures are the ones `smartzone verify` prints).
 *
 * Environment: TL_TEST_MODELS="a b" picks models (default: all, as
 * make verify runs them; make check runs a fixed subset).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tl_baseline.h"
#include "uc_fixture.h"

static const char *const all_models[] = {
	"digits", "tiny", "cifar", "mobilenet_v1", "darknet", "resnet18",
	"alexnet", "yolov3-tiny", "kws_dscnn", "vww_mobilenet_v1",
	"ic_resnet8", "ad_autoencoder", "har_conv1d" };

static uint64_t fp_work(const struct sim_insn_mix *m)
{
	return m->count[SIM_INSN_FP_SCALAR] + m->count[SIM_INSN_FP_FMA] +
	       m->count[SIM_INSN_SIMD] + m->count[SIM_INSN_SIMD_FMA];
}

static void run_model(void **state)
{
	const char *name = *state;
	struct uc_fixture f;
	uc_fixture_load(&f, name, "rpi3bplus");
	struct sz_verify_job job =
		uc_fixture_job(&f, "smartzone_ta", TL_MODE_STRICT);
	struct sz_verify_outcome o;
	char err[512];
	if (sz_verify_model(&job, &o, err, sizeof err))
		fail_msg("%s: %s", name, err);
	if (o.violation.stop != SIM_UC_RAN)
		fail_msg("%s: %s", name, o.violation.text);
	assert_int_equal(o.result, TEE_SUCCESS);
	if (!o.identical)
		fail_msg("%s: strict output differs from the host's; first "
			 "layer that differs: %d", name, o.first_layer_differs);
	struct tl_model m;
	struct tl_model_error e;
	assert_int_equal(tl_model_open(f.blob, f.size, &m, &e), TL_OK);
	assert_int_equal(o.n_layers, m.layer_count);
	for (uint32_t i = 0; i < o.n_layers; i++)
		if (tl_baseline_layer_macs(&m, i) > 0 &&
		    fp_work(&o.layers[i]) == 0)
			fail_msg("%s: layer %u has multiply-adds and ran no "
				 "floating-point instruction", name, i);
	print_message("%s: %llu chunks, %u layers, bit-identical\n", name,
		      (unsigned long long)o.chunks, o.n_layers);
	sz_verify_outcome_free(&o);
	uc_fixture_free(&f);
}

static bool wanted(const char *name)
{
	const char *list = getenv("TL_TEST_MODELS");
	if (list == NULL || *list == '\0')
		return true;
	size_t n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

int main(void)
{
	struct CMUnitTest tests[sizeof all_models / sizeof *all_models];
	size_t n = 0;
	for (size_t i = 0; i < sizeof all_models / sizeof *all_models; i++)
		if (wanted(all_models[i]))
			tests[n++] = (struct CMUnitTest){ all_models[i], run_model,
				NULL, NULL, (void *)all_models[i] };
	return _cmocka_run_group_tests("unicorn models", tests, n, NULL, NULL);
}
