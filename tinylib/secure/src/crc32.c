#include "tl_model.h"

/*
 * CRC-32 as zlib and IEEE 802.3 define it (reflected polynomial 0xEDB88320,
 * initial and final XOR with all ones), at the speed of memory: opening a
 * model reads it whole once, here (docs/s-tinylib.md, "Loading", has the
 * figures: 0.24 GB/s four bits a step before, 4.1 with the tables, 14
 * with the x86-64 fold; memcpy 10.8).
 *
 * Slice-by-8: eight bytes a step, one lookup per byte in t[k][v], the
 * register after byte v then k zero bytes (from 0). From 32 bytes the
 * buffer is cut into four runs whose registers advance in the same loop,
 * so that the lookups of one run overlap the latency of the others' (one
 * register alone reaches less than half the speed), then are joined
 * (four_runs()). On x86-64, from 64 KiB, carry-less products fold it
 * instead (fold_blocks()).
 *
 * The 8 KiB of tables are built by the compiler, not written out (2,048
 * constants would be most of the secure side's source) nor computed at
 * run time (a table filled on first use is global mutable state, which
 * S-Tinylib has none of, and 8 KiB is the TA's whole stack): a CRC is
 * linear over GF(2), so t[k][v] is the XOR of t[k][1 << b] over the set
 * bits b of v, and only those 64 are given, one row per k:
 *   python3 -c 'r=lambda c:(c>>1)^(0xEDB88320 if c&1 else 0);
 *   [print([hex(__import__("functools").reduce(lambda c,_:r(c),
 *   range(8*(k+1)),1<<b)) for b in range(8)]) for k in range(8)]'
 * tests/tinylib/test_crc32.c checks every entry against a bitwise CRC.
 */
#define T0 0x77073096u, 0xee0e612cu, 0x076dc419u, 0x0edb8832u, \
	   0x1db71064u, 0x3b6e20c8u, 0x76dc4190u, 0xedb88320u
#define T1 0x191b3141u, 0x32366282u, 0x646cc504u, 0xc8d98a08u, \
	   0x4ac21251u, 0x958424a2u, 0xf0794f05u, 0x3b83984bu
#define T2 0x01c26a37u, 0x0384d46eu, 0x0709a8dcu, 0x0e1351b8u, \
	   0x1c26a370u, 0x384d46e0u, 0x709a8dc0u, 0xe1351b80u
#define T3 0xb8bc6765u, 0xaa09c88bu, 0x8f629757u, 0xc5b428efu, \
	   0x5019579fu, 0xa032af3eu, 0x9b14583du, 0xed59b63bu
#define T4 0x3d6029b0u, 0x7ac05360u, 0xf580a6c0u, 0x30704bc1u, \
	   0x60e09782u, 0xc1c12f04u, 0x58f35849u, 0xb1e6b092u
#define T5 0xcb5cd3a5u, 0x4dc8a10bu, 0x9b914216u, 0xec53826du, \
	   0x03d6029bu, 0x07ac0536u, 0x0f580a6cu, 0x1eb014d8u
#define T6 0xa6770bb4u, 0x979f1129u, 0xf44f2413u, 0x33ef4e67u, \
	   0x67de9cceu, 0xcfbd399cu, 0x440b7579u, 0x8816eaf2u
#define T7 0xccaa009eu, 0x4225077du, 0x844a0efau, 0xd3e51bb5u, \
	   0x7cbb312bu, 0xf9766256u, 0x299dc2edu, 0x533b85dau
#define E(v, b0, b1, b2, b3, b4, b5, b6, b7)                              \
	(((v) & 1 ? b0 : 0) ^ ((v) & 2 ? b1 : 0) ^ ((v) & 4 ? b2 : 0) ^  \
	 ((v) & 8 ? b3 : 0) ^ ((v) & 16 ? b4 : 0) ^ ((v) & 32 ? b5 : 0) ^ \
	 ((v) & 64 ? b6 : 0) ^ ((v) & 128 ? b7 : 0))
#define R2(v, ...) E(v, __VA_ARGS__), E((v) + 1, __VA_ARGS__)
#define R4(v, ...) R2(v, __VA_ARGS__), R2((v) + 2, __VA_ARGS__)
#define R8(v, ...) R4(v, __VA_ARGS__), R4((v) + 4, __VA_ARGS__)
#define R16(v, ...) R8(v, __VA_ARGS__), R8((v) + 8, __VA_ARGS__)
#define R32(v, ...) R16(v, __VA_ARGS__), R16((v) + 16, __VA_ARGS__)
#define R64(v, ...) R32(v, __VA_ARGS__), R32((v) + 32, __VA_ARGS__)
#define R128(v, ...) R64(v, __VA_ARGS__), R64((v) + 64, __VA_ARGS__)
#define R256(...) R128(0, __VA_ARGS__), R128(128, __VA_ARGS__)

static const uint32_t t[8][256] = {
	{ R256(T0) }, { R256(T1) }, { R256(T2) }, { R256(T3) },
	{ R256(T4) }, { R256(T5) }, { R256(T6) }, { R256(T7) },
};

#define POLY 0xedb88320u

static inline uint32_t step(uint32_t crc, uint64_t w)
{
	w ^= crc;
	return t[7][w & 255] ^ t[6][w >> 8 & 255] ^ t[5][w >> 16 & 255] ^
	       t[4][w >> 24 & 255] ^ t[3][w >> 32 & 255] ^
	       t[2][w >> 40 & 255] ^ t[1][w >> 48 & 255] ^ t[0][w >> 56];
}

