/* Darknet .weights files, seeded weights, and the file-to-blob path. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_darknet_import.h"
#include "darknet_internal.h"
#include "tl_file.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int tl_darknet_weights_parse(const uint8_t *data, size_t len,
			     const char *file_name, float **floats,
			     size_t *count, char *err, size_t err_len)
{
	*floats = NULL;
	*count = 0;
	if (len < 16)
		return tl_darknet_fail(err, err_len, TL_DARKNET_E_VALUE, file_name,
				       0, "%zu bytes: shorter than the header", len);
	uint32_t major = le32(data), minor = le32(data + 4);
	/* Darknet reads `seen` as a size_t from version 0.2 on. */
	size_t header = (major * 10 + minor >= 2 && major < 1000 && minor < 1000)
				? 20 : 16;
	if (len < header || (len - header) % sizeof(float) != 0)
		return tl_darknet_fail(err, err_len, TL_DARKNET_E_VALUE, file_name,
				       0, "%zu bytes after the %zu-byte header "
				       "is not a whole number of floats",
				       len < header ? 0 : len - header, header);
	*count = (len - header) / sizeof(float);
	*floats = malloc(*count ? *count * sizeof(float) : 1);
	if (*floats == NULL)
		return tl_darknet_fail(err, err_len, TL_DARKNET_E_NOMEM, file_name,
				       0, "out of memory");
	memcpy(*floats, data + header, *count * sizeof(float));
	return TL_DARKNET_OK;
}

/* xorshift64*: small, fast, and the same on every machine. */
static double next_uniform(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	uint64_t r = *state * 0x2545f4914f6cdd1dull;
	return (double)(r >> 11) * 0x1p-53 * 2.0 - 1.0; /* [-1, 1) */
}

static void fill(float *p, size_t n, double centre, double spread,
		 uint64_t *state)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (float)(centre + spread * next_uniform(state));
}

/* One conv or connected layer in Darknet's order. */
static void random_layer(const struct tl_darknet_layer *l, float *p,
			 uint64_t *state)
{
	size_t n = (size_t)l->filters;
	size_t total = (size_t)(l->params - (l->batch_normalize ? 4 : 1) * n);
	size_t fan_in = total / n;
	float *bn = p + n, *kernel = l->batch_normalize ? p + 4 * n : p + n;
	if (l->type == TL_DN_CONNECTED) {
		kernel = p + n;
		bn = p + n + total;
	}
	fill(p, n, 0.0, 0.1, state);                        /* biases */
	fill(kernel, total, 0.0, sqrt(6.0 / (double)fan_in), state);
	if (l->batch_normalize) {
		fill(bn, n, 1.0, 0.5, state);                /* scales */
		fill(bn + n, n, 0.0, 0.1, state);            /* means */
		fill(bn + 2 * n, n, 1.0, 0.5, state);        /* variances */
	}
}

float *tl_darknet_random_weights(const struct tl_darknet_net *net,
				 uint64_t seed)
{
	float *w = malloc(net->params ? net->params * sizeof(float) : 1);
	uint64_t state = seed * 0x9e3779b97f4a7c15ull + 1;
	if (w == NULL)
		return NULL;
	float *p = w;
	for (size_t i = 0; i < net->n_layers; i++) {
		const struct tl_darknet_layer *l = &net->layers[i];
		if (l->params == 0)
			continue;
		random_layer(l, p, &state);
		p += l->params;
	}
	return w;
}

static int read_file(const char *path, uint8_t **data, size_t *len,
		     char *err, size_t err_len)
{
	/* tl_read_file says "PATH: why" (missing, a directory, ...) */
	return tl_read_file(path, data, len, err, err_len)
	       ? TL_DARKNET_E_MISSING : TL_DARKNET_OK;
}

/* The weights for net: from the file, checked to be exactly net->params
 * floats, or drawn from the seed. */
static int load_weights(const char *path, const struct tl_darknet_net *net,
			uint64_t seed, float **weights, char *err,
			size_t err_len)
{
	uint8_t *data;
	size_t len, count;
	int status;
	if (path == NULL) {
		*weights = tl_darknet_random_weights(net, seed);
		return *weights ? TL_DARKNET_OK :
		       tl_darknet_fail(err, err_len, TL_DARKNET_E_NOMEM, "weights",
				       0, "out of memory");
	}
	if ((status = read_file(path, &data, &len, err, err_len)))
		return status;
	status = tl_darknet_weights_parse(data, len, path, weights, &count,
					  err, err_len);
	free(data);
	if (status == TL_DARKNET_OK && count != net->params) {
		status = tl_darknet_fail(err, err_len, TL_DARKNET_E_VALUE, path, 0,
					 "holds %zu floats after its header; "
					 "the cfg needs %llu", count,
					 (unsigned long long)net->params);
		free(*weights);
		*weights = NULL;
	}
	return status;
}

int tl_darknet_convert_files(const char *cfg_path, const char *weights_path,
			     uint64_t seed, uint8_t **blob, size_t *size,
			     char *err, size_t err_len)
{
	struct tl_darknet_cfg cfg = { 0 };
	struct tl_darknet_net net = { 0 };
	float *weights = NULL;
	uint8_t *text;
	size_t len;
	int status = read_file(cfg_path, &text, &len, err, err_len);
	if (status)
		return status;
	const char *name = strrchr(cfg_path, '/') ? strrchr(cfg_path, '/') + 1
						  : cfg_path;
	status = tl_darknet_cfg_parse((const char *)text, len, name, &cfg,
				      err, err_len);
	free(text);
	if (status == TL_DARKNET_OK)
		status = tl_darknet_net_build(&cfg, &net, err, err_len);
	if (status == TL_DARKNET_OK)
		status = load_weights(weights_path, &net, seed, &weights, err,
				      err_len);
	if (status == TL_DARKNET_OK)
		status = tl_darknet_to_tlm(&cfg, &net, weights, blob, size, err,
					   err_len);
	free(weights);
	tl_darknet_net_free(&net);
	tl_darknet_cfg_free(&cfg);
	return status;
}
