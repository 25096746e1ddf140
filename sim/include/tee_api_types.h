/*
 * Types of the GlobalPlatform TEE Internal Core API (TEE Internal Core
 * API Specification v1.1, GPD_SPE_010). Sizes are uint32_t as in v1.1,
 * the version OP-TEE 3.8.0 (the paper's board) implements; later OP-TEE
 * releases keep these signatures for TAs built with
 * __OPTEE_CORE_API_COMPAT_1_1.
 */
#ifndef TEE_API_TYPES_H
#define TEE_API_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "tee_api_defines.h"

/* Spec 3.2.1 */
typedef uint32_t TEE_Result;

/* Spec 3.2.2: RFC 4122 UUID. */
typedef struct {
	uint32_t timeLow;
	uint16_t timeMid;
	uint16_t timeHiAndVersion;
	uint8_t clockSeqAndNode[8];
} TEE_UUID;

/* Spec 4.1.1: a parameter as the TA receives it. */
typedef union {
	struct {
		void *buffer;
		uint32_t size;
	} memref;
	struct {
		uint32_t a;
		uint32_t b;
	} value;
} TEE_Param;

/* Spec 5.3.1 */
typedef struct {
	uint32_t attributeID;
	union {
		struct {
			void *buffer;
			uint32_t length;
		} ref;
		struct {
			uint32_t a, b;
		} value;
	} content;
} TEE_Attribute;

/* Spec 5.3.2 */
typedef struct {
	uint32_t objectType;
	uint32_t objectSize;
	uint32_t maxObjectSize;
	uint32_t objectUsage;
	uint32_t dataSize;
	uint32_t dataPosition;
	uint32_t handleFlags;
} TEE_ObjectInfo;

/* Spec 5.3.3 */
typedef enum {
	TEE_DATA_SEEK_SET = 0,
	TEE_DATA_SEEK_CUR = 1,
	TEE_DATA_SEEK_END = 2
} TEE_Whence;

/* Spec 5.3.4: opaque handles. */
typedef struct __TEE_ObjectHandle *TEE_ObjectHandle;
typedef uint32_t TEE_ObjectType;

/* Spec 4.2.1: a property set (only the pseudo handles here). */
typedef struct __TEE_PropSetHandle *TEE_PropSetHandle;

/* Spec 6.1.1 */
typedef enum {
	TEE_MODE_ENCRYPT = 0,
	TEE_MODE_DECRYPT = 1,
	TEE_MODE_SIGN = 2,
	TEE_MODE_VERIFY = 3,
	TEE_MODE_MAC = 4,
	TEE_MODE_DIGEST = 5,
	TEE_MODE_DERIVE = 6
} TEE_OperationMode;

/* Spec 6.1.3 */
typedef struct __TEE_OperationHandle *TEE_OperationHandle;

#endif
