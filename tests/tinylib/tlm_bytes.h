/* A .tlm's little-endian words read and written in place, and its CRC
 * made right again after a change (docs/model-format.md): for the tests
 * that edit a model's bytes to see what tl_model_open says. */
#ifndef TL_TEST_TLM_BYTES_H
#define TL_TEST_TLM_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void set32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* the CRC over the bytes before it, as the format defines it */
static inline void fix_crc(uint8_t *blob, size_t size)
{
	set32(blob + size - TL_CRC_SIZE, tl_crc32(0, blob, size - TL_CRC_SIZE));
}

#endif
