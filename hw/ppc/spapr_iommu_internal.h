/*
 * Private to the TCE table files (spapr_iommu.c, spapr_iommu_vmstate.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PPC_SPAPR_IOMMU_INTERNAL_H
#define HW_PPC_SPAPR_IOMMU_INTERNAL_H

#include "hw/pci-host/spapr.h"
#include "migration/vmstate.h"

static inline uint64_t tce_page_size(SpaprTceTable *tcet)
{
    return 1ULL << tcet->page_shift;
}

/*
 * Stores n in-window entries from index, from list or (list NULL) the
 * single value val, and tells IOMMU notifiers in runs; H_HARDWARE when a
 * listener refused a run (that run cleared, later entries not applied).
 */
target_ulong spapr_tce_store_entries(SpaprTceTable *tcet, uint64_t index,
                                     uint64_t n, const uint64_t *list,
                                     uint64_t val);

/* One section per table, instance id = LIOBN (spapr_iommu_vmstate.c). */
extern const VMStateDescription vmstate_spapr_tce_table;

#endif
