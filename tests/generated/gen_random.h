/*
 * The generator's random numbers: splitmix64 (Steele, Lea and Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014; the
 * constants are theirs), so a seed gives the same model on every
 * machine. Static functions, for the generator's files.
 */
#ifndef GEN_RANDOM_H
#define GEN_RANDOM_H

#include <math.h>
#include <stdint.h>

struct gen_rng { uint64_t s; };

static inline uint64_t gen_next(struct gen_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n >= 1 (the modulo bias is below 2^-32 for the
 * ranges used here). */
static inline uint32_t gen_below(struct gen_rng *r, uint32_t n)
{
	return (uint32_t)(gen_next(r) % n);
}

/* Uniform in [lo, hi], lo <= hi. */
static inline uint32_t gen_between(struct gen_rng *r, uint32_t lo,
				   uint32_t hi)
{
	return lo + gen_below(r, hi - lo + 1);
}

/* True with probability percent / 100. */
static inline int gen_chance(struct gen_rng *r, uint32_t percent)
{
	return gen_below(r, 100) < percent;
}

/* Uniform in [0, 1), from 53 random bits. */
static inline double gen_unit(struct gen_rng *r)
{
	return (double)(gen_next(r) >> 11) * 0x1p-53;
}

/* Log-uniform integer in [lo, hi], 1 <= lo <= hi. */
static inline uint64_t gen_log_uniform(struct gen_rng *r, uint64_t lo,
				       uint64_t hi)
{
	double x = exp(log((double)lo) + gen_unit(r) *
		       (log((double)hi + 1) - log((double)lo)));
	uint64_t v = (uint64_t)x;
	return v < lo ? lo : v > hi ? hi : v;
}

/* Uniform float in [lo, hi). */
static inline float gen_float(struct gen_rng *r, float lo, float hi)
{
	return lo + (hi - lo) * (float)gen_unit(r);
}

#endif
