/*
 * qdev: static properties (defaults, parsing, help), machine compat
 * properties and -global (and their order), realize/unrealize with its
 * errors, buses, reset, and device creation from options.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include "qemu/option.h"
#include "hw/qdev-properties.h"
#include "hw/boards.h"
#include "sysemu/sysemu.h"

#define TYPE_TEST_DEV "test-qdev-dev"
#define TYPE_TEST_SUBDEV "test-qdev-subdev"
#define TYPE_TEST_GDEV "test-qdev-gdev"
#define TYPE_TEST_GSUBDEV "test-qdev-gsubdev"
#define TYPE_TEST_BRIDGE "test-qdev-bridge"
#define TYPE_TEST_FIXED "test-qdev-fixed"
#define TYPE_TEST_BUS "test-qdev-bus"

typedef struct TestDev {
    DeviceState parent_obj;

    bool flag;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    int32_t i32;
    uint64_t u64;
    uint64_t sz;
    char *str;
    int32_t addr;
    bool fail;
    uint8_t extra;
    BusState *bus;              /* the bridge's child bus */
} TestDev;

#define TEST_DEV(obj) ((TestDev *)(obj))

static GString *events;

static void note(DeviceState *dev, const char *what)
{
    g_string_append_printf(events, "%s:%s;", what,
                           dev->id ? dev->id : object_get_typename(OBJECT(dev)));
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

static Property test_dev_props[] = {
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
static Property test_subdev_props[] = {
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

DEFINE_TYPES(test_qdev_types)

static char *print(DeviceState *dev, const char *name)
{
    Error *err = NULL;
    char *s = object_property_print(OBJECT(dev), name, &err);

    g_assert_null(err);
    return s;
}

static void assert_print(DeviceState *dev, const char *name, const char *v)
{
    g_autofree char *s = print(dev, name);

    if (strcmp(s, v)) {
        g_error("%s.%s prints '%s', expected '%s'",
                object_get_typename(OBJECT(dev)), name, s, v);
    }
}

static void test_defaults(void)
{
    DeviceState *dev = qdev_new(TYPE_TEST_DEV);
    TestDev *t = TEST_DEV(dev);

    g_assert_true(t->flag);
    g_assert_cmpuint(t->u8, ==, 200);
    g_assert_cmphex(t->u16, ==, 0x1234);
    g_assert_cmphex(t->u32, ==, 0xffffffff);
    g_assert_cmpint(t->i32, ==, -5);
    g_assert_cmpuint(t->u64, ==, 1ULL << 40);
    g_assert_cmpuint(t->sz, ==, 4ULL << 30);
    g_assert_null(t->str);
    g_assert_cmpint(t->addr, ==, -1);
    g_assert_false(dev->realized);

    assert_print(dev, "flag", "true");
    assert_print(dev, "u8", "200");
    assert_print(dev, "u16", "4660");
    assert_print(dev, "u32", "4294967295");
    assert_print(dev, "i32", "-5");
    assert_print(dev, "u64", "1099511627776");
    assert_print(dev, "sz", "4294967296");
    assert_print(dev, "str", "");
    assert_print(dev, "addr", "-1");
    g_assert_cmpstr(object_property_find(OBJECT(dev), "u8")->type, ==,
                    "uint8");
    g_assert_cmpstr(object_property_find(OBJECT(dev), "sz")->type, ==, "size");
    g_assert_cmpstr(object_property_find(OBJECT(dev), "str")->type, ==, "str");
    g_assert_cmpstr(object_property_find(OBJECT(dev), "u16")->default_str, ==,
                    "0x1234");
    g_assert_null(object_property_find(OBJECT(dev), "str")->default_str);
    object_unref(OBJECT(dev));
}

typedef struct PropCase {
    const char *name, *value;
    const char *printed;        /* NULL: the parse must fail */
} PropCase;

static const PropCase prop_cases[] = {
    { "flag", "off", "false" }, { "flag", "yes", "true" },
    { "flag", "1", NULL }, { "flag", "", NULL },
    { "u8", "0", "0" }, { "u8", "255", "255" }, { "u8", "0xff", "255" },
    { "u8", "256", NULL }, { "u8", "-1", NULL }, { "u8", "1K", NULL },
    { "u16", "65535", "65535" }, { "u16", "0x10000", NULL },
    { "u32", "4294967295", "4294967295" }, { "u32", "4294967296", NULL },
    { "i32", "-2147483648", "-2147483648" },
    { "i32", "2147483647", "2147483647" }, { "i32", "0x10", "16" },
    { "i32", "-0x10", "-16" },
    { "i32", "2147483648", NULL }, { "i32", "-2147483649", NULL },
    { "i32", "1x", NULL }, { "i32", "", NULL },
    { "u64", "18446744073709551615", "18446744073709551615" },
    { "u64", "18446744073709551616", NULL }, { "u64", "1G", NULL },
    { "sz", "1G", "1073741824" }, { "sz", "0x1000", "4096" },
    { "sz", "512", "512" }, { "sz", "1Q", NULL }, { "sz", "16E", NULL },
    { "str", "hello, world", "hello, world" }, { "str", "", "" },
    { "addr", "0", "0" }, { "addr", "3", "24" }, { "addr", "3.2", "26" },
    { "addr", "1f.7", "255" }, { "addr", "1F", "248" },
    { "addr", "20", NULL }, { "addr", "3.8", NULL }, { "addr", "zz", NULL },
    { "addr", "", NULL }, { "addr", "3.", NULL }, { "addr", ".1", NULL },
    { "addr", "3.1.1", NULL }, { "addr", "-1", NULL },
    { "addr", " 3", NULL }, { "addr", "+3", NULL }, { "addr", "3.+1", NULL },
    { "addr", "0x3", "24" }, { "addr", "03.01", "25" },      /* as libvirt */
};

static void test_parse(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(prop_cases); i++) {
        const PropCase *c = &prop_cases[i];
        DeviceState *dev = qdev_new(TYPE_TEST_DEV);
        g_autofree char *before = print(dev, c->name);
        Error *err = NULL;
        bool ok = object_property_parse(OBJECT(dev), c->name, c->value, &err);

        if (c->printed) {
            if (!ok) {
                g_error("%s=%s: %s", c->name, c->value,
                        error_get_pretty(err));
            }
            assert_print(dev, c->name, c->printed);
        } else {
            if (ok) {
                g_autofree char *now = print(dev, c->name);

                g_error("%s=%s accepted as %s", c->name, c->value, now);
            }
            /* The error names the property; the value did not change. */
            g_assert_nonnull(strstr(error_get_pretty(err), c->name));
            error_free(err);
            assert_print(dev, c->name, before);
        }
        object_unref(OBJECT(dev));
    }
}

static void test_subclass_props(void)
{
    DeviceState *dev = qdev_new(TYPE_TEST_SUBDEV);

    /* The subclass's default wins; inherited ones stay. */
    g_assert_cmpuint(TEST_DEV(dev)->u8, ==, 7);
    g_assert_cmpuint(TEST_DEV(dev)->extra, ==, 0x42);
    g_assert_cmphex(TEST_DEV(dev)->u16, ==, 0x1234);
    g_assert_true(qdev_class_find_prop(DEVICE_GET_CLASS(dev), "u8") ==
                  &test_subdev_props[0]);
    g_assert_true(qdev_class_find_prop(DEVICE_GET_CLASS(dev), "u16") ==
                  &test_dev_props[2]);
    g_assert_null(qdev_class_find_prop(DEVICE_GET_CLASS(dev), "nope"));
    object_unref(OBJECT(dev));
}

static char *help_text(const char *type)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    qdev_print_props(f, DEVICE_CLASS(object_class_by_name(type)));
    fclose(f);
    return buf;
}

static void test_help(void)
{
    g_autofree char *dev = help_text(TYPE_TEST_DEV);
    g_autofree char *sub = help_text(TYPE_TEST_SUBDEV);
    g_autofree char *g = help_text(TYPE_TEST_GDEV);

    g_assert_cmpstr(dev, ==,
                    "  flag=<bool> (default: on)\n"
                    "  u8=<uint8> (default: 0xc8)\n"
                    "  u16=<uint16> (default: 0x1234)\n"
                    "  u32=<uint32> (default: unset)\n"
                    "  i32=<int32> (default: -5)\n"
                    "  u64=<uint64> (default: 0x10000000000)\n"
                    "  sz=<size> (default: 0x100000000)\n"
                    "  str=<str>\n"
                    "  addr=<int32> (default: -1)\n"
                    "  fail=<bool> (default: off)\n");
    /* A subclass lists its own table, then its parent's. */
    g_assert_true(g_str_has_prefix(sub, "  u8=<uint8> (default: 0x7)\n"
                                   "  extra=<uint8> (default: 0x42)\n"
                                   "  flag=<bool> (default: on)\n"));
    /* An inherited table is listed once. */
    g_assert_cmpstr(g, ==, dev);
}

static void test_set_after_realize(void)
{
    DeviceState *dev = qdev_new(TYPE_TEST_FIXED);
    Error *err = NULL;

    g_assert_true(object_property_parse(OBJECT(dev), "u8", "1", NULL));
    g_assert_true(qdev_realize(dev, NULL, &err));
    g_assert_false(object_property_parse(OBJECT(dev), "u8", "2", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "after it was realized"));
    error_free(err);
    g_assert_cmpuint(TEST_DEV(dev)->u8, ==, 1);
    /* Reading still works. */
    assert_print(dev, "u8", "1");
    qdev_unrealize(dev);
    object_unref(OBJECT(dev));
}

/*
 * Machine compat properties first, then -global, both before the
 * caller's own properties; a global for a type applies to its subtypes.
 */
static void test_globals(void)
{
    static GlobalProperty compat[] = {
        { TYPE_TEST_GDEV, "u8", "1" },
        { TYPE_TEST_GDEV, "u16", "2" },
        { TYPE_TEST_GSUBDEV, "u32", "3" },
        { TYPE_TEST_GDEV, "i32", "4" },
        { TYPE_TEST_GDEV, "nosuch", "5" },      /* ignored: no such prop */
    };
    static GlobalProperty globals[] = {
        { TYPE_TEST_GDEV, "u8", "10" },
        { TYPE_TEST_GDEV, "u64", "20" },
        { TYPE_TEST_GDEV, "u64", "21" },        /* the later one wins */
        { TYPE_TEST_GSUBDEV, "i32", "-40" },
        { TYPE_TEST_GDEV, "str", "global" },
    };
    g_autoptr(GPtrArray) arr = g_ptr_array_new();
    DeviceState *g, *sub, *plain;

    compat_props_add(arr, compat, G_N_ELEMENTS(compat));
    qdev_set_compat_props(arr);
    for (size_t i = 0; i < G_N_ELEMENTS(globals); i++) {
        qdev_prop_register_global(&globals[i]);
    }

    g = qdev_new(TYPE_TEST_GDEV);
    sub = qdev_new(TYPE_TEST_GSUBDEV);
    plain = qdev_new(TYPE_TEST_DEV);
    g_assert_cmpuint(TEST_DEV(g)->u8, ==, 10);
    g_assert_cmpuint(TEST_DEV(g)->u16, ==, 2);
    g_assert_cmphex(TEST_DEV(g)->u32, ==, 0xffffffff);
    g_assert_cmpint(TEST_DEV(g)->i32, ==, 4);
    g_assert_cmpuint(TEST_DEV(g)->u64, ==, 21);
    g_assert_cmpstr(TEST_DEV(g)->str, ==, "global");

    g_assert_cmpuint(TEST_DEV(sub)->u8, ==, 10);
    g_assert_cmpuint(TEST_DEV(sub)->u32, ==, 3);
    g_assert_cmpint(TEST_DEV(sub)->i32, ==, -40);
    /* The parent type is untouched. */
    g_assert_cmpuint(TEST_DEV(plain)->u8, ==, 200);
    g_assert_cmpuint(TEST_DEV(plain)->u64, ==, 1ULL << 40);

    /* The caller's properties come last. */
    g_assert_true(object_property_parse(OBJECT(g), "u8", "99", NULL));
    g_assert_cmpuint(TEST_DEV(g)->u8, ==, 99);

    g_assert_true(globals[0].used);
    g_assert_true(globals[3].used);
    g_assert_true(compat[0].used);
    g_assert_false(compat[4].used);
    object_unref(OBJECT(g));
    object_unref(OBJECT(sub));
    object_unref(OBJECT(plain));
    qdev_set_compat_props(NULL);

    /* Without the compat list, only the globals apply. */
    g = qdev_new(TYPE_TEST_GDEV);
    g_assert_cmpuint(TEST_DEV(g)->u8, ==, 10);
    g_assert_cmpuint(TEST_DEV(g)->u16, ==, 0x1234);
    object_unref(OBJECT(g));
}

/* A bad global value reaching a device is a warning, not fatal. */
static void test_global_bad_value(void)
{
    if (g_test_subprocess()) {
        static GlobalProperty bad = { TYPE_TEST_GSUBDEV, "flag", "maybe" };
        DeviceState *dev;

        qdev_prop_register_global(&bad);
        dev = qdev_new(TYPE_TEST_GSUBDEV);
        g_assert_true(TEST_DEV(dev)->flag);
        object_unref(OBJECT(dev));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: can't apply global "
                              "test-qdev-gsubdev.flag=maybe*");
}

static void test_global_check(void)
{
    Error *err = NULL;

    g_assert_true(qdev_global_prop_check(TYPE_TEST_DEV, "u8", NULL));
    /* Properties of parent classes count. */
    g_assert_true(qdev_global_prop_check(TYPE_TEST_SUBDEV, "u16", NULL));
    g_assert_true(qdev_global_prop_check("pci-device", "addr", NULL));
    g_assert_false(qdev_global_prop_check(TYPE_TEST_DEV, "extra", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "no property 'extra'"));
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_global_prop_check("test-qdev-nope", "u8", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "not a device type"));
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_global_prop_check(TYPE_CONTAINER, "u8", &err));
    g_clear_pointer(&err, error_free);

    g_assert_true(qdev_global_prop_check_value(TYPE_TEST_DEV, "u8", "255",
                                               NULL));
    g_assert_true(qdev_global_prop_check_value(TYPE_TEST_DEV, "str", "x",
                                               NULL));
    g_assert_true(qdev_global_prop_check_value("pci-device", "addr", "3.1",
                                               NULL));
    g_assert_false(qdev_global_prop_check_value(TYPE_TEST_DEV, "u8", "256",
                                                &err));
    g_assert_nonnull(strstr(error_get_pretty(err),
                            "-global test-qdev-dev.u8=256: "));
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_global_prop_check_value(TYPE_TEST_DEV, "nope", "1",
                                                &err));
    g_clear_pointer(&err, error_free);
    g_assert_false(qdev_global_prop_check_value("nope", "u8", "1", &err));
    g_clear_pointer(&err, error_free);
}

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

    g_string_truncate(events, 0);
    d1 = plug(bus, "td1", &err);
    d2 = plug(bus, "td2", &err);
    g_assert_nonnull(d1);
    g_assert_nonnull(d2);
    g_assert_cmpstr(events->str, ==, "realize:td1;realize:td2;");
    g_assert_true(d1->parent_bus == bus);
    g_assert_cmpuint(g_queue_get_length(&bus->children), ==, 2);
    p1 = object_get_canonical_path(OBJECT(d1));
    g_assert_cmpstr(p1, ==, "/machine/peripheral/td1");
    /* The tree and the bus each hold a reference. */
    g_assert_cmpuint(OBJECT(d1)->ref, ==, 2);

    /* Reset: the bridge, then its bus's devices in order. */
    g_string_truncate(events, 0);
    qdev_reset_all(DEVICE(br));
    g_assert_cmpstr(events->str, ==, "reset:tbr0;reset:td1;reset:td2;");

    /* Unrealizing the bridge unplugs its devices first, newest first. */
    g_string_truncate(events, 0);
    qdev_unrealize(DEVICE(br));
    g_assert_cmpstr(events->str, ==, "unrealize:td2;finalize:td2;"
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
    g_string_truncate(events, 0);
    g_assert_false(qdev_realize(dev, bus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "tfail refuses to realize");
    g_clear_pointer(&err, error_free);
    g_assert_false(dev->realized);
    g_assert_null(dev->parent_bus);
    g_assert_null(OBJECT(dev)->parent);
    g_assert_true(g_queue_is_empty(&bus->children));
    g_assert_null(qdev_find_by_id("tfail"));
    g_assert_cmpuint(OBJECT(dev)->ref, ==, 1);
    g_assert_cmpstr(events->str, ==, "");

    /* The bus refuses the address: realize() is not even called. */
    g_assert_true(object_property_parse(OBJECT(dev), "fail", "off", NULL));
    g_assert_true(object_property_parse(OBJECT(dev), "u16", "0xdead", NULL));
    g_assert_false(qdev_realize(dev, bus, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "0xdead is taken"));
    g_clear_pointer(&err, error_free);
    g_assert_cmpstr(events->str, ==, "");
    g_assert_null(dev->parent_bus);

    /* Fixed, the same device realizes. */
    g_assert_true(object_property_parse(OBJECT(dev), "u16", "1", NULL));
    g_assert_true(qdev_realize_and_unref(dev, bus, &err));
    g_assert_cmpstr(events->str, ==, "realize:tfail;");
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
    g_string_append_printf(events, "handler:%s;", (char *)opaque);
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
    g_string_truncate(events, 0);
    qemu_devices_reset();
    g_assert_true(g_str_has_suffix(events->str, "reset:tbr2;reset:td3;"
                                   "handler:a;handler:b;"));
    qemu_unregister_reset(reset_handler, (char *)"a");
    qemu_unregister_reset(reset_handler, (char *)"a");
    g_string_truncate(events, 0);
    qemu_devices_reset();
    g_assert_true(g_str_has_suffix(events->str, "handler:b;"));
    g_assert_null(strstr(events->str, "handler:a"));
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
    g_string_truncate(events, 0);
    g_assert_true(qdev_device_del("tbe", &err));
    g_assert_cmpstr(events->str, ==, "unrealize:tbe;finalize:tbe;");
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
    events = g_string_new("");
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qdev/props/defaults", test_defaults);
    g_test_add_func("/qdev/props/parse", test_parse);
    g_test_add_func("/qdev/props/subclass", test_subclass_props);
    g_test_add_func("/qdev/props/help", test_help);
    g_test_add_func("/qdev/props/set-after-realize", test_set_after_realize);
    g_test_add_func("/qdev/globals/order", test_globals);
    g_test_add_func("/qdev/globals/bad-value", test_global_bad_value);
    g_test_add_func("/qdev/globals/check", test_global_check);
    g_test_add_func("/qdev/realize/bus", test_realize);
    g_test_add_func("/qdev/realize/errors", test_realize_errors);
    g_test_add_func("/qdev/realize/unattached", test_unattached);
    g_test_add_func("/qdev/reset/handlers", test_reset_handlers);
    g_test_add_func("/qdev/options/device-add", test_device_add);
    g_test_add_func("/qdev/options/help", test_device_help);
    return g_test_run();
}
