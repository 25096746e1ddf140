/*
 * Platform description files (mm_platform.h): `key = value` lines and
 * `region = NAME START SIZE OWNER` lines, then consistency checks. The
 * `cost_*` keys form a set that is given whole or not at all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm_platform.h"

#define PAGE 0x1000u
#define LINE_MAX_BYTES 512
#define FILE_MAX_BYTES (1u << 20)

const char *mm_platform_status_str(int status)
{
	switch (status) {
	case MM_PLATFORM_OK: return "no error";
	case MM_PLATFORM_E_IO: return "can not read the file";
	case MM_PLATFORM_E_SYNTAX: return "syntax error";
	case MM_PLATFORM_E_UNKNOWN_KEY: return "unknown key";
	case MM_PLATFORM_E_DUPLICATE_KEY: return "duplicate key";
	case MM_PLATFORM_E_NUMBER: return "bad number";
	case MM_PLATFORM_E_VALUE: return "value out of range";
	case MM_PLATFORM_E_MISSING_KEY: return "missing required key";
	case MM_PLATFORM_E_ALIGN: return "not 4 KiB aligned";
	case MM_PLATFORM_E_RANGE: return "range overflows or leaves the address space";
	case MM_PLATFORM_E_INCONSISTENT: return "inconsistent keys";
	default: return "unknown status";
	}
}

/* ---- The keys ---- */

/* K_UINT is stored as unsigned, K_U64 as uint64_t; both range-checked. */
enum kind { K_NAME, K_ADDR, K_UINT, K_U64, K_CTRL, K_OWNER, K_SHM, K_YESNO };

/* Required keys must all be given; cost keys all or none; optional keys
 * have a default (zero). */
enum group { G_REQUIRED, G_COST, G_OPTIONAL };

struct key {
	const char *name;
	enum kind kind;
	size_t offset;		/* in struct mm_platform */
	uint64_t min, max;	/* K_UINT and K_U64 only */
	enum group group;
};

#define F(field) offsetof(struct mm_platform, field)
#define C(field) offsetof(struct mm_platform, cost.field)
#define NS_PER_S 1000000000ull
#define W_1KW_MW 1000000ull	/* 1 kW in mW */

