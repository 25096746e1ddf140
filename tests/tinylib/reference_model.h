/* A whole .tlm model run with the double-precision reference kernels. */
#ifndef TL_TEST_REFERENCE_MODEL_H
#define TL_TEST_REFERENCE_MODEL_H

#include "tl_model.h"

/* The model's output (malloc'd) for input: every layer computed in double
 * from float inputs and rounded to float, as the engine stores it. */
float *reference_run(const struct tl_model *m, const float *input);

/* max |a - b| / max(max |b|, 1e-30); infinite when a has a non-finite
 * value. */
double relative_error(const float *a, const float *b, size_t n);

#endif
