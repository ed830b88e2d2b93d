/*
 * QMP device and QOM commands: device_add, device_del (and the
 * DEVICE_DELETED event), qom-list, qom-get, qom-set, and
 * device-list-properties.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "hw/qdev-core.h"
#include "sysemu/sysemu.h"
#include "monitor/qdev.h"
#include "qom/qom-qmp.h"
#include "monitor-internal.h"

static JsonNode *qmp_device_add(JsonObject *args, Error **errp)
{
    /* -device's JSON form; integers above INT64_MAX are written exactly */
    g_autoptr(JsonNode) node = qmp_node_object(json_object_ref(args));
    g_autofree char *text = qmp_node_to_text(node);
    g_autoptr(GPtrArray) opts = keyval_parse_json(text, errp);

    DeviceState *dev = opts ? qdev_device_add(opts, true, errp) : NULL;

    if (!dev) {
        return NULL;
    }
    monitor_device_added(dev);
    return qmp_return_empty();
}

static JsonNode *qmp_device_del(JsonObject *args, Error **errp)
{
    if (!monitor_device_del(qmp_arg_str(args, "id"), errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static Object *qom_resolve(const char *path, Error **errp)
{
    bool ambiguous = false;
    Object *obj = object_resolve_path(path, &ambiguous);

    if (!obj) {
        if (ambiguous) {
            error_setg(errp, "Path '%s' is ambiguous", path);
        } else {
            error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                      "Device '%s' not found", path);
        }
    }
    return obj;
}

static JsonNode *qmp_qom_list(JsonObject *args, Error **errp)
{
    Object *obj = qom_resolve(qmp_arg_str(args, "path"), errp);
    JsonArray *arr;

    if (!obj) {
        return NULL;
    }
    arr = json_array_new();
    for (guint i = 0; i < obj->prop_order->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(obj->prop_order, i);
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "name", prop->name);
        json_object_set_string_member(o, "type", prop->type);
        json_array_add_object_element(arr, o);
    }
    return qmp_node_array(arr);
}

static JsonNode *prop_value_to_node(const PropValue *v)
{
    JsonNode *n = json_node_new(JSON_NODE_VALUE);

    switch (v->kind) {
    case PROP_KIND_BOOL:
        json_node_set_boolean(n, v->b);
        break;
    case PROP_KIND_UINT:
        json_node_unref(n);
        return qmp_node_uint(v->u);
    case PROP_KIND_INT:
        json_node_set_int(n, v->i);
        break;
    case PROP_KIND_STR:
        json_node_set_string(n, v->s ? v->s : "");
        break;
    }
    return n;
}

static JsonNode *qmp_qom_get(JsonObject *args, Error **errp)
{
    Object *obj = qom_resolve(qmp_arg_str(args, "path"), errp);
    const char *name = qmp_arg_str(args, "property");
    ObjectProperty *prop;
    g_autofree char *child_path = NULL;
    PropValue v;
    JsonNode *n;

    if (!obj) {
        return NULL;
    }
    prop = object_property_find(obj, name);
    if (prop && g_str_has_prefix(prop->type, "child<")) {
        child_path = object_get_canonical_path(prop->opaque);
        return qmp_node_str(child_path);
    }
    if (!object_property_get(obj, name, &v, errp)) {
        return NULL;
    }
    n = prop_value_to_node(&v);
    prop_value_clear(&v);
    return n;
}

/* The JSON type a property of this QOM type takes, as QEMU's visitors. */
static GType prop_json_type(const char *type)
{
    if (!strcmp(type, "bool")) {
        return G_TYPE_BOOLEAN;
    }
    if (g_str_has_prefix(type, "uint") || g_str_has_prefix(type, "int") ||
        !strcmp(type, "size")) {
        return G_TYPE_INT64;
    }
    if (!strcmp(type, "str") || !strcmp(type, "string")) {
        return G_TYPE_STRING;
    }
    return G_TYPE_INVALID;      /* e.g. PCI addresses: "3.0" or 24 */
}

static const char *json_type_name(GType t)
{
    return t == G_TYPE_BOOLEAN ? "boolean" :
           t == G_TYPE_INT64 ? "integer" : "string";
}

static char *json_value_to_prop_string(const char *prop_type,
                                       const char *name, JsonNode *n,
                                       Error **errp)
{
    GType t = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_value_type(n)
                                       : G_TYPE_INVALID;
    GType want = prop_json_type(prop_type);

    if (qmp_node_is_uint_tag(n) &&
        (want == G_TYPE_INT64 || want == G_TYPE_INVALID)) {
        return qmp_node_number_text(n);     /* beyond INT64_MAX */
    }
    if ((want != G_TYPE_INVALID && t != want) ||
        (t != G_TYPE_BOOLEAN && t != G_TYPE_INT64 && t != G_TYPE_STRING)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   name,
                   want != G_TYPE_INVALID ? json_type_name(want)
                                          : "integer or string");
        return NULL;
    }
    if (t == G_TYPE_BOOLEAN) {
        return g_strdup(json_node_get_boolean(n) ? "on" : "off");
    }
    if (t == G_TYPE_INT64) {
        return g_strdup_printf("%" PRId64, json_node_get_int(n));
    }
    return g_strdup(json_node_get_string(n));
}

