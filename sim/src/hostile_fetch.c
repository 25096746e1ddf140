/*
 * Hostile normal world, mode 1: the double-fetch trap. While a TA runs,
 * the pages of the memrefs it was given are inaccessible (PROT_NONE).
 * Each access faults; the SIGSEGV handler notes a read of the byte at the
 * faulting address, opens the page and sets the trap flag (x86-64 EFLAGS
 * bit 8, TF); after that one instruction the SIGTRAP handler rewrites the
 * byte just read, as a normal-world thread racing the TA would, and
 * closes the page again. A read of a byte that was read before and
 * rewritten since is a double fetch: the TA checked one value and used
 * another. TEE_MemMove, TEE_MemCompare and the system calls read each
 * byte of their source once (sim_df_bulk_*), then the whole range is
 * rewritten; so a TA that copies its input once and works on the copy
 * passes, and a TA that reads a length twice in place is caught.
 *
 * Limits: a fault names only the first byte of an access, so a re-read
 * is caught when it starts at a byte read before (a field read again the
 * same way), not when a later read covers only the tail of an earlier
 * one. Writes are let through untouched. Needs the trap flag (x86-64
 * only: qemu-user for aarch64 has no single step) and no valgrind (it
 * reports the deliberate faults as invalid reads): elsewhere
 * sim_hostile_set refuses with the reason.
 *
 * The handlers touch only this file's state, kept in its own mappings so
 * that it never shares a page with client memory being trapped. Events
 * become violations when the trap is disarmed, outside signal context.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "sim_internal.h"

#if defined(__x86_64__)
#define DF_POSSIBLE 1
#define TRAP_FLAG 0x100ull	/* EFLAGS.TF (Intel SDM vol. 1, 3.4.3) */
#endif

enum {
	WATCHED = 1,		/* a byte of a memref */
	READ = 2,		/* read by the TA since the call began */
	REWRITTEN = 4,		/* changed by the normal world since */
};

#define MAX_PAGES	4096	/* 16 MiB of memrefs per call */
#define MAX_EVENTS	64
#define MAX_STEP	4	/* pages one instruction may open */

struct page {
	uint8_t *addr;
	uint8_t state[SIM_PG];
};

struct df {
	bool armed;
	size_t n_pages;
	struct page *pages;	/* mmap'd, MAX_PAGES */
	uint8_t *step_page[MAX_STEP];
	size_t n_step;
	uint8_t *step_read[MAX_STEP];
	size_t n_step_read;
	uint8_t *events[MAX_EVENTS];
	size_t n_events, lost_events;
};

static struct df df;

int sim_hostile_set(unsigned modes, char *why, size_t why_len)
{
	if (modes & ~SIM_HOSTILE_DOUBLE_FETCH) {
		if (why)
			snprintf(why, why_len, "unknown hostile mode 0x%x",
				 modes);
		return SIM_E_ARG;
	}
	if (modes & SIM_HOSTILE_DOUBLE_FETCH) {
#ifndef DF_POSSIBLE
		if (why)
			snprintf(why, why_len, "the double-fetch trap single-"
				 "steps with the x86-64 trap flag; this build "
				 "is for another architecture (and qemu-user "
				 "gives aarch64 programs no single step)");
		return SIM_E_UNSUPPORTED;
#endif
		if (sim_under_valgrind()) {
			if (why)
				snprintf(why, why_len, "the double-fetch trap "
					 "faults on purpose, which valgrind "
					 "reports as invalid reads");
			return SIM_E_UNSUPPORTED;
		}
	}
	if (sim_machine_ensure())
		return SIM_E_LAYOUT;
	sim_m.hostile = modes;
	return SIM_OK;
}

bool sim_df_armed(void)
{
	return df.armed;
}

static struct page *page_of(const void *p)
{
	uint8_t *a = (uint8_t *)SIM_PG_DOWN((uintptr_t)p);
	for (size_t i = 0; i < df.n_pages; i++)
		if (df.pages[i].addr == a)
			return &df.pages[i];
	return NULL;
}

static void protect(uint8_t *page, bool open)
{
	mprotect(page, SIM_PG, open ? PROT_READ | PROT_WRITE : PROT_NONE);
}

static void event(uint8_t *byte)
{
	for (size_t i = 0; i < df.n_events; i++)
		if (df.events[i] == byte)
			return;
	if (df.n_events < MAX_EVENTS)
		df.events[df.n_events++] = byte;
	else
		df.lost_events++;
}

/* One read of a watched byte. */
static void read_byte(struct page *pg, uint8_t *byte)
{
	uint8_t *st = &pg->state[byte - pg->addr];
	if (!(*st & WATCHED))
		return;
	if ((*st & (READ | REWRITTEN)) == (READ | REWRITTEN))
		event(byte);
	*st = (uint8_t)((*st | READ) & ~REWRITTEN);
}

/* The normal world changes a byte the TA has read. */
static void rewrite_byte(struct page *pg, uint8_t *byte)
{
	uint8_t *st = &pg->state[byte - pg->addr];
	if ((*st & (WATCHED | READ)) != (WATCHED | READ))
		return;
	*byte ^= 0xA5;	/* any change will do; this one flips half the bits */
	*st |= REWRITTEN;
	sim_taint_nw_wrote(byte);	/* the normal world's write */
}

