/*
 * Hostile normal world, mode 2: hostile parameters (sim.h,
 * sim_hostile_params). A malicious normal world is not bound by the
 * client library's checks: it can put anything in the message it hands
 * to the TEE. This driver does that for one command: from an honest
 * operation it derives variants (wrong types, short, empty, misaligned,
 * oversized and overlapping buffers), sends each straight to the TEE
 * core (tee_core.c: the same checks OP-TEE's core makes, no more), and
 * checks the TA's answer, that it wrote nothing outside the output
 * memrefs it was given (every buffer lies in its own pool allocation
 * with canaries around it, and the inputs must come back unchanged), and
 * that it did not die.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#define CANARY		64u	/* bytes of guard around each buffer */
#define SLACK		16u	/* room to misalign or overlap within */
#define FILL		0xE7u	/* what an output buffer holds at first */
/* A value pair that, read as a memref pointer on a 64-bit host,
 * points nowhere: 0x0000dead00c0ffe0. */
#define WILD_A		0x00c0ffe0u
#define WILD_B		0x0000deadu

enum kind {
	K_HONEST, K_AS_VALUE, K_AS_NONE, K_FLIP, K_SHORT1, K_SHORT0,
	K_MISALIGN, K_HUGE, K_AS_MEMREF, K_EXTRA, K_OVERLAP,
};

struct variant {
	enum kind kind;
	int i, j;
};

/* The honest operation, resolved. */
struct shape {
	struct sim_msg_param p[4];
	uint8_t *bytes[4];	/* memref contents */
	uint32_t cap;		/* the largest memref, + SLACK */
	/* the honest run's results */
	uint32_t out_size[4];
	uint8_t *out[4];
	uint32_t a[4], b[4];
};

struct layout {
	struct sim_msg_param p[4];
	struct sim_shm *shm[4];
	uint8_t *before[4];	/* each allocation's bytes before the call */
};

static bool writable_memref(uint32_t t)
{
	return sim_type_is_memref(t) && sim_type_writable(t);
}

static uint32_t flipped(uint32_t t)
{
	switch (t) {
	case TEE_PARAM_TYPE_MEMREF_INPUT: return TEE_PARAM_TYPE_MEMREF_OUTPUT;
	case TEE_PARAM_TYPE_MEMREF_OUTPUT: return TEE_PARAM_TYPE_MEMREF_INPUT;
	case TEE_PARAM_TYPE_MEMREF_INOUT: return TEE_PARAM_TYPE_MEMREF_INPUT;
	case TEE_PARAM_TYPE_VALUE_INPUT: return TEE_PARAM_TYPE_VALUE_OUTPUT;
	default: return TEE_PARAM_TYPE_VALUE_INPUT;
	}
}

static void release(struct layout *l)
{
	for (int k = 0; k < 4; k++) {
		if (l->shm[k] != NULL)
			sim_shm_free(l->shm[k]);
		free(l->before[k]);
	}
	memset(l, 0, sizeof *l);
}

/* One parameter's own allocation: canary, data area (the content at
 * shift), canary. */
