/*
 * The encrypted path (struct sz_enc_header, smartzone_ta.h): AES-256-GCM
 * with the provisioned key, the 32-byte header as additional data, the
 * tag after the last chunk. The ciphertext is copied out of shared memory
 * once, a slice of at most SZ_BOUNCE_BYTES at a time, into a secure
 * bounce buffer and decrypted from there into the model buffer: nothing
 * is decrypted in shared memory and no plaintext leaves secure memory.
 * GCM hands out plaintext before it has checked the tag (TEE_AEUpdate);
 * none of it is used until the tag matches, and a mismatch scrubs it all
 * (sz_model_close).
 */
#include "sz_ta.h"

TEE_Result sz_decrypt_begin(struct sz_session *s, const struct sz_enc_header *h)
{
	TEE_Result res = TEE_AllocateOperation(&s->op, TEE_ALG_AES_GCM,
					       TEE_MODE_DECRYPT,
					       SZ_KEY_BYTES * 8);
	if (res != TEE_SUCCESS) {
		s->op = TEE_HANDLE_NULL;
		return res;
	}
	res = sz_key_set(s->op);
	if (res == TEE_SUCCESS)
		res = TEE_AEInit(s->op, h->nonce, SZ_GCM_NONCE_BYTES,
				 SZ_GCM_TAG_BYTES * 8, sizeof *h,
				 s->model.size);
	if (res == TEE_SUCCESS)
		TEE_AEUpdateAAD(s->op, h, sizeof *h);
	return res;
}

/* The room left in the model buffer, where decrypted bytes go next. */
static uint8_t *next_plain(const struct sz_session *s, uint32_t *room)
{
	*room = s->model.size - s->produced;
	return (uint8_t *)s->model.p + s->produced;
}

TEE_Result sz_decrypt_chunk(struct sz_session *s, const uint8_t *src,
			    uint32_t len)
{
	TEE_Result res = TEE_SUCCESS;
	for (uint32_t done = 0; done < len && res == TEE_SUCCESS;) {
		uint32_t n = len - done < s->bounce.size ? len - done
							 : s->bounce.size;
		TEE_MemMove(s->bounce.p, src + done, n); /* the one read */
		uint32_t room;
		uint8_t *dst = next_plain(s, &room);
		/* GCM may keep a partial block back for the next call */
		res = TEE_AEUpdate(s->op, s->bounce.p, n, dst, &room);
		if (res == TEE_SUCCESS)
			s->produced += room;
		done += n;
	}
	return res;
}

TEE_Result sz_decrypt_end(struct sz_session *s, uint8_t *tag)
{
	uint32_t room;
	uint8_t *dst = next_plain(s, &room);
	TEE_Result res = TEE_AEDecryptFinal(s->op, s->bounce.p, 0, dst, &room,
					    tag, SZ_GCM_TAG_BYTES);
	if (res == TEE_SUCCESS)
		s->produced += room;
	TEE_FreeOperation(s->op);
	s->op = TEE_HANDLE_NULL;
	sz_buf_free(s, &s->bounce);
	return res;
}
