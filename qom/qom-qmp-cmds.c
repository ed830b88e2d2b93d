/*
 * QOM introspection for QMP and the human monitor: qom-list-types,
 * qom-list-properties, device-list-properties and "info qom-tree".
 *
 * Everything is read from the type table and from the properties a fresh
 * instance really has, so what is listed is what -device, device_add,
 * -object and -machine accept.  "device_add TYPE,help" and
 * "-device TYPE,help" print the same list (qdev_property_help() in
 * monitor/qmp-cmds-qdev.c, which adds the device-only checks).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/hmp.h"
#include "monitor/qmp.h"
#include "qom/qom-qmp.h"

/* qom-list-types */

static void qom_type_info(ObjectClass *klass, void *opaque)
{
    JsonObject *o = json_object_new();
    ObjectClass *parent = object_class_get_parent(klass);

    json_object_set_string_member(o, "name", object_class_get_name(klass));
    if (object_class_is_abstract(klass)) {
        json_object_set_boolean_member(o, "abstract", true);
    }
    if (parent) {
        json_object_set_string_member(o, "parent",
                                      object_class_get_name(parent));
    }
    json_array_add_object_element(opaque, o);
}

static JsonNode *qmp_qom_list_types(JsonObject *args, Error **errp)
{
    JsonArray *arr = json_array_new();
    const char *implements = qmp_arg_str(args, "implements");

    /* An unknown "implements" type matches nothing, as in QEMU. */
    if (!implements || object_class_by_name(implements)) {
        object_class_foreach(qom_type_info,
                             implements ? implements : TYPE_OBJECT,
                             qmp_arg_bool(args, "abstract", false), arr);
    }
    return qmp_node_array(arr);
}

/* Properties */

/* A static property's default as the JSON value QEMU reports. */
static JsonNode *qom_default_node(ObjectProperty *prop)
{
    JsonNode *n;
    uint64_t v;

    if (!prop->default_str ||
        !g_ascii_string_to_unsigned(prop->default_str + 2, 16, 0,
                                    UINT64_MAX, &v, NULL)) {
        return NULL;
    }
    if (!strcmp(prop->type, "uint8")) {
        v = (uint8_t)v;
    } else if (!strcmp(prop->type, "uint16")) {
        v = (uint16_t)v;
    } else if (!strcmp(prop->type, "uint32")) {
        v = (uint32_t)v;
    }
    if (strcmp(prop->type, "bool") && !g_str_has_prefix(prop->type, "int")) {
        return qmp_node_uint(v);    /* exact up to 2^64 - 1 */
    }
    n = json_node_new(JSON_NODE_VALUE);
    if (!strcmp(prop->type, "bool")) {
        json_node_set_boolean(n, v != 0);
    } else if (!strcmp(prop->type, "int32")) {
        json_node_set_int(n, (int32_t)v);
    } else {
        json_node_set_int(n, (int64_t)v);
    }
    return n;
}

static JsonObject *qom_property_info(ObjectProperty *prop)
{
    JsonObject *o = json_object_new();
    JsonNode *def = qom_default_node(prop);

    json_object_set_string_member(o, "name", prop->name);
    json_object_set_string_member(o, "type", prop->type);
    if (prop->description) {
        json_object_set_string_member(o, "description", prop->description);
    }
    if (def) {
        json_object_set_member(o, "default-value", def);
    }
    return o;
}

JsonArray *qom_type_properties(const char *typename, Error **errp)
{
    ObjectClass *klass = object_class_by_name(typename);
    JsonArray *arr;
    Object *obj;

    if (!klass) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Class '%s' not found", typename);
        return NULL;
    }
    arr = json_array_new();
    /* Properties belong to instances here; an abstract type has none. */
    if (object_class_is_abstract(klass)) {
        return arr;
    }
    obj = object_new(typename);
    for (guint i = 0; i < obj->prop_order->len; i++) {
        json_array_add_object_element(arr, qom_property_info(
            g_ptr_array_index(obj->prop_order, i)));
    }
    object_unref(obj);
    return arr;
}

static JsonNode *qmp_qom_list_properties(JsonObject *args, Error **errp)
{
    JsonArray *arr = qom_type_properties(qmp_arg_str(args, "typename"), errp);

    return arr ? qmp_node_array(arr) : NULL;
}

/* info qom-tree */

static int qom_tree_collect(Object *child, void *opaque)
{
    g_ptr_array_add(opaque, child);
    return 0;
}

static gint qom_tree_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(object_get_canonical_path_component(*(Object *const *)a),
                  object_get_canonical_path_component(*(Object *const *)b));
}

/* The composition tree is bounded by what the program created. */
static void qom_tree_print(GString *out, Object *obj, int indent)
{
    g_autoptr(GPtrArray) children = g_ptr_array_new();
    const char *name = obj == object_get_root() ? "" :
                       object_get_canonical_path_component(obj);

    hmp_printf(out, "%*s/%s (%s)\n", indent, "", name,
               object_get_typename(obj));
    object_child_foreach(obj, qom_tree_collect, children);
    g_ptr_array_sort(children, qom_tree_cmp);
    for (guint i = 0; i < children->len; i++) {
        qom_tree_print(out, g_ptr_array_index(children, i), indent + 2);
    }
}

static void hmp_info_qom_tree(GString *out)
{
    Object *machine = object_resolve_path("/machine", NULL);

    qom_tree_print(out, machine ? machine : object_get_root(), 0);
}

static void qom_hmp_register(void)
{
    hmp_register_info("qom-tree", "show QOM composition tree",
                      hmp_info_qom_tree);
}

type_init(qom_hmp_register)

static const QmpCommandInfo qom_qmp_commands[] = {
    { "qom-list-types", qmp_qom_list_types, "implements:str?,abstract:bool?",
      "[ObjectTypeInfo]" },
    { "qom-list-properties", qmp_qom_list_properties, "typename:str",
      "[ObjectPropertyInfo]" },
};

static const QmpSchemaTypeInfo qom_qmp_types[] = {
    { "ObjectTypeInfo", .members = "name:str,abstract:bool?,parent:str?" },
};

QMP_COMMANDS(qom_qmp_commands)
QMP_SCHEMA_TYPES(qom_qmp_types)
