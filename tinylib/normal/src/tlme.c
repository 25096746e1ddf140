/*
 * Encrypted models (tl_tlme.h): AES-256-GCM through mbedTLS 2.28
 * (Debian 12's libmbedtls-dev), the header as additional data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>

#include "blob_plan.h"
#include "client_internal.h"
#include "tl_model.h"
#include "tl_tlme.h"

_Static_assert(sizeof(struct sz_enc_header) == 32,
	       "smartzone_ta.h: the encrypted header is 32 bytes");

bool tl_tlme_is_encrypted(const void *start, size_t n)
{
	uint32_t magic;
	if (!start || n < sizeof magic)
		return false;
	memcpy(&magic, start, sizeof magic);
	return magic == SZ_ENC_MAGIC;
}

uint64_t tl_tlme_arena_bytes(const struct sz_enc_header *h)
{
	return h->reserved;
}

int tl_tlme_check_header(const struct sz_enc_header *h, uint64_t file_size,
			 const char *name, char *err, size_t err_len)
{
	const char *why = NULL;
	/* the smallest .tlm: header, two tensors, one layer, the CRC
	 * (docs/model-format.md) */
	uint64_t min_tlm = TL_HEADER_SIZE + 2 * TL_TENSOR_ENTRY_SIZE +
			   TL_LAYER_ENTRY_SIZE + TL_CRC_SIZE;
	if (h->magic != SZ_ENC_MAGIC)
		why = "no SZE1 magic: not an encrypted model";
	else if (h->plaintext_bytes < min_tlm ||
		 h->plaintext_bytes > UINT32_MAX)
		why = "its plaintext size is no possible .tlm size";
	else if (file_size != h->plaintext_bytes + TL_TLME_OVERHEAD)
		why = "its length is not header + plaintext size + tag";
	else if (h->reserved == 0)
		why = "it records no arena size";
	else if (h->pad != 0)
		why = "its pad word is not 0";
	if (!why)
		return 0;
	tl_client_fail(err, err_len, -1, "%s: %s (file %llu bytes, plaintext "
		       "%llu)", name, why, (unsigned long long)file_size,
		       (unsigned long long)h->plaintext_bytes);
	return -1;
}

int tl_tlme_random(void *out, size_t n, char *err, size_t err_len)
{
	FILE *f = fopen("/dev/urandom", "rb");
	bool ok = f && fread(out, 1, n, f) == n;
	if (f)
		fclose(f);
	if (!ok)
		tl_client_fail(err, err_len, -1, "/dev/urandom: %s",
			       errno ? strerror(errno) : "short read");
	return ok ? 0 : -1;
}

static int seal(uint8_t *file, const uint8_t *tlm, size_t size,
		const uint8_t key[SZ_KEY_BYTES], char *err, size_t err_len)
{
	const size_t hb = sizeof(struct sz_enc_header);
	struct sz_enc_header h;
	memcpy(&h, file, hb);
	mbedtls_gcm_context gcm;
	mbedtls_gcm_init(&gcm);
	int rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key,
				    SZ_KEY_BYTES * 8);
	if (!rc)
		rc = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, size,
					       h.nonce, SZ_GCM_NONCE_BYTES,
					       file, hb, tlm, file + hb,
					       SZ_GCM_TAG_BYTES,
					       file + hb + size);
	mbedtls_gcm_free(&gcm);
	if (rc)
		tl_client_fail(err, err_len, -1, "AES-256-GCM (mbedTLS) "
			       "failed: -0x%04x", (unsigned)-rc);
	return rc ? -1 : 0;
}

int tl_tlme_encrypt(const uint8_t *tlm, size_t size, const char *name,
		    const uint8_t key[SZ_KEY_BYTES], uint8_t **out,
		    size_t *out_size, char *err, size_t err_len)
{
	*out = NULL;
	*out_size = 0;
	struct tl_blob_plan bp;
	if (tl_blob_plan(tlm, size, name, &bp, err, err_len))
		return -1;
	struct sz_enc_header h = { .magic = SZ_ENC_MAGIC,
				   .reserved = (uint32_t)bp.arena,
				   .plaintext_bytes = size };
	if (bp.arena > UINT32_MAX)
		return tl_client_fail(err, err_len, -1, "%s: an arena of %zu "
				      "bytes does not fit the header's 32 "
				      "bits", name, bp.arena);
	/* a fresh nonce per file: GCM must never reuse one under a key */
	if (tl_tlme_random(h.nonce, sizeof h.nonce, err, err_len))
		return -1;
	uint8_t *file = malloc(size + TL_TLME_OVERHEAD);
	if (!file)
		return tl_client_fail(err, err_len, -1, "out of memory for %zu "
				      "bytes", size + TL_TLME_OVERHEAD);
	memcpy(file, &h, sizeof h);
	if (seal(file, tlm, size, key, err, err_len)) {
		mbedtls_platform_zeroize(file, size + TL_TLME_OVERHEAD);
		free(file);
		return -1;
	}
	*out = file;
	*out_size = size + TL_TLME_OVERHEAD;
	return 0;
}
