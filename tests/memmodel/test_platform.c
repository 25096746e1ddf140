/*
 * Platform files: the two shipped files give BRIEF's numbers; every kind
 * of malformed input gives its error, its line and a message naming
 * file:line and key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mm_platform.h"

#define MiB (1024ull * 1024)

static char err[512];
static int err_line;

static void load(const char *name, struct mm_platform *p)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", MM_PLATFORM_DIR, name);
	int s = mm_platform_load(path, p, err, sizeof err, &err_line);
	if (s)
		fail_msg("%s", err);
}

static void test_rpi3bplus(void **state)
{
	(void)state;
	struct mm_platform p;
	load("rpi3bplus.conf", &p);
	assert_string_equal(p.name, "rpi3bplus");
	assert_int_equal(p.dram_base, 0);
	assert_int_equal(p.dram_size, 1024 * MiB);
	assert_int_equal(p.secure_sram_start, 0x10000000);
	assert_int_equal(p.secure_sram_size, 1 * MiB);
	assert_int_equal(p.tzdram_start, 0x10100000);
	assert_int_equal(p.tzdram_size, 15 * MiB);
	assert_int_equal(p.tee_ram_size, 7 * MiB);
	assert_int_equal(p.shmem_start, 0x08000000);
	assert_int_equal(p.shmem_size, 4 * MiB);
	assert_int_equal(p.bl33_base, 0x11000000);
	/* BL33 sits right after TZDRAM: growing TZDRAM past 16 MiB hits it */
	assert_int_equal(p.tzdram_start + p.tzdram_size, p.bl33_base);
	assert_int_equal(p.tzasc, MM_CTRL_NONE);
	assert_int_equal(p.background, MM_OWNER_NORMAL);
	assert_int_equal(p.xlat_tables, 5);
	assert_int_equal(p.xlat_table_size, 4096);
	assert_int_equal(p.xlat_table_span, 2 * MiB);
	assert_int_equal(p.num_threads, 4);
	assert_int_equal(p.pgt_cache_size, 8);
	assert_int_equal(p.cores, 4);
	assert_int_equal(p.n_regions, 8);
	assert_string_equal(p.regions[7].name, "tzdram");
	assert_int_equal(p.regions[7].owner, MM_OWNER_SECURE);
	/* the top of the 1 GiB is the GPU's (gpu_mem 76 MiB) and the
	 * peripherals': the ARM's memory ends at 0x3b400000 */
	assert_string_equal(p.regions[4].name, "videocore");
	assert_int_equal(p.regions[4].start, 0x40000000 - 76 * MiB);
	assert_int_equal(p.regions[5].start + p.regions[5].size, 0x40000000);
	/* OP-TEE 3.8.0's source constant, ROUNDUP(4 threads * 2, 1); Linux
	 * 4.14's driver has no dynamic shared memory */
	assert_int_equal(p.pgt_cache_size, 8);
	assert_false(p.pgt_cache_is_cfg);
	assert_int_equal(p.client_shm, MM_SHM_POOL);
	/* the cost set, values as the file's sources give them */
	assert_true(p.has_cost);
	assert_int_equal(p.cost.smc_round_trip_ns, 20000);
	assert_int_equal(p.cost.map_page_ns, 1000);
	assert_int_equal(p.cost.copy_bytes_per_s, 600000000);
	assert_int_equal(p.cost.core_mhz, 1400);
	assert_int_equal(p.cost.macs_per_cycle, 2);
	assert_int_equal(p.cost.compute_efficiency_pct, 30);
	assert_int_equal(p.cost.power_idle_mw, 1900);
	/* one of four cores busy: idle + (5.1 W - 1.9 W) / 4 */
	assert_int_equal(p.cost.power_normal_mw, 1900 + (5100 - 1900) / 4);
	assert_int_equal(p.cost.power_secure_mw, p.cost.power_normal_mw);
}

