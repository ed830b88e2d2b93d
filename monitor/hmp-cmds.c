/*
 * Human monitor commands that mirror QMP ones: stop, cont, system_reset,
 * quit, device_del, info status, info version.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
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
    hmp_printf(out, "7.2.50\n");
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
    hmp_register_info("status", "show the machine's run state",
                      hmp_info_status);
    hmp_register_info("version", "show the version", hmp_info_version);
}

type_init(hmp_cmds_register)
