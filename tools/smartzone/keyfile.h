/* Model keys on disk (smartzone keygen, encrypt, run --encrypted): 64
 * hexadecimal digits and a newline, readable by the owner only. 32 raw
 * bytes are also taken. */
#ifndef SZ_KEYFILE_H
#define SZ_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "smartzone_ta.h"

/* 0, or -1 with a sentence naming the file in err. */
int sz_key_read(const char *path, uint8_t key[SZ_KEY_BYTES], char *err,
		size_t err_len);

/* A new random key written to path, which must not exist yet (a key is
 * never overwritten by accident). */
int sz_key_generate(const char *path, uint8_t key[SZ_KEY_BYTES], char *err,
		    size_t err_len);

#endif
