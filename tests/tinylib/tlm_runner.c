#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "files.h"
#include "tl_tlm_builder.h"
#include "tlm_runner.h"

static void *alloc_aligned(size_t n)
{
	void *p = aligned_alloc(TL_ALIGN, (n + TL_ALIGN) / TL_ALIGN * TL_ALIGN);
	assert_non_null(p);
	return p;
}

void runner_open_blob(struct tlm_runner *r, uint8_t *blob, size_t size,
		      const char *name)
{
	struct tl_model_error e;
	char why[512];
	memset(r, 0, sizeof *r);
	r->blob = blob;
	if (tl_model_open(blob, size, &r->model, &e) != TL_OK) {
		tl_tlm_describe_error(&e, name, why, sizeof why);
		fail_msg("%s", why);
	}
	r->plan = malloc(sizeof *r->plan);
	assert_non_null(r->plan);
	assert_int_equal(tl_plan(&r->model, r->plan), TL_OK);
	r->arena = alloc_aligned(r->plan->arena_size);
	r->n_in = tl_model_input_elements(&r->model);
	r->n_out = tl_model_output_elements(&r->model);
}

void runner_open(struct tlm_runner *r, const char *path)
{
	size_t size;
	char *text = read_file(path, &size);
	uint8_t *blob = alloc_aligned(size);
	memcpy(blob, text, size);
	free(text);
	runner_open_blob(r, blob, size, path);
}

void runner_run(struct tlm_runner *r, const float *in, float *out,
		enum tl_mode mode)
{
	assert_int_equal(tl_run(&r->model, r->plan, r->arena,
				r->plan->arena_size, in, out, mode), TL_OK);
}

void runner_close(struct tlm_runner *r)
{
	free(r->arena);
	free(r->plan);
	free(r->blob);
	memset(r, 0, sizeof *r);
}

float *read_numbers(const char *path, size_t *count)
{
	size_t len, cap = 1024;
	char *text = read_file(path, &len);
	text = realloc(text, len + 1);
	assert_non_null(text);
	text[len] = '\0';
	float *v = malloc(cap * sizeof *v);
	assert_non_null(v);
	*count = 0;
	for (char *p = text, *end; *p != '\0'; p = end) {
		p += strspn(p, " \t\r\n");
		if (*p == '#') {
			end = p + strcspn(p, "\n");
			continue;
		}
		if (*p == '\0')
			break;
		float x = strtof(p, &end);
		if (end == p)
			fail_msg("%s: not a number at byte %zu", path,
				 (size_t)(p - text));
		if (*count == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		assert_non_null(v);
		v[(*count)++] = x;
	}
	free(text);
	return v;
}

size_t top1(const float *x, size_t n)
{
	size_t best = 0;
	for (size_t i = 1; i < n; i++)
		if (x[i] > x[best])
			best = i;
	return best;
}

double max_abs_diff(const float *a, const float *b, size_t n)
{
	double d = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(a[i]))
			return INFINITY;
		d = fmax(d, fabs((double)a[i] - b[i]));
	}
	return d;
}
