/*
 * tl_model_open: a small hand-built model opens (the seven sample models
 * are opened by test_models.c); and each way a file can be wrong (header,
 * tables, tensors, layers, references, shapes, weights, CRC, reserved
 * words and unused parameter slots that are not 0) gives its own status
 * and names the field. Mutations recompute the CRC, so that the
 * check behind it is the one tested. A seeded byte-flipping loop checks
 * that no corruption is accepted silently or read out of bounds (run under
 * valgrind and ASan by make check and make sanitize).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tl_model.h"
#include "tl_tlm_builder.h"
#include "small_model.h"
#include "tlm_bytes.h"

/* Byte offsets of fields in the small model. */
static size_t tensor_field(const uint8_t *blob, int id, int field_offset)
{
	return get32(blob + 24) + 32 * (size_t)id + (size_t)field_offset;
}

static size_t layer_field(const uint8_t *blob, int index, int field_offset)
{
	return get32(blob + 32) + 64 * (size_t)index + (size_t)field_offset;
}

struct mutation {
	const char *what;
	int where;       /* 0 header, 1 tensor, 2 layer */
	int index, offset;
	uint32_t value;
	enum tl_status expected;
	const char *field;
};

/* Tensors: 0 in, 1 conv, 2 pool, 3 fc, 4 prob, 5 conv.w, 6 conv.b,
 * 7 fc.w, 8 fc.b. Layers: 0 conv, 1 maxpool, 2 connected, 3 softmax. */
static const struct mutation mutations[] = {
	{ "version 2", 0, 0, 4, 2, TL_E_VERSION, "version major" },
	{ "unknown flag", 0, 0, 8, 1, TL_E_FLAGS, "flags" },
	{ "header size", 0, 0, 12, 32, TL_E_HEADER, "header size" },
	{ "tensor count", 0, 0, 20, 100000, TL_E_LIMIT, "tensor count" },
	{ "no layers", 0, 0, 28, 0, TL_E_LIMIT, "layer count" },
	{ "misaligned layers", 0, 0, 32, 64 + 8, TL_E_HEADER, "layer table" },
	{ "layers past the end", 0, 0, 32, 1u << 30, TL_E_TRUNCATED, "layer table" },
	{ "weights past the end", 0, 0, 40, 1u << 30, TL_E_TRUNCATED, "weights" },
	{ "input not an activation", 0, 0, 44, 5, TL_E_REFERENCE, "model input" },
	{ "output nobody writes", 0, 0, 48, 0, TL_E_REFERENCE, "model output" },
	{ "tensor kind", 1, 2, 0, 7, TL_E_TENSOR, "kind" },
	{ "tensor dtype", 1, 2, 4, 2, TL_E_TENSOR, "dtype" },
	{ "zero channels", 1, 2, 8, 0, TL_E_TENSOR, "shape" },
	{ "huge tensor", 1, 3, 8, 0xffffffffu, TL_E_TENSOR, "elements" },
	{ "activation with data", 1, 3, 20, 16, TL_E_TENSOR, "offset" },
	{ "misaligned weights", 1, 5, 20, 4, TL_E_TENSOR, "offset alignment" },
	{ "weights past their section", 1, 7, 20, 1u << 20, TL_E_TRUNCATED, "data" },
	{ "layer type", 2, 1, 0, 99, TL_E_LAYER, "type" },
	{ "activation on maxpool", 2, 1, 0, TL_LAYER_MAXPOOL | TL_ACT_RELU << 16,
	  TL_E_LAYER, "activation" },
	{ "reads a later output", 2, 1, 8, 3, TL_E_REFERENCE, "inputs[0]" },
	{ "reads a parameter", 2, 1, 8, 5, TL_E_REFERENCE, "inputs[0]" },
	{ "writes the input", 2, 1, 4, 0, TL_E_REFERENCE, "output" },
	{ "writes a tensor twice", 2, 1, 4, 1, TL_E_REFERENCE, "output" },
	{ "two inputs to a maxpool", 2, 1, 12, 0, TL_E_LAYER, "input count" },
	{ "conv stride 2", 2, 0, 36, 2, TL_E_SHAPE, "output height" },
	{ "conv groups 2", 2, 0, 44, 2, TL_E_LAYER, "groups" },
	{ "conv kernel 0", 2, 0, 32, 0, TL_E_LAYER, "size/stride/pad" },
	{ "conv weights swapped with bias", 2, 0, 24, 6, TL_E_WEIGHTS, "weights" },
	{ "conv bias missing", 2, 0, 28, TL_NONE, TL_E_REFERENCE, "bias" },
	{ "maxpool with weights", 2, 1, 24, 5, TL_E_REFERENCE, "weights" },
	{ "connected sees other input", 2, 2, 8, 1, TL_E_WEIGHTS, "weights" },
	/* reserved words and unused parameter slots are 0 in 1.0 */
	{ "header reserved[0]", 0, 0, 52, 1, TL_E_HEADER, "reserved[0]" },
	{ "header reserved[1]", 0, 0, 56, 0x80000000u, TL_E_HEADER, "reserved[1]" },
	{ "header reserved[2]", 0, 0, 60, 7, TL_E_HEADER, "reserved[2]" },
	{ "tensor reserved[0]", 1, 0, 24, 1, TL_E_TENSOR, "reserved[0]" },
	{ "parameter reserved[1]", 1, 8, 28, 2, TL_E_TENSOR, "reserved[1]" },
	{ "conv params[4]", 2, 0, 48, 1, TL_E_LAYER, "params[4]" },
	{ "conv params[7]", 2, 0, 60, 0xffffffffu, TL_E_LAYER, "params[7]" },
	{ "maxpool params[3]", 2, 1, 44, 2, TL_E_LAYER, "params[3]" },
	{ "connected params[0]", 2, 2, 32, 1, TL_E_LAYER, "params[0]" },
	{ "softmax params[5]", 2, 3, 52, 0x3f800000u, TL_E_LAYER, "params[5]" },
};

