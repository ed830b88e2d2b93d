/*
 * Private to the TCE table files (spapr_iommu.c, spapr_iommu_vmstate.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PPC_SPAPR_IOMMU_INTERNAL_H
#define HW_PPC_SPAPR_IOMMU_INTERNAL_H

#include "hw/pci-host/spapr.h"
#include "migration/vmstate.h"
#include "hw/ppc/spapr_tce_source.h"

static inline uint64_t tce_page_size(SpaprTceTable *tcet)
{
    return 1ULL << tcet->page_shift;
}

/* The writer: see "DOC: the TCE writer" in spapr_iommu.c. */
bool spapr_tce_write(SpaprTceTable *tcet, uint64_t index, SpaprTceSource *src,
                     Error **errp);

/* The TCE budget (spapr_iommu_budget.c) */
uint64_t spapr_tce_budget(void);
/* Bytes held by every TCE table of the VM. */
uint64_t spapr_tce_tables_bytes(void);
uint64_t spapr_tce_source_cost(const SpaprTceSource *src);
/* Whether cost more bytes fit the budget; errp names it if not. */
bool spapr_tce_budget_reserve(SpaprTceTable *tcet, uint64_t cost,
                              Error **errp);
bool spapr_tce_budget_allows(SpaprTceTable *tcet, const SpaprTceSource *src,
                             Error **errp);

/* One section per table, instance id = LIOBN (spapr_iommu_vmstate.c). */
extern const VMStateDescription vmstate_spapr_tce_table;

#endif