static int add_range(uint8_t *p, uint64_t n)
{
	for (uint64_t off = 0; off < n;) {
		uint8_t *a = (uint8_t *)SIM_PG_DOWN((uintptr_t)(p + off));
		struct page *pg = page_of(a);
		if (pg == NULL) {
			if (df.n_pages == MAX_PAGES)
				return -1;
			pg = &df.pages[df.n_pages++];
			pg->addr = a;
			memset(pg->state, 0, sizeof pg->state);
		}
		uint64_t end = (uint64_t)(a + SIM_PG - p);
		if (end > n)
			end = n;
		for (uint64_t i = off; i < end; i++)
			pg->state[p + i - a] |= WATCHED;
		off = end;
	}
	return 0;
}

int sim_df_arm(const struct sim_msg_param p[4])
{
#ifndef DF_POSSIBLE
	return -1;	/* sim_hostile_set has refused the mode already */
#endif
	if (df.pages == NULL) {
		void *m = mmap(NULL, MAX_PAGES * sizeof *df.pages,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED)
			return -1;
		df.pages = m;
	}
	df.n_pages = df.n_step = df.n_step_read = 0;
	df.n_events = df.lost_events = 0;
	for (int i = 0; i < 4; i++)
		if (sim_type_is_memref(p[i].type) && p[i].size > 0 &&
		    add_range(p[i].host, p[i].size))
			return -1;
	for (size_t i = 0; i < df.n_pages; i++)
		protect(df.pages[i].addr, false);
	df.armed = df.n_pages > 0;
	return df.armed ? 0 : -1;
}

void sim_df_disarm(const struct sim_instance *inst, unsigned session)
{
	if (!df.armed)
		return;
	for (size_t i = 0; i < df.n_pages; i++)
		protect(df.pages[i].addr, true);
	df.armed = false;
	for (size_t i = 0; i < df.n_events; i++) {
		uint8_t *b = df.events[i];
		struct sim_shm *s = sim_shm_find(b, 1);
		uint64_t phys = s ? s->phys + (uint64_t)(b - s->host) : 0;
		const char *region = s && s->pool ? "shmem"
						  : "registered memory";
		sim_violation_add(SIM_V_DOUBLE_FETCH, phys, 0, 1, session,
				  region,
				  "TA %s read the shared byte at 0x%llx (%s) "
				  "again after the normal world rewrote it: "
				  "copy shared input once, then check and use "
				  "the copy",
				  inst->ta->name,
				  (unsigned long long)phys, region);
	}
	if (df.lost_events)
		fprintf(stderr, "sim: %zu further double fetches not "
				"recorded\n", df.lost_events);
}

/* One bulk pass over [p, p + n), page by page: each watched page is
 * opened; on the way in every byte read is noted (begin), on the way out
 * every byte read is rewritten and the page closed (end). */
static void bulk(const void *p, uint64_t n, bool write, bool begin)
{
	if (!df.armed)
		return;
	uint8_t *b = (uint8_t *)p;
	for (uint64_t off = 0; off < n;) {
		uint8_t *a = (uint8_t *)SIM_PG_DOWN((uintptr_t)(b + off));
		struct page *pg = page_of(a);
		uint64_t end = (uint64_t)(a + SIM_PG - b);
		if (end > n)
			end = n;
		if (pg != NULL) {
			protect(a, true);	/* a neighbour may have closed it */
			for (uint64_t i = off; !write && i < end; i++)
				(begin ? read_byte : rewrite_byte)(pg, b + i);
			if (!begin)
				protect(a, false);
		}
		off = end;
	}
}

void sim_df_bulk_begin(const void *p, uint64_t n, bool write)
{
	bulk(p, n, write, true);
}

void sim_df_bulk_end(const void *p, uint64_t n, bool write)
{
	bulk(p, n, write, false);
}

bool sim_df_on_fault(void *addr, bool write, void *uctx)
{
#ifdef DF_POSSIBLE
	if (!df.armed || df.n_step == MAX_STEP)
		return false;
	struct page *pg = page_of(addr);
	if (pg == NULL)
		return false;
	protect(pg->addr, true);
	df.step_page[df.n_step++] = pg->addr;
	if (!write && df.n_step_read < MAX_STEP) {
		read_byte(pg, addr);
		df.step_read[df.n_step_read++] = addr;
	}
	((ucontext_t *)uctx)->uc_mcontext.gregs[REG_EFL] |= TRAP_FLAG;
	return true;
#else
	(void)addr, (void)write, (void)uctx;
	return false;
#endif
}

bool sim_df_on_trap(void *uctx)
{
#ifdef DF_POSSIBLE
	if (!df.armed || df.n_step == 0)
		return false;
	((ucontext_t *)uctx)->uc_mcontext.gregs[REG_EFL] &= ~TRAP_FLAG;
	for (size_t i = 0; i < df.n_step_read; i++)
		rewrite_byte(page_of(df.step_read[i]), df.step_read[i]);
	for (size_t i = 0; i < df.n_step; i++)
		protect(df.step_page[i], false);
	df.n_step = df.n_step_read = 0;
	return true;
#else
	(void)uctx;
	return false;
#endif
}
