/*
 * The GP functions the Unicorn runner does not serve (sim_uc_svc.h):
 * the TA links against them, and a session that reaches one stops with
 * the runner naming it. The TA's plaintext load, run and report need
 * none of them.
 */
#include <stdint.h>

#include <tee_internal_api.h>

#include "sim_uc_svc.h"

static _Noreturn void not_served(uint64_t which)
{
	register uint64_t x8 __asm__("x8") = SIM_UC_SVC_NOT_SERVED;
	register uint64_t x0 __asm__("x0") = which;
	__asm__ volatile("svc #0" : : "r"(x8), "r"(x0) : "memory");
	for (;;)
		;
}

void TEE_CloseObject(TEE_ObjectHandle o)
{
	(void)o;
	not_served(SIM_UC_OBJECTS);
}

TEE_Result TEE_AllocateTransientObject(TEE_ObjectType t, uint32_t size,
				       TEE_ObjectHandle *o)
{
	(void)t, (void)size, (void)o;
	not_served(SIM_UC_OBJECTS);
}

void TEE_FreeTransientObject(TEE_ObjectHandle o)
{
	(void)o;
	not_served(SIM_UC_OBJECTS);
}

TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle o,
				       const TEE_Attribute *attrs,
				       uint32_t count)
{
	(void)o, (void)attrs, (void)count;
	not_served(SIM_UC_OBJECTS);
}

void TEE_InitRefAttribute(TEE_Attribute *attr, uint32_t id,
			  const void *buffer, uint32_t length)
{
	(void)attr, (void)id, (void)buffer, (void)length;
	not_served(SIM_UC_OBJECTS);
}

TEE_Result TEE_OpenPersistentObject(uint32_t storage, const void *id,
				    uint32_t id_len, uint32_t flags,
				    TEE_ObjectHandle *o)
{
	(void)storage, (void)id, (void)id_len, (void)flags, (void)o;
	not_served(SIM_UC_OBJECTS);
}

TEE_Result TEE_CreatePersistentObject(uint32_t storage, const void *id,
				      uint32_t id_len, uint32_t flags,
				      TEE_ObjectHandle attrs,
				      const void *data, uint32_t data_len,
				      TEE_ObjectHandle *o)
{
	(void)storage, (void)id, (void)id_len, (void)flags, (void)attrs;
	(void)data, (void)data_len, (void)o;
	not_served(SIM_UC_OBJECTS);
}

TEE_Result TEE_ReadObjectData(TEE_ObjectHandle o, void *buffer,
			      uint32_t size, uint32_t *count)
{
	(void)o, (void)buffer, (void)size, (void)count;
	not_served(SIM_UC_OBJECTS);
}

TEE_Result TEE_AllocateOperation(TEE_OperationHandle *op, uint32_t alg,
				 uint32_t mode, uint32_t max_key)
{
	(void)op, (void)alg, (void)mode, (void)max_key;
	not_served(SIM_UC_OPERATIONS);
}

void TEE_FreeOperation(TEE_OperationHandle op)
{
	(void)op;
	not_served(SIM_UC_OPERATIONS);
}

TEE_Result TEE_SetOperationKey(TEE_OperationHandle op, TEE_ObjectHandle key)
{
	(void)op, (void)key;
	not_served(SIM_UC_OPERATIONS);
}

TEE_Result TEE_AEInit(TEE_OperationHandle op, const void *nonce,
		      uint32_t nonce_len, uint32_t tag_bits,
		      uint32_t aad_len, uint32_t payload_len)
{
	(void)op, (void)nonce, (void)nonce_len, (void)tag_bits;
	(void)aad_len, (void)payload_len;
	not_served(SIM_UC_OPERATIONS);
}

void TEE_AEUpdateAAD(TEE_OperationHandle op, const void *aad, uint32_t len)
{
	(void)op, (void)aad, (void)len;
	not_served(SIM_UC_OPERATIONS);
}

TEE_Result TEE_AEUpdate(TEE_OperationHandle op, const void *src,
			uint32_t src_len, void *dest, uint32_t *dest_len)
{
	(void)op, (void)src, (void)src_len, (void)dest, (void)dest_len;
	not_served(SIM_UC_OPERATIONS);
}

TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle op, const void *src,
			      uint32_t src_len, void *dest,
			      uint32_t *dest_len, void *tag, uint32_t tag_len)
{
	(void)op, (void)src, (void)src_len, (void)dest, (void)dest_len;
	(void)tag, (void)tag_len;
	not_served(SIM_UC_OPERATIONS);
}
