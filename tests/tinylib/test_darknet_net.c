/*
 * Darknet shape inference: the seven sample cfgs against the independent
 * figures of BRIEF.md ("Independent figures for the sample cfgs") and
 * YOLOv2-tiny against its own (worked out in test_region.c), a
 * small cfg that touches every layer type with counts worked out by
 * hand, and malformed cfgs that must fail on the right line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "files.h"

#include "tl_darknet.h"

#ifndef TL_ZOO_DIR
#error "TL_ZOO_DIR: the folder of the sample cfgs (tests/tinylib/module.mk)"
#endif

static char err[256];

/* ---- The sample cfgs ---- */

struct sample {
	const char *name;
	const char *weights_mib;	/* params * 4 / 2^20, as BRIEF.md prints it */
	const char *gmac;		/* macs / 10^9 */
	struct tl_darknet_shape out;	/* of the last layer */
	size_t n_layers;
};

static const struct sample samples[] = {
	{ "alexnet", "237.95", "1.14", { 1000, 1, 1 }, 14 },
	{ "cifar", "29.32", "0.81", { 10, 1, 1 }, 17 },
	{ "darknet", "27.94", "0.48", { 1000, 1, 1 }, 16 },
	{ "mobilenet_v1", "16.23", "0.74", { 1000, 1, 1 }, 30 },
	{ "resnet18", "43.96", "2.34", { 1000, 1, 1 }, 29 },
	{ "tiny", "3.99", "0.49", { 1000, 1, 1 }, 22 },
	/* The last layer is the second yolo head, at stride 16. */
	{ "yolov3-tiny", "33.79", "2.78", { 255, 26, 26 }, 24 },
	/* 5 anchors x (5 + 80 classes) at stride 32 */
	{ "yolov2-tiny", "42.87", "2.70", { 425, 13, 13 }, 16 },
};

static void build_sample(const char *name, struct tl_darknet_cfg *cfg,
			 struct tl_darknet_net *net)
{
	char path[256], file[64];
	snprintf(path, sizeof path, "%s/%s.cfg", TL_ZOO_DIR, name);
	snprintf(file, sizeof file, "%s.cfg", name);
	size_t len;
	char *text = read_file(path, &len);
	int status = tl_darknet_cfg_parse(text, len, file, cfg, err, sizeof err);
	free(text);
	if (status == TL_DARKNET_OK)
		status = tl_darknet_net_build(cfg, net, err, sizeof err);
	if (status != TL_DARKNET_OK)
		fail_msg("%s", err);
}

static void test_sample(void **state)
{
	const struct sample *s = *state;
	struct tl_darknet_cfg cfg;
	struct tl_darknet_net net;
	build_sample(s->name, &cfg, &net);
	char mib[32], gmac[32];
	snprintf(mib, sizeof mib, "%.2f", (double)net.params * 4 / 1048576);
	snprintf(gmac, sizeof gmac, "%.2f", (double)net.macs / 1e9);
	assert_string_equal(mib, s->weights_mib);
	assert_string_equal(gmac, s->gmac);
	assert_int_equal(net.n_layers, s->n_layers);
	const struct tl_darknet_layer *last = &net.layers[net.n_layers - 1];
	assert_int_equal(last->out.c, s->out.c);
	assert_int_equal(last->out.h, s->out.h);
	assert_int_equal(last->out.w, s->out.w);
	tl_darknet_net_free(&net);
	tl_darknet_cfg_free(&cfg);
}

/* AlexNet's well-known 62,378,344 parameters, to the float. */
static void test_alexnet_exact(void **state)
{
	(void)state;
	struct tl_darknet_cfg cfg;
	struct tl_darknet_net net;
	build_sample("alexnet", &cfg, &net);
	assert_int_equal(net.params, 62378344);
	assert_int_equal(net.layers[0].out.h, 55);	/* (227 - 11)/4 + 1 */
	tl_darknet_net_free(&net);
	tl_darknet_cfg_free(&cfg);
}

/* ---- Every layer type, worked out by hand ---- */

