/*
 * The calls the TA's code makes to the Unicorn runner: each GP function
 * the runner serves is an SVC with its number in x8 and its arguments in
 * x0..x5, the result in x0, as a TA's libutee calls OP-TEE's core
 * (OP-TEE's syscalls: the number in x8). Shared by the guest
 * (sim/unicorn/guest/) and the runner (sim/unicorn/src/).
 */
#ifndef SIM_UC_SVC_H
#define SIM_UC_SVC_H

enum sim_uc_svc {
	SIM_UC_SVC_RETURN = 0,		/* the entry point returned */
	SIM_UC_SVC_PANIC,		/* x0: the panic code */
	SIM_UC_SVC_MALLOC,		/* x0: size, x1: hint -> pointer */
	SIM_UC_SVC_REALLOC,		/* x0: pointer, x1: size -> pointer */
	SIM_UC_SVC_FREE,		/* x0: pointer */
	SIM_UC_SVC_PROPERTY_U32,	/* x0: set, x1: name, x2: out */
	SIM_UC_SVC_ACCESS_RIGHTS,	/* x0: flags, x1: buffer, x2: size */
	SIM_UC_SVC_NOT_SERVED,		/* x0: which (enum sim_uc_unserved) */
};

/* The GP functions the runner does not serve: the TA's encrypted path
 * and persistent key store (its sessions under Unicorn load plaintext
 * models; the simulator and OP-TEE run the rest). */
enum sim_uc_unserved {
	SIM_UC_OBJECTS = 1,	/* transient and persistent objects */
	SIM_UC_OPERATIONS,	/* AES-GCM operations */
	SIM_UC_RANDOM,
};

#endif
