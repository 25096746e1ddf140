/*
 * The cost model's formulas (sim_cost.h, docs/cost-model.md): every
 * modelled figure against the same formula worked out here from the
 * figures the shipped platform files give, host times carried apart,
 * monotonicity in every count and figure, and the refusals.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sim_cost.h"
#include "cost_support.h"

#define MiB (1024ull * 1024)
#define TOL 1e-12

static char err[512];

/* A run with every counter distinct, so a swapped term shows. */
static struct sim_counters a_run(void)
{
	struct sim_counters n;
	memset(&n, 0, sizeof n);
	n.smc = 1234;
	n.open_sessions = 1;
	n.invokes = 1232;
	n.close_sessions = 1;
	n.params = 2464;
	n.bytes_to_secure = 16 * MiB + 12345;
	n.bytes_to_normal = 4000;
	n.pages_mapped = 4101;
	n.bounce_copy_bytes = 8 * MiB;
	n.secure_ns = 12345678;
	n.normal_ns = 2345678;
	return n;
}

static void expect(double got, double want, const char *what)
{
	if (cost_rel_err(got, want) > TOL)
		fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

/* Each term of the time, then the energy, from the file's figures. */
static void test_formulas(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct mm_platform p;
		cost_load(cost_platforms[i], &p);
		const struct mm_cost *c = &p.cost;
		struct sim_counters n = a_run();
		/* MobileNet v1's 0.74 GMAC (BRIEF.md) */
		struct sim_work w = { 740000000, 0.0 };
		struct sim_cost_modelled m;
		assert_int_equal(sim_cost_model(c, &n, &w, &m, err, sizeof err),
				 SIM_COST_OK);

		double bw = (double)c->copy_bytes_per_s;	/* B/s */
		double rate = (double)c->core_mhz * 1e6
			      * (double)c->macs_per_cycle
			      * (double)c->compute_efficiency_pct / 100;
		expect(m.t.switches, 1234 * (double)c->smc_round_trip_ns / 1e9,
		       "switches");
		expect(m.t.mapping, 4101 * (double)c->map_page_ns / 1e9,
		       "mapping");
		expect(m.t.copy_secure, (16.0 * MiB + 12345 + 4000) / bw,
		       "secure copies");
		expect(m.t.copy_normal, 8.0 * MiB / bw, "bounce copies");
		expect(m.t.compute, 740e6 / rate, "compute");
		double secure = m.t.switches + m.t.mapping + m.t.copy_secure
				+ m.t.compute;
		expect(m.t.secure, secure, "secure time");
		expect(m.t.normal, m.t.copy_normal, "normal time");
		expect(m.t.busy, secure + m.t.copy_normal, "busy");
		assert_true(m.t.idle == 0 && m.t.total == m.t.busy);

		expect(m.e.secure, secure * (double)c->power_secure_mw / 1e3,
		       "secure energy");
		expect(m.e.normal,
		       m.t.copy_normal * (double)c->power_normal_mw / 1e3,
		       "normal energy");
		assert_true(m.e.idle == 0);
		expect(m.e.total, m.e.secure + m.e.normal, "energy");
	}
}

/*
 * Pinned once with the rpi3bplus figures (test_platform asserts them):
 * 1.4 GHz x 2 MAC/cycle x 30% = 0.84 GMAC/s, so MobileNet v1's 0.74 GMAC
 * (BRIEF.md) takes 0.7400 / 0.84 = 0.880952... s; 16 MiB at 600e6 B/s
 * is 27.962 ms; 1000 SMCs at 20 us are 20 ms.
 */
static void test_rpi3bplus_by_hand(void **state)
{
	(void)state;
	struct mm_platform p;
	cost_load("rpi3bplus.conf", &p);
	struct sim_counters n;
	memset(&n, 0, sizeof n);
	n.smc = 1000;
	n.bytes_to_secure = 16 * MiB;
	struct sim_work w = { 740000000, 0.0 };
	struct sim_cost_modelled m;
	assert_int_equal(sim_cost_model(&p.cost, &n, &w, &m, err, sizeof err),
			 SIM_COST_OK);
	expect(m.t.compute, 0.74 / 0.84, "compute");
	expect(m.t.copy_secure, 16777216.0 / 600e6, "copy");
	expect(m.t.switches, 0.020, "switches");
	/* 2.7 W the whole busy time (normal and secure alike here) */
	expect(m.e.total, 2.7 * (0.74 / 0.84 + 16777216.0 / 600e6 + 0.020),
	       "energy");
}

