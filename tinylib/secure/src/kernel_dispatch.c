/*
 * The public kernels: the mode-taking ones call the strict or the fast
 * build of kernels/ (TL_K), the others their one (strict) build.
 */
#include "tl_kernels.h"

#define TL_K(name) name##_strict
#include "kernels/kernel_api.h"
#undef TL_K
#define TL_K(name) name##_fast
#include "kernels/kernel_api.h"
#undef TL_K

size_t tl_conv_workspace_floats(const struct tl_conv_params *p)
{
	/* Both builds tile alike. */
	return tl_conv_workspace_floats_strict(p);
}

size_t tl_conv_workspace_floats_max(const struct tl_conv_params *p)
{
	return tl_conv_workspace_floats_max_strict(p);
}

int tl_conv_weights_by_16_allowed(const struct tl_conv_params *p)
{
	return tl_conv_weights_by_16_allowed_strict(p);
}

void tl_conv(enum tl_mode mode, const struct tl_conv_params *p,
	     const float *in, const float *weights, const float *bias,
	     float *out, float *workspace, size_t workspace_floats)
{
	if (mode == TL_MODE_FAST)
		tl_conv_fast(p, in, weights, bias, out, workspace,
			     workspace_floats);
	else
		tl_conv_strict(p, in, weights, bias, out, workspace,
			       workspace_floats);
}

void tl_connected(enum tl_mode mode, const struct tl_connected_params *p,
		  const float *in, const float *weights, const float *bias,
		  float *out)
{
	if (mode == TL_MODE_FAST)
		tl_connected_fast(p, in, weights, bias, out);
	else
		tl_connected_strict(p, in, weights, bias, out);
}

void tl_maxpool(const struct tl_pool_params *p, const float *in, float *out)
{
	tl_maxpool_strict(p, in, out);
}

void tl_avgpool_global(enum tl_mode mode, int c, int h, int w,
		       const float *in, float *out)
{
	if (mode == TL_MODE_FAST)
		tl_avgpool_global_fast(c, h, w, in, out);
	else
		tl_avgpool_global_strict(c, h, w, in, out);
}

void tl_activate(float *x, size_t n, enum tl_activation act)
{
	tl_activate_strict(x, n, act);
}

void tl_softmax(const float *in, float *out, size_t n)
{
	tl_softmax_strict(in, out, n);
}

void tl_shortcut(const struct tl_shortcut_params *p, const float *prev,
		 const float *from, float *out)
{
	tl_shortcut_strict(p, prev, from, out);
}

void tl_upsample(int c, int h, int w, int stride, float scale,
		 const float *in, float *out)
{
	tl_upsample_strict(c, h, w, stride, scale, in, out);
}

void tl_crop(const struct tl_crop_params *p, const float *in, float *out)
{
	tl_crop_strict(p, in, out);
}

void tl_yolo(enum tl_mode mode, int c, int h, int w, int anchors, int softmax,
	     const float *in, float *out)
{
	if (mode == TL_MODE_FAST)
		tl_yolo_fast(c, h, w, anchors, softmax, in, out);
	else
		tl_yolo_strict(c, h, w, anchors, softmax, in, out);
}

void tl_eltwise(enum tl_mode mode, const struct tl_eltwise_params *p,
		const float *a, const float *b, float *out)
{
	if (mode == TL_MODE_FAST)
		tl_eltwise_fast(p, a, b, out);
	else
		tl_eltwise_strict(p, a, b, out);
}

void tl_shuffle(int c, int hw, int groups, const float *in, float *out)
{
	tl_shuffle_strict(c, hw, groups, in, out);
}

void tl_layernorm(enum tl_mode mode, int c, int hw, float eps,
		  const float *in, const float *gamma, const float *beta,
		  float *out)
{
	if (mode == TL_MODE_FAST)
		tl_layernorm_fast(c, hw, eps, in, gamma, beta, out);
	else
		tl_layernorm_strict(c, hw, eps, in, gamma, beta, out);
}
