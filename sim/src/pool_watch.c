/*
 * Which pages of the static shared pool the leakage check can leave out:
 * the clean ones, free (no shared buffer holds them) and zero. A window
 * wholly inside a zero page equals no secret (a chunk of zeros is of
 * little content, never one), so the scan looks only at the other pages
 * and the windows that reach into them. Without this it read the whole
 * pool (4 MiB on the RPi3) at every call to find it zero: AlexNet
 * provisions in 7,615 calls, 30 GB read, a third of the check's time.
 *
 * The pool allocator zeroes a buffer's pages when it gives them out and
 * when it takes them back (shm.c), so a page that is free is zero unless
 * something wrote it without owning it: a TA with a wild pointer, or the
 * normal world through sim_nw_write, or the client's own code through a
 * freed buffer's pointer. The clean pages are read-only: a write faults
 * once, and the SIGSEGV handler (world_switch.c) takes it here: the page
 * is no longer clean, made writable, and the write goes through. A
 * buffer given out is made writable, and read-only again when it is
 * freed (zeroed). Protecting them only while a TA ran cost two mprotect
 * calls over the whole pool at every call, more than the scan saved.
 * Nothing but the simulator's users writes to the pool: the kernel never
 * does into a free page, so no system call meets a read-only page.
 *
 * Off (every page scanned, as before) with the leakage check off, under
 * valgrind (memcheck reports the deliberate faults) and where host pages
 * are not 4 KiB.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim_internal.h"

static struct {
	uint64_t *clean;	/* a bit a pool page; NULL: none known clean */
	uint64_t pages;
} pw;

static bool is_clean(uint64_t pg)
{
	return pw.clean != NULL && pg < pw.pages &&
	       (pw.clean[pg / 64] >> (pg % 64) & 1);
}

static void set_clean(uint64_t pg, bool clean)
{
	if (pw.clean == NULL || pg >= pw.pages)
		return;
	if (clean)
		pw.clean[pg / 64] |= 1ull << (pg % 64);
	else
		pw.clean[pg / 64] &= ~(1ull << (pg % 64));
}

static bool zero(const uint8_t *p)
{
	for (uint64_t i = 0; i < SIM_PG; i += 8) {
		uint64_t v;
		memcpy(&v, p + i, sizeof v);
		if (v)
			return false;
	}
	return true;
}

/* Pages [first, end) clean and read-only, or as many as the kernel lets
 * be (a mapping it can not split leaves them unclean). */
static void protect(uint64_t first, uint64_t end)
{
	if (first >= end)
		return;
	bool ok = mprotect(sim_m.shm + first * SIM_PG, (end - first) * SIM_PG,
			   PROT_READ) == 0;
	for (uint64_t pg = first; pg < end; pg++)
		set_clean(pg, ok);
}

/* From what the pool holds now: each free page that is zero is clean
 * (one pass over the pool, the first time the watch is needed). */
static void start(void)
{
	if (sysconf(_SC_PAGESIZE) != (long)SIM_PG || sim_under_valgrind())
		return;
	pw.pages = sim_m.shm_size / SIM_PG;
	pw.clean = calloc(pw.pages / 64 + 1, sizeof *pw.clean);
	if (pw.clean == NULL)
		return;
	const struct sim_extents *e = &sim_m.pool;
	for (size_t i = 0; i < e->n; i++) {
		uint64_t pg = (SIM_PG_UP(e->free[i].start) - sim_m.shm_start) /
			      SIM_PG;
		uint64_t end = (SIM_PG_DOWN(e->free[i].start +
					    e->free[i].size) -
				sim_m.shm_start) / SIM_PG;
		while (pg < end) {
			uint64_t run = pg;
			while (run < end && zero(sim_m.shm + run * SIM_PG))
				run++;
			protect(pg, run);
			pg = run + (run < end);
		}
	}
}

void sim_pool_watch_arm(void)
{
	if (!sim_m.taint_on || sim_m.shm == NULL)
		sim_pool_watch_forget();	/* untracked from here */
	else if (pw.clean == NULL)
		start();
}

/* In the signal handler: only pw is touched, mprotect is
 * async-signal-safe. */
bool sim_pool_watch_on_fault(void *addr)
{
	const uint8_t *a = addr;
	if (pw.clean == NULL || a < sim_m.shm || a >= sim_m.shm + sim_m.shm_size)
		return false;
	uint64_t pg = (uint64_t)(a - sim_m.shm) / SIM_PG;
	if (!is_clean(pg))	/* writable already: not ours */
		return false;
	set_clean(pg, false);
	return mprotect(sim_m.shm + pg * SIM_PG, SIM_PG,
			PROT_READ | PROT_WRITE) == 0;
}

void sim_pool_watch_mark(uint64_t off, uint64_t len, bool clean)
{
	if (pw.clean == NULL || len == 0)
		return;
	if (clean) {	/* whole pages only */
		protect(SIM_PG_UP(off) / SIM_PG, (off + len) / SIM_PG);
		return;
	}
	uint64_t first = off / SIM_PG, end = SIM_PG_UP(off + len) / SIM_PG;
	mprotect(sim_m.shm + first * SIM_PG, (end - first) * SIM_PG,
		 PROT_READ | PROT_WRITE);
	for (uint64_t pg = first; pg < end; pg++)
		set_clean(pg, false);
}

bool sim_pool_watch_clean(uint64_t pg)
{
	return is_clean(pg);
}

void sim_pool_watch_forget(void)
{
	if (pw.clean != NULL)
		mprotect(sim_m.shm, pw.pages * SIM_PG, PROT_READ | PROT_WRITE);
	free(pw.clean);
	pw.clean = NULL;
	pw.pages = 0;
}
