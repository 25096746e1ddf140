/*
 * Zeroed arrays for the leakage check's large hash tables (the known
 * set, the kept secrets): every lookup lands on a random page of them,
 * and with 4 KiB pages each also missed the TLB, so a large one is a
 * mapping of its own on huge pages where the host has them. Fresh
 * pages are zero: clearing them again, as calloc's or memset's caller
 * would, doubled the kernel's work, which was a tenth of AlexNet's run.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "sim_internal.h"

#define HUGE_PG (2u << 20)	/* x86-64's and arm64's 2 MiB */

void *sim_huge_zeroed(size_t bytes)
{
	if (bytes < HUGE_PG)
		return calloc(1, bytes ? bytes : 1);
	/* mapped HUGE_PG more and cut to a HUGE_PG boundary: a huge page
	 * must start on one */
	uint8_t *m = mmap(NULL, bytes + HUGE_PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	size_t head = (HUGE_PG - (uintptr_t)m % HUGE_PG) % HUGE_PG;
	if (head)
		munmap(m, head);
	munmap(m + head + bytes, HUGE_PG - head);
	madvise(m + head, bytes, MADV_HUGEPAGE);	/* a hint */
	return m + head;
}

void sim_huge_free(void *p, size_t bytes)
{
	if (bytes < HUGE_PG)
		free(p);
	else if (p != NULL)
		munmap(p, bytes);
}
