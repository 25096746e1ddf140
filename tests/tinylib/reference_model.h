/* A whole .tlm model run with the double-precision reference kernels. */
#ifndef TL_TEST_REFERENCE_MODEL_H
#define TL_TEST_REFERENCE_MODEL_H

#include "tl_model.h"

/* The model's output (malloc'd) for input: every layer computed in double
 * from float inputs and rounded to float, as the engine stores it. */
float *reference_run(const struct tl_model *m, const float *input);

#endif