/* Eight bytes, little-endian whatever the machine (one load where it
 * is little-endian: GCC merges the bytes). */
static inline uint32_t step8(uint32_t crc, const uint8_t *p)
{
	return step(crc, (uint64_t)p[0] | (uint64_t)p[1] << 8 |
			 (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
			 (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
			 (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56);
}

/* a times b modulo the polynomial, reflected (bit 31 is x^0). */
static uint32_t mulmod(uint32_t a, uint32_t b)
{
	uint32_t product = 0;
	for (uint32_t bit = 1u << 31; bit != 0; bit >>= 1) {
		product ^= a & bit ? b : 0;
		b = b >> 1 ^ (b & 1 ? POLY : 0);
	}
	return product;
}

/* x^n modulo the polynomial: reading n more bits multiplies a register
 * by it. */
static uint32_t xpow(uint64_t n)
{
	uint32_t power = 1u << 31, square = 1u << 30;	/* x^0, x^1 */
	for (; n != 0; n >>= 1, square = mulmod(square, square))
		power = n & 1 ? mulmod(power, square) : power;
	return power;
}

/* Four runs of len bytes at p, one register each (the first from reg,
 * the others from 0: their bytes' own CRCs), advanced together and
 * joined: the register after the first run times the second's shift
 * plus its CRC, and so on. */
static uint32_t four_runs(uint32_t reg, const uint8_t *p, size_t len)
{
	uint32_t r1 = 0, r2 = 0, r3 = 0, shift = xpow(8 * (uint64_t)len);
	for (size_t i = 0; i < len; i += 8) {
		reg = step8(reg, p + i);
		r1 = step8(r1, p + len + i);
		r2 = step8(r2, p + 2 * len + i);
		r3 = step8(r3, p + 3 * len + i);
	}
	reg = mulmod(reg, shift) ^ r1;
	reg = mulmod(reg, shift) ^ r2;
	return mulmod(reg, shift) ^ r3;
}

#if defined(__x86_64__)
/*
 * The host's (the simulator's and the tools'; the TA is aarch64): with
 * PCLMULQDQ, carry-less products fold 64 bytes a step (Intel, "Fast CRC
 * Computation for Generic Polynomials Using PCLMULQDQ", 2009) at the
 * speed of memory, where the tables reach half of it. Asked of CPUID
 * from 64 KiB on, where its cost (a VM exit in a guest) is nothing.
 */
typedef long long v2di __attribute__((vector_size(16)));
typedef long long v2di_u __attribute__((vector_size(16), aligned(1),
					may_alias));

static int has_pclmul(void)
{
	unsigned a = 1, b, c = 0, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return c >> 1 & 1;
}

/* The multipliers that move a block `bits` further: a block is two
 * 64-bit halves, the first of degrees 127..64, the second 63..0; each
 * is one degree short, as the carry-less product of bit-reflected
 * numbers comes out a degree up. */
static v2di fold_by(uint64_t bits)
{
	return (v2di){ (long long)((uint64_t)xpow(bits + 63) << 32),
		       (long long)((uint64_t)xpow(bits - 1) << 32) };
}

/* x moved `bits` (k = fold_by(bits)) further into the message, still
 * 128 bits: the halves times their multipliers. */
__attribute__((target("pclmul")))
static inline v2di fold(v2di x, v2di k)
{
	return __builtin_ia32_pclmulqdq128(x, k, 0x00) ^
	       __builtin_ia32_pclmulqdq128(x, k, 0x11);
}

/* The whole blocks of n >= 64 bytes folded, four lanes at once, into one
 * whose CRC from 0 is the register after them; *done: their bytes. */
__attribute__((target("pclmul")))
static uint32_t fold_blocks(uint32_t reg, const uint8_t *p, size_t n,
			    size_t *done)
{
	const v2di_u *b = (const v2di_u *)(const void *)p;
	v2di by4 = fold_by(512), by1 = fold_by(128);
	v2di x0 = b[0] ^ (v2di){ reg, 0 }, x1 = b[1], x2 = b[2], x3 = b[3];
	size_t i = 4;
	for (; i + 4 <= n / 16; i += 4) {
		x0 = fold(x0, by4) ^ b[i];
		x1 = fold(x1, by4) ^ b[i + 1];
		x2 = fold(x2, by4) ^ b[i + 2];
		x3 = fold(x3, by4) ^ b[i + 3];
	}
	x0 = fold(fold(fold(x0, by1) ^ x1, by1) ^ x2, by1) ^ x3;
	for (; i < n / 16; i++)
		x0 = fold(x0, by1) ^ b[i];
	*done = 16 * i;
	return step(step(0, (uint64_t)x0[0]), (uint64_t)x0[1]);
}
#endif

uint32_t tl_crc32(uint32_t crc, const void *data, size_t n)
{
	const uint8_t *p = data;
	crc = ~crc;
#if defined(__x86_64__)
	size_t done = 0;
	if (n >= 65536 && has_pclmul())
		crc = fold_blocks(crc, p, n, &done);
	p += done, n -= done;
#endif
	size_t len = n / 32 * 8;	/* each of four runs: whole steps */
	if (len != 0)
		crc = four_runs(crc, p, len);
	for (p += 4 * len, n -= 4 * len; n >= 8; p += 8, n -= 8)
		crc = step8(crc, p);
	for (; n > 0; p++, n--)
		crc = crc >> 8 ^ t[0][(crc ^ *p) & 255];
	return ~crc;
}
