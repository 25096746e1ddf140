/*
 * Elementwise a OP b (format 1.1's eltwise layer): per channel, a row of
 * h*w values against either a row of b or one value of b (a per-channel
 * gate, as in squeeze-and-excitation, or a constant). The operation is
 * chosen outside the loops so that each loop is one operation GCC can
 * vectorise; every output is one rounding of a OP b (or b OP a), so the
 * modes agree unless the activation differs.
 */
#include "kernel_mode.h"

/* The operation with its operands in order: reversed sub and div swap
 * them; add and mul commute exactly. */
enum op { ADD, SUB, RSUB, MUL, DIV, RDIV };

static enum op op_of(const struct tl_eltwise_params *p)
{
	switch (p->op) {
	case TL_ELT_SUB: return p->reversed ? RSUB : SUB;
	case TL_ELT_MUL: return MUL;
	case TL_ELT_DIV: return p->reversed ? RDIV : DIV;
	case TL_ELT_ADD:
	default: return ADD;	/* tl_model_open admits no other */
	}
}

#define ROW(expr)							\
	do {								\
		for (size_t i = 0; i < n; i++)				\
			out[i] = (expr);				\
	} while (0)

/* b one value per position. */
static void row(enum op op, const float *a, const float *b, float *out,
		size_t n)
{
	switch (op) {
	case ADD: ROW(a[i] + b[i]); break;
	case SUB: ROW(a[i] - b[i]); break;
	case RSUB: ROW(b[i] - a[i]); break;
	case MUL: ROW(a[i] * b[i]); break;
	case DIV: ROW(a[i] / b[i]); break;
	case RDIV: default: ROW(b[i] / a[i]); break;
	}
}

/* b one value for the whole row. */
static void row_scalar(enum op op, const float *a, float b, float *out,
		       size_t n)
{
	switch (op) {
	case ADD: ROW(a[i] + b); break;
	case SUB: ROW(a[i] - b); break;
	case RSUB: ROW(b - a[i]); break;
	case MUL: ROW(a[i] * b); break;
	case DIV: ROW(a[i] / b); break;
	case RDIV: default: ROW(b / a[i]); break;
	}
}

void TL_K(tl_eltwise)(const struct tl_eltwise_params *p, const float *a,
		      const float *b, float *out)
{
	enum op op = op_of(p);
	size_t hw = (size_t)p->hw;
	for (int k = 0; k < p->c; k++) {
		const float *bk = b + (p->b_c == 1 ? 0 : (size_t)k * (size_t)p->b_hw);
		const float *ak = a + (size_t)k * hw;
		float *ok = out + (size_t)k * hw;
		if (p->b_hw == 1)
			row_scalar(op, ak, bk[0], ok, hw);
		else
			row(op, ak, bk, ok, hw);
	}
	TL_K(tl_activate)(out, (size_t)p->c * hw, p->act);
}