static const struct key keys[] = {
	{ "name", K_NAME, F(name), 0, 0, G_REQUIRED },
	{ "pa_bits", K_UINT, F(pa_bits), 32, 48, G_REQUIRED },
	{ "dram_base", K_ADDR, F(dram_base), 0, 0, G_REQUIRED },
	{ "dram_size", K_ADDR, F(dram_size), 0, 0, G_REQUIRED },
	{ "secure_sram_start", K_ADDR, F(secure_sram_start), 0, 0, G_REQUIRED },
	{ "secure_sram_size", K_ADDR, F(secure_sram_size), 0, 0, G_REQUIRED },
	{ "tzdram_start", K_ADDR, F(tzdram_start), 0, 0, G_REQUIRED },
	{ "tzdram_size", K_ADDR, F(tzdram_size), 0, 0, G_REQUIRED },
	{ "tee_ram_size", K_ADDR, F(tee_ram_size), 0, 0, G_REQUIRED },
	{ "shmem_start", K_ADDR, F(shmem_start), 0, 0, G_REQUIRED },
	{ "shmem_size", K_ADDR, F(shmem_size), 0, 0, G_REQUIRED },
	{ "bl33_base", K_ADDR, F(bl33_base), 0, 0, G_REQUIRED },
	{ "kernel_base", K_ADDR, F(kernel_base), 0, 0, G_REQUIRED },
	{ "dtb_base", K_ADDR, F(dtb_base), 0, 0, G_REQUIRED },
	{ "tzasc", K_CTRL, F(tzasc), 0, 0, G_REQUIRED },
	{ "tzasc_regions", K_UINT, F(tzasc_regions), 0, 16, G_REQUIRED },
	{ "tzasc_granule", K_ADDR, F(tzasc_granule), 0, 0, G_REQUIRED },
	{ "background", K_OWNER, F(background), 0, 0, G_REQUIRED },
	{ "xlat_tables", K_UINT, F(xlat_tables), 1, 64, G_REQUIRED },
	{ "xlat_table_size", K_ADDR, F(xlat_table_size), 0, 0, G_REQUIRED },
	{ "xlat_table_span", K_ADDR, F(xlat_table_span), 0, 0, G_REQUIRED },
	{ "num_threads", K_UINT, F(num_threads), 1, 256, G_REQUIRED },
	{ "pgt_per_page", K_UINT, F(pgt_per_page), 1, 64, G_REQUIRED },
	{ "cores", K_UINT, F(cores), 1, 256, G_REQUIRED },
	{ "client_shm", K_SHM, F(client_shm), 0, 0, G_OPTIONAL },
	{ "pgt_cache_entries", K_UINT, F(pgt_cache_size), 1, 65535, G_OPTIONAL },
	{ "secure_sram_enforced", K_YESNO, F(secure_sram_enforced), 0, 0,
	  G_OPTIONAL },
	{ "relocated_without_aslr", K_YESNO, F(relocated_without_aslr), 0, 0,
	  G_OPTIONAL },
	/*
	 * The cost set. The bounds only catch unit mistakes (a latency in
	 * seconds, a bandwidth in MB/s, a power in W): no board of this
	 * class switches worlds in over a second, copies slower than 1 MB/s
	 * or draws over a kilowatt.
	 */
	{ "cost_smc_round_trip_ns", K_U64, C(smc_round_trip_ns), 1, NS_PER_S,
	  G_COST },
	{ "cost_map_page_ns", K_U64, C(map_page_ns), 0, NS_PER_S, G_COST },
	{ "cost_copy_bytes_per_s", K_U64, C(copy_bytes_per_s), 1000000,
	  1000000000000ull, G_COST },
	{ "cost_core_mhz", K_U64, C(core_mhz), 1, 100000, G_COST },
	{ "cost_macs_per_cycle", K_U64, C(macs_per_cycle), 1, 1024, G_COST },
	{ "cost_compute_efficiency_pct", K_U64, C(compute_efficiency_pct), 1,
	  100, G_COST },
	{ "cost_power_idle_mw", K_U64, C(power_idle_mw), 1, W_1KW_MW, G_COST },
	{ "cost_power_normal_mw", K_U64, C(power_normal_mw), 1, W_1KW_MW,
	  G_COST },
	{ "cost_power_secure_mw", K_U64, C(power_secure_mw), 1, W_1KW_MW,
	  G_COST },
};

#define N_KEYS (sizeof keys / sizeof keys[0])

enum key_index {
	KI_NAME, KI_PA_BITS, KI_DRAM_BASE, KI_DRAM_SIZE, KI_SRAM_START,
	KI_SRAM_SIZE, KI_TZDRAM_START, KI_TZDRAM_SIZE, KI_TEE_RAM_SIZE,
	KI_SHMEM_START, KI_SHMEM_SIZE, KI_BL33, KI_KERNEL, KI_DTB, KI_TZASC,
	KI_TZASC_REGIONS, KI_TZASC_GRANULE, KI_BACKGROUND, KI_XLAT_TABLES,
	KI_XLAT_SIZE, KI_XLAT_SPAN, KI_THREADS, KI_PGT_PER_PAGE, KI_CORES,
	KI_CLIENT_SHM, KI_PGT_CACHE_ENTRIES, KI_SRAM_ENFORCED, KI_NO_ASLR,
	KI_COST_SMC, KI_COST_MAP, KI_COST_COPY, KI_COST_MHZ, KI_COST_MACS,
	KI_COST_EFF, KI_COST_IDLE, KI_COST_NORMAL, KI_COST_SECURE,
};

/* ---- Parser state and messages ---- */

