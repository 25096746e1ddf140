/*
 * Inside the TEE, one SMC at a time: what OP-TEE's core does with an
 * open, invoke or close message. It checks that every memref lies in
 * shared memory it knows (the static pool or a registered buffer), maps
 * it for the TA, runs the entry point, and hands back sizes and values.
 * Around each open and invoke it runs the checks in force: the taint scan
 * (taint.c) and the double-fetch trap (hostile_fetch.c). A panic or a
 * fault kills the instance: TEE_ERROR_TARGET_DEAD, origin TEE, for this
 * call and every later call on its sessions.
 *
 * Counting (sim_counters.h): one SMC per message, the non-NONE
 * parameters, memref bytes offered to the TA (input, inout), bytes handed
 * back (output, inout, as the TA sized them, on success), and the 4 KiB
 * pages each memref spans. secure_ns is host time inside the TA.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

enum call_kind { CALL_OPEN, CALL_INVOKE, CALL_CLOSE };

struct call {
	enum call_kind kind;
	uint32_t cmd, types;
	TEE_Param params[4];
	void *ta_session;
	TEE_Result ret;
};

static void run_entry(void *arg)
{
	struct call *c = arg;
	const struct sim_ta_desc *ta = sim_m.current->ta;
	switch (c->kind) {
	case CALL_OPEN:
		c->ret = ta->open_session(c->types, c->params, &c->ta_session);
		break;
	case CALL_INVOKE:
		c->ret = ta->invoke(c->ta_session, c->cmd, c->types, c->params);
		break;
	case CALL_CLOSE:
		ta->close_session(c->ta_session);
		c->ret = TEE_SUCCESS;
		break;
	}
}

bool sim_session_valid(const struct sim_session *s)
{
	for (const struct sim_session *t = sim_m.sessions; t; t = t->next)
		if (t == s)
			return true;
	return false;
}

static bool valid_type(uint32_t t)
{
	return t <= TEE_PARAM_TYPE_VALUE_INOUT ||
	       (t >= TEE_PARAM_TYPE_MEMREF_INPUT &&
		t <= TEE_PARAM_TYPE_MEMREF_INOUT);
}

/* What OP-TEE's core checks: known types, and every memref inside one
 * shared object; then its physical address. */
static bool map_params(struct sim_msg_param p[4])
{
	for (int i = 0; i < 4; i++) {
		if (!valid_type(p[i].type))
			return false;
		if (!sim_type_is_memref(p[i].type) ||
		    (p[i].host == NULL && p[i].size == 0))
			continue;
		struct sim_shm *s = sim_shm_find(p[i].host, p[i].size);
		if (s == NULL)
			return false;
		p[i].phys = s->phys + (uint64_t)(p[i].host - s->host);
	}
	return true;
}

static void count_in(const struct sim_msg_param p[4], struct sim_counters *d)
{
	for (int i = 0; i < 4; i++) {
		if (p[i].type == TEE_PARAM_TYPE_NONE)
			continue;
		d->params++;
		if (!sim_type_is_memref(p[i].type) || p[i].size == 0)
			continue;
		if (p[i].type != TEE_PARAM_TYPE_MEMREF_OUTPUT)
			d->bytes_to_secure += p[i].size;
		uint64_t first = SIM_PG_DOWN(p[i].phys);
		uint64_t last = SIM_PG_DOWN(p[i].phys + p[i].size - 1);
		d->pages_mapped += (last - first) / SIM_PG + 1;
	}
}

static void count_out(const struct sim_msg_param p[4], struct sim_counters *d)
{
	for (int i = 0; i < 4; i++)
		if (sim_type_is_memref(p[i].type) &&
		    sim_type_writable(p[i].type))
			d->bytes_to_normal += p[i].out_size < p[i].size
						      ? p[i].out_size
						      : p[i].size;
}

static void to_ta(const struct sim_msg_param p[4], struct call *c)
{
	c->types = 0;
	memset(c->params, 0, sizeof c->params);
	for (int i = 0; i < 4; i++) {
		c->types |= p[i].type << (4 * i);
		if (sim_type_is_memref(p[i].type)) {
			c->params[i].memref.buffer = p[i].host;
			c->params[i].memref.size = p[i].size;
		} else if (p[i].type != TEE_PARAM_TYPE_VALUE_OUTPUT) {
			c->params[i].value.a = p[i].a;
			c->params[i].value.b = p[i].b;
		}
	}
}

static void from_ta(const struct call *c, struct sim_msg_param p[4])
{
	for (int i = 0; i < 4; i++) {
		if (sim_type_is_memref(p[i].type))
			p[i].out_size = sim_type_writable(p[i].type)
						? c->params[i].memref.size
						: p[i].size;
		else if (sim_type_writable(p[i].type)) {
			p[i].a = c->params[i].value.a;
			p[i].b = c->params[i].value.b;
		}
	}
}

