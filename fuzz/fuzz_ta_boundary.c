/*
 * Fuzz target 1: the TA's boundary, stateful, through the simulator.
 *
 * The input is a program for a hostile normal world: sessions opened and
 * closed, bytes written into a 64 KiB shared buffer, and commands sent
 * straight to the TEE core (past the client library's checks) with any
 * parameter types, values, memref offsets and sizes, or with the
 * protocol's own parameters with some of them changed; models loaded in
 * chunks of any length and order; and the double-fetch trap armed, so
 * that the normal world rewrites every shared byte the TA reads, during
 * the call, behind the read.
 *
 * Invariants after every call: the simulator's checks found nothing (no
 * secret in normal-world memory, no byte of shared memory read twice), the
 * TA did not die and answered with a code of its design (fuzz_sim.h). At
 * the end of a program: every open session's REPORT equals the
 * simulator's heap figures to the byte, and once its model is closed and
 * its held activation taken, it holds what a fresh session holds; closing
 * everything leaves no instance and no shared memory.
 *
 * Input: byte 0 flags (bit 0 the leakage check, bit 1 the double-fetch
 * trap from the start), then operations until the input ends:
 *   0 open slot            1 close slot
 *   2 write into the shared buffer (offset, then a source)
 *   3 invoke slot cmd mask [params]   (protocol parameters; each param
 *                                      whose bit is set in mask raw)
 *   4 load slot model window chunks... (OPEN_MODEL + LOAD_CHUNK...)
 *   5 the double-fetch trap on or off
 */
#include <stdbool.h>

#include "fuzz_input.h"
#include "fuzz_sim.h"
#include "sim_internal.h"

#define SLOTS		3
#define SHM_BYTES	0x10000u
#define MODEL_AT	0x0000u	/* where loads put the header and chunks */
#define IN_AT		0x8000u	/* RUN's and HOLD_INPUT's input */
#define OUT_AT		0xa000u	/* outputs */
#define KEY_AT		0xf000u
#define OPS_MAX		64

struct world {
	TEEC_Context ctx;
	TEEC_SharedMemory shm;
	TEEC_Session s[SLOTS];
	bool open[SLOTS];
	const uint8_t *sealed;	/* the fuzz model sealed with the key */
	size_t sealed_size;
	uint64_t bare_heap;	/* what a fresh session holds */
};

static struct world w;

static bool df_possible(void)
{
	char why[256];
	bool ok = sim_hostile_set(SIM_HOSTILE_DOUBLE_FETCH, why,
				  sizeof why) == SIM_OK;
	sim_hostile_set(0, NULL, 0);
	return ok;
}

static void set_df(bool on)
{
	static int possible = -1;
	if (possible < 0)
		possible = df_possible();
	if (possible)
		sim_hostile_set(on ? SIM_HOSTILE_DOUBLE_FETCH : 0, NULL, 0);
}

static uint8_t *shm(void)
{
	return w.shm.buffer;
}

static struct sim_msg_param memref(uint32_t type, uint32_t at, uint32_t size)
{
	return (struct sim_msg_param){ .type = type, .host = shm() + at,
				       .size = size };
}

static struct sim_msg_param value(uint32_t a, uint32_t b)
{
	return (struct sim_msg_param){ .type = TEE_PARAM_TYPE_VALUE_INPUT,
				       .a = a, .b = b };
}

static uint32_t invoke(int slot, uint32_t cmd, struct sim_msg_param p[4])
{
	uint32_t origin = 0;
	uint32_t res = fz_sim_invoke_raw(&w.s[slot], cmd, p, &origin);
	char what[48];
	snprintf(what, sizeof what, "command %u on slot %d", (unsigned)cmd,
		 slot);
	fz_sim_check(what);
	fz_sim_answer(what, res, origin);
	return res;
}

/* The protocol's parameters for cmd (smartzone_ta.h) on the fuzz model. */
static void protocol(uint32_t cmd, struct sim_msg_param p[4])
{
	const struct fz_model *m = fz_model();
	memset(p, 0, 4 * sizeof *p);
	switch (cmd) {
	case SZ_CMD_OPEN_MODEL:
		p[0] = value((uint32_t)m->size, 0);
		p[1] = memref(TEE_PARAM_TYPE_MEMREF_INPUT, MODEL_AT,
			      SZ_HEADER_BYTES);
		p[2] = value(m->arena, 0);
		break;
	case SZ_CMD_LOAD_CHUNK:
		p[0] = value(0, SZ_CHUNK_LAST);
		p[1] = memref(TEE_PARAM_TYPE_MEMREF_INPUT, MODEL_AT,
			      (uint32_t)m->size);
		break;
	case SZ_CMD_RUN:
		p[0] = memref(TEE_PARAM_TYPE_MEMREF_INPUT, IN_AT, 4 * m->n_in);
		p[1] = memref(TEE_PARAM_TYPE_MEMREF_OUTPUT, OUT_AT,
			      4 * m->n_out);
		p[2] = value(SZ_MODE_STRICT, 0);
		break;
	case SZ_CMD_REPORT:
		p[0] = memref(TEE_PARAM_TYPE_MEMREF_OUTPUT, OUT_AT,
			      sizeof(struct sz_report));
		break;
	case SZ_CMD_PROVISION_KEY:
		p[0] = memref(TEE_PARAM_TYPE_MEMREF_INPUT, KEY_AT,
			      SZ_KEY_BYTES);
		break;
	case SZ_CMD_HOLD_INPUT:
		p[0] = memref(TEE_PARAM_TYPE_MEMREF_INPUT, IN_AT, 4 * m->n_in);
		break;
	case SZ_CMD_RUN_HELD:
		p[0] = value(SZ_MODE_STRICT, 0);
		break;
	case SZ_CMD_TAKE_OUTPUT:
		p[0] = memref(TEE_PARAM_TYPE_MEMREF_OUTPUT, OUT_AT,
			      OUT_AT - IN_AT);
		break;
	default:	/* CLOSE_MODEL, unknown commands: none */
		break;
	}
}