static void apply(uint8_t *blob, const struct mutation *m)
{
	size_t at = m->where == 0 ? (size_t)m->offset
		  : m->where == 1 ? tensor_field(blob, m->index, m->offset)
				  : layer_field(blob, m->index, m->offset);
	set32(blob + at, m->value);
}

static void test_small_model_opens(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = small_model(&size);
	assert_non_null(blob);
	struct tl_model m;
	struct tl_model_error err;
	assert_int_equal(tl_model_open(blob, size, &m, &err), TL_OK);
	assert_int_equal(m.layer_count, 4);
	assert_int_equal(m.tensor_count, 9);
	struct tl_layer l;
	tl_model_layer(&m, 0, &l);
	assert_int_equal(l.type, TL_LAYER_CONV);
	assert_int_equal(l.activation, TL_ACT_LEAKY);
	assert_int_equal(l.params[0], 3);
	struct tl_tensor t;
	tl_model_tensor(&m, l.weights, &t);
	assert_int_equal(t.elements, 4 * 27);
	assert_int_equal((uintptr_t)t.data % TL_ALIGN, 0);
	free(blob);
}

static void test_each_mutation_is_refused(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = small_model(&size);
	assert_non_null(blob);
	uint8_t *copy = malloc(size);
	char message[256];
	for (size_t i = 0; i < sizeof mutations / sizeof mutations[0]; i++) {
		const struct mutation *mu = &mutations[i];
		struct tl_model m;
		struct tl_model_error err;
		memcpy(copy, blob, size);
		apply(copy, mu);
		fix_crc(copy, size);
		enum tl_status s = tl_model_open(copy, size, &m, &err);
		tl_tlm_describe_error(&err, "small.tlm", message, sizeof message);
		if (s != mu->expected || strcmp(err.field, mu->field) != 0)
			fail_msg("%s: got '%s'; expected status %s, field '%s'",
				 mu->what, message, tl_status_str(mu->expected),
				 mu->field);
		assert_int_equal(m.layer_count, 0); /* nothing half-opened */
	}
	free(copy);
	free(blob);
}

/* Any minor version of major 1 is read (the format's rule), and the
 * refusals of reserved words say which word and what was in it. */
static void test_minor_version_and_reserved(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = small_model(&size);
	struct tl_model m;
	struct tl_model_error err;
	set32(blob + 4, 1 | 3u << 16);		/* version 1.3 */
	fix_crc(blob, size);
	assert_int_equal(tl_model_open(blob, size, &m, &err), TL_OK);
	set32(blob + 60, 0xabcd);
	fix_crc(blob, size);
	assert_int_equal(tl_model_open(blob, size, &m, &err), TL_E_HEADER);
	char message[256];
	tl_tlm_describe_error(&err, "x.tlm", message, sizeof message);
	assert_string_equal(message, "x.tlm: header: invalid header field in "
			    "field 'reserved[2]': found 43981, expected 0");
	free(blob);
}

static void test_framing_errors(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = small_model(&size);
	assert_non_null(blob);
	uint8_t *shifted = malloc(size + 16);
	struct tl_model m;
	struct tl_model_error err;

	assert_int_equal(tl_model_open(blob, size - 1, &m, &err), TL_E_TRUNCATED);
	assert_string_equal(err.field, "file size");
	assert_int_equal(tl_model_open(blob, 10, &m, &err), TL_E_TRUNCATED);
	memcpy(shifted + 4, blob, size);
	assert_int_equal(tl_model_open(shifted + 4, size, &m, &err), TL_E_ARGUMENT);
	blob[size - 20] ^= 1; /* a weight byte: only the CRC can tell */
	assert_int_equal(tl_model_open(blob, size, &m, &err), TL_E_CRC);
	blob[0] = 'X';
	assert_int_equal(tl_model_open(blob, size, &m, &err), TL_E_MAGIC);
	free(shifted);
	free(blob);
}

/* Seeded corruption: any byte, any value, CRC recomputed. Every outcome
 * is either a clean open or a refusal; the memory checkers watch reads. */
static void test_random_corruption(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = small_model(&size);
	assert_non_null(blob);
	uint8_t *copy = malloc(size);
	uint64_t seed = 42;
	int refused = 0;
	for (int i = 0; i < 20000; i++) {
		memcpy(copy, blob, size);
		for (int k = 0; k < 1 + i % 3; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			copy[(seed >> 33) % (size - 4)] = (uint8_t)(seed >> 20);
		}
		fix_crc(copy, size);
		struct tl_model m;
		struct tl_model_error err;
		enum tl_status s = tl_model_open(copy, size, &m, &err);
		assert_int_equal(s, err.code);
		refused += s != TL_OK;
	}
	printf("  %d of 20000 corrupted files refused (the rest changed only "
	       "weight values or unused bytes)\n", refused);
	assert_true(refused > 1000);
	free(copy);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_model_opens),
		cmocka_unit_test(test_each_mutation_is_refused),
		cmocka_unit_test(test_minor_version_and_reserved),
		cmocka_unit_test(test_framing_errors),
		cmocka_unit_test(test_random_corruption),
	};
	return cmocka_run_group_tests_name("tinylib_model_open", tests, NULL, NULL);
}
