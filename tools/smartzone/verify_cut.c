/*
 * Naming the first layer whose output differs between Unicorn and the
 * host. The host's S-Tinylib has no view of a layer's output while it
 * runs, so each layer is looked at in a copy of the model cut after it:
 * the same tables with the layer count i + 1 and layer i's output as the
 * model's output (docs/model-format.md: header fields 28 and 48, the
 * CRC recomputed), run on the host in strict mode and hashed as the
 * runner hashed that layer's output.
 */
#include <stdlib.h>
#include <string.h>

#include "verify_run.h"

#define HEADER_LAYER_COUNT	28
#define HEADER_OUTPUT		48

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The hash of layer i's output on the host, or 0 when the cut model
 * does not open. */
static uint64_t host_layer_hash(const struct sz_verify_job *j,
				const struct tl_model *full, uint32_t i,
				uint8_t *cut, struct tl_plan *plan)
{
	struct tl_layer l;
	tl_model_layer(full, i, &l);
	memcpy(cut, j->tlm, j->tlm_size);
	put_le32(cut + HEADER_LAYER_COUNT, i + 1);
	put_le32(cut + HEADER_OUTPUT, l.output);
	put_le32(cut + j->tlm_size - 4, tl_crc32(0, cut, j->tlm_size - 4));
	struct tl_model m;
	struct tl_model_error e;
	uint64_t hash = 0;
	if (tl_model_open(cut, j->tlm_size, &m, &e) != TL_OK ||
	    tl_plan(&m, plan) != TL_OK)
		return 0;
	size_t n = tl_model_output_elements(&m);
	void *arena = aligned_alloc(TL_ALIGN, (plan->arena_size + TL_ALIGN) /
					      TL_ALIGN * TL_ALIGN);
	float *out = malloc(n * sizeof *out);
	if (arena && out && tl_run(&m, plan, arena, plan->arena_size, j->input,
				   out, TL_MODE_STRICT) == TL_OK)
		hash = sim_uc_hash(out, n * sizeof *out);
	free(arena);
	free(out);
	return hash;
}

int sz_verify_first_difference(const struct sz_verify_job *j,
			      const uint64_t *hashes, uint32_t n)
{
	struct tl_model full;
	struct tl_model_error e;
	uint8_t *cut = aligned_alloc(TL_ALIGN, (j->tlm_size + TL_ALIGN) /
					       TL_ALIGN * TL_ALIGN);
	struct tl_plan *plan = malloc(sizeof *plan);
	int found = -1;
	if (cut && plan && tl_model_open(j->tlm, j->tlm_size, &full, &e) == TL_OK)
		for (uint32_t i = 0; i < n && i < full.layer_count; i++)
			if (host_layer_hash(j, &full, i, cut, plan) != hashes[i]) {
				found = (int)i;
				break;
			}
	free(cut);
	free(plan);
	return found;
}
