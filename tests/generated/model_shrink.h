/*
 * A failing model made small, so that a failure becomes a regression
 * file a person can read: steps that keep a model valid by
 * construction, each kept only when the model still fails.
 *
 * 1. The shortest prefix of its layers that still fails (the output
 *    becomes the prefix's last layer): every length up to 32, then
 *    doubling, then bisecting below the first that fails.
 * 2. Without each layer nobody reads (last first).
 * 3. The plainest layout: sections in order, no gaps, tensors in order,
 *    no unused ones, minor version 0.
 */
#ifndef GEN_MODEL_SHRINK_H
#define GEN_MODEL_SHRINK_H

#include "model_gen.h"

/* Whether m (a candidate) still fails; arg is the caller's. */
typedef int (*gen_fails_fn)(const struct gen_model *m, void *arg);

/* Shrinks m in place while fails() holds; returns how many candidates
 * were tried. */
int gen_model_shrink(struct gen_model *m, gen_fails_fn fails, void *arg);

#endif
