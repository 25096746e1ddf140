/*
 * smartzone keygen and smartzone encrypt: a device's model key, and a
 * .tlm sealed for it (tl_tlme.h). The key is provisioned into the TA
 * once (smartzone run --encrypted KEYFILE); the sealed model then
 * crosses the normal world only as ciphertext.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "args.h"
#include "commands.h"
#include "keyfile.h"
#include "mm_text.h"
#include "model_needs.h"
#include "tl_tlme.h"

static const char keygen_usage[] =
"usage: smartzone keygen -o KEYFILE [--json]\n"
"\n"
"Writes a new random AES-256 model key (64 hexadecimal digits, readable\n"
"by you only). An existing KEYFILE is never overwritten.\n";

static const char encrypt_usage[] =
"usage: smartzone encrypt MODEL.tlm --key KEYFILE -o OUT.tlme [--json]\n"
"\n"
"Seals a model for the device that holds KEYFILE's key: AES-256-GCM\n"
"with a fresh random nonce, the clear header (sizes, nonce, the arena\n"
"the TA must open) authenticated with it. Run it with\n"
"  smartzone run --encrypted KEYFILE OUT.tlme INPUT\n";

int sz_cmd_keygen(int argc, char **argv)
{
	const char *out = NULL;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(keygen_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc && !out) {
			out = argv[++i];
		} else {
			return sz_bad_usage("keygen", keygen_usage,
					    "unexpected argument %s", argv[i]);
		}
	}
	if (!out)
		return sz_bad_usage("keygen", keygen_usage, "%s",
				    "-o KEYFILE is required");
	uint8_t key[SZ_KEY_BYTES];
	char err[512];
	int rc = sz_key_generate(out, key, err, sizeof err);
	mbedtls_platform_zeroize(key, sizeof key);
	if (rc) {
		fprintf(stderr, "smartzone keygen: %s\n", err);
		return 1;
	}
	if (json) {
		printf("{\"key\": ");
		mm_json_string(stdout, out);
		printf("}\n");
	} else {
		printf("%s: a new AES-256 model key; provision it once with "
		       "smartzone run --encrypted %s\n", out, out);
	}
	return 0;
}

struct encrypt_args {
	const char *model, *key, *out;
	bool json;
};

static int encrypt_parse(int argc, char **argv, struct encrypt_args *a)
{
	*a = (struct encrypt_args){ 0 };
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		bool has_value = i + 1 < argc;
		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			fputs(encrypt_usage, stdout);
			return -1;
		} else if (!strcmp(o, "--json")) {
			a->json = true;
		} else if (!strcmp(o, "--key") && has_value) {
			a->key = argv[++i];
		} else if (!strcmp(o, "-o") && has_value) {
			a->out = argv[++i];
		} else if (o[0] == '-' || a->model) {
			return sz_bad_usage("encrypt", encrypt_usage,
					    "unexpected argument %s", o);
		} else {
			a->model = o;
		}
	}
	if (!a->model || !a->key || !a->out)
		return sz_bad_usage("encrypt", encrypt_usage, "%s", !a->model
				    ? "a MODEL.tlm is required" : !a->key
				    ? "--key KEYFILE is required"
				    : "-o OUT.tlme is required");
	return 0;
}

/* What was written: sizes and the arena its clear header carries. */
static void summary(const struct encrypt_args *a, const uint8_t *tlme,
		    size_t n)
{
	struct sz_enc_header h;
	memcpy(&h, tlme, sizeof h);
	unsigned long long arena = tl_tlme_arena_bytes(&h);
	if (a->json) {
		printf("{\"output\": ");
		mm_json_string(stdout, a->out);
		printf(", \"bytes\": %zu, \"plaintext_bytes\": %llu, "
		       "\"arena_bytes\": %llu}\n", n,
		       (unsigned long long)h.plaintext_bytes, arena);
	} else {
		printf("%s: %zu bytes, the %llu-byte model sealed with "
		       "AES-256-GCM; in the clear: its size and its arena "
		       "(%llu bytes)\n", a->out, n,
		       (unsigned long long)h.plaintext_bytes, arena);
	}
}

static int seal_file(const struct encrypt_args *a, const uint8_t *key,
		     char *err, size_t err_len)
{
	uint8_t *tlm = NULL, *tlme = NULL;
	size_t n, m;
	int rc = sz_model_blob(a->model, NULL, &tlm, &n, err, err_len);
	if (!rc && tl_tlme_is_encrypted(tlm, n)) {
		snprintf(err, err_len, "%s: already encrypted", a->model);
		rc = -1;
	}
	if (!rc)
		rc = tl_tlme_encrypt(tlm, n, a->model, key, &tlme, &m, err,
				     err_len);
	if (!rc)
		rc = sz_write_file(a->out, tlme, m, 0644, err, err_len);
	if (!rc)
		summary(a, tlme, m);
	free(tlm);
	free(tlme);
	return rc;
}

int sz_cmd_encrypt(int argc, char **argv)
{
	struct encrypt_args a;
	int rc = encrypt_parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	uint8_t key[SZ_KEY_BYTES];
	char err[1024];
	rc = sz_key_read(a.key, key, err, sizeof err) ||
	     seal_file(&a, key, err, sizeof err);
	mbedtls_platform_zeroize(key, sizeof key);
	if (rc) {
		fprintf(stderr, "smartzone encrypt: %s\n", err);
		return 1;
	}
	return 0;
}