static const char every_layer[] =
	"[network]\nwidth=8\nheight=8\nchannels=4\nbatch=1\n"
	/* 0: 8x8x8, pad 1; 8 biases + 24 BN + 8*(4/2)*9 weights */
	"[conv]\nfilters=8\nsize=3\npad=1\ngroups=2\nbatch_normalize=1\n"
	"activation=leaky\n"
	/* 1: (8 + 2 - 3)/2 + 1 = 4: 4x4x8; 8 + 8*9 */
	"[depthwise_convolutional]\nsize=3\nstride=2\npad=1\n"
	/* 2: padding defaults to 1: (4 + 1 - 2)/1 + 1 = 4 */
	"[max]\nsize=2\nstride=1\n"
	/* 3: layers 2 and 1: 4x4x16 */
	"[route]\nlayers=-1, 1\n"
	/* 4: 8x8x16 */
	"[upsample]\n"
	/* 5: adds layer 0 (8x8x8) into 8x8x16 */
	"[shortcut]\nfrom=0\nactivation=leaky\n"
	/* 6: 16 x 5 high x 6 wide */
	"[crop]\ncrop_height=5\ncrop_width=6\nflip=0\n"
	/* 7: 480 in, 10 out: 10 biases + 4800 weights + 30 BN */
	"[conn]\noutput=10\nbatch_normalize=1\nactivation=linear\n"
	"[dropout]\nprobability=.5\n"
	"[soft]\ngroups=2\n"
	"[cost]\ntype=sse\n";

static void build_text(const char *text, struct tl_darknet_cfg *cfg,
		       struct tl_darknet_net *net, int *parse_status,
		       int *build_status)
{
	err[0] = '\0';
	memset(net, 0, sizeof *net);
	*parse_status = tl_darknet_cfg_parse(text, strlen(text), "t.cfg", cfg,
					     err, sizeof err);
	*build_status = *parse_status ? -1
				      : tl_darknet_net_build(cfg, net, err,
							     sizeof err);
}

static void expect_shape(const struct tl_darknet_layer *l, int c, int h, int w)
{
	assert_int_equal(l->out.c, c);
	assert_int_equal(l->out.h, h);
	assert_int_equal(l->out.w, w);
}

static void test_every_layer_type(void **state)
{
	(void)state;
	struct tl_darknet_cfg cfg;
	struct tl_darknet_net net;
	int ps, bs;
	build_text(every_layer, &cfg, &net, &ps, &bs);
	assert_int_equal(ps, TL_DARKNET_OK);
	if (bs != TL_DARKNET_OK)
		fail_msg("%s", err);
	assert_int_equal(net.n_layers, 11);
	const struct tl_darknet_layer *l = net.layers;
	assert_int_equal(l[0].type, TL_DN_CONVOLUTIONAL);
	assert_int_equal(l[0].padding, 1);
	assert_int_equal(l[0].activation, TL_DN_LEAKY);
	expect_shape(&l[0], 8, 8, 8);
	assert_int_equal(l[0].params, 8 + 24 + 8 * 2 * 9);
	assert_int_equal(l[0].macs, 8 * 8 * 8 * 2 * 9);
	assert_int_equal(l[1].groups, 8);
	assert_int_equal(l[1].activation, TL_DN_LOGISTIC); /* Darknet's default */
	expect_shape(&l[1], 8, 4, 4);
	assert_int_equal(l[1].params, 8 + 8 * 9);
	assert_int_equal(l[1].macs, 4 * 4 * 8 * 9);
	assert_int_equal(l[2].padding, 1);
	expect_shape(&l[2], 8, 4, 4);
	assert_int_equal(l[3].n_route, 2);
	assert_int_equal(l[3].route[0], 2);
	assert_int_equal(l[3].route[1], 1);
	expect_shape(&l[3], 16, 4, 4);
	assert_int_equal(l[4].stride, 2);
	assert_true(l[4].scale == 1);
	expect_shape(&l[4], 16, 8, 8);
	assert_int_equal(l[5].from, 0);
	assert_true(l[5].alpha == 1 && l[5].beta == 1);
	expect_shape(&l[5], 16, 8, 8);
	expect_shape(&l[6], 16, 5, 6);
	expect_shape(&l[7], 10, 1, 1);
	assert_int_equal(l[7].params, 10 + 4800 + 30);
	assert_int_equal(l[7].macs, 4800);
	assert_int_equal(l[9].groups, 2);
	assert_int_equal(l[10].type, TL_DN_COST);
	expect_shape(&l[10], 10, 1, 1);
	assert_int_equal(net.params, 176 + 80 + 4840);
	assert_int_equal(net.macs, 9216 + 1152 + 4800);
	assert_string_equal(tl_darknet_layer_name(l[2].type), "maxpool");
	assert_string_equal(tl_darknet_activation_name(l[0].activation),
			    "leaky");
	tl_darknet_net_free(&net);
	tl_darknet_cfg_free(&cfg);
}

/* ---- Malformed cfgs ---- */

