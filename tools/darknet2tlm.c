/*
 * darknet2tlm: a Darknet .cfg (and .weights) to a .tlm model.
 *
 *   darknet2tlm MODEL.cfg [MODEL.weights] -o MODEL.tlm [--seed N]
 *
 * Without a .weights file the weights come from a generator seeded with N
 * (default 1), so the architecture can be run and measured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_darknet_import.h"

static int usage(void)
{
	fprintf(stderr, "usage: darknet2tlm MODEL.cfg [MODEL.weights] -o OUT.tlm "
			"[--seed N]\n");
	return 2;
}

static int write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		fprintf(stderr, "darknet2tlm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cfg = NULL, *weights = NULL, *out = NULL;
	unsigned long long seed = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (argv[i][0] == '-')
			return usage();
		else if (cfg == NULL)
			cfg = argv[i];
		else if (weights == NULL)
			weights = argv[i];
		else
			return usage();
	}
	if (cfg == NULL || out == NULL)
		return usage();
	uint8_t *blob;
	size_t size;
	char err[512];
	if (tl_darknet_convert_files(cfg, weights, seed, &blob, &size, err,
				     sizeof err)) {
		fprintf(stderr, "darknet2tlm: %s\n", err);
		return 1;
	}
	int status = write_file(out, blob, size);
	if (status == 0)
		printf("%s: %zu bytes (%s)\n", out, size,
		       weights ? "weights from the file" : "seeded weights");
	free(blob);
	return status;
}
