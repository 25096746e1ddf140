/*
 * The TA's heap as the TA accounts for it. OPEN_MODEL must know, before
 * it allocates anything, whether the model, its arena and its plan fit
 * what is left of TA_DATA_SIZE, and REPORT tells what the TA holds; the
 * Internal Core API gives neither figure, so every block the TA takes
 * goes through here, costed as the allocator lays it out, and is zeroed
 * before it is given back.
 */
#include "sz_ta.h"

/* A block's header: bget's struct bhead on a 64-bit TA (two longs), and
 * the simulator's, which copies it. */
#define BLOCK_HEADER	16u

/* The heap a block of n bytes takes: the header and the payload rounded
 * to 16 bytes (bget's SizeQuant on a 64-bit TA; the simulator's). */
static uint64_t block_cost(uint64_t n)
{
	uint64_t payload = n ? (n + SZ_ALIGN - 1) / SZ_ALIGN * SZ_ALIGN
			     : SZ_ALIGN;
	return BLOCK_HEADER + payload;
}

/* A buffer is asked for with SZ_ALIGN - 1 bytes of slack to align it. */
uint64_t sz_buf_cost(uint64_t size)
{
	return block_cost(size + SZ_ALIGN - 1);
}

TEE_Result sz_heap_room(const struct sz_session *s, uint64_t bytes)
{
	/* 64-bit sums of 32-bit sizes: nothing here can wrap */
	if (s->heap_used + SZ_HEAP_RESERVE + bytes > s->heap_size)
		return TEE_ERROR_OUT_OF_MEMORY;
	return TEE_SUCCESS;
}

static void account(struct sz_session *s, uint64_t cost)
{
	s->heap_used += cost;
	if (s->heap_used > s->heap_peak)
		s->heap_peak = s->heap_used;
}

TEE_Result sz_buf_alloc(struct sz_session *s, struct sz_buf *b, uint32_t size)
{
	uint64_t want = (uint64_t)size + SZ_ALIGN - 1;
	if (want > UINT32_MAX)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_Result res = sz_heap_room(s, block_cost(want));
	if (res != TEE_SUCCESS)
		return res;
	uint8_t *base = TEE_Malloc((uint32_t)want, TEE_MALLOC_FILL_ZERO);
	if (base == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	uintptr_t skip = (SZ_ALIGN - (uintptr_t)base % SZ_ALIGN) % SZ_ALIGN;
	*b = (struct sz_buf){ base, base + skip, size, (uint32_t)want };
	account(s, block_cost(want));
	return TEE_SUCCESS;
}

void sz_buf_free(struct sz_session *s, struct sz_buf *b)
{
	if (b->base == NULL)
		return;
	TEE_MemFill(b->base, 0, b->taken);
	TEE_Free(b->base);
	s->heap_used -= block_cost(b->taken);
	*b = (struct sz_buf){ NULL, NULL, 0, 0 };
}

TEE_Result sz_session_new(struct sz_session **out)
{
	uint32_t heap = 0;
	/* TA_DATA_SIZE as OP-TEE publishes it; not the macro, so that a TA
	 * rebuilt with another user_ta_header_defines.h needs no change */
	TEE_Result res = TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA,
					      "gpd.ta.dataSize", &heap);
	if (res != TEE_SUCCESS)
		return res;
	struct sz_session *s = TEE_Malloc(sizeof *s, TEE_MALLOC_FILL_ZERO);
	if (s == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	s->heap_size = heap;
	s->op = TEE_HANDLE_NULL;
	account(s, block_cost(sizeof *s));
	*out = s;
	return TEE_SUCCESS;
}

void sz_session_free(struct sz_session *s)
{
	TEE_MemFill(s, 0, sizeof *s);
	TEE_Free(s);
}
