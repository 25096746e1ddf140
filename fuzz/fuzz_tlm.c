/*
 * Fuzz target 2: a .tlm opened, planned and run on the smallest arena its
 * plan allows (S-Tinylib: tl_model_open, tl_plan, tl_run), and cut into
 * the baseline's steps (N-Tinylib: tl_baseline_split).
 *
 * Input: one flags byte, then the file. Flag 1 makes the file's size
 * field and CRC right before it is opened, so that the structural checks
 * (tables, tensors, layers, shapes, weight sizes), not the CRC, are what
 * the fuzzer explores; without it the CRC guards as it does for a user.
 *
 * Invariants, beyond ASan and UBSan's:
 * - a refusal names a known status and a field, and N-Tinylib can write
 *   its sentence;
 * - an opened model plans; the plan's arena holds at least the lower
 *   bound; tl_run on an arena one 16-byte step smaller refuses with
 *   TL_E_ARENA; on exactly the plan's arena (its own heap allocation, so
 *   ASan sees a byte past it) it runs, and its strict-mode output does not
 *   depend on what the arena held before (run twice over different
 *   garbage, compared bit for bit);
 * - every step tl_baseline_split makes opens and plans, and the steps run
 *   one after the other give the whole model's strict output bit for bit.
 * Models whose run would take long (more multiply-adds or arena than the
 * limits below) are opened and planned but not run.
 */
#include <stdbool.h>

#include "fuzz_input.h"
#include "tl_baseline.h"
#include "tl_engine.h"
#include "tl_model.h"
#include "tl_tlm_builder.h"

/* What a run may cost: about a millisecond at -O1 with ASan. */
#define RUN_MAX_MACS	(1u << 20)
#define RUN_MAX_ARENA	(1u << 20)
#define RUN_MAX_FLOATS	(1u << 18)	/* input or output elements */

enum { FLAG_FIX_CRC = 1, FLAG_FAST = 2, FLAG_SPLIT = 4 };

static void fix_size_and_crc(uint8_t *b, size_t n)
{
	if (n < TL_HEADER_SIZE + TL_CRC_SIZE)
		return;
	uint32_t size = (uint32_t)n;
	memcpy(b + 16, &size, 4);	/* docs/model-format.md: file size */
	uint32_t crc = tl_crc32(0, b, n - TL_CRC_SIZE);
	memcpy(b + n - TL_CRC_SIZE, &crc, 4);
}

static void check_refusal(enum tl_status s, const struct tl_model_error *e)
{
	char msg[512];
	if (s <= TL_OK || s > TL_E_LIMIT || e->code != s || e->field == NULL)
		fz_broken("tl_model_open: status %d, error code %d, field %p",
			  (int)s, (int)e->code, (const void *)e->field);
	tl_tlm_describe_error(e, "fuzz.tlm", msg, sizeof msg);
	if (strlen(msg) == 0)
		fz_broken("tl_tlm_describe_error wrote nothing for status %d",
			  (int)s);
}

static uint64_t model_macs(const struct tl_model *m)
{
	uint64_t macs = 0;
	for (uint32_t i = 0; i < m->layer_count; i++)
		macs += tl_baseline_layer_macs(m, i);
	return macs;
}

static float *floats(size_t n, uint8_t fill)
{
	float *p = malloc((n ? n : 1) * sizeof *p);
	if (p == NULL)
		abort();
	memset(p, fill, n * sizeof *p);
	return p;
}

/* tl_run on an arena of exactly arena bytes that held fill before. */
static enum tl_status run_on(const struct tl_model *m,
			     const struct tl_plan *plan, size_t arena,
			     uint8_t fill, const float *in, float *out,
			     enum tl_mode mode)
{
	uint8_t *a = aligned_alloc(TL_ALIGN, arena ? arena : TL_ALIGN);
	if (a == NULL)
		abort();
	memset(a, fill, arena);
	enum tl_status s = tl_run(m, plan, a, arena, in, out, mode);
	free(a);
	return s;
}

/* The model's input: the bytes after the file, repeated, as floats. */
static void fill_input(float *in, size_t n, const uint8_t *seed, size_t len)
{
	for (size_t i = 0; i < n; i++)
		in[i] = len ? (float)(int8_t)seed[i % len] / 16.0f
			    : (float)(i % 7) - 3.0f;
}

