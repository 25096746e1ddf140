/*
 * The model key: 32 bytes (AES-256), provisioned once per device into the
 * TA's private storage (OP-TEE encrypts it there with a key derived from
 * the hardware unique key) and set on each encrypted load's operation.
 * Its bytes sit in TA memory only while they are moved, and are zeroed
 * at once.
 */
#include "sz_ta.h"

static const char key_id[] = "sz-model-key";

TEE_Result sz_cmd_provision_key(uint32_t types, TEE_Param p[4])
{
	if (types != SZ_ONE_PARAM(TEE_PARAM_TYPE_MEMREF_INPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	uint8_t key[SZ_KEY_BYTES];
	TEE_ObjectHandle o = TEE_HANDLE_NULL;
	TEE_Result res = sz_take_exact(&p[0], key, sizeof key);
	if (res == TEE_SUCCESS)
		res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, key_id,
						 sizeof key_id - 1,
						 TEE_DATA_FLAG_ACCESS_READ |
						 TEE_DATA_FLAG_OVERWRITE,
						 TEE_HANDLE_NULL, key,
						 sizeof key, &o);
	if (res == TEE_SUCCESS)
		TEE_CloseObject(o);
	TEE_MemFill(key, 0, sizeof key);
	return res;
}

static TEE_Result read_key(uint8_t key[SZ_KEY_BYTES])
{
	TEE_ObjectHandle o = TEE_HANDLE_NULL;
	uint32_t got = 0;
	TEE_Result res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, key_id,
						  sizeof key_id - 1,
						  TEE_DATA_FLAG_ACCESS_READ |
						  TEE_DATA_FLAG_SHARE_READ,
						  &o);
	if (res != TEE_SUCCESS)
		return res;	/* ITEM_NOT_FOUND: never provisioned */
	res = TEE_ReadObjectData(o, key, SZ_KEY_BYTES, &got);
	TEE_CloseObject(o);
	if (res == TEE_SUCCESS && got != SZ_KEY_BYTES)
		res = TEE_ERROR_CORRUPT_OBJECT;
	return res;
}

/* The operation keeps its own copy of the key: the transient object and
 * the bytes read are gone when this returns. */
TEE_Result sz_key_set(TEE_OperationHandle op)
{
	uint8_t key[SZ_KEY_BYTES];
	TEE_ObjectHandle k = TEE_HANDLE_NULL;
	TEE_Attribute attr;
	TEE_Result res = read_key(key);
	if (res == TEE_SUCCESS)
		res = TEE_AllocateTransientObject(TEE_TYPE_AES,
						  SZ_KEY_BYTES * 8, &k);
	if (res == TEE_SUCCESS) {
		TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, key,
				     sizeof key);
		res = TEE_PopulateTransientObject(k, &attr, 1);
	}
	if (res == TEE_SUCCESS)
		res = TEE_SetOperationKey(op, k);
	if (k != TEE_HANDLE_NULL)
		TEE_FreeTransientObject(k);
	TEE_MemFill(key, 0, sizeof key);
	return res;
}
