/*
 * Private to the TCE table files (spapr_iommu*.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PPC_SPAPR_IOMMU_INTERNAL_H
#define HW_PPC_SPAPR_IOMMU_INTERNAL_H

#include "hw/pci-host/spapr.h"
#include "migration/vmstate.h"
#include "hw/ppc/spapr_tce_source.h"
#include "hw/ppc/spapr_tce_store.h"

static inline uint64_t tce_page_size(SpaprTceTable *tcet)
{
    return 1ULL << tcet->page_shift;
}

#define TCE_PERM_MASK           3ULL

static inline bool tce_perm_valid(uint64_t tce)
{
    return tce & TCE_PERM_MASK;
}

/*
 * IOMMU events: consecutive runs that map consecutive guest pages with
 * the same permissions (or that are all unmapped) become one event.
 */
typedef struct TceEvent {
    SpaprTceTable *tcet;
    IOMMUNotifier *only;        /* replay: to one notifier; else to all */
    IOMMUTLBEvent ev;
    bool open;
} TceEvent;

/* Sends the open event; false when the listener refused it. */
bool spapr_tce_event_flush(TceEvent *r);
/* Adds a run (a mapped constant: an event per entry), flushing as needed. */
bool spapr_tce_event_add_run(TceEvent *r, const SpaprTceRun *run);

/* The writer: see "DOC: the TCE writer" in spapr_iommu_write.c. */
bool spapr_tce_write_fits(SpaprTceTable *tcet, uint64_t index,
                          const SpaprTceSource *src, Error **errp);
/* The writer without the budget check (the caller made it). */
bool spapr_tce_write_unbudgeted(SpaprTceTable *tcet, uint64_t index,
                                SpaprTceSource *src, Error **errp);
bool spapr_tce_write(SpaprTceTable *tcet, uint64_t index, SpaprTceSource *src,
                     Error **errp);

/* The TCE budget (spapr_iommu_budget.c) */
uint64_t spapr_tce_budget(void);
/* Bytes held by every TCE table of the VM. */
uint64_t spapr_tce_tables_bytes(void);
uint64_t spapr_tce_source_cost(const SpaprTceSource *src);
void spapr_tce_source_cost_add(SpaprTceCost *c, const SpaprTceSource *src,
                               uint64_t start);
/* Whether cost more bytes fit the budget; errp names it if not. */
bool spapr_tce_budget_reserve(const SpaprTceTable *tcet, uint64_t cost,
                              Error **errp);
bool spapr_tce_budget_allows(SpaprTceTable *tcet, const SpaprTceSource *src,
                             Error **errp);

/* Long H_STUFF_TCE (spapr_iommu_job.c): entries per main-loop slice */
#define SPAPR_TCE_JOB_SLICE     4096
/* Whether stuffing n entries with tce costs one host map per entry. */
bool spapr_tce_stuff_is_long(SpaprTceTable *tcet, uint64_t tce, uint64_t n);
/* Stuffs fit entries from index, as a job if the caller can wait. */
target_ulong spapr_tce_stuff_long(SpaprTceTable *tcet, uint64_t index,
                                  uint64_t fit, uint64_t tce,
                                  uint64_t npages, uint64_t ioba);

/* One section per table, instance id = LIOBN (spapr_iommu_vmstate.c). */
extern const VMStateDescription vmstate_spapr_tce_table;

#endif
