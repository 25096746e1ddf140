/*
 * N-Tinylib's client: a model provisioned into the Smart-Zone TA and run
 * there, over the GlobalPlatform TEE Client API (the host simulator in
 * sim/, libteec on a board). The protocol is ta/include/smartzone_ta.h;
 * nothing here knows which of the two is underneath.
 *
 *   struct tl_client c;
 *   char err[256];
 *   if (tl_client_open(&c, NULL, err, sizeof err) ||
 *       tl_client_load_file(&c, "digits.tlm", NULL, err, sizeof err) ||
 *       tl_client_run(&c, in, n_in, out, n_out_max, &n_out,
 *                     SZ_MODE_STRICT, err, sizeof err))
 *           ... err says what failed ...
 *   tl_client_close(&c);
 *
 * A model is a .tlm (plaintext) or a .tlme (encrypted, struct
 * sz_enc_header; tl_tlme.h makes one), told apart by its magic. A .tlm is
 * checked and planned on the normal side first (tl_model_open, tl_plan:
 * the arena size OPEN_MODEL asks for), then sent in chunks of a window of
 * shared memory. A .tlme is streamed as it is: ciphertext chunks read
 * from the file into the window, the tag last, the arena from its header;
 * the plaintext never exists in the normal world.
 *
 * Every function returning int returns TL_CLIENT_OK or an error code and,
 * on error, writes one sentence into err (when err is not NULL). A failed
 * TEEC call reads "what failed: 0x%08x (NAME) from ORIGIN", with the
 * GlobalPlatform names, and leaves the code and origin in last_result and
 * last_origin.
 */
#ifndef TL_CLIENT_H
#define TL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smartzone_ta.h"
#include "tee_client_api.h"

enum tl_client_status {
	TL_CLIENT_OK = 0,
	TL_CLIENT_E_ARG,	/* a NULL pointer, a bad window, out of order */
	TL_CLIENT_E_IO,		/* a file could not be read */
	TL_CLIENT_E_MODEL,	/* the normal side refuses the model file */
	TL_CLIENT_E_TEE,	/* a TEEC call failed: see last_result */
	TL_CLIENT_E_NOMEM,	/* host memory */
	TL_CLIENT_E_SHORT,	/* the output buffer is too small: *n_out
				 * says how many floats the model gives */
};

/* The status as a short phrase. */
const char *tl_client_status_str(int status);

/* The GlobalPlatform names: "TEEC_ERROR_OUT_OF_MEMORY",
 * "TEEC_ORIGIN_TEE"; "unknown" for a value the specifications do not
 * name. */
const char *tl_client_result_name(uint32_t result);
const char *tl_client_origin_name(uint32_t origin);

/* The window when the caller gives none: 1 MiB, the public Smart-Zone
 * code's example (-mov_size 262144 floats). `smartzone plan` sizes one
 * for a model and board. */
#define TL_CLIENT_DEFAULT_WINDOW	0x100000u
/* The smallest window: one 4 KiB page (OP-TEE's shared page, and the
 * planner's smallest window). The first chunk must hold the .tlm header
 * (SZ_HEADER_BYTES), and an encrypted model's last chunk its tag. */
#define TL_CLIENT_MIN_WINDOW		4096u

/* Called with (arg, 0, total) once the TA has opened the model, then
 * after every chunk with the bytes sent so far; total is the model's
 * bytes on the wire (the ciphertext's for a .tlme). */
typedef void (*tl_client_progress_fn)(void *arg, uint64_t done,
				      uint64_t total);

struct tl_client_load_opts {
	uint64_t window;	/* bytes a call; 0: TL_CLIENT_DEFAULT_WINDOW */
	tl_client_progress_fn progress;	/* NULL: none */
	void *progress_arg;
	/* A .tlm's arena when the caller has planned it already (tl_plan;
	 * the TA checks it against its own plan): the normal side's check
	 * and plan, a CRC over the whole file, are then skipped, and the
	 * input and output sizes stay unknown (0). 0: checked and planned
	 * here. Ignored for a .tlme (its header has it). */
	uint64_t arena;
};

/* What the normal world knows of the loaded model. */
struct tl_client_model {
	bool encrypted;
	uint64_t file_bytes;		/* the .tlm's bytes (plaintext) */
	uint64_t wire_bytes;		/* what the chunks carried */
	uint64_t arena_bytes;		/* what OPEN_MODEL asked for */
	uint64_t chunks;		/* LOAD_CHUNK calls */
	/* From the normal side's tl_model_open; 0 for a .tlme, whose
	 * tables the normal world can not read. */
	size_t input_elements, output_elements;
	uint32_t input_c, input_h, input_w;
};

