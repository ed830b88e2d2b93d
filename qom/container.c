/*
 * The QOM composition tree: children, canonical paths, path resolution,
 * and user-creatable objects (-object) under /objects.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qom/object.h"

static Object *root;

static const TypeInfo container_info = {
    .name = TYPE_CONTAINER,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Object),
};

static const TypeInfo object_info = {
    .name = TYPE_OBJECT,
    .instance_size = sizeof(Object),
    .abstract = true,
};

static void container_register_types(void)
{
    type_register_static(&object_info);
    type_register_static(&container_info);
}

type_init(container_register_types)

Object *object_get_root(void)
{
    if (!root) {
        root = object_new(TYPE_CONTAINER);
    }
    return root;
}

Object *container_get(Object *parent, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    Object *obj = parent;

    for (int i = 0; parts[i]; i++) {
        Object *child;

        if (!*parts[i]) {
            continue;
        }
        child = object_resolve_path_component(obj, parts[i]);
        if (!child) {
            child = object_new(TYPE_CONTAINER);
            object_property_add_child(obj, parts[i], child);
            object_unref(child);
        }
        obj = child;
    }
    return obj;
}

Object *object_get_objects_root(void)
{
    return container_get(object_get_root(), "/objects");
}

static bool child_get(Object *obj, ObjectProperty *prop, PropValue *v,
                      Error **errp)
{
    v->kind = PROP_KIND_STR;
    v->s = object_get_canonical_path(prop->opaque);
    return true;
}

static void child_release(Object *obj, ObjectProperty *prop)
{
    Object *child = prop->opaque;

    child->parent = NULL;
    object_unref(child);
}

void object_property_add_child(Object *obj, const char *name, Object *child)
{
    g_autofree char *type = g_strdup_printf("child<%s>",
                                            object_get_typename(child));

    g_assert(!child->parent);
    object_ref(child);
    object_property_add(obj, name, type, child_get, NULL, child_release,
                        child);
    child->parent = obj;
}

static ObjectProperty *child_property_of(Object *obj)
{
    Object *parent = obj->parent;

    if (!parent) {
        return NULL;
    }
    for (guint i = 0; i < parent->prop_order->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(parent->prop_order, i);

        if (g_str_has_prefix(prop->type, "child<") && prop->opaque == obj) {
            return prop;
        }
    }
    return NULL;
}

void object_unparent(Object *obj)
{
    ObjectProperty *prop = child_property_of(obj);

    if (prop) {
        object_property_del(obj->parent, prop->name);
    }
}

const char *object_get_canonical_path_component(const Object *obj)
{
    ObjectProperty *prop = child_property_of((Object *)obj);

    return prop ? prop->name : NULL;
}

char *object_get_canonical_path(const Object *obj)
{
    GString *path = g_string_new("");

    if (obj == root) {
        g_string_append(path, "/");
    }
    while (obj && obj != root) {
        const char *comp = object_get_canonical_path_component(obj);

        if (!comp) {
            g_string_free(path, true);
            return NULL;
        }
        g_string_prepend(path, comp);
        g_string_prepend(path, "/");
        obj = obj->parent;
    }
    return g_string_free(path, false);
}

Object *object_resolve_path_component(Object *parent, const char *part)
{
    ObjectProperty *prop = object_property_find(parent, part);

    if (prop && g_str_has_prefix(prop->type, "child<")) {
        return prop->opaque;
    }
    return NULL;
}

int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque),
                         void *opaque)
{
    /* Children are visited in creation order, deterministically. */
    for (guint i = 0; i < obj->prop_order->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(obj->prop_order, i);
        int ret;

        if (!g_str_has_prefix(prop->type, "child<")) {
            continue;
        }
        ret = fn(prop->opaque, opaque);
        if (ret) {
            return ret;
        }
    }
    return 0;
}

typedef struct RecurseData {
    int (*fn)(Object *child, void *opaque);
    void *opaque;
} RecurseData;

static int do_recurse(Object *child, void *opaque)
{
    RecurseData *d = opaque;
    int ret = d->fn(child, d->opaque);

    return ret ? ret : object_child_foreach(child, do_recurse, d);
}

int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque)
{
    RecurseData d = { fn, opaque };

    return object_child_foreach(obj, do_recurse, &d);
}

typedef struct PartialSearch {
    const char *name;
    const char *typename;
    Object *found;
    int matches;
} PartialSearch;

static int partial_match(Object *child, void *opaque)
{
    PartialSearch *s = opaque;
    const char *comp = object_get_canonical_path_component(child);

    if (comp && !strcmp(comp, s->name) &&
        (!s->typename || object_dynamic_cast(child, s->typename))) {
        s->found = child;
        s->matches++;
    }
    return 0;
}

static Object *resolve_absolute(const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    Object *obj = object_get_root();

    for (int i = 0; parts[i] && obj; i++) {
        if (*parts[i]) {
            obj = object_resolve_path_component(obj, parts[i]);
        }
    }
    return obj;
}

Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguous)
{
    PartialSearch s = { .name = path, .typename = typename };
    Object *obj;

    if (ambiguous) {
        *ambiguous = false;
    }
    if (path[0] == '/') {
        obj = resolve_absolute(path);
        return obj && (!typename || object_dynamic_cast(obj, typename)) ?
               obj : NULL;
    }
    /* A partial path is a single component found anywhere, if unique. */
    object_child_foreach_recursive(object_get_root(), partial_match, &s);
    if (s.matches > 1) {
        if (ambiguous) {
            *ambiguous = true;
        }
        return NULL;
    }
    return s.found;
}

Object *object_resolve_path(const char *path, bool *ambiguous)
{
    return object_resolve_path_type(path, NULL, ambiguous);
}

static bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

Object *user_creatable_add(const char *type, const char *id,
                           GHashTable *props, Error **errp)
{
    ObjectClass *klass = object_class_by_name(type);
    GHashTableIter it;
    gpointer key, value;
    Object *obj;

    if (!klass || object_class_is_abstract(klass) || !klass->complete) {
        error_setg(errp, "-object: invalid object type '%s'", type);
        return NULL;
    }
    if (!id || !id_wellformed(id)) {
        error_setg(errp, "-object %s: parameter 'id' is missing or not "
                   "a well-formed identifier", type);
        return NULL;
    }
    if (object_resolve_path_component(object_get_objects_root(), id)) {
        error_setg(errp, "-object: an object with id '%s' already exists", id);
        return NULL;
    }
    obj = object_new(type);
    if (props) {
        g_hash_table_iter_init(&it, props);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            if (!object_property_parse(obj, key, value, errp)) {
                error_prepend(errp, "-object %s,id=%s: ", type, id);
                object_unref(obj);
                return NULL;
            }
        }
    }
    if (!klass->complete(obj, errp)) {
        error_prepend(errp, "-object %s,id=%s: ", type, id);
        object_unref(obj);
        return NULL;
    }
    object_property_add_child(object_get_objects_root(), id, obj);
    object_unref(obj);
    return obj;
}

bool user_creatable_del(const char *id, Error **errp)
{
    Object *obj = object_resolve_path_component(object_get_objects_root(), id);

    if (!obj) {
        error_setg(errp, "object '%s' not found", id);
        return false;
    }
    if (obj->ref > 1) {
        error_setg(errp, "object '%s' is in use, can not be deleted", id);
        return false;
    }
    object_unparent(obj);
    return true;
}
