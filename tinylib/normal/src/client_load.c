/*
 * Provisioning a model (tl_client.h): OPEN_MODEL, then LOAD_CHUNK through
 * one window of shared memory until the last chunk. The window is
 * allocated once (TEEC_AllocateSharedMemory: page-aligned, no bounce
 * copy) and every byte the TA is sent passes through it: the header
 * OPEN_MODEL checks, each chunk, and an encrypted model's tag.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob_plan.h"
#include "client_internal.h"
#include "tl_file.h"
#include "tl_model.h"
#include "tl_tlme.h"

/* Where the model's bytes come from: a file read as they are sent (an
 * encrypted model never needs to be in memory whole) or a blob. */
struct source {
	const char *name;	/* for messages */
	FILE *f;
	const uint8_t *blob;
	uint64_t size;
};

static int source_read(const struct source *s, uint64_t at, void *buf,
		       size_t n, char *err, size_t err_len)
{
	if (at > s->size || n > s->size - at)
		return tl_client_fail(err, err_len, TL_CLIENT_E_MODEL,
				      "%s: ends at byte %llu, %zu bytes "
				      "wanted at %llu", s->name,
				      (unsigned long long)s->size, n,
				      (unsigned long long)at);
	if (s->blob) {
		memcpy(buf, s->blob + at, n);
		return TL_CLIENT_OK;
	}
	if (fseeko(s->f, (off_t)at, SEEK_SET) || fread(buf, 1, n, s->f) != n)
		return tl_client_fail(err, err_len, TL_CLIENT_E_IO,
				      "%s: could not read %zu bytes at %llu",
				      s->name, n, (unsigned long long)at);
	return TL_CLIENT_OK;
}

/* What is sent: the header OPEN_MODEL takes, and the chunks' bytes. */
struct wire {
	uint32_t flags;		/* SZ_OPEN_ENCRYPTED or 0 */
	uint64_t start, bytes;	/* the chunks' bytes within the source */
	size_t header_bytes;	/* the start of the source OPEN_MODEL gets */
	uint64_t tag_at;	/* encrypted: where the tag is */
};

struct loader {
	struct tl_client *c;
	const struct source *src;
	struct wire w;
	TEEC_SharedMemory shm;	/* the window */
	const struct tl_client_load_opts *o;
	char *err;
	size_t err_len;
};

/* ---- Checking the model on the normal side ---- */

/* A plaintext .tlm: checked and planned here, for the arena OPEN_MODEL
 * asks for and the input shape a caller needs. */
static int plain_wire(struct tl_client *c, const struct source *s,
		      uint64_t arena, struct wire *w, char *err,
		      size_t err_len)
{
	struct tl_blob_plan bp = { .arena = arena };
	int st = arena ? TL_CLIENT_OK
		       : tl_blob_plan(s->blob, (size_t)s->size, s->name, &bp,
				      err, err_len);
	if (st)
		return st;
	*w = (struct wire){ .start = 0, .bytes = s->size,
			    .header_bytes = SZ_HEADER_BYTES };
	c->model.file_bytes = s->size;
	c->model.arena_bytes = bp.arena;
	c->model.input_elements = bp.input_elements;
	c->model.output_elements = bp.output_elements;
	c->model.input_c = bp.input_c;
	c->model.input_h = bp.input_h;
	c->model.input_w = bp.input_w;
	return TL_CLIENT_OK;
}

/* An encrypted .tlme: only its clear header is read here. */
static int encrypted_wire(struct tl_client *c, const struct source *s,
			  struct wire *w, char *err, size_t err_len)
{
	struct sz_enc_header h;
	int st = source_read(s, 0, &h, sizeof h, err, err_len);
	if (st)
		return st;
	if (tl_tlme_check_header(&h, s->size, s->name, err, err_len))
		return TL_CLIENT_E_MODEL;
	*w = (struct wire){ .flags = SZ_OPEN_ENCRYPTED,
			    .start = sizeof h, .bytes = h.plaintext_bytes,
			    .header_bytes = sizeof h,
			    .tag_at = sizeof h + h.plaintext_bytes };
	c->model.encrypted = true;
	c->model.file_bytes = h.plaintext_bytes;
	c->model.arena_bytes = tl_tlme_arena_bytes(&h);
	return TL_CLIENT_OK;
}

