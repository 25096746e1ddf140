/*
 * What the TA's files share: the session (all state lives there, one
 * instance per session, nothing global), the heap it accounts for itself,
 * and one function per command (smartzone_ta.h is the protocol).
 *
 * The rules every command keeps:
 * - parameter types first (TEE_ERROR_BAD_PARAMETERS), then the state
 *   (TEE_ERROR_BAD_STATE), then sizes and offsets in 64-bit arithmetic;
 * - a memref's bytes are read once, with TEE_MemMove into secure memory,
 *   and only that copy is checked or used;
 * - shared memory is written once, with the final output only;
 * - every secure buffer is zeroed (TEE_MemFill) before it is freed.
 */
#ifndef SZ_TA_H
#define SZ_TA_H

#include <tee_internal_api.h>

#include "smartzone_ta.h"
#include "tl_engine.h"

/* Heap the TA never hands to a model: what libutee allocates from the
 * same pool in OP-TEE (the session list entry, an AES-GCM operation and
 * its two-block buffer, about 200 bytes) and bget's slack (a free
 * remainder under 32 bytes stays with the block, the pool's own
 * headers). The simulator's allocator has none of these. */
#define SZ_HEAP_RESERVE		0x800u
/* The secure bounce buffer an encrypted chunk passes through: slices of
 * this many ciphertext bytes are copied in and decrypted into the
 * model, whatever the window. */
#define SZ_BOUNCE_BYTES		0x4000u
/* Every buffer is asked for with this slack and rounded up to 16 bytes:
 * bget gives 16-byte alignment to 64-bit TAs only (SizeQuant 16 with
 * __LP64__, 8 otherwise; lib/libutils/isoc/bget_malloc.c). */
#define SZ_ALIGN		16u

enum sz_state { SZ_NONE = 0, SZ_LOADING = 1, SZ_READY = 2 };

/* The parameter types of a command that takes one parameter. */
#define SZ_ONE_PARAM(t) TEE_PARAM_TYPES(t, TEE_PARAM_TYPE_NONE, \
					TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)

/* A heap buffer: size usable bytes at p, 16-byte aligned. */
struct sz_buf {
	void *base;		/* what TEE_Malloc gave; NULL when empty */
	void *p;
	uint32_t size;
	uint32_t taken;		/* bytes asked of TEE_Malloc */
};

struct sz_session {
	uint32_t state;			/* enum sz_state */
	uint32_t encrypted;
	uint64_t heap_size;		/* gpd.ta.dataSize */
	uint64_t heap_used, heap_peak;	/* the blocks below, with headers */
	struct sz_buf model;		/* the .tlm, plaintext, in place */
	struct sz_buf arena;		/* tl_run's arena */
	struct sz_buf plan;		/* struct tl_plan */
	struct sz_buf bounce;		/* encrypted load: ciphertext slices */
	struct sz_buf held;		/* the baseline's activation */
	TEE_OperationHandle op;		/* AES-GCM while a .tlme loads */
	uint32_t loaded;		/* bytes received */
	uint32_t produced;		/* plaintext bytes in model */
	struct tl_model tlm;		/* once verified */
	uint64_t runs, macs;
};

/* heap.c: the TA's own heap accounting. */
/* The heap a struct sz_buf of size bytes takes (sz_buf_alloc). */
uint64_t sz_buf_cost(uint64_t size);
/* TEE_SUCCESS when blocks costing bytes more fit with SZ_HEAP_RESERVE
 * kept free, else TEE_ERROR_OUT_OF_MEMORY. */
TEE_Result sz_heap_room(const struct sz_session *s, uint64_t bytes);
/* Allocates a zeroed, 16-byte aligned buffer of size bytes, or
 * TEE_ERROR_OUT_OF_MEMORY (b stays empty). */
TEE_Result sz_buf_alloc(struct sz_session *s, struct sz_buf *b,
			uint32_t size);
/* Zeroes and frees b (an empty b is fine). */
void sz_buf_free(struct sz_session *s, struct sz_buf *b);
/* The session itself: allocated zeroed, told the heap's size and
 * accounted; at the end scrubbed and freed. */
TEE_Result sz_session_new(struct sz_session **out);
void sz_session_free(struct sz_session *s);

/* params.c: parameter checks and the single copies. */
/* Copies exactly size bytes of an input memref into dst; BAD_PARAMETERS
 * when the memref holds another number of bytes. */
TEE_Result sz_take_exact(const TEE_Param *p, void *dst, uint32_t size);
/* Writes n bytes from src into an output memref and sizes it, or sizes
 * it with n and answers SHORT_BUFFER when it is smaller. */
TEE_Result sz_give(TEE_Param *p, const void *src, uint32_t n);
/* A VALUE_INPUT's a as a numeric mode (b must be 0). */
TEE_Result sz_mode(const TEE_Param *p, enum tl_mode *mode);

/* model_load.c */
TEE_Result sz_cmd_open_model(struct sz_session *s, uint32_t types,
			     TEE_Param p[4]);
TEE_Result sz_cmd_load_chunk(struct sz_session *s, uint32_t types,
			     TEE_Param p[4]);
/* CLOSE_MODEL, a failed load, the session's end: scrubs and frees the
 * model, arena, plan and load state (not the held activation). */
void sz_model_close(struct sz_session *s);

/* model_decrypt.c: the encrypted path (struct sz_enc_header). */
TEE_Result sz_decrypt_begin(struct sz_session *s,
			    const struct sz_enc_header *h);
/* Copies len ciphertext bytes from shared memory slice by slice into
 * the bounce buffer and decrypts them into the model. */
TEE_Result sz_decrypt_chunk(struct sz_session *s, const uint8_t *src,
			    uint32_t len);
/* The last plaintext bytes and the tag; TEE_ERROR_MAC_INVALID when the
 * tag does not match. */
TEE_Result sz_decrypt_end(struct sz_session *s, uint8_t *tag);

/* key_store.c */
TEE_Result sz_cmd_provision_key(uint32_t types, TEE_Param p[4]);
/* Sets the provisioned key on an AES operation. */
TEE_Result sz_key_set(TEE_OperationHandle op);

/* run.c */
TEE_Result sz_cmd_run(struct sz_session *s, uint32_t types, TEE_Param p[4]);
TEE_Result sz_cmd_hold_input(struct sz_session *s, uint32_t types,
			     TEE_Param p[4]);
TEE_Result sz_cmd_run_held(struct sz_session *s, uint32_t types,
			   TEE_Param p[4]);
TEE_Result sz_cmd_take_output(struct sz_session *s, uint32_t types,
			      TEE_Param p[4]);
/* After CLOSE_MODEL: the held activation moved out of the heap's way. */
void sz_held_settle(struct sz_session *s);

/* report.c */
TEE_Result sz_cmd_report(struct sz_session *s, uint32_t types,
			 TEE_Param p[4]);
/* Multiply-adds of one inference of a verified model. */
uint64_t sz_model_macs(const struct tl_model *m);

#endif
