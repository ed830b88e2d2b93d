/*
 * query-machines: every machine type, from its MachineClass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "monitor/qmp.h"

static void machine_info(ObjectClass *klass, void *opaque)
{
    MachineClass *mc = MACHINE_CLASS(klass);
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "name", mc->name);
    if (mc->alias) {
        json_object_set_string_member(o, "alias", mc->alias);
    }
    if (mc->is_default) {
        json_object_set_boolean_member(o, "is-default", true);
    }
    json_object_set_int_member(o, "cpu-max", mc->max_cpus);
    /* No vCPU is emulated: none can be hot-plugged. */
    json_object_set_boolean_member(o, "hotpluggable-cpus", false);
    json_object_set_boolean_member(o, "numa-mem-supported",
                                   mc->numa_mem_supported);
    json_object_set_boolean_member(o, "deprecated", !!mc->deprecation_reason);
    if (mc->default_cpu_type) {
        json_object_set_string_member(o, "default-cpu-type",
                                      mc->default_cpu_type);
    }
    if (mc->default_ram_id) {
        json_object_set_string_member(o, "default-ram-id",
                                      mc->default_ram_id);
    }
    json_array_add_object_element(opaque, o);
}

static JsonNode *qmp_query_machines(JsonObject *args, Error **errp)
{
    JsonArray *arr = json_array_new();

    object_class_foreach(machine_info, TYPE_MACHINE, false, arr);
    return qmp_node_array(arr);
}

static const QmpCommandInfo machine_qmp_commands[] = {
    { "query-machines", qmp_query_machines, NULL, "[MachineInfo]" },
};

static const QmpSchemaTypeInfo machine_qmp_types[] = {
    { "MachineInfo", .members = "name:str,alias:str?,is-default:bool?,"
      "cpu-max:int,hotpluggable-cpus:bool,numa-mem-supported:bool,"
      "deprecated:bool,default-cpu-type:str?,default-ram-id:str?" },
};

QMP_COMMANDS(machine_qmp_commands)
QMP_SCHEMA_TYPES(machine_qmp_types)
