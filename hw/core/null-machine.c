/*
 * The "none" machine: no devices, and RAM at address 0 only when -m asks
 * for it.  Management tools (libvirt's capability probe) and QEMU's own
 * qtests start it to ask questions about the program rather than a guest.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/boards.h"

static void machine_none_init(MachineState *ms, Error **errp)
{
    if (ms->ram) {
        memory_region_add_subregion(get_system_memory(), 0, ms->ram);
    }
}

static void machine_none_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->name = "none";
    mc->desc = "empty machine";
    mc->init = machine_none_init;
    mc->default_ram_size = 0;
    mc->default_ram_id = "ram";
    mc->max_cpus = 1;
    mc->compat_props = g_ptr_array_new();
}

static const TypeInfo machine_none_types[] = {
    {
        .name = TYPE_NONE_MACHINE,
        .parent = TYPE_MACHINE,
        .class_init = machine_none_class_init,
    },
};

DEFINE_TYPES(machine_none_types)
