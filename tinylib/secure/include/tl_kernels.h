/*
 * S-Tinylib's compute kernels: NCHW tensors, batch 1, float32, weights in
 * Darknet's order. Shapes are computed and validated by the caller (the
 * model loader); a kernel trusts them. Buffers must not overlap unless a
 * function says otherwise.
 *
 * Numeric modes (convolution, connected, eltwise, layernorm, yolo):
 * TL_MODE_STRICT sums every output in a fixed order written in the C
 * source, without fused
 * multiply-add, so x86-64 and aarch64 give the same bits;
 * TL_MODE_FAST lets the compiler contract and reassociate. The other
 * kernels have one implementation, strict.
 */
#ifndef TL_KERNELS_H
#define TL_KERNELS_H

#include <stddef.h>

enum tl_mode { TL_MODE_STRICT = 0, TL_MODE_FAST = 1 };

enum tl_activation {
	TL_ACT_LINEAR = 0,
	TL_ACT_RELU,
	TL_ACT_RELU6,
	TL_ACT_LEAKY,		/* 0.1x below zero */
	TL_ACT_LOGISTIC,
	TL_ACT_TANH,
	TL_ACT_HARDSWISH,	/* x * relu6(x + 3) / 6 */
	TL_ACT_HARDSIGMOID,	/* 1.1: min(max(x/6 + 1/2, 0), 1) */
	TL_ACT_SILU,		/* 1.1: x * logistic(x) */
	TL_ACT_GELU		/* 1.1: x/2 (1 + erf(x / sqrt 2)) */
};

/* Kernel size x kw, strides stride (rows) and sw (columns); the input
 * padded with pad rows above and pad_left columns on its left, and below
 * and on its right with as many as the output's size needs: output row oy
 * reads input rows oy*stride - pad + [0, size), zeros outside. kw == 0
 * leaves the square geometry of format 1.0: kw = size, sw = stride,
 * pad_left = pad, out = (h + 2*pad - size)/stride + 1 (Darknet). */
struct tl_conv_params {
	int c, h, w, filters, size, stride, pad, groups, out_h, out_w;
	enum tl_activation act;
	int kw, sw, pad_left;
	int weights_by_16;	/* 1: the weights are stored by 16 (below),
				 * where tl_conv_weights_by_16_allowed */
};

/* Whether p's weights may be stored by 16 (format 1.2): the layers fast
 * mode's direct kernel takes where it is compiled (AVX-512), the same on
 * every machine. By 16, the filters go 16 at a time and each tap's 16
 * weights lie together: W[f][q] (q < K, a filter's taps) is at
 * f / 16 * 16 * K + q * 16 + f % 16, the vectors direct.c reads, so that
 * it need not pack them at every run. A group's filters being a multiple
 * of 16, each group's m * K floats are where they are in rows. */
int tl_conv_weights_by_16_allowed(const struct tl_conv_params *p);

/* Floats of scratch tl_conv needs for p; 0 when none. At most
 * min(K, 256) * min(N, 32) with K = c/groups*size*kw and
 * N = out_h*out_w, so never more than the full im2col K*N. */
size_t tl_conv_workspace_floats(const struct tl_conv_params *p);

/* The most scratch tl_conv can put to use for p, the same on every
 * machine: tl_conv_workspace_floats, or for a layer of fast mode's direct
 * kernel (3x3 and 5x5 at stride 1, 3x3 and 7x7 at stride 2, 11x11 at
 * stride 4) the weights of 16 filters over all its channels (up to
 * 73,728 floats: 512 channels of 3x3, 184 of 5x5), which that kernel
 * takes in one k block where it is compiled (AVX-512). The plan grants it
 * where the arena does not grow. */
size_t tl_conv_workspace_floats_max(const struct tl_conv_params *p);

/* weights [filters][c/groups][size][kw], or by 16 (above); bias
 * [filters] with batch normalisation folded in; workspace:
 * workspace_floats floats, from tl_conv_workspace_floats(p) (may be NULL
 * when 0) to tl_conv_workspace_floats_max(p) put to use. No output
 * depends on how much is given, nor on how the weights are stored. */
