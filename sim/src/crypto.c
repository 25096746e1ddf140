/*
 * Operations (Internal Core API 6.2), authenticated encryption (6.5) with
 * TEE_ALG_AES_GCM, and TEE_GenerateRandom (6.9), backed by mbedTLS, the
 * library OP-TEE itself uses. Each call is a system call: it runs on the
 * core's stack, and takes its inputs from TA memory and writes its
 * outputs there through sim_from_ta/sim_to_ta (one read or write of each
 * byte; a buffer that is not the TA's panics it).
 *
 * Streaming: mbedTLS 2.28's GCM takes whole 16-byte blocks until the last
 * call, so TEE_AEUpdate hands back whole blocks and keeps up to 15 bytes
 * for the next call or the final one (GP lets an implementation buffer:
 * *destLen says how much came out). AAD is gathered until the payload
 * starts. Nonces of 1 to 16 bytes (mbedTLS's cipher layer; 12 is the
 * norm); tags of 96 to 128 bits in steps of 8 (spec 6.5.1, AES-GCM).
 * TEE_AEDecryptFinal releases the last plaintext only when the tag
 * matches (TEE_ERROR_MAC_INVALID otherwise).
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/cipher.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/platform_util.h>

#include "sim_internal.h"

#define GCM_BLOCK	16u

struct __TEE_OperationHandle {
	struct __TEE_OperationHandle *next;	/* the instance's handles */
	uint32_t algorithm, mode, max_bits;
	uint8_t key[32];
	uint32_t key_len;
	bool active;		/* between TEE_AEInit and the final call */
	bool payload;		/* AAD closed, payload started */
	uint32_t tag_len;	/* bytes */
	mbedtls_cipher_context_t cipher;
	uint8_t *aad;
	size_t aad_len, aad_cap;
	uint8_t pending[GCM_BLOCK];
	size_t n_pending;
};

/* ---- random ---- */

void sim_random(void *out, uint64_t n)
{
	static mbedtls_entropy_context entropy;
	static mbedtls_ctr_drbg_context drbg;
	static bool seeded;
	static const char who[] = "smart-zone sim TEE_GenerateRandom";
	if (!seeded) {
		mbedtls_entropy_init(&entropy);
		mbedtls_ctr_drbg_init(&drbg);
		if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func,
					  &entropy, (const uint8_t *)who,
					  sizeof who - 1))
			abort();	/* no entropy on this host */
		seeded = true;
	}
	uint8_t *p = out;
	while (n > 0) {
		size_t k = n < MBEDTLS_CTR_DRBG_MAX_REQUEST
				   ? n : MBEDTLS_CTR_DRBG_MAX_REQUEST;
		if (mbedtls_ctr_drbg_random(&drbg, p, k))
			abort();
		p += k;
		n -= k;
	}
}

struct random_args {
	void *buf;
	uint32_t len;
};

static void do_random(void *arg)
{
	struct random_args *a = arg;
	uint8_t chunk[256];
	for (uint32_t done = 0; done < a->len;) {
		uint32_t k = a->len - done < sizeof chunk ? a->len - done
							 : sizeof chunk;
		sim_random(chunk, k);
		sim_to_ta((uint8_t *)a->buf + done, chunk, k);
		done += k;
	}
	mbedtls_platform_zeroize(chunk, sizeof chunk);
}

void TEE_GenerateRandom(void *randomBuffer, uint32_t randomBufferLen)
{
	struct random_args a = { randomBuffer, randomBufferLen };
	sim_syscall(do_random, &a);
}

/* ---- handles ---- */

static struct __TEE_OperationHandle *find_op(TEE_OperationHandle h)
{
	struct sim_instance *inst = sim_current();
	for (struct __TEE_OperationHandle *o = inst->operations; o; o = o->next)
		if (o == h)
			return o;
	sim_panic(TEE_ERROR_BAD_PARAMETERS,
		  "operation handle %p is not one of this TA's", (void *)h);
}

static void free_op(struct sim_instance *inst, struct __TEE_OperationHandle *o)
{
	for (struct __TEE_OperationHandle **pp = &inst->operations; *pp;
	     pp = &(*pp)->next)
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	mbedtls_cipher_free(&o->cipher);
	if (o->aad != NULL) {
		mbedtls_platform_zeroize(o->aad, o->aad_len);
		free(o->aad);
	}
	mbedtls_platform_zeroize(o, sizeof *o);
	free(o);
}

