/*
 * A double-precision reference of every S-Tinylib kernel (tl_kernels.h):
 * direct loops, one output at a time, written from Darknet's semantics
 * (BRIEF.md, "Darknet formats") and sharing no code with the kernels.
 *
 * Results are doubles. Where an output is a sum, mag (when not NULL)
 * receives the sum of the absolute values of its terms, bias included,
 * before the activation: the scale of the float kernel's rounding error.
 */
#ifndef TL_TEST_REFERENCE_H
#define TL_TEST_REFERENCE_H

#include <stddef.h>

#include "tl_kernels.h"

double ref_activate(double x, enum tl_activation act);
void ref_conv(const struct tl_conv_params *p, const float *in,
	      const float *weights, const float *bias, double *out,
	      double *mag);
void ref_connected(const struct tl_connected_params *p, const float *in,
		   const float *weights, const float *bias, double *out,
		   double *mag);
void ref_maxpool(const struct tl_pool_params *p, const float *in,
		 double *out);
void ref_avgpool_global(int c, int h, int w, const float *in, double *out,
			double *mag);
void ref_softmax(const float *in, double *out, size_t n);
void ref_shortcut(const struct tl_shortcut_params *p, const float *prev,
		  const float *from, double *out, double *mag);
void ref_upsample(int c, int h, int w, int stride, float scale,
		  const float *in, double *out);
void ref_crop(const struct tl_crop_params *p, const float *in, double *out,
	      double *mag);
void ref_yolo(int c, int h, int w, int anchors, int softmax,
	      const float *in, double *out);

#endif /* TL_TEST_REFERENCE_H */
