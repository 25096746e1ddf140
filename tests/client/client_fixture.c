/* What the client's tests share (client_fixture.h). */
#include <glob.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "client_fixture.h"
#include "input.h"
#include "sim.h"

/* Any 32 bytes: the tests' own key, never a device's. */
const uint8_t cf_key[SZ_KEY_BYTES] = {
	0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae,
	0xf0, 0x85, 0x7d, 0x77, 0x81, 0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61,
	0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4,
};

static char scratch[64];

void cf_configure(uint32_t data_size)
{
	struct sim_ta_sizes sizes = { .uuid = SZ_TA_UUID,
				      .data_size = data_size };
	struct sim_config cfg = {
		.platform = "memmodel/platforms/rpi3bplus.conf",
		.ta_sizes = &sizes, .n_ta_sizes = 1,
	};
	char err[320];
	if (sim_configure(&cfg, err, sizeof err))
		fail_msg("%s", err);
}

int cf_up(void **state)
{
	(void)state;
	snprintf(scratch, sizeof scratch, "/tmp/sz_client_XXXXXX");
	if (!mkdtemp(scratch))
		return -1;
	cf_configure(0);
	return 0;
}

int cf_down(void **state)
{
	(void)state;
	size_t v = sim_violation_count();
	for (size_t i = 0; i < v; i++)
		print_error("violation: %s\n", sim_violation_at(i)->msg);
	sim_violations_clear();
	sim_shutdown();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
	if (system(cmd) != 0)
		return -1;
	return v ? -1 : 0;
}

const char *cf_path(const char *name)
{
	static char paths[4][256];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, sizeof paths[0], "%s/%s", scratch, name);
	return p;
}

void cf_digits(struct cf_model *m)
{
	FILE *f = fopen(CF_DIGITS, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	m->size = (size_t)ftell(f);
	rewind(f);
	m->blob = aligned_alloc(16, (m->size + 15) / 16 * 16);
	assert_non_null(m->blob);
	assert_int_equal(fread(m->blob, 1, m->size, f), m->size);
	fclose(f);
	struct tl_model_error err;
	m->plan = malloc(sizeof *m->plan);
	assert_non_null(m->plan);
	assert_int_equal(tl_model_open(m->blob, m->size, &m->m, &err), TL_OK);
	assert_int_equal(tl_plan(&m->m, m->plan), TL_OK);
	m->arena = m->plan->arena_size;
}

void cf_model_free(struct cf_model *m)
{
	free(m->blob);
	free(m->plan);
}

void cf_sample(int digit, float x[CF_IN])
{
	char pattern[64], err[256];
	snprintf(pattern, sizeof pattern,
		 "models/digits/samples/digit%d-*.pgm", digit);
	glob_t g;
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	struct sz_input_shape shape = { 1, 8, 8, CF_IN };
	struct sz_input in;
	if (sz_input_read(g.gl_pathv[0], &shape, &in, err, sizeof err))
		fail_msg("%s", err);
	globfree(&g);
	memcpy(x, in.x, CF_IN * sizeof *x);
	sz_input_free(&in);
}

void cf_reference(const struct cf_model *m, const float *in, float *out)
{
	void *arena = aligned_alloc(16, (m->arena + 15) / 16 * 16 + 16);
	assert_non_null(arena);
	assert_int_equal(tl_run(&m->m, m->plan, arena, m->arena, in, out,
				TL_MODE_STRICT), TL_OK);
	free(arena);
}

void cf_write(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}
