/*
 * Persistent objects (Internal Core API 5.7, 5.9) in TEE_STORAGE_PRIVATE:
 * data objects of one TA, stored encrypted (storage_file.c) under the
 * simulator's storage directory, separately for each TA UUID, so two
 * instances of one TA share them and two TAs never do. The data stream
 * is held in core memory while the object is open and written through to
 * its file (atomically) on every TEE_WriteObjectData.
 *
 * Semantics kept from the specification: TEE_ERROR_ITEM_NOT_FOUND for an
 * object (or a storage) that does not exist; TEE_ERROR_ACCESS_CONFLICT
 * for creating over an existing object without TEE_DATA_FLAG_OVERWRITE,
 * for creating over an open one, and for opening against the share flags
 * of the handles already open; reading without ACCESS_READ, writing
 * without ACCESS_WRITE and deleting without ACCESS_WRITE_META panic.
 * TEE_ERROR_CORRUPT_OBJECT for a file that fails authentication.
 *
 * Not supported: objects with attributes (a key stored as an object's
 * attributes); TEE_CreatePersistentObject with an attributes handle gives
 * TEE_ERROR_NOT_SUPPORTED. Store key bytes as data instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "sim_internal.h"

static const uint32_t access_flags = TEE_DATA_FLAG_ACCESS_READ |
	TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_ACCESS_WRITE_META |
	TEE_DATA_FLAG_SHARE_READ | TEE_DATA_FLAG_SHARE_WRITE;

struct pobj_args {
	uint32_t storage;
	const void *id;
	uint32_t id_len, flags;
	TEE_ObjectHandle attributes;
	const void *data;
	uint32_t data_len;
	TEE_ObjectHandle *object;
	TEE_Result res;
	/* filled by lookup */
	uint8_t id_copy[TEE_OBJECT_ID_MAX_LEN];
	char path[600];
};

/* The checks every open and create begins with, and the object's path. */
static bool lookup(struct pobj_args *a, uint32_t allowed)
{
	struct sim_instance *inst = sim_current();
	if (a->object != NULL) {
		TEE_ObjectHandle none = TEE_HANDLE_NULL;
		sim_to_ta(a->object, &none, sizeof none);
	}
	if (a->id_len > TEE_OBJECT_ID_MAX_LEN)	/* spec: a panic */
		sim_panic(TEE_ERROR_BAD_PARAMETERS, "object ID of %u bytes",
			  (unsigned)a->id_len);
	if (a->storage != TEE_STORAGE_PRIVATE) {
		a->res = TEE_ERROR_ITEM_NOT_FOUND;
		return false;
	}
	if (a->flags & ~allowed) {
		a->res = TEE_ERROR_BAD_PARAMETERS;
		return false;
	}
	sim_from_ta(a->id_copy, a->id, a->id_len);
	char dir[520], name[65];
	sim_storage_dir(&inst->ta->uuid, dir, sizeof dir);
	sim_storage_file_name(&inst->ta->uuid, a->id_copy, a->id_len, name);
	snprintf(a->path, sizeof a->path, "%s/%s", dir, name);
	return true;
}

/* Whether a handle with flags may join the handles open on path, in
 * every instance of the TA. */
