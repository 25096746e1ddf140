/*
 * Sealed baseline steps (tl_baseline.h): each step encrypted for the
 * device's key as Smart-Zone's models are (tl_tlme.h), so that the
 * baseline keeps the model from the normal world too, and the TA
 * decrypts every step again on every inference.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tl_baseline.h"
#include "tl_tlme.h"

int tl_baseline_seal(struct tl_baseline *b, const uint8_t *key, char *err,
		     size_t err_len)
{
	uint64_t bytes = 0;
	for (size_t i = 0; i < b->n_steps; i++) {
		struct tl_baseline_step *st = &b->steps[i];
		char name[48];
		uint8_t *sealed;
		size_t n;
		snprintf(name, sizeof name, "step %zu", i + 1);
		if (tl_tlme_is_encrypted(st->blob, st->size)) {
			snprintf(err, err_len, "%s: sealed already", name);
			return -1;
		}
		if (tl_tlme_encrypt(st->blob, st->size, name, key, &sealed, &n,
				    err, err_len))
			return -1;
		free(st->blob);
		st->blob = sealed;
		st->size = n;
		bytes += n;
	}
	b->bytes = bytes;
	return 0;
}
