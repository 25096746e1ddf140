/*
 * The Smart-Zone TA's protocol: what the normal world (N-Tinylib) and the
 * TA (ta/) agree on. Plain constants and fixed-layout structs, included by
 * both worlds; nothing here is trusted by the TA without checking.
 *
 * A session's life:
 *   [PROVISION_KEY once per device, for encrypted models]
 *   OPEN_MODEL  -> LOAD_CHUNK ... (last) -> RUN ... -> REPORT -> CLOSE_MODEL
 * or, for the baseline, per inference:
 *   HOLD_INPUT -> (OPEN_MODEL -> LOAD_CHUNK ... -> RUN_HELD -> CLOSE_MODEL)
 *   for each step -> TAKE_OUTPUT
 * Closing the session closes the model. Every command checks its
 * parameter types first (TEE_ERROR_BAD_PARAMETERS otherwise).
 */
#ifndef SMARTZONE_TA_H
#define SMARTZONE_TA_H

#include <stdint.h>

/* 0e67a2dc-17bf-4124-b771-0f3c4790399c (random, uuid4) */
#define SZ_TA_UUID { 0x0e67a2dc, 0x17bf, 0x4124, \
	{ 0xb7, 0x71, 0x0f, 0x3c, 0x47, 0x90, 0x39, 0x9c } }

enum sz_command {
	/*
	 * [0] VALUE_INPUT  a = model file bytes (plaintext), b = flags
	 * [1] MEMREF_INPUT the file's first SZ_HEADER_BYTES (plaintext), or
	 *                  for SZ_OPEN_ENCRYPTED the struct sz_enc_header
	 * [2] VALUE_INPUT  a = arena bytes the caller planned (tl_plan), b = 0
	 * Checks the header's counts and sizes (for an encrypted model: the
	 * plaintext size now, the header with the rest of the file once the
	 * tag has verified it; the first chunk must hold SZ_HEADER_BYTES)
	 * and that model + arena + plan fit the TA's heap, then allocates
	 * them; nothing before that.
	 */
	SZ_CMD_OPEN_MODEL = 0,
	/*
	 * [0] VALUE_INPUT  a = offset (must equal the bytes loaded so far),
	 *                  b = SZ_CHUNK_LAST on the last chunk
	 * [1] MEMREF_INPUT the chunk (ciphertext when encrypted)
	 * [2] MEMREF_INPUT on the last chunk of an encrypted model: the
	 *                  16-byte GCM tag; else NONE
	 * Copies the chunk once into the model buffer (decrypting it when
	 * encrypted). The last chunk verifies the whole file (length, tag,
	 * tl_model_open, tl_plan within the opened arena).
	 */
	SZ_CMD_LOAD_CHUNK = 1,
	/*
	 * [0] MEMREF_INPUT  input tensor, float32, tl_model_input_elements
	 * [1] MEMREF_OUTPUT output tensor, float32 (size updated; SHORT_BUFFER
	 *                   with the size needed when too small)
	 * [2] VALUE_INPUT   a = SZ_MODE_STRICT or SZ_MODE_FAST, b = 0
	 */
	SZ_CMD_RUN = 2,
	/* [0] MEMREF_OUTPUT struct sz_report */
	SZ_CMD_REPORT = 3,
	/* Scrubs and frees the model, the arena and the plan. No params. */
	SZ_CMD_CLOSE_MODEL = 4,
	/* [0] MEMREF_INPUT the 32-byte AES-256 key, stored in the TA's
	 * secure storage (replacing any earlier key). */
	SZ_CMD_PROVISION_KEY = 5,

	/*
	 * The baseline (a non-memory-optimised deployment, for comparison):
	 * the normal world keeps the model and, on every inference, streams
	 * it in as consecutive steps of layers that fit the default memory.
	 * Each step is its own small .tlm: OPEN_MODEL + LOAD_CHUNK ... then
	 * RUN_HELD, then CLOSE_MODEL; the activation stays in the TA between
	 * steps. One world switch per step and per chunk.
	 */
	/* [0] MEMREF_INPUT the first step's input (float32): copied once
	 * into the TA's held activation (replacing any). */
	SZ_CMD_HOLD_INPUT = 6,
	/* [0] VALUE_INPUT a = SZ_MODE_*: runs the loaded model on the held
	 * activation (its size must be the model's input), which its output
	 * then replaces. */
	SZ_CMD_RUN_HELD = 7,
	/* [0] MEMREF_OUTPUT the held activation (the last step's output);
	 * SHORT_BUFFER with the size needed when too small. Frees it. */
	SZ_CMD_TAKE_OUTPUT = 8,
};

#define SZ_HEADER_BYTES		64u	/* the .tlm header (docs/model-format.md) */
#define SZ_OPEN_ENCRYPTED	0x1u	/* OPEN_MODEL flags */
#define SZ_CHUNK_LAST		0x1u
#define SZ_MODE_STRICT		0u
#define SZ_MODE_FAST		1u
#define SZ_KEY_BYTES		32u
#define SZ_GCM_NONCE_BYTES	12u
#define SZ_GCM_TAG_BYTES	16u

/* An encrypted model file (.tlme): this header, then the .tlm encrypted
 * with AES-256-GCM (nonce below, the header as additional data), then
 * the 16-byte tag. */
#define SZ_ENC_MAGIC		0x31455a53u	/* "SZE1" little-endian */
struct sz_enc_header {
	uint32_t magic;
	uint32_t reserved;	/* the arena bytes the encrypting side planned
				 * (authenticated as AAD; the TA ignores it) */
	uint64_t plaintext_bytes;		/* the .tlm's size */
	uint8_t nonce[SZ_GCM_NONCE_BYTES];
	uint32_t pad;				/* 0 */
};	/* 32 bytes */

/* REPORT: what the TA holds and did, all little-endian. */
struct sz_report {
	uint64_t heap_size;		/* TA_DATA_SIZE as the TA sees it */
	uint64_t heap_used, heap_peak;	/* bytes the TA allocated */
	uint64_t model_bytes, arena_bytes, plan_bytes;
	uint32_t layers, tensors;
	uint64_t runs;
	uint64_t bytes_loaded;
	uint64_t macs;			/* multiply-adds of one inference */
	uint32_t state;			/* 0 none, 1 loading, 2 ready */
	uint32_t encrypted;
};

#endif