static bool conflicts(const char *path, uint32_t flags, bool creating)
{
	const struct sim_ta_desc *ta = sim_current()->ta;
	for (struct sim_instance *i = sim_m.instances; i; i = i->next) {
		if (memcmp(&i->ta->uuid, &ta->uuid, sizeof ta->uuid))
			continue;
		for (struct __TEE_ObjectHandle *o = i->objects; o; o = o->next) {
			if (!(o->handle_flags & TEE_HANDLE_FLAG_PERSISTENT) ||
			    strcmp(o->path, path))
				continue;
			uint32_t e = o->flags;
			if (creating ||
			    ((flags | e) & TEE_DATA_FLAG_ACCESS_WRITE_META) ||
			    ((flags & TEE_DATA_FLAG_ACCESS_READ) &&
			     !(e & TEE_DATA_FLAG_SHARE_READ)) ||
			    ((flags & TEE_DATA_FLAG_ACCESS_WRITE) &&
			     !(e & TEE_DATA_FLAG_SHARE_WRITE)) ||
			    ((e & TEE_DATA_FLAG_ACCESS_READ) &&
			     !(flags & TEE_DATA_FLAG_SHARE_READ)) ||
			    ((e & TEE_DATA_FLAG_ACCESS_WRITE) &&
			     !(flags & TEE_DATA_FLAG_SHARE_WRITE)))
				return true;
		}
	}
	return false;
}

/* A handle for the object at a->path holding data (taken over). */
static void hand_out(struct pobj_args *a, uint8_t *data, uint32_t len)
{
	struct __TEE_ObjectHandle *o = sim_object_new(sim_current());
	if (o == NULL) {
		free(data);
		a->res = TEE_ERROR_OUT_OF_MEMORY;
		return;
	}
	o->type = TEE_TYPE_DATA;
	o->usage = 0xFFFFFFFFu;
	o->handle_flags = TEE_HANDLE_FLAG_PERSISTENT |
			  TEE_HANDLE_FLAG_INITIALIZED;
	o->flags = a->flags & access_flags;
	memcpy(o->id, a->id_copy, a->id_len);
	o->id_len = a->id_len;
	snprintf(o->path, sizeof o->path, "%s", a->path);
	o->data = data;
	o->data_len = len;
	sim_to_ta(a->object, &o, sizeof o);
	a->res = TEE_SUCCESS;
}

static void do_open(void *arg)
{
	struct pobj_args *a = arg;
	if (!lookup(a, access_flags))
		return;
	if (sim_fault_now("TEE_OpenPersistentObject")) {
		a->res = TEE_ERROR_STORAGE_NOT_AVAILABLE;
		return;
	}
	if (conflicts(a->path, a->flags, false)) {
		a->res = TEE_ERROR_ACCESS_CONFLICT;
		return;
	}
	uint8_t *data;
	uint64_t len;
	int rc = sim_storage_file_read(a->path, &sim_current()->ta->uuid,
				       &data, &len);
	if (rc == -ENOENT)
		a->res = TEE_ERROR_ITEM_NOT_FOUND;
	else if (rc == -EBADMSG)
		a->res = TEE_ERROR_CORRUPT_OBJECT;
	else if (rc)
		a->res = TEE_ERROR_STORAGE_NOT_AVAILABLE;
	else
		hand_out(a, data, (uint32_t)len);
}

TEE_Result TEE_OpenPersistentObject(uint32_t storageID, const void *objectID,
				    uint32_t objectIDLen, uint32_t flags,
				    TEE_ObjectHandle *object)
{
	struct pobj_args a = { .storage = storageID, .id = objectID,
			       .id_len = objectIDLen, .flags = flags,
			       .object = object, .res = TEE_ERROR_GENERIC };
	if (object == NULL)	/* spec: the handle is mandatory here */
		sim_panic(TEE_ERROR_BAD_PARAMETERS,
			  "TEE_OpenPersistentObject without a handle");
	sim_syscall(do_open, &a);
	return a.res;
}

