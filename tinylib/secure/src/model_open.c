/*
 * tl_model_open: the whole .tlm file checked before anything uses it.
 * Order: header, CRC, tensor table, layer table (model_layers.c). Every
 * read is inside the blob and every size is computed in 64 bits from
 * 32-bit fields, so nothing can wrap.
 */
#include <string.h>

#include "model_internal.h"

uint32_t tl_read32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

enum tl_status tl_fail(struct tl_model_error *err, enum tl_status code,
		       int layer, int tensor, const char *field,
		       uint64_t found, uint64_t expected)
{
	err->code = code;
	err->layer = layer;
	err->tensor = tensor;
	err->field = field;
	err->found = found;
	err->expected = expected;
	return code;
}

static enum tl_status header_fail(struct tl_model_error *err,
				  enum tl_status code, const char *field,
				  uint64_t found, uint64_t expected)
{
	return tl_fail(err, code, -1, -1, field, found, expected);
}

/*
 * Reserved words are 0 in 1.0 (the header's three, each tensor entry's
 * two): a later minor version can give them a meaning, which a 1.0
 * reader then refuses instead of misreading. The index of the first of
 * count words at p that is not 0, or -1.
 */
static int nonzero_word(const uint8_t *p, int count)
{
	for (int i = 0; i < count; i++)
		if (tl_read32(p + 4 * i) != 0)
			return i;
	return -1;
}

static const char *const reserved_names[3] = { "reserved[0]",
					       "reserved[1]", "reserved[2]" };

/* A table of count entries of entry_size bytes at offset lies inside the
 * blob, before the CRC, and is aligned. */
static enum tl_status check_range(struct tl_model_error *err,
				  const char *field, uint32_t offset,
				  uint64_t count, uint64_t entry_size,
				  size_t body_end)
{
	uint64_t end = offset + count * entry_size;
	if (offset % TL_ALIGN != 0)
		return header_fail(err, TL_E_HEADER, field, offset % TL_ALIGN, 0);
	if (offset < TL_HEADER_SIZE || end > body_end)
		return header_fail(err, TL_E_TRUNCATED, field, end, body_end);
	return TL_OK;
}

static enum tl_status check_header(const uint8_t *b, size_t size,
				   struct tl_model *m,
				   struct tl_model_error *err)
{
	if (size < TL_HEADER_SIZE + TL_CRC_SIZE)
		return header_fail(err, TL_E_TRUNCATED, "file size", size,
				   TL_HEADER_SIZE + TL_CRC_SIZE);
	if (memcmp(b, TL_MAGIC, 4) != 0)
		return header_fail(err, TL_E_MAGIC, "magic", tl_read32(b),
				   tl_read32((const uint8_t *)TL_MAGIC));
	uint32_t major = tl_read32(b + 4) & 0xffff;
	m->version_minor = (uint16_t)(tl_read32(b + 4) >> 16);
	if (major != TL_VERSION_MAJOR)
		return header_fail(err, TL_E_VERSION, "version major", major,
				   TL_VERSION_MAJOR);
	if (tl_read32(b + 8) != 0)
		return header_fail(err, TL_E_FLAGS, "flags", tl_read32(b + 8), 0);
	if (tl_read32(b + 12) != TL_HEADER_SIZE)
		return header_fail(err, TL_E_HEADER, "header size",
				   tl_read32(b + 12), TL_HEADER_SIZE);
	if (tl_read32(b + 16) != size)
		return header_fail(err, TL_E_TRUNCATED, "file size",
				   size, tl_read32(b + 16));
	int r = nonzero_word(b + 52, 3);
	if (r >= 0)
		return header_fail(err, TL_E_HEADER, reserved_names[r],
				   tl_read32(b + 52 + 4 * r), 0);
	m->tensor_count = tl_read32(b + 20);
	m->tensor_table = tl_read32(b + 24);
	m->layer_count = tl_read32(b + 28);
	m->layer_table = tl_read32(b + 32);
	m->weights_offset = tl_read32(b + 36);
	m->weights_size = tl_read32(b + 40);
	m->input = tl_read32(b + 44);
	m->output = tl_read32(b + 48);
	return TL_OK;
}

/* The tensor table, the layer table and the weights share no byte: a
 * section read as another is no model. The later section of a pair
 * that overlaps is named, found its start, expected the other's end. */
