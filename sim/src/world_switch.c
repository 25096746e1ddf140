/*
 * Running TA code: each entry point runs on the instance's own stack of
 * TA_STACK_SIZE bytes inside its TA_RAM (ucontext: makecontext and
 * swapcontext), with an inaccessible guard page below it, as OP-TEE runs
 * a TA on its own user stack. The simulator's work on the TA's behalf
 * (crypto, storage, random) runs back on the core's stack, as a system
 * call would, so the TA stack holds only what the TA itself uses.
 *
 * A TA ends its run in one of three ways: it returns; it calls TEE_Panic
 * (or breaks a rule the core enforces with a panic); or it faults (a data
 * abort: a wild pointer, its stack running into the guard page), which
 * the SIGSEGV/SIGBUS handler turns into a panic, as OP-TEE kills a TA on
 * an abort (DarkneTZ issue #29). Each way lands back in sim_run_ta.
 *
 * ASan is told about every stack switch (its fiber interface); valgrind
 * is told where the TA stacks are.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define SIM_ASAN 1
#endif
/* Always built in (ci/deps.sh installs valgrind with the first target):
 * a build that took the headers only when they happened to be there went
 * stale when they arrived later (make does not rebuild for a header that
 * was absent), and valgrind then saw every TA stack switch as wild
 * reads (ci/fresh-check.sh found it). */
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

/* The core's stack, as ASan learns it on the first switch. */
static const void *core_stack_bottom;
static size_t core_stack_size;

static void asan_leave(void **save, const void *bottom, size_t size)
{
#ifdef SIM_ASAN
	__sanitizer_start_switch_fiber(save, bottom, size);
#else
	(void)save, (void)bottom, (void)size;
#endif
}

static void asan_arrived(void *save, bool learn_core)
{
#ifdef SIM_ASAN
	const void *b;
	size_t s;
	__sanitizer_finish_switch_fiber(save, &b, &s);
	if (learn_core) {
		core_stack_bottom = b;
		core_stack_size = s;
	}
#else
	(void)save, (void)learn_core;
#endif
}

void sim_mem_expose(void *p, uint64_t n)
{
#ifdef SIM_ASAN
	__asan_unpoison_memory_region(p, n);
#endif
	VALGRIND_MAKE_MEM_DEFINED(p, n);
}

void sim_stack_register(struct sim_instance *inst)
{
	inst->vg_stack_id = VALGRIND_STACK_REGISTER(
		inst->stack, inst->stack + inst->stack_size);
}

void sim_stack_deregister(struct sim_instance *inst)
{
	VALGRIND_STACK_DEREGISTER(inst->vg_stack_id);
}

bool sim_under_valgrind(void)
{
	return RUNNING_ON_VALGRIND != 0;
}

struct sim_instance *sim_current(void)
{
	if (sim_m.current == NULL) {
		fprintf(stderr, "sim: a TEE_ function was called outside a TA "
				"entry point\n");
		abort();
	}
	return sim_m.current;
}

/* The TA side's first frame: the entry thunk, then back to the core. */
static void ta_start(void)
{
	struct sim_instance *inst = sim_m.current;
	asan_arrived(NULL, true);
	inst->fn(inst->arg);
	inst->state = SIM_RUN_RETURNED;
	asan_leave(NULL, core_stack_bottom, core_stack_size);
	/* returning follows uc_link to core_uc */
}

/* A switch that did not happen must not pass for a TA that ran and
 * returned: swapcontext fails only when the kernel can not read or write
 * the contexts' signal masks. */
static void switch_context(ucontext_t *from, const ucontext_t *to)
{
	if (swapcontext(from, to) != 0) {
		perror("sim: swapcontext");
		abort();
	}
}

static void to_ta(struct sim_instance *inst)
{
	asan_leave(&inst->asan_fake_stack, inst->stack, inst->stack_size);
	switch_context(&inst->core_uc, &inst->ta_uc);
	asan_arrived(inst->asan_fake_stack, false);
}

