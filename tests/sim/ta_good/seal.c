/*
 * AES-GCM commands: SZTEST_CMD_SEAL and SZTEST_CMD_UNSEAL with the TA's
 * own key, kept in a persistent object (created with a random key on the
 * first session), and SZTEST_CMD_GCM, a known-answer check with the key
 * and nonce given, updating in pieces of a given size. Shared input is
 * copied once; results are built in the heap and written out once.
 */
#include "sztest_good.h"

TEE_Result load_key(struct session *s)
{
	static const char id[] = SZTEST_KEY_ID;
	TEE_ObjectHandle o;
	TEE_Result res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, id,
						  sizeof id - 1,
						  TEE_DATA_FLAG_ACCESS_READ, &o);
	if (res == TEE_ERROR_ITEM_NOT_FOUND) {
		TEE_GenerateRandom(s->key, sizeof s->key);
		return TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, id,
						  sizeof id - 1,
						  TEE_DATA_FLAG_ACCESS_READ,
						  TEE_HANDLE_NULL, s->key,
						  sizeof s->key, NULL);
	}
	if (res != TEE_SUCCESS)
		return res;
	uint32_t got = 0;
	res = TEE_ReadObjectData(o, s->key, sizeof s->key, &got);
	TEE_CloseObject(o);
	if (res == TEE_SUCCESS && got != sizeof s->key)
		res = TEE_ERROR_CORRUPT_OBJECT;
	return res;
}

struct gcm_job {
	const uint8_t *key;
	uint32_t key_len, mode;
	const uint8_t *nonce, *aad, *src;
	uint32_t aad_len, len, chunk;
	uint8_t *dst, *tag;	/* tag: written (encrypt) or checked */
};

/* The payload in pieces of j->chunk through TEE_AEUpdate (0: none), the
 * rest through the final call. */
static TEE_Result run_gcm(TEE_OperationHandle op, const struct gcm_job *j)
{
	uint32_t done = 0, produced = 0, n;
	TEE_Result res;
	while (j->chunk && j->len - done > j->chunk) {
		n = j->len - produced;
		res = TEE_AEUpdate(op, j->src + done, j->chunk,
				   j->dst + produced, &n);
		if (res != TEE_SUCCESS)
			return res;
		done += j->chunk;
		produced += n;
	}
	n = j->len - produced;
	if (j->mode == TEE_MODE_ENCRYPT) {
		uint32_t tag_len = SZTEST_TAG;
		return TEE_AEEncryptFinal(op, j->src + done, j->len - done,
					  j->dst + produced, &n, j->tag,
					  &tag_len);
	}
	return TEE_AEDecryptFinal(op, j->src + done, j->len - done,
				  j->dst + produced, &n, j->tag, SZTEST_TAG);
}

static TEE_Result gcm(const struct gcm_job *j)
{
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Attribute attr;
	TEE_Result res = TEE_AllocateTransientObject(TEE_TYPE_AES,
						     j->key_len * 8, &key);
	if (res != TEE_SUCCESS)
		goto out;
	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, j->key, j->key_len);
	res = TEE_PopulateTransientObject(key, &attr, 1);
	if (res == TEE_SUCCESS)
		res = TEE_AllocateOperation(&op, TEE_ALG_AES_GCM, j->mode,
					    j->key_len * 8);
	if (res != TEE_SUCCESS)
		goto out;
	TEE_SetOperationKey(op, key);
	res = TEE_AEInit(op, j->nonce, SZTEST_NONCE, SZTEST_TAG * 8,
			 j->aad_len, j->len);
	if (res != TEE_SUCCESS)
		goto out;
	/* AAD in two pieces: the API takes it in any number */
	TEE_AEUpdateAAD(op, j->aad, j->aad_len / 2);
	TEE_AEUpdateAAD(op, j->aad + j->aad_len / 2, j->aad_len - j->aad_len / 2);
	res = run_gcm(op, j);
out:
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(key);
	return res;
}

/* The input copied once into the heap, and a zeroed result buffer. */
static TEE_Result take(const TEE_Param *in, const TEE_Param *out,
		       uint32_t result_len, uint8_t **copy, uint8_t **result)
{
	if (overlaps(in->memref.buffer, in->memref.size, out->memref.buffer,
		     out->memref.size))
		return TEE_ERROR_BAD_PARAMETERS;
	*copy = TEE_Malloc(in->memref.size, TEE_MALLOC_FILL_ZERO);
	*result = TEE_Malloc(result_len, TEE_MALLOC_FILL_ZERO);
	if (*copy == NULL || *result == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(*copy, in->memref.buffer, in->memref.size);
	return TEE_SUCCESS;
}

static const uint32_t in_out = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
					       TEE_PARAM_TYPE_MEMREF_OUTPUT,
					       TEE_PARAM_TYPE_NONE,
					       TEE_PARAM_TYPE_NONE);

