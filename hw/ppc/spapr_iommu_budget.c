/*
 * sPAPR TCE tables: the per-VM memory budget.
 *
 * DOC: TCE budget
 *
 * What all TCE tables of the VM may allocate together (leaves,
 * directories, extents), the machine property `tce-budget` in bytes.
 * 0 (the default) means enough for every PHB to map all of RAM in 4 KiB
 * pages in both of its windows, table by table as dense leaves, plus 64
 * MiB of slack; progressions and constants are extents and cost almost
 * nothing, so a Linux guest's direct map never comes near it.  A write
 * that could exceed it is refused before anything changes: hypercalls
 * answer H_NO_MEM and log one line; an incoming migration stream is
 * refused in validation.  Clearing entries frees their leaves.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "hw/boards.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/spapr_tce_store.h"
#include "spapr_iommu_internal.h"

#define TCE_BUDGET_SLACK        (64ULL << 20)

static int tce_count_phb(SpaprPhbState *sphb, void *opaque)
{
    (*(uint64_t *)opaque)++;
    return 0;
}

uint64_t spapr_tce_budget(void)
{
    /* No QOM casts: this runs on every TCE hypercall */
    MachineState *ms = current_machine_get();
    SpaprMachineState *spapr = ms ? container_of(ms, SpaprMachineState,
                                                 parent_obj) : NULL;
    uint64_t phbs = 0, per_window, total;

    if (spapr && spapr->tce_budget) {
        return spapr->tce_budget;
    }
    spapr_phb_foreach(tce_count_phb, &phbs);
    /* 8 bytes per 4 KiB page, plus a directory per 2^21 entries */
    per_window = (ms ? ms->ram_size : 0) / SPAPR_TCE_PAGE_SIZE;
    per_window = per_window * 8 + per_window / 256;
    if (umul64_overflow(per_window, MAX(phbs, 1) * SPAPR_PCI_DMA_MAX_WINDOWS,
                        &total) ||
        uadd64_overflow(total, TCE_BUDGET_SLACK, &total)) {
        return UINT64_MAX;
    }
    return total;
}

/* The run a source is priced as, at index start. */
static SpaprTceRun spapr_tce_source_pricing(const SpaprTceSource *src,
                                           uint64_t start)
{
    SpaprTceRun run = { .start = start, .count = src->count,
                        .first = src->value };

    if (src->kind == TCE_SRC_LIST || src->kind == TCE_SRC_LIST_BE) {
        run.first = 1;  /* a list may hold anything: priced as leaves */
        run.step = 1;
    } else if (src->kind == TCE_SRC_PROG && src->count > 1) {
        run.step = src->page_size;
    }
    return run;
}

/* What a source can add to a table at most. */
uint64_t spapr_tce_source_cost(const SpaprTceSource *src)
{
    SpaprTceRun run = spapr_tce_source_pricing(src, 0);

    return spapr_tce_store_run_cost(&run);
}

/* Adds a source written at start to runs priced one after another. */
void spapr_tce_source_cost_add(SpaprTceCost *c, const SpaprTceSource *src,
                               uint64_t start)
{
    SpaprTceRun run = spapr_tce_source_pricing(src, start);

    spapr_tce_store_cost_add(c, &run);
}

bool spapr_tce_budget_reserve(const SpaprTceTable *tcet, uint64_t cost,
                              Error **errp)
{
    uint64_t used = spapr_tce_tables_bytes(), budget = spapr_tce_budget();

    if (used > budget || cost > budget - used) {
        error_setg(errp, "TCE table 0x%x: %" PRIu64 " more bytes would "
                   "exceed the TCE budget (%" PRIu64 " of %" PRIu64
                   " bytes used; machine property tce-budget)", tcet->liobn,
                   cost, used, budget);
        return false;
    }
    return true;
}

bool spapr_tce_budget_allows(SpaprTceTable *tcet, const SpaprTceSource *src,
                             Error **errp)
{
    return spapr_tce_budget_reserve(tcet, spapr_tce_source_cost(src), errp);
}