struct parser {
	const char *file;
	struct mm_platform *p;
	int key_line[N_KEYS];	/* 0: not seen */
	char *err;
	size_t err_len;
	int *line;
};

static int fail(struct parser *ps, int status, int line, const char *key,
		const char *fmt, ...)
{
	if (ps->line)
		*ps->line = line;
	if (!ps->err || !ps->err_len)
		return status;
	int n;
	if (line > 0)
		n = snprintf(ps->err, ps->err_len, "%s:%d: %s: ", ps->file,
			     line, key);
	else
		n = snprintf(ps->err, ps->err_len, "%s: %s: ", ps->file, key);
	if (n >= 0 && (size_t)n < ps->err_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->err_len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return status;
}

/* ---- Values ---- */

/* An unsigned 64-bit number: 0x-prefixed hex or decimal, nothing else. */
static int parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	uint64_t v = 0;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static int parse_owner(const char *s, enum mm_owner *out)
{
	static const enum mm_owner all[] = { MM_OWNER_SECURE, MM_OWNER_NORMAL,
					     MM_OWNER_BOOT, MM_OWNER_SHARED };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!strcmp(s, mm_owner_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	return -1;
}

static int parse_controller(const char *s, enum mm_controller *out)
{
	static const enum mm_controller all[] = { MM_CTRL_NONE, MM_CTRL_TZC380,
						  MM_CTRL_TZC400 };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!strcmp(s, mm_controller_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	return -1;
}

static int parse_client_shm(const char *s, enum mm_client_shm *out)
{
	if (!strcmp(s, "pool"))
		*out = MM_SHM_POOL;
	else if (!strcmp(s, "registered"))
		*out = MM_SHM_REGISTERED;
	else
		return -1;
	return 0;
}

/* A name: 1..MM_NAME_MAX-1 bytes of letters, digits, '_', '-', '.'. */
static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= MM_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.'))
			return 0;
	return 1;
}

static int set_key(struct parser *ps, const struct key *k, const char *v,
		   int line)
{
	char *field = (char *)ps->p + k->offset;
	uint64_t n;
	switch (k->kind) {
	case K_NAME:
		if (!valid_name(v))
			return fail(ps, MM_PLATFORM_E_VALUE, line, k->name,
				    "'%s' is no name (1 to %d letters, digits, "
				    "'_', '-', '.')", v, MM_NAME_MAX - 1);
		memcpy(field, v, strlen(v) + 1);
		return MM_PLATFORM_OK;
	case K_CTRL:
		if (parse_controller(v, (enum mm_controller *)(void *)field))
			return fail(ps, MM_PLATFORM_E_VALUE, line, k->name,
				    "'%s' is no controller (expected none, "
				    "tzc380 or tzc400)", v);
		return MM_PLATFORM_OK;
	case K_OWNER:
		if (parse_owner(v, (enum mm_owner *)(void *)field))
			return fail(ps, MM_PLATFORM_E_VALUE, line, k->name,
				    "'%s' is no owner (expected secure, normal, "
				    "boot or shared)", v);
		return MM_PLATFORM_OK;
	case K_YESNO:
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return fail(ps, MM_PLATFORM_E_VALUE, line, k->name,
				    "'%s': expected yes or no", v);
		*(int *)(void *)field = !strcmp(v, "yes");
		return MM_PLATFORM_OK;
	case K_SHM:
		if (parse_client_shm(v, (enum mm_client_shm *)(void *)field))
			return fail(ps, MM_PLATFORM_E_VALUE, line, k->name,
				    "'%s' is no kind of shared memory (expected "
				    "pool or registered)", v);
		return MM_PLATFORM_OK;
	case K_ADDR:
		if (parse_u64(v, &n))
			return fail(ps, MM_PLATFORM_E_NUMBER, line, k->name,
				    "'%s' is no 64-bit number (0x hex or "
				    "decimal)", v);
		if (n % PAGE)
			return fail(ps, MM_PLATFORM_E_ALIGN, line, k->name,
				    "0x%llx is not 4 KiB aligned",
				    (unsigned long long)n);
		memcpy(field, &n, sizeof n);
		return MM_PLATFORM_OK;
	case K_UINT:
	case K_U64:
	default:
		if (parse_u64(v, &n))
			return fail(ps, MM_PLATFORM_E_NUMBER, line, k->name,
				    "'%s' is no number (0x hex or decimal)", v);
		if (n < k->min || n > k->max)
			return fail(ps, MM_PLATFORM_E_VALUE, line, k->name,
				    "%llu is outside %llu..%llu",
				    (unsigned long long)n,
				    (unsigned long long)k->min,
				    (unsigned long long)k->max);
		if (k->kind == K_U64) {
			memcpy(field, &n, sizeof n);
		} else {
			unsigned u = (unsigned)n;
			memcpy(field, &u, sizeof u);
		}
		return MM_PLATFORM_OK;
	}
}

/* `region = NAME START SIZE OWNER` */
static int add_region(struct parser *ps, char *v, int line)
{
	static const char *const what[] = { "NAME", "START", "SIZE", "OWNER" };
	char *tok[5];
	size_t n = 0;
	for (char *s = strtok(v, " \t"); s; s = strtok(NULL, " \t"))
		if (n < 5)
			tok[n++] = s;
		else
			n = 5;
	if (n != 4)
		return fail(ps, MM_PLATFORM_E_SYNTAX, line, "region",
			    "expected NAME START SIZE OWNER, found %zu "
			    "field%s", n, n == 1 ? "" : "s");
	struct mm_platform *p = ps->p;
	if (!valid_name(tok[0]))
		return fail(ps, MM_PLATFORM_E_VALUE, line, "region",
			    "'%s' is no name", tok[0]);
	for (size_t i = 0; i < p->n_regions; i++)
		if (!strcmp(p->regions[i].name, tok[0]))
			return fail(ps, MM_PLATFORM_E_DUPLICATE_KEY, line,
				    "region", "'%s' already given on line %d",
				    tok[0], p->regions[i].line);
	if (p->n_regions == MM_PLATFORM_REGIONS_MAX)
		return fail(ps, MM_PLATFORM_E_VALUE, line, "region",
			    "more than %d regions", MM_PLATFORM_REGIONS_MAX);
	uint64_t num[2];
	for (int i = 0; i < 2; i++) {
		if (parse_u64(tok[1 + i], &num[i]))
			return fail(ps, MM_PLATFORM_E_NUMBER, line, "region",
				    "%s %s '%s' is no 64-bit number", tok[0],
				    what[1 + i], tok[1 + i]);
		if (num[i] % PAGE)
			return fail(ps, MM_PLATFORM_E_ALIGN, line, "region",
				    "%s %s 0x%llx is not 4 KiB aligned",
				    tok[0], what[1 + i],
				    (unsigned long long)num[i]);
	}
	struct mm_platform_region *r = &p->regions[p->n_regions];
	if (parse_owner(tok[3], &r->owner))
		return fail(ps, MM_PLATFORM_E_VALUE, line, "region",
			    "%s: '%s' is no owner (expected secure, normal, "
			    "boot or shared)", tok[0], tok[3]);
	memcpy(r->name, tok[0], strlen(tok[0]) + 1);
	r->start = num[0];
	r->size = num[1];
	r->line = line;
	p->n_regions++;
	return MM_PLATFORM_OK;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int parse_line(struct parser *ps, char *buf, int line)
{
	char *hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';
	char *s = trim(buf);
	if (!*s)
		return MM_PLATFORM_OK;
	char *eq = strchr(s, '=');
	if (!eq)
		return fail(ps, MM_PLATFORM_E_SYNTAX, line, trim(s),
			    "expected `key = value`");
	*eq = '\0';
	char *key = trim(s), *value = trim(eq + 1);
	if (!*key)
		return fail(ps, MM_PLATFORM_E_SYNTAX, line, "(no key)",
			    "expected `key = value`");
	if (!*value)
		return fail(ps, MM_PLATFORM_E_SYNTAX, line, key, "no value");
	if (!strcmp(key, "region"))
		return add_region(ps, value, line);
	for (size_t i = 0; i < N_KEYS; i++) {
		if (strcmp(key, keys[i].name))
			continue;
		if (ps->key_line[i])
			return fail(ps, MM_PLATFORM_E_DUPLICATE_KEY, line, key,
				    "already given on line %d",
				    ps->key_line[i]);
		ps->key_line[i] = line;
		return set_key(ps, &keys[i], value, line);
	}
	return fail(ps, MM_PLATFORM_E_UNKNOWN_KEY, line, key,
		    "unknown key");
}

/* ---- Consistency ---- */

/* [start, start + size) without overflow and inside [0, 2^pa_bits). */
static int check_range(struct parser *ps, const char *what, uint64_t start,
		       uint64_t size, int line, const char *key)
{
	uint64_t space = 1ull << ps->p->pa_bits;
	if (size > UINT64_MAX - start)
		return fail(ps, MM_PLATFORM_E_RANGE, line, key,
			    "%s 0x%llx + 0x%llx overflows 64 bits", what,
			    (unsigned long long)start,
			    (unsigned long long)size);
	if (start + size > space)
		return fail(ps, MM_PLATFORM_E_RANGE, line, key,
			    "%s [0x%llx, 0x%llx) leaves the %u-bit address "
			    "space", what, (unsigned long long)start,
			    (unsigned long long)(start + size),
			    ps->p->pa_bits);
	return MM_PLATFORM_OK;
}

/* [s, s + n) inside [outer, outer + len); both ranges checked before. */
static int inside(uint64_t s, uint64_t n, uint64_t outer, uint64_t len)
{
	return len && s >= outer && s - outer <= len && n <= len - (s - outer);
}

static int overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return an && bn && a < b + bn && b < a + an;
}

static int check_ranges(struct parser *ps)
{
	const struct mm_platform *p = ps->p;
	const struct { const char *what; uint64_t start, size;
		       int ks, kz; } r[] = {
		{ "DRAM", p->dram_base, p->dram_size, KI_DRAM_BASE,
		  KI_DRAM_SIZE },
		{ "secure SRAM", p->secure_sram_start, p->secure_sram_size,
		  KI_SRAM_START, KI_SRAM_SIZE },
		{ "TZDRAM", p->tzdram_start, p->tzdram_size, KI_TZDRAM_START,
		  KI_TZDRAM_SIZE },
		{ "shared memory", p->shmem_start, p->shmem_size,
		  KI_SHMEM_START, KI_SHMEM_SIZE },
	};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		int k = ps->key_line[r[i].kz] > ps->key_line[r[i].ks]
				? r[i].kz : r[i].ks;
		int s = check_range(ps, r[i].what, r[i].start, r[i].size,
				    ps->key_line[k], keys[k].name);
		if (s)
			return s;
	}
	static const int sizes[] = { KI_DRAM_SIZE, KI_TZDRAM_SIZE,
				     KI_TEE_RAM_SIZE, KI_SHMEM_SIZE };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		uint64_t v;
		memcpy(&v, (const char *)p + keys[sizes[i]].offset, sizeof v);
		if (!v)
			return fail(ps, MM_PLATFORM_E_VALUE,
				    ps->key_line[sizes[i]], keys[sizes[i]].name,
				    "must not be 0");
	}
	for (size_t i = 0; i < p->n_regions; i++) {
		const struct mm_platform_region *g = &p->regions[i];
		int s = g->size ? check_range(ps, g->name, g->start, g->size,
					      g->line, "region")
				: fail(ps, MM_PLATFORM_E_VALUE, g->line,
				       "region", "%s is empty", g->name);
		if (s)
			return s;
	}
	return MM_PLATFORM_OK;
}

