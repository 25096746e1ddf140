/*
 * From parsed cfg sections to Darknet's layer list: each layer's output
 * shape, its float count in the .weights file and its multiply-accumulate
 * count, with the formulas of Darknet's own src/ (docs: BRIEF.md,
 * "Darknet formats"). Every key a section may hold is listed; a key that
 * is not is an error, so that a cfg relying on a feature we do not model
 * (stride_x, binary, ...) fails here rather than giving a wrong shape.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_darknet.h"
#include "darknet_internal.h"

struct builder {
	const struct tl_darknet_cfg *cfg;
	struct tl_darknet_net *net;
	int index;		/* of the layer being built */
	char *err;
	size_t err_len;
};

/* ---- Names ---- */

static const char *const activation_names[] = {
	[TL_DN_LINEAR] = "linear", [TL_DN_LOGISTIC] = "logistic",
	[TL_DN_RELU] = "relu", [TL_DN_LEAKY] = "leaky",
	[TL_DN_TANH] = "tanh", [TL_DN_ELU] = "elu", [TL_DN_SELU] = "selu",
	[TL_DN_RELIE] = "relie", [TL_DN_RAMP] = "ramp",
	[TL_DN_PLSE] = "plse", [TL_DN_STAIR] = "stair",
	[TL_DN_HARDTAN] = "hardtan", [TL_DN_LHTAN] = "lhtan",
	[TL_DN_LOGGY] = "loggy",
};
#define N_ACTIVATIONS (sizeof activation_names / sizeof activation_names[0])

const char *tl_darknet_activation_name(enum tl_darknet_activation act)
{
	return (unsigned)act < N_ACTIVATIONS ? activation_names[act] : "?";
}

/* ---- Small helpers ---- */

static int opt_int(struct builder *b, const struct tl_darknet_section *sec,
		   const char *key, int fallback, int min, int *out)
{
	return tl_darknet_int_or(b->cfg, sec, key, fallback, min, out, b->err,
				 b->err_len);
}

static int opt_float(struct builder *b, const struct tl_darknet_section *sec,
		     const char *key, float fallback, float *out)
{
	return tl_darknet_float_or(b->cfg, sec, key, fallback, out, b->err,
				   b->err_len);
}

/* "file:line: [section] why", or "[section] key 'key': why" with the
 * key's line when key is not NULL (a key sec holds). */
static int layer_error(struct builder *b, const struct tl_darknet_section *sec,
		       int status, const char *key, const char *fmt, va_list ap)
{
	char why[200];
	vsnprintf(why, sizeof why, fmt, ap);
	if (key == NULL)
		return tl_darknet_fail(b->err, b->err_len, status,
				       b->cfg->file_name, sec->line, "[%s] %s",
				       sec->type, why);
	return tl_darknet_fail(b->err, b->err_len, status, b->cfg->file_name,
			       tl_darknet_find(sec, key)->line,
			       "[%s] key '%s': %s", sec->type, key, why);
}

