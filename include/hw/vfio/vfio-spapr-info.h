/*
 * What management (QMP query-spapr-dma-windows, "info spapr-dma") shows of
 * a PHB's VFIO container; implemented in hw/vfio/common.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VFIO_VFIO_SPAPR_INFO_H
#define HW_VFIO_VFIO_SPAPR_INFO_H

#include "exec/memory.h"

typedef struct VFIOSpaprHostWindow {
    uint64_t bus_offset;
    uint32_t page_shift;
    uint64_t size;
    uint32_t levels;
} VFIOSpaprHostWindow;

typedef struct VFIOSpaprInfo {
    const char *iommu;          /* "spapr-tce-v2" or "spapr-tce-v1" */
    uint64_t prereg_bytes;
    uint64_t map_ioctls;
    uint64_t unmap_ioctls;
    unsigned nr_windows;
    VFIOSpaprHostWindow windows[2];
} VFIOSpaprInfo;

/* Fills info for the container serving DMA address space as; false if none. */
bool vfio_spapr_get_info(AddressSpace *as, VFIOSpaprInfo *info);

#endif