static int check_memory(struct parser *ps)
{
	const struct mm_platform *p = ps->p;
	if (!inside(p->tzdram_start, p->tzdram_size, p->dram_base,
		    p->dram_size) &&
	    !inside(p->tzdram_start, p->tzdram_size, p->secure_sram_start,
		    p->secure_sram_size))
		return fail(ps, MM_PLATFORM_E_INCONSISTENT,
			    ps->key_line[KI_TZDRAM_START], "tzdram_start",
			    "TZDRAM [0x%llx, 0x%llx) lies neither inside DRAM "
			    "nor inside secure SRAM",
			    (unsigned long long)p->tzdram_start,
			    (unsigned long long)(p->tzdram_start +
						 p->tzdram_size));
	if (p->tee_ram_size > p->tzdram_size)
		return fail(ps, MM_PLATFORM_E_INCONSISTENT,
			    ps->key_line[KI_TEE_RAM_SIZE], "tee_ram_size",
			    "0x%llx is larger than tzdram_size 0x%llx",
			    (unsigned long long)p->tee_ram_size,
			    (unsigned long long)p->tzdram_size);
	if (!inside(p->shmem_start, p->shmem_size, p->dram_base, p->dram_size))
		return fail(ps, MM_PLATFORM_E_INCONSISTENT,
			    ps->key_line[KI_SHMEM_START], "shmem_start",
			    "shared memory lies outside DRAM");
	if (overlaps(p->shmem_start, p->shmem_size, p->tzdram_start,
		     p->tzdram_size))
		return fail(ps, MM_PLATFORM_E_INCONSISTENT,
			    ps->key_line[KI_SHMEM_START], "shmem_start",
			    "shared memory [0x%llx, 0x%llx) overlaps TZDRAM",
			    (unsigned long long)p->shmem_start,
			    (unsigned long long)(p->shmem_start +
						 p->shmem_size));
	static const int fixed[] = { KI_BL33, KI_KERNEL, KI_DTB };
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		uint64_t a;
		memcpy(&a, (const char *)p + keys[fixed[i]].offset, sizeof a);
		if (!inside(a, 1, p->dram_base, p->dram_size))
			return fail(ps, MM_PLATFORM_E_INCONSISTENT,
				    ps->key_line[fixed[i]], keys[fixed[i]].name,
				    "0x%llx lies outside DRAM",
				    (unsigned long long)a);
	}
	return MM_PLATFORM_OK;
}

