/*
 * sPAPR PCI host bridge (PHB): a PCI bus with its MMIO windows, and a DMA
 * address space holding one TCE table per window (two when DDW is on).
 *
 * The 32-bit default window (LIOBN 0x80000000 | index << 8) appears at
 * reset with the geometry published in ibm,dma-window; the DDW window
 * (LIOBN ... | 1) exists from realize but is enabled only by the guest's
 * ibm,create-pe-dma-window (hw/ppc/spapr_rtas_ddw.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/ppc/spapr_fdt.h"
#include "qemu/cutils.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/spapr_tce_store.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "trace.h"

static GList *spapr_phbs;       /* realized PHBs, by creation */

SpaprPhbState *spapr_pci_find_phb(uint64_t buid)
{
    for (GList *l = spapr_phbs; l; l = l->next) {
        SpaprPhbState *sphb = l->data;

        if (sphb->buid == buid) {
            return sphb;
        }
    }
    return NULL;
}

int spapr_phb_foreach(int (*fn)(SpaprPhbState *sphb, void *opaque),
                      void *opaque)
{
    for (GList *l = spapr_phbs; l; l = l->next) {
        int ret = fn(l->data, opaque);

        if (ret) {
            return ret;
        }
    }
    return 0;
}

/* config_addr = bus << 16 | devfn << 8 | register (RTAS encoding) */
PCIDevice *spapr_pci_find_dev(uint64_t buid, uint32_t config_addr)
{
    SpaprPhbState *sphb = spapr_pci_find_phb(buid);

    if (!sphb) {
        return NULL;
    }
    return pci_find_device(sphb->bus, (config_addr >> 16) & 0xff,
                           (config_addr >> 8) & 0xff);
}

int spapr_phb_get_active_win_num(SpaprPhbState *sphb)
{
    int n = 0;

    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        n += sphb->tcet[i] && sphb->tcet[i]->nb_table;
    }
    return n;
}

/* The first table with no window, in LIOBN order (as QEMU 7.2 picks). */
SpaprTceTable *spapr_phb_get_free_table(SpaprPhbState *sphb)
{
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        if (sphb->tcet[i] && !sphb->tcet[i]->nb_table) {
            return sphb->tcet[i];
        }
    }
    return NULL;
}

void spapr_phb_dma_reset(SpaprPhbState *sphb)
{
    SpaprTceTable *tcet = sphb->tcet[0];
    Error *err = NULL;

    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        if (sphb->tcet[i]) {
            spapr_tce_table_disable(sphb->tcet[i]);
        }
    }
    /* The default window, exactly as ibm,dma-window advertises it. */
    if (!spapr_tce_table_enable(tcet, SPAPR_TCE_PAGE_SHIFT, sphb->dma_win_addr,
                                sphb->dma_win_size >> SPAPR_TCE_PAGE_SHIFT,
                                &err)) {
        /* Only a host IOMMU can refuse; the guest then has no window. */
        warn_report("PHB %u: cannot restore the default DMA window: %s",
                    sphb->index, error_get_pretty(err));
        error_free(err);
        return;
    }
    tcet->def_win = true;
    trace_spapr_pci_dma_reset(sphb->buid);
}

static AddressSpace *spapr_pci_dma_iommu(PCIBus *bus, void *opaque,
                                         int devfn)
{
    SpaprPhbState *sphb = opaque;

    return &sphb->iommu_as;
}

static bool spapr_phb_check_pgsz(SpaprPhbState *sphb, Error **errp)
{
    uint64_t unknown = sphb->page_size_mask & ~SPAPR_PGSZ_SUPPORTED;

    if (!(sphb->page_size_mask & SPAPR_PGSZ_SUPPORTED)) {
        error_setg(errp, "spapr-pci-host-bridge: pgsz=0x%" PRIx64 " has no "
                   "supported IOMMU page size (4K 0x1000, 64K 0x10000, "
                   "2M 0x200000, 16M 0x1000000)", sphb->page_size_mask);
        return false;
    }
    if (unknown) {
        error_setg(errp, "spapr-pci-host-bridge: pgsz=0x%" PRIx64 ": page "
                   "sizes 0x%" PRIx64 " are not supported (4K, 64K, 2M and "
                   "16M are)", sphb->page_size_mask, unknown);
        return false;
    }
    return true;
}