/* A raw parameter: any type nibble (invalid ones too), any values, a
 * memref anywhere from the shared buffer's start to past its end. */
static struct sim_msg_param raw_param(struct fz *f)
{
	struct sim_msg_param q = { .type = fz_u8(f) & 0xf };
	if (q.type >= TEE_PARAM_TYPE_MEMREF_INPUT) {
		uint32_t at = fz_u16(f) % (SHM_BYTES + 64);
		q.host = fz_u8(f) == 0xff ? NULL : shm() + at;
		q.size = fz_size(f, 64);
	} else {
		q.a = fz_size(f, 4 * fz_model()->n_in);
		q.b = fz_u8(f) < 0xf0 ? 0 : fz_u32(f);
	}
	return q;
}

static void op_invoke(struct fz *f)
{
	int slot = fz_u8(f) % SLOTS;
	uint32_t cmd = fz_u8(f) % 12;	/* 9..11: no such command */
	uint8_t mask = fz_u8(f);
	struct sim_msg_param p[4];
	protocol(cmd, p);
	for (int i = 0; i < 4; i++)
		if (mask & (1u << i))
			p[i] = raw_param(f);
	if (w.open[slot])
		invoke(slot, cmd, p);
}

/* Bytes into the shared buffer: the input's own, the plain or sealed
 * model's, the key, or a fill. */
static void op_write(struct fz *f)
{
	const struct fz_model *m = fz_model();
	uint32_t at = fz_u16(f) % SHM_BYTES, room = SHM_BYTES - at;
	uint8_t src = fz_u8(f) % 5;
	uint32_t from = fz_u32(f), n = fz_u16(f);
	const uint8_t *p = NULL;
	size_t have = 0;
	switch (src) {
	case 0:
		p = fz_bytes(f, n, &have);
		break;
	case 1:
		from %= m->size;
		p = m->blob + from, have = m->size - from;
		break;
	case 2:
		from %= w.sealed_size;
		p = w.sealed + from, have = w.sealed_size - from;
		break;
	case 3:
		p = fz_key, have = sizeof fz_key;
		break;
	default:
		memset(shm() + at, (int)(from & 0xff), n < room ? n : room);
		return;
	}
	size_t k = n < have ? n : have;
	memcpy(shm() + at, p, k < room ? k : room);
}

static void op_open(struct fz *f)
{
	int slot = fz_u8(f) % SLOTS;
	if (w.open[slot])
		return;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_OpenSession(&w.ctx, &w.s[slot], &fz_ta_uuid,
					   TEEC_LOGIN_PUBLIC, NULL, NULL,
					   &origin);
	fz_sim_check("opening a session");
	if (res != TEEC_SUCCESS)
		fz_broken("a session did not open: 0x%08x origin %u",
			  (unsigned)res, (unsigned)origin);
	w.open[slot] = true;
}

static void close_slot(int slot)
{
	if (!w.open[slot])
		return;
	TEEC_CloseSession(&w.s[slot]);
	fz_sim_check("closing a session");
	w.open[slot] = false;
}

/* OPEN_MODEL, then chunks of the lengths the input gives (0: the
 * window), each at the next offset unless the input skews it, the tag
 * in the buffer after the last chunk of a sealed model. */