static int shape_error(struct builder *b, const struct tl_darknet_section *sec,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int shape_error(struct builder *b, const struct tl_darknet_section *sec,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int status = layer_error(b, sec, TL_DARKNET_E_SHAPE, NULL, fmt, ap);
	va_end(ap);
	return status;
}

/* A key (present in sec) whose value makes a layer S-Tinylib does not
 * run: refused naming its line, the key and why. */
static int refuse_key(struct builder *b, const struct tl_darknet_section *sec,
		      const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int refuse_key(struct builder *b, const struct tl_darknet_section *sec,
		      const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int status = layer_error(b, sec, TL_DARKNET_E_VALUE, key, fmt, ap);
	va_end(ap);
	return status;
}

/* Products saturate: a count that large fails the limit in check_out. */
static uint64_t mul(uint64_t a, uint64_t b)
{
	uint64_t r;
	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t add(uint64_t a, uint64_t b)
{
	uint64_t r;
	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t volume(struct tl_darknet_shape s)
{
	return mul(mul((uint64_t)s.c, (uint64_t)s.h), (uint64_t)s.w);
}

static int get_activation(struct builder *b,
			  const struct tl_darknet_section *sec,
			  enum tl_darknet_activation fallback,
			  enum tl_darknet_activation *out)
{
	const struct tl_darknet_option *opt = tl_darknet_find(sec, "activation");
	*out = fallback;
	if (opt == NULL)
		return TL_DARKNET_OK;
	for (size_t i = 0; i < N_ACTIVATIONS; i++)
		if (strcmp(opt->value, activation_names[i]) == 0) {
			*out = (enum tl_darknet_activation)i;
			return TL_DARKNET_OK;
		}
	return tl_darknet_fail(b->err, b->err_len, TL_DARKNET_E_VALUE,
			       b->cfg->file_name, opt->line,
			       "[%s] key 'activation': expected a Darknet "
			       "activation (linear, relu, leaky, logistic, "
			       "...), found '%s'", sec->type, opt->value);
}

/*
 * Darknet's layer references: negative counts back from the current
 * layer, non-negative is an absolute index. Only earlier layers exist.
 */
static int resolve_layer(struct builder *b, const struct tl_darknet_section *sec,
			 const char *key, int ref, int *out)
{
	long abs_index = ref < 0 ? (long)b->index + ref : ref;
	if (abs_index < 0 || abs_index >= b->index)
		return shape_error(b, sec, "%s %d refers to layer %ld; layers "
				   "0..%d come before this one", key, ref,
				   abs_index, b->index - 1);
	*out = (int)abs_index;
	return TL_DARKNET_OK;
}

/*
 * Output size of a sliding window: (extent - size)/stride + 1, where
 * extent is the padded input. A window larger than the padded input is
 * an error (C's division would round the negative numerator towards 0
 * and give an output of 1).
 */
static int window_out(struct builder *b, const struct tl_darknet_section *sec,
		      int in, long padded_extra, int size, int stride, int *out)
{
	long extent = in + padded_extra;
	if (extent < size)
		return shape_error(b, sec, "window %d larger than the padded "
				   "input %ld", size, extent);
	long n = (extent - size) / stride + 1;
	if (n > INT_MAX)
		return shape_error(b, sec, "output size %ld too large", n);
	*out = (int)n;
	return TL_DARKNET_OK;
}

/* ---- Layers ---- */

static int conv_window(struct builder *b, const struct tl_darknet_section *sec,
		       struct tl_darknet_layer *l)
{
	int status, pad;
	if ((status = opt_int(b, sec, "size", 1, 1, &l->size)) ||
	    (status = opt_int(b, sec, "stride", 1, 1, &l->stride)) ||
	    (status = opt_int(b, sec, "pad", 0, 0, &pad)) ||
	    (status = opt_int(b, sec, "padding", 0, 0, &l->padding)) ||
	    (status = opt_int(b, sec, "batch_normalize", 0, 0,
			      &l->batch_normalize)) ||
	    (status = get_activation(b, sec, TL_DN_LOGISTIC, &l->activation)))
		return status;
	l->batch_normalize = l->batch_normalize != 0;
	if (pad)
		l->padding = l->size / 2;
	l->out.c = l->filters;
	long extra = 2L * l->padding;
	if ((status = window_out(b, sec, l->in.h, extra, l->size, l->stride,
				 &l->out.h)))
		return status;
	return window_out(b, sec, l->in.w, extra, l->size, l->stride,
			  &l->out.w);
}

/* Biases, then scales, means and variances, then the kernels. */
static void conv_counts(struct tl_darknet_layer *l)
{
	uint64_t kernel = mul(mul((uint64_t)(l->in.c / l->groups),
				  (uint64_t)l->size), (uint64_t)l->size);
	uint64_t weights = mul((uint64_t)l->filters, kernel);
	uint64_t per_filter = l->batch_normalize ? 4 : 1;
	l->params = add(mul(per_filter, (uint64_t)l->filters), weights);
	l->macs = mul(mul((uint64_t)l->out.h, (uint64_t)l->out.w), weights);
}

static int build_convolutional(struct builder *b,
			       const struct tl_darknet_section *sec,
			       struct tl_darknet_layer *l)
{
	int status;
	if ((status = opt_int(b, sec, "filters", 1, 1, &l->filters)) ||
	    (status = opt_int(b, sec, "groups", 1, 1, &l->groups)) ||
	    (status = conv_window(b, sec, l)))
		return status;
	/* Each group sees c/groups channels and makes filters/groups maps. */
	if (l->in.c % l->groups || l->filters % l->groups)
		return shape_error(b, sec, "groups %d must divide the input "
				   "channels %d and the filters %d", l->groups,
				   l->in.c, l->filters);
	conv_counts(l);
	return TL_DARKNET_OK;
}

static int build_depthwise(struct builder *b,
			   const struct tl_darknet_section *sec,
			   struct tl_darknet_layer *l)
{
	int status = opt_int(b, sec, "filters", l->in.c, 1, &l->filters);
	if (status)
		return status;
	if (l->filters != l->in.c)
		return shape_error(b, sec, "filters %d must equal the input "
				   "channels %d", l->filters, l->in.c);
	l->groups = l->in.c;
	if ((status = conv_window(b, sec, l)))
		return status;
	conv_counts(l);
	return TL_DARKNET_OK;
}

/* Biases, weights[out*in], then scales, means and variances. */
static int build_connected(struct builder *b,
			   const struct tl_darknet_section *sec,
			   struct tl_darknet_layer *l)
{
	int status;
	if ((status = opt_int(b, sec, "output", 1, 1, &l->filters)) ||
	    (status = opt_int(b, sec, "batch_normalize", 0, 0,
			      &l->batch_normalize)) ||
	    (status = get_activation(b, sec, TL_DN_LOGISTIC, &l->activation)))
		return status;
	l->batch_normalize = l->batch_normalize != 0;
	struct tl_darknet_shape out = { l->filters, 1, 1 };
	l->out = out;
	uint64_t outputs = (uint64_t)l->filters;
	l->macs = mul(volume(l->in), outputs);
	l->params = add(mul(l->batch_normalize ? 4 : 1, outputs), l->macs);
	return TL_DARKNET_OK;
}

static int build_maxpool(struct builder *b, const struct tl_darknet_section *sec,
			 struct tl_darknet_layer *l)
{
	int status;
	if ((status = opt_int(b, sec, "stride", 1, 1, &l->stride)) ||
	    (status = opt_int(b, sec, "size", l->stride, 1, &l->size)) ||
	    (status = opt_int(b, sec, "padding", l->size - 1, 0,
			      &l->padding)))
		return status;
	/* padding is the total over both sides, unlike a convolution's. */
	l->out.c = l->in.c;
	if ((status = window_out(b, sec, l->in.h, l->padding, l->size,
				 l->stride, &l->out.h)))
		return status;
	return window_out(b, sec, l->in.w, l->padding, l->size, l->stride,
			  &l->out.w);
}

static int build_avgpool(struct builder *b, const struct tl_darknet_section *sec,
			 struct tl_darknet_layer *l)
{
	(void)b, (void)sec;
	struct tl_darknet_shape out = { l->in.c, 1, 1 };
	l->out = out;
	return TL_DARKNET_OK;
}

/* The anchors a [yolo] uses, Darknet's parse_yolo: its mask list when
 * it has one, else `num` (default 1). */
#define YOLO_MASK_MAX 16	/* Darknet's sample heads use 3 */

static int yolo_anchors(struct builder *b, const struct tl_darknet_section *sec,
			int *anchors)
{
	int mask[YOLO_MASK_MAX];
	size_t n = 0;
	if (tl_darknet_find(sec, "mask") == NULL)
		return tl_darknet_int_or(b->cfg, sec, "num", 1, 1, anchors,
					 b->err, b->err_len);
	int status = tl_darknet_int_list(b->cfg, sec, "mask", mask,
					 YOLO_MASK_MAX, &n, b->err, b->err_len);
	*anchors = (int)n;
	return status;
}

/* A detection head's output is its input at inference. Darknet refuses
 * a head whose input is not anchors x (classes + 4 box values +
 * objectness) channels (parse_yolo and parse_region assert
 * l.outputs == params.inputs). */
static int head_shape(struct builder *b, const struct tl_darknet_section *sec,
		      struct tl_darknet_layer *l)
{
	uint64_t want = mul((uint64_t)l->anchors, (uint64_t)l->classes + 5);
	if ((uint64_t)l->in.c != want)
		return shape_error(b, sec, "%d anchors of %d classes take %llu "
				   "input channels, the input has %d",
				   l->anchors, l->classes,
				   (unsigned long long)want, l->in.c);
	l->out = l->in;
	return TL_DARKNET_OK;
}

static int build_yolo(struct builder *b, const struct tl_darknet_section *sec,
		      struct tl_darknet_layer *l)
{
	int status = yolo_anchors(b, sec, &l->anchors);
	if (status == TL_DARKNET_OK)
		status = tl_darknet_int_or(b->cfg, sec, "classes", 20, 0,
					   &l->classes, b->err, b->err_len);
	return status != TL_DARKNET_OK ? status : head_shape(b, sec, l);
}


/*
 * YOLOv2's [region] (Darknet's parse_region and forward_region_layer):
 * num anchors of coords + 1 + classes channels each; at inference the
 * logistic on x, y and objectness, then a softmax over each cell's
 * classes (softmax=1) or the logistic on them. With coords=4 that is a
 * yolo head with softmax classes. A softmax tree (YOLO9000), a
 * background class or another coords is refused.
 */
static int build_region(struct builder *b, const struct tl_darknet_section *sec,
			struct tl_darknet_layer *l)
{
	int status, coords, background;
	if ((status = opt_int(b, sec, "coords", 4, 0, &coords)) ||
	    (status = opt_int(b, sec, "classes", 20, 0, &l->classes)) ||
	    (status = opt_int(b, sec, "num", 1, 1, &l->anchors)) ||
	    (status = opt_int(b, sec, "softmax", 0, 0, &l->softmax)) ||
	    (status = opt_int(b, sec, "background", 0, 0, &background)))
		return status;
	if (tl_darknet_find(sec, "tree") != NULL)
		return refuse_key(b, sec, "tree", "a softmax tree (YOLO9000's "
				  "hierarchical classes) is not supported: "
				  "S-Tinylib's head takes one softmax over all "
				  "the classes");
	if (coords != 4)
		return refuse_key(b, sec, "coords", "expected 4 box values (x, "
				  "y, w, h), the layout S-Tinylib's yolo head "
				  "runs, found %d", coords);
	if (background)
		return refuse_key(b, sec, "background", "a background class in "
				  "the softmax is not supported: expected 0, "
				  "found %d", background);
	l->softmax = l->softmax != 0;
	return head_shape(b, sec, l);
}

/* Dropout and cost: the output is the input at inference. */
static int build_identity(struct builder *b, const struct tl_darknet_section *sec,
			  struct tl_darknet_layer *l)
{
	(void)b, (void)sec;
	l->out = l->in;
	return TL_DARKNET_OK;
}

static int build_softmax(struct builder *b, const struct tl_darknet_section *sec,
			 struct tl_darknet_layer *l)
{
	int status = opt_int(b, sec, "groups", 1, 1, &l->groups);
	if (status)
		return status;
	if (volume(l->in) % (uint64_t)l->groups)
		return shape_error(b, sec, "groups %d must divide the %llu "
				   "inputs", l->groups,
				   (unsigned long long)volume(l->in));
	l->out = l->in;
	return TL_DARKNET_OK;
}

/*
 * The from layer's output is added into the previous one's, subsampled
 * or spread by the integer ratio of their widths; Darknet requires the
 * heights to have the same ratio.
 */
static int build_shortcut(struct builder *b, const struct tl_darknet_section *sec,
			  struct tl_darknet_layer *l)
{
	int status, ref;
	if ((status = tl_darknet_int(b->cfg, sec, "from", INT_MIN, &ref,
				     b->err, b->err_len)) ||
	    (status = resolve_layer(b, sec, "from", ref, &l->from)) ||
	    (status = opt_float(b, sec, "alpha", 1, &l->alpha)) ||
	    (status = opt_float(b, sec, "beta", 1, &l->beta)) ||
	    (status = get_activation(b, sec, TL_DN_LINEAR, &l->activation)))
		return status;
	struct tl_darknet_shape f = b->net->layers[l->from].out, o = l->in;
	if (f.w / o.w != f.h / o.h || o.w / f.w != o.h / f.h)
		return shape_error(b, sec, "layer %d (%dx%d) and the previous "
				   "layer (%dx%d) differ in width and height "
				   "ratio", l->from, f.w, f.h, o.w, o.h);
	l->out = l->in;
	return TL_DARKNET_OK;
}

static int build_route(struct builder *b, const struct tl_darknet_section *sec,
		       struct tl_darknet_layer *l)
{
	int refs[TL_DARKNET_MAX_ROUTE];
	size_t n = 0;
	int status = tl_darknet_int_list(b->cfg, sec, "layers", refs,
					 TL_DARKNET_MAX_ROUTE, &n, b->err,
					 b->err_len);
	for (size_t i = 0; i < n && status == TL_DARKNET_OK; i++)
		status = resolve_layer(b, sec, "layers", refs[i], &l->route[i]);
	if (status)
		return status;
	l->n_route = (int)n;
	l->out = b->net->layers[l->route[0]].out;
	for (size_t i = 1; i < n; i++) {
		struct tl_darknet_shape s = b->net->layers[l->route[i]].out;
		if (s.h != l->out.h || s.w != l->out.w)
			return shape_error(b, sec, "layer %d is %dx%d, layer %d "
					   "is %dx%d: route needs one size",
					   l->route[0], l->out.w, l->out.h,
					   l->route[i], s.w, s.h);
		l->out.c = l->out.c > INT_MAX - s.c ? INT_MAX : l->out.c + s.c;
	}
	return TL_DARKNET_OK;
}

static int build_upsample(struct builder *b, const struct tl_darknet_section *sec,
			  struct tl_darknet_layer *l)
{
	int status;
	if ((status = opt_int(b, sec, "stride", 2, 1, &l->stride)) ||
	    (status = opt_float(b, sec, "scale", 1, &l->scale)))
		return status;
	uint64_t h = mul((uint64_t)l->in.h, (uint64_t)l->stride);
	uint64_t w = mul((uint64_t)l->in.w, (uint64_t)l->stride);
	if (h > INT_MAX || w > INT_MAX)
		return shape_error(b, sec, "output size too large");
	struct tl_darknet_shape out = { l->in.c, (int)h, (int)w };
	l->out = out;
	return TL_DARKNET_OK;
}

/* Darknet's crop layer keeps a crop_height x crop_width window. */
static int build_crop(struct builder *b, const struct tl_darknet_section *sec,
		      struct tl_darknet_layer *l)
{
	int status;
	if ((status = opt_int(b, sec, "crop_height", 1, 1, &l->out.h)) ||
	    (status = opt_int(b, sec, "crop_width", 1, 1, &l->out.w)))
		return status;
	if (l->out.h > l->in.h || l->out.w > l->in.w)
		return shape_error(b, sec, "crop %dx%d larger than its input "
				   "%dx%d", l->out.w, l->out.h, l->in.w,
				   l->in.h);
	l->out.c = l->in.c;
	return TL_DARKNET_OK;
}

/* ---- The section table ---- */

typedef int build_fn(struct builder *, const struct tl_darknet_section *,
		     struct tl_darknet_layer *);

struct layer_kind {
	const char *names[3];		/* Darknet's spelling and aliases */
	enum tl_darknet_layer_type type;
	build_fn *build;
	const char *keys[24];		/* every key the section may hold */
};

#define CONV_KEYS "size", "stride", "pad", "padding", "batch_normalize", \
	"activation"

static const struct layer_kind kinds[] = {
	{ { "convolutional", "conv" }, TL_DN_CONVOLUTIONAL,
	  build_convolutional, { "filters", "groups", CONV_KEYS } },
	{ { "depthwise_convolutional" }, TL_DN_DEPTHWISE, build_depthwise,
	  { "filters", CONV_KEYS } },
	{ { "connected", "conn" }, TL_DN_CONNECTED, build_connected,
	  { "output", "batch_normalize", "activation" } },
	{ { "maxpool", "max" }, TL_DN_MAXPOOL, build_maxpool,
	  { "size", "stride", "padding" } },
	{ { "avgpool", "avg" }, TL_DN_AVGPOOL, build_avgpool, { NULL } },
	{ { "softmax", "soft" }, TL_DN_SOFTMAX, build_softmax, { "groups" } },
	{ { "dropout" }, TL_DN_DROPOUT, build_identity, { "probability" } },
	{ { "shortcut" }, TL_DN_SHORTCUT, build_shortcut,
	  { "from", "activation", "alpha", "beta" } },
	{ { "route" }, TL_DN_ROUTE, build_route, { "layers" } },
	{ { "upsample" }, TL_DN_UPSAMPLE, build_upsample,
	  { "stride", "scale" } },
	/* Only the detection post-processing reads these. */
	{ { "yolo" }, TL_DN_YOLO, build_yolo,
	  { "mask", "anchors", "classes", "num", "jitter", "ignore_thresh",
	    "truth_thresh", "random" } },
	/* Beyond coords, classes, num and softmax (and the refused tree and
	 * background), the training's keys and the detection
	 * post-processing's (anchors, map). */
	{ { "region" }, TL_DN_REGION, build_region,
	  { "coords", "classes", "num", "softmax", "background", "tree",
	    "anchors", "map", "bias_match", "jitter", "rescore", "thresh",
	    "absolute", "random", "max", "log", "sqrt", "classfix",
	    "object_scale", "noobject_scale", "class_scale", "coord_scale",
	    "mask_scale" } },
	/* Beyond the crop size, the training-time augmentations. */
	{ { "crop" }, TL_DN_CROP, build_crop,
	  { "crop_height", "crop_width", "flip", "angle", "saturation",
	    "exposure", "noadjust", "shift" } },
	{ { "cost" }, TL_DN_COST, build_identity,
	  { "type", "scale", "ratio", "noobject_scale", "thresh" } },
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

/* Only width, height and channels matter; the rest steers training. */
static const char *const net_keys[] = {
	"width", "height", "channels", "batch", "subdivisions", "momentum",
	"decay", "learning_rate", "policy", "power", "max_batches",
	"burn_in", "step", "steps", "scale", "scales", "gamma", "angle",
	"hue", "saturation", "exposure", "aspect", "max_crop", "min_crop",
	"max_ratio", "min_ratio", "center", "clip", "adam", "B1", "B2", "eps",
	"time_steps", "notruth", "random", NULL,
};

const char *tl_darknet_layer_name(enum tl_darknet_layer_type type)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (kinds[i].type == type)
			return kinds[i].names[0];
	return "?";
}

static const struct layer_kind *find_kind(const char *name)
{
	for (size_t i = 0; i < N_KINDS; i++)
		for (size_t j = 0; j < 3 && kinds[i].names[j]; j++)
			if (strcmp(kinds[i].names[j], name) == 0)
				return &kinds[i];
	return NULL;
}

static int is_net(const struct tl_darknet_section *sec)
{
	return strcmp(sec->type, "net") == 0 ||
	       strcmp(sec->type, "network") == 0;
}

static int check_keys(struct builder *b, const struct tl_darknet_section *sec,
		      const char *const *keys, size_t n_keys)
{
	for (size_t i = 0; i < sec->n_options; i++) {
		const struct tl_darknet_option *opt = &sec->options[i];
		size_t k = 0;
		while (k < n_keys && keys[k] && strcmp(keys[k], opt->key) != 0)
			k++;
		if (k == n_keys || keys[k] == NULL)
			return tl_darknet_fail(b->err, b->err_len,
					       TL_DARKNET_E_UNKNOWN_KEY,
					       b->cfg->file_name, opt->line,
					       "[%s] unknown key '%s'",
					       sec->type, opt->key);
	}
	return TL_DARKNET_OK;
}

/* ---- The walk ---- */

static int build_input(struct builder *b)
{
	const struct tl_darknet_cfg *cfg = b->cfg;
	if (cfg->n_sections == 0 || !is_net(&cfg->sections[0]))
		return tl_darknet_fail(b->err, b->err_len, TL_DARKNET_E_MISSING,
				       cfg->file_name,
				       cfg->n_sections ? cfg->sections[0].line
						       : 0,
				       "the first section must be [net]");
	const struct tl_darknet_section *sec = &cfg->sections[0];
	struct tl_darknet_shape *in = &b->net->input;
	int status;
	if ((status = check_keys(b, sec, net_keys, SIZE_MAX)) ||
	    (status = tl_darknet_int(cfg, sec, "width", 1, &in->w, b->err,
				     b->err_len)) ||
	    (status = tl_darknet_int(cfg, sec, "height", 1, &in->h, b->err,
				     b->err_len)) ||
	    (status = tl_darknet_int(cfg, sec, "channels", 1, &in->c, b->err,
				     b->err_len)))
		return status;
	if (volume(*in) > INT_MAX)
		return shape_error(b, sec, "input %dx%dx%d too large", in->w,
				   in->h, in->c);
	return TL_DARKNET_OK;
}

/* Darknet keeps every layer's output count in an int. */
static int check_out(struct builder *b, const struct tl_darknet_section *sec,
		     const struct tl_darknet_layer *l)
{
	if (l->out.c <= 0 || l->out.h <= 0 || l->out.w <= 0 ||
	    volume(l->out) > INT_MAX)
		return shape_error(b, sec, "output %dx%dx%d out of range",
				   l->out.w, l->out.h, l->out.c);
	if (l->params == UINT64_MAX || l->macs == UINT64_MAX)
		return shape_error(b, sec, "parameter or MAC count overflows");
	return TL_DARKNET_OK;
}

static int build_layer(struct builder *b, const struct tl_darknet_section *sec,
		       struct tl_darknet_layer *l)
{
	const struct layer_kind *kind = find_kind(sec->type);
	if (kind == NULL)
		return tl_darknet_fail(b->err, b->err_len,
				       TL_DARKNET_E_UNKNOWN_SECTION,
				       b->cfg->file_name, sec->line,
				       is_net(sec) ? "[%s] only as the first "
						     "section"
						   : "unknown section [%s]",
				       sec->type);
	l->type = kind->type;
	l->line = sec->line;
	l->in = b->index ? b->net->layers[b->index - 1].out : b->net->input;
	int status = check_keys(b, sec, kind->keys,
				sizeof kind->keys / sizeof kind->keys[0]);
	if (status == TL_DARKNET_OK)
		status = kind->build(b, sec, l);
	if (status == TL_DARKNET_OK)
		status = check_out(b, sec, l);
	return status;
}

int tl_darknet_net_build(const struct tl_darknet_cfg *cfg,
			 struct tl_darknet_net *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	struct builder b = { cfg, out, 0, err, err_len };
	int status = build_input(&b);
	if (status)
		return status;
	if (cfg->n_sections < 2)
		return tl_darknet_fail(err, err_len, TL_DARKNET_E_MISSING,
				       cfg->file_name, cfg->sections[0].line,
				       "[%s] is followed by no layer",
				       cfg->sections[0].type);
	out->layers = calloc(cfg->n_sections, sizeof out->layers[0]);
	if (out->layers == NULL)
		return tl_darknet_fail(err, err_len, TL_DARKNET_E_NOMEM,
				       cfg->file_name, 0, "out of memory");
	for (size_t i = 1; i < cfg->n_sections && !status; i++, b.index++) {
		struct tl_darknet_layer *l = &out->layers[b.index];
		status = build_layer(&b, &cfg->sections[i], l);
		out->params = add(out->params, l->params);
		out->macs = add(out->macs, l->macs);
	}
	out->n_layers = (size_t)b.index;
	if (status)
		tl_darknet_net_free(out);
	return status;
}

void tl_darknet_net_free(struct tl_darknet_net *net)
{
	free(net->layers);
	memset(net, 0, sizeof *net);
}
