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

int cli_quick(void)
{
	return getenv("TL_TEST_QUICK") != NULL;
}
