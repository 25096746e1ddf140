/*
 * Constants of the GlobalPlatform TEE Internal Core API (TEE Internal
 * Core API Specification v1.1, GPD_SPE_010), with the specification's
 * names and values: a TA built against OP-TEE's dev kit sees the same.
 */
#ifndef TEE_API_DEFINES_H
#define TEE_API_DEFINES_H

/* Spec 3.2, Table 3-1: return codes. */
#define TEE_SUCCESS			0x00000000u
#define TEE_ERROR_CORRUPT_OBJECT	0xF0100001u
#define TEE_ERROR_CORRUPT_OBJECT_2	0xF0100002u
#define TEE_ERROR_STORAGE_NOT_AVAILABLE	0xF0100003u
#define TEE_ERROR_STORAGE_NOT_AVAILABLE_2 0xF0100004u
#define TEE_ERROR_GENERIC		0xFFFF0000u
#define TEE_ERROR_ACCESS_DENIED		0xFFFF0001u
#define TEE_ERROR_CANCEL		0xFFFF0002u
#define TEE_ERROR_ACCESS_CONFLICT	0xFFFF0003u
#define TEE_ERROR_EXCESS_DATA		0xFFFF0004u
#define TEE_ERROR_BAD_FORMAT		0xFFFF0005u
#define TEE_ERROR_BAD_PARAMETERS	0xFFFF0006u
#define TEE_ERROR_BAD_STATE		0xFFFF0007u
#define TEE_ERROR_ITEM_NOT_FOUND	0xFFFF0008u
#define TEE_ERROR_NOT_IMPLEMENTED	0xFFFF0009u
#define TEE_ERROR_NOT_SUPPORTED		0xFFFF000Au
#define TEE_ERROR_NO_DATA		0xFFFF000Bu
#define TEE_ERROR_OUT_OF_MEMORY		0xFFFF000Cu
#define TEE_ERROR_BUSY			0xFFFF000Du
#define TEE_ERROR_COMMUNICATION		0xFFFF000Eu
#define TEE_ERROR_SECURITY		0xFFFF000Fu
#define TEE_ERROR_SHORT_BUFFER		0xFFFF0010u
#define TEE_ERROR_EXTERNAL_CANCEL	0xFFFF0011u
#define TEE_ERROR_OVERFLOW		0xFFFF300Fu
#define TEE_ERROR_TARGET_DEAD		0xFFFF3024u
#define TEE_ERROR_STORAGE_NO_SPACE	0xFFFF3041u
#define TEE_ERROR_MAC_INVALID		0xFFFF3071u
#define TEE_ERROR_SIGNATURE_INVALID	0xFFFF3072u
#define TEE_ERROR_TIME_NOT_SET		0xFFFF5000u
#define TEE_ERROR_TIME_NEEDS_RESET	0xFFFF5001u

/* Spec 4.1.1, Table 4-2: parameter types as the TA sees them. */
#define TEE_PARAM_TYPE_NONE		0u
#define TEE_PARAM_TYPE_VALUE_INPUT	1u
#define TEE_PARAM_TYPE_VALUE_OUTPUT	2u
#define TEE_PARAM_TYPE_VALUE_INOUT	3u
#define TEE_PARAM_TYPE_MEMREF_INPUT	5u
#define TEE_PARAM_TYPE_MEMREF_OUTPUT	6u
#define TEE_PARAM_TYPE_MEMREF_INOUT	7u

#define TEE_PARAM_TYPES(t0, t1, t2, t3) \
	((uint32_t)(t0) | ((uint32_t)(t1) << 4) | ((uint32_t)(t2) << 8) | \
	 ((uint32_t)(t3) << 12))
#define TEE_PARAM_TYPE_GET(t, i)	(((uint32_t)(t) >> ((i) * 4)) & 0xFu)

/* Spec 4.1.1, Table 4-3: login types. */
#define TEE_LOGIN_PUBLIC		0x00000000u
#define TEE_LOGIN_USER			0x00000001u
#define TEE_LOGIN_GROUP			0x00000002u
#define TEE_LOGIN_APPLICATION		0x00000004u
#define TEE_LOGIN_APPLICATION_USER	0x00000005u
#define TEE_LOGIN_APPLICATION_GROUP	0x00000006u
#define TEE_LOGIN_TRUSTED_APP		0xF0000000u

