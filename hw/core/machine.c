/*
 * The abstract machine, memory backends, and RAM creation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include "hw/boards.h"
#include "sysemu/sysemu.h"
#include "sysemu/guest-call.h"

static MachineState *current_machine;

MachineState *current_machine_get(void)
{
    return current_machine;
}

void current_machine_set(MachineState *ms)
{
    current_machine = ms;
}

void compat_props_add(GPtrArray *arr, const GlobalProperty *props, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        g_ptr_array_add(arr, (void *)&props[i]);
    }
}

static void machine_find_one(ObjectClass *klass, void *opaque)
{
    void **state = opaque;
    MachineClass *mc = (MachineClass *)klass;
    const char *name = state[0];

    if (!strcmp(mc->name, name) || (mc->alias && !strcmp(mc->alias, name))) {
        state[1] = mc;
    }
}

MachineClass *machine_find_class(const char *name)
{
    void *state[2] = { (void *)name, NULL };

    if (!name) {
        GSList *list = object_class_get_list(TYPE_MACHINE, false);

        for (GSList *l = list; l; l = l->next) {
            if (((MachineClass *)l->data)->is_default) {
                state[1] = l->data;
            }
        }
        g_slist_free(list);
        return state[1];
    }
    object_class_foreach(machine_find_one, TYPE_MACHINE, false, state);
    return state[1];
}

static void machine_print_one(ObjectClass *klass, void *opaque)
{
    MachineClass *mc = (MachineClass *)klass;
    FILE *f = opaque;

    if (mc->alias) {
        fprintf(f, "%-20s %s (alias of %s)\n", mc->alias, mc->desc, mc->name);
    }
    fprintf(f, "%-20s %s%s\n", mc->name, mc->desc,
            mc->is_default ? " (default)" : "");
}

void machine_print_list(FILE *f)
{
    fprintf(f, "Supported machines are:\n");
    object_class_foreach(machine_print_one, TYPE_MACHINE, false, f);
}

uint64_t machine_ram_pagesize(MachineState *ms)
{
    return ms->ram ? ms->ram->ram_page_size : (uint64_t)getpagesize();
}

/* dump-guest-core=off keeps guest RAM out of our core dumps. */
static void machine_apply_dump_guest_core(MachineState *ms)
{
    void *ram = ms->ram ? memory_region_get_ram_ptr(ms->ram) : NULL;

    if (ram && !ms->dump_guest_core &&
        madvise(ram, ms->ram_size, MADV_DONTDUMP) < 0) {
        warn_report("dump-guest-core=off: madvise: %s", g_strerror(errno));
    }
}

bool machine_create_ram(MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);

    if (ms->ram_memdev_id) {
        Object *obj = object_resolve_path_component(object_get_objects_root(),
                                                    ms->ram_memdev_id);
        HostMemoryBackend *be = obj ? (HostMemoryBackend *)
            object_dynamic_cast(obj, TYPE_MEMORY_BACKEND) : NULL;

        if (!be) {
            error_setg(errp, "-machine memory-backend=%s: no memory backend "
                       "object with that id", ms->ram_memdev_id);
            return false;
        }
        if (be->size != ms->ram_size) {
            error_setg(errp, "-machine memory-backend=%s: backend size %"
                       PRIu64 " does not match -m %" PRIu64,
                       ms->ram_memdev_id, be->size, ms->ram_size);
            return false;
        }
        object_ref(obj);
        ms->memdev = be;
        ms->ram = &be->mr;
        machine_apply_dump_guest_core(ms);
        return true;
    }
    if (!ms->ram_size) {
        return true;            /* -machine none without -m: no RAM at all */
    }
    ms->ram = g_new0(MemoryRegion, 1);
    if (!(ms->mem_path ?
          memory_region_init_ram_from_file(ms->ram, OBJECT(ms),
                                           mc->default_ram_id, ms->ram_size,
                                           ms->mem_path, false, errp) :
          memory_region_init_ram(ms->ram, OBJECT(ms), mc->default_ram_id,
                                 ms->ram_size, errp))) {
        return false;
    }
    machine_apply_dump_guest_core(ms);
    return true;
}

static char *machine_get_dumpdtb(Object *obj)
{
    return g_strdup(MACHINE(obj)->dumpdtb ? MACHINE(obj)->dumpdtb : "");
}

static void machine_set_dumpdtb(Object *obj, const char *v, Error **errp)
{
    g_free(MACHINE(obj)->dumpdtb);
    MACHINE(obj)->dumpdtb = g_strdup(v);
}

static char *machine_get_memdev(Object *obj)
{
    return g_strdup(MACHINE(obj)->ram_memdev_id ?
                    MACHINE(obj)->ram_memdev_id : "");
}

static void machine_set_memdev(Object *obj, const char *v, Error **errp)
{
    g_free(MACHINE(obj)->ram_memdev_id);
    MACHINE(obj)->ram_memdev_id = g_strdup(v);
}

/*
 * usb=on would promise a USB controller this machine does not have;
 * dump-guest-core=off keeps guest RAM out of our core dumps (madvise).
 */
static bool machine_get_usb(Object *obj)
{
    return false;
}

static void machine_set_usb(Object *obj, bool v, Error **errp)
{
    if (v) {
        error_setg(errp, "usb=on: this machine has no USB controller");
    }
}