static enum tl_status check_disjoint(const struct tl_model *m,
				     struct tl_model_error *err)
{
	const struct { const char *field; uint64_t start, end; } s[3] = {
		{ "tensor table", m->tensor_table, m->tensor_table +
		  (uint64_t)m->tensor_count * TL_TENSOR_ENTRY_SIZE },
		{ "layer table", m->layer_table, m->layer_table +
		  (uint64_t)m->layer_count * TL_LAYER_ENTRY_SIZE },
		{ "weights", m->weights_offset,
		  (uint64_t)m->weights_offset + m->weights_size },
	};
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (s[i].start < s[i].end && s[j].start < s[j].end &&
			    s[i].start < s[j].end && s[j].start < s[i].end)
				return header_fail(err, TL_E_HEADER,
						   s[j].field, s[j].start,
						   s[i].end);
	return TL_OK;
}

static enum tl_status check_tables(const struct tl_model *m,
				   struct tl_model_error *err)
{
	size_t body_end = m->size - TL_CRC_SIZE;
	enum tl_status s;
	if (m->layer_count == 0 || m->layer_count > TL_MAX_LAYERS)
		return header_fail(err, TL_E_LIMIT, "layer count",
				   m->layer_count, TL_MAX_LAYERS);
	if (m->tensor_count < 2 || m->tensor_count > TL_MAX_TENSORS)
		return header_fail(err, TL_E_LIMIT, "tensor count",
				   m->tensor_count, TL_MAX_TENSORS);
	s = check_range(err, "tensor table", m->tensor_table,
			m->tensor_count, TL_TENSOR_ENTRY_SIZE, body_end);
	if (s == TL_OK)
		s = check_range(err, "layer table", m->layer_table,
				m->layer_count, TL_LAYER_ENTRY_SIZE, body_end);
	if (s == TL_OK)
		s = check_range(err, "weights", m->weights_offset,
				m->weights_size, 1, body_end);
	return s == TL_OK ? check_disjoint(m, err) : s;
}

static enum tl_status check_crc(const uint8_t *b, size_t size,
				struct tl_model_error *err)
{
	uint32_t stored = tl_read32(b + size - TL_CRC_SIZE);
	uint32_t computed = tl_crc32(0, b, size - TL_CRC_SIZE);
	if (stored != computed)
		return header_fail(err, TL_E_CRC, "crc32", stored, computed);
	return TL_OK;
}

static enum tl_status check_tensor(const struct tl_model *m, uint32_t id,
				   struct tl_model_error *err)
{
	const uint8_t *e = m->blob + m->tensor_table + (size_t)id * TL_TENSOR_ENTRY_SIZE;
	uint32_t kind = tl_read32(e), dtype = tl_read32(e + 4);
	uint64_t c = tl_read32(e + 8), h = tl_read32(e + 12), w = tl_read32(e + 16);
	uint32_t offset = tl_read32(e + 20);
	if (kind != TL_TENSOR_ACTIVATION && kind != TL_TENSOR_PARAMETER)
		return tl_fail(err, TL_E_TENSOR, -1, (int)id, "kind", kind, 1);
	/* 1.2 names the first reserved word the layout: a parameter's may
	 * be by 16 (its layer says where: model_layers.c) */
	int layout_known = m->version_minor >= 2;
	int r = nonzero_word(e + 24 + 4 * layout_known, 2 - layout_known);
	if (r >= 0)
		return tl_fail(err, TL_E_TENSOR, -1, (int)id,
			       reserved_names[r + layout_known],
			       tl_read32(e + 24 + 4 * (r + layout_known)), 0);
	uint32_t layout = tl_read32(e + 24);
	if (layout != TL_LAYOUT_ROWS &&
	    (layout != TL_LAYOUT_BY_16 || kind != TL_TENSOR_PARAMETER))
		return tl_fail(err, TL_E_TENSOR, -1, (int)id, "layout", layout,
			       TL_LAYOUT_ROWS);
	if (dtype != TL_DTYPE_F32)
		return tl_fail(err, TL_E_TENSOR, -1, (int)id, "dtype", dtype,
			       TL_DTYPE_F32);
	if (c == 0 || h == 0 || w == 0)
		return tl_fail(err, TL_E_TENSOR, -1, (int)id, "shape", 0, 1);
	/* c h < 2^64 always; once it is below 2^32, c h w < 2^64 too. */
	if (c * h > UINT32_MAX || c * h * w > UINT32_MAX / sizeof(float))
		return tl_fail(err, TL_E_TENSOR, -1, (int)id, "elements",
			       c * h > UINT32_MAX ? c * h : c * h * w,
			       UINT32_MAX / sizeof(float));
	uint64_t bytes = c * h * w * sizeof(float);
	if (kind == TL_TENSOR_ACTIVATION)
		return offset == 0 ? TL_OK :
		       tl_fail(err, TL_E_TENSOR, -1, (int)id, "offset", offset, 0);
	if (offset % TL_ALIGN != 0)
		return tl_fail(err, TL_E_TENSOR, -1, (int)id, "offset alignment",
			       offset % TL_ALIGN, 0);
	if ((uint64_t)offset + bytes > m->weights_size)
		return tl_fail(err, TL_E_TRUNCATED, -1, (int)id, "data",
			       (uint64_t)offset + bytes, m->weights_size);
	return TL_OK;
}

