/*
 * A drawn model written as .tlm bytes, from docs/model-format.md alone:
 * the 64-byte header, the tensor table (32 bytes an entry), the layer
 * table (64), the weights (every array 16-byte aligned), in the order
 * and with the gaps the layout says, then the CRC-32 of everything
 * before it. The CRC is S-Tinylib's tl_crc32, zlib's CRC-32, which the
 * ONNX tests hold against Python's zlib.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_random.h"
#include "model_gen.h"

#define ALIGN16(x) (((x) + 15) & ~(uint64_t)15)

struct tensor {
	uint32_t kind, c, h, w;
	uint64_t offset;	/* parameters: within the weights section */
	uint64_t values;	/* parameters: the seed of their values */
	float scale;		/* parameters: values in [-scale, scale) */
};

/* Every tensor of the file in its natural order (activations: the input,
 * then each layer's output; then each layer's weights and bias; then the
 * unused ones), with the id each gets and each layer's references. */
struct tensors {
	struct tensor *t;
	uint32_t n, *id;	/* id[natural] */
	uint32_t (*param)[2];	/* per layer: natural weights, bias */
	uint64_t weights_size;
};

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A parameter array's shape: any of c x h x w with its element count;
 * the layer's own values choose. */
static struct tensor param_shape(uint32_t n, uint64_t seed,
				 struct gen_shape fixed)
{
	if (fixed.c)
		return (struct tensor){ .kind = TL_TENSOR_PARAMETER,
					.c = fixed.c, .h = fixed.h,
					.w = fixed.w, .values = seed };
	struct tensor t = { .kind = TL_TENSOR_PARAMETER, .c = n, .h = 1,
			    .w = 1, .values = seed };
	if (seed % 3 == 1)
		t.c = 1, t.w = n;
	else if (seed % 3 == 2)
		t.c = 1, t.h = n;
	return t;
}

/* The scale of a layer's weights: 1 / sqrt(fan in), so activations keep
 * their size through deep models. */
static float weight_scale(const struct gen_model *m, const struct gen_layer *l)
{
	struct gen_shape in = gen_model_act(m, l->inputs[0]);
	if (l->wshape.c)	/* an eltwise constant, a layernorm's gamma */
		return 1.0f;
	uint32_t kw = l->params[4] ? (uint32_t)l->params[4]
				   : (uint32_t)l->params[0];
	uint64_t fan = l->type == TL_LAYER_CONV
		? (uint64_t)(in.c / (uint32_t)l->params[3]) * l->params[0] * kw
		: gen_elements(in);
	return (float)(1.0 / sqrt((double)(fan ? fan : 1)));
}

/* An earlier layer whose parameters this shared layer takes: marked
 * shared too, with the same element counts; -1 when none. */
static int shared_with(const struct gen_model *m, size_t i)
{
	const struct gen_layer *l = &m->layers[i];
	for (size_t j = 0; l->shared && j < i; j++) {
		const struct gen_layer *k = &m->layers[j];
		if (k->shared && k->weights == l->weights &&
		    k->bias == l->bias)
			return (int)j;
	}
	return -1;
}

static uint32_t add_param(struct tensors *ts, uint32_t n, uint64_t seed,
			  float scale, struct gen_shape fixed)
{
	ts->t[ts->n] = param_shape(n, seed, fixed);
	ts->t[ts->n].scale = scale;
	return ts->n++;
}

/* Natural order, parameter sharing, unused tensors within the format's
 * limit. */
