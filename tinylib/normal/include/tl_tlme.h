/*
 * Encrypted models (.tlme): a .tlm sealed for one device's key, so that
 * the model's weights cross the normal world only as ciphertext. The
 * format is struct sz_enc_header (ta/include/smartzone_ta.h), then the
 * .tlm encrypted with AES-256-GCM (the header's 12-byte nonce, the 32
 * header bytes as additional data), then the 16-byte tag.
 *
 *   uint8_t key[SZ_KEY_BYTES];        (tl_tlme_random: once per device)
 *   uint8_t *tlme; size_t n;
 *   if (tl_tlme_encrypt(tlm, tlm_size, "net.tlm", key, &tlme, &n, err,
 *                       sizeof err))
 *           ... err says why ...
 *   ... write tlme ...; free(tlme);
 *
 * The normal world can not plan a model it can not read, yet OPEN_MODEL
 * asks for the arena up front: the encrypting side, which has the
 * plaintext, plans it (tl_plan) and records it in the header's
 * `reserved` word, where the additional data authenticates it (a changed
 * value fails the tag; the TA also checks the plan against the arena it
 * opened). tl_tlme_arena_bytes reads it.
 */
#ifndef TL_TLME_H
#define TL_TLME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smartzone_ta.h"

/* The whole file: header, ciphertext, tag. */
#define TL_TLME_OVERHEAD (sizeof(struct sz_enc_header) + SZ_GCM_TAG_BYTES)

/* Whether the first n bytes start with SZ_ENC_MAGIC. */
bool tl_tlme_is_encrypted(const void *start, size_t n);

/* Checks a header read from a file of file_size bytes named name: the
 * magic, a plaintext size that is a possible .tlm and matches the file,
 * an arena, the zero pad. 0, or -1 with a sentence in err. */
int tl_tlme_check_header(const struct sz_enc_header *h, uint64_t file_size,
			 const char *name, char *err, size_t err_len);

/* The arena the encrypting side planned (see above). */
uint64_t tl_tlme_arena_bytes(const struct sz_enc_header *h);

/* n random bytes from the host (/dev/urandom): nonces and keys. */
int tl_tlme_random(void *out, size_t n, char *err, size_t err_len);

/* Checks and plans the .tlm (tl_model_open, tl_plan), then seals it for
 * key with a fresh random nonce into *out (malloc'd, *out_size bytes).
 * 0, or -1 with a sentence naming name in err. */
int tl_tlme_encrypt(const uint8_t *tlm, size_t size, const char *name,
		    const uint8_t key[SZ_KEY_BYTES], uint8_t **out,
		    size_t *out_size, char *err, size_t err_len);

#endif
