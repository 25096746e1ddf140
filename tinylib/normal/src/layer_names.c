/* See tl_layer_names.h. */
#include "tl_layer_names.h"

const char *tl_layer_type_name(enum tl_layer_type type)
{
	static const char *const names[TL_LAYER_TYPE_END] = {
		[TL_LAYER_CONV] = "convolution",
		[TL_LAYER_CONNECTED] = "connected",
		[TL_LAYER_MAXPOOL] = "maxpool", [TL_LAYER_AVGPOOL] = "avgpool",
		[TL_LAYER_SOFTMAX] = "softmax", [TL_LAYER_SHORTCUT] = "shortcut",
		[TL_LAYER_ROUTE] = "route", [TL_LAYER_UPSAMPLE] = "upsample",
		[TL_LAYER_DROPOUT] = "dropout", [TL_LAYER_CROP] = "crop",
		[TL_LAYER_YOLO] = "yolo", [TL_LAYER_ACTIVATION] = "activation",
		[TL_LAYER_ELTWISE] = "eltwise", [TL_LAYER_SHUFFLE] = "shuffle",
		[TL_LAYER_SLICE] = "slice", [TL_LAYER_LAYERNORM] = "layernorm",
	};
	return type > 0 && type < TL_LAYER_TYPE_END ? names[type] : "?";
}
