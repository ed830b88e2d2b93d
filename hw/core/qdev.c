/*
 * Devices and buses: property installation, globals, realize/unrealize,
 * reset, and the system bus.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"

static GPtrArray *compat_props;     /* GlobalProperty, machine compat */
static GPtrArray *global_props;     /* GlobalProperty, -global */
static int unattached_count;

Object *qdev_get_machine(void)
{
    return container_get(object_get_root(), "/machine");
}

Object *qdev_get_peripheral(void)
{
    return container_get(qdev_get_machine(), "/peripheral");
}

void qdev_set_compat_props(GPtrArray *props)
{
    compat_props = props;
}

void qdev_prop_register_global(GlobalProperty *prop)
{
    if (!global_props) {
        global_props = g_ptr_array_new();
    }
    g_ptr_array_add(global_props, prop);
}

bool qdev_global_prop_check(const char *driver, const char *property,
                            Error **errp)
{
    ObjectClass *klass = object_class_by_name(driver);
    DeviceClass *dc;

    if (!klass || !object_class_dynamic_cast(klass, TYPE_DEVICE)) {
        error_setg(errp, "-global %s.%s: '%s' is not a device type",
                   driver, property, driver);
        return false;
    }
    dc = (DeviceClass *)klass;
    if (!qdev_class_find_prop(dc, property)) {
        error_setg(errp, "-global %s.%s: device '%s' has no property '%s'",
                   driver, property, driver, property);
        return false;
    }
    return true;
}

/*
 * A -global value is parsed once at startup, into a scratch field, so a
 * bad one is a command-line error rather than a warning at device
 * creation (QEMU exits there too).
 */
bool qdev_global_prop_check_value(const char *driver, const char *property,
                                  const char *value, Error **errp)
{
    ObjectClass *klass = object_class_by_name(driver);
    const Property *prop;
    union {
        uint64_t u64;
        char *str;
    } field = { 0 };

    if (!klass || !object_class_dynamic_cast(klass, TYPE_DEVICE)) {
        return qdev_global_prop_check(driver, property, errp);
    }
    prop = qdev_class_find_prop((DeviceClass *)klass, property);
    if (!prop) {
        return qdev_global_prop_check(driver, property, errp);
    }
    if (!prop->info->parse(prop, &field, value, errp)) {
        error_prepend(errp, "-global %s.%s=%s: ", driver, property, value);
        return false;
    }
    if (prop->info->release) {
        prop->info->release(prop, &field);
    }
    return true;
}

/* Static properties become object properties backed by struct fields. */
static bool static_prop_get(Object *obj, ObjectProperty *op, PropValue *v,
                            Error **errp)
{
    const Property *prop = op->opaque;

    prop->info->get(prop, (char *)obj + prop->offset, v);
    return true;
}

static bool static_prop_set(Object *obj, ObjectProperty *op, const char *str,
                            Error **errp)
{
    const Property *prop = op->opaque;

    if (DEVICE(obj)->realized) {
        error_setg(errp, "Attempt to set property '%s' on device '%s' "
                   "after it was realized", prop->name,
                   object_get_typename(obj));
        return false;
    }
    return prop->info->parse(prop, (char *)obj + prop->offset, str, errp);
}

static void static_prop_release(Object *obj, ObjectProperty *op)
{
    const Property *prop = op->opaque;

    if (prop->info->release) {
        prop->info->release(prop, (char *)obj + prop->offset);
    }
}

static void device_add_static_props(Object *obj, Property *props)
{
    for (Property *p = props; p && p->name; p++) {
        ObjectProperty *op;

        if (object_property_find(obj, p->name)) {
            continue;
        }
        op = object_property_add(obj, p->name, p->info->name,
                                 static_prop_get, static_prop_set,
                                 static_prop_release, (void *)p);
        if (p->info->set_default) {
            p->info->set_default(p, (char *)obj + p->offset);
            op->default_str = g_strdup_printf("0x%" PRIx64, p->defval);
        }
    }
}

static void device_initfn(Object *obj)
{
    ObjectClass *klass = object_get_class(obj);

    /* Most derived class first, so subclasses can override a default. */
    for (; klass && object_class_dynamic_cast(klass, TYPE_DEVICE);
         klass = object_class_get_parent(klass)) {
        device_add_static_props(obj, ((DeviceClass *)klass)->props_);
    }
}

