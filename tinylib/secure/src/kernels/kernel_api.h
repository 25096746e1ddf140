/*
 * The public kernels of tl_kernels.h, as one numeric mode builds them
 * (TL_K from kernel_mode.h). No include guard on purpose: the dispatcher
 * includes this file once per mode.
 */
size_t TL_K(tl_conv_workspace_floats)(const struct tl_conv_params *p);
size_t TL_K(tl_conv_workspace_floats_max)(const struct tl_conv_params *p);
int TL_K(tl_conv_weights_by_16_allowed)(const struct tl_conv_params *p);
void TL_K(tl_conv)(const struct tl_conv_params *p, const float *in,
		   const float *weights, const float *bias, float *out,
		   float *workspace, size_t workspace_floats);
void TL_K(tl_connected)(const struct tl_connected_params *p, const float *in,
			const float *weights, const float *bias, float *out);
void TL_K(tl_maxpool)(const struct tl_pool_params *p, const float *in,
		      float *out);
void TL_K(tl_avgpool_global)(int c, int h, int w, const float *in,
			     float *out);
void TL_K(tl_activate)(float *x, size_t n, enum tl_activation act);
void TL_K(tl_softmax)(const float *in, float *out, size_t n);
void TL_K(tl_shortcut)(const struct tl_shortcut_params *p, const float *prev,
		       const float *from, float *out);
void TL_K(tl_upsample)(int c, int h, int w, int stride, float scale,
		       const float *in, float *out);
void TL_K(tl_crop)(const struct tl_crop_params *p, const float *in,
		   float *out);
void TL_K(tl_yolo)(int c, int h, int w, int anchors, int softmax,
		   const float *in, float *out);
void TL_K(tl_eltwise)(const struct tl_eltwise_params *p, const float *a,
		     const float *b, float *out);
void TL_K(tl_shuffle)(int c, int hw, int groups, const float *in, float *out);
void TL_K(tl_layernorm)(int c, int hw, float eps, const float *in,
		       const float *gamma, const float *beta, float *out);
