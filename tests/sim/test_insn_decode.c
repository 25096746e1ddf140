/*
 * The A64 decoder (sim_insn.h) against real instruction words, never
 * typed-in ones: tests/sim/insn_cases.S assembled by binutils (each line
 * names its expected class, bytes, lanes and flags), and every word of
 * S-Tinylib's GEMM kernel compiled for AArch64, checked against the
 * mnemonic objdump gives it. tests/sim/module.mk builds both inputs.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim_insn.h"

#define MAX_WORDS 4096

static size_t read_words(const char *path, uint32_t *w, size_t cap)
{
	unsigned char b[4];
	size_t n = 0;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	while (n < cap && fread(b, 1, 4, f) == 4)	/* little-endian */
		w[n++] = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
			 (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	fclose(f);
	return n;
}

static enum sim_insn_class class_by_name(const char *name)
{
	for (int c = 0; c < SIM_INSN_CLASSES; c++)
		if (strcmp(sim_insn_class_name(c), name) == 0)
			return c;
	fail_msg("no class is called \"%s\"", name);
	return SIM_INSN_OTHER;
}

struct expect {
	char cls[16];
	unsigned loaded, stored, lanes, q128, fp;
};

/* An instruction line of insn_cases.S: a tab, a mnemonic, the
 * expectation after "//". Comments and directives are not. */
static int parse_case(const char *line, struct expect *e)
{
	const char *c = strstr(line, "//");

	if (line[0] != '\t' || !isalpha((unsigned char)line[1]) || !c)
		return 0;
	if (sscanf(c + 2, "%15s %u %u %u %u %u", e->cls, &e->loaded,
		   &e->stored, &e->lanes, &e->q128, &e->fp) != 6)
		fail_msg("bad expectation: %s", line);
	return 1;
}

static void check_case(uint32_t w, const struct expect *e, const char *line)
{
	struct sim_insn_info i = sim_insn_decode(w);
	int ok = i.cls == class_by_name(e->cls) &&
		 i.bytes_loaded == e->loaded && i.bytes_stored == e->stored &&
		 i.simd_lanes == e->lanes &&
		 !!(i.flags & SIM_INSN_F_Q128) == !!e->q128 &&
		 !!(i.flags & SIM_INSN_F_FP) == !!e->fp;

	if (!ok)
		fail_msg("%08x %s decoded as %s %u %u %u %d %d", w, line,
			 sim_insn_class_name(i.cls), i.bytes_loaded,
			 i.bytes_stored, i.simd_lanes,
			 !!(i.flags & SIM_INSN_F_Q128),
			 !!(i.flags & SIM_INSN_F_FP));
}

static void test_assembled_cases(void **state)
{
	static uint32_t w[MAX_WORDS];
	size_t n = read_words(SIM_INSN_CASES_BIN, w, MAX_WORDS), k = 0;
	char line[256];
	struct expect e;
	FILE *f = fopen(SIM_INSN_CASES_S, "r");

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!parse_case(line, &e))
			continue;
		assert_true(k < n);	/* one word a line */
		check_case(w[k++], &e, line);
	}
	fclose(f);
	assert_int_equal(k, n);
	assert_true(n > 150);
}

/* ---- every word of the compiled GEMM kernel ---- */

static int is_one_of(const char *m, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(m, *set) == 0)
			return 1;
	return 0;
}

/* Operands that name only general-purpose registers and immediates. */
static int gp_operands(const char *ops)
{
	if (!(ops[0] == 'x' || ops[0] == 'w' || strncmp(ops, "sp", 2) == 0))
		return 0;
	for (const char *p = ops; (p = strchr(p, ',')); p++) {
		const char *r = p + 1 + (p[1] == ' ');
		if (strchr("vsdqbh", r[0]) && isdigit((unsigned char)r[1]))
			return 0;
	}
	return 1;
}

static const char *const branches[] = {
	"b", "bl", "br", "blr", "ret", "cbz", "cbnz", "tbz", "tbnz", NULL
};
static const char *const gp_muls[] = {
	"mul", "madd", "msub", "mneg", "smull", "umull", "smulh", "umulh",
	"smaddl", "umaddl", "sdiv", "udiv", NULL
};
static const char *const fp_fmas[] = {
	"fmadd", "fmsub", "fnmadd", "fnmsub", NULL
};
static const char *const ints[] = {
	"add", "adds", "sub", "subs", "cmp", "cmn", "mov", "movk", "neg",
	"and", "ands", "orr", "eor", "tst", "lsl", "lsr", "asr", "sxtw",
	"sbfiz", "ubfiz", "ubfx", "sbfx", "csel", "cset", "csinc", "ccmp",
	"adrp", "adr", NULL
};

/* What objdump's mnemonic m (operands ops) says the class must be, or
 * SIM_INSN_CLASSES when the mnemonic alone does not tell. */
static enum sim_insn_class class_of_mnemonic(const char *m, const char *ops)
{
	int vector = ops[0] == 'v';

