/*
 * Commands that probe the TEE for the simulator's tests: how much heap
 * TEE_Malloc gives, TEE_Realloc and the hints, a stack overflow, and
 * TEE_CheckMemoryAccessRights on each kind of memory.
 */
#include "sztest_good.h"

static const uint32_t none = TEE_PARAM_TYPE_NONE;

/* Allocates blocks of the given size until TEE_Malloc says no, chained
 * through their first word, then frees them all. */
static uint32_t fill_heap(uint32_t block)
{
	void *head = NULL;
	uint32_t n = 0;
	for (;;) {
		void **b = TEE_Malloc(block, TEE_USER_MEM_HINT_NO_FILL_ZERO);
		if (b == NULL)
			break;
		*b = head;
		head = b;
		n++;
	}
	while (head != NULL) {
		void *next = *(void **)head;
		TEE_Free(head);
		head = next;
	}
	return n;
}

/* TEE_Malloc's zero fill, TEE_Realloc keeping the contents, a refused
 * hint, a zero-size block, TEE_Free(NULL). */
static uint32_t heap_rules(void)
{
	uint32_t ok = 1;
	uint8_t *z = TEE_Malloc(64, TEE_MALLOC_FILL_ZERO);
	if (z == NULL)
		return 0;
	for (int i = 0; i < 64; i++)
		ok &= z[i] == 0;
	TEE_MemFill(z, 0x5A, 64);
	uint8_t *r = TEE_Realloc(z, 4096);
	if (r == NULL)
		return 0;
	for (int i = 0; i < 64; i++)
		ok &= r[i] == 0x5A;
	TEE_Free(r);
	ok &= TEE_Malloc(16, 0x1234) == NULL;
	void *zero = TEE_Malloc(0, TEE_MALLOC_FILL_ZERO);
	ok &= zero != NULL;
	TEE_Free(zero);
	TEE_Free(NULL);
	return ok;
}

TEE_Result cmd_heap_probe(uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
				     TEE_PARAM_TYPE_VALUE_OUTPUT, none, none) ||
	    p[0].value.a < sizeof(void *))
		return TEE_ERROR_BAD_PARAMETERS;
	p[1].value.a = fill_heap(p[0].value.a);
	p[1].value.b = heap_rules();
	return TEE_SUCCESS;
}

/* 256 bytes of stack a level, kept live so no level can be folded. */
static uint32_t dive(uint32_t depth)
{
	volatile uint8_t frame[256];
	for (uint32_t i = 0; i < sizeof frame; i++)
		frame[i] = (uint8_t)(depth + i);
	if (depth == 0)
		return frame[0];
	return dive(depth - 1) + frame[255];
}

TEE_Result cmd_recurse(uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, none, none,
				     none))
		return TEE_ERROR_BAD_PARAMETERS;
	return dive(p[0].value.a) == 0xFFFFFFFFu ? TEE_ERROR_GENERIC
						 : TEE_SUCCESS;
}

TEE_Result cmd_access(uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_OUTPUT,
				     TEE_PARAM_TYPE_VALUE_OUTPUT, none) ||
	    p[0].memref.size == 0 || p[1].memref.size == 0)
		return TEE_ERROR_BAD_PARAMETERS;
	const uint32_t rw = TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE;
	const uint32_t any = TEE_MEMORY_ACCESS_ANY_OWNER;
	void *in = p[0].memref.buffer, *out = p[1].memref.buffer;
	uint32_t in_size = p[0].memref.size, out_size = p[1].memref.size;
	uint8_t local[32];
	void *heap = TEE_Malloc(32, TEE_MALLOC_FILL_ZERO);
	uint32_t bits = 0;
	if (heap && TEE_CheckMemoryAccessRights(rw, heap, 32) == TEE_SUCCESS)
		bits |= 1;
	if (TEE_CheckMemoryAccessRights(rw, local, sizeof local) == TEE_SUCCESS)
		bits |= 2;
	if (TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ, in, in_size) ==
	    TEE_ERROR_ACCESS_DENIED)
		bits |= 4;	/* shared: only with ANY_OWNER */
	if (TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ | any, in,
					in_size) == TEE_SUCCESS)
		bits |= 8;
	if (TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_WRITE | any, in,
					in_size) == TEE_ERROR_ACCESS_DENIED)
		bits |= 16;	/* an input is not for writing */
	if (TEE_CheckMemoryAccessRights(rw | any, out, out_size) == TEE_SUCCESS)
		bits |= 32;
	if (TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ | any, in,
					in_size + 4096) ==
	    TEE_ERROR_ACCESS_DENIED)
		bits |= 64;	/* past the memref */
	TEE_Free(heap);
	p[2].value.a = bits;
	return TEE_SUCCESS;
}
