/*
 * The simulated machine: a platform file and, optionally, a plan give the
 * physical layout, modelled sparsely on the host. TZDRAM (TEE core RAM,
 * accounted but holding no data, then TA_RAM) and the static shared pool
 * are host mappings at their physical addresses' offsets; registered
 * client memory gets physical pages in the largest stretch of DRAM the
 * normal world owns. Everything else is not modelled.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mm_text.h"
#include "sim_internal.h"

#ifndef SIM_DEFAULT_PLATFORM
#define SIM_DEFAULT_PLATFORM "memmodel/platforms/rpi3bplus.conf"
#endif

struct sim_machine sim_m;

const char *sim_status_str(int status)
{
	switch (status) {
	case SIM_OK: return "no error";
	case SIM_E_ARG: return "bad argument";
	case SIM_E_BUSY: return "contexts are open";
	case SIM_E_PLATFORM: return "platform file refused";
	case SIM_E_LAYOUT: return "no usable memory layout";
	case SIM_E_NOMEM: return "out of host memory";
	case SIM_E_DENIED: return "the normal world may not access the address";
	case SIM_E_UNBACKED: return "nothing is modelled at the address";
	case SIM_E_UNSUPPORTED: return "not supported here";
	case SIM_E_STORAGE: return "storage directory unusable";
	case SIM_E_STATE: return "no such session, or it is dead";
	default: return "unknown status";
	}
}

unsigned sim_next_id(void)
{
	return ++sim_m.next_id;
}

static void *map_zeroed(uint64_t size)
{
	/* NORESERVE: a planned TZDRAM can be hundreds of MiB; pages the TA
	 * never touches cost nothing. */
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static int layout(const struct sim_config *cfg, char *err, size_t len)
{
	const struct mm_platform *p = &sim_m.platform;
	if (cfg->plan != NULL) {
		const struct mm_plan *pl = cfg->plan;
		sim_m.tz_start = pl->tzdram_start;
		sim_m.tz_size = pl->tzdram_size;
		sim_m.core_size = pl->tee_core;
		sim_m.ta_ram_start = pl->ta_ram_start;
		sim_m.ta_ram_size = pl->ta_ram_size;
		sim_m.pgt_cache = pl->pgt_cache_size;
		sim_m.regions = pl->regions;
	} else {
		sim_m.tz_start = p->tzdram_start;
		sim_m.tz_size = p->tzdram_size;
		sim_m.core_size = p->tee_ram_size;
		/* OP-TEE's layout: TEE core RAM first, TA_RAM the rest */
		sim_m.ta_ram_start = p->tzdram_start + p->tee_ram_size;
		sim_m.ta_ram_size = p->tzdram_size - p->tee_ram_size;
		sim_m.pgt_cache = p->pgt_cache_size;
		mm_platform_regions(p, &sim_m.regions);
	}
	sim_m.shm_start = p->shmem_start;
	sim_m.shm_size = p->shmem_size;
	uint64_t tz_end = sim_m.tz_start + sim_m.tz_size;
	if (sim_m.tz_size == 0 || tz_end < sim_m.tz_start ||
	    sim_m.ta_ram_start < sim_m.tz_start + sim_m.core_size ||
	    sim_m.ta_ram_start + sim_m.ta_ram_size > tz_end ||
	    sim_m.ta_ram_size == 0 || sim_m.shm_size == 0 ||
	    (sim_m.ta_ram_start | sim_m.ta_ram_size | sim_m.shm_start |
	     sim_m.shm_size) % SIM_PG)
		return mm_fail(err, len, SIM_E_LAYOUT,
			    "TZDRAM 0x%llx+0x%llx with TA_RAM 0x%llx+0x%llx and "
			    "shared memory 0x%llx+0x%llx is no usable layout",
			    (unsigned long long)sim_m.tz_start,
			    (unsigned long long)sim_m.tz_size,
			    (unsigned long long)sim_m.ta_ram_start,
			    (unsigned long long)sim_m.ta_ram_size,
			    (unsigned long long)sim_m.shm_start,
			    (unsigned long long)sim_m.shm_size);
	return SIM_OK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static bool inside_secure_or_pool(uint64_t a)
{
	return (a >= sim_m.tz_start && a - sim_m.tz_start < sim_m.tz_size) ||
	       (a >= sim_m.shm_start && a - sim_m.shm_start < sim_m.shm_size);
}

/* The largest stretch of DRAM the normal world may read and write, off
 * TZDRAM and the pool: where registered client buffers are given
 * physical pages. The decision only changes at region bounds (and at a
 * TZC-380 subregion's eighths), so those are the points to test. */
static void nw_window(uint64_t *start, uint64_t *size)
{
	const struct mm_platform *p = &sim_m.platform;
	uint64_t pts[MM_REGIONS_MAX * 10 + 8];
	size_t n = 0;
	uint64_t lo = p->dram_base, hi = p->dram_base + p->dram_size;
	pts[n++] = lo;
	pts[n++] = hi;
	pts[n++] = sim_m.tz_start;
	pts[n++] = sim_m.tz_start + sim_m.tz_size;
	pts[n++] = sim_m.shm_start;
	pts[n++] = sim_m.shm_start + sim_m.shm_size;
	for (size_t i = 0; i < sim_m.regions.n; i++) {
		const struct mm_region *r = &sim_m.regions.r[i];
		for (unsigned k = 0; k <= 8; k++)
			pts[n++] = r->start + r->size / 8 * k;
	}
	qsort(pts, n, sizeof pts[0], cmp_u64);
	*start = *size = 0;
	uint64_t run = 0, run_start = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		uint64_t a = pts[i], b = pts[i + 1];
		if (a == b || a < lo || b > hi)
			continue;
		struct mm_decision d;
		bool ok = mm_decide(&sim_m.regions, a, &d) == MM_REGIONS_OK &&
			  d.ns_read && d.ns_write && !inside_secure_or_pool(a);
		if (!ok) {
			run = 0;
			continue;
		}
		if (run == 0)
			run_start = a;
		run = b - run_start;
		if (run > *size) {
			*start = run_start;
			*size = run;
		}
	}
}

