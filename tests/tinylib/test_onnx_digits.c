/*
 * The bundled digits model (models/digits/) against PyTorch: on every
 * sample of the held-out test split, S-Tinylib's top-1 equals PyTorch's
 * and no probability differs by more than PROB_BOUND, in both numeric
 * modes; the accuracy of each is printed. The sample images are the
 * split's pixels. Strict-mode outputs are digested for the aarch64
 * comparison (digest_file.h). TL_TEST_QUICK=1 leaves out the fast mode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../digest_file.h"
#include "files.h"
#include "tlm_runner.h"

#define DIR "models/digits/"
#define PIXELS 64
#define CLASSES 10
#define COLUMNS (1 + PIXELS + CLASSES)   /* label, pixels, probabilities */
/*
 * The largest |S-Tinylib - PyTorch| allowed on a probability (the issue's
 * bound). Measured: 8.9e-7 strict, 8.9e-7 fast (docs/onnx.md); the two
 * engines differ only in the order of float sums and in where batch
 * normalisation is folded.
 */
#define PROB_BOUND 1e-5

struct split {
	float *rows;
	size_t n;
};

static void load_split(struct split *s)
{
	size_t count;
	s->rows = read_numbers(DIR "test-split.txt", &count);
	assert_int_equal(count % COLUMNS, 0);
	s->n = count / COLUMNS;
	assert_true(s->n >= 100);
}

/* Model input: pixel / 16, exact in float32 (the data set's 0..16). */
static void input_of(const float *row, float *in)
{
	for (int i = 0; i < PIXELS; i++)
		in[i] = row[1 + i] / 16.0f;
}

static void check_mode(enum tl_mode mode, const char *name)
{
	struct tlm_runner r;
	struct split s;
	float in[PIXELS], out[CLASSES];
	size_t ours = 0, theirs = 0;
	double worst = 0;
	uint64_t digest = DIGEST_START;
	runner_open(&r, DIR "digits.tlm");
	assert_int_equal(r.n_in, PIXELS);
	assert_int_equal(r.n_out, CLASSES);
	load_split(&s);
	for (size_t i = 0; i < s.n; i++) {
		const float *row = s.rows + i * COLUMNS;
		const float *torch = row + 1 + PIXELS;
		input_of(row, in);
		runner_run(&r, in, out, mode);
		digest = digest_floats(digest, out, CLASSES);
		double d = max_abs_diff(out, torch, CLASSES);
		worst = d > worst ? d : worst;
		if (top1(out, CLASSES) != top1(torch, CLASSES))
			fail_msg("sample %zu: S-Tinylib says %zu, PyTorch %zu",
				 i, top1(out, CLASSES), top1(torch, CLASSES));
		ours += top1(out, CLASSES) == (size_t)row[0];
		theirs += top1(torch, CLASSES) == (size_t)row[0];
	}
	printf("  %s: %zu samples, accuracy S-Tinylib %.4f, PyTorch %.4f; "
	       "max |diff| %.2e (bound %.0e)\n", name, s.n, (double)ours / s.n,
	       (double)theirs / s.n, worst, PROB_BOUND);
	assert_true(worst <= PROB_BOUND);
	if (mode == TL_MODE_STRICT)
		digest_check("onnx_digits", "test-split", digest);
	free(s.rows);
	runner_close(&r);
}

static void test_strict(void **state)
{
	(void)state;
	check_mode(TL_MODE_STRICT, "strict");
}

static void test_fast(void **state)
{
	(void)state;
	if (getenv("TL_TEST_QUICK") != NULL)
		skip();
	check_mode(TL_MODE_FAST, "fast");
}

/* samples/digit<label>-test<index>.pgm: 8x8, maxval 16, the pixels of
 * that split row, whose label is <label>. */
static void check_sample(const struct split *s, int label, const char *name)
{
	char path[128];
	size_t len, index;
	snprintf(path, sizeof path, DIR "samples/%s", name);
	assert_int_equal(sscanf(name, "digit%*d-test%zu.pgm", &index), 1);
	assert_true(index < s->n);
	const float *row = s->rows + index * COLUMNS;
	assert_int_equal((int)row[0], label);
	unsigned char *pgm = (unsigned char *)read_file(path, &len);
	static const char tail[] = "\n8 8\n16\n";
	assert_true(len > PIXELS && memcmp(pgm, "P5\n", 3) == 0);
	assert_memory_equal(pgm + len - PIXELS - (sizeof tail - 1), tail,
			    sizeof tail - 1);
	for (int i = 0; i < PIXELS; i++)
		assert_int_equal(pgm[len - PIXELS + i], (int)row[1 + i]);
	free(pgm);
}

static void test_samples(void **state)
{
	(void)state;
	static const char *const names[CLASSES] = {
		"digit0-test001.pgm", "digit1-test005.pgm",
		"digit2-test000.pgm", "digit3-test030.pgm",
		"digit4-test002.pgm", "digit5-test026.pgm",
		"digit6-test008.pgm", "digit7-test009.pgm",
		"digit8-test012.pgm", "digit9-test003.pgm" };
	struct split s;
	load_split(&s);
	for (int label = 0; label < CLASSES; label++)
		check_sample(&s, label, names[label]);
	free(s.rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_fast),
		cmocka_unit_test(test_samples),
	};
	digest_start("onnx_digits");
	return cmocka_run_group_tests_name("tinylib_onnx_digits", tests, NULL,
					   NULL);
}
