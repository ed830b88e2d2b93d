/*
 * qdev: realize/unrealize with its errors, buses and bridges, unattached
 * devices, machine reset and its handlers, and device creation from
 * options (-device, device_add, device_del, help).
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

static BusState *new_bridge(const char *id, TestDev **out)
{
    DeviceState *br = qdev_new(TYPE_TEST_BRIDGE);
    Error *err = NULL;

    qdev_set_id(br, id);
    g_assert_true(qdev_realize_and_unref(br, sysbus_get_default(), &err));
    *out = TEST_DEV(br);
    return TEST_DEV(br)->bus;
}

static DeviceState *plug(BusState *bus, const char *id, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_TEST_DEV);

    qdev_set_id(dev, id);
    if (!qdev_realize(dev, bus, errp)) {
        object_unref(OBJECT(dev));
        return NULL;
    }
    object_unref(OBJECT(dev));
    return dev;
}

static void test_realize(void)
{
    TestDev *br;
    BusState *bus = new_bridge("tbr0", &br);
    DeviceState *d1, *d2;
    g_autofree char *p1 = NULL;
    g_autofree char *pbus = NULL;
    Error *err = NULL;

    g_assert_true(DEVICE(br)->realized);
    g_assert_true(bus->realized);
    g_assert_true(bus->parent == DEVICE(br));
    g_assert_true(qbus_find_by_name("tbr0.bus") == bus);
    g_assert_null(qbus_find_by_name("tbr0.nope"));
    g_assert_true(qdev_find_by_id("tbr0") == DEVICE(br));
    pbus = object_get_canonical_path(OBJECT(bus));
    g_assert_cmpstr(pbus, ==, "/machine/peripheral/tbr0/tbr0.bus");

    g_string_truncate(qdev_events, 0);
    d1 = plug(bus, "td1", &err);
    d2 = plug(bus, "td2", &err);
    g_assert_nonnull(d1);
    g_assert_nonnull(d2);
    g_assert_cmpstr(qdev_events->str, ==, "realize:td1;realize:td2;");
    g_assert_true(d1->parent_bus == bus);
    g_assert_cmpuint(g_queue_get_length(&bus->children), ==, 2);
    p1 = object_get_canonical_path(OBJECT(d1));
    g_assert_cmpstr(p1, ==, "/machine/peripheral/td1");
    /* The tree and the bus each hold a reference. */
    g_assert_cmpuint(OBJECT(d1)->ref, ==, 2);

    /* Reset: the bridge, then its bus's devices in order. */
    g_string_truncate(qdev_events, 0);
    qdev_reset_all(DEVICE(br));
    g_assert_cmpstr(qdev_events->str, ==, "reset:tbr0;reset:td1;reset:td2;");

    /* Unrealizing the bridge unplugs its devices first, newest first. */
    g_string_truncate(qdev_events, 0);
    qdev_unrealize(DEVICE(br));
    g_assert_cmpstr(qdev_events->str, ==, "unrealize:td2;finalize:td2;"
                    "unrealize:td1;finalize:td1;unrealize:tbr0;"
                    "finalize:tbr0;");
    g_assert_null(qdev_find_by_id("tbr0"));
    g_assert_null(qdev_find_by_id("td1"));
    g_assert_null(qbus_find_by_name("tbr0.bus"));
}