static int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static int check_controller(struct parser *ps)
{
	const struct mm_platform *p = ps->p;
	int line = ps->key_line[KI_TZASC_REGIONS];
	unsigned n = p->tzasc_regions;
	if (p->tzasc == MM_CTRL_NONE && n != 0)
		return fail(ps, MM_PLATFORM_E_INCONSISTENT, line,
			    "tzasc_regions", "%u with tzasc = none "
			    "(expected 0)", n);
	if (p->tzasc == MM_CTRL_TZC380 && n < 2)
		return fail(ps, MM_PLATFORM_E_INCONSISTENT, line,
			    "tzasc_regions", "%u: a TZC-380 has 2..16", n);
	if (p->tzasc == MM_CTRL_TZC400 && n != 9)
		return fail(ps, MM_PLATFORM_E_INCONSISTENT, line,
			    "tzasc_regions", "%u: a TZC-400 has 9 (0..8)", n);
	if (p->tzasc != MM_CTRL_NONE && p->n_regions > n - 1)
		return fail(ps, MM_PLATFORM_E_INCONSISTENT,
			    p->regions[n - 1].line, "region",
			    "%s would be region %u; the %s has 0..%u",
			    p->regions[n - 1].name, n,
			    mm_controller_name(p->tzasc), n - 1);
	if (!is_pow2(p->tzasc_granule))
		return fail(ps, MM_PLATFORM_E_VALUE,
			    ps->key_line[KI_TZASC_GRANULE], "tzasc_granule",
			    "0x%llx is no power of two",
			    (unsigned long long)p->tzasc_granule);
	return MM_PLATFORM_OK;
}

