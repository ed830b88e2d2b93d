/*
 * QMP migration commands, on the API of include/migration/migration.h:
 * migrate, migrate-incoming, migrate_cancel, query-migrate,
 * migrate-set-parameters, migrate-set-capabilities, migrate-pause and
 * migrate-recover (out of band), and the MIGRATION event.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "migration/migration.h"
#include "monitor-internal.h"

static JsonNode *qmp_migrate(JsonObject *args, Error **errp)
{
    if (qmp_arg_bool(args, "resume", false) ||
        qmp_arg_bool(args, "blk", false) ||
        qmp_arg_bool(args, "inc", false)) {
        error_setg(errp, "migrate: resume, blk and inc are not supported");
        return NULL;
    }
    if (!migration_start_outgoing(qmp_arg_str(args, "uri"), errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_migrate_incoming(JsonObject *args, Error **errp)
{
    if (!migration_start_incoming(qmp_arg_str(args, "uri"), errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_migrate_cancel(JsonObject *args, Error **errp)
{
    migration_cancel();
    return qmp_return_empty();
}

static JsonNode *qmp_query_migrate(JsonObject *args, Error **errp)
{
    JsonObject *o = json_object_new(), *ram;
    MigrationInfo info;

    migration_query(&info);
    if (info.status == MIGRATION_STATUS_NONE) {
        return qmp_node_object(o);
    }
    json_object_set_string_member(o, "status",
                                  migration_status_name(info.status));
    qmp_object_set_uint(o, "total-time", info.total_time_ms);
    if (info.status == MIGRATION_STATUS_COMPLETED) {
        qmp_object_set_uint(o, "downtime", info.downtime_ms);
    }
    ram = json_object_new();
    qmp_object_set_uint(ram, "transferred", info.ram_bytes);
    qmp_object_set_uint(ram, "remaining", info.ram_remaining);
    qmp_object_set_uint(ram, "total", info.ram_total);
    qmp_object_set_uint(ram, "total-transferred", info.total_bytes);
    qmp_object_set_uint(ram, "device-state", info.device_bytes);
    json_object_set_object_member(o, "ram", ram);
    if (info.error_desc) {
        json_object_set_string_member(o, "error-desc", info.error_desc);
    }
    return qmp_node_object(o);
}

static char *json_scalar_text(JsonNode *n)
{
    GType t = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_value_type(n)
                                       : G_TYPE_INVALID;

    if (t == G_TYPE_BOOLEAN) {
        return g_strdup(json_node_get_boolean(n) ? "on" : "off");
    }
    if (t == G_TYPE_INT64 || qmp_node_is_uint_tag(n)) {
        return qmp_node_number_text(n);
    }
    if (t == G_TYPE_STRING) {
        return g_strdup(json_node_get_string(n));
    }
    return NULL;
}

static bool set_parameter(const char *name, JsonNode *n, Error **errp)
{
    g_autofree char *value = json_scalar_text(n);

    if (!value) {
        error_setg(errp, "Invalid parameter type for '%s', expected: "
                   "boolean, integer or string", name);
        return false;
    }
    return migration_set_parameter(name, value, errp);
}

static JsonNode *qmp_migrate_set_parameters(JsonObject *args, Error **errp)
{
    GList *members = json_object_get_members(args);
    bool ok = true;

    for (GList *l = members; l && ok; l = l->next) {
        ok = set_parameter(l->data, json_object_get_member(args, l->data),
                           errp);
    }
    g_list_free(members);
    return ok ? qmp_return_empty() : NULL;
}

static bool set_capability(JsonNode *n, Error **errp)
{
    JsonObject *cap = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n)
                                                : NULL;
    JsonNode *name = cap ? json_object_get_member(cap, "capability") : NULL;
    JsonNode *state = cap ? json_object_get_member(cap, "state") : NULL;

    if (!name || !state || !JSON_NODE_HOLDS_VALUE(name) ||
        json_node_get_value_type(name) != G_TYPE_STRING ||
        !JSON_NODE_HOLDS_VALUE(state) ||
        json_node_get_value_type(state) != G_TYPE_BOOLEAN) {
        error_setg(errp, "Invalid parameter type for 'capabilities', "
                   "expected: [{\"capability\": string, \"state\": bool}]");
        return false;
    }
    return migration_set_capability(json_node_get_string(name),
                                    json_node_get_boolean(state), errp);
}

static void add_capability(const char *name, bool on, void *opaque)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "capability", name);
    json_object_set_boolean_member(o, "state", on);
    json_array_add_object_element(opaque, o);
}

static JsonNode *qmp_query_migrate_capabilities(JsonObject *args,
                                                Error **errp)
{
    JsonArray *arr = json_array_new();

    migration_capabilities_foreach(add_capability, arr);
    return qmp_node_array(arr);
}

/* The parameters this program has: bandwidth, and TLS as "" (none). */
static JsonNode *qmp_query_migrate_parameters(JsonObject *args, Error **errp)
{
    JsonObject *o = json_object_new();

    qmp_object_set_uint(o, "max-bandwidth", migration_max_bandwidth());
    json_object_set_string_member(o, "tls-creds", "");
    json_object_set_string_member(o, "tls-hostname", "");
    return qmp_node_object(o);
}