static bool spapr_phb_check_windows(SpaprPhbState *sphb, Error **errp)
{
    uint64_t largest = 1ULL << (63 - clz64(sphb->page_size_mask));
    uint64_t end32;

    if (!QEMU_IS_ALIGNED(sphb->dma_win_addr, SPAPR_TCE_PAGE_SIZE) ||
        !sphb->dma_win_size ||
        !QEMU_IS_ALIGNED(sphb->dma_win_size, SPAPR_TCE_PAGE_SIZE) ||
        sphb->dma_win_size >> SPAPR_TCE_PAGE_SHIFT > SPAPR_TCE_MAX_ENTRIES ||
        uadd64_overflow(sphb->dma_win_addr, sphb->dma_win_size, &end32)) {
        error_setg(errp, "spapr-pci-host-bridge: dma_win_addr=0x%" PRIx64
                   " dma_win_size=0x%" PRIx64 ": the default window must be "
                   "4 KiB aligned, non-empty and at most 8 TiB",
                   sphb->dma_win_addr, sphb->dma_win_size);
        return false;
    }
    if (!sphb->ddw_enabled) {
        return true;
    }
    if (!QEMU_IS_ALIGNED(sphb->dma64_win_addr, largest)) {
        error_setg(errp, "spapr-pci-host-bridge: dma64_win_addr=0x%" PRIx64
                   " must be aligned to the largest IOMMU page size 0x%"
                   PRIx64, sphb->dma64_win_addr, largest);
        return false;
    }
    if (sphb->dma64_win_addr < end32) {
        error_setg(errp, "spapr-pci-host-bridge: dma64_win_addr=0x%" PRIx64
                   " overlaps the default window [0x%" PRIx64 ", 0x%" PRIx64
                   ")", sphb->dma64_win_addr, sphb->dma_win_addr, end32);
        return false;
    }
    return true;
}

static bool spapr_phb_legacy_placement(void)
{
    return SPAPR_MACHINE_GET_CLASS(current_machine_get())
           ->legacy_phb_placement;
}

static bool spapr_phb_check_props(SpaprPhbState *sphb, Error **errp)
{
    if (!object_dynamic_cast(OBJECT(current_machine_get()),
                             TYPE_SPAPR_MACHINE)) {
        error_setg(errp, "spapr-pci-host-bridge needs a pseries machine");
        return false;
    }
    if (sphb->index > SPAPR_PCI_MAX_INDEX) {
        error_setg(errp, "spapr-pci-host-bridge: \"index\" must be set, "
                   "from 0 to %d", SPAPR_PCI_MAX_INDEX);
        return false;
    }
    if (!spapr_phb_legacy_placement() && sphb->index >= SPAPR_MAX_PHBS) {
        error_setg(errp, "\"index\" for PAPR PHB is too large (max %llu)",
                   SPAPR_MAX_PHBS - 1);
        return false;
    }
    if (sphb->numa_node < -1 || sphb->numa_node >= SPAPR_MAX_NUMA_NODES) {
        error_setg(errp, "spapr-pci-host-bridge: numa_node=%d is not a NUMA "
                   "node (-1 for none, 0 to %d)", sphb->numa_node,
                   SPAPR_MAX_NUMA_NODES - 1);
        return false;
    }
    if (spapr_pci_find_phb(SPAPR_PCI_BASE_BUID + sphb->index)) {
        error_setg(errp, "spapr-pci-host-bridge: PHB index %u is already "
                   "in use", sphb->index);
        return false;
    }
    return spapr_phb_check_pgsz(sphb, errp) &&
           spapr_phb_check_windows(sphb, errp);
}

/* pseries-2.7 and older: PHBs above RAM, 1 TiB aligned, 64 GiB apart. */
static void spapr_phb_place_legacy(SpaprPhbState *sphb)
{
    MachineState *ms = current_machine_get();
    uint64_t ram_top = MAX(ms->ram_size, ms->maxram_size);
    uint64_t base = QEMU_ALIGN_UP(MAX(ram_top, 1), SPAPR_PCI_LEGACY_BASE) +
                    sphb->index * SPAPR_PCI_SPACING;

    sphb->io_win_addr = base + SPAPR_PCI_IO_WIN_OFF;
    sphb->mem_win_addr = base + SPAPR_PCI_MEM32_WIN_OFF;
    sphb->mem64_win_addr = base + SPAPR_PCI_MEM64_WIN_OFF;
    sphb->mem64_win_pciaddr = SPAPR_PCI_MEM64_BUS_OFFSET;
    sphb->mem64_win_size = SPAPR_PCI_LEGACY_MEM64_SIZE;
}

