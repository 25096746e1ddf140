/* The smartzone program's commands (main.c dispatches). Each takes the
 * arguments after its name and returns the exit status: 0 done, 1 a
 * refusal or an error (said on stderr), 2 a usage error. */
#ifndef SZ_COMMANDS_H
#define SZ_COMMANDS_H

#include <stddef.h>

struct sz_cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* The build's commands: commands_host.c or commands_board.c. */
extern const struct sz_cli_command sz_commands[];
extern const size_t sz_n_commands;

int sz_cmd_plan(int argc, char **argv);
int sz_cmd_run_model(int argc, char **argv);
int sz_cmd_convert(int argc, char **argv);
int sz_cmd_encrypt(int argc, char **argv);
int sz_cmd_keygen(int argc, char **argv);
int sz_cmd_compare(int argc, char **argv);
int sz_cmd_verify(int argc, char **argv);

#endif