/* A period longer than the run: the idle board fills the rest. */
static void test_period_and_idle(void **state)
{
	(void)state;
	struct mm_platform p;
	cost_load("rpi3bplus.conf", &p);
	struct sim_counters n = a_run();
	struct sim_work w = { 1000000, 0.0 };
	struct sim_cost_modelled run, per;
	assert_int_equal(sim_cost_model(&p.cost, &n, &w, &run, err,
					sizeof err), SIM_COST_OK);
	w.period_s = run.t.busy + 2.0;
	assert_int_equal(sim_cost_model(&p.cost, &n, &w, &per, err,
					sizeof err), SIM_COST_OK);
	expect(per.t.idle, 2.0, "idle");
	expect(per.t.total, run.t.busy + 2.0, "total");
	expect(per.e.idle, 2.0 * p.cost.power_idle_mw / 1e3, "idle energy");
	expect(per.e.total, run.e.total + per.e.idle, "energy");
	/* a period shorter than the run adds nothing */
	w.period_s = run.t.busy / 2;
	assert_int_equal(sim_cost_model(&p.cost, &n, &w, &per, err,
					sizeof err), SIM_COST_OK);
	assert_true(per.t.idle == 0 && per.e.total == run.e.total);
	/* no work given: no compute, no idle */
	assert_int_equal(sim_cost_model(&p.cost, &n, NULL, &per, err,
					sizeof err), SIM_COST_OK);
	assert_true(per.t.compute == 0 && per.t.idle == 0);
}

/* Host times are carried as measured and never enter the model. */
static void test_host_times_apart(void **state)
{
	(void)state;
	struct mm_platform p;
	cost_load("qemu_armv8a.conf", &p);
	struct sim_counters n = a_run();
	struct sim_work w = { 5000000, 0.0 };
	struct sim_cost_report r, r2;
	assert_int_equal(sim_cost_run(&p, &n, &w, &r, err, sizeof err),
			 SIM_COST_OK);
	assert_string_equal(r.board, "qemu_armv8a");
	expect(r.host.secure_s, 12345678e-9, "host secure");
	expect(r.host.normal_s, 2345678e-9, "host normal");
	expect(r.host.total_s, 14691356e-9, "host total");
	assert_memory_equal(&r.counted, &n, sizeof n);
	assert_memory_equal(&r.cost, &p.cost, sizeof p.cost);
	assert_true(r.work.macs == 5000000);
	n.secure_ns *= 1000;
	n.normal_ns = 0;
	assert_int_equal(sim_cost_run(&p, &n, &w, &r2, err, sizeof err),
			 SIM_COST_OK);
	assert_memory_equal(&r.model, &r2.model, sizeof r.model);
	assert_true(r2.host.secure_s > 1000 * r.host.secure_s * 0.999);
}

/* Every figure the model produces, in one array, to compare runs. */
static void figures(const struct sim_cost_modelled *m, double out[14])
{
	const double v[14] = {
		m->t.switches, m->t.mapping, m->t.copy_secure, m->t.copy_normal,
		m->t.compute, m->t.secure, m->t.normal, m->t.busy, m->t.total,
		m->e.secure, m->e.normal, m->e.idle, m->e.total, m->t.idle,
	};
	memcpy(out, v, sizeof v);
}

static void model(const struct mm_cost *c, const struct sim_counters *n,
		  uint64_t macs, double out[14])
{
	struct sim_work w = { macs, 0.0 };
	struct sim_cost_modelled m;
	assert_int_equal(sim_cost_model(c, n, &w, &m, err, sizeof err),
			 SIM_COST_OK);
	figures(&m, out);
}

/* More of any count never lowers a figure, and raises the total. */
static void test_monotone_in_counts(void **state)
{
	(void)state;
	struct mm_platform p;
	cost_load("rpi3bplus.conf", &p);
	const struct sim_counters base = a_run();
	double f0[14], f1[14];
	model(&p.cost, &base, 1000, f0);
	for (int k = 0; k < 6; k++) {
		struct sim_counters n = base;
		uint64_t macs = 1000;
		switch (k) {
		case 0: n.smc++; break;
		case 1: n.pages_mapped++; break;
		case 2: n.bytes_to_secure++; break;
		case 3: n.bytes_to_normal++; break;
		case 4: n.bounce_copy_bytes++; break;
		default: macs++; break;
		}
		model(&p.cost, &n, macs, f1);
		for (int j = 0; j < 14; j++)
			assert_true(f1[j] >= f0[j]);
		assert_true(f1[8] > f0[8]);	/* total time */
		assert_true(f1[12] > f0[12]);	/* total energy */
	}
}

