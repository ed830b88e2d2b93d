/*
 * QEMU Object Model: types, objects, properties, the composition tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qom/object.h"

typedef struct TypeImpl TypeImpl;

struct TypeImpl {
    TypeInfo info;
    TypeImpl *parent_type;
    ObjectClass *class;
};

static GHashTable *type_table;

static GHashTable *type_table_get(void)
{
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    return type_table;
}

Type type_register_static(const TypeInfo *info)
{
    TypeImpl *ti = g_new0(TypeImpl, 1);

    g_assert(info->name);
    g_assert(!g_hash_table_lookup(type_table_get(), info->name));
    ti->info = *info;
    g_hash_table_insert(type_table_get(), (gpointer)info->name, ti);
    return ti;
}

static TypeImpl *type_get_by_name(const char *name)
{
    return name ? g_hash_table_lookup(type_table_get(), name) : NULL;
}

static TypeImpl *type_get_parent(TypeImpl *ti)
{
    if (ti->info.parent && !ti->parent_type) {
        ti->parent_type = type_get_by_name(ti->info.parent);
        g_assert(ti->parent_type);
    }
    return ti->parent_type;
}

static size_t type_class_size(TypeImpl *ti)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->info.class_size) {
            return ti->info.class_size;
        }
    }
    return sizeof(ObjectClass);
}

static size_t type_instance_size(TypeImpl *ti)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->info.instance_size) {
            return ti->info.instance_size;
        }
    }
    return sizeof(Object);
}

static void type_run_base_init(TypeImpl *ti, ObjectClass *klass)
{
    for (TypeImpl *p = type_get_parent(ti); p; p = type_get_parent(p)) {
        if (p->info.class_base_init) {
            p->info.class_base_init(klass, ti->info.class_data);
        }
    }
}

static void type_initialize(TypeImpl *ti)
{
    TypeImpl *parent;

    if (ti->class) {
        return;
    }
    ti->class = g_malloc0(type_class_size(ti));
    parent = type_get_parent(ti);
    if (parent) {
        type_initialize(parent);
        memcpy(ti->class, parent->class, type_class_size(parent));
    }
    ti->class->type = ti;
    type_run_base_init(ti, ti->class);
    if (ti->info.class_init) {
        ti->info.class_init(ti->class, ti->info.class_data);
    }
}

ObjectClass *object_class_by_name(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->class;
}

static bool type_is_ancestor(TypeImpl *ti, TypeImpl *ancestor)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti == ancestor) {
            return true;
        }
    }
    return false;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename)
{
    TypeImpl *target;

    if (!klass) {
        return NULL;
    }
    target = type_get_by_name(typename);
    return target && type_is_ancestor(klass->type, target) ? klass : NULL;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename)
{
    ObjectClass *ret = object_class_dynamic_cast(klass, typename);

    if (!ret) {
        g_error("class %s is not a %s",
                klass ? klass->type->info.name : "(null)", typename);
    }
    return ret;
}

ObjectClass *object_class_get_parent(ObjectClass *klass)
{
    TypeImpl *p = type_get_parent(klass->type);

    if (!p) {
        return NULL;
    }
    type_initialize(p);
    return p->class;
}

const char *object_class_get_name(ObjectClass *klass)
{
    return klass->type->info.name;
}

bool object_class_is_abstract(ObjectClass *klass)
{
    return klass->type->info.abstract;
}

static gint class_name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name((ObjectClass *)a),
                  object_class_get_name((ObjectClass *)b));
}

GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract)
{
    GHashTableIter it;
    gpointer key, value;
    GSList *list = NULL;

    g_hash_table_iter_init(&it, type_table_get());
    while (g_hash_table_iter_next(&it, &key, &value)) {
        TypeImpl *ti = value;

        type_initialize(ti);
        if ((!ti->info.abstract || include_abstract) &&
            object_class_dynamic_cast(ti->class, implements_type)) {
            list = g_slist_prepend(list, ti->class);
        }
    }
    return g_slist_sort(list, class_name_cmp);
}

void object_class_foreach(void (*fn)(ObjectClass *klass, void *opaque),
                          const char *implements_type, bool include_abstract,
                          void *opaque)
{
    GSList *list = object_class_get_list(implements_type, include_abstract);

    for (GSList *l = list; l; l = l->next) {
        fn(l->data, opaque);
    }
    g_slist_free(list);
}

/* Objects */

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    TypeImpl *parent = type_get_parent(ti);

    if (parent) {
        object_init_with_type(obj, parent);
    }
    if (ti->info.instance_init) {
        ti->info.instance_init(obj);
    }
}

static void object_post_init_with_type(Object *obj, TypeImpl *ti)
{
    TypeImpl *parent = type_get_parent(ti);

    if (ti->info.instance_post_init) {
        ti->info.instance_post_init(obj);
    }
    if (parent) {
        object_post_init_with_type(obj, parent);
    }
}

Object *object_new(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);
    Object *obj;

    g_assert(ti && !ti->info.abstract);
    type_initialize(ti);
    obj = g_malloc0(type_instance_size(ti));
    obj->class = ti->class;
    obj->ref = 1;
    obj->properties = g_hash_table_new(g_str_hash, g_str_equal);
    obj->prop_order = g_ptr_array_new();
    object_init_with_type(obj, ti);
    object_post_init_with_type(obj, ti);
    return obj;
}

void object_ref(Object *obj)
{
    obj->ref++;
}

static void object_property_del_all(Object *obj)
{
    /* Release in reverse creation order: children before their users. */
    while (obj->prop_order->len) {
        ObjectProperty *prop =
            g_ptr_array_index(obj->prop_order, obj->prop_order->len - 1);

        object_property_del(obj, prop->name);
    }
}

static void object_finalize(Object *obj)
{
    object_property_del_all(obj);
    for (TypeImpl *ti = obj->class->type; ti; ti = type_get_parent(ti)) {
        if (ti->info.instance_finalize) {
            ti->info.instance_finalize(obj);
        }
    }
    g_hash_table_unref(obj->properties);
    g_ptr_array_free(obj->prop_order, true);
    g_free(obj);
}

void object_unref(Object *obj)
{
    if (!obj) {
        return;
    }
    g_assert(obj->ref > 0);
    if (--obj->ref == 0) {
        object_finalize(obj);
    }
}

const char *object_get_typename(const Object *obj)
{
    return obj->class->type->info.name;
}

ObjectClass *object_get_class(Object *obj)
{
    return obj->class;
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    return obj && object_class_dynamic_cast(obj->class, typename) ? obj : NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename)
{
    Object *ret = object_dynamic_cast(obj, typename);

    if (!ret) {
        g_error("object %s is not a %s",
                obj ? object_get_typename(obj) : "(null)", typename);
    }
    return ret;
}
