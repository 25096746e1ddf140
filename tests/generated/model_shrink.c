/* Shrinking a failing model (model_shrink.h). */
#include <string.h>

#include "model_shrink.h"

/* The prefix lengths tried: every one up to 32 layers, then doubling
 * (and a bisection below the first that fails), so that a model of the
 * format's 512 layers costs a few dozen tries. */
static size_t next_prefix(size_t k)
{
	return k < 32 ? k + 1 : k * 2;
}

/* cand = the first k layers of m, the last one the output. */
static void take_prefix(const struct gen_model *m, struct gen_model *cand,
			size_t k)
{
	memcpy(cand->layers, m->layers, k * sizeof *m->layers);
	cand->layout = m->layout;
	cand->input = m->input;
	cand->n_layers = k;
	cand->output = (int)k;
}

/* Whether activation a is read by a layer or is the output. */
static int is_read(const struct gen_model *m, int a)
{
	if (m->output == a)
		return 1;
	for (size_t i = 0; i < m->n_layers; i++)
		for (int k = 0; k < m->layers[i].n_inputs; k++)
			if (m->layers[i].inputs[k] == a)
				return 1;
	return 0;
}

/* Removes layer j (its output read by nobody): later activations move
 * down by one. */
static void drop_layer(struct gen_model *m, size_t j)
{
	int gone = (int)j + 1;
	memmove(&m->layers[j], &m->layers[j + 1],
		(m->n_layers - j - 1) * sizeof *m->layers);
	m->n_layers--;
	for (size_t i = 0; i < m->n_layers; i++)
		for (int k = 0; k < m->layers[i].n_inputs; k++)
			m->layers[i].inputs[k] -= m->layers[i].inputs[k] > gone;
	m->output -= m->output > gone;
}

/* The plainest layout: no gaps, no shuffle, natural order; minor 1 for
 * a model that had a minor (a 1.1 model needs it), else 0. */
static void plain_layout(struct gen_layout *o)
{
	uint64_t seed = o->seed;
	uint16_t minor = o->minor ? 1 : 0;
	memset(o, 0, sizeof *o);
	for (int i = 0; i < 3; i++)
		o->order[i] = i;
	o->seed = seed;
	o->minor = minor;
}

/* Tries cand; on failure keeps it in m (and the old one goes to cand). */
static int try_candidate(struct gen_model *m, struct gen_model *cand,
			 gen_fails_fn fails, void *arg)
{
	if (!fails(cand, arg))
		return 0;
	struct gen_model t = *m;
	*m = *cand;
	*cand = t;
	return 1;
}

int gen_model_shrink(struct gen_model *m, gen_fails_fn fails, void *arg)
{
	struct gen_model cand;
	int tries = 0;
	if (gen_model_copy(m, &cand))
		return 0;
	size_t below = 0;	/* the longest prefix that passed */
	for (size_t k = 1; k < m->n_layers; below = k, k = next_prefix(k)) {
		take_prefix(m, &cand, k);
		tries++;
		if (try_candidate(m, &cand, fails, arg))
			break;
	}
	/* m is now a prefix that fails (or the whole model): bisect
	 * between the longest that passed and it */
	size_t lo = below, hi = m->n_layers;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		take_prefix(m, &cand, mid);
		tries++;
		if (try_candidate(m, &cand, fails, arg))
			hi = mid;
		else
			lo = mid;
	}
	for (size_t j = m->n_layers; j-- > 0;) {
		if (m->n_layers < 2 || is_read(m, (int)j + 1))
			continue;
		memcpy(cand.layers, m->layers, m->n_layers * sizeof *m->layers);
		cand.n_layers = m->n_layers;
		cand.output = m->output;
		cand.layout = m->layout;
		drop_layer(&cand, j);
		tries++;
		try_candidate(m, &cand, fails, arg);
	}
	memcpy(cand.layers, m->layers, m->n_layers * sizeof *m->layers);
	cand.n_layers = m->n_layers;
	cand.output = m->output;
	cand.layout = m->layout;
	plain_layout(&cand.layout);
	tries++;
	try_candidate(m, &cand, fails, arg);
	gen_model_free(&cand);
	return tries;
}
