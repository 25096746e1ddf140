/*
 * Source compatibility with libteec: hello_world_host.c, written like
 * optee_examples' hello_world host with nothing but tee_client_api.h,
 * runs against the simulator (the stock RPi3 machine, the fixture only
 * pointing the persistent store at build/) and gets 43.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "sim_fixture.h"

int hello_world_main(void);

static void test_hello_world_unchanged(void **state)
{
	(void)state;
	assert_int_equal(hello_world_main(), 0);
	struct sim_counters c;
	sim_counters_global(&c);
	/* open, invoke, close: three SMCs, one value parameter */
	assert_int_equal(c.smc, 3);
	assert_int_equal(c.open_sessions, 1);
	assert_int_equal(c.invokes, 1);
	assert_int_equal(c.close_sessions, 1);
	assert_int_equal(c.params, 1);
	assert_int_equal(sim_violation_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hello_world_unchanged,
						sim_fixture_up,
						sim_fixture_down),
	};
	return cmocka_run_group_tests_name("sim_hello_world", tests, NULL, NULL);
}