	if (strcmp(m, "prfm") == 0 || strncmp(m, "ld", 2) == 0)
		return SIM_INSN_LOAD;
	if (strncmp(m, "st", 2) == 0)
		return SIM_INSN_STORE;
	if (is_one_of(m, branches) || strncmp(m, "b.", 2) == 0)
		return SIM_INSN_BRANCH;
	if (strcmp(m, "fmla") == 0 || strcmp(m, "fmls") == 0)
		return vector ? SIM_INSN_SIMD_FMA : SIM_INSN_FP_FMA;
	if (strcmp(m, "fmul") == 0)
		return vector ? SIM_INSN_SIMD_FMA : SIM_INSN_FP_SCALAR;
	if (is_one_of(m, fp_fmas))
		return SIM_INSN_FP_FMA;
	if (strcmp(m, "fadd") == 0 || strcmp(m, "fsub") == 0)
		return vector ? SIM_INSN_SIMD : SIM_INSN_FP_SCALAR;
	if (is_one_of(m, gp_muls) && gp_operands(ops))
		return SIM_INSN_MUL;
	if (is_one_of(m, ints) && gp_operands(ops))
		return SIM_INSN_INT;
	if (strcmp(m, "nop") == 0)
		return SIM_INSN_SYSTEM;
	return SIM_INSN_CLASSES;
}

/* The only words allowed to decode as OTHER: objdump's own undecoded
 * ones (.inst) and UDF. GCC puts no literal pools in .text here, so the
 * kernel has none of them; the test says so below. */
static int known_other(const char *m)
{
	return strcmp(m, ".inst") == 0 || strcmp(m, "udf") == 0;
}

struct dis_counts {
	size_t words, checked, others, fmla;
};

/* One objdump line, "  addr:\tWORD \tMNEMONIC\tOPERANDS". */
static void check_dis_line(char *line, struct dis_counts *n)
{
	char *f1 = strchr(line, '\t'), *f2, *ops;
	unsigned long w;
	struct sim_insn_info i;
	enum sim_insn_class want;

	if (!f1 || !strchr(line, ':') || !(f2 = strchr(f1 + 1, '\t')))
		return;
	w = strtoul(f1 + 1, NULL, 16);
	*f2++ = '\0';
	f2[strcspn(f2, "\n")] = '\0';
	ops = strchr(f2, '\t');
	if (ops)
		*ops++ = '\0';
	else
		ops = f2 + strlen(f2);
	i = sim_insn_decode((uint32_t)w);
	n->words++;
	if (i.cls == SIM_INSN_OTHER) {
		if (!known_other(f2))
			fail_msg("%08lx %s %s decodes as other", w, f2, ops);
		n->others++;
	}
	want = class_of_mnemonic(f2, ops);
	if (want == SIM_INSN_CLASSES)
		return;
	n->checked++;
	n->fmla += want == SIM_INSN_SIMD_FMA;
	if (i.cls != want)
		fail_msg("%08lx %s %s: %s, objdump says %s", w, f2, ops,
			 sim_insn_class_name(i.cls), sim_insn_class_name(want));
	if (want == SIM_INSN_LOAD && strcmp(f2, "prfm") != 0)
		assert_true(i.bytes_loaded > 0);
	if (want == SIM_INSN_STORE)
		assert_true(i.bytes_stored > 0);
}

static void test_compiled_gemm(void **state)
{
	struct dis_counts n = { 0 };
	char line[512];
	FILE *f = fopen(SIM_INSN_GEMM_DIS, "r");

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof line, f))
		check_dis_line(line, &n);
	fclose(f);
	printf("gemm.c, strict and fast: %zu words, %zu checked against "
	       "objdump, %zu vector FMA, %zu other\n", n.words, n.checked,
	       n.fmla, n.others);
	assert_true(n.words > 500);
	assert_true(n.checked * 10 > n.words * 8);	/* most of them */
	assert_true(n.fmla > 0);	/* the fast kernel's FMLA */
	assert_int_equal(n.others, 0);
}

static void test_mix_add(void **state)
{
	struct sim_insn_mix m = { { 0 }, 0, 0, 0, 0 };
	struct sim_insn_info fmla = { SIM_INSN_SIMD_FMA, 0, 0, 4,
				      SIM_INSN_F_Q128 | SIM_INSN_F_FP };
	struct sim_insn_info ldp = { SIM_INSN_LOAD, 32, 0, 1, 0 };
	struct sim_insn_info add = { SIM_INSN_SIMD, 0, 0, 1, SIM_INSN_F_Q128 };

	(void)state;
	sim_insn_mix_add(&m, &fmla, 10);
	sim_insn_mix_add(&m, &ldp, 3);
	sim_insn_mix_add(&m, &add, 1);
	assert_int_equal(m.count[SIM_INSN_SIMD_FMA], 10);
	assert_int_equal(m.count[SIM_INSN_LOAD], 3);
	assert_int_equal(m.bytes_loaded, 96);
	assert_int_equal(m.flops_lanes, 40);	/* integer ADD: no lanes */
	assert_int_equal(m.q128_ops, 11);
}

static void test_class_names(void **state)
{
	(void)state;
	assert_string_equal(sim_insn_class_name(SIM_INSN_FP_FMA), "fp-fma");
	assert_string_equal(sim_insn_class_name(SIM_INSN_CLASSES), "?");
	for (int a = 0; a < SIM_INSN_CLASSES; a++)
		for (int b = a + 1; b < SIM_INSN_CLASSES; b++)
			assert_string_not_equal(sim_insn_class_name(a),
						sim_insn_class_name(b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assembled_cases),
		cmocka_unit_test(test_compiled_gemm),
		cmocka_unit_test(test_mix_add),
		cmocka_unit_test(test_class_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
