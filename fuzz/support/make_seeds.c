/*
 * Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/): inputs
 * that reach each target's deep paths from the first run, built from
 * the fuzz model (fuzz_model.h) and the project's own files, in the
 * input layouts the targets' comments describe. Run from the
 * repository's root; `make fuzz-seeds` runs it. Deterministic: the same
 * sources give the same bytes.
 *
 *   fuzz_seeds [DIR]        (default fuzz/corpus)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_model.h"
#include "small_model.h"
#include "tl_file.h"
#include "tl_tlm_by_16.h"

static const char *root = "fuzz/corpus";

struct buf {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			abort();
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void u8(struct buf *b, uint8_t v) { put(b, &v, 1); }

static void u16(struct buf *b, uint16_t v)
{
	u8(b, (uint8_t)v);
	u8(b, (uint8_t)(v >> 8));
}

static void u32(struct buf *b, uint32_t v)
{
	u16(b, (uint16_t)v);
	u16(b, (uint16_t)(v >> 16));
}

static void span(struct buf *b, const void *p, size_t n)
{
	u16(b, (uint16_t)n);
	put(b, p, n);
}

static void save(const char *target, const char *name, struct buf *b)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", root, target);
	mkdir(root, 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%s/%s", root, target, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(b->p, 1, b->n, f) != b->n || fclose(f)) {
		fprintf(stderr, "fuzz_seeds: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	free(b->p);
	*b = (struct buf){ 0 };
}

static uint8_t *slurp(const char *path, size_t *n)
{
	uint8_t *data;
	char err[256];
	if (tl_read_file(path, &data, n, err, sizeof err)) {
		fprintf(stderr, "fuzz_seeds: %s\n", err);
		exit(1);
	}
	return data;
}

static float by_16_weight(size_t i)
{
	return (float)((i * 40503u) % 1009u) / 1009.0f - 0.5f;
}

/* fuzz_tlm's model with weights by 16 (format 1.2): a 3x3 convolution
 * that allows them, 16 -> 16 at 10x10, run fast and split. */
static void by_16_seed(struct buf *b)
{
	static const struct small_model_shape shape = {
		.c = 16, .hw = 10, .filters = 16, .classes = 4,
		.act = TL_ACT_LEAKY, .pool_padding = 0, .value = by_16_weight,
	};
	size_t size;
	char err[256];
	uint8_t *blob = small_model_build(&shape, &size);
	if (blob == NULL || tl_tlm_store_by_16(blob, size, err, sizeof err) != 1) {
		fprintf(stderr, "fuzz_seeds: the by-16 model: %s\n",
			blob ? err : "does not build");
		exit(1);
	}
	u8(b, 2 | 4);	/* fast, split */
	put(b, blob, size);
	save("fuzz_tlm", "by-16", b);
	free(blob);
}

/* fuzz_tlm: flags, then a file (docs of fuzz/fuzz_tlm.c). */
static void tlm_seeds(void)
{
	const struct fz_model *m = fz_model();
	static const struct { const char *name, *path; } files[] = {
		{ "ops", "tests/onnx/models/ops.tlm" },
		{ "resnet18-mini", "tests/onnx/models/resnet18-mini.tlm" },
		{ "mobilenet_v1-mini", "tests/onnx/models/mobilenet_v1-mini.tlm" },
		{ "digits", "models/digits/digits.tlm" },
	};
	struct buf b = { 0 };
	static const uint8_t flags[] = { 0, 1, 2, 5 };
	static const char *const names[] = { "fuzz-model", "fuzz-model-fixcrc",
					     "fuzz-model-fast",
					     "fuzz-model-split" };
	for (size_t i = 0; i < 4; i++) {
		u8(&b, flags[i]);
		put(&b, m->blob, m->size);
		save("fuzz_tlm", names[i], &b);
	}
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		size_t n;
		uint8_t *data = slurp(files[i].path, &n);
		u8(&b, 4);
		put(&b, data, n);
		save("fuzz_tlm", files[i].name, &b);
		free(data);
	}
	by_16_seed(&b);
}

