/*
 * The machine and its devices from the command line: -machine, -m,
 * -global, -device help and the first reset.  system/vl*.c parse the
 * options and call these (include/sysemu/machine-setup.h); they are here,
 * in hw/, because they reach into machine classes and qdev.  Every error
 * is a configuration error: a message naming the option, exit 1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/option.h"
#include "hw/boards.h"
#include "hw/qdev-properties.h"
#include "monitor/qdev.h"
#include "sysemu/machine-setup.h"
#include "sysemu/sysemu.h"

/* 16 TiB: the largest guest a pseries machine model is started with. */
#define MAX_RAM_SIZE (16ULL << 40)

static QEMU_NORETURN void die_err(Error *err)
{
    error_report_err(err);
    exit(1);
}

static bool is_help(const char *s)
{
    return s && (!strcmp(s, "help") || !strcmp(s, "?"));
}

void machine_setup_help(const char *machine_opts, GPtrArray *devices)
{
    Error *err = NULL;
    g_autoptr(GString) out = g_string_new(NULL);

    if (is_help(machine_opts)) {
        machine_print_list(stdout);
        exit(0);
    }
    for (guint i = 0; devices && i < devices->len; i++) {
        const char *d = g_ptr_array_index(devices, i);
        g_autofree char *driver = NULL;

        if (is_help(d)) {
            qdev_device_help_list(out);
            fputs(out->str, stdout);
            exit(0);
        }
        if (g_str_has_suffix(d, ",help") || g_str_has_suffix(d, ",?")) {
            driver = g_strndup(d, strcspn(d, ","));
            if (!qdev_device_help_type(out, driver, &err)) {
                error_prepend(&err, "-device %s: ", d);
                die_err(err);
            }
            fputs(out->str, stdout);
            exit(0);
        }
    }
}

void machine_setup_global(const char *optarg)
{
    const char *dot = strchr(optarg, '.');
    const char *eq = dot ? strchr(dot, '=') : NULL;
    GlobalProperty *gp;
    Error *err = NULL;

    if (!dot || !eq || dot == optarg || eq == dot + 1) {
        error_report("-global %s: expected DRIVER.PROPERTY=VALUE", optarg);
        exit(1);
    }
    gp = g_new0(GlobalProperty, 1);
    gp->driver = g_strndup(optarg, dot - optarg);
    gp->property = g_strndup(dot + 1, eq - dot - 1);
    gp->value = g_strdup(eq + 1);
    if (!qdev_global_prop_check_value(gp->driver, gp->property, gp->value,
                                      &err)) {
        die_err(err);
    }
    qdev_prop_register_global(gp);
}

static uint64_t parse_ram_size(const char *mem_opts, MachineClass *mc)
{
    Error *err = NULL;
    g_autoptr(GPtrArray) kv = NULL;
    const char *size;
    uint64_t sz;

    kv = keyval_parse(mem_opts, "size", &err);
    if (!kv) {
        error_prepend(&err, "-m %s: ", mem_opts);
        die_err(err);
    }
    for (guint i = 0; i < kv->len; i++) {
        KeyVal *e = g_ptr_array_index(kv, i);

        if (strcmp(e->key, "size") && strcmp(e->key, "slots") &&
            strcmp(e->key, "maxmem")) {
            error_report("-m: invalid parameter '%s' (size, slots, maxmem)",
                         e->key);
            exit(1);
        }
    }
    size = keyval_get(kv, "size");
    if (!size || !qemu_strtosz_MiB(size, &sz) || sz == 0) {
        error_report("-m %s: invalid RAM size", mem_opts);
        exit(1);
    }
    if (sz > MAX_RAM_SIZE ||
        (mc->ram_granule && sz % mc->ram_granule)) {
        error_report("-m %s: RAM size must be a multiple of %" PRIu64
                     " MiB and at most 16 TiB", mem_opts,
                     MAX(mc->ram_granule, 1) >> 20);
        exit(1);
    }
    /* Whole host pages, as QEMU rounds -m up. */
    return QEMU_ALIGN_UP(sz, (uint64_t)getpagesize());
}

static MachineState *machine_from_opts(const char *machine_opts)
{
    Error *err = NULL;
    g_autoptr(GPtrArray) kv = NULL;
    g_autofree char *type = NULL;
    MachineClass *mc;
    MachineState *ms;

    if (machine_opts) {
        kv = keyval_parse(machine_opts, "type", &err);
        if (!kv) {
            error_prepend(&err, "-machine %s: ", machine_opts);
            die_err(err);
        }
        type = keyval_take(kv, "type");
        g_free(keyval_take(kv, "accel"));
    }
    mc = machine_find_class(type);
    if (!mc) {
        error_report("-machine %s: unsupported machine type "
                     "(see -machine help)", type);
        exit(1);
    }
    qdev_set_compat_props(mc->compat_props);
    ms = MACHINE(object_new(object_class_get_name(OBJECT_CLASS(mc))));
    for (guint i = 0; kv && i < kv->len; i++) {
        KeyVal *e = g_ptr_array_index(kv, i);

        if (!object_property_find(OBJECT(ms), e->key)) {
            error_report("-machine %s: invalid machine property '%s'",
                         mc->name, e->key);
            exit(1);
        }
        if (!object_property_parse(OBJECT(ms), e->key, e->value, &err)) {
            error_prepend(&err, "-machine %s: ", mc->name);
            die_err(err);
        }
    }
    return ms;
}

void machine_setup_create(const char *machine_opts, const char *mem_opts,
                       const char *mem_path)
{
    MachineState *ms = machine_from_opts(machine_opts);
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    Error *err = NULL;

    if (mem_opts) {
        ms->ram_size = parse_ram_size(mem_opts, mc);
    }
    if (mem_path && ms->ram_memdev_id) {
        error_report("-mem-path and -machine memory-backend= are exclusive");
        exit(1);
    }
    ms->mem_path = g_strdup(mem_path);
    object_property_add_child(object_get_root(), "machine", OBJECT(ms));
    object_unref(OBJECT(ms));
    current_machine_set(ms);
    /* QEMU's containers exist from the start, devices or not (qom-list) */
    container_get(OBJECT(ms), "/peripheral");
    container_get(OBJECT(ms), "/peripheral-anon");
    container_get(OBJECT(ms), "/unattached");
    if (!machine_create_ram(ms, &err)) {
        die_err(err);
    }
    mc->init(ms, &err);
    if (err) {
        die_err(err);
    }
}

void machine_setup_done(void)
{
    MachineState *ms = current_machine_get();
    Error *err = NULL;

    qemu_system_reset();
    if (ms->dumpdtb && *ms->dumpdtb) {
        MachineClass *mc = MACHINE_GET_CLASS(ms);

        if (!mc->dumpdtb) {
            error_report("-machine dumpdtb: machine '%s' has no device tree",
                         mc->name);
            exit(1);
        }
        if (!mc->dumpdtb(ms, ms->dumpdtb, &err)) {
            die_err(err);
        }
        exit(0);
    }
}

