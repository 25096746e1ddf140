/*
 * The Darknet .cfg parser: comments, blanks and spacing, the line each
 * error names, and the typed getters' messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tl_darknet.h"

static char err[256];

static int parse(const char *text, struct tl_darknet_cfg *cfg)
{
	err[0] = '\0';
	return tl_darknet_cfg_parse(text, strlen(text), "t.cfg", cfg, err,
				    sizeof err);
}

static void expect_option(const struct tl_darknet_section *sec, size_t i,
			  const char *key, const char *value, int line)
{
	assert_true(i < sec->n_options);
	assert_string_equal(sec->options[i].key, key);
	assert_string_equal(sec->options[i].value, value);
	assert_int_equal(sec->options[i].line, line);
}

static void test_comments_and_spacing(void **state)
{
	(void)state;
	static const char text[] =
		"# a comment\n"			/* 1 */
		"; another\n"			/* 2 */
		"\n"				/* 3 */
		"  [net]  \n"			/* 4 */
		"width = 32   # inline\n"	/* 5 */
		"\theight=\t16\r\n"		/* 6 */
		"anchors = 10,14,  23,27\n"	/* 7 */
		"   \n"				/* 8 */
		"[ convolutional ]\n"		/* 9 */
		"activation=leaky;why\n"	/* 10 */
		"empty=\n"			/* 11 */
		"[avgpool]";			/* 12, no final newline */
	struct tl_darknet_cfg cfg;
	assert_int_equal(parse(text, &cfg), TL_DARKNET_OK);
	assert_int_equal(cfg.n_sections, 3);
	assert_string_equal(cfg.file_name, "t.cfg");
	const struct tl_darknet_section *net = &cfg.sections[0];
	assert_string_equal(net->type, "net");
	assert_int_equal(net->line, 4);
	assert_int_equal(net->n_options, 3);
	expect_option(net, 0, "width", "32", 5);
	expect_option(net, 1, "height", "16", 6);
	expect_option(net, 2, "anchors", "10,14,  23,27", 7);
	const struct tl_darknet_section *conv = &cfg.sections[1];
	assert_string_equal(conv->type, "convolutional");
	assert_int_equal(conv->line, 9);
	expect_option(conv, 0, "activation", "leaky", 10);
	expect_option(conv, 1, "empty", "", 11);
	assert_string_equal(cfg.sections[2].type, "avgpool");
	assert_int_equal(cfg.sections[2].n_options, 0);
	assert_int_equal(cfg.sections[2].line, 12);
	assert_null(tl_darknet_find(conv, "size"));
	tl_darknet_cfg_free(&cfg);
}

static void test_empty_text(void **state)
{
	(void)state;
	struct tl_darknet_cfg cfg;
	assert_int_equal(parse("", &cfg), TL_DARKNET_OK);
	assert_int_equal(cfg.n_sections, 0);
	tl_darknet_cfg_free(&cfg);
	assert_int_equal(parse("\n# only\n\n", &cfg), TL_DARKNET_OK);
	assert_int_equal(cfg.n_sections, 0);
	tl_darknet_cfg_free(&cfg);
}

/* Many sections and options, so that the arrays grow several times. */
static void test_growth(void **state)
{
	(void)state;
	static char text[20000];
	size_t n = 0;
	for (int s = 0; s < 100; s++) {
		n += (size_t)snprintf(text + n, sizeof text - n, "[s%d]\n", s);
		for (int k = 0; k < s % 11; k++)
			n += (size_t)snprintf(text + n, sizeof text - n,
					      "k%d=%d\n", k, s * k);
	}
	struct tl_darknet_cfg cfg;
	assert_int_equal(parse(text, &cfg), TL_DARKNET_OK);
	assert_int_equal(cfg.n_sections, 100);
	const struct tl_darknet_section *sec = &cfg.sections[98];
	assert_string_equal(sec->type, "s98");
	assert_int_equal(sec->n_options, 98 % 11);
	assert_string_equal(sec->options[9].value, "882");
	tl_darknet_cfg_free(&cfg);
}

