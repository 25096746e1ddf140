/* What the cost model's tests share: the shipped platform files, loaded,
 * and a relative-error measure. */
#ifndef COST_SUPPORT_H
#define COST_SUPPORT_H

#include "mm_platform.h"

/* The shipped platforms, each with its cost_* keys. */
extern const char *const cost_platforms[2];

/* Loads MM_PLATFORM_DIR/name into *p; fails the test (with the parser's
 * file:line message) if it does not parse or has no cost keys. */
void cost_load(const char *name, struct mm_platform *p);

/* |a - b| / |b|, or |a| when b is 0. */
double cost_rel_err(double a, double b);

#endif