/* fuzz_tlme: a whole image with chunk lengths, and a plaintext to seal. */
static void tlme_seeds(void)
{
	const struct fz_model *m = fz_model();
	uint8_t nonce[SZ_GCM_NONCE_BYTES] = { 9, 8, 7 };
	size_t n;
	uint8_t *img = fz_seal(m->blob, m->size, m->arena, nonce, fz_key, &n);
	struct buf b = { 0 };
	u8(&b, 0);
	span(&b, img, n);
	u16(&b, 100);
	u16(&b, 0);
	save("fuzz_tlme", "image-two-chunks", &b);
	u8(&b, 0);
	span(&b, img, n);
	save("fuzz_tlme", "image-whole", &b);
	for (uint8_t mode = 1; mode <= 3; mode += 2) {
		u8(&b, mode);
		put(&b, nonce, sizeof nonce);
		u32(&b, m->arena);
		u32(&b, 0);
		u8(&b, 0);
		span(&b, m->blob, m->size);
		u16(&b, 64);
		u16(&b, 17);
		u16(&b, 0);
		save("fuzz_tlme", mode == 1 ? "seal" : "seal-fixcrc", &b);
	}
	u8(&b, 1);
	put(&b, nonce, sizeof nonce);
	u32(&b, m->arena);
	u32(&b, 40);
	u8(&b, 0x10);
	span(&b, m->blob, m->size);
	save("fuzz_tlme", "seal-tampered", &b);
	free(img);
}

/* fuzz_darknet: a 16-bit length, the cfg, the weights. */
static void darknet_seeds(void)
{
	static const char *const cfgs[] = { "alexnet", "cifar", "darknet",
		"mobilenet_v1", "resnet18", "tiny", "yolov3-tiny",
		"yolov2-tiny" };
	static const char *const minis[] = { "mobilenet_v1-mini",
					     "resnet18-mini" };
	char path[256];
	struct buf b = { 0 };
	size_t n, w;
	for (size_t i = 0; i < sizeof cfgs / sizeof *cfgs; i++) {
		snprintf(path, sizeof path, "models/zoo/%s.cfg", cfgs[i]);
		uint8_t *cfg = slurp(path, &n);
		span(&b, cfg, n);
		save("fuzz_darknet", cfgs[i], &b);
		free(cfg);
	}
	for (size_t i = 0; i < sizeof minis / sizeof *minis; i++) {
		snprintf(path, sizeof path, "tests/onnx/models/%s.cfg",
			 minis[i]);
		uint8_t *cfg = slurp(path, &n);
		snprintf(path, sizeof path, "tests/onnx/models/%s.weights",
			 minis[i]);
		uint8_t *weights = slurp(path, &w);
		span(&b, cfg, n);
		put(&b, weights, w);
		save("fuzz_darknet", minis[i], &b);
		free(cfg);
		free(weights);
	}
}

/* fuzz_platform: 12 bytes of needs, then the platform file. */
static void platform_seeds(void)
{
	static const char *const names[] = { "rpi3bplus", "qemu_armv8a" };
	/* weights and arena in pages: digits-sized, MobileNet-sized,
	 * larger than any TZDRAM */
	static const uint32_t pages[][2] = { { 26, 8 }, { 4160, 1540 },
					     { 300000, 2000 } };
	char path[256];
	struct buf b = { 0 };
	for (size_t i = 0; i < 2; i++) {
		size_t n;
		snprintf(path, sizeof path, "memmodel/platforms/%s.conf",
			 names[i]);
		uint8_t *text = slurp(path, &n);
		for (size_t k = 0; k < 3; k++) {
			u32(&b, pages[k][0]);
			u32(&b, pages[k][1]);
			u8(&b, (uint8_t)(k + 1));
			u8(&b, k == 0);		/* shrink allowed */
			u16(&b, 41);		/* SZ_TA_CODE, 0x29000 */
			put(&b, text, n);
			snprintf(path, sizeof path, "%s-%zu", names[i], k);
			save("fuzz_platform", path, &b);
		}
		free(text);
	}
}

