/*
 * SZTEST_CMD_STORAGE_RULES: the persistent-object rules of the Internal
 * Core API (5.7, 5.9) as a TA meets them, one bit each in the answer;
 * the test expects SZTEST_STORAGE_ALL. The object is deleted at the end.
 */
#include "sztest_good.h"

static const char id[] = "sztest-rules";
#define ID_LEN (sizeof id - 1)

static const uint32_t rw = TEE_DATA_FLAG_ACCESS_READ |
			   TEE_DATA_FLAG_ACCESS_WRITE |
			   TEE_DATA_FLAG_ACCESS_WRITE_META;

static TEE_Result open_obj(uint32_t storage, uint32_t flags,
			   TEE_ObjectHandle *o)
{
	return TEE_OpenPersistentObject(storage, id, ID_LEN, flags, o);
}

static TEE_Result create(uint32_t flags, const char *data, uint32_t len,
			 TEE_ObjectHandle *o)
{
	return TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, id, ID_LEN,
					  flags, TEE_HANDLE_NULL, data, len, o);
}

/* Appends "defg" to "abc" and reads the whole back. */
static uint32_t stream(TEE_ObjectHandle o)
{
	char buf[16];
	uint32_t n = 0;
	TEE_ObjectInfo info;
	if (TEE_SeekObjectData(o, 0, TEE_DATA_SEEK_END) != TEE_SUCCESS ||
	    TEE_WriteObjectData(o, "defg", 4) != TEE_SUCCESS ||
	    TEE_SeekObjectData(o, 0, TEE_DATA_SEEK_SET) != TEE_SUCCESS ||
	    TEE_ReadObjectData(o, buf, sizeof buf, &n) != TEE_SUCCESS ||
	    TEE_GetObjectInfo1(o, &info) != TEE_SUCCESS)
		return 0;
	return n == 7 && TEE_MemCompare(buf, "abcdefg", 7) == 0 &&
	       info.dataSize == 7 && info.dataPosition == 7;
}

TEE_Result cmd_storage_rules(uint32_t types, TEE_Param p[4])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_ObjectHandle a = TEE_HANDLE_NULL, b = TEE_HANDLE_NULL;
	uint32_t bits = 0;
	char c = 0;
	uint32_t n = 0;
	if (open_obj(TEE_STORAGE_PRIVATE, TEE_DATA_FLAG_ACCESS_READ, &a) ==
	    TEE_ERROR_ITEM_NOT_FOUND)
		bits |= 1;
	if (create(rw, "abc", 3, &a) == TEE_SUCCESS)
		bits |= 2;
	if (create(rw | TEE_DATA_FLAG_OVERWRITE, "x", 1, &b) ==
	    TEE_ERROR_ACCESS_CONFLICT)
		bits |= 4;	/* open: not even with OVERWRITE */
	if (open_obj(TEE_STORAGE_PRIVATE, TEE_DATA_FLAG_ACCESS_READ, &b) ==
	    TEE_ERROR_ACCESS_CONFLICT)
		bits |= 8;	/* no share flags on either handle */
	if (a != TEE_HANDLE_NULL && stream(a))
		bits |= 16;
	if (a != TEE_HANDLE_NULL &&
	    TEE_SeekObjectData(a, -100, TEE_DATA_SEEK_CUR) == TEE_SUCCESS &&
	    TEE_ReadObjectData(a, &c, 1, &n) == TEE_SUCCESS && n == 1 &&
	    c == 'a')
		bits |= 256;	/* a position below 0 is 0 */
	TEE_CloseObject(a);
	a = TEE_HANDLE_NULL;
	if (create(rw, "x", 1, &a) == TEE_ERROR_ACCESS_CONFLICT &&
	    create(rw | TEE_DATA_FLAG_OVERWRITE, "x", 1, &a) == TEE_SUCCESS)
		bits |= 32;
	if (TEE_CloseAndDeletePersistentObject1(a) == TEE_SUCCESS &&
	    open_obj(TEE_STORAGE_PRIVATE, TEE_DATA_FLAG_ACCESS_READ, &b) ==
		    TEE_ERROR_ITEM_NOT_FOUND)
		bits |= 64;
	if (open_obj(0x1234, TEE_DATA_FLAG_ACCESS_READ, &b) ==
	    TEE_ERROR_ITEM_NOT_FOUND)
		bits |= 128;	/* no such storage */
	p[0].value.a = bits;
	return TEE_SUCCESS;
}