/* The regions as the controller will hold them: the first one it can
 * not express (a TZC-380 region of no power-of-two size, or not aligned
 * to it; a TZC-400 overlap) is refused on its line with the controller's
 * reason. Regions are added one at a time, so that the reason is the
 * first line's that breaks the set. */
static int check_regions(struct parser *ps)
{
	struct mm_platform *p = ps->p;
	size_t n = p->n_regions;
	struct mm_regions rs;
	char why[256];
	int s = MM_PLATFORM_OK;
	for (size_t k = 1; k <= n && s == MM_PLATFORM_OK; k++) {
		p->n_regions = k;
		mm_platform_regions(p, &rs);
		if (mm_regions_validate(&rs, why, sizeof why) != MM_REGIONS_OK)
			s = fail(ps, MM_PLATFORM_E_INCONSISTENT,
				 p->regions[k - 1].line, "region", "%s", why);
	}
	p->n_regions = n;
	return s;
}

static int check_tables(struct parser *ps)
{
	const struct mm_platform *p = ps->p;
	if (!is_pow2(p->xlat_table_size))
		return fail(ps, MM_PLATFORM_E_VALUE, ps->key_line[KI_XLAT_SIZE],
			    "xlat_table_size", "0x%llx is no power of two",
			    (unsigned long long)p->xlat_table_size);
	if (!is_pow2(p->xlat_table_span) ||
	    p->xlat_table_span < p->xlat_table_size)
		return fail(ps, MM_PLATFORM_E_VALUE, ps->key_line[KI_XLAT_SPAN],
			    "xlat_table_span", "0x%llx is no power of two "
			    "at least xlat_table_size",
			    (unsigned long long)p->xlat_table_span);
	return MM_PLATFORM_OK;
}

