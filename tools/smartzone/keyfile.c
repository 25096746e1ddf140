/* Model keys on disk (keyfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "keyfile.h"
#include "tl_tlme.h"

#define HEX_DIGITS (2 * SZ_KEY_BYTES)

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int from_hex(const char *text, uint8_t key[SZ_KEY_BYTES])
{
	for (size_t i = 0; i < SZ_KEY_BYTES; i++) {
		int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int sz_key_read(const char *path, uint8_t key[SZ_KEY_BYTES], char *err,
		size_t err_len)
{
	char buf[HEX_DIGITS + 3];
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	int rc = -1;
	if (n == SZ_KEY_BYTES) {
		memcpy(key, buf, SZ_KEY_BYTES);
		rc = 0;
	} else if ((n == HEX_DIGITS ||
		    (n == HEX_DIGITS + 1 && buf[HEX_DIGITS] == '\n')) &&
		   from_hex(buf, key) == 0) {
		rc = 0;
	}
	mbedtls_platform_zeroize(buf, sizeof buf);
	if (rc)
		snprintf(err, err_len, "%s: not a key: expected %u "
			 "hexadecimal digits (smartzone keygen writes them) "
			 "or %u raw bytes", path, HEX_DIGITS, SZ_KEY_BYTES);
	return rc;
}

int sz_key_generate(const char *path, uint8_t key[SZ_KEY_BYTES], char *err,
		    size_t err_len)
{
	char text[HEX_DIGITS + 1];
	if (tl_tlme_random(key, SZ_KEY_BYTES, err, err_len))
		return -1;
	for (size_t i = 0; i < SZ_KEY_BYTES; i++)
		snprintf(text + 2 * i, 3, "%02x", key[i]);
	text[HEX_DIGITS] = '\n';
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	bool ok = fd >= 0 && write(fd, text, sizeof text) == (ssize_t)sizeof text;
	int e = errno;
	if (fd >= 0 && close(fd))
		ok = false;
	mbedtls_platform_zeroize(text, sizeof text);
	if (!ok) {
		snprintf(err, err_len, "%s: %s", path, e == EEXIST
			 ? "exists already: a key is not overwritten (remove "
			   "it first if you mean to)" : strerror(e));
		if (fd >= 0 && e != EEXIST)
			unlink(path);
	}
	return ok ? 0 : -1;
}
