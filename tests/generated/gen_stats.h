/*
 * The counts of a run of generated models: how many were generated,
 * checked, planned and refused for size on each platform (with the
 * smallest and largest file of each), run, compared across
 * architectures; and what the models held (layer types, activations,
 * the rarer shapes), so that a run can assert the generator still draws
 * everything it promises.
 */
#ifndef GEN_STATS_H
#define GEN_STATS_H

#include <stdint.h>

#include "model_gen.h"
#include "model_oracle.h"

/* The smallest and largest of some sizes, and how many. */
struct gen_range {
	unsigned n;
	uint64_t min, max;
};

struct gen_stats {
	unsigned generated, checked, skipped, failures, cross_compared, ran;
	unsigned planned[GEN_PLATFORMS], refused[GEN_PLATFORMS];
	unsigned refused_shm[GEN_PLATFORMS];	/* of them: for the shared
						 * memory one inference needs */
	unsigned by_fit[GEN_PLATFORMS], by_points[GEN_PLATFORMS];
	struct gen_range planned_bytes[GEN_PLATFORMS];
	struct gen_range refused_bytes[GEN_PLATFORMS];
	double needs_min[GEN_PLATFORMS], needs_max[GEN_PLATFORMS]; /* MiB */
	struct gen_range files, arenas, layers;
	unsigned types[TL_LAYER_TYPE_END], acts[GEN_ACTIVATIONS];
	unsigned depthwise, grouped, smaller_from, larger_from, yolo_softmax;
	unsigned route_inputs[TL_MAX_INPUTS + 1], output_not_last, shared;
	unsigned shuffled, gaps, sessions_over_one;
	double seconds;
};

/* Counts one model that held every check. */
void gen_stats_add(struct gen_stats *st, const struct gen_model *m,
		   const struct gen_check_opts *o,
		   const struct gen_outcome *out);

/* The counts for people (cmocka's print_message). */
void gen_stats_print(const struct gen_stats *st, uint64_t first,
		     uint64_t count, uint64_t every);

/* The counts as "key value" lines into path (nothing when NULL), for
 * ci/generate-check.sh to add up. */
void gen_stats_write(const struct gen_stats *st, const char *path);

/* Fails the test unless the run held every layer type and activation,
 * depthwise and grouped convolutions, a yolo head with softmax classes,
 * shortcuts from smaller and larger
 * inputs, 4-input routes, both window rules on each platform, and files
 * from under 1 KiB to over 10 MiB. */
void gen_stats_assert_coverage(const struct gen_stats *st);

#endif
