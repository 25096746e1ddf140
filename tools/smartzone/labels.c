/* Class names (labels.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"

/* The candidates for model_path: MODEL.labels, then DIR/labels.txt. */
static void candidate(const char *model_path, int which, char *out,
		      size_t len)
{
	const char *slash = strrchr(model_path, '/');
	size_t dir = slash ? (size_t)(slash - model_path) + 1 : 0;
	if (which == 0) {
		const char *dot = strrchr(model_path + dir, '.');
		size_t stem = dot ? (size_t)(dot - model_path)
				  : strlen(model_path);
		snprintf(out, len, "%.*s.labels", (int)stem, model_path);
	} else {
		snprintf(out, len, "%.*slabels.txt", (int)dir, model_path);
	}
}

static int add(struct sz_labels *l, const char *line)
{
	char **names = realloc(l->names, (l->n + 1) * sizeof *names);
	if (!names)
		return -1;
	l->names = names;
	l->names[l->n] = strdup(line);
	return l->names[l->n++] ? 0 : -1;
}

static int read_lines(FILE *f, struct sz_labels *l)
{
	char line[512];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (add(l, line))
			return -1;
	}
	return ferror(f) ? -1 : 0;
}

int sz_labels_load(const char *model_path, struct sz_labels *l, char *err,
		   size_t err_len)
{
	memset(l, 0, sizeof *l);
	for (int which = 0; which < 2; which++) {
		candidate(model_path, which, l->path, sizeof l->path);
		FILE *f = fopen(l->path, "r");
		if (!f)
			continue;
		int rc = read_lines(f, l);
		fclose(f);
		if (rc) {
			snprintf(err, err_len, "%s: %s", l->path, errno
				 ? strerror(errno) : "could not be read");
			sz_labels_free(l);
		}
		return rc;
	}
	l->path[0] = '\0';
	return 0;
}

const char *sz_label(const struct sz_labels *l, size_t i)
{
	return l && i < l->n ? l->names[i] : NULL;
}

void sz_labels_free(struct sz_labels *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	l->names = NULL;
	l->n = 0;
}