/*
 * The client's own record of the TEEC calls it made and how each ended,
 * kept the same way whatever is underneath (the simulator or libteec on
 * a board), so that a run in one can be held against a run in the
 * other: calls alike in kind, command, result and origin share an entry,
 * in the order they first happened.
 */
enum tl_client_call_kind {
	TL_CALL_INITIALIZE_CONTEXT,
	TL_CALL_OPEN_SESSION,
	TL_CALL_INVOKE_COMMAND,
	TL_CALL_CLOSE_SESSION,
	TL_CALL_FINALIZE_CONTEXT,
	TL_CALL_ALLOCATE_SHARED_MEMORY,
	TL_CALL_RELEASE_SHARED_MEMORY,
};

struct tl_client_call {
	uint32_t kind;		/* enum tl_client_call_kind */
	uint32_t command;	/* SZ_CMD_* of an invoke, else 0 */
	uint32_t result;	/* TEEC_SUCCESS for the calls that return none */
	uint32_t origin;	/* 0 for the calls that give none */
	uint64_t count;
};

#define TL_CLIENT_CALLS_MAX	32

struct tl_client_calls {
	struct tl_client_call entry[TL_CLIENT_CALLS_MAX];
	size_t n;
	uint64_t unrecorded;	/* calls of kinds the table had no room for */
	uint64_t total;		/* every call */
	/* memrefs of the TEMP kinds passed (libteec bounces each through a
	 * shared buffer of its own) */
	uint64_t temp_memrefs;
};

/* "TEEC_InvokeCommand" and so on. */
const char *tl_client_call_name(uint32_t kind);

/* The TA command's name without its prefix: "LOAD_CHUNK" for
 * SZ_CMD_LOAD_CHUNK; "?" for a number the protocol does not define. */
const char *tl_client_command_name(uint32_t command);

struct tl_client {
	TEEC_Context ctx;
	TEEC_Session session;
	bool ctx_open, session_open, loaded;
	struct tl_client_model model;
	uint32_t last_result;		/* TEEC_SUCCESS until a call fails */
	uint32_t last_origin;
	struct tl_client_calls calls;	/* since tl_client_open */
};

/* Connects to the TA (uuid NULL: SZ_TA_UUID): a context and a session. */
int tl_client_open(struct tl_client *c, const TEEC_UUID *uuid, char *err,
		   size_t err_len);

/* Closes the session (which closes the model) and the context. Safe on
 * a client that failed to open, and twice. */
void tl_client_close(struct tl_client *c);

/* Stores the AES-256 key encrypted models are decrypted with in the TA's
 * secure storage (SZ_CMD_PROVISION_KEY), replacing any earlier one. */
int tl_client_provision_key(struct tl_client *c,
			    const uint8_t key[SZ_KEY_BYTES], char *err,
			    size_t err_len);

/* Provisions the model in path (.tlm or .tlme, a regular file: it is
 * sent by its size; anything else is refused with what it is) or in
 * blob; opts may be NULL. A model already loaded is closed first. */
int tl_client_load_file(struct tl_client *c, const char *path,
			const struct tl_client_load_opts *opts, char *err,
			size_t err_len);
int tl_client_load_blob(struct tl_client *c, const void *blob, size_t size,
			const struct tl_client_load_opts *opts, char *err,
			size_t err_len);

/* Scrubs and frees the model in the TA (SZ_CMD_CLOSE_MODEL). */
int tl_client_unload(struct tl_client *c, char *err, size_t err_len);

/*
 * One inference: n_in floats in, at most out_max floats out (out may be
 * NULL when out_max is 0), *n_out set to the floats the model gave.
 * mode is SZ_MODE_STRICT or SZ_MODE_FAST. TL_CLIENT_E_SHORT when out_max
 * is too small, *n_out then being the size needed: the way to learn an
 * encrypted model's output size. An answer whose size is impossible (on
 * success more than out_max floats, short yet within out_max, not whole
 * floats) is a broken or hostile TA's: TL_CLIENT_E_TEE, *n_out 0.
 */
int tl_client_run(struct tl_client *c, const float *in, size_t n_in,
		  float *out, size_t out_max, size_t *n_out, uint32_t mode,
		  char *err, size_t err_len);

/* What the TA holds and did (SZ_CMD_REPORT). */
int tl_client_report(struct tl_client *c, struct sz_report *out, char *err,
		     size_t err_len);

#endif