static void test_realize_errors(void)
{
    TestDev *br;
    BusState *bus = new_bridge("tbr1", &br);
    DeviceState *dev = qdev_new(TYPE_TEST_DEV);
    Error *err = NULL;

    /* realize() fails: not realized, not on the bus, not in the tree. */
    qdev_set_id(dev, "tfail");
    g_assert_true(object_property_parse(OBJECT(dev), "fail", "on", NULL));
    g_string_truncate(qdev_events, 0);
    g_assert_false(qdev_realize(dev, bus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "tfail refuses to realize");
    g_clear_pointer(&err, error_free);
    g_assert_false(dev->realized);
    g_assert_null(dev->parent_bus);
    g_assert_null(OBJECT(dev)->parent);
    g_assert_true(g_queue_is_empty(&bus->children));
    g_assert_null(qdev_find_by_id("tfail"));
    g_assert_cmpuint(OBJECT(dev)->ref, ==, 1);
    g_assert_cmpstr(qdev_events->str, ==, "");

    /* The bus refuses the address: realize() is not even called. */
    g_assert_true(object_property_parse(OBJECT(dev), "fail", "off", NULL));
    g_assert_true(object_property_parse(OBJECT(dev), "u16", "0xdead", NULL));
    g_assert_false(qdev_realize(dev, bus, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "0xdead is taken"));
    g_clear_pointer(&err, error_free);
    g_assert_cmpstr(qdev_events->str, ==, "");
    g_assert_null(dev->parent_bus);

    /* Fixed, the same device realizes. */
    g_assert_true(object_property_parse(OBJECT(dev), "u16", "1", NULL));
    g_assert_true(qdev_realize_and_unref(dev, bus, &err));
    g_assert_cmpstr(qdev_events->str, ==, "realize:tfail;");
    g_assert_true(qdev_find_by_id("tfail") == dev);
    qdev_unrealize(DEVICE(br));
}

/* Devices without an id go to /machine/unattached/device[N]. */
static void test_unattached(void)
{
    DeviceState *a = qdev_new(TYPE_TEST_FIXED);
    DeviceState *b = qdev_new(TYPE_TEST_FIXED);
    g_autofree char *pa = NULL;
    g_autofree char *pb = NULL;
    int na, nb;

    g_assert_true(qdev_realize_and_unref(a, NULL, NULL));
    g_assert_true(qdev_realize_and_unref(b, NULL, NULL));
    pa = object_get_canonical_path(OBJECT(a));
    pb = object_get_canonical_path(OBJECT(b));
    g_assert_true(sscanf(pa, "/machine/unattached/device[%d]", &na) == 1);
    g_assert_true(sscanf(pb, "/machine/unattached/device[%d]", &nb) == 1);
    g_assert_cmpint(nb, ==, na + 1);
    g_assert_cmpstr(qdev_fw_name(a), ==, TYPE_TEST_FIXED);
    qdev_unrealize(a);
    qdev_unrealize(b);
}

static int reset_count;

static void reset_handler(void *opaque)
{
    g_string_append_printf(qdev_events, "handler:%s;", (char *)opaque);
    reset_count++;
}

/* Machine reset: the sysbus tree, then the handlers, in order. */
static void test_reset_handlers(void)
{
    TestDev *br;
    BusState *bus = new_bridge("tbr2", &br);

    plug(bus, "td3", NULL);
    qemu_register_reset(reset_handler, (char *)"a");
    qemu_register_reset(reset_handler, (char *)"b");
    g_string_truncate(qdev_events, 0);
    qemu_devices_reset();
    g_assert_true(g_str_has_suffix(qdev_events->str, "reset:tbr2;reset:td3;"
                                   "handler:a;handler:b;"));
    qemu_unregister_reset(reset_handler, (char *)"a");
    qemu_unregister_reset(reset_handler, (char *)"a");
    g_string_truncate(qdev_events, 0);
    qemu_devices_reset();
    g_assert_true(g_str_has_suffix(qdev_events->str, "handler:b;"));
    g_assert_null(strstr(qdev_events->str, "handler:a"));
    qemu_unregister_reset(reset_handler, (char *)"b");
    qdev_unrealize(DEVICE(br));
}

/* Options -> device (-device and device_add), and device_del. */
static void test_device_add(void)
{
    static const struct {
        const char *opts;
        const char *error;
    } bad[] = {
        { "id=x", "'driver' is missing" },
        { "test-qdev-nope", "'test-qdev-nope' is not a valid device model" },
        { "container", "is not a valid device model" },
        { "device", "can not be created by the user" },
        { "test-qdev-fixed", "can not be created by the user" },
        { "test-qdev-dev,id=9x", "must start with a letter" },
        { "test-qdev-dev,id=a/b", "invalid character '/'" },
        { "test-qdev-dev,id=tba", "Duplicate device ID 'tba'" },
        { "test-qdev-dev,bus=nope", "bus 'nope' not found" },
        { "test-qdev-dev,bus=main-system-bus", "is not of type" },
        { "test-qdev-bridge,id=tbc,bus=tba.bus", "is not of type" },
        { "test-qdev-dev,bus=tba.bus,nope=1", "has no property 'nope'" },
        { "test-qdev-dev,bus=tba.bus,u8=300", "u8" },
        { "test-qdev-dev,bus=tba.bus,fail=on", "refuses to realize" },
        { "test-qdev-dev,bus=tba.bus,u16=0xdead", "0xdead is taken" },
    };
    g_autoptr(GPtrArray) kv = keyval_parse("test-qdev-bridge,id=tba",
                                           "driver", NULL);
    Error *err = NULL;
    DeviceState *br = qdev_device_add(kv, false, &err), *dev;

    g_assert_nonnull(br);
    g_assert_true(br->parent_bus == sysbus_get_default());
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GPtrArray) o = keyval_parse(bad[i].opts, "driver", NULL);

        g_assert_null(qdev_device_add(o, false, &err));
        if (!err || !strstr(error_get_pretty(err), bad[i].error)) {
            g_error("'%s': '%s', expected '%s'", bad[i].opts,
                    err ? error_get_pretty(err) : "(no error)", bad[i].error);
        }
        g_clear_pointer(&err, error_free);
    }
    /* Nothing was left behind by the failures. */
    g_assert_true(g_queue_is_empty(&TEST_DEV(br)->bus->children));
    g_assert_null(qdev_find_by_id("tbc"));

    /* Properties from options; the default bus of the right type. */
    {
        g_autoptr(GPtrArray) o = keyval_parse(
            "test-qdev-subdev,id=tbd,u8=9,str=a,,b", "driver", NULL);

        dev = qdev_device_add(o, false, &err);
        g_assert_nonnull(dev);
        g_assert_true(dev->parent_bus == TEST_DEV(br)->bus);
        g_assert_cmpuint(TEST_DEV(dev)->u8, ==, 9);
        g_assert_cmpstr(TEST_DEV(dev)->str, ==, "a,b");
        g_assert_true(qdev_find_by_id("tbd") == dev);
    }
    /* Hotplug onto the bridge's bus; the bridge itself is not. */
    {
        g_autoptr(GPtrArray) o = keyval_parse("test-qdev-dev,id=tbe",
                                              "driver", NULL);
        g_autoptr(GPtrArray) o2 = keyval_parse("test-qdev-bridge,id=tbf",
                                               "driver", NULL);

        g_assert_nonnull(qdev_device_add(o, true, &err));
        g_assert_null(qdev_device_add(o2, true, &err));
        g_assert_nonnull(strstr(error_get_pretty(err),
                                "can not be hot-plugged"));
        g_clear_pointer(&err, error_free);
    }
    /* device_del */
    g_assert_false(qdev_device_del("tbx", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "'tbx' not found"));
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_device_del("tba", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "hotplugging"));
    g_clear_pointer(&err, error_free);
    g_string_truncate(qdev_events, 0);
    g_assert_true(qdev_device_del("tbe", &err));
    g_assert_cmpstr(qdev_events->str, ==, "unrealize:tbe;finalize:tbe;");
    g_assert_null(qdev_find_by_id("tbe"));
    /* The id can be used again. */
    {
        g_autoptr(GPtrArray) o = keyval_parse("test-qdev-dev,id=tbe",
                                              "driver", NULL);

        g_assert_nonnull(qdev_device_add(o, true, &err));
    }
    qdev_unrealize(br);
    g_assert_null(qdev_find_by_id("tbd"));
    g_assert_null(qdev_find_by_id("tbe"));
}

