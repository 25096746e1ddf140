/* The smartzone program's commands (main.c dispatches). Each takes the
 * arguments after its name and returns the exit status: 0 done, 1 a
 * refusal or an error (said on stderr), 2 a usage error. */
#ifndef SZ_COMMANDS_H
#define SZ_COMMANDS_H

int sz_cmd_plan(int argc, char **argv);
int sz_cmd_run_model(int argc, char **argv);
int sz_cmd_convert(int argc, char **argv);
int sz_cmd_encrypt(int argc, char **argv);
int sz_cmd_keygen(int argc, char **argv);
int sz_cmd_compare(int argc, char **argv);

#endif