/* Runs one entry point with the checks around it. */
static TEE_Result enter(struct sim_instance *inst, struct sim_session *s,
			struct call *c, struct sim_msg_param p[4],
			uint32_t *origin, struct sim_counters *d)
{
	bool checked = c->kind != CALL_CLOSE;
	uint64_t t0 = sim_now_ns();
	to_ta(p, c);
	inst->params = p;
	struct sim_taint_call *tc = checked && sim_m.taint_on
					    ? sim_taint_begin(inst, p) : NULL;
	bool df = checked && (sim_m.hostile & SIM_HOSTILE_DOUBLE_FETCH) &&
		  sim_df_arm(p) == 0;
	uint64_t t1 = sim_now_ns();
	int rc = sim_run_ta(inst, run_entry, c);
	uint64_t t2 = sim_now_ns();
	d->secure_ns += t2 - t1;
	if (df)
		sim_df_disarm(inst, s ? s->id : 0);
	inst->params = NULL;
	TEE_Result res = c->ret;
	if (rc == 0)
		from_ta(c, p);
	if (tc != NULL)	/* before a dead instance is scrubbed */
		sim_taint_end(tc, s, p, rc == 0 && res == TEE_SUCCESS);
	if (rc != 0) {
		fprintf(stderr, "sim: TA %s (instance %u) died: %s\n",
			inst->ta->name, inst->id,
			inst->panic_why[0] ? inst->panic_why : "TEE_Panic");
		sim_instance_kill(inst);
		*origin = TEE_ORIGIN_TEE;
		res = TEE_ERROR_TARGET_DEAD;
	} else {
		*origin = TEE_ORIGIN_TRUSTED_APP;
		if (res == TEE_SUCCESS)
			count_out(p, d);
	}
	sim_m.check_ns += (t1 - t0) + (sim_now_ns() - t2);
	return res;
}

static void unlink_session(struct sim_session *s)
{
	for (struct sim_session **pp = &sim_m.sessions; *pp;
	     pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			return;
		}
}

TEE_Result sim_core_open(struct sim_ctx *ctx, const TEEC_UUID *uuid,
			 struct sim_msg_param p[4], struct sim_session **out,
			 uint32_t *origin)
{
	struct sim_counters d = { .smc = 1, .open_sessions = 1 };
	TEE_UUID u = { uuid->timeLow, uuid->timeMid, uuid->timeHiAndVersion,
		       { 0 } };
	memcpy(u.clockSeqAndNode, uuid->clockSeqAndNode, 8);
	TEE_Result res = TEE_ERROR_BAD_PARAMETERS;
	*origin = TEE_ORIGIN_TEE;
	*out = NULL;
	const struct sim_ta_desc *ta = sim_ta_find(&u);
	bool mapped = map_params(p);
	count_in(p, &d);
	if (ta == NULL)
		res = TEE_ERROR_ITEM_NOT_FOUND;
	if (ta == NULL || !mapped) {
		sim_count(NULL, &d);
		return res;
	}
	struct sim_session *s = calloc(1, sizeof *s);
	struct sim_instance *inst = NULL;
	uint64_t t0 = sim_now_ns();
	res = s ? sim_instance_get(ta, &inst, origin) : TEE_ERROR_OUT_OF_MEMORY;
	d.secure_ns += sim_now_ns() - t0;
	if (res != TEE_SUCCESS) {
		free(s);
		sim_count(NULL, &d);
		return res;
	}
	inst->sessions++;
	s->inst = inst;
	s->ctx = ctx;
	s->id = sim_next_id();
	s->next = sim_m.sessions;
	sim_m.sessions = s;
	struct call c = { .kind = CALL_OPEN };
	res = enter(inst, s, &c, p, origin, &d);
	if (res == TEE_SUCCESS) {
		s->ta_session = c.ta_session;
		sim_count(s, &d);
		*out = s;
		return res;
	}
	sim_count(NULL, &d);
	unlink_session(s);
	sim_instance_put(inst);
	free(s);
	return res;
}

TEE_Result sim_core_invoke(struct sim_session *s, uint32_t cmd,
			   struct sim_msg_param p[4], uint32_t *origin)
{
	struct sim_counters d = { .smc = 1, .invokes = 1 };
	TEE_Result res;
	bool mapped = map_params(p);
	count_in(p, &d);
	*origin = TEE_ORIGIN_TEE;
	if (s->dead) {
		res = TEE_ERROR_TARGET_DEAD;
	} else if (!mapped) {
		res = TEE_ERROR_BAD_PARAMETERS;
	} else {
		struct call c = { .kind = CALL_INVOKE, .cmd = cmd,
				  .ta_session = s->ta_session };
		res = enter(s->inst, s, &c, p, origin, &d);
	}
	sim_count(s, &d);
	return res;
}

void sim_core_close(struct sim_session *s)
{
	struct sim_counters d = { .smc = 1, .close_sessions = 1 };
	if (!s->dead) {
		struct sim_msg_param none[4];
		memset(none, 0, sizeof none);
		struct call c = { .kind = CALL_CLOSE,
				  .ta_session = s->ta_session };
		uint32_t origin;
		enter(s->inst, s, &c, none, &origin, &d);
	}
	sim_count(NULL, &d);
	unlink_session(s);
	sim_instance_put(s->inst);
	free(s);
}