static void apply_globals(Object *obj, GPtrArray *props)
{
    for (guint i = 0; props && i < props->len; i++) {
        GlobalProperty *gp = g_ptr_array_index(props, i);
        Error *err = NULL;

        if (!object_dynamic_cast(obj, gp->driver) ||
            !object_property_find(obj, gp->property)) {
            continue;
        }
        gp->used = true;
        if (!object_property_parse(obj, gp->property, gp->value, &err)) {
            /* Checked at startup; a bad value is reported, not fatal here. */
            warn_report("can't apply global %s.%s=%s: %s", gp->driver,
                        gp->property, gp->value, error_get_pretty(err));
            error_free(err);
        }
    }
}

static void device_post_init(Object *obj)
{
    apply_globals(obj, compat_props);
    apply_globals(obj, global_props);
}

static void device_finalize(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    g_free(dev->id);
}

DeviceState *qdev_new(const char *name)
{
    return DEVICE(object_new(name));
}

void qdev_set_id(DeviceState *dev, const char *id)
{
    g_free(dev->id);
    dev->id = g_strdup(id);
}

DeviceState *qdev_find_by_id(const char *id)
{
    Object *obj = object_resolve_path_component(qdev_get_peripheral(), id);

    return obj ? (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE) : NULL;
}

const char *qdev_fw_name(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    return dc->fw_name ? dc->fw_name : object_get_typename(OBJECT(dev));
}

void qdev_set_parent_bus(DeviceState *dev, BusState *bus)
{
    if (dev->parent_bus) {
        g_queue_remove(&dev->parent_bus->children, dev);
        object_unref(OBJECT(dev));
    }
    dev->parent_bus = bus;
    if (bus) {
        object_ref(OBJECT(dev));
        g_queue_push_tail(&bus->children, dev);
    }
}

static void qdev_attach_to_tree(DeviceState *dev)
{
    g_autofree char *name = NULL;

    if (OBJECT(dev)->parent) {
        return;
    }
    if (dev->id) {
        object_property_add_child(qdev_get_peripheral(), dev->id, OBJECT(dev));
        return;
    }
    name = g_strdup_printf("device[%d]", unattached_count++);
    object_property_add_child(container_get(qdev_get_machine(),
                                            "/unattached"),
                              name, OBJECT(dev));
}

bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    Error *local_err = NULL;

    g_assert(!dev->realized);
    if (bus) {
        BusClass *bc = BUS_GET_CLASS(bus);

        if (bc->check_address && !bc->check_address(bus, dev, errp)) {
            return false;
        }
        qdev_set_parent_bus(dev, bus);
    }
    if (dc->realize) {
        dc->realize(dev, &local_err);
    }
    if (local_err) {
        error_propagate(errp, local_err);
        qdev_set_parent_bus(dev, NULL);
        return false;
    }
    dev->realized = true;
    for (GSList *l = dev->child_bus; l; l = l->next) {
        ((BusState *)l->data)->realized = true;
    }
    qdev_attach_to_tree(dev);
    if (dc->vmsd) {
        vmstate_register_auto(dc->vmsd, dev);
    }
    return true;
}

bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp)
{
    bool ok = qdev_realize(dev, bus, errp);

    object_unref(OBJECT(dev));
    return ok;
}

static void qbus_unrealize(BusState *bus)
{
    while (!g_queue_is_empty(&bus->children)) {
        qdev_unrealize(g_queue_peek_tail(&bus->children));
    }
    bus->realized = false;
}

void qdev_unrealize(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    object_ref(OBJECT(dev));
    for (GSList *l = dev->child_bus; l; l = l->next) {
        qbus_unrealize(l->data);
    }
    if (dev->realized && dc->vmsd) {
        vmstate_unregister(dc->vmsd, dev);
    }
    if (dev->realized && dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
    qdev_set_parent_bus(dev, NULL);
    object_unparent(OBJECT(dev));
    object_unref(OBJECT(dev));
}

void qdev_reset_all(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dc->reset) {
        dc->reset(dev);
    }
    for (GSList *l = dev->child_bus; l; l = l->next) {
        qbus_reset_all(l->data);
    }
}

void qbus_reset_all(BusState *bus)
{
    for (GList *l = bus->children.head; l; l = l->next) {
        qdev_reset_all(l->data);
    }
}

