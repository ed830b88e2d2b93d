/*
 * Process-wide run state, and device creation shared by -device and QMP.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_SYSEMU_H
#define SYSEMU_SYSEMU_H


typedef enum RunState {
    RUN_STATE_PRELAUNCH,
    RUN_STATE_PAUSED,
    RUN_STATE_RUNNING,
    RUN_STATE_INMIGRATE,
    RUN_STATE_POSTMIGRATE,
    RUN_STATE_SHUTDOWN,
} RunState;

extern const char *qemu_name;
/* -uuid, lower case; NULL when none was given. */
extern const char *qemu_uuid;
/* -boot order= (or once=) and menu=: the device tree's /chosen. */
extern const char *qemu_boot_order;
extern bool qemu_boot_menu;

/* The one CPU model the device tree names (-cpu, query-cpu-definitions). */
#define QEMU_CPU_MODEL "POWER8"
/*
 * The -cpu models accepted, NULL-terminated: QEMU's POWER8 family (no
 * vCPU executes; the device tree names POWER8 cores whichever is given).
 */
extern const char *const qemu_cpu_models[];
#define QEMU_MAX_CPUS 1024

/* -smp, resolved as QEMU does; the device tree has one node per core. */
typedef struct QemuSmp {
    unsigned cpus, max_cpus, sockets, dies, clusters, cores, threads;
} QemuSmp;
extern QemuSmp qemu_smp;

/* -rtc (system/rtc.c) */
bool qemu_rtc_parse(const char *arg, Error **errp);
void qemu_rtc_start(void);
/* The guest's time of day, per -rtc base= and clock=. */
void qemu_get_timedate(struct tm *tm, long *nsec);

void qemu_init(int argc, char **argv);

/*
 * The command line options with keyval parameters, from the parser's own
 * table (query-command-line-options): params is "name:type,...", type one
 * of string, boolean, number, size.
 */
typedef void QemuCmdlineOptionFn(const char *option, const char *params,
                                 void *opaque);
void qemu_cmdline_options_foreach(QemuCmdlineOptionFn *fn, void *opaque);
int qemu_main_loop(void);

RunState runstate_get(void);
void runstate_set(RunState s);
/* fn(new state) runs after every runstate_set() (QMP STOP/RESUME events). */
void runstate_add_notifier(void (*fn)(RunState s));
const char *runstate_name(RunState s);
bool runstate_is_running(void);
void vm_start(void);
void vm_stop(RunState s);
/* Why the process ends (QEMU's ShutdownCause, the SHUTDOWN event reason). */
typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
} ShutdownCause;

void qemu_system_shutdown_request(ShutdownCause cause);
/* From the signal source: logs "terminating on signal N from pid P". */
void qemu_system_killed(int signal, pid_t pid);
bool qemu_shutdown_requested(void);
const char *shutdown_cause_name(ShutdownCause cause);
bool shutdown_caused_by_guest(ShutdownCause cause);
/* fn(cause) runs once when the main loop acts on a shutdown request. */
void qemu_add_shutdown_notifier(void (*fn)(ShutdownCause cause));
/*
 * Called by the main loop: reports the cause, runs the notifiers (the
 * SHUTDOWN event), and returns whether the process exits; with
 * -no-shutdown a guest-initiated shutdown only stops the machine.
 * Once it has returned true, later calls return true and do nothing.
 */
bool qemu_system_shutdown_act(void);
/* -no-shutdown */
void qemu_set_no_shutdown(bool on);
void qemu_system_reset(void);

#endif
