/* The simulated TEE the TA's fuzz targets share (fuzz_sim.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "fuzz_input.h"
#include "fuzz_sim.h"
#include "sim_internal.h"
/* memmodel/platforms/rpi3bplus.conf, as fuzz_platform_text (module.mk) */
#include "fuzz_platform_text.h"

const TEEC_UUID fz_ta_uuid = SZ_TA_UUID;

static char platform_path[64];

static void shutdown_at_exit(void)
{
	sim_shutdown();	/* removes the temporary storage directory */
	unlink(platform_path);
}

/* The stock RPi3 platform file written where the simulator can read it:
 * a fuzzing cluster runs the target without the source tree. */
static void write_platform(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(platform_path, sizeof platform_path, "%s/fuzz-platform-XXXXXX",
		 tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	int fd = mkstemp(platform_path);
	if (fd < 0 || write(fd, fuzz_platform_text, sizeof fuzz_platform_text)
			      != (ssize_t)sizeof fuzz_platform_text)
		fz_broken("cannot write the platform file %s", platform_path);
	close(fd);
}

static void provision(void)
{
	TEEC_Context ctx;
	TEEC_Session s;
	uint32_t origin = 0;
	TEEC_Operation op = { .paramTypes = TEEC_PARAM_TYPES(
		TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE) };
	op.params[0].tmpref.buffer = (void *)fz_key;
	op.params[0].tmpref.size = sizeof fz_key;
	if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS ||
	    TEEC_OpenSession(&ctx, &s, &fz_ta_uuid, TEEC_LOGIN_PUBLIC, NULL,
			     NULL, &origin) != TEEC_SUCCESS ||
	    TEEC_InvokeCommand(&s, SZ_CMD_PROVISION_KEY, &op, &origin) !=
		    TEEC_SUCCESS)
		fz_broken("provisioning the fuzz key failed");
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
}

void fz_sim_init(bool taint)
{
	static bool done;
	if (done)
		return;
	write_platform();
	struct sim_config cfg = { .platform = platform_path,
				  .taint_off = !taint };
	char err[320];
	if (sim_configure(&cfg, err, sizeof err))
		fz_broken("sim_configure: %s", err);
	atexit(shutdown_at_exit);
	provision();
	fz_model();
	done = true;
}

void fz_sim_check(const char *after)
{
	size_t n = sim_violation_count();
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "violation: %s\n", sim_violation_at(i)->msg);
	if (n)
		fz_broken("%zu violation(s) after %s", n, after);
}

void fz_sim_answer(const char *what, uint32_t res, uint32_t origin)
{
	if (origin == TEEC_ORIGIN_TEE && res == TEEC_ERROR_BAD_PARAMETERS)
		return;		/* the core refused a memref */
	if (origin != TEEC_ORIGIN_TRUSTED_APP)
		fz_broken("%s: 0x%08x from origin %u (a dead TA?)", what,
			  (unsigned)res, (unsigned)origin);
	switch (res) {
	case TEE_SUCCESS:
	case TEE_ERROR_BAD_PARAMETERS:
	case TEE_ERROR_BAD_STATE:
	case TEE_ERROR_BAD_FORMAT:
	case TEE_ERROR_OUT_OF_MEMORY:
	case TEE_ERROR_SHORT_BUFFER:
	case TEE_ERROR_ITEM_NOT_FOUND:
	case TEE_ERROR_MAC_INVALID:
	case TEE_ERROR_NOT_SUPPORTED:
		return;
	default:
		fz_broken("%s: the TA answered 0x%08x, no answer of its "
			  "design", what, (unsigned)res);
	}
}

void fz_sim_idle(void)
{
	struct sim_memory_info mi;
	sim_memory(&mi);
	if (mi.instances || mi.sessions || mi.ta_ram_used || mi.shm_used)
		fz_broken("left behind: %u instances, %u sessions, %llu bytes "
			  "of TA_RAM, %llu of the shared pool", mi.instances,
			  mi.sessions, (unsigned long long)mi.ta_ram_used,
			  (unsigned long long)mi.shm_used);
}

uint32_t fz_sim_invoke_raw(TEEC_Session *s, uint32_t cmd,
			   struct sim_msg_param *p, uint32_t *origin)
{
	return sim_core_invoke(s->imp.session, cmd, p, origin);
}
