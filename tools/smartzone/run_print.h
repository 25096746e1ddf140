/* smartzone run's report (run_print.c). */
#ifndef SZ_RUN_PRINT_H
#define SZ_RUN_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "labels.h"
#include "run_session.h"

/* The top outputs of each input (named from l when it has names), the
 * counts, host and board figures, the checks. details adds the cost
 * model's whole breakdown of both phases. 0, or -1 on a write error. */
int sz_run_print_text(FILE *f, const struct sz_run *r,
		      const struct sz_labels *l, unsigned top, bool details);

/* The same as one JSON object. */
int sz_run_print_json(FILE *f, const struct sz_run *r,
		      const struct sz_labels *l, unsigned top);

/* A run that failed, as one JSON object: the error, whether a session
 * opened, every TEEC call with its result and origin, and the checks. */
int sz_run_print_json_failure(FILE *f, const struct sz_run *r,
			      const char *error);

#endif
