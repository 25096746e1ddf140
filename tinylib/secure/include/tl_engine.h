/*
 * S-Tinylib's engine: plan the one arena a model needs, then run it there.
 *
 *   struct tl_plan *plan = ...;            (about 46 KiB: caller's memory)
 *   if (tl_plan(&model, plan) != TL_OK) ...
 *   void *arena = ...plan->arena_size bytes, 16-byte aligned (64 for
 *                  speed on AVX-512: TL_ARENA_FAST_ALIGN)...;
 *   tl_run(&model, plan, arena, plan->arena_size, input, output,
 *          TL_MODE_STRICT);
 *
 * The arena holds every activation, placed by liveness (a tensor's bytes
 * are reused once no later layer reads it), and each layer's kernel
 * workspace, alive during that layer only. Weights are read in place from
 * the model. Nothing here allocates.
 */
#ifndef TL_ENGINE_H
#define TL_ENGINE_H

#include "tl_model.h"
#include "tl_planner.h"

#define TL_MAX_PLAN_BUFFERS (2 * TL_MAX_LAYERS + 1)

/* tl_run needs an arena aligned to TL_ALIGN; one aligned to a cache line
 * runs faster where vectors are a cache line wide (AVX-512): otherwise
 * each 64-byte load and store of a tensor spans two lines. ResNet-18 in
 * fast mode on an AMD EPYC (Zen 4), arena at a line + 16 -> on a line:
 * 46.2 -> 44.5 ms, median of 15 runs. NEON's 16-byte vectors never span
 * two lines of an arena on TL_ALIGN, so the TA keeps that. */
#define TL_ARENA_FAST_ALIGN 64

struct tl_plan {
	size_t arena_size;          /* what tl_run needs */
	size_t lower_bound;         /* the most activation bytes alive at once */
	size_t workspace_bytes;     /* the largest kernel workspace */
	size_t darknet_style_bytes; /* a buffer per layer output + full im2col */
	uint32_t tensor_count, layer_count;
	size_t tensor_offset[TL_MAX_TENSORS];   /* activations only */
	size_t workspace_offset[TL_MAX_LAYERS];
	uint32_t workspace_size[TL_MAX_LAYERS]; /* bytes (295 KiB at most);
						 * 0: none */
	/* the planner's storage */
	struct tl_plan_buffer buffers[TL_MAX_PLAN_BUFFERS];
	int order[TL_MAX_PLAN_BUFFERS];
};

/* The convolution parameters of an opened model's conv layer, as tl_run
 * gives them to tl_conv (and tl_plan to tl_conv_workspace_floats). */
void tl_conv_params_of(const struct tl_model *m, const struct tl_layer *l,
		       struct tl_conv_params *p);

/* Plans an opened model's arena. */
enum tl_status tl_plan(const struct tl_model *model, struct tl_plan *plan);

/* Elements of the model's input and output tensors. */
size_t tl_model_input_elements(const struct tl_model *model);
size_t tl_model_output_elements(const struct tl_model *model);

/*
 * Runs the model: input (tl_model_input_elements floats) in, output
 * (tl_model_output_elements floats) out, every intermediate in the arena.
 * TL_E_ARENA if the arena is smaller than plan->arena_size or misaligned.
 */
enum tl_status tl_run(const struct tl_model *model, const struct tl_plan *plan,
		      void *arena, size_t arena_size, const float *input,
		      float *output, enum tl_mode mode);

/*
 * tl_run a layer at a time, for a caller that times or schedules the
 * layers itself (make bench's per-layer figures): tl_run_start (the
 * arena's checks and the input), then tl_run_layer for index 0, 1, ...,
 * layer_count - 1 in turn, then tl_run_finish (the output), with the same
 * model, plan and arena throughout. tl_run is exactly these three.
 */
enum tl_status tl_run_start(const struct tl_model *model,
			    const struct tl_plan *plan, void *arena,
			    size_t arena_size, const float *input);
void tl_run_layer(const struct tl_model *model, const struct tl_plan *plan,
		  void *arena, uint32_t index, enum tl_mode mode);
void tl_run_finish(const struct tl_model *model, const struct tl_plan *plan,
		   const void *arena, float *output);

#endif /* TL_ENGINE_H */
