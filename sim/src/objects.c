/*
 * Object handles (Internal Core API 5.5, 5.6): transient AES keys and the
 * generic calls that also take persistent objects. The objects live in
 * core memory, as in OP-TEE, and their key bytes count as the instance's
 * secrets for the taint scan (crypto.c, sim_crypto_secrets). Each call is
 * a system call: it runs on the core's stack.
 *
 * Misuse the specification answers with a panic panics the TA: a handle
 * that is not the TA's, populating an initialized object, a missing
 * TEE_ATTR_SECRET_VALUE, a reference attribute built with a value
 * attribute's identifier (bit 29) or the other way round.
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "sim_internal.h"

/* Spec 6.11, Table 6-12: bit 29 of an attribute identifier marks a value
 * attribute. */
#define ATTR_VALUE_BIT	(1u << 29)

struct __TEE_ObjectHandle *sim_object_new(struct sim_instance *inst)
{
	struct __TEE_ObjectHandle *o = calloc(1, sizeof *o);
	if (o == NULL)
		return NULL;
	o->next = inst->objects;
	inst->objects = o;
	return o;
}

struct __TEE_ObjectHandle *sim_object_find(struct sim_instance *inst,
					   TEE_ObjectHandle h)
{
	if (h == TEE_HANDLE_NULL)
		return NULL;
	for (struct __TEE_ObjectHandle *o = inst->objects; o; o = o->next)
		if (o == h)
			return o;
	sim_panic(TEE_ERROR_BAD_PARAMETERS,
		  "object handle %p is not one of this TA's", (void *)h);
}

void sim_object_free(struct sim_instance *inst, struct __TEE_ObjectHandle *o)
{
	for (struct __TEE_ObjectHandle **pp = &inst->objects; *pp;
	     pp = &(*pp)->next)
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	if (o->data != NULL) {
		mbedtls_platform_zeroize(o->data, o->data_len);
		free(o->data);
	}
	mbedtls_platform_zeroize(o, sizeof *o);
	free(o);
}

static bool persistent(const struct __TEE_ObjectHandle *o)
{
	return (o->handle_flags & TEE_HANDLE_FLAG_PERSISTENT) != 0;
}

/* A transient object's handle, or a panic. */
static struct __TEE_ObjectHandle *transient(TEE_ObjectHandle h)
{
	struct sim_instance *inst = sim_current();
	struct __TEE_ObjectHandle *o = sim_object_find(inst, h);
	if (o != NULL && persistent(o))
		sim_panic(TEE_ERROR_BAD_PARAMETERS,
			  "%p is a persistent object, not a transient one",
			  (void *)h);
	return o;
}

struct alloc_args {
	TEE_ObjectType type;
	uint32_t max_bits;
	TEE_ObjectHandle *object;
	TEE_Result res;
};

static void do_allocate(void *arg)
{
	struct alloc_args *a = arg;
	TEE_ObjectHandle none = TEE_HANDLE_NULL;
	sim_to_ta(a->object, &none, sizeof none);
	if (sim_fault_now("TEE_AllocateTransientObject")) {
		a->res = TEE_ERROR_OUT_OF_MEMORY;
		return;
	}
	/* The one key type Smart-Zone needs: AES-128/192/256 (spec 5.6.1:
	 * others are not supported here). */
	if (a->type != TEE_TYPE_AES ||
	    (a->max_bits != 128 && a->max_bits != 192 && a->max_bits != 256)) {
		a->res = TEE_ERROR_NOT_SUPPORTED;
		return;
	}
	struct __TEE_ObjectHandle *o = sim_object_new(sim_current());
	if (o == NULL) {
		a->res = TEE_ERROR_OUT_OF_MEMORY;
		return;
	}
	o->type = a->type;
	o->max_bits = a->max_bits;
	o->usage = 0xFFFFFFFFu;	/* spec 5.6.1: all usages at first */
	sim_to_ta(a->object, &o, sizeof o);
	a->res = TEE_SUCCESS;
}

TEE_Result TEE_AllocateTransientObject(TEE_ObjectType objectType,
				       uint32_t maxObjectSize,
				       TEE_ObjectHandle *object)
{
	struct alloc_args a = { objectType, maxObjectSize, object,
				TEE_ERROR_GENERIC };
	sim_syscall(do_allocate, &a);
	return a.res;
}

static void do_free(void *arg)
{
	struct __TEE_ObjectHandle *o = transient(arg);
	if (o != NULL)
		sim_object_free(sim_current(), o);
}

void TEE_FreeTransientObject(TEE_ObjectHandle object)
{
	sim_syscall(do_free, object);
}

static void do_reset(void *arg)
{
	struct __TEE_ObjectHandle *o = transient(arg);
	if (o == NULL)
		return;
	mbedtls_platform_zeroize(o->key, sizeof o->key);
	o->key_len = 0;
	o->handle_flags &= ~TEE_HANDLE_FLAG_INITIALIZED;
}