struct bad_text {
	const char *text;
	int status;
	const char *message;	/* the whole error message */
};

static const struct bad_text bad_texts[] = {
	{ "[net]\nwidth=1\nheight 2\n", TL_DARKNET_E_SYNTAX,
	  "t.cfg:3: expected [section] or key=value, found 'height 2'" },
	{ "\nwidth=1\n[net]\n", TL_DARKNET_E_SYNTAX,
	  "t.cfg:2: key before any [section]: 'width'" },
	{ "[net]\nwidth=1\n\nwidth = 2\n", TL_DARKNET_E_SYNTAX,
	  "t.cfg:4: [net] key 'width' already set on line 2" },
	{ "[net\n", TL_DARKNET_E_SYNTAX,
	  "t.cfg:1: section header without ']': '[net'" },
	{ "[net]\n[ ]\n", TL_DARKNET_E_SYNTAX,
	  "t.cfg:2: bad section name ''" },
	{ "[net]\n[a]b]\n", TL_DARKNET_E_SYNTAX,
	  "t.cfg:2: bad section name 'a]b'" },
	{ "[net]\n\n\n = 3\n", TL_DARKNET_E_SYNTAX,
	  "t.cfg:4: no key before '=' in '3'" },
	/* The comment hides the bracket. */
	{ "[net # x]\n", TL_DARKNET_E_SYNTAX,
	  "t.cfg:1: section header without ']': '[net'" },
};

static void test_syntax_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_texts / sizeof bad_texts[0]; i++) {
		const struct bad_text *b = &bad_texts[i];
		struct tl_darknet_cfg cfg;
		assert_int_equal(parse(b->text, &cfg), b->status);
		assert_string_equal(err, b->message);
		assert_int_equal(cfg.n_sections, 0);
		tl_darknet_cfg_free(&cfg);
	}
}

static void test_nul_byte_and_null_err(void **state)
{
	(void)state;
	struct tl_darknet_cfg cfg;
	static const char text[] = "[net]\nwidth=1\0\n";
	assert_int_equal(tl_darknet_cfg_parse(text, sizeof text - 1, "t.cfg",
					      &cfg, err, sizeof err),
			 TL_DARKNET_E_SYNTAX);
	assert_string_equal(err, "t.cfg: NUL byte in the text");
	/* No err buffer: the status alone. */
	assert_int_equal(tl_darknet_cfg_parse("x\n", 2, NULL, &cfg, NULL, 0),
			 TL_DARKNET_E_SYNTAX);
	/* A short buffer truncates the message, never overflows it. */
	char small[8];
	assert_int_equal(tl_darknet_cfg_parse("x\n", 2, "long_name.cfg", &cfg,
					      small, sizeof small),
			 TL_DARKNET_E_SYNTAX);
	assert_string_equal(small, "long_na");
}

/* ---- Getters ---- */

static const char getter_text[] =
	"[convolutional]\n"		/* 1 */
	"filters = 32\n"		/* 2 */
	"stride=x\n"			/* 3 */
	"pad=-1\n"			/* 4 */
	"size=3.5\n"			/* 5 */
	"big=99999999999\n"		/* 6 */
	"neg=-7\n"			/* 7 */
	"plus=+4\n"			/* 8 */
	"tail=12abc\n"			/* 9 */
	"p=.5\n"			/* 10 */
	"nan=nan\n"			/* 11 */
	"inf=inf\n"			/* 12 */
	"word=abc\n"			/* 13 */
	"layers = -1, 8\n"		/* 14 */
	"one=4\n"			/* 15 */
	"gap=1,,2\n"			/* 16 */
	"many=1,2,3\n"			/* 17 */
	"none=\n"			/* 18 */
	"long=1,000000000000000000000000000000000000000001\n"; /* 19 */

