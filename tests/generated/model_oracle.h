/*
 * What every valid model must do, checked on one model file:
 *
 * 1. tl_model_open accepts it;
 * 2. `smartzone plan --json` on each platform either plans it (valid
 *    JSON, every invariant held, the model's bytes as its weights, a
 *    window of whole pages within the static shared memory) or refuses
 *    it for size alone: "model needs X MiB of TA RAM ..., the platform
 *    can give at most Y MiB" with X > Y;
 * 3. `smartzone run` (sz_run, what the command runs) on one platform
 *    holds every check of the simulator, and its outputs are
 *    bit-identical to tlmrun's strict run on this host (tl_model_open,
 *    tl_plan, tl_run: what tlmrun does).
 *
 * The outputs' digest is returned for the cross-architecture check.
 */
#ifndef GEN_MODEL_ORACLE_H
#define GEN_MODEL_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GEN_PLATFORMS 2
extern const char *const gen_platforms[GEN_PLATFORMS];

struct gen_check_opts {
	const char *dir;	/* where the model and input files go */
	const char *name;	/* the model's name there (NAME.tlm) */
	unsigned sessions;	/* smartzone plan --sessions */
	int run_platform;	/* index into gen_platforms */
	bool double_fetch;	/* arm the simulator's trap in the run */
	uint64_t input_seed;	/* the input drawn from it ... */
	const char *input_path;	/* ... or this file's float32 values (a
				 * kept regression's), when not NULL */
};

struct gen_plan_outcome {
	bool planned;		/* else refused for size: */
	bool by_shared_memory;	/* one inference's input and output, not
				 * the TA RAM */
	double needs_mib, gives_mib;	/* a refusal's numbers */
	uint64_t window;	/* a plan's shared-memory window */
	bool fit_applied;	/* the window from the exponential fit */
};

struct gen_outcome {
	uint64_t file_bytes, arena_bytes;
	struct gen_plan_outcome plan[GEN_PLATFORMS];
	bool ran;		/* sz_run planned it with one session */
	uint64_t digest;	/* FNV-1a of the strict outputs' bytes */
	char failure[2048];	/* empty when every check held */
};

/* Checks the model (blob: 16-byte aligned) as above; 0 when every check
 * held, else -1 with the first broken one in out->failure. */
int gen_check_model(const uint8_t *blob, size_t size,
		    const struct gen_check_opts *o, struct gen_outcome *out);

#endif