/* pseries-2.8 and newer: fixed windows between 32 and 64 TiB. */
static void spapr_phb_place(SpaprPhbState *sphb)
{
    uint64_t n = sphb->index;

    sphb->io_win_addr = SPAPR_PCI_BASE + n * SPAPR_PCI_IO_WIN_SIZE;
    sphb->mem_win_addr = SPAPR_PCI_BASE + (n + 1) * SPAPR_PCI_MEM32_WIN_SIZE;
    sphb->mem64_win_addr = SPAPR_PCI_BASE + (n + 1) * SPAPR_PCI_MEM64_WIN_SIZE;
    sphb->mem64_win_pciaddr = sphb->mem64_win_addr;
    sphb->mem64_win_size = SPAPR_PCI_MEM64_WIN_SIZE;
}

static void spapr_phb_init_windows(SpaprPhbState *sphb)
{
    Object *owner = OBJECT(sphb);
    MemoryRegion *sysmem = get_system_memory();
    g_autofree char *name = g_strdup_printf("pci@%" PRIx64, sphb->buid);

    if (spapr_phb_legacy_placement()) {
        spapr_phb_place_legacy(sphb);
    } else {
        spapr_phb_place(sphb);
    }
    memory_region_init(&sphb->memspace, owner, name, UINT64_MAX);
    memory_region_init_alias(&sphb->mem32_window, owner, "pci-mem32",
                             &sphb->memspace, SPAPR_PCI_MEM_WIN_BUS_OFFSET,
                             SPAPR_PCI_MEM32_WIN_SIZE);
    memory_region_init_alias(&sphb->mem64_window, owner, "pci-mem64",
                             &sphb->memspace, sphb->mem64_win_pciaddr,
                             sphb->mem64_win_size);
    /* pseries has no port I/O: the window exists but decodes nothing. */
    memory_region_init(&sphb->io_window, owner, "pci-io",
                       SPAPR_PCI_IO_WIN_SIZE);
    memory_region_transaction_begin();
    memory_region_add_subregion(sysmem, sphb->mem_win_addr,
                                &sphb->mem32_window);
    memory_region_add_subregion(sysmem, sphb->mem64_win_addr,
                                &sphb->mem64_window);
    memory_region_add_subregion(sysmem, sphb->io_win_addr, &sphb->io_window);
    memory_region_transaction_commit();
}

static bool spapr_phb_init_dma(SpaprPhbState *sphb, Error **errp)
{
    int windows = sphb->ddw_enabled ? SPAPR_PCI_DMA_MAX_WINDOWS : 1;
    g_autofree char *name = g_strdup_printf("iommu-root-%x", sphb->index);

    memory_region_init(&sphb->iommu_root, OBJECT(sphb), name, UINT64_MAX);
    address_space_init(&sphb->iommu_as, &sphb->iommu_root, name);
    for (int i = 0; i < windows; i++) {
        sphb->tcet[i] = spapr_tce_new_table(DEVICE(sphb), sphb->dma_liobn[i],
                                            i, errp);
        if (!sphb->tcet[i]) {
            return false;
        }
        /* Both roots span the bus; the windows inside them never overlap. */
        memory_region_add_subregion(&sphb->iommu_root, 0,
                                    &sphb->tcet[i]->root);
    }
    return true;
}

/* Undoes spapr_phb_init_dma, also after it failed half-way. */
static void spapr_phb_fini_dma(SpaprPhbState *sphb)
{
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        if (sphb->tcet[i]) {
            memory_region_del_subregion(&sphb->iommu_root,
                                        &sphb->tcet[i]->root);
            /* Unrealize, not just unparent: the table frees its store. */
            qdev_unrealize(DEVICE(sphb->tcet[i]));
            sphb->tcet[i] = NULL;
        }
    }
    address_space_destroy(&sphb->iommu_as);
    memory_region_finalize(&sphb->iommu_root);
}

