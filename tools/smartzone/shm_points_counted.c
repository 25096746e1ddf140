/* The shared-memory window's points counted in the simulator
 * (shm_points.h): the host build's. */
#include <stdio.h>
#include <string.h>

#include "shm_points.h"
#include "sim.h"
#include "tee.h"
#include "tl_client.h"

/* The counters at the first progress call (after OPEN_MODEL) and at the
 * last (after the last chunk). */
struct marks {
	const TEEC_Session *s;
	struct sim_counters first, last;
};

static void mark(void *arg, uint64_t done, uint64_t total)
{
	struct marks *m = arg;
	if (done == 0)
		sim_counters_session(m->s, &m->first);
	if (done == total)
		sim_counters_session(m->s, &m->last);
}

int sz_shm_count_load(const uint8_t *blob, size_t size, uint64_t arena,
		      uint64_t window, struct sim_counters *out, char *err,
		      size_t err_len)
{
	struct tl_client c;
	struct marks m;
	memset(&m, 0, sizeof m);
	if (tl_client_open(&c, NULL, err, err_len))
		return -1;
	m.s = &c.session;
	struct tl_client_load_opts o = { .window = window, .progress = mark,
					 .progress_arg = &m, .arena = arena };
	int rc = tl_client_load_blob(&c, blob, size, &o, err, err_len);
	tl_client_close(&c);
	if (rc)
		return -1;
	sz_counters_sub(&m.last, &m.first, out);
	return 0;
}

static int count_windows(const struct mm_platform *p, const uint8_t *blob,
			 size_t size, uint64_t arena, struct mm_shm_point *pts,
			 size_t cap, size_t *n, char *err, size_t err_len)
{
	uint64_t w[SIM_COST_SHM_MAX_POINTS];
	size_t k = sz_shm_windows(p, w, SIM_COST_SHM_MAX_POINTS);
	for (*n = 0; *n < k && *n < cap; (*n)++) {
		struct sim_counters c;
		char why[512];
		if (sz_shm_count_load(blob, size, arena, w[*n], &c, err,
				      err_len))
			return -1;
		if (sim_cost_shm_point(&p->cost, w[*n], &c, &pts[*n], why,
				       sizeof why)) {
			snprintf(err, err_len, "costing the transfer at a "
				 "window of %llu bytes: %s",
				 (unsigned long long)w[*n], why);
			return -1;
		}
	}
	return 0;
}

int sz_shm_points_counted(const struct mm_platform *p,
			  const char *platform_path,
			  const struct mm_plan *layout, const uint8_t *blob,
			  size_t size, uint64_t arena,
			  struct mm_shm_point *pts, size_t cap, size_t *n,
			  char *err, size_t err_len)
{
	*n = 0;
	struct sz_tee t = { .platform_path = platform_path, .plan = layout,
			    .taint_off = true };
	if (sz_tee_start(&t, err, err_len))
		return -1;
	int rc = count_windows(p, blob, size, arena, pts, cap, n, err,
			       err_len);
	sz_tee_stop();
	return rc;
}