/* Dearer figures never lower a figure; faster ones never raise one. */
static void test_monotone_in_figures(void **state)
{
	(void)state;
	struct mm_platform p;
	cost_load("rpi3bplus.conf", &p);
	const struct sim_counters n = a_run();
	double f0[14], f1[14];
	model(&p.cost, &n, 1000000, f0);
	for (int k = 0; k < 9; k++) {
		struct mm_cost c = p.cost;
		int dearer = 1;
		switch (k) {
		case 0: c.smc_round_trip_ns *= 2; break;
		case 1: c.map_page_ns *= 2; break;
		case 2: c.power_idle_mw *= 2; break;
		case 3: c.power_normal_mw *= 2; break;
		case 4: c.power_secure_mw *= 2; break;
		case 5: c.copy_bytes_per_s *= 2; dearer = 0; break;
		case 6: c.core_mhz *= 2; dearer = 0; break;
		case 7: c.macs_per_cycle *= 2; dearer = 0; break;
		default: c.compute_efficiency_pct = 60; dearer = 0; break;
		}
		model(&c, &n, 1000000, f1);
		for (int j = 0; j < 14; j++)
			assert_true(dearer ? f1[j] >= f0[j] : f1[j] <= f0[j]);
	}
	/* twice the bandwidth halves both copy terms, exactly */
	struct mm_cost c = p.cost;
	c.copy_bytes_per_s *= 2;
	model(&c, &n, 1000000, f1);
	expect(f1[2], f0[2] / 2, "secure copies at twice the bandwidth");
	expect(f1[3], f0[3] / 2, "bounce copies at twice the bandwidth");
}

static void test_refusals(void **state)
{
	(void)state;
	struct mm_platform p;
	cost_load("rpi3bplus.conf", &p);
	struct sim_counters n = a_run();
	struct sim_work w = { 1, 0.0 };
	struct sim_cost_modelled m;
	struct sim_cost_report r;

	assert_int_equal(sim_cost_model(NULL, &n, &w, &m, err, sizeof err),
			 SIM_COST_E_ARG);
	assert_int_equal(sim_cost_model(&p.cost, NULL, &w, &m, NULL, 0),
			 SIM_COST_E_ARG);
	assert_int_equal(sim_cost_model(&p.cost, &n, &w, NULL, NULL, 0),
			 SIM_COST_E_ARG);
	assert_int_equal(sim_cost_run(NULL, &n, &w, &r, err, sizeof err),
			 SIM_COST_E_ARG);

	static const struct { int field; const char *says; } bad[] = {
		{ 0, "cost_copy_bytes_per_s is 0" },
		{ 1, "cost_core_mhz 0" },
		{ 2, "cost_macs_per_cycle 0" },
		{ 3, "cost_compute_efficiency_pct 0 is outside 1..100" },
		{ 4, "cost_compute_efficiency_pct 101 is outside 1..100" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct mm_cost c = p.cost;
		switch (bad[i].field) {
		case 0: c.copy_bytes_per_s = 0; break;
		case 1: c.core_mhz = 0; break;
		case 2: c.macs_per_cycle = 0; break;
		case 3: c.compute_efficiency_pct = 0; break;
		default: c.compute_efficiency_pct = 101; break;
		}
		m.t.busy = 7;
		assert_int_equal(sim_cost_model(&c, &n, &w, &m, err,
						sizeof err), SIM_COST_E_PARAM);
		assert_non_null(strstr(err, bad[i].says));
		assert_true(m.t.busy == 0);	/* zeroed on error */
	}

	static const double periods[] = { -1.0, NAN, INFINITY };
	for (size_t i = 0; i < 3; i++) {
		w.period_s = periods[i];
		assert_int_equal(sim_cost_model(&p.cost, &n, &w, &m, err,
						sizeof err), SIM_COST_E_WORK);
	}

	/* a platform without cost keys: named in the refusal */
	struct mm_platform bare = p;
	bare.has_cost = 0;
	w.period_s = 0;
	assert_int_equal(sim_cost_run(&bare, &n, &w, &r, err, sizeof err),
			 SIM_COST_E_NO_COST);
	assert_non_null(strstr(err, "rpi3bplus: the platform file has no "
				    "cost_* keys"));
	assert_string_equal(r.board, "");

	assert_string_equal(sim_cost_status_str(SIM_COST_E_NO_COST),
			    "no cost figures");
	assert_string_equal(sim_cost_status_str(-1), "unknown status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formulas),
		cmocka_unit_test(test_rpi3bplus_by_hand),
		cmocka_unit_test(test_period_and_idle),
		cmocka_unit_test(test_host_times_apart),
		cmocka_unit_test(test_monotone_in_counts),
		cmocka_unit_test(test_monotone_in_figures),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
