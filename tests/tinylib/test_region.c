/*
 * YOLOv2's [region] head (issue 15): imported as a yolo layer whose
 * params[1] says softmax classes (format 1.1), run by tl_yolo.
 *
 *  - The project's YOLOv2-tiny (models/zoo/yolov2-tiny.cfg): Darknet's
 *    shapes and counts worked out independently (42.87 MiB, 2.70 GMAC,
 *    425 x 13 x 13), imported to a .tlm that says minor 1 and ends in a
 *    yolo layer of 5 anchors with softmax.
 *  - Every key Darknet's parse_region reads is accepted (the training's
 *    ignored); softmax=0 is a plain 1.0 yolo head, byte for byte.
 *  - The refusals, each naming the file, line, section and key: a
 *    softmax tree (YOLO9000), coords other than 4, a background class,
 *    channels that are not num x (classes + 5).
 *  - Whole model: YOLOv2-tiny at 64x64 (a 2x2 grid) with seeded
 *    weights, importer -> .tlm -> tl_model_open -> tl_run in both modes,
 *    against the double-precision reference (reference_model.c, whose
 *    ref_yolo is written from Darknet's forward_region_layer); each
 *    cell's class probabilities sum to 1; the strict output's digest is
 *    the aarch64 build's too (digest_file.h).
 *  - tl_model_open: a softmax of 2 is refused naming "softmax"; a
 *    minor-0 file with softmax set is refused as a 1.0 reader would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "files.h"
#include "reference_model.h"
#include "tl_darknet_import.h"
#include "tl_engine.h"
#include "tlm_runner.h"
#include "../digest_file.h"

#define SEED 15
#define TOLERANCE 1e-4

static char err[512];

/* cfg text to a .tlm with seeded weights, or the importer's status with
 * its message in err. */
static int import(const char *text, const char *file, uint8_t **blob,
		  size_t *size)
{
	struct tl_darknet_cfg cfg;
	struct tl_darknet_net net;
	err[0] = '\0';
	*blob = NULL;
	int status = tl_darknet_cfg_parse(text, strlen(text), file, &cfg, err,
					  sizeof err);
	if (status == TL_DARKNET_OK)
		status = tl_darknet_net_build(&cfg, &net, err, sizeof err);
	if (status == TL_DARKNET_OK) {
		float *w = tl_darknet_random_weights(&net, SEED);
		assert_non_null(w);
		status = tl_darknet_to_tlm(&cfg, &net, w, blob, size, err,
					   sizeof err);
		free(w);
		tl_darknet_net_free(&net);
	}
	tl_darknet_cfg_free(&cfg);
	return status;
}

static void open_model(const uint8_t *blob, size_t size, struct tl_model *m)
{
	struct tl_model_error e;
	if (tl_model_open(blob, size, m, &e) != TL_OK)
		fail_msg("tl_model_open: layer %d, field %s", e.layer, e.field);
}

static struct tl_layer last_layer(const struct tl_model *m)
{
	struct tl_layer l;
	tl_model_layer(m, m->layer_count - 1, &l);
	return l;
}

static char *zoo_cfg(void)
{
	size_t len;
	return read_file(TL_ZOO_DIR "/yolov2-tiny.cfg", &len);
}

/* ---- The importer ---- */

static void test_yolov2_tiny_import(void **state)
{
	(void)state;
	char *text = zoo_cfg();
	struct tl_darknet_cfg cfg;
	struct tl_darknet_net net;
	assert_int_equal(tl_darknet_cfg_parse(text, strlen(text), "yolov2-tiny.cfg",
					      &cfg, err, sizeof err), 0);
	if (tl_darknet_net_build(&cfg, &net, err, sizeof err))
		fail_msg("%s", err);
	/* 8 convolutions with batch normalisation (4 per filter + 9 c per
	 * filter), the 1x1 to 425 maps: 11,237,145 floats, 2,703,221,248
	 * MACs (Darknet prints 5.41 BFLOPs). */
	assert_int_equal(net.params, 11237145);
	assert_int_equal(net.macs, 2703221248u);
	assert_int_equal(net.n_layers, 16);
	const struct tl_darknet_layer *r = &net.layers[15];
	assert_int_equal(r->type, TL_DN_REGION);
	assert_string_equal(tl_darknet_layer_name(r->type), "region");
	assert_int_equal(r->anchors, 5);
	assert_int_equal(r->classes, 80);
	assert_int_equal(r->softmax, 1);
	assert_int_equal(r->out.c, 425);
	assert_int_equal(r->out.h, 13);
	assert_int_equal(r->out.w, 13);
	assert_int_equal(net.layers[11].out.h, 13);	/* the stride-1 pool */
	tl_darknet_net_free(&net);
	tl_darknet_cfg_free(&cfg);

	uint8_t *blob;
	size_t size;
	if (import(text, "yolov2-tiny.cfg", &blob, &size))
		fail_msg("%s", err);
	struct tl_model m;
	open_model(blob, size, &m);
	assert_int_equal(m.version_minor, 1);
	struct tl_layer l = last_layer(&m);
	assert_int_equal(l.type, TL_LAYER_YOLO);
	assert_int_equal(l.params[0], 5);
	assert_int_equal(l.params[1], 1);
	free(blob);
	free(text);
}

