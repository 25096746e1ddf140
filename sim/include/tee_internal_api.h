/*
 * The GlobalPlatform TEE Internal Core API (TEE Internal Core API
 * Specification v1.1, GPD_SPE_010): the subset a Smart-Zone TA uses.
 * A TA includes this header and nothing of the simulator; the same
 * sources build against OP-TEE's dev kit, whose header has these names.
 *
 * Implemented here (host simulator, sim/src/): the entry points the TA
 * provides; the TA's own size properties; memory (TEE_Malloc/Realloc/Free from a heap of exactly
 * TA_DATA_SIZE, TEE_MemMove/Fill/Compare, TEE_CheckMemoryAccessRights);
 * TEE_Panic; transient objects and AES-GCM through mbedTLS; persistent
 * objects in TEE_STORAGE_PRIVATE; TEE_GenerateRandom. See
 * docs/simulator.md for what the simulator checks around them.
 */
#ifndef TEE_INTERNAL_API_H
#define TEE_INTERNAL_API_H

#include <stddef.h>
#include <stdint.h>

#include "tee_api_defines.h"
#include "tee_api_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Spec 4.3: the TA's entry points, which the TA defines. */
#define TA_EXPORT
TEE_Result TA_EXPORT TA_CreateEntryPoint(void);
void TA_EXPORT TA_DestroyEntryPoint(void);
TEE_Result TA_EXPORT TA_OpenSessionEntryPoint(uint32_t paramTypes,
					      TEE_Param params[4],
					      void **sessionContext);
void TA_EXPORT TA_CloseSessionEntryPoint(void *sessionContext);
TEE_Result TA_EXPORT TA_InvokeCommandEntryPoint(void *sessionContext,
						uint32_t commandID,
						uint32_t paramTypes,
						TEE_Param params[4]);

/* Spec 4.4: properties. Only TEE_PROPSET_CURRENT_TA's gpd.ta.dataSize
 * and gpd.ta.stackSize (the TA's sizes, or sim_config's override);
 * anything else is TEE_ERROR_ITEM_NOT_FOUND. */
TEE_Result TEE_GetPropertyAsU32(TEE_PropSetHandle propsetOrEnumerator,
				const char *name, uint32_t *value);

/* Spec 4.8: the TA stops; its sessions see TEE_ERROR_TARGET_DEAD. */
void TEE_Panic(TEE_Result panicCode)
#if defined(__GNUC__)
	__attribute__((noreturn))
#endif
	;

/* Spec 4.11: memory. */
TEE_Result TEE_CheckMemoryAccessRights(uint32_t accessFlags, void *buffer,
				       uint32_t size);
void *TEE_Malloc(uint32_t size, uint32_t hint);
void *TEE_Realloc(void *buffer, uint32_t newSize);
void TEE_Free(void *buffer);
void TEE_MemMove(void *dest, const void *src, uint32_t size);
int32_t TEE_MemCompare(const void *buffer1, const void *buffer2,
		       uint32_t size);
void TEE_MemFill(void *buffer, uint32_t x, uint32_t size);

/* Spec 5.5: generic object functions. */
TEE_Result TEE_GetObjectInfo1(TEE_ObjectHandle object,
			      TEE_ObjectInfo *objectInfo);
void TEE_CloseObject(TEE_ObjectHandle object);

/* Spec 5.6: transient objects. */
TEE_Result TEE_AllocateTransientObject(TEE_ObjectType objectType,
				       uint32_t maxObjectSize,
				       TEE_ObjectHandle *object);
void TEE_FreeTransientObject(TEE_ObjectHandle object);
void TEE_ResetTransientObject(TEE_ObjectHandle object);
TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle object,
				       const TEE_Attribute *attrs,
				       uint32_t attrCount);
void TEE_InitRefAttribute(TEE_Attribute *attr, uint32_t attributeID,
			  const void *buffer, uint32_t length);
void TEE_InitValueAttribute(TEE_Attribute *attr, uint32_t attributeID,
			    uint32_t a, uint32_t b);

/* Spec 5.7 and 5.9: persistent objects and their data stream. */
TEE_Result TEE_OpenPersistentObject(uint32_t storageID, const void *objectID,
				    uint32_t objectIDLen, uint32_t flags,
				    TEE_ObjectHandle *object);
TEE_Result TEE_CreatePersistentObject(uint32_t storageID,
				      const void *objectID,
				      uint32_t objectIDLen, uint32_t flags,
				      TEE_ObjectHandle attributes,
				      const void *initialData,
				      uint32_t initialDataLen,
				      TEE_ObjectHandle *object);
TEE_Result TEE_CloseAndDeletePersistentObject1(TEE_ObjectHandle object);
TEE_Result TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer,
			      uint32_t size, uint32_t *count);
TEE_Result TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer,
			       uint32_t size);
TEE_Result TEE_SeekObjectData(TEE_ObjectHandle object, int32_t offset,
			      TEE_Whence whence);

/* Spec 6.2: operations. */
TEE_Result TEE_AllocateOperation(TEE_OperationHandle *operation,
				 uint32_t algorithm, uint32_t mode,
				 uint32_t maxKeySize);
void TEE_FreeOperation(TEE_OperationHandle operation);
TEE_Result TEE_SetOperationKey(TEE_OperationHandle operation,
			       TEE_ObjectHandle key);

/* Spec 6.5: authenticated encryption (TEE_ALG_AES_GCM). tagLen of
 * TEE_AEInit is in bits, that of the final calls in bytes. */
TEE_Result TEE_AEInit(TEE_OperationHandle operation, const void *nonce,
		      uint32_t nonceLen, uint32_t tagLen, uint32_t AADLen,
		      uint32_t payloadLen);
void TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata,
		     uint32_t AADdataLen);
TEE_Result TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData,
			uint32_t srcLen, void *destData, uint32_t *destLen);
TEE_Result TEE_AEEncryptFinal(TEE_OperationHandle operation,
			      const void *srcData, uint32_t srcLen,
			      void *destData, uint32_t *destLen, void *tag,
			      uint32_t *tagLen);
TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle operation,
			      const void *srcData, uint32_t srcLen,
			      void *destData, uint32_t *destLen, void *tag,
			      uint32_t tagLen);

/* Spec 6.9 */
void TEE_GenerateRandom(void *randomBuffer, uint32_t randomBufferLen);

#ifdef __cplusplus
}
#endif

#endif
