/*
 * The cost report (sim_cost.h): host-measured and board-modelled figures
 * side by side under their labels, in text and in JSON, the JSON well
 * formed with its numbers reading back, strings escaped, write errors
 * reported.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim_cost.h"
#include "cost_support.h"

static char err[512];

/* A report of a provisioning plus one inference on platform name. */
static void a_report(const char *name, struct sim_cost_report *r)
{
	struct mm_platform p;
	cost_load(name, &p);
	struct sim_counters n;
	sim_cost_shm_counters(16893000, 1 << 20, 1, &n);
	n.open_sessions = n.close_sessions = 1;
	n.smc += 3;
	n.invokes += 1;
	n.bytes_to_normal = 4000;
	n.secure_ns = 123456789;
	n.normal_ns = 23456789;
	struct sim_work w = { 740000000, 2.0 };
	assert_int_equal(sim_cost_run(&p, &n, &w, r, err, sizeof err),
			 SIM_COST_OK);
}

/* What a printer writes, as one NUL-terminated string (free it). */
static char *printed(int (*print)(FILE *, const struct sim_cost_report *),
		     const struct sim_cost_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(print(f, r), SIM_COST_OK);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The line of text that starts (after spaces) with what. */
static const char *line_of(const char *text, const char *what)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n')) {
		if (*l == '\n')
			l++;
		const char *s = l + strspn(l, " ");
		if (!strncmp(s, what, strlen(what)))
			return l;
	}
	fail_msg("no line starts with '%s'", what);
	return NULL;
}

static void test_text_side_by_side(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct sim_cost_report r;
		a_report(cost_platforms[i], &r);
		char *text = printed(sim_cost_print_text, &r);
		char head[128], want[160];
		snprintf(head, sizeof head, "measured on this host   "
			 "modelled for %s\n", r.board);
		assert_non_null(strstr(line_of(text, "Time"), head));
		/* host figure left, board figure right, on one line */
		snprintf(want, sizeof want, "%.3f ms", r.host.secure_s * 1e3);
		const char *l = line_of(text, "secure world");
		char *nl = strchr(l, '\n');
		const char *h = strstr(l, want);
		snprintf(want, sizeof want, "%.3f ms", r.model.t.secure * 1e3);
		const char *b = strstr(l, want);
		assert_true(h && b && h < b && b < nl);
		assert_non_null(strstr(text, "measured on this host."));
		snprintf(want, sizeof want, "Modelled for %s, board time:",
			 r.board);
		assert_non_null(strstr(text, want));
		snprintf(want, sizeof want, "Modelled for %s, board energy:",
			 r.board);
		assert_non_null(strstr(text, want));
		snprintf(want, sizeof want, "%.6f J", r.model.e.total);
		assert_non_null(strstr(line_of(strstr(text, "energy:"),
					       "total"), want));
		snprintf(want, sizeof want, "(%llu x 20.000 us)",
			 (unsigned long long)r.counted.smc);
		assert_non_null(strstr(text, want));
		free(text);
	}
}

/* Balanced braces outside strings, and nothing after the object. */
static void assert_json_shape(const char *j)
{
	int depth = 0, in_string = 0;
	const char *p = j;
	for (; *p; p++) {
		if (in_string) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_string = 0;
			continue;
		}
		if (*p == '"')
			in_string = 1;
		else if (*p == '{')
			depth++;
		else if (*p == '}' && --depth == 0)
			break;
		assert_true(depth > 0);
	}
	assert_int_equal(depth, 0);
	assert_string_equal(p, "}\n");
}

/* The number after "key": inside the member that starts at object. */
static double json_number(const char *j, const char *object,
			  const char *key)
{
	const char *o = strstr(j, object);
	assert_non_null(o);
	char k[64];
	snprintf(k, sizeof k, "\"%s\":", key);
	const char *v = strstr(o, k);
	assert_non_null(v);
	return strtod(v + strlen(k), NULL);
}

static void test_json(void **state)
{
	(void)state;
	struct sim_cost_report r;
	a_report("rpi3bplus.conf", &r);
	char *j = printed(sim_cost_print_json, &r);
	assert_json_shape(j);
	assert_true(!strncmp(j, "{\"board\":\"rpi3bplus\",\"counted\":{", 32));
	/* the host object holds host times only, nothing modelled */
	const char *host = strstr(j, "\"measured_on_this_host\":{");
	const char *model = strstr(j, "\"modelled_for_board\":{");
	assert_true(host && model && host < model);
	assert_true(strchr(host, '}') < model);
	assert_true(fabs(json_number(j, "measured_on_this_host", "secure_s")
			 - 0.123456789) < 1e-15);
	assert_true(fabs(json_number(j, "measured_on_this_host", "total_s")
			 - 0.146913578) < 1e-15);
	assert_non_null(strstr(model, "\"board\":\"rpi3bplus\""));
	/* modelled numbers read back to 9 significant digits */
	static const char *const keys[] = { "switches", "compute", "busy",
					    "idle", "total" };
	const double want[] = { r.model.t.switches, r.model.t.compute,
				r.model.t.busy, r.model.t.idle,
				r.model.t.total };
	for (size_t i = 0; i < 5; i++)
		assert_true(cost_rel_err(json_number(j, "\"time_s\"", keys[i]),
					 want[i]) < 1e-8);
	assert_true(cost_rel_err(json_number(j, "\"energy_j\"", "total"),
				 r.model.e.total) < 1e-8);
	assert_true(json_number(j, "\"counted\"", "smc")
		    == (double)r.counted.smc);
	assert_true(json_number(j, "\"cost\"", "core_mhz") == 1400);
	assert_true(json_number(j, "\"work\"", "period_s") == 2.0);
	free(j);
}

static void test_json_escapes_the_board(void **state)
{
	(void)state;
	struct sim_cost_report r;
	a_report("qemu_armv8a.conf", &r);
	strcpy(r.board, "a\"b\\c\x01");
	char *j = printed(sim_cost_print_json, &r);
	assert_json_shape(j);
	assert_true(!strncmp(j, "{\"board\":\"a\\\"b\\\\c\\u0001\",", 24));
	free(j);
}

static void test_write_errors(void **state)
{
	(void)state;
	struct sim_cost_report r;
	a_report("rpi3bplus.conf", &r);
	FILE *ro = fopen("/dev/null", "r");	/* writes fail */
	assert_non_null(ro);
	assert_int_equal(sim_cost_print_text(ro, &r), SIM_COST_E_IO);
	clearerr(ro);
	assert_int_equal(sim_cost_print_json(ro, &r), SIM_COST_E_IO);
	fclose(ro);
	assert_int_equal(sim_cost_print_text(NULL, &r), SIM_COST_E_ARG);
	assert_int_equal(sim_cost_print_json(stdout, NULL), SIM_COST_E_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_side_by_side),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_escapes_the_board),
		cmocka_unit_test(test_write_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