static void do_create(void *arg)
{
	struct pobj_args *a = arg;
	if (!lookup(a, access_flags | TEE_DATA_FLAG_OVERWRITE))
		return;
	if (sim_fault_now("TEE_CreatePersistentObject")) {
		a->res = TEE_ERROR_STORAGE_NO_SPACE;
		return;
	}
	if (a->attributes != TEE_HANDLE_NULL) {
		a->res = TEE_ERROR_NOT_SUPPORTED;
		return;
	}
	if (conflicts(a->path, a->flags, true) ||
	    (!(a->flags & TEE_DATA_FLAG_OVERWRITE) &&
	     access(a->path, F_OK) == 0)) {
		a->res = TEE_ERROR_ACCESS_CONFLICT;
		return;
	}
	uint8_t *data = malloc(a->data_len ? a->data_len : 1);
	char dir[520];
	sim_storage_dir(&sim_current()->ta->uuid, dir, sizeof dir);
	if (data == NULL) {
		a->res = TEE_ERROR_OUT_OF_MEMORY;
		return;
	}
	sim_from_ta(data, a->data, a->data_len);
	if ((mkdir(dir, 0700) && errno != EEXIST) ||
	    sim_storage_file_write(a->path, &sim_current()->ta->uuid, data,
				   a->data_len)) {
		free(data);
		a->res = TEE_ERROR_STORAGE_NO_SPACE;
		return;
	}
	if (a->object != NULL) {
		hand_out(a, data, a->data_len);
	} else {
		mbedtls_platform_zeroize(data, a->data_len);
		free(data);
		a->res = TEE_SUCCESS;
	}
}

TEE_Result TEE_CreatePersistentObject(uint32_t storageID,
				      const void *objectID,
				      uint32_t objectIDLen, uint32_t flags,
				      TEE_ObjectHandle attributes,
				      const void *initialData,
				      uint32_t initialDataLen,
				      TEE_ObjectHandle *object)
{
	struct pobj_args a = { .storage = storageID, .id = objectID,
			       .id_len = objectIDLen, .flags = flags,
			       .attributes = attributes, .data = initialData,
			       .data_len = initialDataLen, .object = object,
			       .res = TEE_ERROR_GENERIC };
	sim_syscall(do_create, &a);
	return a.res;
}

/* A persistent object's handle opened with need, or a panic. */
static struct __TEE_ObjectHandle *persistent(TEE_ObjectHandle h,
					     uint32_t need, const char *who)
{
	struct __TEE_ObjectHandle *o = sim_object_find(sim_current(), h);
	if (o == NULL || !(o->handle_flags & TEE_HANDLE_FLAG_PERSISTENT) ||
	    (o->flags & need) != need)
		sim_panic(TEE_ERROR_ACCESS_DENIED,
			  "%s: %p is no persistent object opened for it", who,
			  (void *)h);
	return o;
}

struct data_args {
	TEE_ObjectHandle object;
	void *buf;
	uint32_t size;
	uint32_t *count;
	int32_t offset;
	TEE_Whence whence;
	TEE_Result res;
};

static void do_read(void *arg)
{
	struct data_args *a = arg;
	struct __TEE_ObjectHandle *o = persistent(a->object,
		TEE_DATA_FLAG_ACCESS_READ, "TEE_ReadObjectData");
	if (sim_fault_now("TEE_ReadObjectData")) {
		a->res = TEE_ERROR_CORRUPT_OBJECT;
		return;
	}
	uint32_t left = o->pos < o->data_len ? o->data_len - o->pos : 0;
	uint32_t n = a->size < left ? a->size : left;
	sim_to_ta(a->buf, o->data + o->pos, n);
	o->pos += n;
	sim_to_ta(a->count, &n, sizeof n);
	a->res = TEE_SUCCESS;
}

TEE_Result TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer,
			      uint32_t size, uint32_t *count)
{
	struct data_args a = { .object = object, .buf = buffer, .size = size,
			       .count = count, .res = TEE_ERROR_GENERIC };
	sim_syscall(do_read, &a);
	return a.res;
}