static JsonNode *qmp_migrate_continue(JsonObject *args, Error **errp)
{
    if (!migration_continue(qmp_arg_str(args, "state"), errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_migrate_set_capabilities(JsonObject *args, Error **errp)
{
    JsonNode *caps = json_object_get_member(args, "capabilities");
    JsonArray *arr;

    if (!JSON_NODE_HOLDS_ARRAY(caps)) {
        error_setg(errp, "Invalid parameter type for 'capabilities', "
                   "expected: array");
        return NULL;
    }
    arr = json_node_get_array(caps);
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        if (!set_capability(json_array_get_element(arr, i), errp)) {
            return NULL;
        }
    }
    return qmp_return_empty();
}

/* As QEMU: MIGRATION events only with the "events" capability on. */
static void qmp_migration_status_changed(MigrationStatus s)
{
    JsonObject *data;

    if (!migration_events_enabled()) {
        return;
    }
    data = json_object_new();
    json_object_set_string_member(data, "status", migration_status_name(s));
    qmp_event_emit("MIGRATION", data);
}

/*
 * QEMU pauses and recovers only a postcopy migration; postcopy is not
 * offered (no postcopy-ram capability), so no migration ever reaches the
 * states these two act in, and they answer as QEMU 7.2 does outside
 * them.  Both may run out of band ("DOC: QMP out-of-band execution").
 */
static JsonNode *qmp_migrate_pause(JsonObject *args, Error **errp)
{
    error_setg(errp, "migrate-pause is currently only supported during "
               "postcopy-active state");
    return NULL;
}

static JsonNode *qmp_migrate_recover(JsonObject *args, Error **errp)
{
    error_setg(errp, "Migrate recover can only be run when postcopy is "
               "paused.");
    return NULL;
}

static void qmp_migration_register(void)
{
    migration_add_status_notifier(qmp_migration_status_changed);
}

type_init(qmp_migration_register)

static const QmpCommandInfo qmp_migration_commands[] = {
    { "migrate", qmp_migrate,
      "uri:str,blk:bool?,inc:bool?,detach:bool?,resume:bool?" },
    { "migrate-incoming", qmp_migrate_incoming, "uri:str" },
    { "migrate_cancel", qmp_migrate_cancel },
    { "query-migrate", qmp_query_migrate, NULL, "MigrationInfo" },
    { "migrate-set-parameters", qmp_migrate_set_parameters, "*" },
    { "migrate-set-capabilities", qmp_migrate_set_capabilities,
      "capabilities:[MigrationCapabilityStatus]" },
    { "query-migrate-capabilities", qmp_query_migrate_capabilities, NULL,
      "[MigrationCapabilityStatus]" },
    { "query-migrate-parameters", qmp_query_migrate_parameters, NULL,
      "MigrationParameters" },
    { "migrate-continue", qmp_migrate_continue, "state:MigrationStatus" },
    { "migrate-pause", qmp_migrate_pause, .allow_oob = true },
    { "migrate-recover", qmp_migrate_recover, "uri:str", .allow_oob = true },
};

static const QmpSchemaTypeInfo qmp_migration_types[] = {
    { "MigrationInfo", .members = "status:MigrationStatus?,"
      "ram:MigrationStats?,total-time:int?,downtime:int?,error-desc:str?" },
    { "MigrationStats", .members = "transferred:int,remaining:int,"
      "total:int,total-transferred:int,device-state:int" },
    { "MigrationStatus", .values = "none,setup,cancelling,cancelled,active,"
      "postcopy-active,postcopy-paused,postcopy-recover,completed,failed,"
      "colo,pre-switchover,device,wait-unplug" },
    { "MigrationCapabilityStatus",
      .members = "capability:MigrationCapability,state:bool" },
    { "MigrationCapability",
      .values = "events,return-path,pause-before-switchover,compress" },
    { "MigrationParameters", .members = "max-bandwidth:size?,"
      "tls-creds:str?,tls-hostname:str?" },
};

static const QmpEventInfo qmp_migration_events[] = {
    { "MIGRATION", "status:MigrationStatus" },
};

QMP_COMMANDS(qmp_migration_commands)
QMP_SCHEMA_TYPES(qmp_migration_types)
QMP_EVENTS(qmp_migration_events)
