/*
 * Machines: a MachineClass per machine type (with its compat properties)
 * and the MachineState instance that owns guest RAM.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#include "exec/memory.h"
#include "hw/qdev-core.h"

#define TYPE_MACHINE "machine"
#define TYPE_MACHINE_SUFFIX "-machine"
#define TYPE_NONE_MACHINE "none" TYPE_MACHINE_SUFFIX
#define TYPE_MEMORY_BACKEND "memory-backend"
#define TYPE_MEMORY_BACKEND_RAM "memory-backend-ram"
#define TYPE_MEMORY_BACKEND_FILE "memory-backend-file"

OBJECT_DECLARE_TYPE(MachineState, MachineClass, MACHINE)
OBJECT_DECLARE_SIMPLE_TYPE(HostMemoryBackend, MEMORY_BACKEND)

struct MachineClass {
    ObjectClass parent_class;

    const char *name;
    const char *alias;
    const char *desc;
    bool is_default;
    uint64_t default_ram_size;
    uint64_t ram_granule;       /* -m must be a multiple of it (0: any) */
    /* The RAM region's name (QEMU's default memory backend id). */
    const char *default_ram_id;
    /* A machine that models no CPU at all, or one stub CPU in its tree. */
    int max_cpus;
    const char *default_cpu_type;
    bool numa_mem_supported;
    const char *deprecation_reason;
    GPtrArray *compat_props;    /* GlobalProperty, oldest machine last */
    void (*init)(MachineState *ms, Error **errp);
    void (*reset)(MachineState *ms);
    /* -machine dumpdtb=FILE: write the device tree the guest would get. */
    bool (*dumpdtb)(MachineState *ms, const char *path, Error **errp);
};

struct MachineState {
    Object parent_obj;

    uint64_t ram_size;
    uint64_t maxram_size;
    char *dumpdtb;
    char *ram_memdev_id;
    char *mem_path;             /* -mem-path */
    bool dump_guest_core;       /* false: RAM is MADV_DONTDUMP */
    MemoryRegion *ram;
    HostMemoryBackend *memdev;
};

struct HostMemoryBackend {
    Object parent_obj;

    uint64_t size;
    char *mem_path;
    bool share;
    bool prealloc;
    MemoryRegion mr;
    bool allocated;
};

void compat_props_add(GPtrArray *arr, const GlobalProperty *props,
                      size_t n);
MachineClass *machine_find_class(const char *name);
void machine_print_list(FILE *f);
/* Allocates RAM from the memory backend, -mem-path or anonymous memory. */
bool machine_create_ram(MachineState *ms, Error **errp);
MachineState *current_machine_get(void);
void current_machine_set(MachineState *ms);
/* RAM's backing page size (larger with hugepage-backed -mem-path). */
uint64_t machine_ram_pagesize(MachineState *ms);

#endif
