/*
 * QOM properties: add/find/get/parse, and simple typed helpers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qom/object.h"

ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type,
                                    ObjectPropertyGet *get,
                                    ObjectPropertySet *set,
                                    ObjectPropertyRelease *release,
                                    void *opaque)
{
    ObjectProperty *prop = g_new0(ObjectProperty, 1);

    g_assert(!g_hash_table_lookup(obj->properties, name));
    prop->name = g_strdup(name);
    prop->type = g_strdup(type);
    prop->get = get;
    prop->set = set;
    prop->release = release;
    prop->opaque = opaque;
    g_hash_table_insert(obj->properties, prop->name, prop);
    g_ptr_array_add(obj->prop_order, prop);
    return prop;
}

ObjectProperty *object_property_find(Object *obj, const char *name)
{
    return g_hash_table_lookup(obj->properties, name);
}

void object_property_del(Object *obj, const char *name)
{
    ObjectProperty *prop = object_property_find(obj, name);

    if (!prop) {
        return;
    }
    g_hash_table_remove(obj->properties, name);
    g_ptr_array_remove(obj->prop_order, prop);
    if (prop->release) {
        prop->release(obj, prop);
    }
    g_free(prop->name);
    g_free(prop->type);
    g_free(prop->description);
    g_free(prop->default_str);
    g_free(prop);
}

static ObjectProperty *property_lookup(Object *obj, const char *name,
                                       Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
    }
    return prop;
}

bool object_property_parse(Object *obj, const char *name, const char *str,
                           Error **errp)
{
    ObjectProperty *prop = property_lookup(obj, name, errp);

    if (!prop) {
        return false;
    }
    if (!prop->set) {
        error_setg(errp, "Property '%s.%s' is read-only",
                   object_get_typename(obj), name);
        return false;
    }
    return prop->set(obj, prop, str, errp);
}

bool object_property_get(Object *obj, const char *name, PropValue *v,
                         Error **errp)
{
    ObjectProperty *prop = property_lookup(obj, name, errp);

    memset(v, 0, sizeof(*v));
    if (!prop) {
        return false;
    }
    if (!prop->get) {
        error_setg(errp, "Property '%s.%s' is not readable",
                   object_get_typename(obj), name);
        return false;
    }
    return prop->get(obj, prop, v, errp);
}

void prop_value_clear(PropValue *v)
{
    g_free(v->s);
    memset(v, 0, sizeof(*v));
}

char *prop_value_to_string(const PropValue *v)
{
    switch (v->kind) {
    case PROP_KIND_BOOL:
        return g_strdup(v->b ? "true" : "false");
    case PROP_KIND_UINT:
        return g_strdup_printf("%" PRIu64, v->u);
    case PROP_KIND_INT:
        return g_strdup_printf("%" PRId64, v->i);
    case PROP_KIND_STR:
        return g_strdup(v->s ? v->s : "");
    }
    return NULL;
}

char *object_property_print(Object *obj, const char *name, Error **errp)
{
    PropValue v;
    char *s;

    if (!object_property_get(obj, name, &v, errp)) {
        return NULL;
    }
    s = prop_value_to_string(&v);
    prop_value_clear(&v);
    return s;
}

bool object_property_get_bool(Object *obj, const char *name, Error **errp)
{
    PropValue v;
    bool b;

    if (!object_property_get(obj, name, &v, errp)) {
        return false;
    }
    b = v.kind == PROP_KIND_BOOL ? v.b : false;
    prop_value_clear(&v);
    return b;
}

uint64_t object_property_get_uint(Object *obj, const char *name, Error **errp)
{
    PropValue v;
    uint64_t u;

    if (!object_property_get(obj, name, &v, errp)) {
        return 0;
    }
    u = v.kind == PROP_KIND_UINT ? v.u : (uint64_t)v.i;
    prop_value_clear(&v);
    return u;
}

bool object_property_set_bool(Object *obj, const char *name, bool value,
                              Error **errp)
{
    return object_property_parse(obj, name, value ? "on" : "off", errp);
}

bool object_property_set_uint(Object *obj, const char *name, uint64_t value,
                              Error **errp)
{
    g_autofree char *s = g_strdup_printf("%" PRIu64, value);

    return object_property_parse(obj, name, s, errp);
}

bool object_property_set_str(Object *obj, const char *name,
                             const char *value, Error **errp)
{
    return object_property_parse(obj, name, value, errp);
}

/* Accessor-backed bool */
typedef struct BoolAccessors {
    bool (*get)(Object *);
    void (*set)(Object *, bool, Error **);
} BoolAccessors;

