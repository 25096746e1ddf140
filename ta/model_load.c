/*
 * OPEN_MODEL and LOAD_CHUNK: a model enters the TA in chunks through the
 * shared-memory window and is checked whole before anything uses it.
 *
 * OPEN_MODEL checks the header it is given, then that the model, the
 * arena the caller planned and S-Tinylib's plan fit what is left of the
 * heap, and only then allocates them. LOAD_CHUNK takes the chunks in
 * order, each copied once into its place in the model buffer (decrypted
 * there for an encrypted model); the last one verifies the whole file:
 * its length, the tag, tl_model_open (every table, shape and the CRC)
 * and tl_plan within the opened arena. A chunk refused for its
 * parameters changes nothing (no byte of it was read); a failure after
 * that scrubs and frees everything the load holds.
 */
#include "sz_ta.h"

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

/* The first SZ_HEADER_BYTES of a .tlm of size bytes, for an early
 * refusal: magic, version, flags, header and file size, counts within
 * S-Tinylib's limits (offsets from docs/model-format.md). tl_model_open
 * checks it all again with the rest. */
static TEE_Result check_tlm_header(const uint8_t *h, uint32_t size)
{
	uint32_t tensors = le32(h + 20), layers = le32(h + 28);
	if (TEE_MemCompare(h, TL_MAGIC, 4) != 0 ||
	    le16(h + 4) != TL_VERSION_MAJOR || le32(h + 8) != 0 ||
	    le32(h + 12) != TL_HEADER_SIZE || le32(h + 16) != size ||
	    size < TL_HEADER_SIZE + TL_CRC_SIZE || tensors < 2 ||
	    tensors > TL_MAX_TENSORS || layers < 1 || layers > TL_MAX_LAYERS)
		return TEE_ERROR_BAD_FORMAT;
	return TEE_SUCCESS;
}

static TEE_Result take_tlm_header(const TEE_Param *p, uint32_t size)
{
	uint8_t h[SZ_HEADER_BYTES];
	TEE_Result res = sz_take_exact(p, h, sizeof h);
	return res == TEE_SUCCESS ? check_tlm_header(h, size) : res;
}

/* The encrypted model's header. Its reserved word is not the TA's: the
 * additional data authenticates it, whatever the normal world keeps
 * there. */
static TEE_Result take_enc_header(const TEE_Param *p, uint32_t size,
				  struct sz_enc_header *h)
{
	TEE_Result res = sz_take_exact(p, h, sizeof *h);
	if (res != TEE_SUCCESS)
		return res;
	if (h->magic != SZ_ENC_MAGIC || h->pad != 0 ||
	    size < TL_HEADER_SIZE + TL_CRC_SIZE)
		return TEE_ERROR_BAD_FORMAT;
	return h->plaintext_bytes == size ? TEE_SUCCESS
					  : TEE_ERROR_BAD_PARAMETERS;
}

/* Everything a load holds, checked against the heap as one sum first. */
static TEE_Result open_buffers(struct sz_session *s, uint32_t size,
			       uint32_t arena)
{
	uint64_t need = sz_buf_cost(size) + sz_buf_cost(arena) +
			sz_buf_cost(sizeof(struct tl_plan)) +
			(s->encrypted ? sz_buf_cost(SZ_BOUNCE_BYTES) : 0);
	TEE_Result res = sz_heap_room(s, need);
	if (res == TEE_SUCCESS)
		res = sz_buf_alloc(s, &s->model, size);
	if (res == TEE_SUCCESS)
		res = sz_buf_alloc(s, &s->arena, arena);
	if (res == TEE_SUCCESS)
		res = sz_buf_alloc(s, &s->plan, sizeof(struct tl_plan));
	if (res == TEE_SUCCESS && s->encrypted)
		res = sz_buf_alloc(s, &s->bounce, SZ_BOUNCE_BYTES);
	return res;
}

TEE_Result sz_cmd_open_model(struct sz_session *s, uint32_t types,
			     TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
				     TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_VALUE_INPUT,
				     TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (s->state != SZ_NONE)
		return TEE_ERROR_BAD_STATE;
	uint32_t size = p[0].value.a, flags = p[0].value.b;
	uint32_t arena = p[2].value.a;
	if ((flags & ~SZ_OPEN_ENCRYPTED) != 0 || p[2].value.b != 0 ||
	    arena == 0)
		return TEE_ERROR_BAD_PARAMETERS;
	struct sz_enc_header h;
	uint32_t encrypted = flags & SZ_OPEN_ENCRYPTED;
	TEE_Result res = encrypted ? take_enc_header(&p[1], size, &h)
				   : take_tlm_header(&p[1], size);
	if (res != TEE_SUCCESS)
		return res;
	s->encrypted = encrypted;
	res = open_buffers(s, size, arena);
	if (res == TEE_SUCCESS && encrypted)
		res = sz_decrypt_begin(s, &h);
	if (res != TEE_SUCCESS) {
		sz_model_close(s);
		return res;
	}
	s->state = SZ_LOADING;
	return TEE_SUCCESS;
}

