/*
 * What the checks found: each violation is kept (until cleared) for the
 * tests and printed on stderr as it is found, so that a run of a real
 * program shows it too. Printing stops after SIM_VIOLATIONS_PRINTED lines
 * so that one bad TA does not flood the terminal; counting does not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#define SIM_VIOLATIONS_PRINTED	32

static const char *kind_name(enum sim_violation_kind k)
{
	switch (k) {
	case SIM_V_NW_ACCESS: return "normal-world access denied";
	case SIM_V_LEAK: return "leak";
	case SIM_V_DOUBLE_FETCH: return "double fetch";
	default: return "violation";
	}
}

void sim_violation_add(enum sim_violation_kind kind, uint64_t addr,
		       uint64_t secure_addr, uint32_t len, unsigned session,
		       const char *region, const char *fmt, ...)
{
	if (sim_m.n_viol == sim_m.cap_viol) {
		size_t cap = sim_m.cap_viol ? sim_m.cap_viol * 2 : 16;
		struct sim_violation *v = realloc(sim_m.viol, cap * sizeof *v);
		if (v == NULL)
			return;
		sim_m.viol = v;
		sim_m.cap_viol = cap;
	}
	struct sim_violation *v = &sim_m.viol[sim_m.n_viol++];
	memset(v, 0, sizeof *v);
	v->kind = kind;
	v->addr = addr;
	v->secure_addr = secure_addr;
	v->len = len;
	v->session = session;
	snprintf(v->region, sizeof v->region, "%s", region ? region : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof v->msg, fmt, ap);
	va_end(ap);
	if (sim_m.n_viol <= SIM_VIOLATIONS_PRINTED)
		fprintf(stderr, "sim: %s: %s\n", kind_name(kind), v->msg);
}

size_t sim_violation_count(void)
{
	return sim_m.n_viol;
}

size_t sim_violation_count_kind(enum sim_violation_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < sim_m.n_viol; i++)
		n += sim_m.viol[i].kind == kind;
	return n;
}

const struct sim_violation *sim_violation_at(size_t i)
{
	return i < sim_m.n_viol ? &sim_m.viol[i] : NULL;
}

void sim_violations_clear(void)
{
	sim_m.n_viol = 0;
}
