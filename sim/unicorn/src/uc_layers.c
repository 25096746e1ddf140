/*
 * Which layer the guest is in, and what each layer executed.
 *
 * tl_run's entry starts the layers; each call of tl_model_layer inside
 * it starts layer w1; the first block of the TA's own code after it ends
 * them (the TA's files are linked first, between __ta_text_start and
 * __ta_text_end). A basic-block hook adds each block's instruction mix
 * (decoded once, then cached by address) to the current layer, or to
 * "outside" for everything else. When a model is watched, each layer's
 * output tensor is hashed as the layer ends, before the arena reuses it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uc_internal.h"

static void mix_add(struct sim_insn_mix *to, const struct sim_insn_mix *m)
{
	for (int c = 0; c < SIM_INSN_CLASSES; c++)
		to->count[c] += m->count[c];
	to->bytes_loaded += m->bytes_loaded;
	to->bytes_stored += m->bytes_stored;
	to->flops_lanes += m->flops_lanes;
	to->q128_ops += m->q128_ops;
}

static void decode_block(const struct sim_uc *uc, struct uc_block *b)
{
	memset(&b->mix, 0, sizeof b->mix);
	const uint8_t *code = uc_space_host(&uc->sp, b->addr, b->size);
	for (uint32_t at = 0; code && at + 4 <= b->size; at += 4) {
		uint32_t word;
		memcpy(&word, code + at, sizeof word);
		struct sim_insn_info i = sim_insn_decode(word);
		sim_insn_mix_add(&b->mix, &i, 1);
	}
}

/* The cached decode of the block at addr (open addressing by address). */
static const struct uc_block *block(struct sim_uc *uc, uint64_t addr,
				    uint32_t size)
{
	uint32_t slot = (uint32_t)(addr >> 2) & (UC_DECODE_SLOTS - 1);
	for (uint32_t probe = 0; probe < UC_DECODE_SLOTS; probe++) {
		struct uc_block *b = &uc->blocks[(slot + probe) &
						 (UC_DECODE_SLOTS - 1)];
		if (b->addr == addr && b->size == size)
			return b;
		if (b->addr == 0) {
			b->addr = addr, b->size = size;
			decode_block(uc, b);
			return b;
		}
	}
	return NULL;	/* the code is far smaller than the cache */
}

uint64_t uc_fnv1a(const uint8_t *p, uint64_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a 64's offset basis */
	for (uint64_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;	/* and its prime */
	return h;
}

/* Hashes layer i's output where tl_run keeps it. */
static void hash_output(struct sim_uc *uc, int i)
{
	if (uc->watch_model == NULL || i < 0 || (uint32_t)i >= uc->n_hashes)
		return;
	struct tl_layer l;
	struct tl_tensor t;
	tl_model_layer(uc->watch_model, (uint32_t)i, &l);
	tl_model_tensor(uc->watch_model, l.output, &t);
	uint64_t va = uc->arena_va + uc->watch_plan->tensor_offset[l.output];
	const uint8_t *p = uc_space_host(&uc->sp, va, t.elements * 4);
	uc->hashes[i] = p ? uc_fnv1a(p, t.elements * 4) : 0;
}

static void on_block(uc_engine *e, uint64_t addr, uint32_t size, void *arg)
{
	(void)e;
	struct sim_uc *uc = arg;
	uc->block_addr = addr;
	uc->block_size = size;
	if (addr >= uc->img.ta_text_start && addr < uc->img.ta_text_end) {
		if (uc->in_run)
			hash_output(uc, uc->layer);
		uc->in_run = false;
		uc->layer = SIM_UC_OUTSIDE_LAYERS;
	}
	const struct uc_block *b = block(uc, addr, size);
	if (b == NULL || !uc->opt.figures)
		return;
	int l = uc->layer;
	mix_add(l >= 0 && (uint32_t)l < uc->fig.n_layers ? &uc->fig.layers[l]
							 : &uc->fig.outside,
		&b->mix);
}

static void on_tl_run(uc_engine *e, uint64_t addr, uint32_t size, void *arg)
{
	(void)addr, (void)size;
	struct sim_uc *uc = arg;
	uc->in_run = true;
	uc_reg_read(e, UC_ARM64_REG_X2, &uc->arena_va);
}

static void on_model_layer(uc_engine *e, uint64_t addr, uint32_t size,
			   void *arg)
{
	(void)addr, (void)size;
	struct sim_uc *uc = arg;
	if (!uc->in_run)
		return;		/* tl_plan and the report walk layers too */
	uint64_t index = 0;
	uc_reg_read(e, UC_ARM64_REG_X1, &index);
	hash_output(uc, uc->layer);
	uc->layer = (int)(uint32_t)index;
}

int uc_layers_hook(struct sim_uc *uc, char *err, size_t err_len)
{
	uc->layer = SIM_UC_OUTSIDE_LAYERS;
	uc->blocks = calloc(UC_DECODE_SLOTS, sizeof *uc->blocks);
	const struct uc_segment *text = &uc->img.seg[UC_SEG_TEXT];
	uc_hook h;
	uc_err r = uc->blocks ? UC_ERR_OK : UC_ERR_NOMEM;
	if (r == UC_ERR_OK)
		r = uc_hook_add(uc->e, &h, UC_HOOK_BLOCK, (void *)on_block, uc,
				text->va, text->va + text->mem_size - 1);
	if (r == UC_ERR_OK)
		r = uc_hook_add(uc->e, &h, UC_HOOK_CODE, (void *)on_tl_run, uc,
				uc->fn_tl_run, uc->fn_tl_run);
	if (r == UC_ERR_OK)
		r = uc_hook_add(uc->e, &h, UC_HOOK_CODE, (void *)on_model_layer,
				uc, uc->fn_model_layer, uc->fn_model_layer);
	if (r != UC_ERR_OK) {
		snprintf(err, err_len, "Unicorn: %s", uc_strerror(r));
		return -1;
	}
	return 0;
}

int uc_layers_init(struct sim_uc *uc, uint32_t n_layers)
{
	free(uc->fig.layers);
	free(uc->hashes);
	uc->fig.layers = calloc(n_layers ? n_layers : 1, sizeof *uc->fig.layers);
	uc->hashes = calloc(n_layers ? n_layers : 1, sizeof *uc->hashes);
	uc->fig.n_layers = uc->n_hashes = n_layers;
	return uc->fig.layers && uc->hashes ? 0 : -1;
}

void uc_layers_free(struct sim_uc *uc)
{
	free(uc->fig.layers);
	free(uc->hashes);
	free(uc->blocks);
	uc->fig.layers = NULL, uc->hashes = NULL, uc->blocks = NULL;
}

void sim_uc_figures_reset(struct sim_uc *uc)
{
	if (uc->fig.layers)
		memset(uc->fig.layers, 0, uc->fig.n_layers * sizeof *uc->fig.layers);
	memset(&uc->fig.outside, 0, sizeof uc->fig.outside);
	uc->fig.svc_calls = 0;
}

const struct sim_uc_figures *sim_uc_figures(const struct sim_uc *uc)
{
	return &uc->fig;
}

void sim_uc_watch(struct sim_uc *uc, const struct tl_model *m,
		  const struct tl_plan *plan)
{
	uc->watch_model = m;
	uc->watch_plan = plan;
	uc_layers_init(uc, m->layer_count);
}

const uint64_t *sim_uc_layer_hashes(const struct sim_uc *uc, uint32_t *n)
{
	*n = uc->n_hashes;
	return uc->hashes;
}
