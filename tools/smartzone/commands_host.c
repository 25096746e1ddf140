/* The host build's commands (commands.h): every one, run in the
 * simulated TEE; verify where the host's Unicorn links (not in the
 * aarch64 build run under qemu-aarch64). */
#include "commands.h"

const struct sz_cli_command sz_commands[] = {
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
#ifdef SZ_WITH_UNICORN
	{ "verify", sz_cmd_verify, "the TA's aarch64 code under Unicorn in "
	  "its planned address space: rules, bit-identity, figures per layer" },
#endif
};

const size_t sz_n_commands = sizeof sz_commands / sizeof sz_commands[0];