/* Sizes the output; SHORT_BUFFER when it is too small. */
static TEE_Result sized(TEE_Param *out, uint32_t need)
{
	if (out->memref.size >= need)
		return TEE_SUCCESS;
	out->memref.size = need;
	return TEE_ERROR_SHORT_BUFFER;
}

TEE_Result cmd_seal(struct session *s, uint32_t types, TEE_Param p[4])
{
	if (types != in_out || p[0].memref.size > SZTEST_SEAL_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t len = p[0].memref.size;
	uint32_t need = SZTEST_NONCE + len + SZTEST_TAG;
	uint8_t *copy = NULL, *sealed = NULL;
	TEE_Result res = sized(&p[1], need);
	if (res == TEE_SUCCESS)
		res = take(&p[0], &p[1], need, &copy, &sealed);
	if (res != TEE_SUCCESS)
		goto out;
	TEE_GenerateRandom(sealed, SZTEST_NONCE);
	struct gcm_job j = { s->key, sizeof s->key, TEE_MODE_ENCRYPT, sealed,
			     NULL, copy, 0, len, 0, sealed + SZTEST_NONCE,
			     sealed + SZTEST_NONCE + len };
	res = gcm(&j);
	if (res == TEE_SUCCESS) {
		TEE_MemMove(p[1].memref.buffer, sealed, need);
		p[1].memref.size = need;
	}
out:
	TEE_Free(copy);
	TEE_Free(sealed);
	return res;
}

TEE_Result cmd_unseal(struct session *s, uint32_t types, TEE_Param p[4])
{
	if (types != in_out || p[0].memref.size < SZTEST_NONCE + SZTEST_TAG ||
	    p[0].memref.size > SZTEST_NONCE + SZTEST_SEAL_MAX + SZTEST_TAG)
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t len = p[0].memref.size - SZTEST_NONCE - SZTEST_TAG;
	uint8_t *copy = NULL, *plain = NULL;
	TEE_Result res = sized(&p[1], len);
	if (res == TEE_SUCCESS)
		res = take(&p[0], &p[1], len + 1, &copy, &plain);
	if (res != TEE_SUCCESS)
		goto out;
	struct gcm_job j = { s->key, sizeof s->key, TEE_MODE_DECRYPT, copy,
			     NULL, copy + SZTEST_NONCE, 0, len, 0, plain,
			     copy + SZTEST_NONCE + len };
	res = gcm(&j);
	if (res == TEE_SUCCESS) {
		TEE_MemMove(p[1].memref.buffer, plain, len);
		p[1].memref.size = len;
	}
out:
	TEE_Free(copy);
	TEE_Free(plain);
	return res;
}

TEE_Result cmd_gcm(uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_VALUE_INPUT,
				     TEE_PARAM_TYPE_MEMREF_OUTPUT,
				     TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t size = p[0].memref.size, aad = p[1].value.a;
	if (size < 16 + SZTEST_NONCE || aad > size - 16 - SZTEST_NONCE ||
	    size > 16 + SZTEST_NONCE + 2 * SZTEST_SEAL_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	uint32_t len = size - 16 - SZTEST_NONCE - aad;
	uint8_t *copy = NULL, *result = NULL;
	TEE_Result res = sized(&p[2], len + SZTEST_TAG);
	if (res == TEE_SUCCESS)
		res = take(&p[0], &p[2], len + SZTEST_TAG, &copy, &result);
	if (res != TEE_SUCCESS)
		goto out;
	struct gcm_job j = { copy, 16, TEE_MODE_ENCRYPT, copy + 16,
			     copy + 16 + SZTEST_NONCE,
			     copy + 16 + SZTEST_NONCE + aad, aad, len,
			     p[1].value.b, result, result + len };
	res = gcm(&j);
	if (res == TEE_SUCCESS) {
		TEE_MemMove(p[2].memref.buffer, result, len + SZTEST_TAG);
		p[2].memref.size = len + SZTEST_TAG;
	}
out:
	TEE_Free(copy);
	TEE_Free(result);
	return res;
}
