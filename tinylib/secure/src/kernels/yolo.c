/*
 * Yolo head at inference. Each anchor owns c/anchors channels: x, y, w,
 * h, objectness, then the class scores. The logistic goes on x, y,
 * objectness and the classes; w and h stay raw (they are exponents the
 * box decoder applies). With softmax (YOLOv2's [region] softmax=1) the
 * classes of each cell take a softmax instead, as Darknet's
 * forward_region_layer does.
 */
#include <string.h>

#include "kernel_mode.h"

void TL_K(tl_yolo)(int c, int h, int w, int anchors, int softmax,
		   const float *in, float *out)
{
	size_t plane = (size_t)h * w, per = (size_t)(c / anchors);
	if (out != in)
		memcpy(out, in, (size_t)c * plane * sizeof *out);
	for (int a = 0; a < anchors; a++) {
		float *base = out + a * per * plane;
		TL_K(tl_activate)(base, 2 * plane, TL_ACT_LOGISTIC);
		TL_K(tl_activate)(base + 4 * plane,
				  (softmax ? 1 : per - 4) * plane,
				  TL_ACT_LOGISTIC);
		for (size_t i = 0; softmax && i < plane; i++)
			TL_K(tl_softmax_strided)(base + 5 * plane + i,
						 base + 5 * plane + i, per - 5,
						 plane);
	}
}
