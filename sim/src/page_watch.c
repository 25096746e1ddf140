/*
 * Which pages of a TA instance's heap were written since the leakage
 * check last looked at it. Between two checks the heap's pages are
 * read-only; the first write to one faults, and the SIGSEGV handler
 * (world_switch.c) records the page and makes it writable again, so the
 * write goes through and later ones to the same page cost nothing. The
 * check then asks page by page (sim_watch_written) instead of comparing
 * the heap with a copy of itself, which cost a pass over the whole heap
 * at every call: quadratic in the model's size while it loads in
 * chunks. Re-protecting touches only the pages written since.
 *
 * Writers are the TA's own code, the system calls it makes (TEE_Malloc's
 * headers, TEE_MemMove, crypto outputs) and the simulator scrubbing a
 * dying instance (sim_watch_stop first). None of them is the kernel, so
 * a protected page never turns a system call into EFAULT.
 *
 * Where the protection can not be used (pages other than 4 KiB, or under
 * valgrind, whose memcheck would report the deliberate faults) the watch
 * is off and every page counts as written: the check is then as slow as
 * it was, and as exact.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim_internal.h"

struct sim_watch {
	uint8_t *base;		/* the heap's first page */
	uint64_t pages;
	bool on;		/* pages are protected between calls */
	uint64_t *written;	/* a bit a page: written since the last rearm */
	uint64_t *list;		/* those pages, in the order they were */
	uint64_t n_list;
};

static bool is_written(const struct sim_watch *w, uint64_t pg)
{
	return w->written[pg / 64] >> (pg % 64) & 1;
}

static bool watch_possible(void)
{
	return sysconf(_SC_PAGESIZE) == (long)SIM_PG && !sim_under_valgrind();
}

/* The watch's own memory: pages of their own, never shared with a
 * malloc'd block. The SIGSEGV handler writes it while the TA runs, and
 * the double-fetch trap makes the pages of the TA's memrefs
 * inaccessible then: a registered buffer the client malloc'd could
 * share a page with the watch, and the handler's own fault on it would
 * kill the process (SIGSEGV is blocked in its handler). */
static void *own_pages(size_t bytes)
{
	void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return m == MAP_FAILED ? NULL : m;
}

static size_t watch_bytes(uint64_t pages)
{
	return sizeof(struct sim_watch) +
	       (pages / 64 + 1) * sizeof(uint64_t) +
	       (pages ? pages : 1) * sizeof(uint64_t);
}

static struct sim_watch *watch_new(struct sim_instance *inst)
{
	uint64_t pages = SIM_PG_UP((uint64_t)inst->data_size) / SIM_PG;
	struct sim_watch *w = own_pages(watch_bytes(pages));
	if (w == NULL)
		return NULL;
	w->base = inst->heap_base;
	w->pages = pages;
	w->written = (uint64_t *)(w + 1);
	w->list = w->written + pages / 64 + 1;
	/* made at the end of a check that looked at every page: none
	 * written since */
	w->on = watch_possible() &&
		mprotect(w->base, w->pages * SIM_PG, PROT_READ) == 0;
	return w;
}

/* Every page writable and counted as written from now on. A page made
 * read-only splits the heap's mapping, and the kernel's limit on
 * mappings (vm.max_map_count, 65530 by default) can refuse the split:
 * then the check hashes the whole heap, as it would with no watch,
 * rather than miss a write. */
static void watch_off(struct sim_watch *w)
{
	mprotect(w->base, w->pages * SIM_PG, PROT_READ | PROT_WRITE);
	w->on = false;
}

void sim_watch_rearm(struct sim_instance *inst)
{
	struct sim_watch *w = inst->watch;
	if (w == NULL) {
		inst->watch = watch_new(inst);
		if (inst->watch != NULL && inst->watch->on)
			sim_signals_install();
		return;
	}
	if (!w->on)
		return;
	/* pages written one after the other (a model's chunk, an arena)
	 * are protected in one call */
	for (uint64_t i = 0, run; i < w->n_list; i += run) {
		uint64_t pg = w->list[i];
		for (run = 1; i + run < w->n_list &&
			      w->list[i + run] == pg + run; run++)
			;
		if (mprotect(w->base + pg * SIM_PG, run * SIM_PG, PROT_READ)) {
			watch_off(w);
			return;
		}
		for (uint64_t j = pg; j < pg + run; j++)
			w->written[j / 64] &= ~(1ull << (j % 64));
	}
	w->n_list = 0;
	/* a test framework may have taken SIGSEGV since the last TA run */
	sim_signals_install();
}

uint64_t sim_watch_written_bits(const struct sim_instance *inst,
				uint64_t word)
{
	const struct sim_watch *w = inst->watch;
	if (w == NULL || !w->on || word >= w->pages / 64 + 1)
		return ~0ull;
	uint64_t bits = w->written[word];
	uint64_t first = word * 64;
	if (w->pages < first + 64)	/* pages past the heap: unknown */
		bits |= ~0ull << (w->pages - first);
	return bits;
}

void sim_watch_stop(struct sim_instance *inst)
{
	struct sim_watch *w = inst->watch;
	if (w == NULL)
		return;
	if (w->on)
		mprotect(w->base, w->pages * SIM_PG, PROT_READ | PROT_WRITE);
	munmap(w, watch_bytes(w->pages));
	inst->watch = NULL;
}

/* How many pages to open from pg: one, or, when the pages before it
 * were written since the last check (a model's chunks copied into its
 * arena, a layer's output), as many again ahead, up to MAX_AHEAD and
 * the next page written already. Opening ahead everywhere cost as much
 * again in hashing pages not written as it saved in faults; a write
 * that runs on through pages goes on, and the pages just ahead of it
 * are mostly zeros, which cost the hashing little. */
#define MAX_AHEAD 16

static uint64_t ahead(const struct sim_watch *w, uint64_t pg)
{
	uint64_t behind = 0;
	while (behind < MAX_AHEAD && behind < pg &&
	       is_written(w, pg - behind - 1))
		behind++;
	uint64_t run = 1;
	while (run < behind + 1 && pg + run < w->pages &&
	       !is_written(w, pg + run))
		run++;
	return run;
}

/* In the signal handler: only the instances' lists and the watch's own
 * arrays are read, mprotect is async-signal-safe. */
bool sim_watch_on_fault(void *addr)
{
	const uint8_t *a = addr;
	for (struct sim_instance *i = sim_m.instances; i; i = i->next) {
		struct sim_watch *w = i->watch;
		if (w == NULL || !w->on || a < w->base ||
		    a >= w->base + w->pages * SIM_PG)
			continue;
		uint64_t pg = (uint64_t)(a - w->base) / SIM_PG;
		if (is_written(w, pg))	/* writable already */
			return false;
		uint64_t run = ahead(w, pg);
		if (mprotect(w->base + pg * SIM_PG, run * SIM_PG,
			     PROT_READ | PROT_WRITE)) {
			watch_off(w);	/* the write goes through */
			return true;
		}
		for (uint64_t j = pg; j < pg + run; j++) {
			w->written[j / 64] |= 1ull << (j % 64);
			w->list[w->n_list++] = j;
		}
		return true;
	}
	return false;
}
