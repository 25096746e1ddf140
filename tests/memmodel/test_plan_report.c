/*
 * The plan's writers: text, JSON, conf.mk, the TA header and the SVG map
 * carry the plan's own numbers, are well formed, and say what changed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json_check.h"
#include "mm_plan_report.h"
#include "plan_fixtures.h"

typedef int (*writer)(FILE *, const struct mm_platform *,
		      const struct mm_plan *, const char *);

/* What writer w writes, as a malloc'd string. */
static char *render(writer w, const struct mm_platform *p,
		    const struct mm_plan *pl, const char *model)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(w(f, p, pl, model), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void contains(const char *text, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void contains(const char *text, const char *fmt, ...)
{
	char want[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(want, sizeof want, fmt, ap);
	va_end(ap);
	if (!strstr(text, want))
		fail_msg("missing \"%s\" in:\n%s", want, text);
}

static size_t count(const char *text, const char *what)
{
	size_t n = 0;
	for (const char *s = text; (s = strstr(s, what)); s += strlen(what))
		n++;
	return n;
}

/* RPi3 with 32 + 4 MiB: relocated past BL33, PGT cache raised. */
static void relocated_rpi3(struct mm_platform *p, struct mm_plan *pl)
{
	load_platform("rpi3bplus", p);
	struct mm_plan_input in = model_input(p, 32 * MiB, 4 * MiB);
	plan_ok(p, &in, pl);
	assert_int_equal(pl->placement, MM_PLACE_RELOCATED);
}

static void test_text(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	relocated_rpi3(&p, &pl);
	char *t = render(mm_plan_write_text, &p, &pl, "net");
	contains(t, "Smart-Zone plan: net on rpi3bplus");
	contains(t, "CFG_TZDRAM_START      0x%08llx   0x%08llx   relocated",
		 (unsigned long long)p.tzdram_start,
		 (unsigned long long)pl.tzdram_start);
	contains(t, "CFG_TEE_RAM_VA_SIZE   0x%08llx   =",
		 (unsigned long long)p.tee_ram_size);
	contains(t, "TA_DATA_SIZE          0x00008000   0x%08llx",
		 (unsigned long long)pl.ta_data_size);
	contains(t, "NUM_pgt = floor(TEE_RAM / 2 MiB) + 1 = %u",
		 pl.num_pgt_paper);
	contains(t, "bl33         [0x11000000, 0x11100000) normal");
	contains(t, "PROVISIONAL");
	contains(t, "On the data themselves this window takes %.2fx",
		 pl.shm_data_ratio);
	contains(t, "[0x10100000, 0x11000000) 15.00 MiB");
	contains(t, "Invariants: all hold");
	assert_null(strstr(t, "one inference:"));	/* not given */
	free(t);

	/* a plan broken by hand says which invariant broke */
	pl.max_xlat_tables = 1;
	t = render(mm_plan_write_text, &p, &pl, "net");
	contains(t, "Invariants: translation tables do not cover");
	free(t);
}

static void test_json(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	relocated_rpi3(&p, &pl);
	char *j = render(mm_plan_write_json, &p, &pl, "a \"quoted\"\\ name");
	assert_int_equal(json_check(j, strlen(j)), 0);
	contains(j, "\"model\": \"a \\\"quoted\\\"\\\\ name\"");
	contains(j, "\"after\": {\"CFG_TZDRAM_START\": %llu, "
		 "\"CFG_TZDRAM_SIZE\": %llu",
		 (unsigned long long)pl.tzdram_start,
		 (unsigned long long)pl.tzdram_size);
	contains(j, "\"before\": {\"CFG_TZDRAM_START\": %llu",
		 (unsigned long long)p.tzdram_start);
	contains(j, "\"TA_DATA_SIZE\": %llu",
		 (unsigned long long)pl.ta_data_size);
	contains(j, "\"bytes\": %llu", (unsigned long long)pl.shm_window);
	contains(j, "\"placement\": \"relocated\"");
	contains(j, "\"run_shared_memory\": 0}");
	contains(j, "\"hold\": true");
	assert_int_equal(count(j, "\"number\":"), pl.regions.n);
	free(j);

	/* the checker itself refuses what is not JSON */
	const char *bad[] = { "{\"a\": }", "[1, 2,]", "{\"a\" 1}", "01",
			      "\"\\x\"", "{} {}", "[1e]" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_not_equal(json_check(bad[i], strlen(bad[i])), 0);
}

/* Points from elsewhere (the simulator, in smartzone plan): the plan
 * names their source, as text and as JSON, and is not provisional. */
static void test_window_source(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("rpi3bplus", &p);
	struct mm_plan_input in = model_input(&p, 32 * MiB, 4 * MiB);
	size_t n;
	in.shm_points = mm_shm_provisional_table(&n);
	in.n_shm_points = n;
	in.shm_source = "counted \"somewhere\"";
	plan_ok(&p, &in, &pl);
	assert_false(pl.shm_provisional);
	char *t = render(mm_plan_write_text, &p, &pl, "net");
	contains(t, "fitted to counted \"somewhere\"\n");
	assert_null(strstr(t, "PROVISIONAL"));
	free(t);
	char *j = render(mm_plan_write_json, &p, &pl, "net");
	assert_int_equal(json_check(j, strlen(j)), 0);
	contains(j, "\"provisional\": false, \"source\": \"counted "
		 "\\\"somewhere\\\"\"");
	free(j);
	/* points without a name for them */
	in.shm_source = NULL;
	plan_ok(&p, &in, &pl);
	t = render(mm_plan_write_text, &p, &pl, "net");
	contains(t, "fitted to the given transfer times");
	free(t);
}

/* Points the fit refuses (a model smaller than every window): the
 * plan says so in text and JSON, and which window the points chose. */
static void test_window_by_points(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("qemu_armv8a", &p);
	struct mm_shm_point flat[10];
	struct mm_plan_input in = small_model_flat_points(&p, flat, 10);
	in.shm_source = "counted";
	plan_ok(&p, &in, &pl);
	char *t = render(mm_plan_write_text, &p, &pl, "tiny");
	contains(t, "Shared-memory window: 4096 bytes (4 KiB) per call, the "
		 "smallest whose time is within 5%% of the best of the "
		 "points\n  (counted).\n");
	contains(t, "did not apply to them\n  (%s),\n", pl.shm_fit_skipped);
	contains(t, "never a reason to refuse. It takes 1.00x the best time.");
	assert_null(strstr(t, "exp(-w / 0"));
	free(t);
	char *j = render(mm_plan_write_json, &p, &pl, "tiny");
	assert_int_equal(json_check(j, strlen(j)), 0);
	contains(j, "\"bytes\": 4096,");
	contains(j, "\"rule\": \"points\", \"fit_not_applied\": \"%s\", "
		 "\"fit\": null}", pl.shm_fit_skipped);
	free(j);
	/* the fit's own plan says "fit" and has no reason against it */
	in.shm_points = NULL;
	plan_ok(&p, &in, &pl);
	j = render(mm_plan_write_json, &p, &pl, "tiny");
	assert_int_equal(json_check(j, strlen(j)), 0);
	contains(j, "\"rule\": \"fit\", \"fit_not_applied\": null, "
		 "\"fit\": {\"a\": ");
	free(j);
}

static void test_conf_mk_and_header(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	relocated_rpi3(&p, &pl);
	char *c = render(mm_plan_write_conf_mk, &p, &pl, "net");
	contains(c, "\nCFG_TZDRAM_START := 0x%08llx\n",
		 (unsigned long long)pl.tzdram_start);
	contains(c, "\nCFG_TZDRAM_SIZE := 0x%08llx\n",
		 (unsigned long long)pl.tzdram_size);
	contains(c, "\nCFG_TEE_RAM_VA_SIZE := 0x%08llx\n",
		 (unsigned long long)pl.tee_core);
	contains(c, "PGT_CACHE_SIZE: raise from %u to %u", p.pgt_cache_size,
		 pl.pgt_cache_size);
	contains(c, "TF-A must load BL32 at 0x%08llx",
		 (unsigned long long)pl.tzdram_start);
	/* every line is a comment or a CFG_ assignment */
	for (const char *l = c; *l; l = strchr(l, '\n') + 1) {
		assert_true(*l == '#' || !strncmp(l, "CFG_", 4));
		assert_non_null(strchr(l, '\n'));
	}
	assert_null(strstr(c, "MAX_XLAT_TABLES")); /* 5 still suffice */
	free(c);

	char *h = render(mm_plan_write_ta_header, &p, &pl, "net");
	contains(h, "#define TA_DATA_SIZE\t0x%llx\n",
		 (unsigned long long)pl.ta_data_size);
	contains(h, "#define TA_STACK_SIZE\t0x%llx\n",
		 (unsigned long long)pl.ta_stack_size);
	free(h);

	/* a model that fits today's TZDRAM changes nothing but the TA */
	struct mm_plan_input in = model_input(&p, 1 * MiB, 1 * MiB);
	plan_ok(&p, &in, &pl);
	c = render(mm_plan_write_conf_mk, &p, &pl, "small");
	contains(c, "CFG_TZDRAM_START := 0x%08llx",
		 (unsigned long long)p.tzdram_start);
	assert_null(strstr(c, "raise"));
	assert_null(strstr(c, "moved"));
	free(c);
}

/* On a firmware where the cache is a make variable (OP-TEE 4.10 on QEMU:
 * pgt_cache_entries), the fragment sets it: passed on the make command
 * line as the fragment says, it takes effect. The first QEMU validation
 * met "alloc_pgt: Page tables are not available" for MobileNet v1 when
 * the fragment only said so in a comment. */
static void test_conf_mk_sets_cfg_pgt_cache_entries(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("qemu_armv8a", &p);
	assert_true(p.pgt_cache_is_cfg);
	assert_int_equal(p.pgt_cache_size, 8);
	struct mm_plan_input in = model_input(&p, 16 * MiB, 6 * MiB);
	plan_ok(&p, &in, &pl);
	assert_true(pl.pgt_cache_size > 8);
	char *c = render(mm_plan_write_conf_mk, &p, &pl, "net");
	contains(c, "\nCFG_PGT_CACHE_ENTRIES := %u\n", pl.pgt_cache_size);
	assert_null(strstr(c, "PGT_CACHE_SIZE"));
	free(c);
	char *t = render(mm_plan_write_text, &p, &pl, "net");
	contains(t, "CFG_PGT_CACHE_ENTRIES %-10u   %-10u", 8, pl.pgt_cache_size);
	free(t);
}

/* What keeps the normal world out, and the core's ASLR, by where TZDRAM
 * lands: QEMU's secure RAM is the hardware's (nothing to ask); QEMU's
 * DRAM and all of the RPi3's memory need the normal world's kernel
 * locked down; a TZDRAM moved on QEMU turns the core's ASLR off. Each
 * as the QEMU validation found it (docs/qemu.md). */
static void test_normal_world_requirements(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("qemu_armv8a", &p);
	struct mm_plan_input in = model_input(&p, 1 * MiB, 1 * MiB);
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.placement, MM_PLACE_UNCHANGED);
	assert_false(pl.nw_must_lock_down);
	assert_false(pl.core_aslr_off);
	char *c = render(mm_plan_write_conf_mk, &p, &pl, "small");
	assert_null(strstr(c, "lockdown"));
	assert_null(strstr(c, "CFG_CORE_ASLR"));
	free(c);

	in = model_input(&p, 30 * MiB, 4 * MiB);
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.placement, MM_PLACE_RELOCATED);
	assert_true(pl.nw_must_lock_down);
	assert_true(pl.core_aslr_off);
	c = render(mm_plan_write_conf_mk, &p, &pl, "big");
	contains(c, "\nCFG_CORE_ASLR := n\n");
	contains(c, "lockdown=integrity");
	free(c);
	char *j = render(mm_plan_write_json, &p, &pl, "big");
	contains(j, "\"normal_world\": {\"reserve_no_map\": true, "
		 "\"lockdown\": true}");
	contains(j, "\"core_aslr_off\": true");
	free(j);

	/* the RPi3 has no secure memory the hardware enforces at all */
	load_platform("rpi3bplus", &p);
	in = model_input(&p, 1 * MiB, 1 * MiB);
	plan_ok(&p, &in, &pl);
	assert_true(pl.nw_must_lock_down);
	assert_false(pl.core_aslr_off);
}

/* The SVG: one background, two cells a row, TZDRAM red in each column
 * where it decides, and the rows' sizes add up to the address space. */
static void test_svg(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	relocated_rpi3(&p, &pl);
	char *s = render(mm_plan_write_svg, &p, &pl, "net");
	assert_int_equal(strncmp(s, "<svg ", 5), 0);
	assert_non_null(strstr(s, "</svg>\n"));
	assert_int_equal(strlen(strstr(s, "</svg>\n")), 7);
	size_t rects = count(s, "<rect ");
	assert_true(rects >= 3 && rects % 2 == 1);
	size_t rows = (rects - 1) / 2;
	/* tzdram decides one row before (at 0x10100000) and one after */
	assert_int_equal(count(s, "tzdram (secure)"), 2);
	assert_int_equal(count(s, "fill=\"#c62828\""), 2);
	/* the row addresses ascend from 0 */
	contains(s, ">0x000000000<");
	contains(s, ">0x%09llx<", (unsigned long long)pl.tzdram_start);
	assert_int_equal(count(s, "font-family=\"monospace\">0x"), rows);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_window_source),
		cmocka_unit_test(test_window_by_points),
		cmocka_unit_test(test_conf_mk_and_header),
		cmocka_unit_test(test_conf_mk_sets_cfg_pgt_cache_entries),
		cmocka_unit_test(test_normal_world_requirements),
		cmocka_unit_test(test_svg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
