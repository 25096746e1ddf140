/* The board build's commands (commands.h): what runs beside OP-TEE;
 * planning, converting and comparing are the host's. */
#include "commands.h"

const struct sz_cli_command sz_commands[] = {
	{ "run", sz_cmd_run_model, "run a model on inputs in OP-TEE's "
	  "Smart-Zone TA: top-k, every call to the TEE, times" },
	{ "keygen", sz_cmd_keygen, "a new AES-256 model key" },
	{ "encrypt", sz_cmd_encrypt, "a .tlm sealed for a key (.tlme)" },
};

const size_t sz_n_commands = sizeof sz_commands / sizeof sz_commands[0];
