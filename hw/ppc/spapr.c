/*
 * The pseries machine: guest RAM from 0, PHB 0, RTAS and hypercalls, and
 * the device tree the guest boots with.  There is no CPU emulation: the
 * machine is driven through qtest (and QMP).
 *
 * Machine versions: pseries-2.7 (= pseries) and pseries-2.6, which turns
 * DDW off so each PHB has one TCE table and the single-window migration
 * format of QEMU 2.6.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "hw/pci-host/spapr.h"
#include "hw/qdev-properties.h"
#include "sysemu/qtest.h"
#include "sysemu/sysemu.h"
#include "trace.h"

#define FDT_MAX_SIZE 0x100000

SpaprMachineState *spapr_machine_get(void)
{
    return SPAPR_MACHINE(current_machine_get());
}

#define FDT_TRY(expr, what) do {                                          \
        int ret_ = (expr);                                                \
        if (ret_ < 0) {                                                   \
            error_setg(errp, "device tree: %s: %s", what,                 \
                       fdt_strerror(ret_));                               \
            return false;                                                 \
        }                                                                 \
    } while (0)

/* -boot order= and menu=, for firmware as QEMU passes them. */
static bool spapr_dt_chosen(void *fdt, Error **errp)
{
    int chosen = fdt_add_subnode(fdt, 0, "chosen");

    FDT_TRY(chosen, "chosen");
    if (qemu_boot_order) {
        FDT_TRY(fdt_setprop_string(fdt, chosen, "qemu,boot-device",
                                   qemu_boot_order), "chosen");
    }
    if (qemu_boot_menu) {
        FDT_TRY(fdt_setprop_cell(fdt, chosen, "qemu,boot-menu", 1), "chosen");
    }
    return true;
}

static bool spapr_dt_root(void *fdt, Error **errp)
{
    FDT_TRY(fdt_setprop_string(fdt, 0, "device_type", "chrp"), "root");
    FDT_TRY(fdt_setprop_string(fdt, 0, "model",
                               "IBM pSeries (emulated by qemu)"), "root");
    FDT_TRY(fdt_setprop_string(fdt, 0, "compatible", "qemu,pseries"), "root");
    FDT_TRY(fdt_setprop_cell(fdt, 0, "#address-cells", 2), "root");
    FDT_TRY(fdt_setprop_cell(fdt, 0, "#size-cells", 2), "root");
    if (qemu_uuid) {
        FDT_TRY(fdt_setprop_string(fdt, 0, "vm,uuid", qemu_uuid), "root");
    }
    if (qemu_name) {
        FDT_TRY(fdt_setprop_string(fdt, 0, "ibm,partition-name", qemu_name),
                "root");
    }
    return spapr_dt_chosen(fdt, errp);
}

static bool spapr_dt_memory(void *fdt, MachineState *ms, Error **errp)
{
    uint32_t reg[] = { 0, 0, cpu_to_fdt32(ms->ram_size >> 32),
                       cpu_to_fdt32(ms->ram_size) };
    int off = fdt_add_subnode(fdt, 0, "memory@0");

    FDT_TRY(off, "memory");
    FDT_TRY(fdt_setprop_string(fdt, off, "device_type", "memory"), "memory");
    FDT_TRY(fdt_setprop(fdt, off, "reg", reg, sizeof(reg)), "memory");
    return true;
}

/*
 * Stub POWER8 cores, one node per -smp core (threads as interrupt
 * servers): enough for firmware-style consumers; no vCPU executes.
 */
static bool spapr_dt_one_core(void *fdt, int cpus, unsigned id,
                              unsigned threads, Error **errp)
{
    g_autofree char *name = g_strdup_printf("PowerPC,%s@%x", QEMU_CPU_MODEL,
                                            id);
    int off = fdt_add_subnode(fdt, cpus, name);

    FDT_TRY(off, "cpu");
    FDT_TRY(fdt_setprop_string(fdt, off, "device_type", "cpu"), "cpu");
    FDT_TRY(fdt_setprop_cell(fdt, off, "reg", id), "cpu");
    FDT_TRY(fdt_setprop_string(fdt, off, "status", "okay"), "cpu");
    FDT_TRY(fdt_setprop(fdt, off, "64-bit", NULL, 0), "cpu");
    if (threads > 1) {
        g_autofree uint32_t *servers = g_new(uint32_t, threads);

        for (unsigned t = 0; t < threads; t++) {
            servers[t] = cpu_to_fdt32(id + t);
        }
        FDT_TRY(fdt_setprop(fdt, off, "ibm,ppc-interrupt-server#s", servers,
                            threads * sizeof(uint32_t)), "cpu");
    }
    return true;
}