static void test_qemu_armv8a(void **state)
{
	(void)state;
	struct mm_platform p;
	load("qemu_armv8a.conf", &p);
	assert_string_equal(p.name, "qemu_armv8a");
	assert_int_equal(p.dram_base, 0x40000000);
	assert_int_equal(p.secure_sram_start, 0x0e000000);
	assert_int_equal(p.secure_sram_size, 16 * MiB);
	assert_int_equal(p.tzdram_start, 0x0e100000);
	assert_int_equal(p.tzdram_size, 15 * MiB);
	assert_int_equal(p.tee_ram_size, 2 * MiB);
	/* TZDRAM ends exactly at the end of secure RAM */
	assert_int_equal(p.tzdram_start + p.tzdram_size,
			 p.secure_sram_start + p.secure_sram_size);
	assert_int_equal(p.shmem_start, 0x42000000);
	assert_int_equal(p.shmem_size, 2 * MiB);
	assert_int_equal(p.dtb_base, 0x40000000);
	assert_int_equal(p.num_threads, 2);
	/* OP-TEE 4.10's values, as the QEMU validation's build has them */
	assert_int_equal(p.pgt_cache_size, 8);
	assert_true(p.pgt_cache_is_cfg);
	assert_int_equal(p.xlat_tables, 9);
	assert_int_equal(p.client_shm, MM_SHM_REGISTERED);
	assert_true(p.secure_sram_enforced);
	assert_true(p.relocated_without_aslr);
	/* a generic A53 board at 1.2 GHz, the Pi 3 B standing in */
	assert_true(p.has_cost);
	assert_int_equal(p.cost.core_mhz, 1200);
	assert_int_equal(p.cost.macs_per_cycle, 2);
	assert_int_equal(p.cost.power_idle_mw, 1400);
	assert_int_equal(p.cost.power_normal_mw, 1400 + (3700 - 1400) / 4);
	assert_int_equal(p.cost.power_secure_mw, p.cost.power_normal_mw);
}

/* The shipped platforms' regions: secure wins, the rest is visible. */
static void test_platform_regions(void **state)
{
	(void)state;
	static const char *const files[] = { "rpi3bplus.conf",
					     "qemu_armv8a.conf" };
	for (size_t f = 0; f < 2; f++) {
		struct mm_platform p;
		struct mm_regions rs;
		struct mm_decision d;
		load(files[f], &p);
		mm_platform_regions(&p, &rs);
		assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
				 MM_REGIONS_OK);
		for (uint64_t a = p.tzdram_start;
		     a < p.tzdram_start + p.tzdram_size; a += 0x1000) {
			assert_int_equal(mm_decide(&rs, a, &d), MM_REGIONS_OK);
			assert_string_equal(d.region->name, "tzdram");
			assert_false(d.ns_read || d.ns_write);
			assert_true(d.s_read && d.s_write);
		}
		assert_int_equal(mm_decide(&rs, p.shmem_start, &d),
				 MM_REGIONS_OK);
		assert_int_equal(d.region->owner, MM_OWNER_SHARED);
		assert_true(d.ns_read && d.ns_write);
		assert_int_equal(mm_decide(&rs, p.bl33_base, &d),
				 MM_REGIONS_OK);
		/* TF-A's BL33: U-Boot on the RPi3, the kernel itself in
		 * the QEMU validation's boot */
		assert_string_equal(d.region->name, f ? "kernel" : "bl33");
		assert_int_equal(mm_decide(&rs, 0xfffff000, &d),
				 MM_REGIONS_OK);
		assert_int_equal(d.region->number, 0);
		assert_int_equal(mm_decide(&rs, 0x100000000ull, &d),
				 MM_REGIONS_E_NO_REGION);
	}
}

/* ---- Malformed inputs: a valid base with one line changed ---- */

