/* onnxruntime's coprocess (ort_client.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ort_client.h"

int ort_start(struct ort_client *c, const char *node, const char *server_js,
	      const char *ort_dir, char *err, size_t err_len)
{
	int in[2], out[2];
	memset(c, 0, sizeof *c);
	if (pipe(in) || pipe(out)) {
		snprintf(err, err_len, "pipe: %s", strerror(errno));
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);	/* a dead child is an answer, not a kill */
	c->pid = fork();
	if (c->pid < 0) {
		snprintf(err, err_len, "fork: %s", strerror(errno));
		return -1;
	}
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		execlp(node, node, server_js, ort_dir, (char *)NULL);
		fprintf(stderr, "ort_client: %s: %s\n", node, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->to = fdopen(in[1], "w");
	c->from = fdopen(out[0], "r");
	return 0;
}

/* Sends one command line, reads the answer into reply; -1 on "error ..."
 * or when the coprocess is gone. */
static int ask(struct ort_client *c, char *reply, size_t reply_len,
	       char *err, size_t err_len, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (fprintf(c->to, "%s\n", line) < 0 || fflush(c->to) ||
	    !fgets(reply, (int)reply_len, c->from)) {
		snprintf(err, err_len, "onnxruntime (node %s): no answer to "
			 "\"%s\" (did it start? see its messages above)",
			 "tests/bench/ort_server.js", line);
		return -1;
	}
	reply[strcspn(reply, "\n")] = '\0';
	if (strncmp(reply, "error ", 6) == 0) {
		snprintf(err, err_len, "onnxruntime: %s: %s", line, reply + 6);
		return -1;
	}
	return 0;
}

int ort_load(struct ort_client *c, const char *onnx_path,
	     const char *input_path, unsigned ch, unsigned h, unsigned w,
	     char *err, size_t err_len)
{
	char reply[256];
	if (ask(c, reply, sizeof reply, err, err_len, "load %s %s %u %u %u",
		onnx_path, input_path, ch, h, w))
		return -1;
	if (sscanf(reply, "ok %31s", c->version) != 1) {
		snprintf(err, err_len, "onnxruntime: load %s: answered \"%s\"",
			 onnx_path, reply);
		return -1;
	}
	return 0;
}

int ort_run(struct ort_client *c, double *seconds, char *err, size_t err_len)
{
	char reply[256];
	unsigned long long ns;
	if (ask(c, reply, sizeof reply, err, err_len, "run"))
		return -1;
	if (sscanf(reply, "time %llu", &ns) != 1) {
		snprintf(err, err_len, "onnxruntime: run: answered \"%s\"",
			 reply);
		return -1;
	}
	*seconds = (double)ns * 1e-9;
	return 0;
}

int ort_save(struct ort_client *c, const char *path, char *err,
	     size_t err_len)
{
	char reply[256];
	return ask(c, reply, sizeof reply, err, err_len, "save %s", path);
}

int ort_profile(struct ort_client *c, int runs, const char *path,
		char *err, size_t err_len)
{
	char reply[256];
	return ask(c, reply, sizeof reply, err, err_len, "profile %d %s", runs,
		   path);
}

void ort_stop(struct ort_client *c)
{
	if (c->to)
		fclose(c->to);
	if (c->from)
		fclose(c->from);
	if (c->pid > 0)
		waitpid(c->pid, NULL, 0);
	memset(c, 0, sizeof *c);
}