static void spapr_phb_fini_windows(SpaprPhbState *sphb)
{
    MemoryRegion *sysmem = get_system_memory();

    memory_region_transaction_begin();
    memory_region_del_subregion(sysmem, &sphb->mem32_window);
    memory_region_del_subregion(sysmem, &sphb->mem64_window);
    memory_region_del_subregion(sysmem, &sphb->io_window);
    memory_region_transaction_commit();
    /* An unplugged PHB gives back what its regions hold (names). */
    memory_region_finalize(&sphb->mem32_window);
    memory_region_finalize(&sphb->mem64_window);
    memory_region_finalize(&sphb->io_window);
    memory_region_finalize(&sphb->memspace);
}

static void spapr_phb_realize(DeviceState *dev, Error **errp)
{
    SpaprPhbState *sphb = SPAPR_PCI_HOST_BRIDGE(dev);

    if (!spapr_phb_check_props(sphb, errp)) {
        return;
    }
    sphb->buid = SPAPR_PCI_BASE_BUID + sphb->index;
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        sphb->dma_liobn[i] = SPAPR_PCI_LIOBN(sphb->index, i);
    }
    sphb->dtbusname = dev->id ? g_strdup_printf("%s.0", dev->id) :
                      g_strdup_printf("pci.%u", sphb->index);
    spapr_phb_init_windows(sphb);
    sphb->bus = pci_root_bus_new(dev, sphb->dtbusname, &sphb->memspace);
    pci_setup_iommu(sphb->bus, spapr_pci_dma_iommu, sphb);
    if (!spapr_phb_init_dma(sphb, errp)) {
        /* All or nothing: a PHB that failed leaves no window mapped. */
        spapr_phb_fini_dma(sphb);
        spapr_phb_fini_windows(sphb);
        g_clear_pointer(&sphb->dtbusname, g_free);
        return;
    }
    spapr_phbs = g_list_append(spapr_phbs, sphb);
    /* A hotplugged PHB starts with its default window, as after reset. */
    spapr_phb_dma_reset(sphb);
    trace_spapr_pci_realize(sphb->index, sphb->buid, sphb->ddw_enabled,
                            sphb->page_size_mask);
}

static void spapr_phb_unrealize(DeviceState *dev)
{
    SpaprPhbState *sphb = SPAPR_PCI_HOST_BRIDGE(dev);

    spapr_phbs = g_list_remove(spapr_phbs, sphb);
    spapr_phb_fini_dma(sphb);
    spapr_phb_fini_windows(sphb);
    g_clear_pointer(&sphb->dtbusname, g_free);
}

static void spapr_phb_reset(DeviceState *dev)
{
    spapr_phb_dma_reset(SPAPR_PCI_HOST_BRIDGE(dev));
}

/* Device tree: one node per PHB, as the guest's firmware would see it. */

static bool spapr_phb_dt_ranges(SpaprPhbState *sphb, void *fdt, int off,
                                Error **errp)
{
    const struct {
        uint32_t space, pci_hi, pci_lo;
        uint64_t cpu, size;
    } win[] = {
        { 0x1000000, 0, 0, sphb->io_win_addr, SPAPR_PCI_IO_WIN_SIZE },
        { 0x2000000, 0, SPAPR_PCI_MEM_WIN_BUS_OFFSET, sphb->mem_win_addr,
          SPAPR_PCI_MEM32_WIN_SIZE },
        { 0x3000000, sphb->mem64_win_pciaddr >> 32,
          (uint32_t)sphb->mem64_win_pciaddr, sphb->mem64_win_addr,
          sphb->mem64_win_size },
    };
    uint32_t ranges[ARRAY_SIZE(win) * 7];

    for (size_t i = 0; i < ARRAY_SIZE(win); i++) {
        uint32_t *r = &ranges[i * 7];

        r[0] = cpu_to_fdt32(win[i].space);
        r[1] = cpu_to_fdt32(win[i].pci_hi);
        r[2] = cpu_to_fdt32(win[i].pci_lo);
        r[3] = cpu_to_fdt32(win[i].cpu >> 32);
        r[4] = cpu_to_fdt32(win[i].cpu);
        r[5] = cpu_to_fdt32(win[i].size >> 32);
        r[6] = cpu_to_fdt32(win[i].size);
    }
    FDT_TRY(fdt_setprop(fdt, off, "ranges", ranges, sizeof(ranges)),
            "ranges");
    return true;
}