static bool bool_prop_get(Object *obj, ObjectProperty *prop, PropValue *v,
                          Error **errp)
{
    BoolAccessors *acc = prop->opaque;

    v->kind = PROP_KIND_BOOL;
    v->b = acc->get(obj);
    return true;
}

static bool bool_prop_set(Object *obj, ObjectProperty *prop, const char *str,
                          Error **errp)
{
    BoolAccessors *acc = prop->opaque;
    Error *local_err = NULL;
    bool b;

    if (!qemu_strtobool(str, &b)) {
        error_setg(errp, "Property '%s' expects on/off, got '%s'",
                   prop->name, str);
        return false;
    }
    acc->set(obj, b, &local_err);
    if (local_err) {
        error_propagate(errp, local_err);
        return false;
    }
    return true;
}

static void accessors_release(Object *obj, ObjectProperty *prop)
{
    g_free(prop->opaque);
}

void object_property_add_bool(Object *obj, const char *name,
                              bool (*get)(Object *),
                              void (*set)(Object *, bool, Error **))
{
    BoolAccessors *acc = g_new0(BoolAccessors, 1);

    acc->get = get;
    acc->set = set;
    object_property_add(obj, name, "bool", get ? bool_prop_get : NULL,
                        set ? bool_prop_set : NULL, accessors_release, acc);
}

static bool u64_ptr_get(Object *obj, ObjectProperty *prop, PropValue *v,
                        Error **errp)
{
    v->kind = PROP_KIND_UINT;
    v->u = *(uint64_t *)prop->opaque;
    return true;
}

static bool u64_ptr_set(Object *obj, ObjectProperty *prop, const char *str,
                        Error **errp)
{
    if (!qemu_strtosz(str, prop->opaque)) {
        error_setg(errp, "Property '%s' expects a number, got '%s'",
                   prop->name, str);
        return false;
    }
    return true;
}

void object_property_add_uint64_ptr(Object *obj, const char *name,
                                    uint64_t *v, bool read_only)
{
    object_property_add(obj, name, "uint64", u64_ptr_get,
                        read_only ? NULL : u64_ptr_set, NULL, v);
}

typedef struct StrAccessors {
    char *(*get)(Object *);
    void (*set)(Object *, const char *, Error **);
} StrAccessors;

static bool str_prop_get(Object *obj, ObjectProperty *prop, PropValue *v,
                         Error **errp)
{
    StrAccessors *acc = prop->opaque;

    v->kind = PROP_KIND_STR;
    v->s = acc->get(obj);
    return true;
}

static bool str_prop_set(Object *obj, ObjectProperty *prop, const char *str,
                         Error **errp)
{
    StrAccessors *acc = prop->opaque;
    Error *local_err = NULL;

    acc->set(obj, str, &local_err);
    if (local_err) {
        error_propagate(errp, local_err);
        return false;
    }
    return true;
}

void object_property_add_str(Object *obj, const char *name,
                             char *(*get)(Object *),
                             void (*set)(Object *, const char *, Error **))
{
    StrAccessors *acc = g_new0(StrAccessors, 1);

    acc->get = get;
    acc->set = set;
    object_property_add(obj, name, "string", get ? str_prop_get : NULL,
                        set ? str_prop_set : NULL, accessors_release, acc);
}
