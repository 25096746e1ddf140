/*
 * The Internal Core API's memory functions (spec 4.11) and TEE_Panic
 * (4.8). TEE_Malloc and friends are library code in OP-TEE's libutee,
 * run on the TA's stack, and so they are here; the heap is heap.c's.
 *
 * TEE_MemMove, TEE_MemCompare and TEE_MemFill touch each byte once; with
 * the double-fetch trap armed they tell it so in one go, which is what
 * makes "copy the shared input once with TEE_MemMove" the idiom that
 * passes.
 *
 * TEE_CheckMemoryAccessRights knows the instance's heap and stack (the
 * TA's own memory) and the memrefs of the current call (shared with the
 * client, so only with TEE_MEMORY_ACCESS_ANY_OWNER; input memrefs not for
 * writing). Anything else is refused, including the TA's static data,
 * which the simulator can not tell from the host program's (OP-TEE would
 * accept that).
 */
#include <string.h>

#include "sim_internal.h"

void TEE_Panic(TEE_Result panicCode)
{
	sim_panic(panicCode, "TEE_Panic(0x%08x)", (unsigned)panicCode);
}

void *TEE_Malloc(uint32_t size, uint32_t hint)
{
	struct sim_instance *inst = sim_current();
	/* other hints: OP-TEE's libutee refuses them with NULL */
	if (hint != TEE_MALLOC_FILL_ZERO &&
	    hint != TEE_USER_MEM_HINT_NO_FILL_ZERO)
		return NULL;
	if (sim_fault_now("TEE_Malloc"))
		return NULL;
	void *p = sim_heap_alloc(&inst->heap, size);
	if (p != NULL && hint == TEE_MALLOC_FILL_ZERO)
		memset(p, 0, size);
	return p;
}

void *TEE_Realloc(void *buffer, uint32_t newSize)
{
	struct sim_instance *inst = sim_current();
	bool bad;
	if (sim_fault_now("TEE_Realloc"))
		return NULL;	/* the block stays, as when out of memory */
	void *p = sim_heap_realloc(&inst->heap, buffer, newSize, &bad);
	if (bad)	/* spec: a buffer TEE_Malloc did not give panics */
		sim_panic(TEE_ERROR_BAD_PARAMETERS,
			  "TEE_Realloc(%p): not a block of the TA heap", buffer);
	return p;
}

void TEE_Free(void *buffer)
{
	if (buffer == NULL)
		return;
	struct sim_instance *inst = sim_current();
	if (sim_heap_free(&inst->heap, buffer))
		sim_panic(TEE_ERROR_BAD_PARAMETERS,
			  "TEE_Free(%p): not a block of the TA heap", buffer);
}

void TEE_MemMove(void *dest, const void *src, uint32_t size)
{
	if (size == 0)
		return;
	bool df = sim_df_armed();
	if (df) {
		sim_df_bulk_begin(src, size, false);
		sim_df_bulk_begin(dest, size, true);
	}
	memmove(dest, src, size);
	if (df) {
		sim_df_bulk_end(dest, size, true);
		sim_df_bulk_end(src, size, false);
	}
}

int32_t TEE_MemCompare(const void *buffer1, const void *buffer2,
		       uint32_t size)
{
	if (size == 0)
		return 0;
	bool df = sim_df_armed();
	if (df) {
		sim_df_bulk_begin(buffer1, size, false);
		sim_df_bulk_begin(buffer2, size, false);
	}
	int r = memcmp(buffer1, buffer2, size);
	if (df) {
		sim_df_bulk_end(buffer2, size, false);
		sim_df_bulk_end(buffer1, size, false);
	}
	return r < 0 ? -1 : r > 0;
}

void TEE_MemFill(void *buffer, uint32_t x, uint32_t size)
{
	if (size == 0)
		return;
	bool df = sim_df_armed();
	if (df)
		sim_df_bulk_begin(buffer, size, true);
	memset(buffer, (int)(uint8_t)x, size);
	if (df)
		sim_df_bulk_end(buffer, size, true);
}

static bool within(const void *p, uint64_t n, const uint8_t *base,
		   uint64_t size)
{
	const uint8_t *q = p;
	return q >= base && n <= size && (uint64_t)(q - base) <= size - n;
}

bool sim_ta_owns(const void *p, uint64_t n)
{
	const struct sim_instance *inst = sim_current();
	return within(p, n, inst->heap_base, inst->data_size) ||
	       within(p, n, inst->stack, inst->stack_size);
}

const struct sim_msg_param *sim_ta_param_of(const void *p, uint64_t n)
{
	const struct sim_msg_param *q = sim_current()->params;
	for (int i = 0; q != NULL && i < 4; i++)
		if (sim_type_is_memref(q[i].type) && q[i].host != NULL &&
		    within(p, n, q[i].host, q[i].size))
			return &q[i];
	return NULL;
}

TEE_Result TEE_CheckMemoryAccessRights(uint32_t accessFlags, void *buffer,
				       uint32_t size)
{
	if ((uintptr_t)buffer + size < (uintptr_t)buffer)
		return TEE_ERROR_ACCESS_DENIED;
	if (size == 0 || sim_ta_owns(buffer, size))
		return TEE_SUCCESS;
	const struct sim_msg_param *q = sim_ta_param_of(buffer, size);
	if (q == NULL || !(accessFlags & TEE_MEMORY_ACCESS_ANY_OWNER))
		return TEE_ERROR_ACCESS_DENIED;
	if ((accessFlags & TEE_MEMORY_ACCESS_WRITE) &&
	    q->type == TEE_PARAM_TYPE_MEMREF_INPUT)
		return TEE_ERROR_ACCESS_DENIED;
	return TEE_SUCCESS;
}

/* A buffer a system call is given: the TA's own memory, a memref of the
 * call, or memory outside everything the simulator models (the TA's
 * image: constants, static data). Secure memory of another instance, or
 * shared memory not given in this call, panics the TA, as OP-TEE's
 * access-rights check of system-call buffers does. */
static void check_buffer(const void *p, uint64_t n)
{
	if (n == 0)
		return;
	if ((uintptr_t)p + n < (uintptr_t)p)
		sim_panic(TEE_ERROR_BAD_PARAMETERS, "buffer %p + %llu wraps",
			  p, (unsigned long long)n);
	if (sim_ta_owns(p, n) || sim_ta_param_of(p, n) != NULL)
		return;
	const uint8_t *q = p;
	bool modelled = (q + n > sim_m.tz && q < sim_m.tz + sim_m.tz_size) ||
			(q + n > sim_m.shm && q < sim_m.shm + sim_m.shm_size) ||
			sim_shm_find(p, 1) != NULL;
	if (modelled)
		sim_panic(TEE_ERROR_ACCESS_DENIED,
			  "buffer %p + %llu is not this TA's memory", p,
			  (unsigned long long)n);
}

void sim_from_ta(void *core_dst, const void *ta_src, uint64_t n)
{
	if (n == 0)
		return;
	check_buffer(ta_src, n);
	bool df = sim_df_armed();
	if (df)
		sim_df_bulk_begin(ta_src, n, false);
	memcpy(core_dst, ta_src, n);
	if (df)
		sim_df_bulk_end(ta_src, n, false);
}

void sim_to_ta(void *ta_dst, const void *core_src, uint64_t n)
{
	if (n == 0)
		return;
	check_buffer(ta_dst, n);
	bool df = sim_df_armed();
	if (df)
		sim_df_bulk_begin(ta_dst, n, true);
	memcpy(ta_dst, core_src, n);
	if (df)
		sim_df_bulk_end(ta_dst, n, true);
}