void sim_crypto_release_all(struct sim_instance *inst)
{
	while (inst->operations != NULL)
		free_op(inst, inst->operations);
	for (struct __TEE_ObjectHandle *o = inst->objects, *n; o; o = n) {
		n = o->next;
		if (!(o->handle_flags & TEE_HANDLE_FLAG_PERSISTENT))
			sim_object_free(inst, o);
	}
}

unsigned sim_crypto_operations(const struct sim_instance *inst)
{
	unsigned n = 0;
	for (const struct __TEE_OperationHandle *o = inst->operations; o;
	     o = o->next)
		n++;
	return n;
}

void sim_crypto_secrets(struct sim_instance *inst, sim_secret_fn fn,
			void *arg)
{
	for (struct __TEE_ObjectHandle *o = inst->objects; o; o = o->next)
		if (o->key_len)
			fn(o->key, o->key_len, "a key object", arg);
	for (struct __TEE_OperationHandle *o = inst->operations; o; o = o->next)
		if (o->key_len)
			fn(o->key, o->key_len, "an operation's key", arg);
}

struct op_alloc_args {
	TEE_OperationHandle *op;
	uint32_t algorithm, mode, max_bits;
	TEE_Result res;
};

static void do_op_alloc(void *arg)
{
	struct op_alloc_args *a = arg;
	TEE_OperationHandle none = TEE_HANDLE_NULL;
	sim_to_ta(a->op, &none, sizeof none);
	if (sim_fault_now("TEE_AllocateOperation")) {
		a->res = TEE_ERROR_OUT_OF_MEMORY;
		return;
	}
	if (a->algorithm != TEE_ALG_AES_GCM ||
	    (a->mode != TEE_MODE_ENCRYPT && a->mode != TEE_MODE_DECRYPT) ||
	    (a->max_bits != 128 && a->max_bits != 192 && a->max_bits != 256)) {
		a->res = TEE_ERROR_NOT_SUPPORTED;
		return;
	}
	struct sim_instance *inst = sim_current();
	struct __TEE_OperationHandle *o = calloc(1, sizeof *o);
	if (o == NULL) {
		a->res = TEE_ERROR_OUT_OF_MEMORY;
		return;
	}
	o->algorithm = a->algorithm;
	o->mode = a->mode;
	o->max_bits = a->max_bits;
	mbedtls_cipher_init(&o->cipher);
	o->next = inst->operations;
	inst->operations = o;
	sim_to_ta(a->op, &o, sizeof o);
	a->res = TEE_SUCCESS;
}

TEE_Result TEE_AllocateOperation(TEE_OperationHandle *operation,
				 uint32_t algorithm, uint32_t mode,
				 uint32_t maxKeySize)
{
	struct op_alloc_args a = { operation, algorithm, mode, maxKeySize,
				   TEE_ERROR_GENERIC };
	sim_syscall(do_op_alloc, &a);
	return a.res;
}

static void do_op_free(void *arg)
{
	if (arg != NULL)
		free_op(sim_current(), find_op(arg));
}

void TEE_FreeOperation(TEE_OperationHandle operation)
{
	sim_syscall(do_op_free, operation);
}

struct setkey_args {
	TEE_OperationHandle op;
	TEE_ObjectHandle key;
	TEE_Result res;
};

static void do_setkey(void *arg)
{
	struct setkey_args *a = arg;
	struct __TEE_OperationHandle *o = find_op(a->op);
	struct __TEE_ObjectHandle *k = sim_object_find(sim_current(), a->key);
	if (o->active)
		sim_panic(TEE_ERROR_BAD_STATE,
			  "TEE_SetOperationKey on an active operation");
	a->res = TEE_SUCCESS;
	if (sim_fault_now("TEE_SetOperationKey")) {
		/* v1.1: the key object's storage could not be read */
		a->res = TEE_ERROR_CORRUPT_OBJECT;
		return;
	}
	mbedtls_platform_zeroize(o->key, sizeof o->key);
	o->key_len = 0;
	if (k == NULL)
		return;		/* spec: TEE_HANDLE_NULL clears the key */
	if (k->type != TEE_TYPE_AES || k->key_len == 0 ||
	    k->key_len * 8 > o->max_bits)
		sim_panic(TEE_ERROR_BAD_PARAMETERS, "TEE_SetOperationKey: "
			  "the key is no initialized AES key of at most %u bits",
			  (unsigned)o->max_bits);
	memcpy(o->key, k->key, k->key_len);
	o->key_len = k->key_len;
}