static void check_steps(const uint8_t *blob, size_t size, size_t budget,
			const float *in, const float *want, size_t n_out)
{
	struct tl_baseline b;
	char err[256];
	if (tl_baseline_split(blob, size, budget, &b, err, sizeof err) != 0) {
		if (strlen(err) == 0)
			fz_broken("tl_baseline_split refused without a reason");
		return;
	}
	float *act = floats(b.in_elements, 0);
	memcpy(act, in, b.in_elements * sizeof *act);
	struct tl_plan *plan = malloc(sizeof *plan);
	for (size_t i = 0; plan != NULL && i < b.n_steps; i++) {
		struct tl_model m;
		struct tl_model_error e;
		const struct tl_baseline_step *st = &b.steps[i];
		if (tl_model_open(st->blob, st->size, &m, &e) != TL_OK ||
		    tl_plan(&m, plan) != TL_OK || plan->arena_size != st->arena)
			fz_broken("baseline step %zu of %zu does not open or "
				  "plan as split", i, b.n_steps);
		float *next = floats(tl_model_output_elements(&m), 0);
		if (run_on(&m, plan, st->arena, 0x5a, act, next,
			   TL_MODE_STRICT) != TL_OK)
			fz_broken("baseline step %zu does not run", i);
		free(act);
		act = next;
	}
	if (memcmp(act, want, n_out * sizeof *act) != 0)
		fz_broken("the baseline's %zu steps do not give the model's "
			  "output", b.n_steps);
	free(act);
	free(plan);
	tl_baseline_free(&b);
}

static void check_runs(const struct tl_model *m, const struct tl_plan *p,
		       const uint8_t *blob, size_t size, uint8_t flags,
		       const uint8_t *seed, size_t seed_len)
{
	size_t n_in = tl_model_input_elements(m);
	size_t n_out = tl_model_output_elements(m);
	if (model_macs(m) > RUN_MAX_MACS || p->arena_size > RUN_MAX_ARENA ||
	    n_in > RUN_MAX_FLOATS || n_out > RUN_MAX_FLOATS)
		return;
	float *in = floats(n_in, 0), *a = floats(n_out, 0),
	      *b = floats(n_out, 0xff);
	fill_input(in, n_in, seed, seed_len);
	enum tl_mode mode = flags & FLAG_FAST ? TL_MODE_FAST : TL_MODE_STRICT;
	if (p->arena_size >= TL_ALIGN &&
	    run_on(m, p, p->arena_size - TL_ALIGN, 0, in, a, mode) !=
		    TL_E_ARENA)
		fz_broken("tl_run accepted an arena of %zu bytes, the plan "
			  "needs %zu", p->arena_size - TL_ALIGN, p->arena_size);
	enum tl_status s1 = run_on(m, p, p->arena_size, 0x00, in, a,
				   TL_MODE_STRICT);
	enum tl_status s2 = run_on(m, p, p->arena_size, 0xff, in, b, mode);
	if (s1 != TL_OK || s2 != TL_OK)
		fz_broken("tl_run on the plan's arena: %s, %s",
			  tl_status_str(s1), tl_status_str(s2));
	if (mode == TL_MODE_STRICT &&
	    memcmp(a, b, n_out * sizeof *a) != 0)
		fz_broken("strict output depends on the arena's old contents");
	if (flags & FLAG_SPLIT)
		check_steps(blob, size, seed_len ? 4096u * seed[0] : 1u << 16,
			    in, a, n_out);
	free(in);
	free(a);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t flags = fz_u8(&f);
	size_t n = fz_left(&f);
	/* the input after the file seeds the model's input values */
	size_t file = n;
	if (n >= TL_HEADER_SIZE) {
		uint32_t declared;
		memcpy(&declared, f.p + 16, 4);
		if (!(flags & FLAG_FIX_CRC) && declared < n)
			file = declared;
	}
	uint8_t *blob = aligned_alloc(TL_ALIGN,
				      (file + TL_ALIGN) / TL_ALIGN * TL_ALIGN);
	if (blob == NULL)
		abort();
	memcpy(blob, f.p, file);
	if (flags & FLAG_FIX_CRC)
		fix_size_and_crc(blob, file);
	struct tl_model m;
	struct tl_model_error e;
	enum tl_status s = tl_model_open(blob, file, &m, &e);
	if (s != TL_OK) {
		check_refusal(s, &e);
	} else {
		struct tl_plan *p = malloc(sizeof *p);
		if (p == NULL)
			abort();
		if (tl_plan(&m, p) != TL_OK)
			fz_broken("an opened model does not plan");
		if (p->arena_size < p->lower_bound)
			fz_broken("arena %zu below the lower bound %zu",
				  p->arena_size, p->lower_bound);
		check_runs(&m, p, blob, file, flags, f.p + file, n - file);
		free(p);
	}
	free(blob);
	return 0;
}
