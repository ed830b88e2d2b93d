/*
 * qdev: static properties (defaults, parsing, help, set after realize),
 * machine compat properties and -global (and their order).  Realize,
 * buses, reset and device creation from options are test-qdev-realize.c.
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

int main(int argc, char **argv)
{
    qdev_test_types_register();
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qdev/props/defaults", test_defaults);
    g_test_add_func("/qdev/props/parse", test_parse);
    g_test_add_func("/qdev/props/subclass", test_subclass_props);
    g_test_add_func("/qdev/props/help", test_help);
    g_test_add_func("/qdev/props/set-after-realize", test_set_after_realize);
    g_test_add_func("/qdev/globals/order", test_globals);
    g_test_add_func("/qdev/globals/bad-value", test_global_bad_value);
    g_test_add_func("/qdev/globals/check", test_global_check);
    return g_test_run();
}
