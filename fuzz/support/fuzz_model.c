/* The fuzz targets' model and key (fuzz_model.h). */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/gcm.h>

#include "fuzz_input.h"
#include "fuzz_model.h"
#include "small_model.h"
#include "tl_engine.h"

/* Any 32 bytes do: the fuzzers' device key. */
const uint8_t fz_key[SZ_KEY_BYTES] = {
	0x3c, 0x91, 0x0e, 0x5a, 0x77, 0xd2, 0x48, 0x1b, 0xa6, 0x2f, 0xe0,
	0x63, 0x9d, 0x14, 0xc8, 0x55, 0x0b, 0xf7, 0x36, 0x8e, 0x41, 0xba,
	0x29, 0xd5, 0x6c, 0x03, 0x9f, 0xe4, 0x70, 0x1d, 0xab, 0x58,
};

static float weight(size_t i)
{
	return (float)((i * 2654435761u) % 997u) / 997.0f - 0.5f;
}

static struct fz_model build_model(void)
{
	static const struct small_model_shape shape = {
		.c = 2, .hw = 6, .filters = 3, .classes = 5,
		.act = TL_ACT_RELU, .pool_padding = 0, .value = weight,
	};
	size_t size;
	uint8_t *blob = small_model_build(&shape, &size);
	struct tl_model m;
	struct tl_model_error e;
	struct tl_plan *plan = malloc(sizeof *plan);
	if (blob == NULL || plan == NULL ||
	    tl_model_open(blob, size, &m, &e) != TL_OK ||
	    tl_plan(&m, plan) != TL_OK)
		fz_broken("the fuzz model does not build");
	struct fz_model fm = { blob, size, (uint32_t)plan->arena_size,
			       (uint32_t)tl_model_input_elements(&m),
			       (uint32_t)tl_model_output_elements(&m) };
	free(plan);
	return fm;
}

const struct fz_model *fz_model(void)
{
	static struct fz_model m;
	if (m.blob == NULL)
		m = build_model();
	return &m;
}

uint8_t *fz_seal(const uint8_t *tlm, size_t size, uint32_t arena,
		 const uint8_t nonce[SZ_GCM_NONCE_BYTES],
		 const uint8_t key[SZ_KEY_BYTES], size_t *out_size)
{
	struct sz_enc_header h = { .magic = SZ_ENC_MAGIC, .reserved = arena,
				   .plaintext_bytes = size };
	memcpy(h.nonce, nonce, SZ_GCM_NONCE_BYTES);
	*out_size = sizeof h + size + SZ_GCM_TAG_BYTES;
	uint8_t *out = malloc(*out_size);
	if (out == NULL)
		abort();
	memcpy(out, &h, sizeof h);
	mbedtls_gcm_context g;
	mbedtls_gcm_init(&g);
	if (mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key,
			       SZ_KEY_BYTES * 8) ||
	    mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, size, h.nonce,
				      SZ_GCM_NONCE_BYTES, out, sizeof h, tlm,
				      out + sizeof h, SZ_GCM_TAG_BYTES,
				      out + sizeof h + size))
		fz_broken("sealing %zu bytes failed", size);
	mbedtls_gcm_free(&g);
	return out;
}