static bool spapr_phb_dt_dma(SpaprPhbState *sphb, void *fdt, int off,
                             Error **errp)
{
    SpaprTceTable *tcet = sphb->tcet[0];
    uint64_t size = (uint64_t)tcet->nb_table << tcet->page_shift;
    uint32_t dma_window[] = {
        cpu_to_fdt32(tcet->liobn),
        cpu_to_fdt32(tcet->bus_offset >> 32), cpu_to_fdt32(tcet->bus_offset),
        cpu_to_fdt32(size >> 32), cpu_to_fdt32(size),
    };
    uint32_t ddw_applicable[] = {
        cpu_to_fdt32(RTAS_IBM_QUERY_PE_DMA_WINDOW),
        cpu_to_fdt32(RTAS_IBM_CREATE_PE_DMA_WINDOW),
        cpu_to_fdt32(RTAS_IBM_REMOVE_PE_DMA_WINDOW),
    };
    /* count, reset-pe-dma-window token, query takes 6 outputs */
    uint32_t ddw_extensions[] = {
        cpu_to_fdt32(2), cpu_to_fdt32(RTAS_IBM_RESET_PE_DMA_WINDOW),
        cpu_to_fdt32(1),
    };

    FDT_TRY(fdt_setprop_cell(fdt, off, "ibm,#dma-address-cells", 2),
            "dma cells");
    FDT_TRY(fdt_setprop_cell(fdt, off, "ibm,#dma-size-cells", 2),
            "dma cells");
    FDT_TRY(fdt_setprop(fdt, off, "ibm,dma-window", dma_window,
                        sizeof(dma_window)), "ibm,dma-window");
    if (sphb->ddw_enabled) {
        FDT_TRY(fdt_setprop(fdt, off, "ibm,ddw-applicable", ddw_applicable,
                            sizeof(ddw_applicable)), "ibm,ddw-applicable");
        FDT_TRY(fdt_setprop(fdt, off, "ibm,ddw-extensions", ddw_extensions,
                            sizeof(ddw_extensions)), "ibm,ddw-extensions");
    }
    return true;
}

static bool spapr_phb_dt_props(SpaprPhbState *sphb, void *fdt, int off,
                               Error **errp)
{
    uint32_t bus_range[] = { cpu_to_fdt32(0), cpu_to_fdt32(0xff) };
    uint32_t reg[] = { cpu_to_fdt32(sphb->buid >> 32),
                       cpu_to_fdt32(sphb->buid), 0, 0 };

    FDT_TRY(fdt_setprop_string(fdt, off, "device_type", "pci"), "props");
    FDT_TRY(fdt_setprop_string(fdt, off, "compatible", "IBM,Logical_PHB"),
            "props");
    FDT_TRY(fdt_setprop_cell(fdt, off, "#address-cells", 3), "props");
    FDT_TRY(fdt_setprop_cell(fdt, off, "#size-cells", 2), "props");
    FDT_TRY(fdt_setprop_cell(fdt, off, "#interrupt-cells", 1), "props");
    FDT_TRY(fdt_setprop(fdt, off, "used-by-rtas", NULL, 0), "props");
    FDT_TRY(fdt_setprop(fdt, off, "bus-range", bus_range,
                        sizeof(bus_range)), "bus-range");
    FDT_TRY(fdt_setprop(fdt, off, "reg", reg, sizeof(reg)), "reg");
    FDT_TRY(fdt_setprop_cell(fdt, off, "ibm,pci-config-space-type", 1),
            "props");
    FDT_TRY(fdt_setprop_cell(fdt, off, "ibm,pe-total-#msi", 1024), "props");
    if (sphb->numa_node >= 0) {
        uint32_t assoc[] = { cpu_to_fdt32(4), 0, 0, 0,
                             cpu_to_fdt32(sphb->numa_node) };

        FDT_TRY(fdt_setprop(fdt, off, "ibm,associativity", assoc,
                            sizeof(assoc)), "ibm,associativity");
    }
    return true;
}