int qbus_walk_devices(BusState *bus, int (*fn)(DeviceState *dev, void *o),
                      void *opaque)
{
    for (GList *l = bus->children.head; l; l = l->next) {
        DeviceState *dev = l->data;
        int ret = fn(dev, opaque);

        if (ret) {
            return ret;
        }
        for (GSList *b = dev->child_bus; b; b = b->next) {
            ret = qbus_walk_devices(b->data, fn, opaque);
            if (ret) {
                return ret;
            }
        }
    }
    return 0;
}

/* Buses */

static GSList *all_buses;

BusState *qbus_new(const char *typename, DeviceState *parent,
                   const char *name)
{
    BusState *bus = BUS(object_new(typename));

    bus->parent = parent;
    bus->name = g_strdup(name);
    g_queue_init(&bus->children);
    if (parent) {
        parent->child_bus = g_slist_append(parent->child_bus, bus);
        object_property_add_child(OBJECT(parent), name, OBJECT(bus));
        object_unref(OBJECT(bus));
    }
    all_buses = g_slist_append(all_buses, bus);
    return bus;
}

static void bus_finalize(Object *obj)
{
    BusState *bus = BUS(obj);

    if (bus->parent) {
        bus->parent->child_bus = g_slist_remove(bus->parent->child_bus, bus);
    }
    all_buses = g_slist_remove(all_buses, bus);
    g_free(bus->name);
}

BusState *qbus_find_by_name(const char *name)
{
    for (GSList *l = all_buses; l; l = l->next) {
        BusState *bus = l->data;

        if (!strcmp(bus->name, name)) {
            return bus;
        }
    }
    return NULL;
}

BusState *qbus_find_default(const char *bus_type)
{
    for (GSList *l = all_buses; l; l = l->next) {
        if (object_dynamic_cast(l->data, bus_type)) {
            return l->data;
        }
    }
    return NULL;
}

BusState *sysbus_get_default(void)
{
    static BusState *main_system_bus;

    if (!main_system_bus) {
        main_system_bus = qbus_new(TYPE_SYSTEM_BUS, NULL, "main-system-bus");
        main_system_bus->realized = true;
        object_property_add_child(qdev_get_machine(), "sysbus",
                                  OBJECT(main_system_bus));
        object_unref(OBJECT(main_system_bus));
    }
    return main_system_bus;
}

/* Reset handlers run after the device tree is reset. */
typedef struct ResetEntry {
    QEMUResetHandler *func;
    void *opaque;
} ResetEntry;

static GList *reset_handlers;

void qemu_register_reset(QEMUResetHandler *func, void *opaque)
{
    ResetEntry *e = g_new0(ResetEntry, 1);

    e->func = func;
    e->opaque = opaque;
    reset_handlers = g_list_append(reset_handlers, e);
}

void qemu_unregister_reset(QEMUResetHandler *func, void *opaque)
{
    for (GList *l = reset_handlers; l; l = l->next) {
        ResetEntry *e = l->data;

        if (e->func == func && e->opaque == opaque) {
            reset_handlers = g_list_delete_link(reset_handlers, l);
            g_free(e);
            return;
        }
    }
}

void qemu_devices_reset(void)
{
    qbus_reset_all(sysbus_get_default());
    for (GList *l = reset_handlers; l; l = l->next) {
        ResetEntry *e = l->data;

        e->func(e->opaque);
    }
}

/* Only devices that declare themselves hotpluggable (PHBs) use this. */
static void system_bus_class_init(ObjectClass *klass, void *data)
{
    BUS_CLASS(klass)->hotplug_allowed = true;
}

static const TypeInfo qdev_types[] = {
    {
        .name = TYPE_DEVICE,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(DeviceState),
        .class_size = sizeof(DeviceClass),
        .abstract = true,
        .instance_init = device_initfn,
        .instance_post_init = device_post_init,
        .instance_finalize = device_finalize,
    },
    {
        .name = TYPE_BUS,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(BusState),
        .class_size = sizeof(BusClass),
        .abstract = true,
        .instance_finalize = bus_finalize,
    },
    {
        .name = TYPE_SYSTEM_BUS,
        .parent = TYPE_BUS,
        .class_init = system_bus_class_init,
    },
    {
        .name = TYPE_SYS_BUS_DEVICE,
        .parent = TYPE_DEVICE,
        .abstract = true,
        .class_init = NULL,
    },
};

DEFINE_TYPES(qdev_types)

void device_class_set_props(DeviceClass *dc, Property *props)
{
    dc->props_ = props;
}
