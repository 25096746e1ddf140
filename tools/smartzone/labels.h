/*
 * Class names for `smartzone run`'s top-k: one a line, in output order,
 * from MODEL.labels beside the model (the model's name with .labels for
 * its extension), else labels.txt in the model's directory
 * (models/digits/labels.txt). Without either, outputs are shown by index.
 */
#ifndef SZ_LABELS_H
#define SZ_LABELS_H

#include <stddef.h>

struct sz_labels {
	char **names;
	size_t n;
	char path[4096];	/* the file read; "" when none */
};

/* 0 (also when there is no labels file), or -1 with a sentence. */
int sz_labels_load(const char *model_path, struct sz_labels *l, char *err,
		   size_t err_len);

/* The name of output i; NULL when there is none. */
const char *sz_label(const struct sz_labels *l, size_t i);

void sz_labels_free(struct sz_labels *l);

#endif