bool spapr_phb_dt_populate(SpaprPhbState *sphb, void *fdt, int parent_off,
                           Error **errp)
{
    g_autofree char *name = g_strdup_printf("pci@%" PRIx64, sphb->buid);
    int off = fdt_add_subnode(fdt, parent_off, name);
    bool ok = off >= 0;

    if (!ok) {
        error_setg(errp, "device tree: add node: %s", fdt_strerror(off));
    } else {
        ok = spapr_phb_dt_props(sphb, fdt, off, errp) &&
             spapr_phb_dt_ranges(sphb, fdt, off, errp) &&
             spapr_phb_dt_dma(sphb, fdt, off, errp);
    }
    if (!ok) {
        error_prepend(errp, "PHB %u ", sphb->index);
    }
    return ok;
}

/*
 * Migration: the PHB's own section only checks that both sides agree on
 * its identity and placement (QEMU's 2.7 "spapr_pci" EQUAL fields; our
 * model has no LSI or MSI state).  The 64-bit window's LIOBN is not sent,
 * as in QEMU: its table has its own "spapr_iommu" section.
 */
typedef struct SpaprPhbMigState {
    uint64_t buid;
    uint32_t dma_liobn[1];      /* the 32-bit window's only */
    uint64_t mem_win_addr, io_win_addr, dma_win_addr, dma_win_size;
} SpaprPhbMigState;

static const VMStateDescription vmstate_spapr_pci = {
    .name = "spapr_pci",
    .version_id = 2,
    .minimum_version_id = 2,
    .size = sizeof(SpaprPhbMigState),
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64_EQUAL(buid, SpaprPhbMigState, SpaprPhbState),
        VMSTATE_UINT32_EQUAL(dma_liobn[0], SpaprPhbMigState, SpaprPhbState),
        VMSTATE_UINT64_EQUAL(mem_win_addr, SpaprPhbMigState, SpaprPhbState),
        VMSTATE_UINT64_EQUAL(io_win_addr, SpaprPhbMigState, SpaprPhbState),
        VMSTATE_UINT64_EQUAL(dma_win_addr, SpaprPhbMigState, SpaprPhbState),
        VMSTATE_UINT64_EQUAL(dma_win_size, SpaprPhbMigState, SpaprPhbState),
        VMSTATE_END_OF_LIST()
    },
};

static Property spapr_phb_properties[] = {
    DEFINE_PROP_UINT32("index", SpaprPhbState, index, -1),
    DEFINE_PROP_BOOL("ddw", SpaprPhbState, ddw_enabled, true),
    /* QEMU 7.2's default; pseries-4.1 and older: 4K | 64K (compat). */
    DEFINE_PROP_UINT64("pgsz", SpaprPhbState, page_size_mask,
                       SPAPR_PGSZ_SUPPORTED),
    DEFINE_PROP_UINT64("dma_win_addr", SpaprPhbState, dma_win_addr, 0),
    DEFINE_PROP_UINT64("dma_win_size", SpaprPhbState, dma_win_size,
                       SPAPR_PCI_DMA32_SIZE),
    DEFINE_PROP_UINT64("dma64_win_addr", SpaprPhbState, dma64_win_addr,
                       SPAPR_PCI_DMA64_START),
    DEFINE_PROP_INT32("numa_node", SpaprPhbState, numa_node, -1),
    DEFINE_PROP_END_OF_LIST(),
};

static void spapr_phb_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = spapr_phb_realize;
    dc->unrealize = spapr_phb_unrealize;
    dc->reset = spapr_phb_reset;
    dc->bus_type = TYPE_SYSTEM_BUS;
    dc->user_creatable = true;
    dc->hotpluggable = true;
    dc->category = "bridge";
    dc->vmsd = &vmstate_spapr_pci;
    klass->desc = "sPAPR PCI host bridge with Dynamic DMA Windows";
    device_class_set_props(dc, spapr_phb_properties);
}

static const TypeInfo spapr_phb_info = {
    .name = TYPE_SPAPR_PCI_HOST_BRIDGE,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(SpaprPhbState),
    .class_init = spapr_phb_class_init,
};

static void spapr_pci_register_types(void)
{
    type_register_static(&spapr_phb_info);
}

type_init(spapr_pci_register_types)