void tl_conv(enum tl_mode mode, const struct tl_conv_params *p,
	     const float *in, const float *weights, const float *bias,
	     float *out, float *workspace, size_t workspace_floats);

struct tl_connected_params { int in, out; enum tl_activation act; };

/* out = act(weights [out][in] * in + bias) */
void tl_connected(enum tl_mode mode, const struct tl_connected_params *p,
		  const float *in, const float *weights, const float *bias,
		  float *out);

/* Darknet maxpool: a size x kw window moved by stride rows and sw
 * columns starts at (-padding/2, -padding_w/2), positions outside the
 * input are skipped; out_h = (h + padding - size)/stride + 1, out_w =
 * (w + padding_w - kw)/sw + 1. kw == 0: square, kw = size, sw = stride,
 * padding_w = padding (format 1.0). */
struct tl_pool_params {
	int c, h, w, size, stride, padding, out_h, out_w;
	int kw, sw, padding_w;
};
void tl_maxpool(const struct tl_pool_params *p, const float *in, float *out);

/* out[c] = mean of channel c: strict mode sums each channel in order
 * (Darknet's), fast mode in 16 lanes side by side, then divides. */
void tl_avgpool_global(enum tl_mode mode, int c, int h, int w,
		       const float *in, float *out);

/* In place. */
void tl_activate(float *x, size_t n, enum tl_activation act);

/* Over all n, the maximum subtracted first; in == out is allowed. */
void tl_softmax(const float *in, float *out, size_t n);

/* Darknet shortcut: out = prev, then out = alpha*out + beta*from over the
 * channels and positions both have (from read every from_w/w-th pixel
 * when larger, written to every w/from_w-th pixel when smaller), then the
 * activation over all of out. c, h, w: the output (= prev); out == prev
 * is allowed. */
struct tl_shortcut_params {
	int c, h, w, from_c, from_h, from_w;
	float alpha, beta;
	enum tl_activation act;
};
void tl_shortcut(const struct tl_shortcut_params *p, const float *prev,
		 const float *from, float *out);

/* out [c][h*stride][w*stride]: each pixel repeated, times scale. */
void tl_upsample(int c, int h, int w, int stride, float scale,
		 const float *in, float *out);

/* Darknet crop at inference: the centred out_h x out_w window,
 * out = in*scale + trans. */
struct tl_crop_params { int c, h, w, out_h, out_w; float scale, trans; };
void tl_crop(const struct tl_crop_params *p, const float *in, float *out);

/* Yolo head at inference: per anchor (c/anchors channels each: x, y, w, h,
 * objectness, classes) the logistic on x, y, objectness and the classes,
 * w and h copied raw. softmax != 0 (Darknet's [region] softmax=1): the
 * classes of each cell take a softmax over the classes instead of the
 * logistic. in == out is allowed. Fast mode's logistic is a vector one
 * within Tinylibm's tolerance (activation.c). */
void tl_yolo(enum tl_mode mode, int c, int h, int w, int anchors, int softmax,
	     const float *in, float *out);

/* out = act(a OP b), a (c, h, w), b (b_c, b_hw) with b_c c or 1 and b_hw
 * h*w or 1 (broadcast over what is 1); reversed: b OP a. */
enum tl_eltwise_op { TL_ELT_ADD = 1, TL_ELT_SUB, TL_ELT_MUL, TL_ELT_DIV };
struct tl_eltwise_params {
	int c, hw, b_c, b_hw;
	enum tl_eltwise_op op;
	int reversed;
	enum tl_activation act;
};
void tl_eltwise(enum tl_mode mode, const struct tl_eltwise_params *p,
		const float *a, const float *b, float *out);

/* out channel j*groups + i = in channel i*(c/groups) + j. */
void tl_shuffle(int c, int hw, int groups, const float *in, float *out);

/* Over the c channels of each of the hw pixels: mean and variance (/c),
 * out = (x - mean) * (1 / sqrt(var + eps)) * gamma[k] + beta[k]. */
void tl_layernorm(enum tl_mode mode, int c, int hw, float eps,
		  const float *in, const float *gamma, const float *beta,
		  float *out);

#endif /* TL_KERNELS_H */