static const char *const base[] = {
	"name = t",				/* 1 */
	"pa_bits = 32",				/* 2 */
	"dram_base = 0x0  # a comment",		/* 3 */
	"dram_size = 0x40000000",		/* 4 */
	"secure_sram_start = 0x10000000",	/* 5 */
	"secure_sram_size = 0x100000",		/* 6 */
	"tzdram_start = 0x10100000",		/* 7 */
	"tzdram_size = 0xF00000",		/* 8 */
	"tee_ram_size = 0x700000",		/* 9 */
	"shmem_start = 0x08000000",		/* 10 */
	"shmem_size = 4194304",			/* 11 */
	"bl33_base = 0x11000000",		/* 12 */
	"kernel_base = 0x80000",		/* 13 */
	"dtb_base = 0x01000000",		/* 14 */
	"tzasc = none",				/* 15 */
	"tzasc_regions = 0",			/* 16 */
	"tzasc_granule = 0x1000",		/* 17 */
	"background = normal",			/* 18 */
	"xlat_tables = 5",			/* 19 */
	"xlat_table_size = 0x1000",		/* 20 */
	"xlat_table_span = 0x200000",		/* 21 */
	"num_threads = 3",			/* 22 */
	"pgt_per_page = 4",			/* 23 */
	"cores = 4",				/* 24 */
	"region = tzdram 0x10100000 0xF00000 secure", /* 25 */
};
#define BASE_LINES ((int)(sizeof base / sizeof base[0]))

/* The cost set, lines 26..34 when appended to the base. */
static const char *const cost[] = {
	"cost_smc_round_trip_ns = 20000",	/* 26 */
	"cost_map_page_ns = 0",			/* 27 */
	"cost_copy_bytes_per_s = 600000000",	/* 28 */
	"cost_core_mhz = 1400",			/* 29 */
	"cost_macs_per_cycle = 2",		/* 30 */
	"cost_compute_efficiency_pct = 30",	/* 31 */
	"cost_power_idle_mw = 1900",		/* 32 */
	"cost_power_normal_mw = 2700",		/* 33 */
	"cost_power_secure_mw = 2700",		/* 34 */
};
#define COST_LINES ((int)(sizeof cost / sizeof cost[0]))

/* Lines from the base (then the cost set when with_cost) with the line
 * starting with `key ` replaced by line (dropped when line is NULL), or
 * with line appended when key is NULL. */
static size_t build_lines(char *out, size_t cap, const char *key,
			  const char *line, int with_cost)
{
	size_t n = 0;
	int total = BASE_LINES + (with_cost ? COST_LINES : 0);
	for (int i = 0; i < total; i++) {
		const char *l = i < BASE_LINES ? base[i] : cost[i - BASE_LINES];
		if (key && !strncmp(l, key, strlen(key)) &&
		    l[strlen(key)] == ' ') {
			if (!line)
				continue;
			l = line;
		}
		n += (size_t)snprintf(out + n, cap - n, "\t%s\r\n", l);
	}
	if (!key)
		n += (size_t)snprintf(out + n, cap - n, "%s", line);
	assert_true(n < cap);
	return n;
}

static size_t build(char *out, size_t cap, const char *key, const char *line)
{
	return build_lines(out, cap, key, line, 0);
}

static void test_base_parses(void **state)
{
	(void)state;
	char text[4096];
	struct mm_platform p;
	size_t n = build(text, sizeof text, "no-such", NULL);
	assert_int_equal(mm_platform_parse(text, n, "t.conf", &p, err,
					   sizeof err, &err_line),
			 MM_PLATFORM_OK);
	assert_int_equal(p.shmem_size, 4 * MiB);
	assert_int_equal(p.pgt_cache_size, 8);	/* ROUNDUP(3 * 2, 4) */
	/* the optional keys' defaults */
	assert_int_equal(p.client_shm, MM_SHM_POOL);
	assert_false(p.pgt_cache_is_cfg);
	assert_false(p.secure_sram_enforced);
	assert_false(p.relocated_without_aslr);
	assert_int_equal(p.n_regions, 1);
	assert_int_equal(p.regions[0].line, 25);
	/* no cost key at all: a memory-only platform, still valid */
	assert_false(p.has_cost);
	assert_int_equal(p.cost.core_mhz, 0);

	n = build_lines(text, sizeof text, "no-such", NULL, 1);
	assert_int_equal(mm_platform_parse(text, n, "t.conf", &p, err,
					   sizeof err, &err_line),
			 MM_PLATFORM_OK);
	assert_true(p.has_cost);
	assert_int_equal(p.cost.smc_round_trip_ns, 20000);
	assert_int_equal(p.cost.map_page_ns, 0);	/* 0 is allowed */
	assert_int_equal(p.cost.copy_bytes_per_s, 600000000);
	assert_int_equal(p.cost.power_secure_mw, 2700);
}

