/*
 * Which layer the guest is in, and what each layer executed.
 *
 * The caller's marks (struct sim_uc_layer_marks) say where: a call of
 * run_fn starts the layers, each call of layer_fn inside it starts the
 * layer its index argument names, and the first block of the TA's own
 * code after it ends them (the TA's files are linked first, between
 * __ta_text_start and __ta_text_end). A basic-block hook adds each
 * block's instruction mix (decoded once, then cached by address) to the
 * current layer, or to "outside" for everything else. Each watched
 * region is hashed as its layer ends, before later layers reuse it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uc_internal.h"

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

uint64_t sim_uc_hash(const void *p, uint64_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a 64's offset basis */
	for (uint64_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;	/* and its prime */
	return h;
}

/* Hashes layer i's watched region where the run leaves it. */
static void hash_output(struct sim_uc *uc, int i)
{
	if (uc->watch == NULL || i < 0 || (uint32_t)i >= uc->n_hashes)
		return;
	const struct sim_uc_region *r = &uc->watch[i];
	const uint8_t *p = uc_space_host(&uc->sp, uc->base_va + r->offset,
					 r->bytes);
	uc->hashes[i] = p ? sim_uc_hash(p, r->bytes) : 0;
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
	sim_insn_mix_sum(l >= 0 && (uint32_t)l < uc->fig.n_layers ? &uc->fig.layers[l]
							 : &uc->fig.outside,
		&b->mix);
}

static const int arg_reg[4] = { UC_ARM64_REG_X0, UC_ARM64_REG_X1,
				UC_ARM64_REG_X2, UC_ARM64_REG_X3 };

static void on_run_fn(uc_engine *e, uint64_t addr, uint32_t size, void *arg)
{
	(void)addr, (void)size;
	struct sim_uc *uc = arg;
	uc->in_run = true;
	uc_reg_read(e, arg_reg[uc->opt.marks.base_arg & 3], &uc->base_va);
}

static void on_layer_fn(uc_engine *e, uint64_t addr, uint32_t size, void *arg)
{
	(void)addr, (void)size;
	struct sim_uc *uc = arg;
	if (!uc->in_run)
		return;		/* other callers (a planner, a report) */
	uint64_t index = 0;
	uc_reg_read(e, arg_reg[uc->opt.marks.index_arg & 3], &index);
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
	if (r == UC_ERR_OK && uc->fn_run && uc->fn_layer)
		r = uc_hook_add(uc->e, &h, UC_HOOK_CODE, (void *)on_run_fn, uc,
				uc->fn_run, uc->fn_run);
	if (r == UC_ERR_OK && uc->fn_run && uc->fn_layer)
		r = uc_hook_add(uc->e, &h, UC_HOOK_CODE, (void *)on_layer_fn,
				uc, uc->fn_layer, uc->fn_layer);
	if (r != UC_ERR_OK) {
		snprintf(err, err_len, "Unicorn: %s", uc_strerror(r));
		return -1;
	}
	return 0;
}

int sim_uc_watch(struct sim_uc *uc, const struct sim_uc_region *per_layer,
		 uint32_t n)
{
	free(uc->fig.layers);
	free(uc->hashes);
	free(uc->watch);
	size_t slots = n ? n : 1;
	uc->fig.layers = calloc(slots, sizeof *uc->fig.layers);
	uc->hashes = calloc(slots, sizeof *uc->hashes);
	uc->watch = calloc(slots, sizeof *uc->watch);
	uc->fig.n_layers = uc->n_hashes = 0;
	if (!uc->fig.layers || !uc->hashes || !uc->watch)
		return -1;
	if (n)
		memcpy(uc->watch, per_layer, n * sizeof *per_layer);
	uc->fig.n_layers = uc->n_hashes = n;
	return 0;
}

void uc_layers_free(struct sim_uc *uc)
{
	free(uc->fig.layers);
	free(uc->hashes);
	free(uc->blocks);
	free(uc->watch);
	uc->fig.layers = NULL, uc->hashes = NULL, uc->blocks = NULL;
	uc->watch = NULL;
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

const uint64_t *sim_uc_layer_hashes(const struct sim_uc *uc, uint32_t *n)
{
	*n = uc->n_hashes;
	return uc->hashes;
}
