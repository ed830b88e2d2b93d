/*
 * QMP queries a management tool asks of any emulator (libvirt's probe and
 * start-up), answered truthfully for a machine without vCPUs: query-target,
 * query-kvm, query-cpu-definitions, query-uuid, query-name,
 * query-command-line-options, query-chardev, query-hotpluggable-cpus,
 * query-cpus-fast, query-iothreads, query-named-block-nodes, query-block,
 * and system_powerdown with its POWERDOWN event.
 *
 * DOC: CPU-less answers
 *
 * No vCPU exists, so the CPU and thread lists are empty; there is no
 * block layer, so the block lists are empty; KVM is never present.  The
 * one CPU model offered is the one the device tree names (POWER8).
 * system_powerdown asks the guest to power off, as QEMU's pseries does
 * with an EPOW event: the guest (a qtest client) decides, e.g. with RTAS
 * power-off; until then the machine keeps running.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "sysemu/sysemu.h"
#include "hw/boards.h"
#include "monitor-internal.h"

static JsonNode *qmp_query_target(JsonObject *args, Error **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "arch", "ppc64");
    return qmp_node_object(o);
}

static JsonNode *qmp_query_kvm(JsonObject *args, Error **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_boolean_member(o, "enabled", false);
    json_object_set_boolean_member(o, "present", false);
    return qmp_node_object(o);
}

static JsonNode *qmp_query_cpu_definitions(JsonObject *args, Error **errp)
{
    JsonArray *arr = json_array_new();

    for (int i = 0; qemu_cpu_models[i]; i++) {
        JsonObject *o = json_object_new();
        g_autofree char *type = g_strdup_printf("%s-powerpc64-cpu",
                                                qemu_cpu_models[i]);

        json_object_set_string_member(o, "name", qemu_cpu_models[i]);
        json_object_set_string_member(o, "typename", type);
        json_object_set_boolean_member(o, "static", false);
        json_object_set_boolean_member(o, "migration-safe", true);
        json_object_set_boolean_member(o, "deprecated", false);
        json_object_set_array_member(o, "unavailable-features",
                                     json_array_new());
        json_array_add_object_element(arr, o);
    }
    return qmp_node_array(arr);
}

static JsonNode *qmp_query_uuid(JsonObject *args, Error **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "UUID", qemu_uuid ? qemu_uuid :
                                  "00000000-0000-0000-0000-000000000000");
    return qmp_node_object(o);
}

static JsonNode *qmp_query_name(JsonObject *args, Error **errp)
{
    JsonObject *o = json_object_new();

    if (qemu_name) {
        json_object_set_string_member(o, "name", qemu_name);
    }
    return qmp_node_object(o);
}

typedef struct CmdlineQuery {
    const char *option;
    JsonArray *out;
} CmdlineQuery;

static void add_cmdline_option(const char *option, const char *params,
                               void *opaque)
{
    CmdlineQuery *q = opaque;
    g_auto(GStrv) list = g_strsplit(params, ",", -1);
    JsonObject *o;
    JsonArray *ps;

    if (q->option && strcmp(q->option, option)) {
        return;
    }
    o = json_object_new();
    ps = json_array_new();
    for (int i = 0; list[i]; i++) {
        JsonObject *p = json_object_new();
        const char *colon = strchr(list[i], ':');
        g_autofree char *name = colon ? g_strndup(list[i], colon - list[i])
                                      : g_strdup(list[i]);

        json_object_set_string_member(p, "name", name);
        json_object_set_string_member(p, "type", colon ? colon + 1
                                                       : "string");
        json_array_add_object_element(ps, p);
    }
    json_object_set_string_member(o, "option", option);
    json_object_set_array_member(o, "parameters", ps);
    json_array_add_object_element(q->out, o);
}

/* From the command line parser's own table (system/vl.c). */
static JsonNode *qmp_query_command_line_options(JsonObject *args,
                                                Error **errp)
{
    CmdlineQuery q = { qmp_arg_str(args, "option"), json_array_new() };

    qemu_cmdline_options_foreach(add_cmdline_option, &q);
    if (q.option && !json_array_get_length(q.out)) {
        json_array_unref(q.out);
        error_setg(errp, "Invalid parameter '%s'", q.option);
        return NULL;
    }
    return qmp_node_array(q.out);
}