struct bad {
	const char *key;	/* the line replaced; NULL appends */
	const char *line;	/* NULL drops */
	int status;
	int line_no;
	const char *where;	/* the message's start */
};

static const struct bad bads[] = {
	{ NULL, "colour = blue", MM_PLATFORM_E_UNKNOWN_KEY, 26,
	  "t.conf:26: colour: unknown key" },
	{ NULL, "cores = 2", MM_PLATFORM_E_DUPLICATE_KEY, 26,
	  "t.conf:26: cores: already given on line 24" },
	{ "tzdram_size", "tzdram_size = 0xF0000G", MM_PLATFORM_E_NUMBER, 8,
	  "t.conf:8: tzdram_size:" },
	{ "tzdram_size", "tzdram_size = -1", MM_PLATFORM_E_NUMBER, 8,
	  "t.conf:8: tzdram_size:" },
	{ "tzdram_size", "tzdram_size = 0x", MM_PLATFORM_E_NUMBER, 8,
	  "t.conf:8: tzdram_size:" },
	{ "dram_size", "dram_size = 0x10000000000000000", MM_PLATFORM_E_NUMBER,
	  4, "t.conf:4: dram_size:" },
	{ "cores", "cores = 18446744073709551616", MM_PLATFORM_E_NUMBER, 24,
	  "t.conf:24: cores:" },
	{ "cores", "cores = 0", MM_PLATFORM_E_VALUE, 24, "t.conf:24: cores:" },
	{ "pa_bits", "pa_bits = 64", MM_PLATFORM_E_VALUE, 2,
	  "t.conf:2: pa_bits:" },
	{ "cores", NULL, MM_PLATFORM_E_MISSING_KEY, 0,
	  "t.conf: cores: missing required key" },
	{ "name", NULL, MM_PLATFORM_E_MISSING_KEY, 0,
	  "t.conf: name: missing required key" },
	{ "tzdram_start", "tzdram_start = 0x10100800", MM_PLATFORM_E_ALIGN, 7,
	  "t.conf:7: tzdram_start: 0x10100800 is not 4 KiB aligned" },
	{ "region", "region = tzdram 0x10100000 0xF00800 secure",
	  MM_PLATFORM_E_ALIGN, 25, "t.conf:25: region:" },
	{ "tee_ram_size", "tee_ram_size = 0x1000000",
	  MM_PLATFORM_E_INCONSISTENT, 9, "t.conf:9: tee_ram_size:" },
	{ "tzdram_start", "tzdram_start = 0x50000000",
	  MM_PLATFORM_E_INCONSISTENT, 7, "t.conf:7: tzdram_start:" },
	{ "shmem_start", "shmem_start = 0x10200000",
	  MM_PLATFORM_E_INCONSISTENT, 10, "t.conf:10: shmem_start:" },
	{ "kernel_base", "kernel_base = 0x50000000",
	  MM_PLATFORM_E_INCONSISTENT, 13, "t.conf:13: kernel_base:" },
	{ "tzasc", "tzasc = tzc400", MM_PLATFORM_E_INCONSISTENT, 16,
	  "t.conf:16: tzasc_regions:" },
	{ "tzasc", "tzasc = tzc999", MM_PLATFORM_E_VALUE, 15,
	  "t.conf:15: tzasc:" },
	{ "tee_ram_size", "tee_ram_size = 0", MM_PLATFORM_E_VALUE, 9,
	  "t.conf:9: tee_ram_size:" },
	{ "dram_size", "dram_size = 0x100001000", MM_PLATFORM_E_RANGE, 4,
	  "t.conf:4: dram_size:" },
	{ NULL, "region = top 0xFFFFF000 0x2000 normal", MM_PLATFORM_E_RANGE,
	  26, "t.conf:26: region:" },
	{ "region", "region = tzdram 0xFFFFFFFFFFFFF000 0x2000 secure",
	  MM_PLATFORM_E_RANGE, 25, "t.conf:25: region: tzdram 0x" },
	{ NULL, "just words", MM_PLATFORM_E_SYNTAX, 26,
	  "t.conf:26: just words:" },
	{ NULL, "cores =", MM_PLATFORM_E_SYNTAX, 26, "t.conf:26: cores:" },
	{ "region", "region = tzdram 0x10100000 0xF00000",
	  MM_PLATFORM_E_SYNTAX, 25, "t.conf:25: region: expected" },
	{ NULL, "region = tzdram 0x10100000 0x1000 secure",
	  MM_PLATFORM_E_DUPLICATE_KEY, 26, "t.conf:26: region:" },
	{ NULL, "region = x 0x0 0x1000 world", MM_PLATFORM_E_VALUE, 26,
	  "t.conf:26: region:" },
	{ NULL, "region = x 0x0 0 normal", MM_PLATFORM_E_VALUE, 26,
	  "t.conf:26: region:" },
	/* the optional keys */
	{ NULL, "client_shm = dynamic", MM_PLATFORM_E_VALUE, 26,
	  "t.conf:26: client_shm: 'dynamic' is no kind of shared memory" },
	{ NULL, "pgt_cache_entries = 0", MM_PLATFORM_E_VALUE, 26,
	  "t.conf:26: pgt_cache_entries:" },
	{ NULL, "secure_sram_enforced = maybe", MM_PLATFORM_E_VALUE, 26,
	  "t.conf:26: secure_sram_enforced: 'maybe': expected yes or no" },
	{ NULL, "relocated_without_aslr = 1", MM_PLATFORM_E_VALUE, 26,
	  "t.conf:26: relocated_without_aslr: '1': expected yes or no" },
};