static int describe(struct tl_client *c, const struct source *s,
		    uint64_t arena, struct wire *w, char *err, size_t err_len)
{
	uint8_t magic[4];
	memset(&c->model, 0, sizeof c->model);
	int st = source_read(s, 0, magic, sizeof magic, err, err_len);
	if (st)
		return st;
	st = tl_tlme_is_encrypted(magic, sizeof magic)
	     ? encrypted_wire(c, s, w, err, err_len)
	     : plain_wire(c, s, arena, w, err, err_len);
	if (!st && (c->model.file_bytes > UINT32_MAX ||
		    c->model.arena_bytes > UINT32_MAX))
		st = tl_client_fail(err, err_len, TL_CLIENT_E_MODEL,
				    "%s: %llu bytes of model and %llu of "
				    "arena: OPEN_MODEL takes 32-bit sizes",
				    s->name,
				    (unsigned long long)c->model.file_bytes,
				    (unsigned long long)c->model.arena_bytes);
	return st;
}

/* ---- Sending it ---- */

static int open_model(struct loader *l)
{
	int st = source_read(l->src, 0, l->shm.buffer, l->w.header_bytes,
			     l->err, l->err_len);
	if (st)
		return st;
	TEEC_Operation op = { .paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_PARTIAL_INPUT, TEEC_VALUE_INPUT,
		TEEC_NONE) };
	op.params[0].value.a = (uint32_t)l->c->model.file_bytes;
	op.params[0].value.b = l->w.flags;
	op.params[1].memref.parent = &l->shm;
	op.params[1].memref.size = l->w.header_bytes;
	op.params[2].value.a = (uint32_t)l->c->model.arena_bytes;
	return tl_client_invoke(l->c, SZ_CMD_OPEN_MODEL, &op, "opening the "
				"model in the TA (OPEN_MODEL)", l->err,
				l->err_len);
}

/* The bytes of the next chunk at done. An encrypted model's tag rides
 * in the window after its last chunk; when it would not fit, that chunk
 * is sent in two, so that the last one leaves room for it. */
static size_t chunk_bytes(const struct loader *l, uint64_t done)
{
	uint64_t left = l->w.bytes - done, win = l->shm.size;
	if (left > win)
		return win;
	if (l->w.flags & SZ_OPEN_ENCRYPTED && left + SZ_GCM_TAG_BYTES > win)
		return (size_t)(left - SZ_GCM_TAG_BYTES);
	return (size_t)left;
}

static int send_chunk(struct loader *l, uint64_t done, size_t n)
{
	bool last = done + n == l->w.bytes;
	bool tag = last && (l->w.flags & SZ_OPEN_ENCRYPTED);
	uint8_t *buf = l->shm.buffer;
	int st = source_read(l->src, l->w.start + done, buf, n, l->err,
			     l->err_len);
	if (!st && tag)
		st = source_read(l->src, l->w.tag_at, buf + n,
				 SZ_GCM_TAG_BYTES, l->err, l->err_len);
	if (st)
		return st;
	TEEC_Operation op = { .paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_PARTIAL_INPUT,
		tag ? TEEC_MEMREF_PARTIAL_INPUT : TEEC_NONE, TEEC_NONE) };
	op.params[0].value.a = (uint32_t)done;
	op.params[0].value.b = last ? SZ_CHUNK_LAST : 0;
	op.params[1].memref.parent = &l->shm;
	op.params[1].memref.size = n;
	op.params[2].memref.parent = &l->shm;
	op.params[2].memref.offset = n;
	op.params[2].memref.size = SZ_GCM_TAG_BYTES;
	char what[96];
	snprintf(what, sizeof what, "sending the model's %s (LOAD_CHUNK at "
		 "byte %llu)", last ? "last chunk" : "chunk",
		 (unsigned long long)done);
	return tl_client_invoke(l->c, SZ_CMD_LOAD_CHUNK, &op, what, l->err,
				l->err_len);
}

static void progress(const struct loader *l, uint64_t done)
{
	if (l->o && l->o->progress)
		l->o->progress(l->o->progress_arg, done, l->w.bytes);
}

static int stream(struct loader *l)
{
	int st = open_model(l);
	if (st)
		return st;
	progress(l, 0);
	for (uint64_t done = 0; done < l->w.bytes;) {
		size_t n = chunk_bytes(l, done);
		if ((st = send_chunk(l, done, n)))
			return st;
		done += n;
		l->c->model.chunks++;
		progress(l, done);
	}
	l->c->model.wire_bytes = l->w.bytes;
	return TL_CLIENT_OK;
}

