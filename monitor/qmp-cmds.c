/*
 * QMP commands of the process itself: capabilities, version, status,
 * stop/cont/quit/system_reset, and the STOP, RESUME, RESET and SHUTDOWN
 * events.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "sysemu/sysemu.h"
#include "migration/migration.h"
#include "monitor-internal.h"

static RunState last_runstate = RUN_STATE_PRELAUNCH;

/*
 * The dispatcher has checked "enable" (QMPCapability values) and turns
 * the session's capabilities on once this has succeeded: "oob" is
 * "DOC: QMP out-of-band execution".
 */
static JsonNode *qmp_qmp_capabilities(JsonObject *args, Error **errp)
{
    return qmp_return_empty();
}

static JsonNode *qmp_query_version(JsonObject *args, Error **errp)
{
    return qmp_node_object(qmp_version_object());
}

static JsonNode *qmp_query_status(JsonObject *args, Error **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "status", runstate_name(runstate_get()));
    json_object_set_boolean_member(o, "singlestep", false);
    json_object_set_boolean_member(o, "running", runstate_is_running());
    return qmp_node_object(o);
}

static JsonNode *qmp_query_commands(JsonObject *args, Error **errp)
{
    JsonArray *arr = json_array_new();
    GList *names = qmp_command_names();

    for (GList *l = names; l; l = l->next) {
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "name", l->data);
        json_array_add_object_element(arr, o);
    }
    g_list_free(names);
    return qmp_node_array(arr);
}

/*
 * While a migration comes in, stop and cont only decide whether the
 * machine runs once it has loaded, as QEMU's autostart.
 */
void monitor_vm_stop(void)
{
    if (runstate_get() == RUN_STATE_INMIGRATE) {
        migration_set_autostart(false);
    } else if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
}

void monitor_vm_cont(void)
{
    if (runstate_get() == RUN_STATE_INMIGRATE) {
        migration_set_autostart(true);
    } else if (!runstate_is_running()) {
        vm_start();
    }
}

static JsonNode *qmp_stop(JsonObject *args, Error **errp)
{
    monitor_vm_stop();
    return qmp_return_empty();
}

static JsonNode *qmp_cont(JsonObject *args, Error **errp)
{
    monitor_vm_cont();
    return qmp_return_empty();
}

/* The main loop reports every shutdown, whatever asked for it. */
static void shutdown_event(ShutdownCause cause)
{
    JsonObject *data = json_object_new();

    json_object_set_boolean_member(data, "guest",
                                   shutdown_caused_by_guest(cause));
    json_object_set_string_member(data, "reason", shutdown_cause_name(cause));
    qmp_event_emit("SHUTDOWN", data);
}

/*
 * QEMU 7.2 acts on the request before its reply goes out: the client
 * reads SHUTDOWN, then quit's return.  The main loop then only exits.
 */
static JsonNode *qmp_quit(JsonObject *args, Error **errp)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    qemu_system_shutdown_act();
    return qmp_return_empty();
}

static JsonNode *qmp_system_reset(JsonObject *args, Error **errp)
{
    JsonObject *data = json_object_new();

    qemu_system_reset();
    json_object_set_boolean_member(data, "guest", false);
    json_object_set_string_member(data, "reason", "host-qmp-system-reset");
    qmp_event_emit("RESET", data);
    return qmp_return_empty();
}

static void qmp_runstate_changed(RunState s)
{
    bool was_running = last_runstate == RUN_STATE_RUNNING;

    last_runstate = s;
    if (!was_running && s == RUN_STATE_RUNNING) {
        qmp_event_emit("RESUME", NULL);
    } else if (was_running && s != RUN_STATE_RUNNING) {
        qmp_event_emit("STOP", NULL);
    }
}

static void qmp_cmds_register(void)
{
    runstate_add_notifier(qmp_runstate_changed);
    qemu_add_shutdown_notifier(shutdown_event);
}

type_init(qmp_cmds_register)

static const QmpCommandInfo qmp_cmds[] = {
    { "qmp_capabilities", qmp_qmp_capabilities, "enable:[QMPCapability]?" },
    { "query-version", qmp_query_version, NULL, "VersionInfo" },
    { "query-status", qmp_query_status, NULL, "StatusInfo" },
    { "query-commands", qmp_query_commands, NULL, "[CommandInfo]" },
    { "stop", qmp_stop },
    { "cont", qmp_cont },
    { "quit", qmp_quit },
    { "system_reset", qmp_system_reset },
};

static const QmpSchemaTypeInfo qmp_cmds_types[] = {
    { "QMPCapability", .values = "oob" },
    { "VersionInfo", .members = "qemu:VersionTriple,package:str" },
    { "VersionTriple", .members = "major:int,minor:int,micro:int" },
    { "StatusInfo", .members = "running:bool,singlestep:bool,"
                               "status:RunState" },
    { "RunState", .values = "debug,inmigrate,internal-error,io-error,paused,"
                            "postmigrate,prelaunch,finish-migrate,"
                            "restore-vm,running,save-vm,shutdown,suspended,"
                            "watchdog,guest-panicked,colo" },
    { "CommandInfo", .members = "name:str" },
    { "ShutdownCause", .values = "none,host-error,host-qmp-quit,"
                                 "host-qmp-system-reset,host-signal,host-ui,"
                                 "guest-shutdown,guest-reset,guest-panic,"
                                 "subsystem-reset,snapshot-load" },
};

static const QmpEventInfo qmp_cmds_events[] = {
    { "SHUTDOWN", "guest:bool,reason:ShutdownCause" },
    { "RESET", "guest:bool,reason:ShutdownCause" },
    { "STOP" },
    { "RESUME" },
};

QMP_COMMANDS(qmp_cmds)
QMP_SCHEMA_TYPES(qmp_cmds_types)
QMP_EVENTS(qmp_cmds_events)