static void test_device_help(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    Error *err = NULL;

    qdev_device_help_list(out);
    g_assert_true(qdev_device_help_type(out, TYPE_TEST_DEV, NULL));
    g_assert_false(qdev_device_help_type(out, "no-such-type", &err));
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_DEVICE_NOT_FOUND);
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_device_help_type(out, TYPE_DEVICE, &err));
    g_clear_pointer(&err, error_free);
    g_assert_nonnull(strstr(out->str, "name \"test-qdev-bridge\", bus System, "
                            "desc \"a bridge for tests\"\n"));
    g_assert_nonnull(strstr(out->str, "name \"test-qdev-dev\", bus "
                            "test-qdev-bus\n"));
    g_assert_null(strstr(out->str, "name \"test-qdev-fixed\""));
    g_assert_nonnull(strstr(out->str, "test-qdev-dev options:\n"));
    g_assert_nonnull(strstr(out->str, "\n  flag=<bool>"));
}

int main(int argc, char **argv)
{
    qdev_test_types_register();
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qdev/realize/bus", test_realize);
    g_test_add_func("/qdev/realize/errors", test_realize_errors);
    g_test_add_func("/qdev/realize/unattached", test_unattached);
    g_test_add_func("/qdev/reset/handlers", test_reset_handlers);
    g_test_add_func("/qdev/options/device-add", test_device_add);
    g_test_add_func("/qdev/options/help", test_device_help);
    return g_test_run();
}