enum tl_status tl_model_open(const void *blob, size_t size,
			     struct tl_model *model,
			     struct tl_model_error *err)
{
	enum tl_status s;
	if (err == NULL || model == NULL || blob == NULL ||
	    (uintptr_t)blob % TL_ALIGN != 0)
		return err ? header_fail(err, TL_E_ARGUMENT, "blob", 0, 0)
			   : TL_E_ARGUMENT;
	memset(model, 0, sizeof *model);
	model->blob = blob;
	model->size = size;
	s = check_header(blob, size, model, err);
	if (s == TL_OK)
		s = check_crc(blob, size, err);
	if (s == TL_OK)
		s = check_tables(model, err);
	for (uint32_t id = 0; s == TL_OK && id < model->tensor_count; id++)
		s = check_tensor(model, id, err);
	if (s == TL_OK)
		s = tl_check_layers(model, err);
	if (s != TL_OK)
		memset(model, 0, sizeof *model);
	else
		tl_fail(err, TL_OK, -1, -1, "", 0, 0);
	return s;
}

void tl_model_tensor(const struct tl_model *m, uint32_t id, struct tl_tensor *t)
{
	const uint8_t *e = m->blob + m->tensor_table + (size_t)id * TL_TENSOR_ENTRY_SIZE;
	t->kind = (enum tl_tensor_kind)tl_read32(e);
	t->c = tl_read32(e + 8);
	t->h = tl_read32(e + 12);
	t->w = tl_read32(e + 16);
	t->elements = (size_t)t->c * t->h * t->w;
	t->layout = (enum tl_layout)tl_read32(e + 24);
	t->data = NULL;
	if (t->kind == TL_TENSOR_PARAMETER)
		t->data = (const float *)(const void *)(m->blob + m->weights_offset +
							tl_read32(e + 20));
}

void tl_model_layer(const struct tl_model *m, uint32_t index, struct tl_layer *l)
{
	const uint8_t *e = m->blob + m->layer_table + (size_t)index * TL_LAYER_ENTRY_SIZE;
	uint32_t types = tl_read32(e);
	l->type = (enum tl_layer_type)(types & 0xffff);
	l->activation = (enum tl_activation)(types >> 16);
	l->output = tl_read32(e + 4);
	l->n_inputs = 0;
	for (int i = 0; i < TL_MAX_INPUTS; i++) {
		l->inputs[i] = tl_read32(e + 8 + 4 * i);
		if (l->inputs[i] != TL_NONE)
			l->n_inputs = i + 1;
	}
	l->weights = tl_read32(e + 24);
	l->bias = tl_read32(e + 28);
	for (int i = 0; i < TL_MAX_PARAMS; i++)
		l->params[i] = (int32_t)tl_read32(e + 32 + 4 * i);
}

float tl_param_float(int32_t bits)
{
	union { int32_t i; float f; } u = { .i = bits };
	return u.f;
}

const char *tl_status_str(enum tl_status status)
{
	switch (status) {
	case TL_OK: return "no error";
	case TL_E_ARGUMENT: return "invalid argument";
	case TL_E_TRUNCATED: return "truncated or out-of-bounds data";
	case TL_E_MAGIC: return "not a .tlm file";
	case TL_E_VERSION: return "unsupported format version";
	case TL_E_FLAGS: return "unknown flags";
	case TL_E_HEADER: return "invalid header field";
	case TL_E_CRC: return "CRC mismatch";
	case TL_E_TENSOR: return "invalid tensor entry";
	case TL_E_LAYER: return "invalid layer entry";
	case TL_E_REFERENCE: return "invalid tensor reference";
	case TL_E_SHAPE: return "shape mismatch";
	case TL_E_WEIGHTS: return "wrong parameter array size";
	case TL_E_ARENA: return "arena too small";
	case TL_E_LIMIT: return "too many layers or tensors";
	default: return "unknown status";	/* OP-TEE's -Wswitch-default */
	}
}
