/*
 * The files of the persistent store (TEE_STORAGE_PRIVATE): one file per
 * object under <storage dir>/<TA UUID>/, each encrypted and authenticated
 * with AES-256-GCM (mbedTLS), as OP-TEE's REE file system encrypts what
 * it leaves in the normal world's file system. Why encrypted: the
 * storage directory is normal-world memory like any other, so the taint
 * scan reads it after every call that wrote to it, and a TA that stores
 * its model key must not show up there as a leak.
 *
 * Key: HMAC-SHA256(HUK, "sim storage" || TA UUID), one per TA, as OP-TEE
 * derives a TA storage key from its hardware unique key. The simulator's
 * HUK is the constant below: the format is real, the secrecy is not (a
 * board keeps its HUK in fuses). File name: the first 16 bytes of
 * HMAC-SHA256(TA key, object ID) in hex, so the name gives no ID away.
 * File: "SZSIMOB1", a 12-byte random nonce, the 16-byte tag, then the
 * data encrypted; the AAD is the TA UUID and the file name, so a file
 * moved to another name or TA fails to open (TEE_ERROR_CORRUPT_OBJECT).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

#include "sim_internal.h"

static const uint8_t sim_huk[32] = {	/* SIMULATION ONLY: not secret */
	0x53, 0x6d, 0x61, 0x72, 0x74, 0x2d, 0x5a, 0x6f,
	0x6e, 0x65, 0x20, 0x73, 0x69, 0x6d, 0x20, 0x48,
	0x55, 0x4b, 0x2c, 0x20, 0x6e, 0x6f, 0x74, 0x20,
	0x61, 0x20, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74,
};

static const char magic[8] = { 'S', 'Z', 'S', 'I', 'M', 'O', 'B', '1' };
#define NONCE_LEN	12u	/* GCM's 96-bit nonce (NIST SP 800-38D) */
#define TAG_LEN		16u
#define HEAD_LEN	(sizeof magic + NONCE_LEN + TAG_LEN)

static void uuid_bytes(const TEE_UUID *u, uint8_t out[16])
{
	out[0] = (uint8_t)(u->timeLow >> 24);
	out[1] = (uint8_t)(u->timeLow >> 16);
	out[2] = (uint8_t)(u->timeLow >> 8);
	out[3] = (uint8_t)u->timeLow;
	out[4] = (uint8_t)(u->timeMid >> 8);
	out[5] = (uint8_t)u->timeMid;
	out[6] = (uint8_t)(u->timeHiAndVersion >> 8);
	out[7] = (uint8_t)u->timeHiAndVersion;
	memcpy(out + 8, u->clockSeqAndNode, 8);
}

void sim_uuid_str(const TEE_UUID *u, char out[37])
{
	uint8_t b[16];
	uuid_bytes(u, b);
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

void sim_storage_dir(const TEE_UUID *ta, char *out, size_t len)
{
	char u[37];
	sim_uuid_str(ta, u);
	snprintf(out, len, "%s/%s", sim_m.storage, u);
}

static void hmac(const uint8_t *key, size_t key_len, const uint8_t *a,
		 size_t a_len, const uint8_t *b, size_t b_len, uint8_t out[32])
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	mbedtls_md_context_t c;
	mbedtls_md_init(&c);
	if (mbedtls_md_setup(&c, md, 1) ||
	    mbedtls_md_hmac_starts(&c, key, key_len) ||
	    mbedtls_md_hmac_update(&c, a, a_len) ||
	    mbedtls_md_hmac_update(&c, b, b_len) ||
	    mbedtls_md_hmac_finish(&c, out))
		abort();	/* SHA-256 is always built into mbedTLS */
	mbedtls_md_free(&c);
}

static void ta_key(const TEE_UUID *ta, uint8_t key[32])
{
	static const uint8_t label[] = "sim storage";
	uint8_t u[16];
	uuid_bytes(ta, u);
	hmac(sim_huk, sizeof sim_huk, label, sizeof label - 1, u, sizeof u, key);
}

