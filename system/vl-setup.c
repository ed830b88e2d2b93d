/*
 * Start-up steps: logging, help, objects, machine, devices, servers, and
 * the main loop.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "trace/control.h"
#include "hw/boards.h"
#include "sysemu/accel.h"
#include "sysemu/qtest.h"
#include "sysemu/sysemu.h"
#include "vl-internal.h"
#include "vl-hooks.h"
#include "migration/migration.h"

/* 16 TiB: the largest guest a pseries machine model is started with. */
#define MAX_RAM_SIZE (16ULL << 40)

static QEMU_NORETURN void die_err(Error *err)
{
    error_report_err(err);
    exit(1);
}

void vl_setup_logging(const char *logfile, const char *items,
                      GPtrArray *traces)
{
    Error *err = NULL;

    if (logfile && !qemu_set_log_filename(logfile, &err)) {
        error_prepend(&err, "-D: ");
        die_err(err);
    }
    if (items && !qemu_set_log_items(items, &err)) {
        die_err(err);
    }
    for (guint i = 0; traces && i < traces->len; i++) {
        const char *t = g_ptr_array_index(traces, i);

        if (!strcmp(t, "help")) {
            trace_list_events(stdout);
            exit(0);
        }
        if (!trace_opt_parse(t, &err)) {
            die_err(err);
        }
    }
}

static bool is_help(const char *s)
{
    return s && (!strcmp(s, "help") || !strcmp(s, "?"));
}

void vl_handle_help(const char *machine_opts, GPtrArray *devices)
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

void vl_check_accel(const char *accel, const char *machine_opts,
                    bool qtest)
{
    g_autoptr(GPtrArray) kv = machine_opts ?
        keyval_parse(machine_opts, "type", NULL) : NULL;
    Error *err = NULL;

    /* a malformed -machine is reported by vl_create_machine() */
    if (!accel_select(accel, keyval_get(kv, "accel"), qtest, &err)) {
        die_err(err);
    }
}

void vl_create_objects(GPtrArray *objects)
{
    for (guint i = 0; objects && i < objects->len; i++) {
        const char *spec = g_ptr_array_index(objects, i);
        Error *err = NULL;
        g_autoptr(GPtrArray) kv = spec[0] == '{' ?
            keyval_parse_json(spec, &err) :
            keyval_parse(spec, "qom-type", &err);
        g_autofree char *type = NULL;
        g_autofree char *id = NULL;
        g_autoptr(GHashTable) props = NULL;

        if (!kv) {
            error_prepend(&err, "-object %s: ", spec);
            die_err(err);
        }
        type = keyval_take(kv, "qom-type");
        id = keyval_take(kv, "id");
        props = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint j = 0; j < kv->len; j++) {
            KeyVal *e = g_ptr_array_index(kv, j);

            g_hash_table_insert(props, e->key, e->value);
        }
        if (!type) {
            error_report("-object %s: parameter 'qom-type' is missing", spec);
            exit(1);
        }
        if (!user_creatable_add(type, id, props, &err)) {
            die_err(err);
        }
    }
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

void vl_create_machine(const char *machine_opts, const char *mem_opts,
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

void vl_create_devices(GPtrArray *devices)
{
    for (guint i = 0; devices && i < devices->len; i++) {
        const char *spec = g_ptr_array_index(devices, i);
        Error *err = NULL;
        g_autoptr(GPtrArray) kv = spec[0] == '{' ?
            keyval_parse_json(spec, &err) : keyval_parse(spec, "driver", &err);

        if (!kv || !qdev_device_add(kv, false, &err)) {
            error_prepend(&err, "-device %s: ", spec);
            die_err(err);
        }
    }
}

void vl_machine_done(void)
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

static void quit_on_qtest_close(void)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
}

void vl_start_servers(const char *qtest_spec, const char *qtest_log,
                      GPtrArray *chardevs, GPtrArray *monitors,
                      GPtrArray *qmp)
{
    Error *err = NULL;

    if (qtest_spec) {
        qemu_clock_set_virtual(true);
        /*
         * -qtest stdio ends at EOF (our qtests rely on it); a socket
         * client may leave and another come, as with QEMU (libvirt).
         */
        if (!strcmp(qtest_spec, "stdio")) {
            qtest_set_close_cb(quit_on_qtest_close);
        }
        if (!qtest_server_init(qtest_spec, qtest_log, &err)) {
            die_err(err);
        }
    } else {
        qemu_clock_set_virtual(false);
    }
    qemu_rtc_start();
    if (!vl_hook_monitors(chardevs, monitors, qmp, &err)) {
        die_err(err);
    }
}

void vl_start(bool paused, const char *incoming)
{
    Error *err = NULL;

    if (incoming) {
        migration_set_autostart(!paused);
        if (!vl_hook_incoming(incoming, &err)) {
            die_err(err);
        }
        return;
    }
    if (paused) {
        runstate_set(RUN_STATE_PRELAUNCH);
    } else {
        vm_start();
    }
}

static gboolean wake_main_loop(gpointer opaque)
{
    *(guint *)opaque = 0;
    return G_SOURCE_REMOVE;
}

static bool main_loop_should_exit(void)
{
    return qemu_shutdown_requested() && qemu_system_shutdown_act();
}

int vl_main_loop(void)
{
    while (!main_loop_should_exit()) {
        guint timer_src = 0;
        int64_t deadline = qemu_clock_is_virtual() ? -1 :
                           qemu_clock_deadline_ns();

        /* Without qtest the virtual clock follows the host: wake for it. */
        if (deadline >= 0) {
            timer_src = g_timeout_add(MIN(deadline / SCALE_MS + 1, 1000),
                                      wake_main_loop, &timer_src);
        }
        g_main_context_iteration(NULL, true);
        if (timer_src) {
            g_source_remove(timer_src);
        }
        if (!qemu_clock_is_virtual()) {
            qemu_clock_run_due();
        }
    }
    qemu_chr_close_all();
    qemu_log_close();
    return 0;
}
