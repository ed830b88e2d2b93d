/*
 * Run state, shutdown and reset requests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "sysemu/sysemu.h"
#include "sysemu/guest-call.h"

static RunState current_runstate = RUN_STATE_PRELAUNCH;
static ShutdownCause shutdown_requested;
static bool no_shutdown;
static int shutdown_signal;
static pid_t shutdown_pid;
static GList *state_change_cbs;
static GList *shutdown_cbs;
static bool shutdown_acted;      /* notifiers ran; the process exits */

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
    guest_call_drain();         /* a call in flight completes first */
    runstate_set(s);
}

void qemu_system_shutdown_request(ShutdownCause cause)
{
    shutdown_requested = cause;
}

/* A host signal ends the process even with -no-shutdown, as in QEMU. */
void qemu_system_killed(int signal, pid_t pid)
{
    shutdown_signal = signal;
    shutdown_pid = pid;
    no_shutdown = false;
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
}

bool qemu_shutdown_requested(void)
{
    return shutdown_requested != SHUTDOWN_CAUSE_NONE;
}

const char *shutdown_cause_name(ShutdownCause cause)
{
    static const char *const names[] = {
        [SHUTDOWN_CAUSE_NONE] = "none",
        [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
        [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
        [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
        [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
        [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
    };

    return names[cause];
}

bool shutdown_caused_by_guest(ShutdownCause cause)
{
    return cause >= SHUTDOWN_CAUSE_GUEST_SHUTDOWN;
}

void qemu_add_shutdown_notifier(void (*fn)(ShutdownCause cause))
{
    shutdown_cbs = g_list_append(shutdown_cbs, fn);
}

void qemu_set_no_shutdown(bool on)
{
    no_shutdown = on;
}

static void qemu_kill_report(void)
{
    g_autofree char *comm = NULL;
    g_autofree char *path = NULL;

    if (!shutdown_signal) {
        return;
    }
    if (!shutdown_pid) {
        error_report("terminating on signal %d", shutdown_signal);
        return;
    }
    path = g_strdup_printf("/proc/%d/cmdline", (int)shutdown_pid);
    if (!g_file_get_contents(path, &comm, NULL, NULL) || !*comm) {
        g_free(comm);
        comm = g_strdup("unknown");
    }
    error_report("terminating on signal %d from pid %d (%s)",
                 shutdown_signal, (int)shutdown_pid, comm);
}

bool qemu_system_shutdown_act(void)
{
    ShutdownCause cause = shutdown_requested;

    if (shutdown_acted) {
        return true;
    }
    qemu_kill_report();
    shutdown_signal = 0;
    for (GList *l = shutdown_cbs; l; l = l->next) {
        ((void (*)(ShutdownCause))l->data)(cause);
    }
    if (no_shutdown && shutdown_caused_by_guest(cause)) {
        shutdown_requested = SHUTDOWN_CAUSE_NONE;
        vm_stop(RUN_STATE_SHUTDOWN);
        return false;
    }
    shutdown_acted = true;
    return true;
}
