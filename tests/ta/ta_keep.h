/* The UUID of the keep-alive descriptor of the Smart-Zone TA's code
 * (keep_alive/user_ta_header_defines.h, tests/ta/module.mk). */
#ifndef TA_KEEP_H
#define TA_KEEP_H

/* 5a1c3b0e-4d7f-4e21-9a63-6b2f0c8d1e47 (random) */
#define SZ_TA_KEEP_UUID { 0x5a1c3b0e, 0x4d7f, 0x4e21, \
	{ 0x9a, 0x63, 0x6b, 0x2f, 0x0c, 0x8d, 0x1e, 0x47 } }

#endif