static int setup_getters(void **state)
{
	static struct tl_darknet_cfg cfg;
	if (parse(getter_text, &cfg) != TL_DARKNET_OK)
		return -1;
	*state = &cfg;
	return 0;
}

static int teardown_getters(void **state)
{
	tl_darknet_cfg_free(*state);
	return 0;
}

static void expect_int(const struct tl_darknet_cfg *cfg, const char *key,
		       int min, int status, int value, const char *message)
{
	int v = -12345;
	err[0] = '\0';
	assert_int_equal(tl_darknet_int(cfg, &cfg->sections[0], key, min, &v,
					err, sizeof err), status);
	if (status == TL_DARKNET_OK)
		assert_int_equal(v, value);
	assert_string_equal(err, message);
}

static void test_int_getter(void **state)
{
	const struct tl_darknet_cfg *cfg = *state;
	expect_int(cfg, "filters", 1, TL_DARKNET_OK, 32, "");
	expect_int(cfg, "plus", 1, TL_DARKNET_OK, 4, "");
	expect_int(cfg, "neg", INT_MIN, TL_DARKNET_OK, -7, "");
	expect_int(cfg, "stride", 1, TL_DARKNET_E_VALUE, 0,
		   "t.cfg:3: [convolutional] key 'stride': expected a "
		   "positive integer, found 'x'");
	expect_int(cfg, "pad", 0, TL_DARKNET_E_VALUE, 0,
		   "t.cfg:4: [convolutional] key 'pad': expected a "
		   "non-negative integer, found '-1'");
	expect_int(cfg, "size", 1, TL_DARKNET_E_VALUE, 0,
		   "t.cfg:5: [convolutional] key 'size': expected a "
		   "positive integer, found '3.5'");
	expect_int(cfg, "big", INT_MIN, TL_DARKNET_E_VALUE, 0,
		   "t.cfg:6: [convolutional] key 'big': expected an "
		   "integer, found '99999999999'");
	expect_int(cfg, "neg", -3, TL_DARKNET_E_VALUE, 0,
		   "t.cfg:7: [convolutional] key 'neg': expected an "
		   "integer >= -3, found '-7'");
	expect_int(cfg, "tail", 1, TL_DARKNET_E_VALUE, 0,
		   "t.cfg:9: [convolutional] key 'tail': expected a "
		   "positive integer, found '12abc'");
	expect_int(cfg, "none", 0, TL_DARKNET_E_VALUE, 0,
		   "t.cfg:18: [convolutional] key 'none': expected a "
		   "non-negative integer, found ''");
	expect_int(cfg, "groups", 1, TL_DARKNET_E_MISSING, 0,
		   "t.cfg:1: [convolutional] missing key 'groups'");
}

static void test_int_or_getter(void **state)
{
	const struct tl_darknet_cfg *cfg = *state;
	const struct tl_darknet_section *sec = &cfg->sections[0];
	int v;
	assert_int_equal(tl_darknet_int_or(cfg, sec, "groups", 7, 1, &v, err,
					   sizeof err), TL_DARKNET_OK);
	assert_int_equal(v, 7);
	assert_int_equal(tl_darknet_int_or(cfg, sec, "filters", 7, 1, &v, err,
					   sizeof err), TL_DARKNET_OK);
	assert_int_equal(v, 32);
	/* A present but bad value is an error, not the fallback. */
	assert_int_equal(tl_darknet_int_or(cfg, sec, "stride", 1, 1, &v, err,
					   sizeof err), TL_DARKNET_E_VALUE);
}

