/*
 * What the command tests share: a smartzone command run in-process with
 * its stdout and stderr captured, the sample Darknet cfgs, files read
 * back whole.
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>

extern char cli_out[1 << 17], cli_err[1 << 15];

/* Runs cmd with argv { name, the arguments up to NULL }; returns its
 * exit status, its output in cli_out and cli_err. */
int cli_run(int (*cmd)(int, char **), const char *name, ...);

/* models/zoo/NAME.cfg */
const char *cli_cfg(const char *name);

/* The file's text (at most 64 KiB, in a static buffer); the test fails
 * when it can not be read. */
char *cli_read_text(const char *path);

/* A fresh directory under /tmp; cli_rmdir removes it and its files. */
void cli_tmpdir(char *path, size_t len);
void cli_rmdir(const char *path);

/* memmodel/platforms/NAME.conf without its cost_* keys, written into
 * dir; its file name in path. */
void cli_costless_platform(const char *name, const char *dir, char *path,
			   size_t len);

/* A new key (smartzone keygen) and the digits model sealed for it
 * (smartzone encrypt), in dir; their file names in key and tlme. */
void cli_seal_digits(const char *dir, char *key, char *tlme, size_t len);

/*
 * The small model of issue 17, as a new user writes it: input c x 8 x 8,
 * a 3x3 convolution of `filters` (pad 1, relu), a global average pool
 * and a connected layer of `outputs`, seeded weights; written to
 * dir/NAME.tlm, its path in path. (1, 8, 10) gives 1,196 bytes and
 * (1, 38, 6) 2,988 bytes: counted transfers the exponential fit refuses
 * for two different reasons.
 */
void cli_small_model(const char *dir, const char *name, unsigned c,
		     unsigned filters, unsigned outputs, char *path,
		     size_t len);

/* n bytes of data written to path (failing the test when it can not). */
void cli_write_file(const char *path, const void *data, size_t n);

/* n float32 values written to path (an input for smartzone run). */
void cli_write_floats(const char *path, size_t n);

/* Whether TL_TEST_QUICK is set (qemu, valgrind: the small cases). */
int cli_quick(void);

#endif
