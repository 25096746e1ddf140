/* The normal side's check and plan of a .tlm (blob_plan.h). */
#include <stdlib.h>
#include <string.h>

#include "blob_plan.h"
#include "client_internal.h"
#include "tl_engine.h"
#include "tl_tlm_builder.h"

static int open_and_plan(const uint8_t *blob, size_t size, const char *name,
			 struct tl_blob_plan *out, char *err, size_t err_len)
{
	struct tl_plan *plan = malloc(sizeof *plan);	/* about 46 KiB */
	struct tl_model m;
	struct tl_model_error merr;
	int st = TL_CLIENT_OK;
	if (!plan) {
		st = tl_client_fail(err, err_len, TL_CLIENT_E_NOMEM,
				    "%s: out of memory", name);
	} else if (tl_model_open(blob, size, &m, &merr) != TL_OK) {
		tl_tlm_describe_error(&merr, name, err, err_len);
		st = TL_CLIENT_E_MODEL;
	} else if (tl_plan(&m, plan) != TL_OK) {
		st = tl_client_fail(err, err_len, TL_CLIENT_E_MODEL, "%s: "
				    "S-Tinylib can not plan its arena", name);
	} else {
		struct tl_tensor t;
		tl_model_tensor(&m, m.input, &t);
		*out = (struct tl_blob_plan){
			.arena = plan->arena_size,
			.input_elements = tl_model_input_elements(&m),
			.output_elements = tl_model_output_elements(&m),
			.input_c = t.c, .input_h = t.h, .input_w = t.w,
		};
	}
	free(plan);
	return st;
}

int tl_blob_plan(const uint8_t *blob, size_t size, const char *name,
		 struct tl_blob_plan *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	if ((uintptr_t)blob % TL_ALIGN == 0)
		return open_and_plan(blob, size, name, out, err, err_len);
	/* tl_model_open reads weights in place: it wants 16-byte alignment */
	uint8_t *copy = aligned_alloc(TL_ALIGN, (size + TL_ALIGN) / TL_ALIGN *
				      TL_ALIGN);
	if (!copy)
		return tl_client_fail(err, err_len, TL_CLIENT_E_NOMEM,
				      "%s: out of memory", name);
	memcpy(copy, blob, size);
	int st = open_and_plan(copy, size, name, out, err, err_len);
	free(copy);
	return st;
}
