/*
 * Device creation from options, for -device and QMP device_add.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "hw/qdev-properties.h"
#include "hw/boards.h"
#include "sysemu/sysemu.h"
#include "monitor/qdev.h"
#include "qom/qom-qmp.h"
#include "sysemu/guest-call.h"

static void print_device_type(ObjectClass *klass, void *opaque)
{
    DeviceClass *dc = (DeviceClass *)klass;
    GString *out = opaque;

    if (!dc->user_creatable) {
        return;
    }
    g_string_append_printf(out, "name \"%s\"", object_class_get_name(klass));
    if (dc->bus_type) {
        g_string_append_printf(out, ", bus %s", dc->bus_type);
    }
    if (klass->desc) {
        g_string_append_printf(out, ", desc \"%s\"", klass->desc);
    }
    g_string_append_c(out, '\n');
}

void qdev_device_help_list(GString *out)
{
    g_string_append(out, "Devices:\n");
    object_class_foreach(print_device_type, TYPE_DEVICE, false, out);
}

static DeviceClass *device_class_lookup(const char *driver, Error **errp)
{
    ObjectClass *klass = object_class_by_name(driver);
    DeviceClass *dc;

    if (!klass || !object_class_dynamic_cast(klass, TYPE_DEVICE)) {
        error_setg(errp, "'%s' is not a valid device model name "
                   "(see -device help)", driver);
        return NULL;
    }
    dc = (DeviceClass *)klass;
    if (object_class_is_abstract(klass) || !dc->user_creatable) {
        error_setg(errp, "device '%s' can not be created by the user",
                   driver);
        return NULL;
    }
    return dc;
}

/* As QEMU, any concrete device type, user-creatable or not. */
bool qdev_device_help_type(GString *out, const char *driver, Error **errp)
{
    return qdev_property_help(out, driver, errp);
}

static BusState *device_find_bus(DeviceClass *dc, const char *driver,
                                 const char *path, Error **errp)
{
    BusState *bus;

    if (!dc->bus_type) {
        if (path) {
            error_setg(errp, "device '%s' does not sit on a bus; "
                       "remove bus=%s", driver, path);
            return NULL;
        }
        return NULL;
    }
    if (!path) {
        bus = qbus_find_default(dc->bus_type);
        if (!bus) {
            error_setg(errp, "no '%s' bus found for device '%s'",
                       dc->bus_type, driver);
        }
        return bus;
    }
    bus = qbus_find_by_name(path);
    if (!bus) {
        error_setg(errp, "bus '%s' not found", path);
        return NULL;
    }
    if (!object_dynamic_cast(OBJECT(bus), dc->bus_type)) {
        error_setg(errp, "bus '%s' is not of type '%s', as device '%s' "
                   "requires", path, dc->bus_type, driver);
        return NULL;
    }
    return bus;
}

static bool device_set_props(DeviceState *dev, GPtrArray *opts, Error **errp)
{
    for (guint i = 0; i < opts->len; i++) {
        KeyVal *kv = g_ptr_array_index(opts, i);

        if (!object_property_find(OBJECT(dev), kv->key) ||
            !object_property_find(OBJECT(dev), kv->key)->set) {
            error_setg(errp, "device '%s' has no property '%s' "
                       "(see -device %s,help)", object_get_typename(OBJECT(dev)),
                       kv->key, object_get_typename(OBJECT(dev)));
            return false;
        }
        if (!object_property_parse(OBJECT(dev), kv->key, kv->value, errp)) {
            return false;
        }
    }
    return true;
}

static bool device_id_ok(const char *id, Error **errp)
{
    if (!g_ascii_isalpha(id[0])) {
        error_setg(errp, "id '%s': identifiers must start with a letter", id);
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            error_setg(errp, "id '%s': invalid character '%c'", id, *p);
            return false;
        }
    }
    if (qdev_find_by_id(id)) {
        error_setg(errp, "Duplicate device ID '%s'", id);
        return false;
    }
    return true;
}

DeviceState *qdev_device_add(GPtrArray *opts, bool hotplug, Error **errp)
{
    g_autofree char *driver = keyval_take(opts, "driver");
    g_autofree char *id = keyval_take(opts, "id");
    g_autofree char *path = keyval_take(opts, "bus");
    DeviceClass *dc;

    guest_call_drain();         /* hotplug pauses the vCPUs first */
    DeviceState *dev;
    BusState *bus;
    Error *local_err = NULL;

    if (!driver) {
        error_setg(errp, "parameter 'driver' is missing");
        return NULL;
    }
    dc = device_class_lookup(driver, errp);
    if (!dc || (id && !device_id_ok(id, errp))) {
        return NULL;
    }
    bus = device_find_bus(dc, driver, path, &local_err);
    if (local_err) {
        error_propagate(errp, local_err);
        return NULL;
    }
    if (hotplug && (!dc->hotpluggable ||
                    (bus && !BUS_GET_CLASS(bus)->hotplug_allowed))) {
        error_setg(errp, "device '%s' can not be hot-plugged%s%s", driver,
                   bus ? " on bus " : "", bus ? bus->name : "");
        return NULL;
    }
    dev = qdev_new(driver);
    if (id) {
        qdev_set_id(dev, id);
    }
    if (!device_set_props(dev, opts, errp) ||
        !qdev_realize(dev, bus, errp)) {
        object_unref(OBJECT(dev));
        return NULL;
    }
    object_unref(OBJECT(dev));
    return dev;
}

bool qdev_device_del_check(DeviceState *dev, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (!dc->hotpluggable || (dev->parent_bus &&
                              !BUS_GET_CLASS(dev->parent_bus)->hotplug_allowed)) {
        error_setg(errp, "Device '%s' does not support hotplugging",
                   dev->id ? dev->id : "");
        return false;
    }
    return true;
}

bool qdev_device_del(const char *id, Error **errp)
{
    DeviceState *dev = qdev_find_by_id(id);

    guest_call_drain();

    if (!dev) {
        error_setg(errp, "Device '%s' not found", id);
        return false;
    }
    if (!qdev_device_del_check(dev, errp)) {
        return false;
    }
    qdev_unrealize(dev);
    return true;
}