TEE_Result TEE_SetOperationKey(TEE_OperationHandle operation,
			       TEE_ObjectHandle key)
{
	struct setkey_args a = { operation, key, TEE_ERROR_GENERIC };
	sim_syscall(do_setkey, &a);
	return a.res;
}

/* ---- AES-GCM ---- */

struct ae_args {
	TEE_OperationHandle op;
	const void *src;
	uint32_t src_len;
	void *dest;
	uint32_t *dest_len;
	void *tag;
	uint32_t *tag_len;	/* encrypt: in/out */
	uint32_t tag_in;	/* decrypt: the tag's length */
	const void *nonce;
	uint32_t nonce_len, tag_bits;
	TEE_Result res;
};

static struct __TEE_OperationHandle *active_op(TEE_OperationHandle h,
					       const char *who)
{
	struct __TEE_OperationHandle *o = find_op(h);
	if (!o->active)
		sim_panic(TEE_ERROR_BAD_STATE, "%s before TEE_AEInit", who);
	return o;
}

static void do_ae_init(void *arg)
{
	struct ae_args *a = arg;
	struct __TEE_OperationHandle *o = find_op(a->op);
	if (o->key_len == 0)
		sim_panic(TEE_ERROR_BAD_STATE, "TEE_AEInit without a key");
	uint8_t nonce[16];
	if (sim_fault_now("TEE_AEInit") || a->nonce_len == 0 || a->nonce_len > sizeof nonce ||
	    a->tag_bits < 96 || a->tag_bits > 128 || a->tag_bits % 8) {
		a->res = TEE_ERROR_NOT_SUPPORTED;
		return;
	}
	sim_from_ta(nonce, a->nonce, a->nonce_len);
	const mbedtls_cipher_info_t *info = mbedtls_cipher_info_from_values(
		MBEDTLS_CIPHER_ID_AES, (int)o->key_len * 8, MBEDTLS_MODE_GCM);
	mbedtls_cipher_free(&o->cipher);
	mbedtls_cipher_init(&o->cipher);
	if (info == NULL || mbedtls_cipher_setup(&o->cipher, info) ||
	    mbedtls_cipher_setkey(&o->cipher, o->key, (int)o->key_len * 8,
				  o->mode == TEE_MODE_ENCRYPT
					  ? MBEDTLS_ENCRYPT : MBEDTLS_DECRYPT) ||
	    mbedtls_cipher_set_iv(&o->cipher, nonce, a->nonce_len) ||
	    mbedtls_cipher_reset(&o->cipher)) {
		a->res = TEE_ERROR_GENERIC;
		return;
	}
	o->tag_len = a->tag_bits / 8;
	o->aad_len = 0;
	o->n_pending = 0;
	o->payload = false;
	o->active = true;
	a->res = TEE_SUCCESS;
}

TEE_Result TEE_AEInit(TEE_OperationHandle operation, const void *nonce,
		      uint32_t nonceLen, uint32_t tagLen, uint32_t AADLen,
		      uint32_t payloadLen)
{
	(void)AADLen, (void)payloadLen;	/* used by CCM only (spec 6.5.1) */
	struct ae_args a = { .op = operation, .nonce = nonce,
			     .nonce_len = nonceLen, .tag_bits = tagLen };
	sim_syscall(do_ae_init, &a);
	return a.res;
}

