/* Shared support for the cost model's tests (cost_support.h). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "cost_support.h"

const char *const cost_platforms[2] = { "rpi3bplus.conf", "qemu_armv8a.conf" };

void cost_load(const char *name, struct mm_platform *p)
{
	char path[256], err[512];
	int line;
	snprintf(path, sizeof path, "%s/%s", MM_PLATFORM_DIR, name);
	if (mm_platform_load(path, p, err, sizeof err, &line))
		fail_msg("%s", err);
	if (!p->has_cost)
		fail_msg("%s: no cost_* keys", path);
}

double cost_rel_err(double a, double b)
{
	return b == 0 ? fabs(a) : fabs(a - b) / fabs(b);
}
