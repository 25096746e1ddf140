/* A progress bar on stderr while a model is provisioned (a
 * tl_client_progress_fn). */
#ifndef SZ_PROGRESS_H
#define SZ_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sz_progress {
	FILE *f;		/* where to draw (stderr) */
	const char *what;	/* "provisioning digits.tlm" */
	int shown;		/* the last permille drawn; -1 none */
};

/* Whether to draw: always when asked, else when f is a terminal and
 * the output is not JSON (scripts read that). */
bool sz_progress_wanted(FILE *f, bool asked, bool json);

void sz_progress_init(struct sz_progress *p, FILE *f, const char *what);

/* tl_client_progress_fn: arg is a struct sz_progress. */
void sz_progress_update(void *arg, uint64_t done, uint64_t total);

#endif
