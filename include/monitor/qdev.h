/*
 * Device creation and removal shared by -device and the monitors
 * (hw/core/qdev-monitor.c), and device introspection
 * (monitor/qmp-cmds-qdev.c).  Only a forward declaration of DeviceState:
 * the command line (system/) calls these without reaching into hw/.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_QDEV_H
#define MONITOR_QDEV_H

#include <json-glib/json-glib.h>

typedef struct DeviceState DeviceState;

/*
 * Creates, configures and realizes a device from "driver=...,id=...,k=v"
 * options (already parsed).  Returns the device, or NULL with errp set.
 */
DeviceState *qdev_device_add(GPtrArray *opts, bool hotplug, Error **errp);
/* Device types (-device help) or one type's properties (TYPE,help). */
void qdev_device_help_list(GString *out);
bool qdev_device_help_type(GString *out, const char *driver, Error **errp);
/* Removes a device by id at once (the monitors' device_del may wait). */
bool qdev_device_del(const char *id, Error **errp);
/* Whether the device may be unplugged at all. */
bool qdev_device_del_check(DeviceState *dev, Error **errp);

/* ObjectPropertyInfo objects of a concrete device type. */
JsonArray *qdev_device_properties(const char *typename, Error **errp);
/* "TYPE options:" and one sorted "  name=<type> ..." line per property. */
bool qdev_property_help(GString *out, const char *typename, Error **errp);

#endif
