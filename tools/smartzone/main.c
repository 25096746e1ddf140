/*
 * smartzone: the Smart-Zone command-line program.
 *
 *   smartzone run MODEL INPUT...                 a model run in the
 *                                                TA (simulated or real)
 *   smartzone plan --platform rpi3bplus MODEL    secure memory and OP-TEE
 *                                                settings for a model
 *   smartzone convert MODEL.cfg|.onnx -o M.tlm   a model to .tlm
 *   smartzone keygen, encrypt                    encrypted models
 *   smartzone help [COMMAND]
 *
 * The board build (OP-TEE through libteec) has run, keygen and encrypt
 * (commands_board.c); the host build all (commands_host.c).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static int usage(FILE *f)
{
	fprintf(f, "usage: smartzone COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sz_n_commands; i++)
		fprintf(f, "  %-8s %s\n", sz_commands[i].name, sz_commands[i].summary);
	fprintf(f, "\n`smartzone COMMAND --help` describes a command.\n");
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	const char *name = argv[1];
	if (!strcmp(name, "help") || !strcmp(name, "--help") ||
	    !strcmp(name, "-h")) {
		if (argc > 2) {
			char help[] = "--help";
			char *args[] = { argv[2], help, NULL };
			for (size_t i = 0; i < sz_n_commands; i++)
				if (!strcmp(sz_commands[i].name, argv[2]))
					return sz_commands[i].run(2, args);
		}
		return usage(stdout);
	}
	for (size_t i = 0; i < sz_n_commands; i++)
		if (!strcmp(sz_commands[i].name, name))
			return sz_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "smartzone: no command '%s'\n\n", name);
	return usage(stderr);
}