void sim_storage_file_name(const TEE_UUID *ta, const void *id, uint32_t len,
			   char out[65])
{
	uint8_t key[32], h[32];
	ta_key(ta, key);
	hmac(key, sizeof key, (const uint8_t *)"", 0, id, len, h);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
	mbedtls_platform_zeroize(key, sizeof key);
}

/* The AAD: UUID and the file's own name. */
static size_t aad(const TEE_UUID *ta, const char *path, uint8_t out[96])
{
	const char *name = strrchr(path, '/');
	name = name ? name + 1 : path;
	size_t n = strlen(name) < 80 ? strlen(name) : 80;
	uuid_bytes(ta, out);
	memcpy(out + 16, name, n);
	return 16 + n;
}

static int gcm(const TEE_UUID *ta, const char *path, int mode,
	       const uint8_t *nonce, uint8_t *tag, const uint8_t *in,
	       uint8_t *out, uint64_t len)
{
	uint8_t key[32], ad[96];
	size_t ad_len = aad(ta, path, ad);
	ta_key(ta, key);
	mbedtls_gcm_context g;
	mbedtls_gcm_init(&g);
	int rc = mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, 256);
	if (rc == 0 && mode == MBEDTLS_GCM_ENCRYPT)
		rc = mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, len,
					       nonce, NONCE_LEN, ad, ad_len,
					       in, out, TAG_LEN, tag);
	else if (rc == 0)
		rc = mbedtls_gcm_auth_decrypt(&g, len, nonce, NONCE_LEN, ad,
					      ad_len, tag, TAG_LEN, in, out);
	mbedtls_gcm_free(&g);
	mbedtls_platform_zeroize(key, sizeof key);
	return rc;
}

int sim_storage_file_write(const char *path, const TEE_UUID *ta,
			   const uint8_t *data, uint64_t len)
{
	uint8_t *file = malloc(HEAD_LEN + len);
	if (file == NULL)
		return -1;
	memcpy(file, magic, sizeof magic);
	uint8_t *nonce = file + sizeof magic, *tag = nonce + NONCE_LEN;
	sim_random(nonce, NONCE_LEN);
	int rc = gcm(ta, path, MBEDTLS_GCM_ENCRYPT, nonce, tag, data,
		     file + HEAD_LEN, len);
	char tmp[700];
	snprintf(tmp, sizeof tmp, "%s.new", path);
	FILE *f = rc ? NULL : fopen(tmp, "wb");
	rc = f == NULL || fwrite(file, 1, HEAD_LEN + len, f) != HEAD_LEN + len;
	if (f != NULL && fclose(f))
		rc = 1;
	free(file);
	if (rc || rename(tmp, path)) {	/* all or nothing, as GP asks */
		remove(tmp);
		return -1;
	}
	sim_m.storage_written = true;
	return 0;
}

int sim_storage_file_read(const char *path, const TEE_UUID *ta,
			  uint8_t **data, uint64_t *len)
{
	*data = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return errno == ENOENT ? -ENOENT : -EIO;
	long size = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	uint8_t *file = size >= (long)HEAD_LEN ? malloc((size_t)size) : NULL;
	bool ok = file != NULL && fseek(f, 0, SEEK_SET) == 0 &&
		  fread(file, 1, (size_t)size, f) == (size_t)size &&
		  memcmp(file, magic, sizeof magic) == 0;
	fclose(f);
	uint64_t n = ok ? (uint64_t)size - HEAD_LEN : 0;
	uint8_t *out = ok ? malloc(n ? n : 1) : NULL;
	if (out == NULL ||
	    gcm(ta, path, MBEDTLS_GCM_DECRYPT, file + sizeof magic,
		file + sizeof magic + NONCE_LEN, file + HEAD_LEN, out, n)) {
		free(out);
		free(file);
		return -EBADMSG;	/* not ours, or tampered with */
	}
	free(file);
	*data = out;
	*len = n;
	return 0;
}