/* Each case's text (the base, with the cost set when with_cost) gives
 * its status, its line and a message that starts as expected. */
static void check_bads(const struct bad *cases, size_t n_cases,
		       int with_cost)
{
	for (size_t i = 0; i < n_cases; i++) {
		const struct bad *b = &cases[i];
		char text[4096];
		struct mm_platform p;
		size_t n = build_lines(text, sizeof text, b->key, b->line,
				       with_cost);
		err_line = -1;
		int s = mm_platform_parse(text, n, "t.conf", &p, err,
					  sizeof err, &err_line);
		if (s != b->status || err_line != b->line_no ||
		    strncmp(err, b->where, strlen(b->where)))
			fail_msg("case %zu (%s): got %d (%s) line %d: %s", i,
				 b->line ? b->line : b->key, s,
				 mm_platform_status_str(s), err_line, err);
	}
}

static void test_malformed(void **state)
{
	(void)state;
	check_bads(bads, sizeof bads / sizeof bads[0], 0);
}

/* The cost set: every key refused with its line and reason. */
static const struct bad cost_bads[] = {
	{ "cost_core_mhz", NULL, MM_PLATFORM_E_MISSING_KEY, 0,
	  "t.conf: cost_core_mhz: missing required key (the cost keys come "
	  "as a set; cost_smc_round_trip_ns is given on line 26)" },
	{ "cost_smc_round_trip_ns", NULL, MM_PLATFORM_E_MISSING_KEY, 0,
	  "t.conf: cost_smc_round_trip_ns: missing required key (the cost "
	  "keys come as a set; cost_map_page_ns is given on line 26)" },
	{ "cost_smc_round_trip_ns", "cost_smc_round_trip_ns = 0",
	  MM_PLATFORM_E_VALUE, 26,
	  "t.conf:26: cost_smc_round_trip_ns: 0 is outside 1..1000000000" },
	{ "cost_smc_round_trip_ns", "cost_smc_round_trip_ns = 20us",
	  MM_PLATFORM_E_NUMBER, 26, "t.conf:26: cost_smc_round_trip_ns: "
	  "'20us' is no number" },
	{ "cost_map_page_ns", "cost_map_page_ns = 1000000001",
	  MM_PLATFORM_E_VALUE, 27, "t.conf:27: cost_map_page_ns: 1000000001 "
	  "is outside 0..1000000000" },
	{ "cost_copy_bytes_per_s", "cost_copy_bytes_per_s = 600",
	  MM_PLATFORM_E_VALUE, 28, "t.conf:28: cost_copy_bytes_per_s: 600 is "
	  "outside 1000000..1000000000000" },
	{ "cost_copy_bytes_per_s", "cost_copy_bytes_per_s = 6e8",
	  MM_PLATFORM_E_NUMBER, 28, "t.conf:28: cost_copy_bytes_per_s:" },
	{ "cost_core_mhz", "cost_core_mhz = 0", MM_PLATFORM_E_VALUE, 29,
	  "t.conf:29: cost_core_mhz: 0 is outside 1..100000" },
	{ "cost_core_mhz", "cost_core_mhz = 1.4", MM_PLATFORM_E_NUMBER, 29,
	  "t.conf:29: cost_core_mhz:" },
	{ "cost_macs_per_cycle", "cost_macs_per_cycle = 0",
	  MM_PLATFORM_E_VALUE, 30, "t.conf:30: cost_macs_per_cycle:" },
	{ "cost_compute_efficiency_pct", "cost_compute_efficiency_pct = 101",
	  MM_PLATFORM_E_VALUE, 31, "t.conf:31: cost_compute_efficiency_pct: "
	  "101 is outside 1..100" },
	{ "cost_power_idle_mw", "cost_power_idle_mw = 0", MM_PLATFORM_E_VALUE,
	  32, "t.conf:32: cost_power_idle_mw:" },
	{ "cost_power_idle_mw", "cost_power_idle_mw = 1000001",
	  MM_PLATFORM_E_VALUE, 32, "t.conf:32: cost_power_idle_mw:" },
	{ "cost_power_normal_mw", "cost_power_normal_mw = 1899",
	  MM_PLATFORM_E_INCONSISTENT, 33, "t.conf:33: cost_power_normal_mw: "
	  "1899 mW is below cost_power_idle_mw 1900" },
	{ "cost_power_secure_mw", "cost_power_secure_mw = 100",
	  MM_PLATFORM_E_INCONSISTENT, 34, "t.conf:34: cost_power_secure_mw: "
	  "100 mW is below cost_power_idle_mw 1900" },
	{ NULL, "cost_core_mhz = 1200", MM_PLATFORM_E_DUPLICATE_KEY, 35,
	  "t.conf:35: cost_core_mhz: already given on line 29" },
	{ NULL, "cost_gflops = 5", MM_PLATFORM_E_UNKNOWN_KEY, 35,
	  "t.conf:35: cost_gflops: unknown key" },
};