static bool spapr_dt_cpus(void *fdt, Error **errp)
{
    int cpus = fdt_add_subnode(fdt, 0, "cpus");
    unsigned threads = qemu_smp.threads;
    unsigned cores = (qemu_smp.cpus + threads - 1) / threads;

    FDT_TRY(cpus, "cpus");
    FDT_TRY(fdt_setprop_cell(fdt, cpus, "#address-cells", 1), "cpus");
    FDT_TRY(fdt_setprop_cell(fdt, cpus, "#size-cells", 0), "cpus");
    /* fdt_add_subnode() prepends: add the last core first */
    for (unsigned c = cores; c-- > 0;) {
        if (!spapr_dt_one_core(fdt, cpus, c * threads, threads, errp)) {
            return false;
        }
    }
    return true;
}

typedef struct RtasDtState {
    void *fdt;
    int off;
    int err;
} RtasDtState;

static void spapr_dt_rtas_token(const char *name, uint32_t token, void *opaque)
{
    RtasDtState *s = opaque;
    int ret = fdt_setprop_cell(s->fdt, s->off, name, token);

    if (ret < 0 && !s->err) {
        s->err = ret;
    }
}

static bool spapr_dt_rtas(void *fdt, Error **errp)
{
    static const char hypertas[] = "hcall-pft\0hcall-term\0hcall-tce\0"
                                   "hcall-multi-tce";
    RtasDtState s = { .fdt = fdt };

    s.off = fdt_add_subnode(fdt, 0, "rtas");
    FDT_TRY(s.off, "rtas");
    FDT_TRY(fdt_setprop(fdt, s.off, "ibm,hypertas-functions", hypertas,
                        sizeof(hypertas)), "rtas");
    FDT_TRY(fdt_setprop_cell(fdt, s.off, "rtas-error-log-max", 2048), "rtas");
    /* Every registered call, DDW ones included even with ddw=off. */
    spapr_rtas_foreach(spapr_dt_rtas_token, &s);
    FDT_TRY(s.err, "rtas tokens");
    return true;
}

typedef struct PhbDtState {
    void *fdt;
    Error *err;
} PhbDtState;

static int spapr_dt_one_phb(SpaprPhbState *sphb, void *opaque)
{
    PhbDtState *s = opaque;

    spapr_phb_dt_populate(sphb, s->fdt, 0, &s->err);
    return s->err != NULL;
}

void *spapr_build_fdt(SpaprMachineState *spapr, size_t *size, Error **errp)
{
    void *fdt = g_malloc0(FDT_MAX_SIZE);
    PhbDtState phbs = { .fdt = fdt };
    int ret = fdt_create_empty_tree(fdt, FDT_MAX_SIZE);

    if (ret < 0) {
        error_setg(errp, "device tree: %s", fdt_strerror(ret));
        goto fail;
    }
    if (!spapr_dt_root(fdt, errp) ||
        !spapr_dt_memory(fdt, MACHINE(spapr), errp) ||
        !spapr_dt_cpus(fdt, errp) || !spapr_dt_rtas(fdt, errp)) {
        goto fail;
    }
    spapr_phb_foreach(spapr_dt_one_phb, &phbs);
    if (phbs.err) {
        error_propagate(errp, phbs.err);
        goto fail;
    }
    fdt_pack(fdt);
    *size = fdt_totalsize(fdt);
    return fdt;
fail:
    g_free(fdt);
    return NULL;
}

static void spapr_machine_reset(MachineState *ms)
{
    SpaprMachineState *spapr = SPAPR_MACHINE(ms);
    Error *err = NULL;

    qemu_devices_reset();
    g_free(spapr->fdt_blob);
    spapr->fdt_blob = spapr_build_fdt(spapr, &spapr->fdt_size, &err);
    if (!spapr->fdt_blob) {
        warn_report("%s", error_get_pretty(err));
        error_free(err);
    }
    trace_spapr_machine_reset(spapr->fdt_size);
}

