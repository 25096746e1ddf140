/* The shared-memory windows and their points modelled from the cost
 * model's transfer law (shm_points.h); shm_points_counted.c counts them
 * in the simulator. */
#include <stdio.h>

#include "shm_points.h"

size_t sz_shm_windows(const struct mm_platform *p, uint64_t *w, size_t cap)
{
	size_t n = 0;
	for (uint64_t x = SZ_SHM_MIN_WINDOW; x <= p->shmem_size; x *= 2)
		if (n < cap)
			w[n++] = x;
	return n;
}

int sz_shm_points_modelled(const struct mm_platform *p, uint64_t total,
			   struct mm_shm_point *pts, size_t cap, size_t *n,
			   char *err, size_t err_len)
{
	uint64_t w[SIM_COST_SHM_MAX_POINTS];
	size_t k = sz_shm_windows(p, w, SIM_COST_SHM_MAX_POINTS);
	*n = 0;
	if (!k) {
		snprintf(err, err_len, "%s: static shared memory of %llu "
			 "bytes holds no %u-byte window", p->name,
			 (unsigned long long)p->shmem_size,
			 (unsigned)SZ_SHM_MIN_WINDOW);
		return -1;
	}
	return sim_cost_shm_points(&p->cost, total, 0, w[0], w[k - 1], pts,
				   cap, n, err, err_len) ? -1 : 0;
}