static int load(struct tl_client *c, const struct source *src,
		const struct tl_client_load_opts *o, char *err, size_t err_len)
{
	uint64_t window = o && o->window ? o->window : TL_CLIENT_DEFAULT_WINDOW;
	if (window < TL_CLIENT_MIN_WINDOW || window > SIZE_MAX)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG, "a window "
				      "of %llu bytes: at least %u are needed",
				      (unsigned long long)window,
				      TL_CLIENT_MIN_WINDOW);
	if (c->loaded && tl_client_unload(c, err, err_len))
		return TL_CLIENT_E_TEE;
	struct loader l = { .c = c, .src = src, .o = o, .err = err,
			    .err_len = err_len };
	int st = describe(c, src, o ? o->arena : 0, &l.w, err, err_len);
	if (st)
		return st;
	l.shm.size = (size_t)window;
	l.shm.flags = TEEC_MEM_INPUT;
	TEEC_Result res = TEEC_AllocateSharedMemory(&c->ctx, &l.shm);
	tl_client_record(c, TL_CALL_ALLOCATE_SHARED_MEMORY, 0, res,
			 res == TEEC_SUCCESS ? 0 : TEEC_ORIGIN_API);
	if (res != TEEC_SUCCESS)
		return tl_client_tee_fail(c, err, err_len, "allocating the "
					  "shared-memory window "
					  "(TEEC_AllocateSharedMemory)", res,
					  TEEC_ORIGIN_API);
	st = stream(&l);
	TEEC_ReleaseSharedMemory(&l.shm);
	tl_client_record(c, TL_CALL_RELEASE_SHARED_MEMORY, 0, TEEC_SUCCESS, 0);
	c->loaded = st == TL_CLIENT_OK;
	if (st && c->session_open) {
		/* the TA scrubs what it took; the first failure is the news */
		TEEC_Operation op = { .paramTypes = 0 };
		uint32_t origin;
		tl_client_invoke_raw(c, SZ_CMD_CLOSE_MODEL, &op, &origin);
	}
	return st;
}

int tl_client_load_blob(struct tl_client *c, const void *blob, size_t size,
			const struct tl_client_load_opts *opts, char *err,
			size_t err_len)
{
	if (!c || !blob)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG,
				      "loading a model: a NULL argument");
	struct source s = { .name = "the model", .blob = blob, .size = size };
	return load(c, &s, opts, err, err_len);
}

/* The whole file, for a plaintext model (planned here first). */
static int read_whole(struct source *s, uint8_t **buf, char *err,
		      size_t err_len)
{
	*buf = aligned_alloc(TL_ALIGN, (s->size + TL_ALIGN) / TL_ALIGN *
			     TL_ALIGN);
	if (!*buf)
		return tl_client_fail(err, err_len, TL_CLIENT_E_NOMEM,
				      "%s: out of memory for %llu bytes",
				      s->name, (unsigned long long)s->size);
	int st = source_read(s, 0, *buf, (size_t)s->size, err, err_len);
	s->blob = *buf;
	return st;
}

/* s->f and s->size for the regular file s->name. A stream (a pipe, a
 * device) has no size to send a model by: one in memory is a blob. */
static int open_source(struct source *s, char *err, size_t err_len)
{
	char why[512];
	off_t end = -1;
	s->f = fopen(s->name, "rb");
	if (!s->f)
		return tl_client_fail(err, err_len, TL_CLIENT_E_IO, "%s: %s",
				      s->name, strerror(errno));
	if (tl_file_is_regular(fileno(s->f), s->name, why, sizeof why)) {
		fclose(s->f);
		return tl_client_fail(err, err_len, TL_CLIENT_E_IO, "%s; give "
				      "a file, or the model in memory "
				      "(tl_client_load_blob)", why);
	}
	if (fseeko(s->f, 0, SEEK_END) == 0)
		end = ftello(s->f);
	if (end < 0) {
		int st = tl_client_fail(err, err_len, TL_CLIENT_E_IO, "%s: %s",
					s->name, strerror(errno));
		fclose(s->f);
		return st;
	}
	s->size = (uint64_t)end;
	return TL_CLIENT_OK;
}

int tl_client_load_file(struct tl_client *c, const char *path,
			const struct tl_client_load_opts *opts, char *err,
			size_t err_len)
{
	if (!c || !path)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG,
				      "loading a model: a NULL argument");
	struct source s = { .name = path };
	int st = open_source(&s, err, err_len);
	if (st)
		return st;
	uint8_t magic[4] = { 0 }, *whole = NULL;
	st = source_read(&s, 0, magic, s.size < 4 ? s.size : 4, err,
			     err_len);
	if (!st && !tl_tlme_is_encrypted(magic, sizeof magic))
		st = read_whole(&s, &whole, err, err_len);
	if (!st)
		st = load(c, &s, opts, err, err_len);
	free(whole);
	fclose(s.f);
	return st;
}
