/*
 * Fuzz target 3: encrypted models (.tlme), their header and chunks, on
 * both sides: N-Tinylib's header check (tl_tlme_check_header), then the
 * TA's decryption path in the simulator (OPEN_MODEL with the clear
 * header, LOAD_CHUNK with ciphertext in chunks of the lengths the input
 * gives, the tag with the last), with the fuzzers' key provisioned and
 * the leakage check on: the plaintext must never reach shared memory.
 *
 * Input: one mode byte. Mode bit 0 clear: the rest is a whole image
 * (header, ciphertext, tag) as a file would hold it. Bit 0 set: the rest
 * holds a nonce (12 bytes), an arena (u32), a tamper offset (u32) and
 * mask (u8), then a 16-bit length and that much plaintext, which the
 * target seals with the key (bit 1: size field and CRC made right first,
 * so that the plaintext is a .tlm the structural checks look at); a mask
 * other than 0 then flips bits of one byte of the sealed image. Then, in
 * both modes, chunk lengths (u16 each) until the input ends.
 *
 * Invariants: the simulator's checks after every call; a sealed image
 * left as sealed loads exactly when S-Tinylib on the host opens and
 * plans the plaintext within the arena (else BAD_FORMAT, or
 * BAD_PARAMETERS for an arena short of the plan), unless OPEN_MODEL
 * finds the heap too small; a changed byte past the header's checked
 * fields gives MAC_INVALID; a refusal at the last chunk leaves the TA
 * holding what a fresh session holds (the load scrubbed and freed).
 */
#include <stdbool.h>

#include "fuzz_input.h"
#include "fuzz_sim.h"
#include "tee_api_defines.h"
#include "tl_engine.h"
#include "tl_model.h"
#include "tl_tlme.h"

#define HDR	sizeof(struct sz_enc_header)

struct image {
	uint8_t *bytes;
	size_t size;
	bool sealed, tampered;
	uint32_t expect;	/* sealed: the last chunk's answer */
};

/* What the TA must answer for this plaintext and arena. */
static uint32_t expected(const uint8_t *tlm, size_t size, uint32_t arena)
{
	uint8_t *b = aligned_alloc(TL_ALIGN, (size + TL_ALIGN) / TL_ALIGN *
				   TL_ALIGN);
	struct tl_plan *plan = malloc(sizeof *plan);
	if (b == NULL || plan == NULL)
		abort();
	memcpy(b, tlm, size);
	struct tl_model m;
	struct tl_model_error e;
	uint32_t want = TEE_SUCCESS;
	if (tl_model_open(b, size, &m, &e) != TL_OK ||
	    tl_plan(&m, plan) != TL_OK)
		want = TEE_ERROR_BAD_FORMAT;
	else if (plan->arena_size > arena)
		want = TEE_ERROR_BAD_PARAMETERS;
	free(plan);
	free(b);
	return want;
}

static void seal_from_input(struct fz *f, uint8_t mode, struct image *im)
{
	uint8_t nonce[SZ_GCM_NONCE_BYTES];
	size_t got;
	const uint8_t *from = fz_bytes(f, sizeof nonce, &got);
	memcpy(nonce, from, got);
	memset(nonce + got, 0, sizeof nonce - got);
	uint32_t arena = fz_u32(f), at = fz_u32(f);
	uint8_t mask = fz_u8(f);
	const uint8_t *text = fz_span(f, &got);
	uint8_t *tlm = malloc(got ? got : 1);
	if (tlm == NULL)
		abort();
	memcpy(tlm, text, got);
	if ((mode & 2) && got >= TL_HEADER_SIZE + TL_CRC_SIZE) {
		uint32_t n = (uint32_t)got, crc;
		memcpy(tlm + 16, &n, 4);
		crc = tl_crc32(0, tlm, got - TL_CRC_SIZE);
		memcpy(tlm + got - TL_CRC_SIZE, &crc, 4);
	}
	im->bytes = fz_seal(tlm, got, arena, nonce, fz_key, &im->size);
	im->sealed = true;
	im->expect = expected(tlm, got, arena);
	free(tlm);
	if (mask) {
		at %= im->size;
		im->bytes[at] ^= mask;
		im->tampered = true;
	}
}

static void raw_from_input(struct fz *f, struct image *im)
{
	size_t got;
	const uint8_t *p = fz_span(f, &got);
	im->bytes = malloc(got ? got : 1);
	if (im->bytes == NULL)
		abort();
	memcpy(im->bytes, p, got);
	im->size = got;
}

static uint32_t call(TEEC_Session *s, uint32_t cmd, TEEC_Operation *op,
		     const char *what)
{
	uint32_t origin = 0;
	TEEC_Result res = TEEC_InvokeCommand(s, cmd, op, &origin);
	fz_sim_check(what);
	fz_sim_answer(what, res, origin);
	return res;
}