static void test_float_getter(void **state)
{
	const struct tl_darknet_cfg *cfg = *state;
	const struct tl_darknet_section *sec = &cfg->sections[0];
	float v;
	assert_int_equal(tl_darknet_float_or(cfg, sec, "p", 1, &v, err,
					     sizeof err), TL_DARKNET_OK);
	assert_true(v == 0.5f);
	assert_int_equal(tl_darknet_float_or(cfg, sec, "alpha", 1.5f, &v, err,
					     sizeof err), TL_DARKNET_OK);
	assert_true(v == 1.5f);
	static const char *const bad[] = { "nan", "inf", "word" };
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(tl_darknet_float_or(cfg, sec, bad[i], 1, &v,
						     err, sizeof err),
				 TL_DARKNET_E_VALUE);
	assert_string_equal(err, "t.cfg:13: [convolutional] key 'word': "
				 "expected a finite number, found 'abc'");
}

static void test_int_list_getter(void **state)
{
	const struct tl_darknet_cfg *cfg = *state;
	const struct tl_darknet_section *sec = &cfg->sections[0];
	int v[2];
	size_t n;
	assert_int_equal(tl_darknet_int_list(cfg, sec, "layers", v, 2, &n,
					     err, sizeof err), TL_DARKNET_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], -1);
	assert_int_equal(v[1], 8);
	assert_int_equal(tl_darknet_int_list(cfg, sec, "one", v, 2, &n, err,
					     sizeof err), TL_DARKNET_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 4);
	static const char *const bad[] = { "gap", "many", "none", "long" };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(tl_darknet_int_list(cfg, sec, bad[i], v, 2, &n,
						     err, sizeof err),
				 TL_DARKNET_E_VALUE);
	assert_int_equal(tl_darknet_int_list(cfg, sec, "many", v, 2, &n, err,
					     sizeof err), TL_DARKNET_E_VALUE);
	assert_string_equal(err, "t.cfg:17: [convolutional] key 'many': "
				 "expected a comma list of at most 2 "
				 "integers, found '1,2,3'");
	assert_int_equal(tl_darknet_int_list(cfg, sec, "absent", v, 2, &n,
					     err, sizeof err),
			 TL_DARKNET_E_MISSING);
}

/* The brief's own example message, with its file name and line. */
static void test_message_names_file_line(void **state)
{
	(void)state;
	char text[200] = "";
	for (int i = 1; i < 57; i++)
		strcat(text, i == 50 ? "[convolutional]\n" : "\n");
	strcat(text, "stride=x\n");
	struct tl_darknet_cfg cfg;
	assert_int_equal(tl_darknet_cfg_parse(text, strlen(text),
					      "mobilenet_v1.cfg", &cfg, err,
					      sizeof err), TL_DARKNET_OK);
	int v;
	assert_int_equal(tl_darknet_int(&cfg, &cfg.sections[0], "stride", 1,
					&v, err, sizeof err),
			 TL_DARKNET_E_VALUE);
	assert_string_equal(err, "mobilenet_v1.cfg:57: [convolutional] key "
				 "'stride': expected a positive integer, "
				 "found 'x'");
	tl_darknet_cfg_free(&cfg);
}

static void test_status_strings(void **state)
{
	(void)state;
	for (int s = TL_DARKNET_OK; s <= TL_DARKNET_E_NOMEM; s++)
		assert_true(strlen(tl_darknet_status_str(s)) > 0);
	assert_string_equal(tl_darknet_status_str(TL_DARKNET_E_UNKNOWN_KEY),
			    "unknown key");
	assert_string_equal(tl_darknet_status_str(999), "unknown status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comments_and_spacing),
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_nul_byte_and_null_err),
		cmocka_unit_test_setup_teardown(test_int_getter,
						setup_getters,
						teardown_getters),
		cmocka_unit_test_setup_teardown(test_int_or_getter,
						setup_getters,
						teardown_getters),
		cmocka_unit_test_setup_teardown(test_float_getter,
						setup_getters,
						teardown_getters),
		cmocka_unit_test_setup_teardown(test_int_list_getter,
						setup_getters,
						teardown_getters),
		cmocka_unit_test(test_message_names_file_line),
		cmocka_unit_test(test_status_strings),
	};
	return cmocka_run_group_tests_name("darknet_cfg", tests, NULL, NULL);
}
