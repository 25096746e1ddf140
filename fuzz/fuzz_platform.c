/*
 * Fuzz target 5: platform files (memmodel's mm_platform_parse) and the
 * planner (mm_plan) on what they describe.
 *
 * Input: 12 bytes of a model's needs (weights and arena in 4 KiB pages,
 * u32 each; the sessions, u8; flags, u8: bit 0 lets TZDRAM shrink; the
 * TA code in 4 KiB pages, u16), then the platform file's text.
 *
 * Invariants: a refusal names a known status and writes a sentence; a
 * parsed platform's regions validate; a plan the planner gives passes
 * the planner's own invariant checker (mm_check: TZDRAM placed in DRAM
 * or secure RAM, clear of shared memory and of every normal-world area,
 * decided secure byte by byte, TA allocations in TA_RAM, enough
 * translation tables); every writer writes it, its JSON is valid JSON;
 * the platform with the plan applied (mm_platform_after) plans the same
 * model again, and that plan passes mm_check too.
 */
#include <stdbool.h>

#include "fuzz_input.h"
#include "json_check.h"
#include "mm_plan.h"
#include "mm_plan_report.h"
#include "mm_platform.h"

#define PAGE 0x1000ull

static void check_writers(const struct mm_platform *p,
			  const struct mm_plan *pl)
{
	int (*const writers[])(FILE *, const struct mm_platform *,
			       const struct mm_plan *, const char *) = {
		mm_plan_write_text, mm_plan_write_json, mm_plan_write_conf_mk,
		mm_plan_write_ta_header, mm_plan_write_svg,
	};
	for (size_t i = 0; i < sizeof writers / sizeof *writers; i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		if (f == NULL)
			abort();
		int rc = writers[i](f, p, pl, "fuzz");
		fclose(f);
		if (rc != 0)
			fz_broken("plan writer %zu failed", i);
		if (writers[i] == mm_plan_write_json &&
		    json_check(text, len) != 0)
			fz_broken("the plan's JSON is not JSON at byte %zu: "
				  "%.*s", json_check(text, len) - 1, (int)len,
				  text);
		free(text);
	}
}

/* Plans in on p; on success the plan must pass mm_check. */
static bool plan_checked(const struct mm_plan_input *in,
			 const struct mm_platform *p, struct mm_plan *pl)
{
	char err[512] = "";
	struct mm_plan_input pin = *in;
	pin.platform = p;
	int s = mm_plan(&pin, pl, err, sizeof err);
	if (s != 0) {
		if (strlen(err) == 0)
			fz_broken("mm_plan refused (%d) without a sentence", s);
		return false;
	}
	struct mm_violation v;
	if (mm_check(p, pl, &v) != MM_INV_OK)
		fz_broken("mm_plan gave a plan mm_check refuses: %s", v.msg);
	return true;
}

static void plan_on(const struct mm_platform *p, struct fz *f)
{
	struct mm_plan_input in = {
		.weights = fz_u32(f) * PAGE, .arena = fz_u32(f) * PAGE,
		.sessions = fz_u8(f) % 8 + 1,
	};
	uint8_t flags = fz_u8(f);
	in.allow_shrink = flags & 1;
	in.ta_code = (uint64_t)fz_u16(f) * PAGE;
	struct mm_plan *pl = malloc(sizeof *pl), *again = malloc(sizeof *pl);
	struct mm_platform *next = malloc(sizeof *next);
	char err[512] = "";
	if (pl == NULL || again == NULL || next == NULL)
		abort();
	if (plan_checked(&in, p, pl)) {
		check_writers(p, pl);
		if (mm_platform_after(p, pl, next, err, sizeof err) != 0)
			fz_broken("mm_platform_after refused a plan: %s", err);
		if (!plan_checked(&in, next, again))
			fz_broken("the platform after a plan does not plan the "
				  "same model again");
	}
	free(pl);
	free(again);
	free(next);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct fz needs = f;
	size_t skip;
	fz_bytes(&f, 12, &skip);
	struct mm_platform *p = malloc(sizeof *p);
	struct mm_regions *rs = malloc(sizeof *rs);
	if (p == NULL || rs == NULL)
		abort();
	char err[512] = "";
	int line = -1;
	int s = mm_platform_parse((const char *)f.p, f.n, "fuzz.conf", p, err,
				  sizeof err, &line);
	if (s != MM_PLATFORM_OK) {
		if (s < 0 || s > MM_PLATFORM_E_INCONSISTENT ||
		    strlen(err) == 0 || line < 0)
			fz_broken("mm_platform_parse: status %d, line %d, "
				  "\"%s\"", s, line, err);
	} else {
		mm_platform_regions(p, rs);
		if (mm_regions_validate(rs, err, sizeof err) != 0)
			fz_broken("a parsed platform's regions do not "
				  "validate: %s", err);
		plan_on(p, &needs);
	}
	free(p);
	free(rs);
	return 0;
}
