/*
 * Shared memory: buffers from the static pool (CFG_SHMEM, what
 * TEEC_AllocateSharedMemory gives here) and client buffers registered
 * with the TEE (TEEC_RegisterSharedMemory), each given physical pages in
 * the normal world's DRAM window. Pool buffers are whole 4 KiB pages, as
 * the Linux TEE driver hands out, so no two share a page.
 *
 * SMCs: registering and releasing a registered buffer enter the TEE
 * (OP-TEE's register/unregister messages); allocating from the static
 * pool does not (the pool is shared once at boot). All three count as
 * shm_registrations. What TEEC_AllocateSharedMemory gives depends on the
 * platform (mm_platform.h, client_shm): the pool, or, as Linux 4.16 and
 * later do with OP-TEE's dynamic shared memory, pages of the client's
 * registered like any other (seen on OP-TEE 4.10 under QEMU: one SMC to
 * allocate, one to release, docs/qemu.md).
 */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static const uint32_t known_flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;

static struct sim_shm *track(struct sim_shm *s)
{
	s->id = sim_next_id();
	s->next = sim_m.shms;
	sim_m.shms = s;
	return s;
}

struct sim_shm *sim_shm_pool_alloc(struct sim_ctx *ctx, uint64_t size,
				   uint32_t flags)
{
	struct sim_shm *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->span = SIM_PG_UP(size ? size : 1);
	if (sim_extents_alloc(&sim_m.pool, s->span, SIM_PG, &s->span_phys)) {
		free(s);
		return NULL;
	}
	s->ctx = ctx;
	s->phys = s->span_phys;
	s->host = sim_m.shm + (s->phys - sim_m.shm_start);
	s->size = size;
	s->flags = flags;
	s->pool = true;
	/* writable before it is zeroed: free pages are read-only */
	sim_pool_watch_mark(s->span_phys - sim_m.shm_start, s->span, false);
	memset(s->host, 0, s->span);
	return track(s);
}

struct sim_shm *sim_shm_register(struct sim_ctx *ctx, void *buffer,
				 uint64_t size, uint32_t flags)
{
	struct sim_shm *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	uint64_t in_page = (uintptr_t)buffer & (SIM_PG - 1);
	s->span = SIM_PG_UP(in_page + (size ? size : 1));
	if (sim_extents_alloc(&sim_m.nw, s->span, SIM_PG, &s->span_phys)) {
		free(s);
		return NULL;
	}
	s->ctx = ctx;
	s->phys = s->span_phys + in_page;
	s->host = buffer;
	s->size = size;
	s->flags = flags;
	return track(s);
}

unsigned sim_shm_client_smc(void)
{
	return sim_m.platform.client_shm == MM_SHM_REGISTERED ? 1 : 0;
}

struct sim_shm *sim_shm_client_alloc(struct sim_ctx *ctx, uint64_t size,
				     uint32_t flags)
{
	if (!sim_shm_client_smc())
		return sim_shm_pool_alloc(ctx, size, flags);
	uint64_t span = SIM_PG_UP(size ? size : 1);
	void *host = aligned_alloc(SIM_PG, span);
	if (host == NULL)
		return NULL;
	memset(host, 0, span);
	struct sim_shm *s = sim_shm_register(ctx, host, size, flags);
	if (s == NULL) {
		free(host);
		return NULL;
	}
	s->owns_host = true;
	return s;
}

void sim_shm_free(struct sim_shm *s)
{
	for (struct sim_shm **pp = &sim_m.shms; *pp; pp = &(*pp)->next) {
		if (*pp != s)
			continue;
		*pp = s->next;
		if (s->pool) {	/* the next user starts from zeros */
			memset(s->host, 0, s->span);
			sim_pool_watch_mark(s->span_phys - sim_m.shm_start,
					    s->span, true);
		}
		sim_extents_free(s->pool ? &sim_m.pool : &sim_m.nw,
				 s->span_phys, s->span);
		if (s->owns_host)
			free(s->host);
		free(s);
		return;
	}
}

bool sim_shm_valid(const struct sim_shm *s)
{
	for (const struct sim_shm *t = sim_m.shms; t; t = t->next)
		if (t == s)
			return true;
	return false;
}

struct sim_shm *sim_shm_find(const void *host, uint64_t len)
{
	const uint8_t *p = host;
	for (struct sim_shm *s = sim_m.shms; s; s = s->next)
		if (p >= s->host && len <= s->size &&
		    (uint64_t)(p - s->host) <= s->size - len)
			return s;
	return NULL;
}

static bool usable(TEEC_Context *context, TEEC_SharedMemory *m)
{
	return context != NULL && context->imp.ctx != NULL && m != NULL &&
	       m->flags != 0 && (m->flags & ~known_flags) == 0 &&
	       m->size <= TEEC_CONFIG_SHAREDMEM_MAX_SIZE;
}

TEEC_Result TEEC_AllocateSharedMemory(TEEC_Context *context,
				      TEEC_SharedMemory *sharedMem)
{
	if (!usable(context, sharedMem))
		return TEEC_ERROR_BAD_PARAMETERS;
	struct sim_shm *s = sim_shm_client_alloc(context->imp.ctx,
						 sharedMem->size,
						 sharedMem->flags);
	if (s == NULL)
		return TEEC_ERROR_OUT_OF_MEMORY;
	sharedMem->buffer = s->host;
	sharedMem->imp.shm = s;
	sim_count(NULL, &(struct sim_counters){ .smc = sim_shm_client_smc(),
						.shm_registrations = 1 });
	return TEEC_SUCCESS;
}

TEEC_Result TEEC_RegisterSharedMemory(TEEC_Context *context,
				      TEEC_SharedMemory *sharedMem)
{
	if (!usable(context, sharedMem) || sharedMem->buffer == NULL)
		return TEEC_ERROR_BAD_PARAMETERS;
	struct sim_shm *s = sim_shm_register(context->imp.ctx,
					     sharedMem->buffer,
					     sharedMem->size,
					     sharedMem->flags);
	if (s == NULL)
		return TEEC_ERROR_OUT_OF_MEMORY;
	sharedMem->imp.shm = s;
	sim_count(NULL, &(struct sim_counters){ .smc = 1,
						.shm_registrations = 1 });
	return TEEC_SUCCESS;
}

void TEEC_ReleaseSharedMemory(TEEC_SharedMemory *sharedMem)
{
	if (sharedMem == NULL || !sim_shm_valid(sharedMem->imp.shm))
		return;
	struct sim_shm *s = sharedMem->imp.shm;
	bool pool = s->pool, allocated = s->owns_host;
	sim_shm_free(s);
	sharedMem->imp.shm = NULL;
	if (pool || allocated)	/* the memory is no longer the client's */
		sharedMem->buffer = NULL;
	sim_count(NULL, &(struct sim_counters){ .smc = pool ? 0 : 1,
						.shm_registrations = 1 });
}
