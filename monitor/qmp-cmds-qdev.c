/*
 * QMP device and QOM commands: device_add, device_del (and the
 * DEVICE_DELETED event), qom-list, qom-get, qom-set.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "hw/qdev-core.h"
#include "sysemu/sysemu.h"
#include "monitor-internal.h"

static JsonNode *qmp_device_add(JsonObject *args, Error **errp)
{
    g_autoptr(JsonNode) node = qmp_node_object(json_object_ref(args));
    g_autofree char *text = qmp_node_to_text(node);
    g_autoptr(GPtrArray) opts = keyval_parse_json(text, errp);

    if (!opts || !qdev_device_add(opts, true, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

bool monitor_device_del(const char *id, Error **errp)
{
    DeviceState *dev = qdev_find_by_id(id);
    g_autofree char *path = NULL;
    JsonObject *data;

    if (!dev) {
        qmp_error_set(errp, QMP_ERROR_DEVICE_NOT_FOUND,
                      "Device '%s' not found", id);
        return false;
    }
    path = object_get_canonical_path(OBJECT(dev));
    if (!qdev_device_del(id, errp)) {
        return false;
    }
    /* Unplug is synchronous here: the device is gone, say so now. */
    data = json_object_new();
    json_object_set_string_member(data, "device", id);
    json_object_set_string_member(data, "path", path);
    qmp_event_emit("DEVICE_DELETED", data);
    return true;
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
            qmp_error_set(errp, QMP_ERROR_DEVICE_NOT_FOUND,
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
        if (v->u > INT64_MAX) {
            json_node_set_double(n, (double)v->u);
        } else {
            json_node_set_int(n, (int64_t)v->u);
        }
        break;
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

static char *json_value_to_prop_string(JsonNode *n)
{
    GType t = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_value_type(n)
                                       : G_TYPE_INVALID;

    if (t == G_TYPE_BOOLEAN) {
        return g_strdup(json_node_get_boolean(n) ? "on" : "off");
    }
    if (t == G_TYPE_INT64) {
        return g_strdup_printf("%" PRId64, json_node_get_int(n));
    }
    if (t == G_TYPE_STRING) {
        return g_strdup(json_node_get_string(n));
    }
    return NULL;
}

static JsonNode *qmp_qom_set(JsonObject *args, Error **errp)
{
    Object *obj = qom_resolve(qmp_arg_str(args, "path"), errp);
    const char *name = qmp_arg_str(args, "property");
    g_autofree char *str = NULL;

    if (!obj) {
        return NULL;
    }
    str = json_value_to_prop_string(json_object_get_member(args, "value"));
    if (!str) {
        error_setg(errp, "Invalid parameter type for 'value', expected: "
                   "boolean, integer or string");
        return NULL;
    }
    if (!object_property_parse(obj, name, str, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static void qmp_qdev_register(void)
{
    qmp_register_command("device_add", "driver:s,id:s?,bus:s?,*",
                         qmp_device_add);
    qmp_register_command("device_del", "id:s", qmp_device_del);
    qmp_register_command("qom-list", "path:s", qmp_qom_list);
    qmp_register_command("qom-get", "path:s,property:s", qmp_qom_get);
    qmp_register_command("qom-set", "path:s,property:s,value:a",
                         qmp_qom_set);
}

type_init(qmp_qdev_register)