/* A YOLOv2-tiny-VOC style head with every key parse_region reads. */
#define HEAD_NET "[net]\nwidth=8\nheight=8\nchannels=3\n" \
	"[convolutional]\nfilters=26\nsize=1\nactivation=linear\n" /* 2 x 13 */
#define REGION_KEYS "anchors = 1.08,1.19,  3.42,4.41\nbias_match=1\n" \
	"classes=8\ncoords=4\nnum=2\njitter=.2\nrescore=1\n" \
	"object_scale=5\nnoobject_scale=1\nclass_scale=1\ncoord_scale=1\n" \
	"mask_scale=1\nabsolute=1\nthresh = .6\nrandom=1\nlog=0\nsqrt=0\n" \
	"max=30\nclassfix=0\nbackground=0\nmap=data/coco9k.map\n"

static void test_training_keys(void **state)
{
	(void)state;
	uint8_t *soft, *logistic;
	size_t n_soft, n_logistic;
	if (import(HEAD_NET "[region]\n" REGION_KEYS "softmax=1\n", "voc.cfg",
		   &soft, &n_soft) ||
	    import(HEAD_NET "[region]\n" REGION_KEYS "softmax=0\n", "voc.cfg",
		   &logistic, &n_logistic))
		fail_msg("%s", err);
	struct tl_model m;
	open_model(soft, n_soft, &m);
	assert_int_equal(m.version_minor, 1);
	assert_int_equal(last_layer(&m).params[0], 2);
	assert_int_equal(last_layer(&m).params[1], 1);
	/* Logistic classes: exactly a [yolo] head, format 1.0. */
	open_model(logistic, n_logistic, &m);
	assert_int_equal(m.version_minor, 0);
	assert_int_equal(last_layer(&m).params[1], 0);
	uint8_t *yolo;
	size_t n_yolo;
	if (import(HEAD_NET "[yolo]\nmask=0,1\nclasses=8\n", "voc.cfg", &yolo,
		   &n_yolo))
		fail_msg("%s", err);
	assert_int_equal(n_yolo, n_logistic);
	assert_memory_equal(yolo, logistic, n_yolo);
	free(soft), free(logistic), free(yolo);
}

struct refusal { const char *what, *text; int status; const char *message; };

/* HEAD_NET is lines 1-8; [region] is line 9. */
static const struct refusal refusals[] = {
	{ "tree", HEAD_NET "[region]\nclasses=8\nnum=2\nsoftmax=1\n"
	  "tree=data/9k.tree\n", TL_DARKNET_E_VALUE,
	  "r.cfg:13: [region] key 'tree': a softmax tree (YOLO9000's "
	  "hierarchical classes) is not supported: S-Tinylib's head takes "
	  "one softmax over all the classes" },
	{ "coords 5", HEAD_NET "[region]\nclasses=7\nnum=2\ncoords=5\n",
	  TL_DARKNET_E_VALUE, "r.cfg:12: [region] key 'coords': expected 4 "
	  "box values (x, y, w, h), the layout S-Tinylib's yolo head runs, "
	  "found 5" },
	{ "background", HEAD_NET "[region]\nclasses=8\nnum=2\nsoftmax=1\n"
	  "background=1\n", TL_DARKNET_E_VALUE, "r.cfg:13: [region] key "
	  "'background': a background class in the softmax is not supported: "
	  "expected 0, found 1" },
	{ "channels", HEAD_NET "[region]\nclasses=80\nnum=5\nsoftmax=1\n",
	  TL_DARKNET_E_SHAPE, "r.cfg:9: [region] 5 anchors of 80 classes take "
	  "425 input channels, the input has 26" },
	{ "unknown key", HEAD_NET "[region]\nclasses=8\nnum=2\nmask=0,1\n",
	  TL_DARKNET_E_UNKNOWN_KEY, "r.cfg:12: [region] unknown key 'mask'" },
};

static void test_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof refusals / sizeof *refusals; i++) {
		const struct refusal *r = &refusals[i];
		uint8_t *blob;
		size_t size;
		int status = import(r->text, "r.cfg", &blob, &size);
		if (status != r->status || strcmp(err, r->message) != 0)
			fail_msg("%s: status %d '%s', expected %d '%s'", r->what,
				 status, err, r->status, r->message);
		assert_null(blob);
	}
}

