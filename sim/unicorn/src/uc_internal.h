/*
 * The Unicorn runner's parts (sim_uc.h): the guest image (uc_image.c),
 * its address space (uc_space.c), calls into it and the services it asks
 * for (uc_calls.c), the rules (uc_rules.c) and the figures per layer
 * (uc_layers.c).
 */
#ifndef UC_INTERNAL_H
#define UC_INTERNAL_H

#include <unicorn/unicorn.h>

#include "mm_xlat.h"
#include "sim_heap.h"
#include "sim_uc.h"

/* ---- the guest ELF (uc_image.c) ---- */

struct uc_symbol {
	uint64_t addr, size;
	char name[48];
};

struct uc_segment {
	uint64_t va, file_off, file_size, mem_size;
};

enum uc_segment_kind { UC_SEG_TEXT, UC_SEG_RODATA, UC_SEG_DATA, UC_SEGS };

struct uc_image {
	uint8_t *file;
	size_t file_size;
	struct uc_segment seg[UC_SEGS];
	struct uc_symbol *symbols;	/* functions, by address */
	size_t n_symbols;
	uint64_t ta_text_start, ta_text_end;	/* the TA's own files */
};

int uc_image_load(const char *path, struct uc_image *img, char *err,
		  size_t err_len);
void uc_image_free(struct uc_image *img);
/* The address of a symbol, or 0. */
uint64_t uc_image_symbol(const struct uc_image *img, const char *name);
/* The function around addr ("?" when none). */
const char *uc_image_function(const struct uc_image *img, uint64_t addr);

/* ---- the address space (uc_space.c) ---- */

/* The top of the TA's stack holds the TEE_Param array and the session
 * slot of a call (uc_runner.c); the stack pointer starts below. */
#define UC_FRAME_BYTES 128u

struct uc_space {
	struct mm_phys phys;
	uint8_t *tzdram, *shm;		/* host bytes, mmap'd */
	uint64_t tzdram_size, shm_bytes;
	struct mm_ta_space ta;
	uint64_t heap_va, heap_size;	/* inside MM_TA_DATA, after .bss */
	uint64_t stack_top;
};

int uc_space_build(uc_engine *e, const struct sim_uc_options *opt,
		   const struct uc_image *img, struct uc_space *sp, char *err,
		   size_t err_len);
void uc_space_free(struct uc_space *sp);
/* Host bytes of guest [va, va + len) when one area maps them all, else
 * NULL. */
uint8_t *uc_space_host(const struct uc_space *sp, uint64_t va, uint64_t len);
/* The name of the TA area holding va, or "unmapped". */
const char *uc_space_area(const struct uc_space *sp, uint64_t va);

/* ---- the runner ---- */

/* A command's memrefs in the window, each from a multiple of
 * SIM_UC_REF_ALIGN. */
struct uc_window_ref {
	uint64_t va, size;
	bool input, output;
};

#define UC_DECODE_SLOTS (1u << 16)

struct uc_block {
	uint64_t addr;			/* 0: empty slot */
	uint32_t size;
	struct sim_insn_mix mix;	/* of one execution */
};

struct sim_uc {
	uc_engine *e;
	struct sim_uc_options opt;
	struct uc_image img;
	struct uc_space sp;
	struct sim_heap heap;
	uint64_t fn_run, fn_layer, fn_return;	/* 0: no such mark */
	uint64_t session;		/* the TA's session context (guest) */
	bool dead;
	struct sim_uc_violation v;
	/* the entry point and command being run */
	const char *entry;
	uint32_t command;
	struct uc_window_ref refs[4];
	uint8_t *shm_read, *shm_written;	/* a byte a window byte */
	/* layers */
	bool in_run;
	int layer;
	uint64_t block_addr;			/* the block running now */
	uint32_t block_size;
	uc_mem_type fault_kind;			/* of the invalid access */
	struct sim_uc_figures fig;
	struct uc_block *blocks;		/* decode cache */
	/* per-layer output hashes */
	struct sim_uc_region *watch;
	uint64_t base_va;
	uint64_t *hashes;
	uint32_t n_hashes;
};

/* uc_calls.c: calls a guest function with up to four arguments; returns
 * x0, or 0 with uc->v set when a rule stopped it. */
uint64_t uc_call(struct sim_uc *uc, uint64_t fn, const uint64_t args[4]);
int uc_calls_hook(struct sim_uc *uc, char *err, size_t err_len);

/* uc_rules.c */
int uc_rules_hook(struct sim_uc *uc, char *err, size_t err_len);
/* Records the first stop: at addr, by the instruction at the engine's
 * pc, with detail added to the sentence. Stops the engine. */
void uc_rules_stop(struct sim_uc *uc, enum sim_uc_stop stop, uint64_t addr,
		   const char *detail);

/* uc_fault_pc.c: the address of the instruction in the current block
 * whose load (or store, write) covers addr; the block's start when none
 * does. */
uint64_t uc_fault_pc(struct sim_uc *uc, uint64_t addr, bool write);

/* uc_layers.c */
int uc_layers_hook(struct sim_uc *uc, char *err, size_t err_len);
void uc_layers_free(struct sim_uc *uc);
#endif
