/*
 * onnxruntime as a coprocess (tests/bench/ort_server.js under node): the
 * benchmark asks it to load a model, run it once (it answers the time it
 * measured around session.run) and save the last output, one line each
 * way over pipes. The child inherits the caller's CPU affinity.
 */
#ifndef ORT_CLIENT_H
#define ORT_CLIENT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct ort_client {
	pid_t pid;
	FILE *to, *from;
	char version[32];	/* onnxruntime-node's, after the first load */
};

/* Starts `node server_js ort_dir`. 0, or -1 with a sentence in err. */
int ort_start(struct ort_client *c, const char *node, const char *server_js,
	      const char *ort_dir, char *err, size_t err_len);

/* A session for onnx_path with input_path (c*h*w float32) as its input. */
int ort_load(struct ort_client *c, const char *onnx_path,
	     const char *input_path, unsigned ch, unsigned h, unsigned w,
	     char *err, size_t err_len);

/* One run; *seconds as onnxruntime's side measured it. */
int ort_run(struct ort_client *c, double *seconds, char *err, size_t err_len);

/* The last run's output "y", written to path as float32. */
int ort_save(struct ort_client *c, const char *path, char *err,
	     size_t err_len);

/* onnxruntime's own profile of runs runs of the loaded model, in a
 * session of its own: path gets a line "MICROSECONDS OP NODE" a node, its
 * median kernel time (tests/bench/ort_server.js). */
int ort_profile(struct ort_client *c, int runs, const char *path,
		char *err, size_t err_len);

/* Closes its input and waits for it. */
void ort_stop(struct ort_client *c);

#endif
