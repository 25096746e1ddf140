/*
 * smartzone: the Smart-Zone command-line program.
 *
 *   smartzone run MODEL INPUT...                 a model run in the
 *                                                simulated TEE
 *   smartzone plan --platform rpi3bplus MODEL    secure memory and OP-TEE
 *                                                settings for a model
 *   smartzone convert MODEL.cfg|.onnx -o M.tlm   a model to .tlm
 *   smartzone keygen, encrypt                    encrypted models
 *   smartzone help [COMMAND]
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", sz_cmd_run_model, "run a model on inputs in the simulated TEE: "
	  "top-k, world switches, board latency and energy, checks" },
	{ "plan", sz_cmd_plan, "secure memory, TZDRAM layout and OP-TEE "
	  "settings for a model on a platform" },
	{ "convert", sz_cmd_convert, "a Darknet .cfg (+ .weights) or an "
	  "ONNX model to a .tlm" },
	{ "keygen", sz_cmd_keygen, "a new AES-256 model key" },
	{ "encrypt", sz_cmd_encrypt, "a .tlm sealed for a key (.tlme)" },
	{ "compare", sz_cmd_compare, "Smart-Zone against the baseline: "
	  "latency and energy, measured and modelled" },
};

static int usage(FILE *f)
{
	fprintf(f, "usage: smartzone COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
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
			for (size_t i = 0;
			     i < sizeof commands / sizeof commands[0]; i++)
				if (!strcmp(commands[i].name, argv[2]))
					return commands[i].run(2, args);
		}
		return usage(stdout);
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "smartzone: no command '%s'\n\n", name);
	return usage(stderr);
}