/* fuzz_client: the client's calls, answered by a TEE that succeeds
 * (zero bytes) unless a byte says otherwise. */
static void client_seeds(void)
{
	static const struct { const char *name; uint8_t calls[24]; size_t n; }
	seeds[] = {
		/* load plain, run (5 floats), report, unload, close */
		{ "load-run-report", { 0, 1, 0, 0, 2, 5, 0, 3, 4, 7 }, 10 },
		/* load sealed through a 4 KiB window, baseline, close */
		{ "sealed-baseline", { 0, 1, 1, 0, 1, 6, 0, 0, 7 }, 9 },
		/* provision, run refused as short (1 float), reopen */
		{ "short-run", { 0, 5, 1, 0, 0, 2, 1, 0, 0xf0, 0 }, 10 },
	};
	struct buf b = { 0 };
	for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
		put(&b, seeds[i].calls, seeds[i].n);
		save("fuzz_client", seeds[i].name, &b);
	}
}

/* fuzz_ta_boundary: programs (the operations in its comment). */
static void boundary_seeds(void)
{
	struct buf b = { 0 };
	/* leakage check on; open slot 0; load the plain model in chunks of
	 * 300; write an input; RUN; REPORT */
	u8(&b, 1);
	u8(&b, 0); u8(&b, 0);
	u8(&b, 4); u8(&b, 0); u8(&b, 0); u16(&b, 300);
	for (int i = 0; i < 8; i++) {
		u16(&b, 300);
		u8(&b, 0);
	}
	u8(&b, 2); u16(&b, 0x8000); u8(&b, 4); u32(&b, 0x3f); u16(&b, 288);
	u8(&b, 3); u8(&b, 0); u8(&b, 2); u8(&b, 0);
	u8(&b, 3); u8(&b, 0); u8(&b, 3); u8(&b, 0);
	save("fuzz_ta_boundary", "load-run-report", &b);
	/* the double-fetch trap; open slot 1; load the sealed model whole;
	 * hold an input, run it held, take the output */
	u8(&b, 3);
	u8(&b, 0); u8(&b, 1);
	u8(&b, 4); u8(&b, 1); u8(&b, 1); u16(&b, 0x7000);
	u16(&b, 0); u8(&b, 0);
	u8(&b, 3); u8(&b, 1); u8(&b, 6); u8(&b, 0);
	u8(&b, 3); u8(&b, 1); u8(&b, 7); u8(&b, 0);
	u8(&b, 3); u8(&b, 1); u8(&b, 8); u8(&b, 0);
	save("fuzz_ta_boundary", "sealed-baseline-double-fetch", &b);
	/* raw parameters: RUN with a memref past the buffer, REPORT with a
	 * value where its memref belongs; PROVISION_KEY of the key */
	u8(&b, 0);
	u8(&b, 0); u8(&b, 2);
	u8(&b, 3); u8(&b, 2); u8(&b, 2); u8(&b, 1);
	u8(&b, 5); u16(&b, 0xfff0); u8(&b, 0); u8(&b, 4); u16(&b, 64);
	u8(&b, 3); u8(&b, 2); u8(&b, 3); u8(&b, 1);
	u8(&b, 1); u8(&b, 3); u32(&b, 7);
	u8(&b, 2); u16(&b, 0xf000); u8(&b, 3); u32(&b, 0); u16(&b, 32);
	u8(&b, 3); u8(&b, 2); u8(&b, 5); u8(&b, 0);
	save("fuzz_ta_boundary", "raw-params-and-key", &b);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		root = argv[1];
	tlm_seeds();
	tlme_seeds();
	darknet_seeds();
	platform_seeds();
	client_seeds();
	boundary_seeds();
	printf("fuzz_seeds: seed corpora written under %s\n", root);
	return 0;
}
