/*
 * device_del as QEMU 7.2 does it on pseries, and DEVICE_DELETED.
 *
 * DOC: device unplug order
 *
 * A PHB or PCI device sits behind a dynamic-reconfiguration connector: QEMU
 * sends the guest an unplug request and removes the device only once the
 * guest has released it, or at the next machine reset.  No guest runs here,
 * so (measured against QEMU 7.2):
 *
 * - a device from -device, or one device_add'ed after the machine ran:
 *   device_del answers {} and nothing more; a second device_del is refused
 *   ("... unplug already in progress for device ID"); system_reset (or any
 *   machine reset) emits RESET, then, after the reply, DEVICE_DELETED for
 *   the devices on its buses and then for the device itself;
 * - a device device_add'ed while the machine never ran (prelaunch) and not
 *   reset since: removed at once, DEVICE_DELETED after the reply.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include "hw/qdev-core.h"
#include "hw/pci-host/spapr.h"
#include "sysemu/sysemu.h"
#include "monitor-internal.h"

static guint unplug_idle;       /* a pending completion is scheduled */

static int collect_device(DeviceState *dev, void *opaque)
{
    GPtrArray *gone = opaque;
    JsonObject *data = json_object_new();
    g_autofree char *path = object_get_canonical_path(OBJECT(dev));

    if (dev->id) {
        json_object_set_string_member(data, "device", dev->id);
    }
    json_object_set_string_member(data, "path", path ? path : "");
    g_ptr_array_add(gone, data);
    return 0;
}

/* Removes the device now; DEVICE_DELETED for it and what sat on it. */
static bool device_remove(DeviceState *dev, Error **errp)
{
    g_autoptr(GPtrArray) gone =
        g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);

    collect_device(dev, gone);
    for (GSList *l = dev->child_bus; l; l = l->next) {
        qbus_walk_devices(l->data, collect_device, gone);
    }
    if (!qdev_device_del(dev->id, errp)) {
        return false;
    }
    /* QEMU reports the children first. */
    for (guint i = gone->len; i-- > 0;) {
        qmp_event_emit("DEVICE_DELETED",
                       json_object_ref(g_ptr_array_index(gone, i)));
    }
    return true;
}

static int find_pending(DeviceState *dev, void *opaque)
{
    if (dev->pending_deletion && dev->id) {
        g_ptr_array_add(opaque, g_strdup(dev->id));
    }
    return 0;
}

/* Runs from the main loop, after the reply to the resetting command. */
static gboolean unplug_complete(gpointer opaque)
{
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);

    unplug_idle = 0;
    qbus_walk_devices(sysbus_get_default(), find_pending, ids);
    for (guint i = 0; i < ids->len; i++) {
        DeviceState *dev = qdev_find_by_id(g_ptr_array_index(ids, i));
        Error *err = NULL;

        if (dev && dev->pending_deletion && !device_remove(dev, &err)) {
            warn_report("device_del %s: %s", dev->id, error_get_pretty(err));
            error_free(err);
        }
    }
    return G_SOURCE_REMOVE;
}

static int unplug_reset_one(DeviceState *dev, void *opaque)
{
    dev->hotplug_unconfigured = false;
    if (dev->pending_deletion) {
        *(bool *)opaque = true;
    }
    return 0;
}

/* A machine reset completes the requests the guest never answered. */
static void unplug_reset(void *opaque)
{
    bool pending = false;

    qbus_walk_devices(sysbus_get_default(), unplug_reset_one, &pending);
    if (pending && !unplug_idle) {
        unplug_idle = g_idle_add(unplug_complete, NULL);
    }
}

void monitor_device_added(DeviceState *dev)
{
    dev->hotplug_unconfigured = runstate_get() == RUN_STATE_PRELAUNCH;
}

static const char *unplug_kind(DeviceState *dev)
{
    return object_dynamic_cast(OBJECT(dev), TYPE_SPAPR_PCI_HOST_BRIDGE) ?
           "PCI Host Bridge" : "PCI device";
}

bool monitor_device_del(const char *id, Error **errp)
{
    DeviceState *dev = qdev_find_by_id(id);

    if (!dev) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", id);
        return false;
    }
    if (dev->pending_deletion) {
        error_setg(errp, "%s unplug already in progress for device %s",
                   unplug_kind(dev), id);
        return false;
    }
    if (dev->hotplug_unconfigured) {
        return device_remove(dev, errp);
    }
    if (!qdev_device_del_check(dev, errp)) {
        return false;
    }
    dev->pending_deletion = true;
    return true;
}

static void device_unplug_register(void)
{
    qemu_register_reset(unplug_reset, NULL);
}

type_init(device_unplug_register)
