/*
 * Human monitor commands that mirror QMP ones: stop, cont, system_reset,
 * quit, device_del, info status, info version.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include "qemu/version.h"
#include "qemu/option.h"
#include "sysemu/sysemu.h"
#include "monitor/hmp.h"
#include "monitor-internal.h"

static void hmp_stop(const char *args, GString *out)
{
    monitor_vm_stop();
}

static void hmp_cont(const char *args, GString *out)
{
    monitor_vm_cont();
}

static void hmp_system_reset(const char *args, GString *out)
{
    qemu_system_reset();
}

static void hmp_quit(const char *args, GString *out)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void hmp_device_del(const char *args, GString *out)
{
    Error *err = NULL;

    if (!monitor_device_del(args, &err)) {
        hmp_printf(out, "Error: %s\n", error_get_pretty(err));
        error_free(err);
    }
}

/* HMP passes "TYPE,help" quoted when the type name has commas. */
static char *hmp_unquote(const char *args)
{
    size_t n = strlen(args);

    if (n >= 2 && args[0] == '"' && args[n - 1] == '"') {
        return g_strndup(args + 1, n - 2);
    }
    return g_strdup(args);
}

static bool hmp_device_help(const char *spec, GString *out, Error **errp)
{
    g_autoptr(GString) text = g_string_new(NULL);
    g_autofree char *driver = NULL;

    if (!strcmp(spec, "help") || !strcmp(spec, "?")) {
        qdev_device_help_list(text);
    } else {
        driver = g_strndup(spec, strcspn(spec, ","));
        if (!qdev_device_help_type(text, driver, errp)) {
            return false;
        }
    }
    hmp_printf(out, "%s", text->str);
    return true;
}

static void hmp_device_add(const char *args, GString *out)
{
    g_autofree char *spec = hmp_unquote(args);
    g_autoptr(GPtrArray) kv = NULL;
    Error *err = NULL;

    if (!strcmp(spec, "help") || !strcmp(spec, "?") ||
        g_str_has_suffix(spec, ",help") || g_str_has_suffix(spec, ",?")) {
        hmp_device_help(spec, out, &err);
    } else if ((kv = keyval_parse(spec, "driver", &err))) {
        DeviceState *dev = qdev_device_add(kv, true, &err);

        if (dev) {
            monitor_device_added(dev);
        }
    }
    if (err) {
        hmp_printf(out, "Error: %s\n", error_get_pretty(err));
        error_free(err);
    }
}

static void hmp_info_status(GString *out)
{
    RunState s = runstate_get();

    if (s == RUN_STATE_RUNNING) {
        hmp_printf(out, "VM status: running\n");
    } else if (s == RUN_STATE_PAUSED) {
        hmp_printf(out, "VM status: paused\n");
    } else {
        hmp_printf(out, "VM status: paused (%s)\n", runstate_name(s));
    }
}

static void hmp_info_version(GString *out)
{
    hmp_printf(out, "%s\n", QEMU_VERSION);
}

static void hmp_cmds_register(void)
{
    hmp_register_command("stop", "stop the machine", hmp_stop);
    hmp_register_command("cont", "resume the machine", hmp_cont);
    hmp_register_command("system_reset", "reset the machine",
                         hmp_system_reset);
    hmp_register_command("quit", "quit the emulator", hmp_quit);
    hmp_register_command("device_del", "device_del ID: remove a device",
                         hmp_device_del);
    hmp_register_command("device_add", "device_add DRIVER[,prop=value][,...]"
                         ": add a device (device_add help, TYPE,help)",
                         hmp_device_add);
    hmp_register_info("status", "show the machine's run state",
                      hmp_info_status);
    hmp_register_info("version", "show the version", hmp_info_version);
}

type_init(hmp_cmds_register)
