/*
 * What the fuzz targets share: a reader over the fuzzer's bytes that
 * never fails (past the end it gives zeros and empty spans, so every
 * input is a program that runs to its end), and the way a target
 * reports a broken invariant (a message and abort(), which libFuzzer
 * and AFL++ both record as a crash with the input that caused it).
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fz {
	const uint8_t *p;
	size_t n;
};

static inline size_t fz_left(const struct fz *f)
{
	return f->n;
}

static inline uint8_t fz_u8(struct fz *f)
{
	if (f->n == 0)
		return 0;
	f->n--;
	return *f->p++;
}

/* Little-endian; one read per statement (the order of the operands of
 * | is unspecified in C). */
static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t lo = fz_u8(f);
	return (uint16_t)(lo | fz_u8(f) << 8);
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t lo = fz_u16(f);
	return lo | (uint32_t)fz_u16(f) << 16;
}

/* Up to n bytes from the input (fewer at its end); *got says how many. */
static inline const uint8_t *fz_bytes(struct fz *f, size_t n, size_t *got)
{
	const uint8_t *p = f->p;
	*got = n < f->n ? n : f->n;
	f->p += *got;
	f->n -= *got;
	return p;
}

/* A length-prefixed span: a 16-bit length, then that many bytes. */
static inline const uint8_t *fz_span(struct fz *f, size_t *got)
{
	return fz_bytes(f, fz_u16(f), got);
}

/* A size that is mostly small and sometimes any 32-bit value: the
 * edges (0, 1, 2^32 - 1) are where sizes go wrong. */
static inline uint32_t fz_size(struct fz *f, uint32_t typical)
{
	uint8_t how = fz_u8(f);
	switch (how & 7) {
	case 0: return 0;
	case 1: return 1;
	case 2: return UINT32_MAX;
	case 3: return fz_u32(f);
	case 4: return typical + (int8_t)fz_u8(f);
	default: return typical ? fz_u16(f) % (2 * typical + 1) : fz_u16(f);
	}
}

/* A broken invariant: the message, then abort(), so the fuzzer keeps
 * the input as a crash. */
__attribute__((noreturn, format(printf, 1, 2)))
static inline void fz_broken(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz: invariant broken: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

#endif