static int place(const struct shape *sh, int k, uint32_t shift,
		 struct layout *l)
{
	uint64_t span = CANARY + sh->cap + CANARY;
	struct sim_shm *m = sim_shm_pool_alloc(NULL, span,
					       TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	if (m == NULL)
		return -1;
	l->shm[k] = m;
	for (uint64_t i = 0; i < span; i++)
		m->host[i] = (uint8_t)(0xC5 ^ i);
	memset(m->host + CANARY, FILL, sh->cap);
	l->p[k].host = m->host + CANARY + shift;
	if (sh->bytes[k] != NULL)
		memcpy(l->p[k].host, sh->bytes[k], sh->p[k].size);
	return 0;
}

static void apply(const struct shape *sh, const struct variant *v,
		  struct layout *l)
{
	struct sim_msg_param *q = &l->p[v->i];
	switch (v->kind) {
	case K_AS_VALUE:
		*q = (struct sim_msg_param){ .type = TEE_PARAM_TYPE_VALUE_INPUT,
					     .a = WILD_A, .b = WILD_B };
		break;
	case K_AS_NONE:
		memset(q, 0, sizeof *q);
		break;
	case K_FLIP:
		q->type = flipped(q->type);
		break;
	case K_SHORT1:
		q->size = (writable_memref(q->type) ? sh->out_size[v->i]
						    : q->size) - 1;
		break;
	case K_SHORT0:
		q->size = 0;
		break;
	case K_HUGE:
		q->size = 0xFFFFFFF0u;
		break;
	case K_AS_MEMREF:
		q->type = TEE_PARAM_TYPE_MEMREF_INPUT;
		q->host = l->shm[v->i]->host + CANARY;
		q->size = 8;
		break;
	case K_EXTRA:
		*q = (struct sim_msg_param){ .type = TEE_PARAM_TYPE_VALUE_INPUT,
					     .a = 1, .b = 2 };
		break;
	case K_OVERLAP:
		l->p[v->j].host = q->host;
		if (sh->bytes[v->i] == NULL && sh->bytes[v->j] != NULL)
			memcpy(q->host, sh->bytes[v->j], l->p[v->j].size);
		break;
	default:
		break;
	}
}

static int build(const struct shape *sh, const struct variant *v,
		 struct layout *l)
{
	memset(l, 0, sizeof *l);
	for (int k = 0; k < 4; k++) {
		l->p[k] = sh->p[k];
		bool mem = sim_type_is_memref(sh->p[k].type);
		bool val_as_mem = v->kind == K_AS_MEMREF && v->i == k;
		if (!mem && !val_as_mem)
			continue;
		uint32_t shift = v->kind == K_MISALIGN && v->i == k ? 1 : 0;
		if (place(sh, k, shift, l)) {
			release(l);
			return -1;
		}
	}
	apply(sh, v, l);
	for (int k = 0; k < 4; k++) {
		if (l->shm[k] == NULL)
			continue;
		l->before[k] = malloc(l->shm[k]->size);
		if (l->before[k] == NULL) {
			release(l);
			return -1;
		}
		memcpy(l->before[k], l->shm[k]->host, l->shm[k]->size);
	}
	return 0;
}

/* May the TA have written the byte at b, given what it was sent? */
static bool may_write(const struct layout *l, const uint8_t *b)
{
	for (int k = 0; k < 4; k++) {
		const struct sim_msg_param *q = &l->p[k];
		if (writable_memref(q->type) && b >= q->host &&
		    (uint64_t)(b - q->host) < q->size)
			return true;
	}
	return false;
}

/* The first byte written where it should not be, as a sentence. */
static bool wrote_outside(const struct layout *l, char *why, size_t len)
{
	for (int k = 0; k < 4; k++) {
		const struct sim_shm *m = l->shm[k];
		for (uint64_t i = 0; m != NULL && i < m->size; i++) {
			if (m->host[i] == l->before[k][i] ||
			    may_write(l, m->host + i))
				continue;
			long off = (long)i - (long)CANARY;
			snprintf(why, len, "wrote outside its outputs: "
				 "p%d's buffer %+ld (%s)", k, off,
				 off < 0 || off >= (long)(m->size - 2 * CANARY)
					 ? "a canary" : "not an output byte");
			return true;
		}
	}
	return false;
}

static bool same_as_honest(const struct shape *sh, const struct layout *l)
{
	for (int k = 0; k < 4; k++) {
		const struct sim_msg_param *q = &l->p[k];
		if (writable_memref(sh->p[k].type) &&
		    (q->out_size != sh->out_size[k] ||
		     memcmp(q->host, sh->out[k], q->out_size)))
			return false;
		if (sim_type_writable(sh->p[k].type) &&
		    !sim_type_is_memref(sh->p[k].type) &&
		    (q->a != sh->a[k] || q->b != sh->b[k]))
			return false;
	}
	return true;
}

/* Whether the answer is one the variant allows. */
static bool answer_ok(const struct shape *sh, const struct variant *v,
		      const struct layout *l, TEE_Result r)
{
	switch (v->kind) {
	case K_SHORT1:
	case K_SHORT0:
		if (!writable_memref(sh->p[v->i].type))
			return r == TEE_ERROR_BAD_PARAMETERS ||
			       r == TEE_ERROR_SHORT_BUFFER;
		return r == TEE_ERROR_BAD_PARAMETERS ||
		       (r == TEE_ERROR_SHORT_BUFFER &&
			l->p[v->i].out_size >= sh->out_size[v->i]);
	case K_MISALIGN:
	case K_OVERLAP:
		return r == TEE_ERROR_BAD_PARAMETERS ||
		       (r == TEE_SUCCESS && same_as_honest(sh, l));
	default:
		return r == TEE_ERROR_BAD_PARAMETERS;
	}
}

static void name(const struct variant *v, char *out, size_t len)
{
	static const char *what[] = {
		[K_HONEST] = "honest", [K_AS_VALUE] = "as a value",
		[K_AS_NONE] = "as NONE", [K_FLIP] = "with its direction flipped",
		[K_SHORT1] = "one byte short", [K_SHORT0] = "empty",
		[K_MISALIGN] = "misaligned by one byte",
		[K_HUGE] = "sized beyond its buffer",
		[K_AS_MEMREF] = "as a memref", [K_EXTRA] = "(NONE) as a value",
		[K_OVERLAP] = "overlapping",
	};
	if (v->kind == K_OVERLAP)
		snprintf(out, len, "p%d overlapping p%d", v->j, v->i);
	else
		snprintf(out, len, "p%d %s", v->i, what[v->kind]);
}

static TEE_Result run(struct sim_session *s, uint32_t cmd,
		      const struct shape *sh, const struct variant *v,
		      struct layout *l, uint32_t *origin)
{
	if (build(sh, v, l))
		return TEE_ERROR_OUT_OF_MEMORY;
	return sim_core_invoke(s, cmd, l->p, origin);
}

static int resolve(struct sim_session *s, const TEEC_Operation *honest,
		   struct shape *sh)
{
	struct sim_op_state st;
	if (sim_params_in(s->ctx, honest, sh->p, &st) != TEEC_SUCCESS)
		return -1;
	sh->cap = SLACK;
	int rc = 0;
	for (int k = 0; k < 4; k++) {
		if (!sim_type_is_memref(sh->p[k].type))
			continue;
		if (sh->p[k].size + SLACK > sh->cap)
			sh->cap = sh->p[k].size + SLACK;
		if (sh->p[k].type == TEE_PARAM_TYPE_MEMREF_OUTPUT)
			continue;
		sh->bytes[k] = malloc(sh->p[k].size ? sh->p[k].size : 1);
		if (sh->bytes[k] == NULL)
			rc = -1;
		else
			memcpy(sh->bytes[k], sh->p[k].host, sh->p[k].size);
	}
	sim_params_release(&st);
	return rc;
}

/* The variants, those that only resize or move buffers first, those
 * that retype parameters last: a TA that trusts types tends to die of
 * them, which ends the run. */
static size_t variants(const struct shape *sh, struct variant *v)
{
	size_t n = 0;
	for (int k = 0; k < 4; k++) {
		uint32_t t = sh->p[k].type;
		if (!sim_type_is_memref(t))
			continue;
		uint32_t size = writable_memref(t) ? sh->out_size[k]
						   : sh->p[k].size;
		if (size > 0)
			v[n++] = (struct variant){ K_SHORT1, k, 0 };
		if (sh->p[k].size > 0) {
			v[n++] = (struct variant){ K_SHORT0, k, 0 };
			v[n++] = (struct variant){ K_MISALIGN, k, 0 };
		}
		v[n++] = (struct variant){ K_HUGE, k, 0 };
	}
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			if (sim_type_is_memref(sh->p[i].type) &&
			    sim_type_is_memref(sh->p[j].type) &&
			    (writable_memref(sh->p[i].type) ||
			     writable_memref(sh->p[j].type)))
				v[n++] = (struct variant){ K_OVERLAP, i, j };
	static const enum kind retype[] = { K_FLIP, K_EXTRA, K_AS_MEMREF,
					    K_AS_VALUE, K_AS_NONE };
	for (size_t r = 0; r < sizeof retype / sizeof retype[0]; r++)
		for (int k = 0; k < 4; k++) {
			uint32_t t = sh->p[k].type;
			bool mem = sim_type_is_memref(t);
			bool none = t == TEE_PARAM_TYPE_NONE;
			enum kind kd = retype[r];
			if ((kd == K_EXTRA && !none) ||
			    (kd == K_AS_MEMREF && (mem || none)) ||
			    (kd == K_AS_VALUE && !mem) ||
			    ((kd == K_FLIP || kd == K_AS_NONE) && none))
				continue;
			v[n++] = (struct variant){ kd, k, 0 };
		}
	return n;
}

/* The honest run: it must succeed; its outputs are the reference. */
static int baseline(struct sim_session *s, uint32_t cmd, struct shape *sh)
{
	struct layout l;
	uint32_t origin;
	struct variant v = { K_HONEST, 0, 0 };
	TEE_Result r = run(s, cmd, sh, &v, &l, &origin);
	int rc = r == TEE_SUCCESS ? 0 : -1;
	for (int k = 0; rc == 0 && k < 4; k++) {
		sh->out_size[k] = l.p[k].out_size;
		sh->a[k] = l.p[k].a;
		sh->b[k] = l.p[k].b;
		if (!writable_memref(sh->p[k].type))
			continue;
		sh->out[k] = malloc(l.p[k].out_size ? l.p[k].out_size : 1);
		if (sh->out[k] == NULL)
			rc = -1;
		else
			memcpy(sh->out[k], l.p[k].host, l.p[k].out_size);
	}
	release(&l);
	return rc;
}

static void judge(const struct shape *sh, const struct variant *v,
		  const struct layout *l, TEE_Result r, uint32_t origin,
		  struct sim_hostile_case *c)
{
	name(v, c->name, sizeof c->name);
	c->ret = r;
	c->origin = origin;
	c->passed = false;
	if (r == TEE_ERROR_TARGET_DEAD)
		snprintf(c->why, sizeof c->why, "the TA died");
	else if (wrote_outside(l, c->why, sizeof c->why))
		;
	else if (!answer_ok(sh, v, l, r))
		snprintf(c->why, sizeof c->why, "answered 0x%08x (origin %u)%s",
			 (unsigned)r, (unsigned)origin,
			 v->kind == K_MISALIGN || v->kind == K_OVERLAP
				 ? ", neither BAD_PARAMETERS nor the honest "
				   "result"
				 : v->kind == K_SHORT1 || v->kind == K_SHORT0
				 ? ", neither BAD_PARAMETERS nor SHORT_BUFFER "
				   "with the size needed"
				 : ", not BAD_PARAMETERS");
	else
		c->passed = true;
}

int sim_hostile_params(TEEC_Session *ts, uint32_t cmd,
		       const TEEC_Operation *honest,
		       struct sim_hostile_report *r)
{
	if (ts == NULL || r == NULL || !sim_session_valid(ts->imp.session))
		return SIM_E_STATE;
	memset(r, 0, sizeof *r);
	struct sim_session *s = ts->imp.session;
	struct shape sh;
	memset(&sh, 0, sizeof sh);
	struct variant v[SIM_HOSTILE_CASES_MAX];
	int rc = resolve(s, honest, &sh) || s->dead ||
			 baseline(s, cmd, &sh) ? SIM_E_STATE : SIM_OK;
	size_t n = rc == SIM_OK ? variants(&sh, v) : 0;
	for (size_t i = 0; i < n && !s->dead; i++) {
		struct layout l;
		uint32_t origin = TEE_ORIGIN_API;
		TEE_Result res = run(s, cmd, &sh, &v[i], &l, &origin);
		struct sim_hostile_case *c = &r->cases[r->n_cases++];
		judge(&sh, &v[i], &l, res, origin, c);
		r->n_failed += !c->passed;
		release(&l);
	}
	for (int k = 0; k < 4; k++) {
		free(sh.bytes[k]);
		free(sh.out[k]);
	}
	return rc;
}
