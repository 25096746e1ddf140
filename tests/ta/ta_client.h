/*
 * What the TA's tests share (cmocka must be included first): test models
 * (the bundled digits .tlm, a sample Darknet cfg converted here) with
 * their reference outputs from tl_run on the host, the TA's commands sent
 * through the GlobalPlatform Client API as a normal-world client would
 * send them, an encrypted model made with mbedTLS, and looks into the
 * TA's secure memory through the simulator.
 */
#ifndef TA_CLIENT_H
#define TA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"
#include "sim_fixture.h"
#include "smartzone_ta.h"
#include "tee_client_api.h"
#include "tl_engine.h"

extern const TEEC_UUID sz_uuid;

/* A TA's own code the Client API has no name for: the Internal Core
 * API's TEE_ERROR_MAC_INVALID (a GCM tag that does not match). */
#define SZ_ERROR_MAC_INVALID	0xFFFF3071u

/* A model for the tests: the .tlm (16-byte aligned), opened and planned
 * on the host, and a deterministic input. */
struct tmodel {
	const char *name;
	uint8_t *blob;
	size_t size;
	struct tl_model m;
	struct tl_plan *plan;
	size_t n_in, n_out;		/* floats */
	float *input;
};

void tmodel_digits(struct tmodel *t);
/* A sample architecture of models/zoo/ with seeded weights. */
void tmodel_cfg(struct tmodel *t, const char *name);
/* A model from a .tlm blob (taken: malloc'd, 16-byte aligned). */
void tmodel_blob(struct tmodel *t, const char *name, uint8_t *blob,
		 size_t size);
void tmodel_free(struct tmodel *t);
/* tl_run on the host: the reference the TA must give bit for bit. */
void tmodel_reference(const struct tmodel *t, const float *in, float *out,
		      enum tl_mode mode);

/* A session on the TA (a new context each). */
struct tsession {
	TEEC_Context ctx;
	TEEC_Session s;
	const TEEC_UUID *uuid;
};
void ts_open(struct tsession *t, const TEEC_UUID *uuid);
/* ts_open, returning what the TA holds with no model (heap_used). */
uint64_t ts_open_bare(struct tsession *t, const TEEC_UUID *uuid);
void ts_close(struct tsession *t);

/* One command; the origin goes to *origin when not NULL. A result other
 * than TEEC_SUCCESS must come from the TA itself (origin TRUSTED_APP). */
TEEC_Result ts_invoke(struct tsession *t, uint32_t cmd, TEEC_Operation *op);
TEEC_Operation ts_op(uint32_t t0, uint32_t t1, uint32_t t2, uint32_t t3);

TEEC_Result ts_open_model(struct tsession *t, uint32_t size, uint32_t flags,
			  const void *header, size_t header_len,
			  uint32_t arena);
/* One chunk with a temporary memref; tag: the encrypted last chunk's. */
TEEC_Result ts_chunk(struct tsession *t, uint32_t offset, const void *p,
		     size_t n, bool last, const uint8_t *tag);
/* OPEN_MODEL and every chunk of window bytes; the result of the first
 * command that fails, else TEEC_SUCCESS. */
TEEC_Result ts_load(struct tsession *t, const struct tmodel *m,
		    size_t window);
/* The same for an encrypted image (ts_encrypt) of m. */
TEEC_Result ts_load_encrypted(struct tsession *t, const struct tmodel *m,
			      const uint8_t *image, size_t image_size,
			      size_t window);
/* RUN on m's input with out_bytes of room at out. */
TEEC_Operation ts_run_op(const struct tmodel *m, float *out, size_t out_bytes,
			 uint32_t mode);
/* RUN with m's input; out holds m->n_out floats. */
TEEC_Result ts_run(struct tsession *t, const struct tmodel *m, float *out,
		   uint32_t mode);
void ts_report(struct tsession *t, struct sz_report *r);
TEEC_Result ts_close_model(struct tsession *t);
void ts_provision(struct tsession *t, const uint8_t key[SZ_KEY_BYTES]);

/* Runs the loaded m on its input in both modes (strict only with
 * TL_TEST_QUICK) and checks the outputs against tl_run on the host, bit
 * for bit. */
void ts_check_runs(struct tsession *t, const struct tmodel *m);

/* m as an encrypted model file: struct sz_enc_header (nonce from seed),
 * the .tlm under AES-256-GCM with the header as additional data, the
 * tag. malloc'd. */
uint8_t *ts_encrypt(const struct tmodel *m, const uint8_t key[SZ_KEY_BYTES],
		    uint32_t seed, size_t *size);

/* Layers [first, end) of m, a sequential model, as a model of their own
 * whose input is the first layer's input (a baseline step). */
void tmodel_step(const struct tmodel *m, uint32_t first, uint32_t end,
		 struct tmodel *step);
/* The baseline's commands: HOLD_INPUT of n bytes at in; RUN_HELD;
 * TAKE_OUTPUT into *n bytes at out (*n then the size the TA gave). */
TEEC_Result ts_hold(struct tsession *t, const void *in, size_t n);
TEEC_Result ts_run_held(struct tsession *t, uint32_t mode);
TEEC_Result ts_take(struct tsession *t, void *out, size_t *n);

/* The session's instance (heap and stack addresses). */
void ts_instance(struct tsession *t, struct sim_instance_info *i);
/* Bytes of the heap that are not zero from offset from on (TZDRAM read
 * as the simulator sees it). */
size_t heap_residue(const struct sim_instance_info *i, uint64_t from);
/* Stack bytes the TA has used: from the lowest byte that is not zero
 * (the stack starts zeroed) to the top. */
size_t stack_used(const struct sim_instance_info *i);

/* The TA's sizes as if rebuilt for m with the plan the planner gives on
 * rpi3bplus (smartzone plan's numbers), and the machine built on that
 * plan's layout. Returns the planned TA_DATA_SIZE. */
uint64_t ts_configure_for(const struct tmodel *m, bool encrypted);

#endif