int sim_run_ta(struct sim_instance *inst, void (*fn)(void *), void *arg)
{
	if (sim_m.current != NULL) {
		fprintf(stderr, "sim: a TA entered the TEE again from inside\n");
		abort();
	}
	sim_signals_install();
	sim_pool_watch_arm();
	sim_m.current = inst;
	inst->fn = fn;
	inst->arg = arg;
	inst->state = SIM_RUN_TA;
	getcontext(&inst->ta_uc);
	inst->ta_uc.uc_stack.ss_sp = inst->stack;
	inst->ta_uc.uc_stack.ss_size = inst->stack_size;
	inst->ta_uc.uc_link = &inst->core_uc;
	makecontext(&inst->ta_uc, ta_start, 0);
	for (;;) {
		to_ta(inst);
		if (inst->state != SIM_RUN_SYSCALL)
			break;
		sigjmp_buf exit;
		inst->syscall_exit = &exit;
		if (sigsetjmp(exit, 1) == 0)
			inst->sys_fn(inst->sys_arg);
		inst->syscall_exit = NULL;
		if (inst->state != SIM_RUN_SYSCALL)
			break;	/* the system call panicked the TA */
		inst->state = SIM_RUN_TA;
	}
	sim_m.current = NULL;
	return inst->state == SIM_RUN_PANICKED ? -1 : 0;
}

void sim_syscall(void (*fn)(void *), void *arg)
{
	struct sim_instance *inst = sim_current();
	if (inst->state != SIM_RUN_TA) {	/* already in the core */
		fn(arg);
		return;
	}
	inst->sys_fn = fn;
	inst->sys_arg = arg;
	inst->state = SIM_RUN_SYSCALL;
	void *fake = NULL;
	asan_leave(&fake, core_stack_bottom, core_stack_size);
	switch_context(&inst->ta_uc, &inst->core_uc);
	asan_arrived(fake, false);
}

/* Leaves TA code (or a system call, in_core) for good: back to
 * sim_run_ta's loop. */
__attribute__((noreturn))
static void abandon(struct sim_instance *inst, bool in_core)
{
	inst->state = SIM_RUN_PANICKED;
	if (in_core && inst->syscall_exit != NULL)
		siglongjmp(*inst->syscall_exit, 1);
	asan_leave(NULL, core_stack_bottom, core_stack_size);
	setcontext(&inst->core_uc);
	abort();	/* setcontext does not return */
}

struct panic_args {
	struct sim_instance *inst;
	TEE_Result code;
	const char *fmt;
	va_list *ap;
};

/* In the core: the message is formatted off the TA stack (a TA stack of
 * 2 KiB has no room for vsnprintf). */
static void record_panic(void *arg)
{
	struct panic_args *a = arg;
	a->inst->panic_code = a->code;
	vsnprintf(a->inst->panic_why, sizeof a->inst->panic_why, a->fmt,
		  *a->ap);
	a->inst->state = SIM_RUN_PANICKED;
}

void sim_panic(TEE_Result code, const char *fmt, ...)
{
	struct sim_instance *inst = sim_current();
	va_list ap;
	va_start(ap, fmt);
	struct panic_args a = { inst, code, fmt, &ap };
	if (inst->state == SIM_RUN_TA) {
		/* sim_run_ta sees the state and never resumes this stack */
		sim_syscall(record_panic, &a);
		abort();
	}
	record_panic(&a);
	va_end(ap);
	abandon(inst, true);
}

/* ---- faults ---- */

static struct sigaction old_segv, old_bus, old_trap;

