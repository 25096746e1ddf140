/*
 * N-Tinylib's Darknet reader: a `.cfg` file parsed into sections, then
 * turned into the layer list Darknet would build, with every layer's
 * output shape, its float count in the `.weights` file and its
 * multiply-accumulate count.
 *
 *   struct tl_darknet_cfg cfg;
 *   struct tl_darknet_net net;
 *   char err[256];
 *   if (tl_darknet_cfg_parse(text, len, "tiny.cfg", &cfg, err, sizeof err)
 *       || tl_darknet_net_build(&cfg, &net, err, sizeof err))
 *           ... err names file:line, section and key ...
 *   ... net.layers[i].out, net.params, net.macs ...
 *   tl_darknet_net_free(&net);
 *   tl_darknet_cfg_free(&cfg);
 *
 * Every function returns TL_DARKNET_OK or an error code, and on error
 * writes one sentence into err (when err is not NULL).
 */
#ifndef TL_DARKNET_H
#define TL_DARKNET_H

#include <stddef.h>
#include <stdint.h>

enum tl_darknet_status {
	TL_DARKNET_OK = 0,
	TL_DARKNET_E_SYNTAX,		/* a line that is no section, key=value or comment */
	TL_DARKNET_E_MISSING,		/* a required key or section is absent */
	TL_DARKNET_E_VALUE,		/* a value of the wrong kind or out of range */
	TL_DARKNET_E_UNKNOWN_SECTION,
	TL_DARKNET_E_UNKNOWN_KEY,
	TL_DARKNET_E_SHAPE,		/* the layers do not fit together */
	TL_DARKNET_E_NOMEM,
};

/* The status as a short sentence ("unknown key", ...). */
const char *tl_darknet_status_str(int status);

/* ---- The parsed text ---- */

struct tl_darknet_option {
	const char *key;	/* trimmed, never empty */
	const char *value;	/* trimmed, may be empty */
	int line;		/* 1-based */
};

struct tl_darknet_section {
	const char *type;	/* the name between the brackets */
	int line;		/* of the [header] */
	struct tl_darknet_option *options;
	size_t n_options;
};

struct tl_darknet_cfg {
	char *file_name;	/* used in every message */
	char *text;		/* private: the copy the strings point into */
	struct tl_darknet_section *sections;
	size_t n_sections;
};

/*
 * Parses cfg text: `[section]` headers, `key=value` lines, blank lines,
 * comments from `#` or `;` to the end of the line; spaces around keys and
 * values are ignored. A key outside any section, a key twice in one
 * section, a line without `=` and a NUL byte are errors. On error *out
 * is left empty (safe to free).
 */
int tl_darknet_cfg_parse(const char *text, size_t len, const char *file_name,
			 struct tl_darknet_cfg *out, char *err, size_t err_len);
void tl_darknet_cfg_free(struct tl_darknet_cfg *cfg);

/* The option named key in sec, or NULL. */
const struct tl_darknet_option *
tl_darknet_find(const struct tl_darknet_section *sec, const char *key);

/*
 * Typed getters. The *_or forms give fallback when the key is absent;
 * the others report it missing. Integers are decimal and must be >= min
 * (min 1 means "a positive integer").
 */
int tl_darknet_int(const struct tl_darknet_cfg *cfg,
		   const struct tl_darknet_section *sec, const char *key,
		   int min, int *out, char *err, size_t err_len);
int tl_darknet_int_or(const struct tl_darknet_cfg *cfg,
		      const struct tl_darknet_section *sec, const char *key,
		      int fallback, int min, int *out, char *err,
		      size_t err_len);
int tl_darknet_float_or(const struct tl_darknet_cfg *cfg,
			const struct tl_darknet_section *sec, const char *key,
			float fallback, float *out, char *err, size_t err_len);
/* A comma-separated list of integers, at most max of them. */
int tl_darknet_int_list(const struct tl_darknet_cfg *cfg,
			const struct tl_darknet_section *sec, const char *key,
			int *out, size_t max, size_t *n, char *err,
			size_t err_len);

/* ---- The network ---- */

enum tl_darknet_layer_type {
	TL_DN_CONVOLUTIONAL,
	TL_DN_DEPTHWISE,	/* Smart-Zone's [depthwise_convolutional] */
	TL_DN_CONNECTED,
	TL_DN_MAXPOOL,
	TL_DN_AVGPOOL,		/* global */
	TL_DN_SOFTMAX,
	TL_DN_DROPOUT,
	TL_DN_SHORTCUT,
	TL_DN_ROUTE,
	TL_DN_UPSAMPLE,
	TL_DN_YOLO,
	TL_DN_CROP,
	TL_DN_COST,
	TL_DN_REGION,		/* YOLOv2's head: a yolo head, softmax classes */
};

/* Darknet's activations, in the spelling its cfg files use. */
enum tl_darknet_activation {
	TL_DN_LINEAR,
	TL_DN_LOGISTIC,
	TL_DN_RELU,
	TL_DN_LEAKY,
	TL_DN_TANH,
	TL_DN_ELU,
	TL_DN_SELU,
	TL_DN_RELIE,
	TL_DN_RAMP,
	TL_DN_PLSE,
	TL_DN_STAIR,
	TL_DN_HARDTAN,
	TL_DN_LHTAN,
	TL_DN_LOGGY,
};

const char *tl_darknet_layer_name(enum tl_darknet_layer_type type);
const char *tl_darknet_activation_name(enum tl_darknet_activation act);

struct tl_darknet_shape {
	int c, h, w;
};

#define TL_DARKNET_MAX_ROUTE 16

/* One layer. Fields a layer type does not use are 0. */
struct tl_darknet_layer {
	enum tl_darknet_layer_type type;
	int line;			/* of its [section] header */
	struct tl_darknet_shape in;	/* the previous layer's output */
	struct tl_darknet_shape out;
	enum tl_darknet_activation activation; /* conv, connected, shortcut */
	int filters;		/* conv, depthwise; connected: output */
	int size, stride;	/* conv, depthwise, maxpool; upsample: stride */
	int padding;		/* pixels; conv: per side, maxpool: total */
	int groups;		/* conv, depthwise; softmax: groups */
	int batch_normalize;	/* conv, depthwise, connected */
	int from;		/* shortcut: absolute layer index */
	int route[TL_DARKNET_MAX_ROUTE]; /* route: absolute layer indices */
	int n_route;
	float alpha, beta;	/* shortcut: out = alpha*out + beta*from */
	float scale;		/* upsample: output multiplier */
	int anchors, classes;	/* yolo, region: anchors it uses (mask, else num) */
	int softmax;		/* region: a softmax over each cell's classes */
	uint64_t params;	/* floats in the .weights file */
	uint64_t macs;		/* multiply-accumulates for one image */
};

struct tl_darknet_net {
	struct tl_darknet_shape input;	/* [net] channels, height, width */
	struct tl_darknet_layer *layers; /* index 0 = first section after [net] */
	size_t n_layers;
	uint64_t params, macs;		/* sums over the layers */
};

/*
 * Builds the layers of cfg with Darknet's semantics: the first section is
 * [net] or [network]; every other section is a layer whose input is the
 * previous layer's output. Unknown sections or keys and impossible shapes
 * are errors naming the line. On error *out is left empty.
 */
int tl_darknet_net_build(const struct tl_darknet_cfg *cfg,
			 struct tl_darknet_net *out, char *err, size_t err_len);
void tl_darknet_net_free(struct tl_darknet_net *net);

#endif