void TEE_ResetTransientObject(TEE_ObjectHandle object)
{
	sim_syscall(do_reset, object);
}

struct populate_args {
	TEE_ObjectHandle object;
	const TEE_Attribute *attrs;
	uint32_t n;
	TEE_Result res;
};

static void do_populate(void *arg)
{
	struct populate_args *a = arg;
	struct __TEE_ObjectHandle *o = transient(a->object);
	if (o == NULL || (o->handle_flags & TEE_HANDLE_FLAG_INITIALIZED))
		sim_panic(TEE_ERROR_BAD_PARAMETERS,
			  "TEE_PopulateTransientObject: %s object",
			  o ? "an initialized" : "no");
	if (sim_fault_now("TEE_PopulateTransientObject")) {
		a->res = TEE_ERROR_BAD_PARAMETERS;	/* v1.1's one code */
		return;
	}
	for (uint32_t i = 0; i < a->n; i++) {
		TEE_Attribute at;
		sim_from_ta(&at, &a->attrs[i], sizeof at);
		if (at.attributeID != TEE_ATTR_SECRET_VALUE)
			continue;
		uint32_t len = at.content.ref.length;
		if ((len != 16 && len != 24 && len != 32) ||
		    len * 8 > o->max_bits) {
			a->res = TEE_ERROR_BAD_PARAMETERS;
			return;
		}
		sim_from_ta(o->key, at.content.ref.buffer, len);
		o->key_len = len;
		o->handle_flags |= TEE_HANDLE_FLAG_INITIALIZED;
		a->res = TEE_SUCCESS;
		return;
	}
	sim_panic(TEE_ERROR_BAD_PARAMETERS, "TEE_PopulateTransientObject: "
		  "no TEE_ATTR_SECRET_VALUE for an AES key");
}

TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle object,
				       const TEE_Attribute *attrs,
				       uint32_t attrCount)
{
	struct populate_args a = { object, attrs, attrCount,
				   TEE_ERROR_GENERIC };
	sim_syscall(do_populate, &a);
	return a.res;
}

/* Library functions in OP-TEE (libutee): no system call. */
void TEE_InitRefAttribute(TEE_Attribute *attr, uint32_t attributeID,
			  const void *buffer, uint32_t length)
{
	if (attributeID & ATTR_VALUE_BIT)
		sim_panic(TEE_ERROR_BAD_PARAMETERS, "TEE_InitRefAttribute: "
			  "0x%08x is a value attribute", (unsigned)attributeID);
	attr->attributeID = attributeID;
	attr->content.ref.buffer = (void *)buffer;
	attr->content.ref.length = length;
}

void TEE_InitValueAttribute(TEE_Attribute *attr, uint32_t attributeID,
			    uint32_t a, uint32_t b)
{
	if (!(attributeID & ATTR_VALUE_BIT))
		sim_panic(TEE_ERROR_BAD_PARAMETERS, "TEE_InitValueAttribute: "
			  "0x%08x is a reference attribute",
			  (unsigned)attributeID);
	attr->attributeID = attributeID;
	attr->content.value.a = a;
	attr->content.value.b = b;
}

struct info_args {
	TEE_ObjectHandle object;
	TEE_ObjectInfo *info;
	TEE_Result res;
};

static void do_info(void *arg)
{
	struct info_args *a = arg;
	struct __TEE_ObjectHandle *o = sim_object_find(sim_current(),
						       a->object);
	if (o == NULL)
		sim_panic(TEE_ERROR_BAD_PARAMETERS,
			  "TEE_GetObjectInfo1 of TEE_HANDLE_NULL");
	a->res = TEE_SUCCESS;
	if (sim_fault_now("TEE_GetObjectInfo1")) {
		a->res = TEE_ERROR_CORRUPT_OBJECT;
		return;
	}
	TEE_ObjectInfo info = {
		.objectType = o->type,
		.objectSize = o->key_len * 8,
		.maxObjectSize = o->max_bits,
		.objectUsage = o->usage,
		.dataSize = o->data_len,
		.dataPosition = o->pos,
		.handleFlags = o->handle_flags | o->flags,
	};
	sim_to_ta(a->info, &info, sizeof info);
}

TEE_Result TEE_GetObjectInfo1(TEE_ObjectHandle object,
			      TEE_ObjectInfo *objectInfo)
{
	struct info_args a = { object, objectInfo, TEE_ERROR_GENERIC };
	sim_syscall(do_info, &a);
	return a.res;
}

static void do_close(void *arg)
{
	struct sim_instance *inst = sim_current();
	struct __TEE_ObjectHandle *o = sim_object_find(inst, arg);
	if (o == NULL)
		return;
	if (persistent(o))
		sim_storage_close(inst, o);
	else
		sim_object_free(inst, o);
}

void TEE_CloseObject(TEE_ObjectHandle object)
{
	sim_syscall(do_close, object);
}
