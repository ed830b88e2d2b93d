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
#include "monitor/qdev.h"
#include "sysemu/machine-setup.h"
#include "qom/object.h"
#include "sysemu/accel.h"
#include "sysemu/qtest.h"
#include "sysemu/sysemu.h"
#include "vl-internal.h"
#include "vl-hooks.h"
#include "migration/migration.h"
#include "sysemu/guest-call.h"

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

void vl_check_accel(const char *accel, const char *machine_opts)
{
    g_autoptr(GPtrArray) kv = machine_opts ?
        keyval_parse(machine_opts, "type", NULL) : NULL;
    Error *err = NULL;

    /* a malformed -machine is reported by machine_setup_create() */
    if (!accel_check(accel, keyval_get(kv, "accel"), &err)) {
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
    guest_call_abandon();
    qemu_chr_close_all();
    qemu_log_close();
    return 0;
}
