/*
 * The plan as one JSON object for tools (mm_plan_report.h). Sizes and
 * addresses are numbers of bytes; names are plain ASCII from the platform
 * file and the model name, escaped.
 */
#include <stdio.h>

#include "mm_plan_report.h"
#include "mm_text.h"

typedef unsigned long long ull;

static void json_settings(FILE *f, const char *key, uint64_t tz_start,
			  uint64_t tz_size, uint64_t core, unsigned xlat,
			  unsigned pgt)
{
	fprintf(f, "  \"%s\": {\"CFG_TZDRAM_START\": %llu, "
		"\"CFG_TZDRAM_SIZE\": %llu, \"CFG_TEE_RAM_VA_SIZE\": %llu, "
		"\"MAX_XLAT_TABLES\": %u, \"PGT_CACHE_SIZE\": %u},\n", key,
		(ull)tz_start, (ull)tz_size, (ull)core, xlat, pgt);
}

static void json_regions(FILE *f, const struct mm_regions *rs)
{
	fprintf(f, "  \"regions\": [");
	for (size_t i = 0; i < rs->n; i++) {
		const struct mm_region *r = &rs->r[i];
		fprintf(f, "%s\n    {\"number\": %u, \"name\": ", i ? "," : "",
			r->number);
		mm_json_string(f, r->name);
		fprintf(f, ", \"start\": %llu, \"size\": %llu, \"owner\": "
			"\"%s\", \"normal_world_access\": %s}", (ull)r->start,
			(ull)r->size, mm_owner_name(r->owner),
			r->access & MM_NS_RW ? "true" : "false");
	}
	fprintf(f, "\n  ],\n");
}

static void json_conflicts(FILE *f, const struct mm_plan *pl)
{
	fprintf(f, "  \"conflicts\": [");
	for (size_t i = 0; i < pl->n_conflicts; i++) {
		const struct mm_conflict *c = &pl->conflicts[i];
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		mm_json_string(f, c->name);
		fprintf(f, ", \"start\": %llu, \"size\": %llu, \"owner\": "
			"\"%s\"}", (ull)c->start, (ull)c->size,
			mm_owner_name(c->owner));
	}
	fprintf(f, "],\n");
}

static void json_scrub(FILE *f, const struct mm_platform *p,
		       const struct mm_plan *pl)
{
	struct mm_range r[2];
	size_t k = mm_plan_scrub_ranges(p->tzdram_start, p->tzdram_size,
					pl->tzdram_start, pl->tzdram_size, r);
	fprintf(f, "  \"scrub\": [");
	for (size_t i = 0; i < k; i++)
		fprintf(f, "%s{\"start\": %llu, \"size\": %llu}", i ? ", " : "",
			(ull)r[i].start, (ull)r[i].size);
	fprintf(f, "],\n");
}

/* The window, and how it was chosen: "rule" is "fit" (the exponential
 * law; "fit" holds it) or "points" (the smallest point within the
 * tolerance of the best; "fit" is null, "fit_not_applied" says why). */
static void json_window(FILE *f, const struct mm_plan *pl)
{
	fprintf(f, "  \"shm_window\": {\"bytes\": %llu, \"tolerance\": %g, "
		"\"capped\": %s, \"provisional\": %s, \"source\": ",
		(ull)pl->shm_window, pl->shm_tolerance,
		pl->shm_capped ? "true" : "false",
		pl->shm_provisional ? "true" : "false");
	mm_json_string(f, pl->shm_source);
	fprintf(f, ", \"data_ratio\": %.4f, \"rule\": \"%s\", "
		"\"fit_not_applied\": ", pl->shm_data_ratio,
		pl->shm_fit_applied ? "fit" : "points");
	if (pl->shm_fit_applied)
		fprintf(f, "null, \"fit\": {\"a\": %.9g, \"b\": %.9g, "
			"\"c\": %.9g, \"r2\": %.6f}},\n", pl->shm_fit.a,
			pl->shm_fit.b, pl->shm_fit.c, pl->shm_fit.r2);
	else {
		mm_json_string(f, pl->shm_fit_skipped);
		fprintf(f, ", \"fit\": null},\n");
	}
}

int mm_plan_write_json(FILE *f, const struct mm_platform *p,
		       const struct mm_plan *pl, const char *model)
{
	fprintf(f, "{\n  \"model\": ");
	mm_json_string(f, model ? model : "");
	fprintf(f, ",\n  \"platform\": ");
	mm_json_string(f, p->name);
	fprintf(f, ",\n  \"controller\": \"%s\",\n",
		mm_controller_name(p->tzasc));
	fprintf(f, "  \"needs\": {\"weights\": %llu, \"arena\": %llu, "
		"\"heap_slack\": %llu, \"sessions\": %u, \"ta_instance\": %llu, "
		"\"ta_ram\": %llu, \"tee_ram_paper\": %llu, "
		"\"num_pgt_paper\": %u, \"run_shared_memory\": %llu},\n",
		(ull)pl->weights, (ull)pl->arena, (ull)pl->heap_slack,
		pl->sessions, (ull)pl->ta_instance_size,
		(ull)pl->ta_ram_needed, (ull)pl->tee_ram_paper,
		pl->num_pgt_paper, (ull)pl->run_shm);
	json_settings(f, "before", p->tzdram_start, p->tzdram_size,
		      p->tee_ram_size, p->xlat_tables, p->pgt_cache_size);
	json_settings(f, "after", pl->tzdram_start, pl->tzdram_size,
		      pl->tee_core, pl->max_xlat_tables, pl->pgt_cache_size);
	fprintf(f, "  \"placement\": \"%s\",\n  \"ta\": {\"TA_DATA_SIZE\": "
		"%llu, \"TA_STACK_SIZE\": %llu, \"code\": %llu},\n"
		"  \"ta_ram\": {\"start\": %llu, \"size\": %llu},\n"
		"  \"xlat_tables_needed\": %u,\n"
		"  \"normal_world\": {\"reserve_no_map\": %s, "
		"\"lockdown\": %s},\n  \"core_aslr_off\": %s,\n",
		mm_placement_str(pl->placement), (ull)pl->ta_data_size,
		(ull)pl->ta_stack_size, (ull)pl->ta_code_size,
		(ull)pl->ta_ram_start, (ull)pl->ta_ram_size, pl->xlat_needed,
		pl->placement == MM_PLACE_RELOCATED ? "true" : "false",
		pl->nw_must_lock_down ? "true" : "false",
		pl->core_aslr_off ? "true" : "false");
	json_window(f, pl);
	json_conflicts(f, pl);
	json_regions(f, &pl->regions);
	json_scrub(f, p, pl);
	struct mm_violation v;
	int inv = mm_check(p, pl, &v);
	fprintf(f, "  \"invariants\": {\"hold\": %s, \"message\": ",
		inv ? "false" : "true");
	mm_json_string(f, inv ? v.msg : "");
	fprintf(f, "}\n}\n");
	return ferror(f) ? -1 : 0;
}