/* The first cost key given (its index), or -1 when none is. */
static int first_cost_key(const struct parser *ps)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].group == G_COST && ps->key_line[i])
			return (int)i;
	return -1;
}

/* Every required key; the cost keys all or none. */
static int check_present(struct parser *ps)
{
	int cost = first_cost_key(ps);
	for (size_t i = 0; i < N_KEYS; i++) {
		if (ps->key_line[i])
			continue;
		if (keys[i].group == G_REQUIRED)
			return fail(ps, MM_PLATFORM_E_MISSING_KEY, 0,
				    keys[i].name, "missing required key");
		if (keys[i].group == G_COST && cost >= 0)
			return fail(ps, MM_PLATFORM_E_MISSING_KEY, 0,
				    keys[i].name, "missing required key (the "
				    "cost keys come as a set; %s is given on "
				    "line %d)", keys[cost].name,
				    ps->key_line[cost]);
	}
	ps->p->has_cost = cost >= 0;
	return MM_PLATFORM_OK;
}

/* A busy board can not draw less than the same board idle. */
static int check_cost(struct parser *ps)
{
	const struct mm_cost *c = &ps->p->cost;
	static const int busy[] = { KI_COST_NORMAL, KI_COST_SECURE };
	if (!ps->p->has_cost)
		return MM_PLATFORM_OK;
	for (size_t i = 0; i < sizeof busy / sizeof busy[0]; i++) {
		uint64_t mw;
		memcpy(&mw, (const char *)ps->p + keys[busy[i]].offset,
		       sizeof mw);
		if (mw < c->power_idle_mw)
			return fail(ps, MM_PLATFORM_E_INCONSISTENT,
				    ps->key_line[busy[i]], keys[busy[i]].name,
				    "%llu mW is below cost_power_idle_mw %llu "
				    "(a busy board draws at least its idle "
				    "power)", (unsigned long long)mw,
				    (unsigned long long)c->power_idle_mw);
	}
	return MM_PLATFORM_OK;
}

