/*
 * Devices and buses on top of QOM: realize/unrealize, reset, static
 * properties with defaults, machine compat properties and -global.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_QDEV_CORE_H
#define HW_QDEV_CORE_H

#include "qom/object.h"

#define TYPE_DEVICE "device"
#define TYPE_BUS "bus"
#define TYPE_SYSTEM_BUS "System"
#define TYPE_SYS_BUS_DEVICE "sys-bus-device"

typedef struct Property Property;
typedef struct BusState BusState;
typedef struct VMStateDescription VMStateDescription;

OBJECT_DECLARE_TYPE(DeviceState, DeviceClass, DEVICE)
OBJECT_DECLARE_TYPE(BusState, BusClass, BUS)

typedef void DeviceRealize(DeviceState *dev, Error **errp);
typedef void DeviceUnrealize(DeviceState *dev);
typedef void DeviceReset(DeviceState *dev);

struct DeviceClass {
    ObjectClass parent_class;

    const char *category;
    const char *fw_name;
    Property *props_;
    bool user_creatable;
    bool hotpluggable;
    const char *bus_type;
    DeviceRealize *realize;
    DeviceUnrealize *unrealize;
    DeviceReset *reset;
    const VMStateDescription *vmsd;
};

struct DeviceState {
    Object parent_obj;

    char *id;
    bool realized;
    bool pending_deletion;      /* device_del waits for a machine reset */
    bool hotplug_unconfigured;  /* device_add'ed before the machine ran */
    BusState *parent_bus;
    GSList *child_bus;          /* BusState, in creation order */
    int instance_id_alias;
};

struct BusClass {
    ObjectClass parent_class;

    /* Prints the device's address on this bus for info qtree. */
    char *(*get_dev_path)(DeviceState *dev);
    /* Checks the device may be plugged here (e.g. its devfn is free). */
    bool (*check_address)(BusState *bus, DeviceState *dev, Error **errp);
    bool hotplug_allowed;
};

struct BusState {
    Object obj;

    DeviceState *parent;
    char *name;
    GQueue children;            /* DeviceState */
    bool realized;
};

typedef struct GlobalProperty {
    const char *driver;
    const char *property;
    const char *value;
    bool used;
    bool optional;
} GlobalProperty;

/* Static properties */
void device_class_set_props(DeviceClass *dc, Property *props);
bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp);
bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp);
void qdev_unrealize(DeviceState *dev);
DeviceState *qdev_new(const char *name);
void qdev_set_id(DeviceState *dev, const char *id);
DeviceState *qdev_find_by_id(const char *id);
const char *qdev_fw_name(DeviceState *dev);
void qdev_set_parent_bus(DeviceState *dev, BusState *bus);
void qdev_reset_all(DeviceState *dev);

BusState *qbus_new(const char *typename, DeviceState *parent,
                   const char *name);
void qbus_reset_all(BusState *bus);
BusState *qbus_find_by_name(const char *name);
/* The first bus of the given type in the whole tree, for -device without bus=. */
BusState *qbus_find_default(const char *bus_type);
BusState *sysbus_get_default(void);
int qbus_walk_devices(BusState *bus, int (*fn)(DeviceState *dev, void *o),
                      void *opaque);

/*
 * Globals: machine compat properties are registered first, then -global;
 * both are applied to every new device whose type is (or derives from)
 * the driver, before any user property.
 */
void qdev_prop_register_global(GlobalProperty *prop);
void qdev_set_compat_props(GPtrArray *compat_props);
bool qdev_global_prop_check(const char *driver, const char *property,
                            Error **errp);
/* The same, and value must parse as that property's type. */
bool qdev_global_prop_check_value(const char *driver, const char *property,
                                  const char *value, Error **errp);

/* Machine-level reset of every realized device, plus registered handlers. */
typedef void QEMUResetHandler(void *opaque);
void qemu_register_reset(QEMUResetHandler *func, void *opaque);
void qemu_unregister_reset(QEMUResetHandler *func, void *opaque);
void qemu_devices_reset(void);

/* Machine root containers. */
Object *qdev_get_machine(void);
Object *qdev_get_peripheral(void);

#endif