static bool fault_is_write(void *uctx)
{
#if defined(__x86_64__)
	/* the page-fault error code: bit 1 set for a write */
	return (((ucontext_t *)uctx)->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#else
	(void)uctx;
	return false;
#endif
}

static void restore(int sig)
{
	sigaction(sig, sig == SIGSEGV ? &old_segv
		       : sig == SIGBUS ? &old_bus : &old_trap, NULL);
}

static void on_fault(int sig, siginfo_t *si, void *uctx)
{
	int saved = errno;
	if (sig == SIGSEGV && (sim_watch_on_fault(si->si_addr) ||
			       sim_pool_watch_on_fault(si->si_addr))) {
		errno = saved;
		return;
	}
	if (sig == SIGSEGV && sim_df_on_fault(si->si_addr, fault_is_write(uctx),
					      uctx)) {
		errno = saved;
		return;
	}
	struct sim_instance *inst = sim_m.current;
	if (inst == NULL || (inst->state != SIM_RUN_TA &&
			     inst->state != SIM_RUN_SYSCALL)) {
		restore(sig);	/* not the TA's: the fault happens again */
		errno = saved;
		return;
	}
	uint8_t *a = si->si_addr;
	bool guard = a >= inst->guard && a < inst->guard + SIM_PG;
	inst->panic_code = 0;
	const char *who = inst->state == SIM_RUN_TA ? "TA code"
						   : "a system call";
	if (guard)
		snprintf(inst->panic_why, sizeof inst->panic_why,
			 "stack overflow: %s touched the guard page at "
			 "0x%llx below its %llu-byte stack", who,
			 (unsigned long long)sim_tz_phys(a),
			 (unsigned long long)inst->stack_size);
	else
		snprintf(inst->panic_why, sizeof inst->panic_why,
			 "data abort: %s accessed host address %p", who, a);
	abandon(inst, inst->state == SIM_RUN_SYSCALL);
}

static void on_trap(int sig, siginfo_t *si, void *uctx)
{
	(void)si;
	int saved = errno;
	if (!sim_df_on_trap(uctx)) {
		restore(sig);
		raise(sig);
	}
	errno = saved;
}

/* Ours on sig, the action found there kept to fall back on. */
static void claim(int sig, void (*handler)(int, siginfo_t *, void *),
		  struct sigaction *old)
{
	struct sigaction cur, sa;
	sigaction(sig, NULL, &cur);
	if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == handler)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = handler;
	sigaction(sig, &sa, old);
}

/*
 * Host signals that come by themselves (libFuzzer's SIGALRM, which times
 * its inputs; a profiler's SIGPROF) run their handler on whatever stack
 * is current unless it was installed with SA_ONSTACK: while the TA runs,
 * on the TA's 8 KiB, with the kernel's signal frame (some 3 KiB with
 * AVX-512's state) under it. In OP-TEE a normal-world interrupt never
 * takes the TA's stack. A fuzz run lost a TA that way (fuzz_tlme,
 * LOAD_CHUNK: "TA code touched the guard page"; under clang's ASan the
 * TA's stack reaches 7.2 KiB of its 8 by itself), and the same input
 * alone ran clean. Each such handler found is moved onto the alternate
 * stack, unchanged otherwise.
 */
static void timer_signals_off_ta_stack(void)
{
	static const int timers[] = { SIGALRM, SIGVTALRM, SIGPROF };
	for (size_t i = 0; i < sizeof timers / sizeof *timers; i++) {
		struct sigaction cur;
		if (sigaction(timers[i], NULL, &cur) != 0 ||
		    (cur.sa_flags & SA_ONSTACK))
			continue;
		if (!(cur.sa_flags & SA_SIGINFO) &&
		    (cur.sa_handler == SIG_DFL || cur.sa_handler == SIG_IGN))
			continue;
		cur.sa_flags |= SA_ONSTACK;
		sigaction(timers[i], &cur, NULL);
	}
}

/* Called before every TA run: a test framework (cmocka installs its own
 * SIGSEGV handler for each test) may have taken the signals since. */
void sim_signals_install(void)
{
	static bool alt_done;
	if (!alt_done) {
		/* The handlers run on their own stack: a TA stack may be
		 * full, and it is small. 256 KiB leaves room for ASan. */
		static uint8_t alt[256 * 1024];
		stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
		sigaltstack(&ss, NULL);
		alt_done = true;
	}
	claim(SIGSEGV, on_fault, &old_segv);
	claim(SIGBUS, on_fault, &old_bus);
	claim(SIGTRAP, on_trap, &old_trap);
	timer_signals_off_ta_stack();
}