static void test_cost_malformed(void **state)
{
	(void)state;
	check_bads(cost_bads, sizeof cost_bads / sizeof cost_bads[0], 1);
	/* one cost key alone is refused too: the set is all or none */
	char text[4096];
	struct mm_platform p;
	size_t n = build(text, sizeof text, NULL, "cost_core_mhz = 1400\n");
	assert_int_equal(mm_platform_parse(text, n, "t.conf", &p, err,
					   sizeof err, &err_line),
			 MM_PLATFORM_E_MISSING_KEY);
	assert_non_null(strstr(err, "cost_core_mhz is given on line 26"));
}

static void test_nul_and_io(void **state)
{
	(void)state;
	struct mm_platform p;
	static const char text[] = "name = a\0b\n";
	assert_int_equal(mm_platform_parse(text, sizeof text - 1, "t.conf", &p,
					   err, sizeof err, &err_line),
			 MM_PLATFORM_E_SYNTAX);
	assert_int_equal(err_line, 1);
	assert_int_equal(mm_platform_load(MM_PLATFORM_DIR "/no-such.conf", &p,
					  err, sizeof err, &err_line),
			 MM_PLATFORM_E_IO);
	assert_int_equal(err_line, 0);
	assert_non_null(strstr(err, "no-such.conf"));
	assert_string_equal(mm_platform_status_str(MM_PLATFORM_E_UNKNOWN_KEY),
			    "unknown key");
	assert_string_equal(mm_platform_status_str(999), "unknown status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpi3bplus),
		cmocka_unit_test(test_qemu_armv8a),
		cmocka_unit_test(test_platform_regions),
		cmocka_unit_test(test_base_parses),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_cost_malformed),
		cmocka_unit_test(test_nul_and_io),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