static int storage_dir(const struct sim_config *cfg, char *err, size_t len)
{
	const char *dir = cfg->storage_dir ? cfg->storage_dir
					   : getenv("SIM_STORAGE_DIR");
	sim_m.storage_tmp = false;
	if (dir == NULL || *dir == '\0') {
		const char *tmp = getenv("TMPDIR");
		snprintf(sim_m.storage, sizeof sim_m.storage,
			 "%s/sim-storage-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(sim_m.storage) == NULL)
			return mm_fail(err, len, SIM_E_STORAGE, "%s: %s",
				    sim_m.storage, strerror(errno));
		sim_m.storage_tmp = true;
		return SIM_OK;
	}
	if (strlen(dir) >= sizeof sim_m.storage - 80)
		return mm_fail(err, len, SIM_E_STORAGE, "%s: path too long", dir);
	snprintf(sim_m.storage, sizeof sim_m.storage, "%s", dir);
	if (mkdir(sim_m.storage, 0700) && errno != EEXIST)
		return mm_fail(err, len, SIM_E_STORAGE, "%s: %s", dir,
			    strerror(errno));
	return SIM_OK;
}

static void hostile_from_env(unsigned modes)
{
	const char *h = getenv("SIM_HOSTILE");
	if (h != NULL && strstr(h, "double-fetch"))
		modes |= SIM_HOSTILE_DOUBLE_FETCH;
	if (modes == 0)
		return;
	char why[200];
	if (sim_hostile_set(modes, why, sizeof why))
		fprintf(stderr, "sim: hostile mode refused: %s\n", why);
}

int sim_configure(const struct sim_config *cfg, char *err, size_t len)
{
	static const struct sim_config none;
	if (sim_m.contexts > 0)
		return mm_fail(err, len, SIM_E_BUSY,
			    "%u contexts are open; finalize them first",
			    sim_m.contexts);
	sim_shutdown();
	if (cfg == NULL)
		cfg = &none;
	if (cfg->n_ta_sizes > SIM_TA_SIZES_MAX ||
	    (cfg->n_ta_sizes > 0 && cfg->ta_sizes == NULL))
		return mm_fail(err, len, SIM_E_ARG, "%zu TA size overrides "
			       "(at most %d)", cfg->n_ta_sizes,
			       SIM_TA_SIZES_MAX);
	const char *path = cfg->platform ? cfg->platform
					 : getenv("SIM_PLATFORM");
	if (path == NULL || *path == '\0')
		path = SIM_DEFAULT_PLATFORM;
	char perr[256];
	if (mm_platform_load(path, &sim_m.platform, perr, sizeof perr, NULL))
		return mm_fail(err, len, SIM_E_PLATFORM, "%s", perr);
	int rc = layout(cfg, err, len);
	if (rc)
		return rc;
	sim_m.tz = map_zeroed(sim_m.tz_size);
	sim_m.shm = map_zeroed(sim_m.shm_size);
	uint64_t nw_start, nw_size;
	nw_window(&nw_start, &nw_size);
	if (sim_m.tz == NULL || sim_m.shm == NULL ||
	    sim_extents_init(&sim_m.ta_ram, sim_m.ta_ram_start,
			     sim_m.ta_ram_size) ||
	    sim_extents_init(&sim_m.pool, sim_m.shm_start, sim_m.shm_size) ||
	    sim_extents_init(&sim_m.nw, nw_start, nw_size)) {
		sim_m.built = true;
		sim_shutdown();
		return mm_fail(err, len, SIM_E_NOMEM, "host memory for %s", path);
	}
	rc = storage_dir(cfg, err, len);
	sim_m.built = true;
	if (rc) {
		sim_shutdown();
		return rc;
	}
	for (size_t i = 0; i < cfg->n_ta_sizes; i++)
		sim_m.ta_sizes[i] = cfg->ta_sizes[i];
	sim_m.n_ta_sizes = cfg->n_ta_sizes;
	const char *t = getenv("SIM_TAINT");
	sim_m.taint_on = !cfg->taint_off && !(t && strcmp(t, "0") == 0);
	hostile_from_env(cfg->hostile);
	return SIM_OK;
}

int sim_machine_ensure(void)
{
	if (sim_m.built)
		return SIM_OK;
	char err[320];
	int rc = sim_configure(NULL, err, sizeof err);
	if (rc)
		fprintf(stderr, "sim: %s\n", err);
	return rc;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The temporary storage directory (ours, from mkdtemp), depth first. */
static void remove_tree(const char *dir)
{
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "sim: could not remove %s\n", dir);
}

int sim_shutdown(void)
{
	if (sim_m.contexts > 0)
		return SIM_E_BUSY;
	if (!sim_m.built)
		return SIM_OK;
	sim_hostile_set(0, NULL, 0);
	while (sim_m.sessions != NULL)
		sim_core_close(sim_m.sessions);
	while (sim_m.instances != NULL)
		sim_instance_destroy(sim_m.instances);
	while (sim_m.shms != NULL)
		sim_shm_free(sim_m.shms);
	if (sim_m.storage_tmp)
		remove_tree(sim_m.storage);
	sim_pool_watch_forget();
	if (sim_m.tz)
		munmap(sim_m.tz, sim_m.tz_size);
	if (sim_m.shm)
		munmap(sim_m.shm, sim_m.shm_size);
	sim_extents_fini(&sim_m.ta_ram);
	sim_extents_fini(&sim_m.pool);
	sim_extents_fini(&sim_m.nw);
	free(sim_m.viol);
	memset(&sim_m, 0, sizeof sim_m);
	return SIM_OK;
}

void sim_taint_set(bool on)
{
	if (sim_machine_ensure() == SIM_OK)
		sim_m.taint_on = on;
}

uint8_t *sim_phys_to_host(uint64_t phys, uint64_t len)
{
	if (phys >= sim_m.tz_start && len <= sim_m.tz_size &&
	    phys - sim_m.tz_start <= sim_m.tz_size - len)
		return sim_m.tz + (phys - sim_m.tz_start);
	if (phys >= sim_m.shm_start && len <= sim_m.shm_size &&
	    phys - sim_m.shm_start <= sim_m.shm_size - len)
		return sim_m.shm + (phys - sim_m.shm_start);
	for (struct sim_shm *s = sim_m.shms; s; s = s->next)
		if (!s->pool && phys >= s->phys && len <= s->size &&
		    phys - s->phys <= s->size - len)
			return s->host + (phys - s->phys);
	return NULL;
}

uint64_t sim_tz_phys(const void *host)
{
	return sim_m.tz_start + (uint64_t)((const uint8_t *)host - sim_m.tz);
}

void sim_memory(struct sim_memory_info *out)
{
	memset(out, 0, sizeof *out);
	if (sim_machine_ensure())
		return;
	out->tzdram_start = sim_m.tz_start;
	out->tzdram_size = sim_m.tz_size;
	out->tee_core_size = sim_m.core_size;
	out->ta_ram_start = sim_m.ta_ram_start;
	out->ta_ram_size = sim_m.ta_ram_size;
	out->ta_ram_used = sim_m.ta_ram.used;
	out->shm_start = sim_m.shm_start;
	out->shm_size = sim_m.shm_size;
	out->shm_used = sim_m.pool.used;
	out->nw_window_start = sim_m.nw.base;
	out->nw_window_size = sim_m.nw.size;
	for (struct sim_instance *i = sim_m.instances; i; i = i->next)
		out->instances++;
	for (struct sim_session *s = sim_m.sessions; s; s = s->next)
		out->sessions++;
}
