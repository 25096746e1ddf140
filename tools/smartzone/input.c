/* Inputs for `smartzone run` (input.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "tl_file.h"

struct bytes { uint8_t *p; size_t n, at; };

/* A PGM number: blanks and # comments first; -1 when there is none. */
static long pgm_number(struct bytes *b)
{
	while (b->at < b->n && (strchr(" \t\r\n", b->p[b->at]) ||
				b->p[b->at] == '#'))
		if (b->p[b->at++] == '#')
			while (b->at < b->n && b->p[b->at] != '\n')
				b->at++;
	long v = -1;
	for (; b->at < b->n && b->p[b->at] >= '0' && b->p[b->at] <= '9' &&
	       v < 1000000; b->at++)
		v = (v < 0 ? 0 : v * 10) + (b->p[b->at] - '0');
	return v;
}

/* The pixels after the header: P5 binary (1 byte a sample, 2 big-endian
 * from maxval 256 on, as netpbm defines), P2 decimal. */
static int pgm_pixels(struct bytes *b, bool binary, long max, float *x,
		      size_t n)
{
	if (binary) {
		size_t bps = max < 256 ? 1 : 2;
		b->at++;	/* the one blank after maxval */
		if (b->at > b->n || b->n - b->at != n * bps)
			return -1;
		for (size_t i = 0; i < n; i++) {
			const uint8_t *s = b->p + b->at + i * bps;
			long v = bps == 1 ? s[0] : s[0] << 8 | s[1];
			if (v > max)
				return -1;
			x[i] = (float)v / (float)max;
		}
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		long v = pgm_number(b);
		if (v < 0 || v > max)
			return -1;
		x[i] = (float)v / (float)max;
	}
	return pgm_number(b) < 0 ? 0 : -1;	/* nothing after them */
}

static int read_pgm(const char *path, struct bytes *b, struct sz_input *in,
		    char *err, size_t err_len)
{
	bool binary = b->p[1] == '5';
	b->at = 2;
	long w = pgm_number(b), h = pgm_number(b), max = pgm_number(b);
	/* every pixel takes at least a byte in either format */
	if (w < 1 || h < 1 || max < 1 || max > 65535 || w > 65536 ||
	    h > 65536 || (size_t)w * (size_t)h > b->n) {
		snprintf(err, err_len, "%s: a PGM header should give a width, "
			 "a height and a maxval of 1 to 65535, then the "
			 "pixels", path);
		return -1;
	}
	in->pgm = true;
	in->w = (uint32_t)w;
	in->h = (uint32_t)h;
	in->n = (size_t)w * (size_t)h;
	in->x = malloc(in->n * sizeof *in->x);
	if (!in->x || pgm_pixels(b, binary, max, in->x, in->n)) {
		snprintf(err, err_len, "%s: %s", path, in->x
			 ? "the pixels do not match the PGM's header "
			   "(count, or a value above maxval)" : "out of memory");
		return -1;
	}
	return 0;
}

static int read_raw(const char *path, struct bytes *b, struct sz_input *in,
		    char *err, size_t err_len)
{
	if (b->n % sizeof(float)) {
		snprintf(err, err_len, "%s: %zu bytes is no whole number of "
			 "float32 values (and no PGM)", path, b->n);
		return -1;
	}
	in->n = b->n / sizeof(float);
	in->x = malloc(b->n ? b->n : 1);
	if (!in->x) {
		snprintf(err, err_len, "%s: out of memory", path);
		return -1;
	}
	memcpy(in->x, b->p, b->n);	/* little-endian, as the host */
	return 0;
}

/* Whether what was read fits the model's input. */
static int check_shape(const char *path, const struct sz_input *in,
		       const struct sz_input_shape *s, char *err,
		       size_t err_len)
{
	if (!s || !s->elements)
		return 0;
	bool fits = in->pgm ? s->c == 1 && s->h == in->h && s->w == in->w
			    : in->n == s->elements;
	if (fits)
		return 0;
	char got[64];
	if (in->pgm)
		snprintf(got, sizeof got, "a %ux%u PGM", in->w, in->h);
	else
		snprintf(got, sizeof got, "%zu float32 values", in->n);
	if (s->c == 1)
		snprintf(err, err_len, "%s: %s; the model takes C x H x W = "
			 "1 x %u x %u: give a grey PGM of %ux%u pixels or "
			 "%zu float32 values", path, got, s->h, s->w, s->w,
			 s->h, s->elements);
	else
		snprintf(err, err_len, "%s: %s; the model takes C x H x W = "
			 "%u x %u x %u: give %zu float32 values (NCHW)", path,
			 got, s->c, s->h, s->w, s->elements);
	return -1;
}

int sz_input_read(const char *path, const struct sz_input_shape *want,
		  struct sz_input *out, char *err, size_t err_len)
{
	struct bytes b;
	memset(out, 0, sizeof *out);
	if (tl_read_file(path, &b.p, &b.n, err, err_len))
		return -1;
	b.at = 0;
	bool pgm = b.n >= 2 && b.p[0] == 'P' && (b.p[1] == '2' ||
						 b.p[1] == '5');
	int rc = pgm ? read_pgm(path, &b, out, err, err_len)
		     : read_raw(path, &b, out, err, err_len);
	/* raw floats may begin with "P2" or "P5" (one file of random
	 * values in 32768): no PGM, but exactly the input's floats */
	if (rc && pgm && want && want->elements &&
	    b.n == want->elements * sizeof(float)) {
		sz_input_free(out);
		memset(out, 0, sizeof *out);
		rc = read_raw(path, &b, out, err, err_len);
	}
	free(b.p);
	if (!rc)
		rc = check_shape(path, out, want, err, err_len);
	if (rc)
		sz_input_free(out);
	return rc;
}

void sz_input_free(struct sz_input *in)
{
	free(in->x);
	in->x = NULL;
	in->n = 0;
}
