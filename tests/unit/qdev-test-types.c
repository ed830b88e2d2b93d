/*
 * What the qdev unit tests share (tests/unit/qdev-test-types.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include "qemu/option.h"
#include "hw/qdev-properties.h"
#include "hw/boards.h"
#include "sysemu/sysemu.h"
#include "qdev-test-types.h"

GString *qdev_events;

static void note(DeviceState *dev, const char *what)
{
    g_string_append_printf(qdev_events, "%s:%s;", what,
                           dev->id ? dev->id
                                   : object_get_typename(OBJECT(dev)));
}

static void test_dev_realize(DeviceState *dev, Error **errp)
{
    if (TEST_DEV(dev)->fail) {
        error_setg(errp, "%s refuses to realize", dev->id ? dev->id : "dev");
        return;
    }
    /* Realize runs with the parent bus already set. */
    g_assert_true(!DEVICE_GET_CLASS(dev)->bus_type || dev->parent_bus);
    note(dev, "realize");
}

static void test_dev_unrealize(DeviceState *dev)
{
    note(dev, "unrealize");
}

static void test_dev_reset(DeviceState *dev)
{
    note(dev, "reset");
}

static void test_dev_finalize(Object *obj)
{
    note(DEVICE(obj), "finalize");
}

Property test_dev_props[] = {
    DEFINE_PROP_BOOL("flag", TestDev, flag, true),
    DEFINE_PROP_UINT8("u8", TestDev, u8, 200),
    DEFINE_PROP_UINT16("u16", TestDev, u16, 0x1234),
    DEFINE_PROP_UINT32("u32", TestDev, u32, -1),
    DEFINE_PROP_INT32("i32", TestDev, i32, -5),
    DEFINE_PROP_UINT64("u64", TestDev, u64, 1ULL << 40),
    DEFINE_PROP_SIZE("sz", TestDev, sz, 4ULL << 30),
    DEFINE_PROP_STRING("str", TestDev, str),
    DEFINE_PROP_PCI_DEVFN("addr", TestDev, addr, -1),
    DEFINE_PROP_BOOL("fail", TestDev, fail, false),
    DEFINE_PROP_END_OF_LIST(),
};

/* The subclass overrides a default and adds a property. */
Property test_subdev_props[] = {
    DEFINE_PROP_UINT8("u8", TestDev, u8, 7),
    DEFINE_PROP_UINT8("extra", TestDev, extra, 0x42),
    DEFINE_PROP_END_OF_LIST(),
};

static void test_dev_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = test_dev_realize;
    dc->unrealize = test_dev_unrealize;
    dc->reset = test_dev_reset;
    dc->bus_type = TYPE_TEST_BUS;
    dc->user_creatable = true;
    dc->hotpluggable = true;
    device_class_set_props(dc, test_dev_props);
}

static void test_subdev_class_init(ObjectClass *oc, void *data)
{
    device_class_set_props(DEVICE_CLASS(oc), test_subdev_props);
}

/* A sysbus device with a child bus, like a host bridge. */
static void test_bridge_realize(DeviceState *dev, Error **errp)
{
    g_autofree char *name = g_strdup_printf("%s.bus", dev->id ? dev->id :
                                            "bridge");

    TEST_DEV(dev)->bus = qbus_new(TYPE_TEST_BUS, dev, name);
    note(dev, "realize");
}

static void test_bridge_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = test_bridge_realize;
    dc->bus_type = TYPE_SYSTEM_BUS;
    dc->hotpluggable = false;
    oc->desc = "a bridge for tests";
}

/* Not user creatable, not hotpluggable, no bus. */
static void test_fixed_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->user_creatable = false;
    dc->hotpluggable = false;
    dc->bus_type = NULL;
}

/* The bus refuses devices whose u16 is 0xdead. */
static bool test_bus_check_address(BusState *bus, DeviceState *dev,
                                   Error **errp)
{
    if (TEST_DEV(dev)->u16 == 0xdead) {
        error_setg(errp, "bus %s: address 0xdead is taken", bus->name);
        return false;
    }
    return true;
}

static void test_bus_class_init(ObjectClass *oc, void *data)
{
    BusClass *bc = BUS_CLASS(oc);

    bc->check_address = test_bus_check_address;
    bc->hotplug_allowed = GPOINTER_TO_INT(data);
}

static const TypeInfo test_qdev_types[] = {
    {
        .name = TYPE_TEST_DEV,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(TestDev),
        .class_init = test_dev_class_init,
        .instance_finalize = test_dev_finalize,
    },
    {
        .name = TYPE_TEST_SUBDEV,
        .parent = TYPE_TEST_DEV,
        .class_init = test_subdev_class_init,
    },
    /* Separate types for the -global tests: globals are process-wide. */
    {
        .name = TYPE_TEST_GDEV,
        .parent = TYPE_TEST_DEV,
    },
    {
        .name = TYPE_TEST_GSUBDEV,
        .parent = TYPE_TEST_GDEV,
    },
    {
        .name = TYPE_TEST_BRIDGE,
        .parent = TYPE_TEST_DEV,
        .class_init = test_bridge_class_init,
    },
    {
        .name = TYPE_TEST_FIXED,
        .parent = TYPE_TEST_DEV,
        .class_init = test_fixed_class_init,
    },
    {
        .name = TYPE_TEST_BUS,
        .parent = TYPE_BUS,
        .class_init = test_bus_class_init,
        .class_data = GINT_TO_POINTER(1),
    },
};

void qdev_test_types_register(void)
{
    qdev_events = g_string_new("");
    for (size_t i = 0; i < G_N_ELEMENTS(test_qdev_types); i++) {
        type_register_static(&test_qdev_types[i]);
    }
}
