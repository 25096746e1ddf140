/* Convolution weights stored by 16 (tl_tlm_by_16.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_engine.h"
#include "tl_tlm_by_16.h"

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Whether a layer other than `index` names tensor id as a parameter. */
static int shared(const struct tl_model *m, uint32_t index, uint32_t id)
{
	struct tl_layer l;
	for (uint32_t j = 0; j < m->layer_count; j++) {
		tl_model_layer(m, j, &l);
		if (j != index && (l.weights == id || l.bias == id))
			return 1;
	}
	return 0;
}

/* Layer index's weights tensor, when it may and should go by 16. */
static int takes_by_16(const struct tl_model *m, uint32_t index,
		       struct tl_tensor *w)
{
	struct tl_layer l;
	struct tl_conv_params p;
	tl_model_layer(m, index, &l);
	if (l.type != TL_LAYER_CONV)
		return 0;
	tl_conv_params_of(m, &l, &p);
	tl_model_tensor(m, l.weights, w);
	return tl_conv_weights_by_16_allowed(&p) &&
	       w->layout == TL_LAYOUT_ROWS && !shared(m, index, l.weights);
}

/* W[f][q] (filters rows of k) to f / 16 * 16 * k + q * 16 + f % 16, with
 * tmp as large as W. */
static void to_by_16(float *w, size_t filters, size_t k, float *tmp)
{
	for (size_t f = 0; f < filters; f++)
		for (size_t q = 0; q < k; q++)
			tmp[f / 16 * 16 * k + q * 16 + f % 16] = w[f * k + q];
	memcpy(w, tmp, filters * k * sizeof *w);
}

/* The minor version 2 at least, and the CRC over the bytes before it. */
static void reseal(uint8_t *b, size_t size)
{
	uint16_t minor = (uint16_t)(b[6] | b[7] << 8);
	if (minor < 2)
		b[6] = 2, b[7] = 0;
	put32(b + size - TL_CRC_SIZE, tl_crc32(0, b, size - TL_CRC_SIZE));
}

int tl_tlm_store_by_16(void *blob, size_t size, char *err, size_t err_len)
{
	struct tl_model m;
	struct tl_model_error e;
	uint8_t *b = blob;
	if (tl_model_open(blob, size, &m, &e) != TL_OK) {
		snprintf(err, err_len, "tl_model_open: %s (layer %d, tensor %d, "
			 "field %s)", tl_status_str(e.code), e.layer, e.tensor,
			 e.field ? e.field : "-");
		return -1;
	}
	/* the scratch first, for the largest: nothing changes unless all can */
	size_t most = 0;
	struct tl_tensor w, out;
	for (uint32_t i = 0; i < m.layer_count; i++)
		if (takes_by_16(&m, i, &w) && w.elements > most)
			most = w.elements;
	float *tmp = most > 0 ? malloc(most * sizeof *tmp) : NULL;
	if (most > 0 && tmp == NULL) {
		snprintf(err, err_len, "out of memory (%zu floats of scratch)",
			 most);
		return -1;
	}
	int rewritten = 0;
	for (uint32_t i = 0; i < m.layer_count; i++) {
		struct tl_layer l;
		if (!takes_by_16(&m, i, &w))
			continue;
		tl_model_layer(&m, i, &l);
		tl_model_tensor(&m, l.output, &out);
		size_t at = (size_t)((const uint8_t *)w.data - m.blob);
		to_by_16((float *)(void *)(b + at), out.c, w.elements / out.c,
			 tmp);
		put32(b + m.tensor_table + (size_t)l.weights * TL_TENSOR_ENTRY_SIZE
			+ 24, TL_LAYOUT_BY_16);
		rewritten++;
	}
	free(tmp);
	if (rewritten > 0)
		reseal(b, size);
	return rewritten;
}