static void op_load(struct fz *f)
{
	int slot = fz_u8(f) % SLOTS;
	bool sealed = fz_u8(f) & 1;
	uint32_t window = fz_u16(f) % (SHM_BYTES / 2) + 1;
	const struct fz_model *m = fz_model();
	const uint8_t *img = sealed ? w.sealed : m->blob;
	size_t start = sealed ? sizeof(struct sz_enc_header) : 0;
	uint32_t total = (uint32_t)m->size;
	struct sim_msg_param p[4];
	protocol(SZ_CMD_OPEN_MODEL, p);
	p[0].b = sealed ? SZ_OPEN_ENCRYPTED : 0;
	p[1].size = sealed ? (uint32_t)start : SZ_HEADER_BYTES;
	memcpy(shm() + MODEL_AT, img, p[1].size);
	if (!w.open[slot] || invoke(slot, SZ_CMD_OPEN_MODEL, p) != TEE_SUCCESS)
		return;
	for (uint32_t done = 0; done < total && fz_left(f);) {
		uint32_t n = fz_u16(f) % (window + 1);
		int8_t skew = (int8_t)fz_u8(f);
		n = n ? n : window;
		n = n < total - done ? n : total - done;
		bool last = done + n == total;
		memcpy(shm() + MODEL_AT, img + start + done, n);
		memset(p, 0, sizeof p);
		p[0] = value(done + (skew < -120 ? skew : 0),
			     last ? SZ_CHUNK_LAST : 0);
		p[1] = memref(TEE_PARAM_TYPE_MEMREF_INPUT, MODEL_AT, n);
		if (last && sealed) {
			memcpy(shm() + MODEL_AT + n, img + start + total,
			       SZ_GCM_TAG_BYTES);
			p[2] = memref(TEE_PARAM_TYPE_MEMREF_INPUT,
				      MODEL_AT + n, SZ_GCM_TAG_BYTES);
		}
		if (invoke(slot, SZ_CMD_LOAD_CHUNK, p) != TEE_SUCCESS)
			return;
		done += n;
	}
}

/* REPORT equals the simulator's heap; with the model closed and the
 * held activation taken the session holds what a fresh one holds. */
static void check_heap(int slot)
{
	struct sim_msg_param p[4];
	struct sz_report r;
	struct sim_instance_info info;
	set_df(false);
	protocol(SZ_CMD_REPORT, p);
	if (invoke(slot, SZ_CMD_REPORT, p) != TEE_SUCCESS)
		fz_broken("REPORT refused");
	memcpy(&r, shm() + OUT_AT, sizeof r);
	if (sim_session_instance(&w.s[slot], &info) != SIM_OK)
		fz_broken("no instance for an open session");
	if (r.heap_used != info.heap_used || r.heap_peak != info.heap_peak)
		fz_broken("REPORT says %llu bytes used (peak %llu), the heap "
			  "%llu (peak %llu)", (unsigned long long)r.heap_used,
			  (unsigned long long)r.heap_peak,
			  (unsigned long long)info.heap_used,
			  (unsigned long long)info.heap_peak);
	protocol(SZ_CMD_CLOSE_MODEL, p);
	invoke(slot, SZ_CMD_CLOSE_MODEL, p);
	protocol(SZ_CMD_TAKE_OUTPUT, p);
	p[0].host = shm(), p[0].size = SHM_BYTES;	/* any held size */
	invoke(slot, SZ_CMD_TAKE_OUTPUT, p);
	sim_session_instance(&w.s[slot], &info);
	if (info.heap_used != w.bare_heap)
		fz_broken("after CLOSE_MODEL and TAKE_OUTPUT the TA holds %llu "
			  "bytes, a fresh session %llu",
			  (unsigned long long)info.heap_used,
			  (unsigned long long)w.bare_heap);
}

static void setup(void)
{
	fz_sim_init(true);
	const struct fz_model *m = fz_model();
	uint8_t nonce[SZ_GCM_NONCE_BYTES] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	w.sealed = fz_seal(m->blob, m->size, m->arena, nonce, fz_key,
			   &w.sealed_size);
	TEEC_Context ctx;
	TEEC_Session s;
	uint32_t origin;
	struct sim_instance_info info;
	if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS ||
	    TEEC_OpenSession(&ctx, &s, &fz_ta_uuid, TEEC_LOGIN_PUBLIC, NULL,
			     NULL, &origin) != TEEC_SUCCESS ||
	    sim_session_instance(&s, &info) != SIM_OK)
		fz_broken("no session for the fresh heap's figure");
	w.bare_heap = info.heap_used;
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t flags = fz_u8(&f);
	sim_taint_set(flags & 1);
	set_df(flags & 2);
	w.shm.size = SHM_BYTES;
	w.shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	if (TEEC_InitializeContext(NULL, &w.ctx) != TEEC_SUCCESS ||
	    TEEC_AllocateSharedMemory(&w.ctx, &w.shm) != TEEC_SUCCESS)
		fz_broken("no context or shared buffer");
	memset(shm(), 0, SHM_BYTES);
	for (int ops = 0; fz_left(&f) && ops < OPS_MAX; ops++) {
		switch (fz_u8(&f) % 6) {
		case 0: op_open(&f); break;
		case 1: close_slot(fz_u8(&f) % SLOTS); break;
		case 2: op_write(&f); break;
		case 3: op_invoke(&f); break;
		case 4: op_load(&f); break;
		default: set_df(fz_u8(&f) & 1); break;
		}
	}
	for (int slot = 0; slot < SLOTS; slot++) {
		if (w.open[slot])
			check_heap(slot);
		close_slot(slot);
	}
	TEEC_ReleaseSharedMemory(&w.shm);
	TEEC_FinalizeContext(&w.ctx);
	set_df(false);
	fz_sim_check("the program's end");
	fz_sim_idle();
	return 0;
}