static void do_aad(void *arg)
{
	struct ae_args *a = arg;
	struct __TEE_OperationHandle *o = active_op(a->op, "TEE_AEUpdateAAD");
	if (o->payload)
		sim_panic(TEE_ERROR_BAD_STATE,
			  "TEE_AEUpdateAAD after the payload started");
	if (o->aad_len + a->src_len > o->aad_cap) {
		size_t cap = (o->aad_len + a->src_len) * 2;
		uint8_t *p = realloc(o->aad, cap);
		if (p == NULL)
			sim_panic(TEE_ERROR_OUT_OF_MEMORY, "AAD of %zu bytes",
				  cap);
		o->aad = p;
		o->aad_cap = cap;
	}
	sim_from_ta(o->aad + o->aad_len, a->src, a->src_len);
	o->aad_len += a->src_len;
}

void TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata,
		     uint32_t AADdataLen)
{
	struct ae_args a = { .op = operation, .src = AADdata,
			     .src_len = AADdataLen };
	sim_syscall(do_aad, &a);
}

/* The payload so far: what is pending, then src, in one core buffer. */
static uint8_t *gather(struct __TEE_OperationHandle *o, const void *src,
		       uint32_t len, size_t *total)
{
	*total = o->n_pending + len;
	uint8_t *buf = malloc(*total ? *total : 1);
	if (buf == NULL)
		sim_panic(TEE_ERROR_OUT_OF_MEMORY, "payload of %zu bytes",
			  *total);
	memcpy(buf, o->pending, o->n_pending);
	sim_from_ta(buf + o->n_pending, src, len);
	return buf;
}

/* Runs n bytes (whole blocks, except on the last call) through GCM,
 * in place; the AAD goes first. */
static int gcm_run(struct __TEE_OperationHandle *o, uint8_t *buf, size_t n)
{
	if (!o->payload) {
		if (mbedtls_cipher_update_ad(&o->cipher, o->aad, o->aad_len))
			return -1;
		o->payload = true;
	}
	size_t out = 0;
	uint8_t *tmp = malloc(n ? n : 1);
	if (tmp == NULL)
		return -1;
	int rc = n ? mbedtls_cipher_update(&o->cipher, buf, n, tmp, &out) : 0;
	memcpy(buf, tmp, n);
	mbedtls_platform_zeroize(tmp, n);
	free(tmp);
	return rc || out != n ? -1 : 0;
}

static void release(uint8_t *buf, size_t n)
{
	mbedtls_platform_zeroize(buf, n);
	free(buf);
}

static void do_update(void *arg)
{
	struct ae_args *a = arg;
	struct __TEE_OperationHandle *o = active_op(a->op, "TEE_AEUpdate");
	uint32_t room;
	sim_from_ta(&room, a->dest_len, sizeof room);
	size_t whole = (o->n_pending + a->src_len) / GCM_BLOCK * GCM_BLOCK;
	if (sim_fault_now("TEE_AEUpdate") || room < whole) {
		uint32_t need = (uint32_t)whole;
		sim_to_ta(a->dest_len, &need, sizeof need);
		a->res = TEE_ERROR_SHORT_BUFFER;
		return;
	}
	size_t total;
	uint8_t *buf = gather(o, a->src, a->src_len, &total);
	a->res = gcm_run(o, buf, whole) ? TEE_ERROR_GENERIC : TEE_SUCCESS;
	o->n_pending = total - whole;
	memcpy(o->pending, buf + whole, o->n_pending);
	sim_to_ta(a->dest, buf, whole);
	uint32_t out = (uint32_t)whole;
	sim_to_ta(a->dest_len, &out, sizeof out);
	release(buf, total);
}

TEE_Result TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData,
			uint32_t srcLen, void *destData, uint32_t *destLen)
{
	struct ae_args a = { .op = operation, .src = srcData, .src_len = srcLen,
			     .dest = destData, .dest_len = destLen };
	sim_syscall(do_update, &a);
	return a.res;
}

/* The final call's checks of the output buffer; false when short (or
 * made so by fault injection). */
static bool room_for(struct ae_args *a, size_t total, bool fault)
{
	uint32_t room;
	sim_from_ta(&room, a->dest_len, sizeof room);
	if (room >= total && !fault)
		return true;
	uint32_t need = (uint32_t)total;
	sim_to_ta(a->dest_len, &need, sizeof need);
	a->res = TEE_ERROR_SHORT_BUFFER;
	return false;
}

