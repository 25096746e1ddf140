/*
 * A plan written out for the people and tools that apply it:
 *
 * - text: what changes, from what to what, and why; the regions after
 *   planning; what to scrub; the invariants;
 * - JSON: the same numbers for tools (one object, stable keys);
 * - an OP-TEE conf.mk fragment (the CFG_ settings; the constants OP-TEE
 *   keeps in source files as comments saying where to change them);
 * - the TA's user_ta_header_defines.h values (TA_DATA_SIZE, TA_STACK_SIZE);
 * - an SVG memory map of the platform before and after, side by side,
 *   coloured by the owner of the region that decides each address, with
 *   the normal world's access marked.
 *
 * Every writer takes the platform as it is today (before) and the plan;
 * model names the model in titles (may be NULL). They return 0, or -1
 * when writing to f failed.
 */
#ifndef MM_PLAN_REPORT_H
#define MM_PLAN_REPORT_H

#include <stdio.h>

#include "mm_plan.h"

int mm_plan_write_text(FILE *f, const struct mm_platform *p,
		       const struct mm_plan *pl, const char *model);
int mm_plan_write_json(FILE *f, const struct mm_platform *p,
		       const struct mm_plan *pl, const char *model);
int mm_plan_write_conf_mk(FILE *f, const struct mm_platform *p,
			  const struct mm_plan *pl, const char *model);
int mm_plan_write_ta_header(FILE *f, const struct mm_platform *p,
			    const struct mm_plan *pl, const char *model);
int mm_plan_write_svg(FILE *f, const struct mm_platform *p,
		      const struct mm_plan *pl, const char *model);

/* "unchanged", "grown in place", "shrunk in place", "relocated". */
const char *mm_placement_str(int placement);

#endif
