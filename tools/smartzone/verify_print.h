/* smartzone verify's report (verify_print.c). */
#ifndef SZ_VERIFY_PRINT_H
#define SZ_VERIFY_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "mm_platform.h"
#include "mm_plan.h"
#include "verify_run.h"

/* Prints the verdict and, unless quiet or failed, the layer table and
 * the board estimates; 0 when the run held every rule and (strict) was
 * bit-identical to the host's. */
int sz_verify_print(FILE *f, const char *model, const struct mm_platform *p,
		    const struct mm_plan *pl, const struct sz_verify_job *job,
		    const struct sz_verify_outcome *o, bool quiet);

#endif