static void do_encrypt_final(void *arg)
{
	struct ae_args *a = arg;
	struct __TEE_OperationHandle *o = active_op(a->op,
						    "TEE_AEEncryptFinal");
	if (o->mode != TEE_MODE_ENCRYPT)
		sim_panic(TEE_ERROR_BAD_STATE,
			  "TEE_AEEncryptFinal on a decryption");
	uint32_t tag_room;
	sim_from_ta(&tag_room, a->tag_len, sizeof tag_room);
	if (!room_for(a, o->n_pending + a->src_len,
		      sim_fault_now("TEE_AEEncryptFinal")))
		return;
	if (tag_room < o->tag_len) {
		sim_to_ta(a->tag_len, &o->tag_len, sizeof o->tag_len);
		a->res = TEE_ERROR_SHORT_BUFFER;
		return;
	}
	size_t total, fin = 0;
	uint8_t *buf = gather(o, a->src, a->src_len, &total);
	uint8_t tag[16], last[GCM_BLOCK];	/* GCM's finish writes nothing */
	int rc = gcm_run(o, buf, total) ||
		 mbedtls_cipher_finish(&o->cipher, last, &fin) ||
		 mbedtls_cipher_write_tag(&o->cipher, tag, o->tag_len);
	o->active = false;
	a->res = rc ? TEE_ERROR_GENERIC : TEE_SUCCESS;
	if (!rc) {
		uint32_t out = (uint32_t)total;
		sim_to_ta(a->dest, buf, total);
		sim_to_ta(a->dest_len, &out, sizeof out);
		sim_to_ta(a->tag, tag, o->tag_len);
		sim_to_ta(a->tag_len, &o->tag_len, sizeof o->tag_len);
	}
	release(buf, total);
}

TEE_Result TEE_AEEncryptFinal(TEE_OperationHandle operation,
			      const void *srcData, uint32_t srcLen,
			      void *destData, uint32_t *destLen, void *tag,
			      uint32_t *tagLen)
{
	struct ae_args a = { .op = operation, .src = srcData, .src_len = srcLen,
			     .dest = destData, .dest_len = destLen, .tag = tag,
			     .tag_len = tagLen };
	sim_syscall(do_encrypt_final, &a);
	return a.res;
}

static void do_decrypt_final(void *arg)
{
	struct ae_args *a = arg;
	struct __TEE_OperationHandle *o = active_op(a->op,
						    "TEE_AEDecryptFinal");
	if (o->mode != TEE_MODE_DECRYPT)
		sim_panic(TEE_ERROR_BAD_STATE,
			  "TEE_AEDecryptFinal on an encryption");
	if (sim_fault_now("TEE_AEDecryptFinal")) {
		o->active = false;	/* the tag "did not match" */
		a->res = TEE_ERROR_MAC_INVALID;
		return;
	}
	if (!room_for(a, o->n_pending + a->src_len, false))
		return;
	uint8_t tag[16], last[GCM_BLOCK];	/* GCM's finish writes nothing */
	size_t total, fin = 0;
	uint8_t *buf = gather(o, a->src, a->src_len, &total);
	bool tag_ok = a->tag_in == o->tag_len;
	if (tag_ok)
		sim_from_ta(tag, a->tag, a->tag_in);
	int rc = gcm_run(o, buf, total) ||
		 mbedtls_cipher_finish(&o->cipher, last, &fin);
	o->active = false;
	if (rc)
		a->res = TEE_ERROR_GENERIC;
	else if (!tag_ok || mbedtls_cipher_check_tag(&o->cipher, tag,
						     o->tag_len))
		a->res = TEE_ERROR_MAC_INVALID;
	else
		a->res = TEE_SUCCESS;
	if (a->res == TEE_SUCCESS) {
		uint32_t out = (uint32_t)total;
		sim_to_ta(a->dest, buf, total);
		sim_to_ta(a->dest_len, &out, sizeof out);
	}
	release(buf, total);
}

TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle operation,
			      const void *srcData, uint32_t srcLen,
			      void *destData, uint32_t *destLen, void *tag,
			      uint32_t tagLen)
{
	struct ae_args a = { .op = operation, .src = srcData, .src_len = srcLen,
			     .dest = destData, .dest_len = destLen, .tag = tag,
			     .tag_in = tagLen };
	sim_syscall(do_decrypt_final, &a);
	return a.res;
}