static int collect(const struct gen_model *m, struct tensors *ts)
{
	size_t max = 1 + 3 * m->n_layers + m->layout.unused_tensors;
	ts->t = calloc(max, sizeof *ts->t);
	ts->id = calloc(max, sizeof *ts->id);
	ts->param = calloc(m->n_layers, sizeof *ts->param);
	if (!ts->t || !ts->id || !ts->param)
		return -1;
	for (size_t a = 0; a <= m->n_layers; a++) {
		struct gen_shape s = gen_model_act(m, (int)a);
		ts->t[ts->n++] = (struct tensor){ .kind = TL_TENSOR_ACTIVATION,
			.c = s.c, .h = s.h, .w = s.w };
	}
	for (size_t i = 0; i < m->n_layers; i++) {
		const struct gen_layer *l = &m->layers[i];
		int j = shared_with(m, i);
		if (!l->weights)
			continue;
		if (j >= 0) {
			memcpy(ts->param[i], ts->param[j], sizeof ts->param[i]);
			continue;
		}
		ts->param[i][0] = add_param(ts, l->weights, l->values,
					    weight_scale(m, l), l->wshape);
		if (l->bias)
			ts->param[i][1] = add_param(ts, l->bias,
						    l->values >> 7, 0.1f,
						    l->wshape);
	}
	struct gen_rng r = { m->layout.seed };
	for (uint32_t k = 0; k < m->layout.unused_tensors &&
			     ts->n < TL_MAX_TENSORS; k++) {
		if (gen_chance(&r, 50))
			ts->t[ts->n++] = (struct tensor){
				.kind = TL_TENSOR_ACTIVATION, .c = 1,
				.h = gen_between(&r, 1, 4), .w = 1 };
		else
			add_param(ts, gen_between(&r, 1, 16), gen_next(&r),
				  1.0f, (struct gen_shape){ 0, 0, 0 });
	}
	return 0;
}

/* Tensor ids: natural, or a drawn permutation (Fisher-Yates). */
static void number(const struct gen_layout *o, struct tensors *ts)
{
	for (uint32_t i = 0; i < ts->n; i++)
		ts->id[i] = i;
	struct gen_rng r = { o->seed ^ 0x1234567ull };
	for (uint32_t i = ts->n - 1; o->shuffle && i > 0; i--) {
		uint32_t j = gen_below(&r, i + 1), t = ts->id[i];
		ts->id[i] = ts->id[j];
		ts->id[j] = t;
	}
}

/* Each parameter array's offset in the weights section: natural order
 * or last first, each 16-aligned, now and then a gap between two. */
static void place_arrays(const struct gen_layout *o, struct tensors *ts)
{
	struct gen_rng r = { o->seed ^ 0x9876543ull };
	uint64_t at = 0;
	for (uint32_t k = 0; k < ts->n; k++) {
		uint32_t i = o->reverse_arrays ? ts->n - 1 - k : k;
		struct tensor *t = &ts->t[i];
		if (t->kind != TL_TENSOR_PARAMETER)
			continue;
		at = ALIGN16(at) + (gen_chance(&r, 10) ? 16 * gen_below(&r, 4)
						      : 0);
		t->offset = at;
		at += gen_elements((struct gen_shape){ t->c, t->h, t->w }) * 4;
	}
	ts->weights_size = at;
}

static void write_values(uint8_t *dst, const struct tensor *t)
{
	struct gen_rng r = { t->values };
	uint64_t n = (uint64_t)t->c * t->h * t->w;
	for (uint64_t i = 0; i < n; i++) {
		float v = gen_float(&r, -t->scale, t->scale);
		memcpy(dst + 4 * i, &v, 4);
	}
}

static void write_tensors(uint8_t *table, uint8_t *weights,
			  const struct tensors *ts)
{
	for (uint32_t i = 0; i < ts->n; i++) {
		const struct tensor *t = &ts->t[i];
		uint8_t *e = table + 32 * (size_t)ts->id[i];
		put32(e, t->kind);
		put32(e + 4, TL_DTYPE_F32);
		put32(e + 8, t->c);
		put32(e + 12, t->h);
		put32(e + 16, t->w);
		if (t->kind == TL_TENSOR_PARAMETER) {
			put32(e + 20, (uint32_t)t->offset);
			write_values(weights + t->offset, t);
		}
	}
}

