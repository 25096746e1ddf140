/*
 * Transfer-time points for the planner's shared-memory window fit
 * (mm_shm_fit.h), from the simulator: the model provisioned through the
 * real TA at windows of 4 KiB, 8 KiB, ... up to the static shared
 * memory's size, each run's counted transfer (the LOAD_CHUNK calls)
 * costed for the board by the cost model (sim_cost_shm_point).
 */
#ifndef SZ_SHM_POINTS_H
#define SZ_SHM_POINTS_H

#include <stddef.h>
#include <stdint.h>

#include "mm_plan.h"
#include "sim_cost.h"

/* The smallest window: one 4 KiB page (MM_PLAN_PAGE, the planner's). */
#define SZ_SHM_MIN_WINDOW	MM_PLAN_PAGE

/* The windows for platform p: SZ_SHM_MIN_WINDOW doubled while it stays
 * within the static shared memory; at most cap into w, returns how
 * many. */
size_t sz_shm_windows(const struct mm_platform *p, uint64_t *w, size_t cap);

/* With the simulator configured: opens a session, provisions the .tlm
 * blob (arena: its tl_plan arena, so that the client need not check it
 * again) through window and gives the counters of its LOAD_CHUNK calls
 * alone (from the progress callback's first call, after OPEN_MODEL, to
 * its last). 0, or -1 with a sentence in err. */
int sz_shm_count_load(const uint8_t *blob, size_t size, uint64_t arena,
		      uint64_t window, struct sim_counters *out, char *err,
		      size_t err_len);

/*
 * The points: the simulator configured for platform_path with layout
 * (a plan of the model: TZDRAM and TA_DATA_SIZE that hold it), the
 * leakage check off (it is not the point here, and costs 0.35 ms a call,
 * docs/simulator.md), one provisioning per window. p must have cost
 * figures. blob is a .tlm, arena its tl_plan arena. *n points into pts
 * (cap at least SIM_COST_SHM_MAX_POINTS).
 */
int sz_shm_points_counted(const struct mm_platform *p,
			  const char *platform_path,
			  const struct mm_plan *layout, const uint8_t *blob,
			  size_t size, uint64_t arena,
			  struct mm_shm_point *pts, size_t cap, size_t *n,
			  char *err, size_t err_len);

/* The same law without running anything: sim_cost_shm_points over the
 * same windows (the counters sim_cost_shm_counters gives, which the
 * counted ones equal: tests/tools/test_shm_points.c). For a model the
 * normal world can not provision by itself (an encrypted one). */
int sz_shm_points_modelled(const struct mm_platform *p, uint64_t total,
			   struct mm_shm_point *pts, size_t cap, size_t *n,
			   char *err, size_t err_len);

#endif
