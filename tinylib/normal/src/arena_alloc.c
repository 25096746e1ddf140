/* tl_arena_alloc (tl_arena.h). */
#include <stdint.h>
#include <stdlib.h>

#include "tl_arena.h"
#include "tl_engine.h"

void *tl_arena_alloc(size_t bytes)
{
	const size_t a = TL_ARENA_FAST_ALIGN;
	if (bytes > SIZE_MAX - a)
		return NULL;
	/* aligned_alloc wants a multiple of the alignment */
	return aligned_alloc(a, (bytes + a) / a * a);
}
