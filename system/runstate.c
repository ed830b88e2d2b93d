/*
 * Run state, shutdown and reset requests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "sysemu/sysemu.h"

static RunState current_runstate = RUN_STATE_PRELAUNCH;
static bool shutdown_requested;
static GList *state_change_cbs;

RunState runstate_get(void)
{
    return current_runstate;
}

const char *runstate_name(RunState s)
{
    static const char *const names[] = {
        [RUN_STATE_PRELAUNCH] = "prelaunch",
        [RUN_STATE_PAUSED] = "paused",
        [RUN_STATE_RUNNING] = "running",
        [RUN_STATE_INMIGRATE] = "inmigrate",
        [RUN_STATE_POSTMIGRATE] = "postmigrate",
        [RUN_STATE_SHUTDOWN] = "shutdown",
    };

    return names[s];
}

void runstate_add_notifier(void (*fn)(RunState s))
{
    state_change_cbs = g_list_append(state_change_cbs, fn);
}

void runstate_set(RunState s)
{
    current_runstate = s;
    for (GList *l = state_change_cbs; l; l = l->next) {
        ((void (*)(RunState))l->data)(s);
    }
}

bool runstate_is_running(void)
{
    return current_runstate == RUN_STATE_RUNNING;
}

void vm_start(void)
{
    runstate_set(RUN_STATE_RUNNING);
}

void vm_stop(RunState s)
{
    runstate_set(s);
}

void qemu_system_shutdown_request(void)
{
    shutdown_requested = true;
}

bool qemu_shutdown_requested(void)
{
    return shutdown_requested;
}

void qemu_system_reset(void)
{
    MachineState *ms = current_machine_get();
    MachineClass *mc = ms ? MACHINE_GET_CLASS(ms) : NULL;

    if (mc && mc->reset) {
        mc->reset(ms);
    } else {
        qemu_devices_reset();
    }
}