static JsonNode *qmp_qom_set(JsonObject *args, Error **errp)
{
    Object *obj = qom_resolve(qmp_arg_str(args, "path"), errp);
    const char *name = qmp_arg_str(args, "property");
    ObjectProperty *prop;
    g_autofree char *str = NULL;

    if (!obj) {
        return NULL;
    }
    prop = object_property_find(obj, name);
    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
        return NULL;
    }
    str = json_value_to_prop_string(prop->type, "value",
                                    json_object_get_member(args, "value"),
                                    errp);
    if (!str || !object_property_parse(obj, name, str, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

/* The type of property name in a list of ObjectPropertyInfo, or NULL. */
static const char *prop_list_type(JsonArray *props, const char *name)
{
    for (guint i = 0; i < json_array_get_length(props); i++) {
        JsonObject *p = json_array_get_object_element(props, i);

        if (!strcmp(json_object_get_string_member(p, "name"), name)) {
            return json_object_get_string_member(p, "type");
        }
    }
    return NULL;
}

/* The object's properties as strings, each checked against its type. */
static GHashTable *object_add_props(const char *type, JsonObject *args,
                                    Error **errp)
{
    g_autoptr(JsonArray) info = qom_type_properties(type, errp);
    g_autoptr(GHashTable) props = NULL;
    g_autoptr(GList) names = json_object_get_members(args);

    if (!info) {
        return NULL;
    }
    props = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    for (GList *l = names; l; l = l->next) {
        const char *ptype = prop_list_type(info, l->data);
        char *str;

        if (!strcmp(l->data, "qom-type") || !strcmp(l->data, "id")) {
            continue;
        }
        if (!ptype) {
            error_setg(errp, "Property '%s.%s' not found", type,
                       (char *)l->data);
            return NULL;
        }
        str = json_value_to_prop_string(ptype, l->data,
                                        json_object_get_member(args, l->data),
                                        errp);
        if (!str) {
            return NULL;
        }
        g_hash_table_insert(props, l->data, str);
    }
    return g_steal_pointer(&props);
}

static JsonNode *qmp_object_add(JsonObject *args, Error **errp)
{
    const char *type = qmp_arg_str(args, "qom-type");
    g_autoptr(GHashTable) props = object_add_props(type, args, errp);

    if (!props ||
        !user_creatable_add(type, qmp_arg_str(args, "id"), props, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_object_del(JsonObject *args, Error **errp)
{
    return user_creatable_del(qmp_arg_str(args, "id"), errp) ?
           qmp_return_empty() : NULL;
}

/* Device introspection: device-list-properties, -device TYPE,help */

JsonArray *qdev_device_properties(const char *typename, Error **errp)
{
    ObjectClass *klass = object_class_by_name(typename);

    if (!klass) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", typename);
        return NULL;
    }
    if (!object_class_dynamic_cast(klass, TYPE_DEVICE) ||
        object_class_is_abstract(klass)) {
        error_setg(errp, "Parameter 'typename' expects a non-abstract device "
                   "type");
        return NULL;
    }
    return qom_type_properties(typename, errp);
}

static gint qdev_help_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *qdev_property_help_line(JsonObject *p)
{
    GString *s = g_string_new(NULL);
    const char *desc = json_object_has_member(p, "description") ?
        json_object_get_string_member(p, "description") : NULL;
    JsonNode *def = json_object_get_member(p, "default-value");

    g_string_append_printf(s, "  %s=<%s>",
                           json_object_get_string_member(p, "name"),
                           json_object_get_string_member(p, "type"));
    if (desc || def) {
        g_string_append_printf(s, "%*s - ", MAX(0, 24 - (int)s->len), "");
    }
    if (desc) {
        g_string_append(s, desc);
    }
    if (def) {
        g_autofree char *text = qmp_node_is_uint_tag(def) ?
                                qmp_node_number_text(def) :
                                json_to_string(def, false);

        g_string_append_printf(s, " (default: %s)", text);
    }
    return g_string_free(s, false);
}

bool qdev_property_help(GString *out, const char *typename, Error **errp)
{
    g_autoptr(JsonArray) props = qdev_device_properties(typename, errp);
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);

    if (!props) {
        return false;
    }
    for (guint i = 0; i < json_array_get_length(props); i++) {
        g_ptr_array_add(lines, qdev_property_help_line(
            json_array_get_object_element(props, i)));
    }
    g_ptr_array_sort(lines, qdev_help_cmp);
    if (lines->len) {
        g_string_append_printf(out, "%s options:\n", typename);
    } else {
        g_string_append_printf(out, "There are no options for %s.\n",
                               typename);
    }
    for (guint i = 0; i < lines->len; i++) {
        g_string_append_printf(out, "%s\n",
                               (char *)g_ptr_array_index(lines, i));
    }
    return true;
}


static JsonNode *qmp_device_list_properties(JsonObject *args, Error **errp)
{
    JsonArray *arr = qdev_device_properties(qmp_arg_str(args, "typename"),
                                           errp);

    return arr ? qmp_node_array(arr) : NULL;
}

static const QmpCommandInfo qmp_qdev_commands[] = {
    { "device-list-properties", qmp_device_list_properties, "typename:str",
      "[ObjectPropertyInfo]" },
    { "object-add", qmp_object_add, "qom-type:str,id:str,*" },
    { "object-del", qmp_object_del, "id:str" },
    { "device_add", qmp_device_add, "driver:str,bus:str?,id:str?,*" },
    { "device_del", qmp_device_del, "id:str" },
    { "qom-list", qmp_qom_list, "path:str", "[ObjectPropertyInfo]" },
    { "qom-get", qmp_qom_get, "path:str,property:str", "any" },
    { "qom-set", qmp_qom_set, "path:str,property:str,value:any" },
};

static const QmpSchemaTypeInfo qmp_qdev_types[] = {
    { "ObjectPropertyInfo", .members = "name:str,type:str,description:str?,"
                                       "default-value:any?" },
};

static const QmpEventInfo qmp_qdev_events[] = {
    { "DEVICE_DELETED", "device:str?,path:str" },
};

QMP_COMMANDS(qmp_qdev_commands)
QMP_SCHEMA_TYPES(qmp_qdev_types)
QMP_EVENTS(qmp_qdev_events)