#define NET "[net]\nwidth=8\nheight=8\nchannels=3\n"	/* lines 1-4 */

struct bad_cfg {
	const char *what;
	const char *text;
	int status;
	const char *message;
};

static const struct bad_cfg bad_cfgs[] = {
	{ "no sections", "# nothing\n", TL_DARKNET_E_MISSING,
	  "t.cfg: the first section must be [net]" },
	{ "layer first", "\n[maxpool]\n", TL_DARKNET_E_MISSING,
	  "t.cfg:2: the first section must be [net]" },
	{ "no layers", NET, TL_DARKNET_E_MISSING,
	  "t.cfg:1: [net] is followed by no layer" },
	{ "missing width", "[net]\nheight=8\nchannels=3\n[avgpool]\n",
	  TL_DARKNET_E_MISSING, "t.cfg:1: [net] missing key 'width'" },
	{ "zero channels", "[net]\nwidth=8\nheight=8\nchannels=0\n[avg]\n",
	  TL_DARKNET_E_VALUE, "t.cfg:4: [net] key 'channels': expected a "
	  "positive integer, found '0'" },
	{ "net key typo", "[net]\nwidth=8\nheigth=8\n", TL_DARKNET_E_UNKNOWN_KEY,
	  "t.cfg:3: [net] unknown key 'heigth'" },
	{ "second net", NET "[avgpool]\n[net]\n", TL_DARKNET_E_UNKNOWN_SECTION,
	  "t.cfg:6: [net] only as the first section" },
	{ "unknown section", NET "[avgpool]\n\n[lstm]\n",
	  TL_DARKNET_E_UNKNOWN_SECTION, "t.cfg:7: unknown section [lstm]" },
	{ "unknown conv key", NET "[convolutional]\nfilters=4\nstride_x=2\n",
	  TL_DARKNET_E_UNKNOWN_KEY,
	  "t.cfg:7: [convolutional] unknown key 'stride_x'" },
	{ "avgpool takes no key", NET "[avgpool]\nsize=2\n",
	  TL_DARKNET_E_UNKNOWN_KEY, "t.cfg:6: [avgpool] unknown key 'size'" },
	{ "bad stride", NET "[convolutional]\nstride=x\n", TL_DARKNET_E_VALUE,
	  "t.cfg:6: [convolutional] key 'stride': expected a positive "
	  "integer, found 'x'" },
	{ "bad activation", NET "[convolutional]\nactivation=swish\n",
	  TL_DARKNET_E_VALUE, "t.cfg:6: [convolutional] key 'activation': "
	  "expected a Darknet activation (linear, relu, leaky, logistic, "
	  "...), found 'swish'" },
	{ "conv window too big", NET "[convolutional]\nsize=11\nstride=4\n",
	  TL_DARKNET_E_SHAPE, "t.cfg:5: [convolutional] window 11 larger "
	  "than the padded input 8" },
	{ "maxpool window too big", NET "[maxpool]\nsize=9\npadding=0\n",
	  TL_DARKNET_E_SHAPE,
	  "t.cfg:5: [maxpool] window 9 larger than the padded input 8" },
	{ "groups do not divide", NET "[convolutional]\nfilters=4\ngroups=2\n",
	  TL_DARKNET_E_SHAPE, "t.cfg:5: [convolutional] groups 2 must divide "
	  "the input channels 3 and the filters 4" },
	{ "depthwise filters", NET "[depthwise_convolutional]\nfilters=6\n",
	  TL_DARKNET_E_SHAPE, "t.cfg:5: [depthwise_convolutional] filters 6 "
	  "must equal the input channels 3" },
	{ "softmax groups", NET "[softmax]\ngroups=5\n", TL_DARKNET_E_SHAPE,
	  "t.cfg:5: [softmax] groups 5 must divide the 192 inputs" },
	{ "route too far back", NET "[avgpool]\n[route]\nlayers=-2\n",
	  TL_DARKNET_E_SHAPE, "t.cfg:6: [route] layers -2 refers to layer -1; "
	  "layers 0..0 come before this one" },
	{ "route to itself", NET "[avgpool]\n[route]\nlayers=0, 1\n",
	  TL_DARKNET_E_SHAPE, "t.cfg:6: [route] layers 1 refers to layer 1; "
	  "layers 0..0 come before this one" },
	{ "route sizes differ", NET "[dropout]\n[maxpool]\nsize=2\nstride=2\n"
	  "[route]\nlayers=-1,-2\n", TL_DARKNET_E_SHAPE,
	  "t.cfg:9: [route] layer 1 is 4x4, layer 0 is 8x8: route needs one "
	  "size" },
	{ "route without layers", NET "[avgpool]\n[route]\n",
	  TL_DARKNET_E_MISSING, "t.cfg:6: [route] missing key 'layers'" },
	{ "shortcut without from", NET "[avgpool]\n[shortcut]\n",
	  TL_DARKNET_E_MISSING, "t.cfg:6: [shortcut] missing key 'from'" },
	{ "shortcut forward", NET "[avgpool]\n[shortcut]\nfrom=3\n",
	  TL_DARKNET_E_SHAPE, "t.cfg:6: [shortcut] from 3 refers to layer 3; "
	  "layers 0..0 come before this one" },
	{ "shortcut ratios", NET "[dropout]\n[crop]\ncrop_height=4\n"
	  "crop_width=8\n[shortcut]\nfrom=0\n", TL_DARKNET_E_SHAPE,
	  "t.cfg:9: [shortcut] layer 0 (8x8) and the previous layer (8x4) "
	  "differ in width and height ratio" },
	/* Darknet's parse_yolo asserts outputs == inputs; the importer
	 * once wrote such heads, which S-Tinylib refuses (fuzz_darknet) */
	{ "yolo channels", NET "[yolo]\nmask=0,1\nclasses=2\n",
	  TL_DARKNET_E_SHAPE, "t.cfg:5: [yolo] 2 anchors of 2 classes take "
	  "14 input channels, the input has 3" },
	{ "yolo default channels", NET "[yolo]\n", TL_DARKNET_E_SHAPE,
	  "t.cfg:5: [yolo] 1 anchors of 20 classes take 25 input channels, "
	  "the input has 3" },
	{ "crop too big", NET "[crop]\ncrop_height=9\ncrop_width=2\n",
	  TL_DARKNET_E_SHAPE,
	  "t.cfg:5: [crop] crop 2x9 larger than its input 8x8" },
	{ "upsample too big", NET "[upsample]\nstride=1000000000\n",
	  TL_DARKNET_E_SHAPE, "t.cfg:5: [upsample] output size too large" },
	{ "output too big", NET "[convolutional]\nfilters=2147483647\n",
	  TL_DARKNET_E_SHAPE,
	  "t.cfg:5: [convolutional] output 8x8x2147483647 out of range" },
	/* 10x10 outputs, but 10^6 * 3 * (2^31 - 1)^2 weights. */
	{ "counts overflow", NET "[convolutional]\nfilters=1000000\n"
	  "size=2147483647\npadding=1073741824\n", TL_DARKNET_E_SHAPE,
	  "t.cfg:5: [convolutional] parameter or MAC count overflows" },
	{ "syntax error", NET "[avgpool]\noops\n", TL_DARKNET_E_SYNTAX,
	  "t.cfg:6: expected [section] or key=value, found 'oops'" },
};