/* Spec 3.2, Table 3-3: origin codes. */
#define TEE_ORIGIN_API			0x00000001u
#define TEE_ORIGIN_COMMS		0x00000002u
#define TEE_ORIGIN_TEE			0x00000003u
#define TEE_ORIGIN_TRUSTED_APP		0x00000004u

/* Spec 4.11.1, Table 4-16: TEE_CheckMemoryAccessRights flags. */
#define TEE_MEMORY_ACCESS_READ		0x00000001u
#define TEE_MEMORY_ACCESS_WRITE		0x00000002u
#define TEE_MEMORY_ACCESS_ANY_OWNER	0x00000004u

/* Spec 4.2.2: the pseudo handle of the running TA's own properties. */
#define TEE_PROPSET_CURRENT_TA		((TEE_PropSetHandle)0xFFFFFFFF)

/* Spec 4.11.4: TEE_Malloc hints. 0 fills the block with zeros; hints
 * from 0x80000000 are implementation-defined, and OP-TEE's libutee takes
 * this one to leave the block as it is. */
#define TEE_MALLOC_FILL_ZERO		0x00000000u
#define TEE_USER_MEM_HINT_NO_FILL_ZERO	0x80000000u

/* Spec 5.2, Table 5-2: storage identifiers. */
#define TEE_STORAGE_PRIVATE		0x00000001u

/* Spec 5.2, Table 5-3: data flags of persistent objects. */
#define TEE_DATA_FLAG_ACCESS_READ	0x00000001u
#define TEE_DATA_FLAG_ACCESS_WRITE	0x00000002u
#define TEE_DATA_FLAG_ACCESS_WRITE_META	0x00000004u
#define TEE_DATA_FLAG_SHARE_READ	0x00000010u
#define TEE_DATA_FLAG_SHARE_WRITE	0x00000020u
#define TEE_DATA_FLAG_OVERWRITE		0x00000400u

/* Spec 5.2, Table 5-4: usage flags of objects. */
#define TEE_USAGE_EXTRACTABLE		0x00000001u
#define TEE_USAGE_ENCRYPT		0x00000002u
#define TEE_USAGE_DECRYPT		0x00000004u
#define TEE_USAGE_MAC			0x00000008u
#define TEE_USAGE_SIGN			0x00000010u
#define TEE_USAGE_VERIFY		0x00000020u
#define TEE_USAGE_DERIVE		0x00000040u

/* Spec 5.2, Table 5-5: handle flags. */
#define TEE_HANDLE_FLAG_PERSISTENT	0x00010000u
#define TEE_HANDLE_FLAG_INITIALIZED	0x00020000u
#define TEE_HANDLE_FLAG_KEY_SET		0x00040000u
#define TEE_HANDLE_FLAG_EXPECT_TWO_KEYS	0x00080000u

/* Spec 5.2, Table 5-6: operation classes. */
#define TEE_OPERATION_CIPHER		1u
#define TEE_OPERATION_MAC		3u
#define TEE_OPERATION_AE		4u
#define TEE_OPERATION_DIGEST		5u
#define TEE_OPERATION_ASYMMETRIC_CIPHER	6u
#define TEE_OPERATION_ASYMMETRIC_SIGNATURE 7u
#define TEE_OPERATION_KEY_DERIVATION	8u

/* Spec 5.5.1: largest object identifier and data position. */
#define TEE_OBJECT_ID_MAX_LEN		64u
#define TEE_DATA_MAX_POSITION		0xFFFFFFFFu

/* Spec 6.10.1, Table 6-11: algorithm identifiers (the one in use). */
#define TEE_ALG_AES_GCM			0x40000810u

/* Spec 6.11, Table 6-13: object types (those in use). */
#define TEE_TYPE_AES			0xA0000010u
#define TEE_TYPE_DATA			0xA00000BFu

/* Spec 6.11, Table 6-14: attribute identifiers (the one in use). */
#define TEE_ATTR_SECRET_VALUE		0xC0000000u

#define TEE_HANDLE_NULL			0

#endif