static void write_layers(uint8_t *table, const struct gen_model *m,
			 const struct tensors *ts)
{
	for (size_t i = 0; i < m->n_layers; i++) {
		const struct gen_layer *l = &m->layers[i];
		uint8_t *e = table + 64 * i;
		put32(e, (uint32_t)l->type | (uint32_t)l->act << 16);
		put32(e + 4, ts->id[i + 1]);
		for (int k = 0; k < TL_MAX_INPUTS; k++)
			put32(e + 8 + 4 * k, k < l->n_inputs
			      ? ts->id[l->inputs[k]] : TL_NONE);
		put32(e + 24, l->weights ? ts->id[ts->param[i][0]] : TL_NONE);
		put32(e + 28, l->bias ? ts->id[ts->param[i][1]] : TL_NONE);
		for (int k = 0; k < TL_MAX_PARAMS; k++)
			put32(e + 32 + 4 * k, (uint32_t)l->params[k]);
	}
}

static void write_header(uint8_t *b, const struct gen_model *m,
			 const struct tensors *ts, const uint64_t at[3],
			 uint64_t file_size)
{
	memcpy(b, "TLMF", 4);
	put32(b + 4, 1 | (uint32_t)m->layout.minor << 16);
	put32(b + 12, 64);
	put32(b + 16, (uint32_t)file_size);
	put32(b + 20, ts->n);
	put32(b + 24, (uint32_t)at[0]);
	put32(b + 28, (uint32_t)m->n_layers);
	put32(b + 32, (uint32_t)at[1]);
	put32(b + 36, (uint32_t)at[2]);
	put32(b + 40, (uint32_t)ts->weights_size);
	put32(b + 44, ts->id[0]);
	put32(b + 48, ts->id[m->output]);
}

/* Gaps hold drawn bytes half the time: nothing may read them. */
static void fill_gaps(uint8_t *b, uint64_t size, const uint64_t at[3],
		      const uint64_t len[3], uint64_t seed)
{
	struct gen_rng r = { seed };
	if (gen_chance(&r, 50))
		return;
	uint8_t *used = calloc(size ? size : 1, 1);
	if (!used)
		return;
	memset(used, 1, 64);
	for (int s = 0; s < 3; s++)
		memset(used + at[s], 1, len[s]);
	for (uint64_t i = 0; i < size; i++)
		if (!used[i])
			b[i] = (uint8_t)gen_next(&r);
	free(used);
}

int gen_model_write(const struct gen_model *m, uint8_t **blob, size_t *size)
{
	struct tensors ts = { 0 };
	int rc = -1;
	*blob = NULL;
	if (collect(m, &ts) == 0) {
		number(&m->layout, &ts);
		place_arrays(&m->layout, &ts);
		uint64_t len[3] = { 32ull * ts.n, 64ull * m->n_layers,
				    ts.weights_size }, at[3], end = 64;
		for (int k = 0; k < 3; k++) {
			int s = m->layout.order[k];
			at[s] = ALIGN16(end) + m->layout.gap[k];
			end = at[s] + len[s];
		}
		uint64_t file_size = end + 4;
		*blob = aligned_alloc(16, ALIGN16(file_size));
		if (*blob) {
			memset(*blob, 0, ALIGN16(file_size));
			write_header(*blob, m, &ts, at, file_size);
			write_tensors(*blob + at[0], *blob + at[2], &ts);
			write_layers(*blob + at[1], m, &ts);
			fill_gaps(*blob, file_size - 4, at, len,
				  m->layout.seed);
			put32(*blob + file_size - 4,
			      tl_crc32(0, *blob, file_size - 4));
			*size = (size_t)file_size;
			rc = 0;
		}
	}
	free(ts.t);
	free(ts.id);
	free(ts.param);
	return rc;
}

int gen_save(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	int bad = !f || fwrite(data, 1, n, f) != n;
	if (f && fclose(f))
		bad = 1;
	return bad ? -1 : 0;
}