static void test_bad_cfg(void **state)
{
	const struct bad_cfg *b = *state;
	struct tl_darknet_cfg cfg;
	struct tl_darknet_net net;
	int ps, bs;
	build_text(b->text, &cfg, &net, &ps, &bs);
	assert_int_equal(ps == TL_DARKNET_OK ? bs : ps, b->status);
	assert_string_equal(err, b->message);
	assert_null(net.layers);
	assert_int_equal(net.n_layers, 0);
	tl_darknet_cfg_free(&cfg);
}

int main(void)
{
	enum { N_SAMPLES = sizeof samples / sizeof samples[0],
	       N_BAD = sizeof bad_cfgs / sizeof bad_cfgs[0] };
	struct CMUnitTest tests[N_SAMPLES + N_BAD + 2];
	size_t n = 0;
	for (size_t i = 0; i < N_SAMPLES; i++) {
		struct CMUnitTest t = { samples[i].name, test_sample, NULL,
					NULL, (void *)&samples[i] };
		tests[n++] = t;
	}
	struct CMUnitTest alexnet = cmocka_unit_test(test_alexnet_exact);
	struct CMUnitTest every = cmocka_unit_test(test_every_layer_type);
	tests[n++] = alexnet;
	tests[n++] = every;
	for (size_t i = 0; i < N_BAD; i++) {
		struct CMUnitTest t = { bad_cfgs[i].what, test_bad_cfg, NULL,
					NULL, (void *)&bad_cfgs[i] };
		tests[n++] = t;
	}
	return _cmocka_run_group_tests("darknet_net", tests, n, NULL, NULL);
}