struct chunk {
	uint32_t offset, len, last;
	const uint8_t *src;		/* shared: read once */
	uint8_t tag[SZ_GCM_TAG_BYTES];	/* the secure copy */
};

/* LOAD_CHUNK's parameters, all checked before a byte of the chunk is
 * read: in order (offset = bytes so far: no gap, no overlap), not past
 * the declared size (64-bit sum), the last flag exactly on the chunk
 * that completes the file, a tag with it when encrypted. */
static TEE_Result chunk_params(const struct sz_session *s, uint32_t types,
			       TEE_Param p[4], struct chunk *c)
{
	uint32_t t2 = TEE_PARAM_TYPE_GET(types, 2);
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
				     TEE_PARAM_TYPE_MEMREF_INPUT, t2,
				     TEE_PARAM_TYPE_NONE) ||
	    (t2 != TEE_PARAM_TYPE_NONE && t2 != TEE_PARAM_TYPE_MEMREF_INPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	if (s->state != SZ_LOADING)
		return TEE_ERROR_BAD_STATE;
	c->offset = p[0].value.a;
	c->last = p[0].value.b;
	c->len = p[1].memref.size;
	c->src = p[1].memref.buffer;
	uint64_t end = (uint64_t)c->offset + c->len;
	uint32_t tagged = c->last == SZ_CHUNK_LAST && s->encrypted;
	if (c->last > SZ_CHUNK_LAST ||
	    (t2 == TEE_PARAM_TYPE_MEMREF_INPUT) != (tagged != 0) ||
	    c->offset != s->loaded || c->len == 0 || end > s->model.size ||
	    (c->last == SZ_CHUNK_LAST) != (end == s->model.size) ||
	    (s->encrypted && c->offset == 0 && c->len < SZ_HEADER_BYTES))
		return TEE_ERROR_BAD_PARAMETERS;
	return tagged ? sz_take_exact(&p[2], c->tag, sizeof c->tag)
		      : TEE_SUCCESS;
}

/* The chunk into its place: copied once, or decrypted there. Decrypted
 * bytes are not looked at before the tag has verified them: a check of
 * unauthenticated plaintext would answer a normal world that flips
 * ciphertext bits whether the result passes (GCM's counter mode lets it
 * flip the plaintext's bits at will), which tells it the model's
 * structure bit by bit. */
static TEE_Result place_chunk(struct sz_session *s, const struct chunk *c)
{
	TEE_Result res = TEE_SUCCESS;
	if (s->encrypted) {
		res = sz_decrypt_chunk(s, c->src, c->len);
	} else {
		TEE_MemMove((uint8_t *)s->model.p + c->offset, c->src, c->len);
		s->produced += c->len;
	}
	s->loaded += c->len;
	return res;
}

/* The whole file is in: nothing of it is used before this passes. */
static TEE_Result verify(struct sz_session *s, uint8_t *tag)
{
	TEE_Result res = s->encrypted ? sz_decrypt_end(s, tag) : TEE_SUCCESS;
	if (res != TEE_SUCCESS)
		return res;
	struct tl_model_error err;
	struct tl_plan *plan = s->plan.p;
	if (s->produced != s->model.size ||
	    tl_model_open(s->model.p, s->model.size, &s->tlm, &err) != TL_OK ||
	    tl_plan(&s->tlm, plan) != TL_OK)
		return TEE_ERROR_BAD_FORMAT;
	/* the caller opened a smaller arena than the model needs */
	if (plan->arena_size > s->arena.size)
		return TEE_ERROR_BAD_PARAMETERS;
	s->macs = sz_model_macs(&s->tlm);
	s->state = SZ_READY;
	return TEE_SUCCESS;
}

TEE_Result sz_cmd_load_chunk(struct sz_session *s, uint32_t types,
			     TEE_Param p[4])
{
	struct chunk c;
	TEE_Result res = chunk_params(s, types, p, &c);
	if (res != TEE_SUCCESS)
		return res;
	res = place_chunk(s, &c);
	if (res == TEE_SUCCESS && c.last == SZ_CHUNK_LAST)
		res = verify(s, c.tag);
	if (res != TEE_SUCCESS)
		sz_model_close(s);
	return res;
}

void sz_model_close(struct sz_session *s)
{
	if (s->op != TEE_HANDLE_NULL)
		TEE_FreeOperation(s->op);
	s->op = TEE_HANDLE_NULL;
	sz_buf_free(s, &s->model);
	sz_buf_free(s, &s->arena);
	sz_buf_free(s, &s->plan);
	sz_buf_free(s, &s->bounce);
	TEE_MemFill(&s->tlm, 0, sizeof s->tlm);
	s->state = SZ_NONE;
	s->encrypted = 0;
	s->loaded = s->produced = 0;
	s->runs = s->macs = 0;
}