static void add_chardev(const char *label, const char *filename,
                        bool connected, void *opaque)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "label", label);
    json_object_set_string_member(o, "filename", filename);
    json_object_set_boolean_member(o, "frontend-open", connected);
    json_array_add_object_element(opaque, o);
}

static JsonNode *qmp_query_chardev(JsonObject *args, Error **errp)
{
    JsonArray *arr = json_array_new();

    qemu_chr_foreach(add_chardev, arr);
    return qmp_node_array(arr);
}

/* No vCPU, no I/O thread, no block layer: the lists are empty. */
static JsonNode *qmp_empty_list(JsonObject *args, Error **errp)
{
    return qmp_node_array(json_array_new());
}

/*
 * QEMU refuses this on a machine without hot-pluggable CPUs (none); a
 * pseries machine lists its CPU slots, none here: no vCPU exists.
 */
static JsonNode *qmp_query_hotpluggable_cpus(JsonObject *args, Error **errp)
{
    MachineState *ms = current_machine_get();

    if (!ms || !MACHINE_GET_CLASS(ms)->default_cpu_type) {
        error_setg(errp, "machine does not support hot-plugging CPUs");
        return NULL;
    }
    return qmp_empty_list(args, errp);
}

static JsonNode *qmp_system_powerdown(JsonObject *args, Error **errp)
{
    qmp_event_emit("POWERDOWN", NULL);
    return qmp_return_empty();
}

static const QmpCommandInfo qmp_system_commands[] = {
    { "query-target", qmp_query_target, NULL, "TargetInfo" },
    { "query-kvm", qmp_query_kvm, NULL, "KvmInfo" },
    { "query-cpu-definitions", qmp_query_cpu_definitions, NULL,
      "[CpuDefinitionInfo]" },
    { "query-uuid", qmp_query_uuid, NULL, "UuidInfo" },
    { "query-name", qmp_query_name, NULL, "NameInfo" },
    { "query-command-line-options", qmp_query_command_line_options,
      "option:str?", "[CommandLineOptionInfo]" },
    { "query-chardev", qmp_query_chardev, NULL, "[ChardevInfo]" },
    { "query-hotpluggable-cpus", qmp_query_hotpluggable_cpus, NULL,
      "[HotpluggableCPU]" },
    { "query-cpus-fast", qmp_empty_list, NULL, "[CpuInfoFast]" },
    { "query-iothreads", qmp_empty_list, NULL, "[IOThreadInfo]" },
    { "query-named-block-nodes", qmp_empty_list, "flat:bool?",
      "[BlockDeviceInfo]" },
    { "query-block", qmp_empty_list, NULL, "[BlockInfo]" },
    { "system_powerdown", qmp_system_powerdown },
};

static const QmpSchemaTypeInfo qmp_system_types[] = {
    { "TargetInfo", .members = "arch:SysEmuTarget" },
    { "SysEmuTarget", .values = "ppc64" },
    { "KvmInfo", .members = "enabled:bool,present:bool" },
    { "CpuDefinitionInfo", .members = "name:str,migration-safe:bool?,"
      "static:bool,unavailable-features:[str]?,typename:str,"
      "alias-of:str?,deprecated:bool" },
    { "UuidInfo", .members = "UUID:str" },
    { "NameInfo", .members = "name:str?" },
    { "CommandLineOptionInfo", .members = "option:str,"
      "parameters:[CommandLineParameterInfo]" },
    { "CommandLineParameterInfo", .members = "name:str,"
      "type:CommandLineParameterType,help:str?,default:str?" },
    { "CommandLineParameterType", .values = "string,boolean,number,size" },
    { "ChardevInfo", .members = "label:str,filename:str,frontend-open:bool" },
    { "HotpluggableCPU", .members = "type:str,vcpus-count:int,"
      "qom-path:str?" },
    { "CpuInfoFast", .members = "cpu-index:int,qom-path:str,thread-id:int,"
      "target:SysEmuTarget" },
    { "IOThreadInfo", .members = "id:str,thread-id:int" },
    { "BlockDeviceInfo", .members = "node-name:str,drv:str,ro:bool" },
    { "BlockInfo", .members = "device:str,locked:bool,removable:bool,"
      "type:str" },
};

static const QmpEventInfo qmp_system_events[] = {
    { "POWERDOWN" },
};

QMP_COMMANDS(qmp_system_commands)
QMP_SCHEMA_TYPES(qmp_system_types)
QMP_EVENTS(qmp_system_events)
