/*
 * "info qtree": buses and the devices on them, with their properties,
 * from the main system bus down, as QEMU's monitor prints them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/qdev-core.h"
#include "monitor/hmp.h"

static void qtree_print_bus(GString *out, BusState *bus, int indent);

static void qtree_print_prop(GString *out, Object *obj, ObjectProperty *prop,
                             int indent)
{
    PropValue v;
    g_autofree char *s = NULL;

    if (!prop->get || g_str_has_prefix(prop->type, "child<") ||
        g_str_has_prefix(prop->type, "link<") ||
        !object_property_get(obj, prop->name, &v, NULL)) {
        return;
    }
    s = prop_value_to_string(&v);
    if (v.kind == PROP_KIND_UINT) {
        hmp_printf(out, "%*s%s = %s (0x%" PRIx64 ")\n", indent, "",
                   prop->name, s, v.u);
    } else if (v.kind == PROP_KIND_STR) {
        hmp_printf(out, "%*s%s = \"%s\"\n", indent, "", prop->name, s);
    } else {
        hmp_printf(out, "%*s%s = %s\n", indent, "", prop->name, s);
    }
    prop_value_clear(&v);
}

static void qtree_print_dev(GString *out, DeviceState *dev, int indent)
{
    Object *obj = OBJECT(dev);
    BusClass *bc = dev->parent_bus ? BUS_GET_CLASS(dev->parent_bus) : NULL;

    hmp_printf(out, "%*sdev: %s, id \"%s\"\n", indent, "",
               object_get_typename(obj), dev->id ? dev->id : "");
    for (guint i = 0; i < obj->prop_order->len; i++) {
        qtree_print_prop(out, obj, g_ptr_array_index(obj->prop_order, i),
                         indent + 2);
    }
    if (bc && bc->get_dev_path) {
        g_autofree char *path = bc->get_dev_path(dev);

        hmp_printf(out, "%*sbus address %s\n", indent + 2, "", path);
    }
    for (GSList *l = dev->child_bus; l; l = l->next) {
        qtree_print_bus(out, l->data, indent + 2);
    }
}

static void qtree_print_bus(GString *out, BusState *bus, int indent)
{
    hmp_printf(out, "%*sbus: %s\n", indent, "", bus->name);
    hmp_printf(out, "%*stype %s\n", indent + 2, "",
               object_get_typename(OBJECT(bus)));
    for (GList *l = bus->children.head; l; l = l->next) {
        qtree_print_dev(out, l->data, indent + 2);
    }
}

static void hmp_info_qtree(GString *out)
{
    qtree_print_bus(out, sysbus_get_default(), 0);
}

static void qdev_info_register(void)
{
    hmp_register_info("qtree", "show the device tree", hmp_info_qtree);
}

type_init(qdev_info_register)
