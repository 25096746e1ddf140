/*
 * tl_crc32 (tinylib/secure/src/crc32.c), the CRC every .tlm carries,
 * against three references: zlib's published values; a bitwise CRC
 * written here from the definition (reflected 0xEDB88320, all-ones
 * initial value and final XOR), which shares nothing with the tables; and,
 * where the build has the machine's own zlib (TL_TEST_ZLIB: the host's
 * builds, tests/tinylib/module.mk), zlib's crc32 itself.
 *
 * Every entry of the slice-by-8 tables (an 8-byte message of one byte v
 * at position j reads t[7 - j][v]), every length 0..64 from every
 * alignment, the lengths around each path's threshold (four runs from 32
 * bytes, the x86-64 fold from 64 KiB), long unaligned buffers, and use
 * in pieces: crc(crc(a), b) = crc(a b).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#ifdef TL_TEST_ZLIB
#include <zlib.h>
#endif

#include "tl_model.h"

/* One bit at a time, from the definition. */
static uint32_t bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = crc & 1 ? crc >> 1 ^ 0xedb88320u : crc >> 1;
	}
	return ~crc;
}

/* tl_crc32 of p[0, n) against the references, named by what. */
static void expect_same(const char *what, const uint8_t *p, size_t n)
{
	uint32_t got = tl_crc32(0, p, n), want = bitwise(0, p, n);
	if (got != want)
		fail_msg("%s (%zu bytes): tl_crc32 %08x, bitwise %08x", what, n,
			 got, want);
#ifdef TL_TEST_ZLIB
	uint32_t z = (uint32_t)crc32(0, p, (uInt)n);
	if (got != z)
		fail_msg("%s (%zu bytes): tl_crc32 %08x, zlib %08x", what, n,
			 got, z);
#endif
}

static uint8_t *random_bytes(size_t n, uint64_t seed)
{
	uint8_t *p = malloc(n ? n : 1);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		p[i] = (uint8_t)(seed >> 56);
	}
	return p;
}

static void test_known_values(void **state)
{
	(void)state;
	static const struct { const char *text; uint32_t crc; } known[] = {
		{ "", 0 },
		{ "a", 0xe8b7be43u },
		{ "123456789", 0xcbf43926u },	/* the CRC-32 check value */
		{ "The quick brown fox jumps over the lazy dog", 0x414fa339u },
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		assert_int_equal(tl_crc32(0, known[i].text, strlen(known[i].text)),
				 known[i].crc);
	/* long ones, through every path (Python's zlib.crc32) */
	size_t n = 1 << 20;
	uint8_t *p = malloc(n + 13);
	assert_non_null(p);
	memset(p, 0, n);
	assert_int_equal(tl_crc32(0, p, n), 0xa738ea1cu);
	memset(p, 0xff, n);
	assert_int_equal(tl_crc32(0, p, n), 0x956bac74u);
	for (size_t i = 0; i < 65536 + 13; i++)
		p[i] = (uint8_t)(i * 7);
	assert_int_equal(tl_crc32(0, p, 65536 + 13), 0x2dea115bu);
	free(p);
}

static void test_every_table_entry(void **state)
{
	(void)state;
	for (int j = 0; j < 8; j++)
		for (int v = 0; v < 256; v++) {
			uint8_t m[8] = { 0 };
			m[j] = (uint8_t)v;
			expect_same("one byte in eight", m, sizeof m);
		}
}

static void test_short_and_unaligned(void **state)
{
	(void)state;
	uint8_t *p = random_bytes(16 + 64, 1);
	for (size_t start = 0; start < 16; start++)
		for (size_t n = 0; n <= 64; n++)
			expect_same("short", p + start, n);
	free(p);
}

/* Each side of where a path starts: four runs (32 bytes), the fold of
 * whole 64-byte steps (64 KiB), from unaligned starts; and long buffers
 * whose lengths leave every remainder for the tails. */
static void test_thresholds_and_long(void **state)
{
	(void)state;
	static const size_t around[] = { 31, 32, 33, 63, 64, 65, 255, 4096,
		65535, 65536, 65537, 65536 + 63, 65536 + 64, 65536 + 79 };
	size_t max = (3 << 20) + 31;
	uint8_t *p = random_bytes(max + 16, 2);
	for (size_t i = 0; i < sizeof around / sizeof *around; i++)
		for (size_t start = 0; start < 16; start += 5)
			expect_same("threshold", p + start, around[i]);
	for (size_t n = 1 << 20; n <= max; n += (1 << 20) + 13)
		expect_same("long", p + 3, n);
	free(p);
}

/* crc(crc(0, a), b) = crc(0, a b), split anywhere, the pieces long
 * enough for any path. */
static void test_in_pieces(void **state)
{
	(void)state;
	size_t n = 200000;
	uint8_t *p = random_bytes(n, 3);
	uint32_t whole = tl_crc32(0, p, n);
	assert_int_equal(whole, bitwise(0, p, n));
	static const size_t cuts[] = { 0, 1, 7, 31, 32, 4097, 65536, 70001,
				       134463, 199999, 200000 };
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		size_t k = cuts[i];
		assert_int_equal(tl_crc32(tl_crc32(0, p, k), p + k, n - k), whole);
	}
	/* three pieces, the first continuing a CRC given by the caller */
	uint32_t a = tl_crc32(0, p, 100), b = tl_crc32(a, p + 100, 70000);
	assert_int_equal(tl_crc32(b, p + 70100, n - 70100), whole);
	assert_int_equal(tl_crc32(a, p + 100, 70000),
			 bitwise(a, p + 100, 70000));
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_every_table_entry),
		cmocka_unit_test(test_short_and_unaligned),
		cmocka_unit_test(test_thresholds_and_long),
		cmocka_unit_test(test_in_pieces),
	};
	return cmocka_run_group_tests_name("crc32", tests, NULL, NULL);
}