/* ---- The whole model ---- */

/* The zoo's YOLOv2-tiny at 64x64: the same layers, a 2x2 grid (its
 * "416" sizes written " 64"; the cfg reader trims values). */
static char *yolov2_tiny_64(void)
{
	char *text = zoo_cfg();
	char *w = strstr(text, "width=416"), *h = strstr(text, "height=416");
	assert_non_null(w);
	assert_non_null(h);
	memcpy(w + 6, " 64", 3);
	memcpy(h + 7, " 64", 3);
	return text;
}

static float *run(struct tlm_runner *r, const float *input, enum tl_mode mode)
{
	float *out = malloc(r->n_out * sizeof *out);
	assert_non_null(out);
	runner_run(r, input, out, mode);
	return out;
}

/* Each cell's 80 class probabilities of each of the 5 anchors sum to 1
 * and the logistic entries lie in (0, 1). */
static void check_probabilities(const float *out, size_t plane)
{
	for (size_t a = 0; a < 5; a++)
		for (size_t i = 0; i < plane; i++) {
			const float *base = out + a * 85 * plane + i;
			double sum = 0;
			for (size_t k = 5; k < 85; k++)
				sum += base[k * plane];
			assert_true(fabs(sum - 1) <= 1e-5);
			assert_true(base[0] > 0 && base[0] < 1);
			assert_true(base[4 * plane] > 0 && base[4 * plane] < 1);
		}
}

static void test_whole_model(void **state)
{
	(void)state;
	char *text = yolov2_tiny_64();
	uint8_t *blob;
	size_t size;
	if (import(text, "yolov2-tiny-64.cfg", &blob, &size))
		fail_msg("%s", err);
	struct tlm_runner r;
	runner_open_blob(&r, blob, size, "yolov2-tiny-64.tlm");
	size_t n = r.n_out;
	assert_int_equal(n, 425 * 2 * 2);
	float *input = malloc(r.n_in * sizeof *input);
	assert_non_null(input);
	for (size_t i = 0; i < r.n_in; i++)	/* a smooth image in [0, 1] */
		input[i] = 0.5f + 0.5f * sinf(0.05f * (float)i);
	float *strict = run(&r, input, TL_MODE_STRICT);
	float *again = run(&r, input, TL_MODE_STRICT);
	float *fast = run(&r, input, TL_MODE_FAST);
	float *ref = reference_run(&r.model, input);
	assert_memory_equal(strict, again, n * sizeof *strict);
	double es = relative_error(strict, ref, n), ef = relative_error(fast, ref, n);
	printf("  YOLOv2-tiny 64x64 against the reference: strict %.2e, "
	       "fast %.2e\n", es, ef);
	assert_true(es <= TOLERANCE);
	assert_true(ef <= TOLERANCE);
	check_probabilities(strict, 4);
	check_probabilities(fast, 4);
	digest_check("region", "yolov2-tiny-64",
		     digest_floats(DIGEST_START, strict, n));
	free(strict), free(again), free(fast), free(ref), free(input);
	runner_close(&r);
	free(text);
}

/* ---- The checker ---- */

static void rewrite_crc(uint8_t *blob, size_t size)
{
	uint32_t crc = tl_crc32(0, blob, size - 4);
	for (int i = 0; i < 4; i++)
		blob[size - 4 + i] = (uint8_t)(crc >> (8 * i));
}

static void expect_refused(uint8_t *blob, size_t size, const char *field,
			   uint64_t found)
{
	struct tl_model m;
	struct tl_model_error e;
	rewrite_crc(blob, size);
	assert_int_equal(tl_model_open(blob, size, &m, &e), TL_E_LAYER);
	assert_int_equal(e.layer, 1);
	assert_string_equal(e.field, field);
	assert_int_equal(e.found, found);
}

static void test_checker(void **state)
{
	(void)state;
	uint8_t *blob;
	size_t size;
	if (import(HEAD_NET "[region]\nclasses=8\nnum=2\nsoftmax=1\n", "r.cfg",
		   &blob, &size))
		fail_msg("%s", err);
	struct tl_model m;
	open_model(blob, size, &m);
	uint8_t *params = (uint8_t *)blob + m.layer_table + 64 + 32;
	params[4] = 2;				/* softmax 2 */
	expect_refused(blob, size, "softmax", 2);
	params[4] = 1;
	blob[6] = 0;				/* minor 0 with softmax */
	expect_refused(blob, size, "params[1]", 1);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yolov2_tiny_import),
		cmocka_unit_test(test_training_keys),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_whole_model),
		cmocka_unit_test(test_checker),
	};
	digest_start("region");
	return cmocka_run_group_tests_name("region", tests, NULL, NULL);
}