static uint64_t heap_used(TEEC_Session *s)
{
	struct sim_instance_info i;
	if (sim_session_instance(s, &i) != SIM_OK)
		fz_broken("no instance");
	return i.heap_used;
}

static TEEC_Operation chunk_op(const struct image *im, uint32_t done,
			       uint32_t n, bool last)
{
	TEEC_Operation op = { .paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
		last ? TEEC_MEMREF_TEMP_INPUT : TEEC_NONE, TEEC_NONE) };
	op.params[0].value.a = done;
	op.params[0].value.b = last ? SZ_CHUNK_LAST : 0;
	op.params[1].tmpref.buffer = im->bytes + HDR + done;
	op.params[1].tmpref.size = n;
	if (last) {
		op.params[2].tmpref.buffer = im->bytes + im->size -
					     SZ_GCM_TAG_BYTES;
		op.params[2].tmpref.size = SZ_GCM_TAG_BYTES;
	}
	return op;
}

/* The last chunk's answer against what the image deserves. */
static void check_last(const struct image *im, const struct sz_enc_header *h,
		       uint32_t res)
{
	/* bytes the header's checks at OPEN_MODEL do not look at: the
	 * reserved word and the nonce; a change there or past the header
	 * can only fail the tag */
	if (im->sealed && im->tampered && res != TEE_ERROR_MAC_INVALID)
		fz_broken("a changed byte of a sealed image: 0x%08x, not "
			  "MAC_INVALID", (unsigned)res);
	if (im->sealed && !im->tampered && res != im->expect)
		fz_broken("a sealed image: 0x%08x, S-Tinylib on the host says "
			  "0x%08x (arena %u)", (unsigned)res,
			  (unsigned)im->expect, (unsigned)h->reserved);
}

static void load(TEEC_Session *s, struct fz *f, const struct image *im,
		 uint64_t bare)
{
	struct sz_enc_header h;
	memcpy(&h, im->bytes, HDR);
	uint32_t total = (uint32_t)h.plaintext_bytes;
	TEEC_Operation op = { .paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT,
		TEEC_NONE) };
	op.params[0].value.a = total;
	op.params[0].value.b = SZ_OPEN_ENCRYPTED;
	op.params[1].tmpref.buffer = im->bytes;
	op.params[1].tmpref.size = HDR;
	op.params[2].value.a = h.reserved;
	if (call(s, SZ_CMD_OPEN_MODEL, &op, "OPEN_MODEL") != TEE_SUCCESS)
		return;
	/* the chunks must lie in the image, with its tag after them */
	if ((uint64_t)HDR + total + SZ_GCM_TAG_BYTES > im->size)
		total = 0;
	for (uint32_t done = 0; done < total;) {
		uint32_t n = fz_u16(f);
		n = n ? n : total;
		if (done == 0 && n < SZ_HEADER_BYTES)
			n = SZ_HEADER_BYTES;	/* the protocol's minimum */
		n = n < total - done ? n : total - done;
		bool last = done + n == total;
		op = chunk_op(im, done, n, last);
		uint32_t res = call(s, SZ_CMD_LOAD_CHUNK, &op, "LOAD_CHUNK");
		if (last)
			check_last(im, &h, res);
		if (res != TEE_SUCCESS) {
			if (heap_used(s) != bare)
				fz_broken("a refused load left %llu bytes "
					  "held, a fresh session %llu",
					  (unsigned long long)heap_used(s),
					  (unsigned long long)bare);
			return;
		}
		done += n;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fz_sim_init(true);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t mode = fz_u8(&f);
	struct image im = { 0 };
	if (mode & 1)
		seal_from_input(&f, mode, &im);
	else
		raw_from_input(&f, &im);
	char err[256];
	if (im.size >= HDR) {
		struct sz_enc_header h;
		memcpy(&h, im.bytes, HDR);
		if (tl_tlme_check_header(&h, im.size, "fuzz.tlme", err,
					 sizeof err) && strlen(err) == 0)
			fz_broken("a refused header without a sentence");
		TEEC_Context ctx;
		TEEC_Session s;
		uint32_t origin;
		if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS ||
		    TEEC_OpenSession(&ctx, &s, &fz_ta_uuid, TEEC_LOGIN_PUBLIC,
				     NULL, NULL, &origin) != TEEC_SUCCESS)
			fz_broken("no session");
		load(&s, &f, &im, heap_used(&s));
		TEEC_CloseSession(&s);
		TEEC_FinalizeContext(&ctx);
	}
	free(im.bytes);
	fz_sim_check("the end");
	fz_sim_idle();
	return 0;
}