static void do_write(void *arg)
{
	struct data_args *a = arg;
	struct __TEE_ObjectHandle *o = persistent(a->object,
		TEE_DATA_FLAG_ACCESS_WRITE, "TEE_WriteObjectData");
	if (sim_fault_now("TEE_WriteObjectData")) {
		a->res = TEE_ERROR_STORAGE_NO_SPACE;
		return;
	}
	if ((uint64_t)o->pos + a->size > TEE_DATA_MAX_POSITION) {
		a->res = TEE_ERROR_OVERFLOW;
		return;
	}
	uint32_t end = o->pos + a->size;
	uint32_t len = end > o->data_len ? end : o->data_len;
	uint8_t *d = calloc(1, len ? len : 1);
	if (d == NULL) {
		a->res = TEE_ERROR_STORAGE_NO_SPACE;
		return;
	}
	memcpy(d, o->data, o->data_len);
	sim_from_ta(d + o->pos, a->buf, a->size);
	if (sim_storage_file_write(o->path, &sim_current()->ta->uuid, d, len)) {
		free(d);
		a->res = TEE_ERROR_STORAGE_NO_SPACE;
		return;
	}
	mbedtls_platform_zeroize(o->data, o->data_len);
	free(o->data);
	o->data = d;
	o->data_len = len;
	o->pos = end;
	a->res = TEE_SUCCESS;
}

TEE_Result TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer,
			       uint32_t size)
{
	struct data_args a = { .object = object, .buf = (void *)buffer,
			       .size = size, .res = TEE_ERROR_GENERIC };
	sim_syscall(do_write, &a);
	return a.res;
}

static void do_seek(void *arg)
{
	struct data_args *a = arg;
	struct __TEE_ObjectHandle *o = persistent(a->object, 0,
						  "TEE_SeekObjectData");
	if (sim_fault_now("TEE_SeekObjectData")) {
		a->res = TEE_ERROR_CORRUPT_OBJECT;
		return;
	}
	int64_t base = a->whence == TEE_DATA_SEEK_SET ? 0
		     : a->whence == TEE_DATA_SEEK_CUR ? (int64_t)o->pos
		     : (int64_t)o->data_len;
	int64_t pos = base + a->offset;
	if (pos > (int64_t)TEE_DATA_MAX_POSITION) {
		a->res = TEE_ERROR_OVERFLOW;
		return;
	}
	o->pos = pos < 0 ? 0 : (uint32_t)pos;	/* spec: below 0 is 0 */
	a->res = TEE_SUCCESS;
}

TEE_Result TEE_SeekObjectData(TEE_ObjectHandle object, int32_t offset,
			      TEE_Whence whence)
{
	struct data_args a = { .object = object, .offset = offset,
			       .whence = whence, .res = TEE_ERROR_GENERIC };
	sim_syscall(do_seek, &a);
	return a.res;
}

static void do_delete(void *arg)
{
	struct data_args *a = arg;
	if (a->object == TEE_HANDLE_NULL) {
		a->res = TEE_SUCCESS;
		return;
	}
	struct __TEE_ObjectHandle *o = persistent(a->object,
		TEE_DATA_FLAG_ACCESS_WRITE_META,
		"TEE_CloseAndDeletePersistentObject1");
	/* the handle is closed either way */
	a->res = sim_fault_now("TEE_CloseAndDeletePersistentObject1") ||
			 remove(o->path) ? TEE_ERROR_STORAGE_NOT_AVAILABLE
					 : TEE_SUCCESS;
	sim_object_free(sim_current(), o);
}

TEE_Result TEE_CloseAndDeletePersistentObject1(TEE_ObjectHandle object)
{
	struct data_args a = { .object = object, .res = TEE_ERROR_GENERIC };
	sim_syscall(do_delete, &a);
	return a.res;
}

void sim_storage_close(struct sim_instance *inst, struct __TEE_ObjectHandle *o)
{
	sim_object_free(inst, o);
}

void sim_storage_release_all(struct sim_instance *inst)
{
	for (struct __TEE_ObjectHandle *o = inst->objects, *n; o; o = n) {
		n = o->next;
		if (o->handle_flags & TEE_HANDLE_FLAG_PERSISTENT)
			sim_object_free(inst, o);
	}
}
