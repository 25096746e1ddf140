/*
 * The GP Internal Core API for the TA's code under the Unicorn runner:
 * what OP-TEE's libutee does inside a TA. Memory copies run here, in the
 * guest, so that their instructions are counted; the heap, properties
 * and panics are SVCs the runner serves (sim_uc_svc.h).
 */
#include <stdint.h>
#include <string.h>

#include <tee_internal_api.h>

#include "sim_uc_svc.h"

static uint64_t svc3(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t x8 __asm__("x8") = nr;
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2)
			 : "memory");
	return x0;
}

void TEE_Panic(TEE_Result code)
{
	svc3(SIM_UC_SVC_PANIC, code, 0, 0);
	for (;;)
		;
}

void *TEE_Malloc(uint32_t size, uint32_t hint)
{
	return (void *)(uintptr_t)svc3(SIM_UC_SVC_MALLOC, size, hint, 0);
}

void *TEE_Realloc(void *buffer, uint32_t size)
{
	return (void *)(uintptr_t)svc3(SIM_UC_SVC_REALLOC, (uintptr_t)buffer,
				       size, 0);
}

void TEE_Free(void *buffer)
{
	svc3(SIM_UC_SVC_FREE, (uintptr_t)buffer, 0, 0);
}

TEE_Result TEE_GetPropertyAsU32(TEE_PropSetHandle set, const char *name,
				uint32_t *value)
{
	return (TEE_Result)svc3(SIM_UC_SVC_PROPERTY_U32, (uintptr_t)set,
				(uintptr_t)name, (uintptr_t)value);
}

TEE_Result TEE_CheckMemoryAccessRights(uint32_t flags, void *buffer,
				       uint32_t size)
{
	return (TEE_Result)svc3(SIM_UC_SVC_ACCESS_RIGHTS, flags,
				(uintptr_t)buffer, size);
}

/* As libutee: the library functions (string.c here, libutils there). */
void TEE_MemMove(void *dest, const void *src, uint32_t size)
{
	memmove(dest, src, size);
}

int32_t TEE_MemCompare(const void *a, const void *b, uint32_t size)
{
	return memcmp(a, b, size);
}

void TEE_MemFill(void *buffer, uint32_t x, uint32_t size)
{
	memset(buffer, (int)x, size);
}