static bool spapr_dumpdtb(MachineState *ms, const char *path, Error **errp)
{
    SpaprMachineState *spapr = SPAPR_MACHINE(ms);
    g_autoptr(GError) gerr = NULL;

    if (!spapr->fdt_blob) {
        error_setg(errp, "dumpdtb: the device tree could not be built");
        return false;
    }
    if (!g_file_set_contents(path, spapr->fdt_blob, spapr->fdt_size, &gerr)) {
        error_setg(errp, "dumpdtb=%s: %s", path, gerr->message);
        return false;
    }
    info_report("dtb dumped to %s. Exiting.", path);
    return true;
}

static void spapr_machine_init(MachineState *ms, Error **errp)
{
    DeviceState *phb;

    memory_region_add_subregion(get_system_memory(), 0, ms->ram);
    (void)address_space_memory_get();
    spapr_qtest_init();
    phb = qdev_new(TYPE_SPAPR_PCI_HOST_BRIDGE);
    object_property_set_uint(OBJECT(phb), "index", 0, NULL);
    qdev_realize_and_unref(phb, sysbus_get_default(), errp);
}

static bool spapr_get_vof(Object *obj)
{
    return SPAPR_MACHINE(obj)->vof;
}

static void spapr_set_vof(Object *obj, bool value, Error **errp)
{
    SPAPR_MACHINE(obj)->vof = value;
}

static void spapr_machine_instance_init(Object *obj)
{
    object_property_add_bool(obj, "x-vof", spapr_get_vof, spapr_set_vof);
}

static void spapr_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "pSeries Logical Partition (PAPR compliant)";
    mc->init = spapr_machine_init;
    mc->reset = spapr_machine_reset;
    mc->dumpdtb = spapr_dumpdtb;
    mc->default_ram_size = 4ULL << 30;
    mc->ram_granule = SPAPR_MEMORY_BLOCK_SIZE;
    mc->default_ram_id = "ppc_spapr.ram";
    /* The one stub CPU of the device tree (spapr_dt_cpus). */
    mc->default_cpu_type = "power8_v2.0-powerpc64-cpu";
}

/* pseries-2.7: the newest version, also known as "pseries". */
static void spapr_machine_2_7_options(MachineClass *mc)
{
    SPAPR_MACHINE_CLASS(mc)->legacy_phb_placement = true;
}

static void spapr_machine_2_7_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->name = "pseries-2.7";
    mc->alias = "pseries";
    mc->is_default = true;
    mc->compat_props = g_ptr_array_new();
    spapr_machine_2_7_options(mc);
}

/* pseries-2.6: one DMA window per PHB, as in QEMU 2.6. */
static GlobalProperty spapr_compat_2_6[] = {
    { TYPE_SPAPR_PCI_HOST_BRIDGE, "ddw", "off" },
};

static void spapr_machine_2_6_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->name = "pseries-2.6";
    mc->compat_props = g_ptr_array_new();
    spapr_machine_2_7_options(mc);
    compat_props_add(mc->compat_props, spapr_compat_2_6,
                     ARRAY_SIZE(spapr_compat_2_6));
}

static const TypeInfo spapr_machine_types[] = {
    {
        .name = TYPE_SPAPR_MACHINE,
        .parent = TYPE_MACHINE,
        .abstract = true,
        .instance_size = sizeof(SpaprMachineState),
        .class_size = sizeof(SpaprMachineClass),
        .class_init = spapr_machine_class_init,
        .instance_init = spapr_machine_instance_init,
    },
    {
        .name = "pseries-2.7" TYPE_MACHINE_SUFFIX,
        .parent = TYPE_SPAPR_MACHINE,
        .class_init = spapr_machine_2_7_class_init,
    },
    {
        .name = "pseries-2.6" TYPE_MACHINE_SUFFIX,
        .parent = TYPE_SPAPR_MACHINE,
        .class_init = spapr_machine_2_6_class_init,
    },
};

DEFINE_TYPES(spapr_machine_types)