static int check_all(struct parser *ps)
{
	int s = check_present(ps);
	if (!s)
		s = check_ranges(ps);
	if (!s)
		s = check_memory(ps);
	if (!s)
		s = check_controller(ps);
	if (!s)
		s = check_regions(ps);
	if (!s)
		s = check_tables(ps);
	if (!s)
		s = check_cost(ps);
	if (s)
		return s;
	struct mm_platform *p = ps->p;
	p->pgt_cache_is_cfg = ps->key_line[KI_PGT_CACHE_ENTRIES] != 0;
	if (!p->pgt_cache_is_cfg) {
		unsigned want = p->num_threads * 2, per = p->pgt_per_page;
		p->pgt_cache_size = (want + per - 1) / per * per;
	}
	return MM_PLATFORM_OK;
}

/* ---- Entry points ---- */

int mm_platform_parse(const char *text, size_t len, const char *file_name,
		      struct mm_platform *out, char *err, size_t err_len,
		      int *line)
{
	struct parser ps = { .file = file_name ? file_name : "(platform)",
			     .p = out, .err = err, .err_len = err_len,
			     .line = line };
	if (line)
		*line = 0;
	if (err && err_len)
		err[0] = '\0';
	if (!out || (!text && len))
		return fail(&ps, MM_PLATFORM_E_IO, 0, "(input)", "no text");
	memset(out, 0, sizeof *out);
	size_t pos = 0;
	for (int n = 1; pos < len; n++) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - pos;
		char buf[LINE_MAX_BYTES];
		if (memchr(text + pos, '\0', l))
			return fail(&ps, MM_PLATFORM_E_SYNTAX, n, "(line)",
				    "NUL byte");
		if (l >= sizeof buf)
			return fail(&ps, MM_PLATFORM_E_SYNTAX, n, "(line)",
				    "longer than %d bytes", LINE_MAX_BYTES - 1);
		memcpy(buf, text + pos, l);
		buf[l] = '\0';
		int s = parse_line(&ps, buf, n);
		if (s)
			return s;
		pos = end + 1;
	}
	return check_all(&ps);
}

int mm_platform_load(const char *path, struct mm_platform *out, char *err,
		     size_t err_len, int *line)
{
	struct parser ps = { .file = path ? path : "(null)", .p = out,
			     .err = err, .err_len = err_len, .line = line };
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return fail(&ps, MM_PLATFORM_E_IO, 0, "(file)", "%s",
			    path ? strerror(errno) : "no path");
	char *text = malloc(FILE_MAX_BYTES);
	size_t len = text ? fread(text, 1, FILE_MAX_BYTES, f) : 0;
	int bad = !text || ferror(f) || !feof(f);
	fclose(f);
	if (bad) {
		free(text);
		return fail(&ps, MM_PLATFORM_E_IO, 0, "(file)",
			    "unreadable, or larger than %u bytes",
			    FILE_MAX_BYTES);
	}
	int s = mm_platform_parse(text, len, path, out, err, err_len, line);
	free(text);
	return s;
}

void mm_platform_regions(const struct mm_platform *p, struct mm_regions *rs)
{
	unsigned max = p->tzasc == MM_CTRL_NONE ? MM_REGIONS_MAX
						: p->tzasc_regions;
	mm_regions_init(rs, p->tzasc, max, 1ull << p->pa_bits);
	mm_regions_add(rs, "background", 0, 1ull << p->pa_bits, 0,
		       p->background, mm_owner_access(p->background));
	for (size_t i = 0; i < p->n_regions; i++) {
		const struct mm_platform_region *g = &p->regions[i];
		mm_regions_add(rs, g->name, g->start, g->size,
			       (unsigned)i + 1, g->owner,
			       mm_owner_access(g->owner));
	}
}
