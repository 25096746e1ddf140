/* What the command tests share (cli.h). */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"
#include "commands.h"
#include "tl_tlm_builder.h"

char cli_out[1 << 17], cli_err[1 << 15];

static void slurp(FILE *f, char *buf, size_t len)
{
	rewind(f);
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

int cli_run(int (*cmd)(int, char **), const char *name, ...)
{
	char *argv[64] = { (char *)name };
	int argc = 1;
	va_list ap;
	va_start(ap, name);
	for (const char *a = va_arg(ap, const char *); a && argc < 63;
	     a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	FILE *o = tmpfile(), *e = tmpfile();
	assert_non_null(o);
	assert_non_null(e);
	fflush(stdout);
	fflush(stderr);
	int so = dup(1), se = dup(2);
	dup2(fileno(o), 1);
	dup2(fileno(e), 2);
	int rc = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(o, cli_out, sizeof cli_out);
	slurp(e, cli_err, sizeof cli_err);
	return rc;
}

const char *cli_cfg(const char *name)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s.cfg", TL_ZOO_DIR, name);
	return path;
}

char *cli_read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s was not written", path);
	static char buf[1 << 16];
	slurp(f, buf, sizeof buf);
	return buf;
}

void cli_tmpdir(char *path, size_t len)
{
	snprintf(path, len, "/tmp/sz_cli_XXXXXX");
	assert_non_null(mkdtemp(path));
}

void cli_rmdir(const char *path)
{
	DIR *d = opendir(path);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char f[512];
		snprintf(f, sizeof f, "%s/%s", path, e->d_name);
		assert_int_equal(unlink(f), 0);
	}
	closedir(d);
	assert_int_equal(rmdir(path), 0);
}

void cli_costless_platform(const char *name, const char *dir, char *path,
			   size_t len)
{
	char src[128];
	snprintf(src, sizeof src, "memmodel/platforms/%s.conf", name);
	snprintf(path, len, "%s/%s-nocost.conf", dir, name);
	FILE *in = fopen(src, "r");
	FILE *out = fopen(path, "w");
	assert_non_null(in);
	assert_non_null(out);
	char line[1024];
	while (fgets(line, sizeof line, in))
		if (strncmp(line, "cost_", 5) != 0)
			fputs(line, out);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

void cli_seal_digits(const char *dir, char *key, char *tlme, size_t len)
{
	snprintf(key, len, "%s/k.key", dir);
	snprintf(tlme, len, "%s/digits.tlme", dir);
	assert_int_equal(cli_run(sz_cmd_keygen, "keygen", "-o", key, NULL), 0);
	assert_int_equal(cli_run(sz_cmd_encrypt, "encrypt",
				 "models/digits/digits.tlm", "--key", key,
				 "-o", tlme, NULL), 0);
}

/* n values in [-0.5, 0.5), the same every run. */
static float *seeded(size_t n)
{
	float *v = malloc(n * sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = (float)((i * 7919u + 13u) % 1000u) / 1000.0f - 0.5f;
	return v;
}

void cli_write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

void cli_small_model(const char *dir, const char *name, unsigned c,
		     unsigned filters, unsigned outputs, char *path,
		     size_t len)
{
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	float *v = seeded((size_t)filters * (c * 9 > outputs ? c * 9
							     : outputs));
	uint32_t in = tl_tlm_add_activation(&b, c, 8, 8);
	uint32_t conv = tl_tlm_add_activation(&b, filters, 8, 8);
	uint32_t pool = tl_tlm_add_activation(&b, filters, 1, 1);
	uint32_t fc = tl_tlm_add_activation(&b, outputs, 1, 1);
	struct tl_layer l = tl_tlm_layer(TL_LAYER_CONV, TL_ACT_RELU, conv);
	l.inputs[0] = in;
	l.params[0] = 3, l.params[1] = 1, l.params[2] = 1, l.params[3] = 1;
	l.weights = tl_tlm_add_parameter(&b, v, filters, 1, c * 9);
	l.bias = tl_tlm_add_parameter(&b, v, filters, 1, 1);
	tl_tlm_add_layer(&b, &l);
	l = tl_tlm_layer(TL_LAYER_AVGPOOL, TL_ACT_LINEAR, pool);
	l.inputs[0] = conv;
	tl_tlm_add_layer(&b, &l);
	l = tl_tlm_layer(TL_LAYER_CONNECTED, TL_ACT_LINEAR, fc);
	l.inputs[0] = pool;
	l.weights = tl_tlm_add_parameter(&b, v, outputs, 1, filters);
	l.bias = tl_tlm_add_parameter(&b, v, outputs, 1, 1);
	tl_tlm_add_layer(&b, &l);
	tl_tlm_set_io(&b, in, fc);
	uint8_t *blob;
	size_t size;
	assert_int_equal(tl_tlm_finish(&b, &blob, &size), 0);
	tl_tlm_builder_free(&b);
	free(v);
	snprintf(path, len, "%s/%s.tlm", dir, name);
	cli_write_file(path, blob, size);
	free(blob);
}

void cli_write_floats(const char *path, size_t n)
{
	float *v = seeded(n);
	cli_write_file(path, v, n * sizeof *v);
	free(v);
}

int cli_quick(void)
{
	return getenv("TL_TEST_QUICK") != NULL;
}
