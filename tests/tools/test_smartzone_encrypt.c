/*
 * smartzone keygen and encrypt, in-process: a key file only its owner
 * reads, never overwritten; keys in hex or raw; a sealed model the run
 * command opens (test_smartzone_run.c runs one); the refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "cli.h"
#include "commands.h"
#include "json_check.h"
#include "keyfile.h"
#include "tl_tlme.h"

static void test_keygen(void **state)
{
	(void)state;
	char dir[64], key[128], err[256];
	cli_tmpdir(dir, sizeof dir);
	snprintf(key, sizeof key, "%s/k.key", dir);
	assert_int_equal(cli_run(sz_cmd_keygen, "keygen", "-o", key, NULL), 0);
	assert_non_null(strstr(cli_out, "a new AES-256 model key"));
	struct stat st;
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 65);	/* 64 hex digits, newline */
	uint8_t k[SZ_KEY_BYTES];
	assert_int_equal(sz_key_read(key, k, err, sizeof err), 0);
	assert_int_equal(cli_run(sz_cmd_keygen, "keygen", "-o", key, NULL), 1);
	assert_non_null(strstr(cli_err, "exists already: a key is not "
				       "overwritten"));
	assert_int_equal(cli_run(sz_cmd_keygen, "keygen", NULL), 2);
	assert_non_null(strstr(cli_err, "-o KEYFILE is required"));
	cli_rmdir(dir);
}

static void test_key_files(void **state)
{
	(void)state;
	char dir[64], path[128], err[256];
	uint8_t k[SZ_KEY_BYTES];
	cli_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/raw.key", dir);
	FILE *f = fopen(path, "wb");
	for (unsigned i = 0; i < SZ_KEY_BYTES; i++)
		fputc((int)i * 7, f);
	fclose(f);
	assert_int_equal(sz_key_read(path, k, err, sizeof err), 0);
	assert_int_equal(k[3], 21);
	f = fopen(path, "w");
	fputs("0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdeg",
	      f);
	fclose(f);
	assert_int_equal(sz_key_read(path, k, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a key: expected 64 hexadecimal "
				    "digits"));
	assert_int_equal(sz_key_read("no/such.key", k, err, sizeof err), -1);
	assert_non_null(strstr(err, "no/such.key: No such file"));
	cli_rmdir(dir);
}

static void test_encrypt(void **state)
{
	(void)state;
	char dir[64], key[128], out[128], again[128];
	cli_tmpdir(dir, sizeof dir);
	snprintf(key, sizeof key, "%s/k.key", dir);
	snprintf(out, sizeof out, "%s/d.tlme", dir);
	snprintf(again, sizeof again, "%s/dd.tlme", dir);
	assert_int_equal(cli_run(sz_cmd_keygen, "keygen", "-o", key, NULL), 0);
	assert_int_equal(cli_run(sz_cmd_encrypt, "encrypt",
				 "models/digits/digits.tlm", "--key", key,
				 "-o", out, "--json", NULL), 0);
	assert_int_equal(json_check(cli_out, strlen(cli_out)), 0);
	assert_non_null(strstr(cli_out, "\"plaintext_bytes\": 104492, "
				       "\"arena_bytes\": 30720}"));
	struct stat st;
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_size, 104492 + TL_TLME_OVERHEAD);
	assert_true(tl_tlme_is_encrypted(cli_read_text(out), 4));
	/* refusals: sealed twice, no key, a key that is no key */
	assert_int_equal(cli_run(sz_cmd_encrypt, "encrypt", out, "--key", key,
				 "-o", again, NULL), 1);
	assert_non_null(strstr(cli_err, "already encrypted"));
	assert_int_equal(cli_run(sz_cmd_encrypt, "encrypt",
				 "models/digits/digits.tlm", "-o", again,
				 NULL), 2);
	assert_non_null(strstr(cli_err, "--key KEYFILE is required"));
	assert_int_equal(cli_run(sz_cmd_encrypt, "encrypt",
				 "models/digits/digits.tlm", "--key",
				 "models/digits/labels.txt", "-o", again,
				 NULL), 1);
	assert_non_null(strstr(cli_err, "labels.txt: not a key"));
	cli_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keygen),
		cmocka_unit_test(test_key_files),
		cmocka_unit_test(test_encrypt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
