/*
 * The four functions a freestanding GCC may call by itself (GCC's manual,
 * "Standards": memcpy, memmove, memset and memcmp), for the TA's code
 * under the Unicorn runner, as OP-TEE's libutils gives them to a TA.
 * Each source byte is read once (the runner's double-fetch hook counts
 * reads of shared memory), eight at a time where both ends allow.
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
void *memset(void *dest, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

static int aligned8(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & 7u) == 0;
}

static void copy_up(uint8_t *d, const uint8_t *s, size_t n)
{
	size_t i = 0;
	if (aligned8(d, s))
		for (; i + 8 <= n; i += 8)
			*(uint64_t *)(void *)(d + i) =
				*(const uint64_t *)(const void *)(s + i);
	for (; i < n; i++)
		d[i] = s[i];
}

static void copy_down(uint8_t *d, const uint8_t *s, size_t n)
{
	size_t i = n;
	if (aligned8(d + n, s + n))
		for (; i >= 8; i -= 8)
			*(uint64_t *)(void *)(d + i - 8) =
				*(const uint64_t *)(const void *)(s + i - 8);
	for (; i > 0; i--)
		d[i - 1] = s[i - 1];
}

void *memmove(void *dest, const void *src, size_t n)
{
	if ((uintptr_t)dest <= (uintptr_t)src)
		copy_up(dest, src, n);
	else
		copy_down(dest, src, n);
	return dest;
}

void *memcpy(void *dest, const void *src, size_t n)
{
	copy_up(dest, src, n);
	return dest;
}

void *memset(void *dest, int c, size_t n)
{
	uint8_t *d = dest;
	size_t i = 0;
	uint64_t word = 0x0101010101010101ull * (uint8_t)c;
	if (((uintptr_t)d & 7u) == 0)
		for (; i + 8 <= n; i += 8)
			*(uint64_t *)(void *)(d + i) = word;
	for (; i < n; i++)
		d[i] = (uint8_t)c;
	return dest;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}