static bool machine_get_dump_guest_core(Object *obj)
{
    return MACHINE(obj)->dump_guest_core;
}

static void machine_set_dump_guest_core(Object *obj, bool v, Error **errp)
{
    MACHINE(obj)->dump_guest_core = v;
}

static void machine_instance_init(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    ms->ram_size = MACHINE_GET_CLASS(ms)->default_ram_size;
    object_property_add_str(obj, "dumpdtb", machine_get_dumpdtb,
                            machine_set_dumpdtb);
    object_property_add_str(obj, "memory-backend", machine_get_memdev,
                            machine_set_memdev);
    object_property_add_uint64_ptr(obj, "ram-size", &ms->ram_size, true);
    ms->dump_guest_core = true;
    object_property_add_bool(obj, "usb", machine_get_usb, machine_set_usb);
    object_property_add_bool(obj, "dump-guest-core",
                             machine_get_dump_guest_core,
                             machine_set_dump_guest_core);
}

static void machine_finalize(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    g_free(ms->dumpdtb);
    g_free(ms->ram_memdev_id);
    g_free(ms->mem_path);
}

/* Memory backends (-object memory-backend-ram|file) */

static bool host_memory_backend_complete(Object *obj, Error **errp)
{
    HostMemoryBackend *be = MEMORY_BACKEND(obj);
    bool is_file = object_dynamic_cast(obj, TYPE_MEMORY_BACKEND_FILE);

    if (!be->size) {
        error_setg(errp, "parameter 'size' is missing or zero");
        return false;
    }
    if (is_file && !be->mem_path) {
        error_setg(errp, "parameter 'mem-path' is missing");
        return false;
    }
    be->allocated = is_file ?
        memory_region_init_ram_from_file(&be->mr, obj, "ppc_spapr.ram",
                                         be->size, be->mem_path, be->share,
                                         errp) :
        memory_region_init_ram(&be->mr, obj, "ppc_spapr.ram", be->size, errp);
    return be->allocated;
}

static char *backend_get_path(Object *obj)
{
    return g_strdup(MEMORY_BACKEND(obj)->mem_path ?
                    MEMORY_BACKEND(obj)->mem_path : "");
}

static void backend_set_path(Object *obj, const char *v, Error **errp)
{
    g_free(MEMORY_BACKEND(obj)->mem_path);
    MEMORY_BACKEND(obj)->mem_path = g_strdup(v);
}

static bool backend_get_share(Object *obj)
{
    return MEMORY_BACKEND(obj)->share;
}

static void backend_set_share(Object *obj, bool v, Error **errp)
{
    MEMORY_BACKEND(obj)->share = v;
}

static bool backend_get_prealloc(Object *obj)
{
    return MEMORY_BACKEND(obj)->prealloc;
}

static void backend_set_prealloc(Object *obj, bool v, Error **errp)
{
    MEMORY_BACKEND(obj)->prealloc = v;
}

static void host_memory_backend_init(Object *obj)
{
    HostMemoryBackend *be = MEMORY_BACKEND(obj);

    object_property_add_uint64_ptr(obj, "size", &be->size, false);
    object_property_add_bool(obj, "share", backend_get_share,
                             backend_set_share);
    object_property_add_bool(obj, "prealloc", backend_get_prealloc,
                             backend_set_prealloc);
}

static void host_memory_backend_file_init(Object *obj)
{
    object_property_add_str(obj, "mem-path", backend_get_path,
                            backend_set_path);
}

static void host_memory_backend_finalize(Object *obj)
{
    HostMemoryBackend *be = MEMORY_BACKEND(obj);

    if (be->allocated) {
        memory_region_finalize(&be->mr);
    }
    g_free(be->mem_path);
}

static void machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->default_ram_id = "ram";
    mc->max_cpus = 1;
}

static void host_memory_backend_class_init(ObjectClass *oc, void *data)
{
    oc->complete = host_memory_backend_complete;
}

/* A system reset: the machine's own, or every device's. */
void qemu_system_reset(void)
{
    MachineState *ms = current_machine_get();
    MachineClass *mc = ms ? MACHINE_GET_CLASS(ms) : NULL;

    guest_call_drain();         /* the vCPUs pause first */
    if (mc && mc->reset) {
        mc->reset(ms);
    } else {
        qemu_devices_reset();
    }
}

static const TypeInfo machine_types[] = {
    {
        .name = TYPE_MACHINE,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(MachineState),
        .class_size = sizeof(MachineClass),
        .class_init = machine_class_init,
        .instance_init = machine_instance_init,
        .instance_finalize = machine_finalize,
    },
    {
        .name = TYPE_MEMORY_BACKEND,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(HostMemoryBackend),
        .instance_init = host_memory_backend_init,
        .instance_finalize = host_memory_backend_finalize,
        .class_init = host_memory_backend_class_init,
    },
    {
        .name = TYPE_MEMORY_BACKEND_RAM,
        .parent = TYPE_MEMORY_BACKEND,
    },
    {
        .name = TYPE_MEMORY_BACKEND_FILE,
        .parent = TYPE_MEMORY_BACKEND,
        .instance_init = host_memory_backend_file_init,
    },
};

DEFINE_TYPES(machine_types)
