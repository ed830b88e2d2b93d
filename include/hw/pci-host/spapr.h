/*
 * The sPAPR PCI host bridge (PHB) with Dynamic DMA Windows, and its TCE
 * tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PCI_HOST_SPAPR_H
#define HW_PCI_HOST_SPAPR_H

#include "hw/pci/pci.h"
#include "hw/ppc/spapr.h"

#define TYPE_SPAPR_PCI_HOST_BRIDGE "spapr-pci-host-bridge"
#define TYPE_SPAPR_TCE_TABLE "spapr-tce-table"

#define SPAPR_PCI_DMA_MAX_WINDOWS   2
#define SPAPR_PCI_MAX_INDEX         255
#define SPAPR_MAX_NUMA_NODES        128
#define SPAPR_PCI_BASE_BUID         0x800000020000000ULL
#define SPAPR_PCI_LIOBN(i, n)       (0x80000000 | ((i) << 8) | (n))
#define SPAPR_PCI_DMA32_SIZE        0x40000000ULL
#define SPAPR_PCI_DMA64_START       0x800000000000000ULL
#define SPAPR_TCE_PAGE_SHIFT        12
#define SPAPR_TCE_PAGE_SIZE         (1ULL << SPAPR_TCE_PAGE_SHIFT)

/*
 * Placement, pseries-2.7 and older (legacy layout, read from QEMU 7.2's
 * trees): PHBs above RAM, 1 TiB aligned, 64 GiB apart; a 62 GiB window
 * split into 2 GiB of 32-bit and 60 GiB of 64-bit MMIO.
 */
#define SPAPR_PCI_LEGACY_BASE       (1ULL << 40)
#define SPAPR_PCI_SPACING           (64ULL << 30)
#define SPAPR_PCI_IO_WIN_OFF        0x80000000ULL
#define SPAPR_PCI_MEM32_WIN_OFF     0xa0000000ULL
#define SPAPR_PCI_MEM64_WIN_OFF     0x120000000ULL
#define SPAPR_PCI_MEM64_BUS_OFFSET  0x100000000ULL
#define SPAPR_PCI_LEGACY_MEM64_SIZE (60ULL << 30)
/*
 * pseries-2.8 and newer: up to 31 PHBs between 32 TiB and 64 TiB; 64 KiB
 * of port I/O each at 32 TiB, 2 GiB 32-bit windows from 32 TiB + 2 GiB,
 * 1 TiB 64-bit windows, identity mapped, from 33 TiB (libqos' pci-spapr.c
 * relies on this layout).
 */
#define SPAPR_PCI_BASE              (1ULL << 45)
#define SPAPR_PCI_LIMIT             (1ULL << 46)
#define SPAPR_PCI_MEM64_WIN_SIZE    (1ULL << 40)
#define SPAPR_MAX_PHBS              ((SPAPR_PCI_LIMIT - SPAPR_PCI_BASE) / \
                                     SPAPR_PCI_MEM64_WIN_SIZE - 1)
#define SPAPR_PCI_IO_WIN_SIZE       0x10000ULL
#define SPAPR_PCI_MEM_WIN_BUS_OFFSET 0x80000000ULL
#define SPAPR_PCI_MEM32_WIN_SIZE    0x80000000ULL

/* IOMMU page sizes in the `pgsz` mask */
#define SPAPR_PGSZ_4K               (1ULL << 12)
#define SPAPR_PGSZ_64K              (1ULL << 16)
#define SPAPR_PGSZ_2M               (1ULL << 21)
#define SPAPR_PGSZ_16M              (1ULL << 24)
#define SPAPR_PGSZ_SUPPORTED        (SPAPR_PGSZ_4K | SPAPR_PGSZ_64K | \
                                     SPAPR_PGSZ_2M | SPAPR_PGSZ_16M)

OBJECT_DECLARE_SIMPLE_TYPE(SpaprPhbState, SPAPR_PCI_HOST_BRIDGE)
OBJECT_DECLARE_SIMPLE_TYPE(SpaprTceTable, SPAPR_TCE_TABLE)

typedef struct SpaprTceStore SpaprTceStore;

struct SpaprTceTable {
    DeviceState parent_obj;

    uint32_t liobn;
    unsigned slot;              /* in its PHB: 0 holds the default window */
    uint32_t nb_table;          /* entries; 0 = window disabled */
    uint64_t bus_offset;
    uint32_t page_shift;
    bool def_win;               /* enabled by a DMA reset (the default) */
    SpaprTceStore *store;       /* sparse entries, NULL when disabled */
    MemoryRegion root;          /* spans the bus; holds the window */
    MemoryRegion iommu;         /* the window, at bus_offset when enabled */
};

struct SpaprPhbState {
    DeviceState parent_obj;

    uint32_t index;
    bool ddw_enabled;
    uint64_t page_size_mask;
    uint64_t dma_win_addr;
    uint64_t dma_win_size;
    uint64_t dma64_win_addr;
    int32_t numa_node;

    uint64_t buid;
    uint32_t dma_liobn[SPAPR_PCI_DMA_MAX_WINDOWS];
    uint64_t mem_win_addr, mem64_win_addr, io_win_addr;
    uint64_t mem64_win_pciaddr, mem64_win_size;
    char *dtbusname;
    PCIBus *bus;
    MemoryRegion memspace;      /* PCI memory space */
    MemoryRegion mem32_window, mem64_window, io_window;
    MemoryRegion iommu_root;    /* the DMA address space's root */
    AddressSpace iommu_as;
    SpaprTceTable *tcet[SPAPR_PCI_DMA_MAX_WINDOWS];
};

/* PHBs */
SpaprPhbState *spapr_pci_find_phb(uint64_t buid);
int spapr_phb_foreach(int (*fn)(SpaprPhbState *sphb, void *opaque),
                      void *opaque);
PCIDevice *spapr_pci_find_dev(uint64_t buid, uint32_t config_addr);
/* DMA reset: every window off, then the default window as advertised. */
void spapr_phb_dma_reset(SpaprPhbState *sphb);
int spapr_phb_get_active_win_num(SpaprPhbState *sphb);
SpaprTceTable *spapr_phb_get_free_table(SpaprPhbState *sphb);
bool spapr_phb_dt_populate(SpaprPhbState *sphb, void *fdt, int parent_off,
                           Error **errp);

/* TCE tables */
SpaprTceTable *spapr_tce_new_table(DeviceState *owner, uint32_t liobn,
                                   unsigned slot, Error **errp);
SpaprTceTable *spapr_tce_find_by_liobn(target_ulong liobn);
/*
 * Enables a window of nb_table entries of 2^page_shift bytes at bus_offset.
 * Fails (nothing left behind) when a listener of the DMA address space,
 * such as a VFIO container, refuses the window.
 */
bool spapr_tce_table_enable(SpaprTceTable *tcet, uint32_t page_shift,
                            uint64_t bus_offset, uint32_t nb_table,
                            Error **errp);
void spapr_tce_table_disable(SpaprTceTable *tcet);
MemoryRegion *spapr_tce_get_iommu(SpaprTceTable *tcet);
/* Raw entry access for migration, tests and benchmarks. */
uint64_t spapr_tce_get_entry(SpaprTceTable *tcet, uint64_t index);
/* Stores one entry and notifies; H_SUCCESS or H_PARAMETER. */
target_ulong spapr_tce_put(SpaprTceTable *tcet, uint64_t ioba, uint64_t tce);
uint64_t spapr_tce_table_bytes(const SpaprTceTable *tcet);
/* Entries that map a page (permission bits set). */
uint64_t spapr_tce_table_mapped(SpaprTceTable *tcet);

#endif
