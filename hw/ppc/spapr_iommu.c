/*
 * sPAPR TCE tables: one per DMA window of a PHB.
 *
 * A table is a QOM child of its PHB, created at realize for every window
 * the PHB supports and then only enabled and disabled (migration needs the
 * objects to exist on both sides).  An enabled table maps its IOMMU region
 * into the PHB's DMA address space at the window's bus offset; devices
 * DMA through translate(), and every change of entries is announced to
 * IOMMU notifiers (VFIO) as runs of pages that are contiguous on both
 * sides, so one hypercall that maps 512 consecutive pages is one event.
 *
 * TCE format: bits 0-1 are permissions (1: device may read, 2: device may
 * write), the rest is the guest real address of the page.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/spapr_tce_store.h"
#include "hw/ppc/spapr_tce_source.h"
#include "migration/vmstate.h"
#include "spapr_iommu_internal.h"
#include "trace.h"

#define TCE_PERM_MASK           3ULL
#define TCE_INDIRECT_MAX        512
#define TCE_LIST_ALIGN          4096

static GHashTable *tce_tables;      /* liobn -> SpaprTceTable */

SpaprTceTable *spapr_tce_find_by_liobn(target_ulong liobn)
{
    if (liobn > UINT32_MAX || !tce_tables) {
        return NULL;
    }
    return g_hash_table_lookup(tce_tables, GUINT_TO_POINTER(liobn));
}

static inline bool tce_perm_valid(uint64_t tce)
{
    return tce & TCE_PERM_MASK;
}

/* Translation for emulated DMA; addr is the offset within the window. */
static IOMMUTLBEntry spapr_tce_translate(MemoryRegion *iommu, hwaddr addr,
                                         IOMMUAccessFlags flag)
{
    SpaprTceTable *tcet = iommu->iommu_opaque;
    uint64_t page_mask = tce_page_size(tcet) - 1;
    IOMMUTLBEntry ret = {
        .target_as = &address_space_memory,
        .iova = addr & ~page_mask,
        .addr_mask = page_mask,
        .perm = IOMMU_NONE,
    };
    uint64_t index = addr >> tcet->page_shift;

    if (tcet->store && index < tcet->nb_table) {
        uint64_t tce = spapr_tce_store_get(tcet->store, index);

        ret.translated_addr = tce & ~page_mask;
        ret.perm = tce & TCE_PERM_MASK;
    }
    return ret;
}

static uint64_t spapr_tce_get_min_page_size(MemoryRegion *iommu)
{
    SpaprTceTable *tcet = iommu->iommu_opaque;

    return tce_page_size(tcet);
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

static bool tce_event_flush(TceEvent *r)
{
    bool ok;

    if (!r->open) {
        return true;
    }
    trace_spapr_iommu_notify(r->tcet->liobn, r->ev.iova, r->ev.size,
                             r->ev.translated_addr, r->ev.perm);
    r->open = false;
    if (r->only) {
        return r->only->notify(r->only, &r->ev);
    }
    ok = memory_region_notify_iommu(&r->tcet->iommu, &r->ev);
    if (!ok) {
        trace_spapr_iommu_notify_failed(r->tcet->liobn, r->ev.iova,
                                        r->ev.size);
    }
    return ok;
}

/*
 * Whether a run is one event on its own: unmapped entries always are, a
 * mapping only as a progression (a constant maps many pages to one).
 */
static bool tce_run_is_event(SpaprTceTable *tcet, const SpaprTceRun *run)
{
    return !tce_perm_valid(run->first) || run->count == 1 ||
           run->step == tce_page_size(tcet);
}

/* Whether the run (one event on its own) continues the open event. */
static bool tce_event_extends(TceEvent *r, const SpaprTceRun *run)
{
    uint64_t ps = tce_page_size(r->tcet);
    IOMMUAccessFlags perm = run->first & TCE_PERM_MASK;

    return r->open && r->ev.perm == perm &&
           (run->start << r->tcet->page_shift) == r->ev.iova + r->ev.size &&
           (!perm ||
            (run->first & ~(ps - 1)) == r->ev.translated_addr + r->ev.size);
}

/*
 * Adds a run (one event on its own) to the open event, or flushes that
 * and opens a new one; false when a listener refused the flushed event.
 */
static bool tce_event_add(TceEvent *r, const SpaprTceRun *run)
{
    uint64_t ps = tce_page_size(r->tcet);
    IOMMUAccessFlags perm = run->first & TCE_PERM_MASK;
    IOMMUTLBEvent *ev = &r->ev;

    if (tce_event_extends(r, run)) {
        ev->size += run->count * ps;
        return true;
    }
    if (!tce_event_flush(r)) {
        return false;
    }
    ev->type = perm ? IOMMU_NOTIFIER_MAP : IOMMU_NOTIFIER_UNMAP;
    ev->iova = run->start << r->tcet->page_shift;
    ev->size = run->count * ps;
    ev->translated_addr = perm ? run->first & ~(ps - 1) : 0;
    ev->perm = perm;
    ev->page_size = ps;
    r->open = true;
    return true;
}

/* Cuts a run into events: a mapped constant is one event per entry. */
static bool tce_event_add_run(TceEvent *r, const SpaprTceRun *run)
{
    SpaprTceRun one = *run;

    if (tce_run_is_event(r->tcet, run)) {
        return tce_event_add(r, run);
    }
    one.count = 1;
    for (uint64_t i = 0; i < run->count; i++) {
        one.start = run->start + i;
        if (!tce_event_add(r, &one)) {
            return false;
        }
    }
    return true;
}

static bool tce_replay_run(const SpaprTceRun *run, void *opaque)
{
    TceEvent *r = opaque;

    if (!tce_perm_valid(run->first)) {
        return tce_event_flush(r);
    }
    return tce_event_add_run(r, run);
}

/*
 * Sends the valid entries to a new notifier: the store's runs, so an
 * empty 2^31-entry window replays in microseconds and a direct map of
 * all RAM is one event per extent.
 */
static bool spapr_tce_replay(MemoryRegion *iommu, IOMMUNotifier *n)
{
    SpaprTceTable *tcet = iommu->iommu_opaque;
    TceEvent r = { .tcet = tcet, .only = n };
    uint64_t first = n->start >> tcet->page_shift;
    uint64_t last = n->end >> tcet->page_shift;

    if (!tcet->store || !(n->flags & IOMMU_NOTIFIER_MAP) ||
        first >= tcet->nb_table) {
        return true;
    }
    trace_spapr_iommu_replay(tcet->liobn, spapr_tce_store_valid(tcet->store));
    last = MIN(last, (uint64_t)tcet->nb_table - 1);
    /* A failed notifier stops the replay; the listener reports it */
    return spapr_tce_store_foreach_run(tcet->store, first, last + 1,
                                       tce_replay_run, &r) &&
           tce_event_flush(&r);
}

static const IOMMUMemoryRegionOps spapr_iommu_ops = {
    .translate = spapr_tce_translate,
    .get_min_page_size = spapr_tce_get_min_page_size,
    .replay = spapr_tce_replay,
};

MemoryRegion *spapr_tce_get_iommu(SpaprTceTable *tcet)
{
    return &tcet->iommu;
}

uint64_t spapr_tce_get_entry(SpaprTceTable *tcet, uint64_t index)
{
    return tcet->store && index < tcet->nb_table ?
           spapr_tce_store_get(tcet->store, index) : 0;
}

uint64_t spapr_tce_table_mapped(SpaprTceTable *tcet)
{
    return tcet->store ? spapr_tce_store_valid(tcet->store) : 0;
}

uint64_t spapr_tce_table_bytes(SpaprTceTable *tcet)
{
    return tcet->store ? spapr_tce_store_bytes(tcet->store) : 0;
}

uint64_t spapr_tce_tables_bytes(void)
{
    GHashTableIter it;
    gpointer tcet;
    uint64_t sum = 0;

    if (!tce_tables) {
        return 0;
    }
    g_hash_table_iter_init(&it, tce_tables);
    while (g_hash_table_iter_next(&it, NULL, &tcet)) {
        sum += spapr_tce_table_bytes(tcet);
    }
    return sum;
}

/*
 * A listener could not map the event ev: clear those entries so the
 * guest's table and the host's agree (nothing mapped there), and tell
 * every listener so.
 */
static void spapr_tce_undo_event(SpaprTceTable *tcet, const IOMMUTLBEvent *ev)
{
    SpaprTceRun clear = {
        .start = ev->iova >> tcet->page_shift,
        .count = ev->size >> tcet->page_shift,
    };
    IOMMUTLBEvent unmap = *ev;

    spapr_tce_store_put_run(tcet->store, &clear);
    unmap.type = IOMMU_NOTIFIER_UNMAP;
    unmap.perm = IOMMU_NONE;
    unmap.translated_addr = 0;
    memory_region_notify_iommu(&tcet->iommu, &unmap);
    qemu_log_mask(LOG_GUEST_ERROR, "TCE table 0x%x: a host IOMMU refused "
                  "0x%" PRIx64 "+0x%" PRIx64 "; entries cleared\n",
                  tcet->liobn, ev->iova, ev->size);
}

/*
 * A mapped constant: one event per entry (each maps the same page), and
 * the run stored whole afterwards, so it stays one extent.  If a listener
 * refuses entry k, entries before it are stored, entry k is cleared and
 * the rest is left as it was.
 */
static bool tce_write_notified_const(TceEvent *r, const SpaprTceRun *run)
{
    SpaprTceRun one = *run, done = *run;

    one.count = 1;
    for (uint64_t i = 0; i < run->count; i++) {
        one.start = run->start + i;
        if (!tce_event_add(r, &one)) {
            /* the refused event may hold runs stored before this one */
            done.count = r->ev.iova >> r->tcet->page_shift >= run->start ?
                         (r->ev.iova >> r->tcet->page_shift) - run->start : 0;
            spapr_tce_store_put_run(r->tcet->store, &done);
            spapr_tce_undo_event(r->tcet, &r->ev);
            return false;
        }
    }
    spapr_tce_store_put_run(r->tcet->store, run);
    return true;
}

/* Stores a run and adds it to the open event, flushing what it ends. */
static bool tce_write_notified(TceEvent *r, const SpaprTceRun *run)
{
    if (!tce_run_is_event(r->tcet, run)) {
        return tce_write_notified_const(r, run);
    }
    if (!tce_event_add(r, run)) {
        spapr_tce_undo_event(r->tcet, &r->ev);
        return false;
    }
    spapr_tce_store_put_run(r->tcet->store, run);
    return true;
}

/* Stores src[from, to) as a list: short runs side by side, one pass. */
static void tce_write_span(SpaprTceTable *tcet, uint64_t index,
                           const SpaprTceSource *src, uint64_t from,
                           uint64_t to)
{
    if (to <= from) {
        return;
    }
    if (src->kind == TCE_SRC_LIST) {
        spapr_tce_store_write(tcet->store, index + from, to - from,
                              src->list + from);
    } else {
        spapr_tce_store_write_be(tcet->store, index + from, to - from,
                                 src->be + from * 8);
    }
}

/*
 * Nobody listening: extents go in as extents, and the short runs between
 * them are written a leaf at a time rather than run by run.
 */
static void tce_write_quiet(SpaprTceTable *tcet, uint64_t index,
                            SpaprTceSource *src)
{
    bool list = src->kind == TCE_SRC_LIST || src->kind == TCE_SRC_LIST_BE;
    uint64_t span = 0;
    SpaprTceRun run;

    while (spapr_tce_source_next_long(src, TCE_EXTENT_MIN, &run)) {
        if (list && !spapr_tce_store_run_is_extent(&run)) {
            continue;   /* joins the span */
        }
        tce_write_span(tcet, index, src, span, run.start);
        span = run.start + run.count;
        run.start += index;
        spapr_tce_store_put_run(tcet->store, &run);
    }
    if (list) {
        tce_write_span(tcet, index, src, span, src->count);
    }
}

/*
 * DOC: the TCE writer
 *
 * Every change of entries (H_PUT_TCE, H_PUT_TCE_INDIRECT, H_STUFF_TCE,
 * migration load) goes through spapr_tce_write(): the source is cut into
 * maximal runs, each run is stored (a long one as an extent) and IOMMU
 * listeners hear of consecutive runs that map consecutive pages as one
 * event.  Refusals:
 *  - out of the window, or over the TCE budget: nothing changes;
 *  - a listener (a VFIO container) refuses an event: the entries before
 *    that event stay, the event's own entries are cleared (and listeners
 *    told), later entries are not applied.
 * It returns false with errp set in both cases; hypercalls answer
 * H_PARAMETER, H_NO_MEM and H_HARDWARE respectively.
 */
static bool tce_write_budgeted(SpaprTceTable *tcet, uint64_t index,
                               SpaprTceSource *src, Error **errp)
{
    TceEvent r = { .tcet = tcet };
    SpaprTceRun run;

    spapr_tce_source_rewind(src);
    if (!tcet->iommu.iommu_notifiers) {
        tce_write_quiet(tcet, index, src);
        return true;
    }
    while (spapr_tce_source_next(src, &run)) {
        run.start += index;
        if (!tce_write_notified(&r, &run)) {
            goto refused;
        }
    }
    if (tce_event_flush(&r)) {
        return true;
    }
    spapr_tce_undo_event(tcet, &r.ev);
refused:
    error_setg(errp, "TCE table 0x%x: a host IOMMU refused the mapping at "
               "0x%" PRIx64, tcet->liobn, r.ev.iova);
    return false;
}

static bool tce_write_fits(SpaprTceTable *tcet, uint64_t index,
                           const SpaprTceSource *src, Error **errp)
{
    if (!tcet->store || index > tcet->nb_table ||
        src->count > tcet->nb_table - index) {
        error_setg(errp, "TCE table 0x%x: %" PRIu64 " entries at %" PRIu64
                   " do not fit the window", tcet->liobn, src->count, index);
        return false;
    }
    return true;
}

bool spapr_tce_write(SpaprTceTable *tcet, uint64_t index, SpaprTceSource *src,
                     Error **errp)
{
    return tce_write_fits(tcet, index, src, errp) &&
           spapr_tce_budget_allows(tcet, src, errp) &&
           tce_write_budgeted(tcet, index, src, errp);
}

/*
 * How many of n entries starting at ioba fit in the window; *index is the
 * first entry.
 */
static uint64_t spapr_tce_fit(SpaprTceTable *tcet, uint64_t ioba, uint64_t n,
                              uint64_t *index)
{
    if (!tcet->store || ioba < tcet->bus_offset) {
        return 0;
    }
    *index = (ioba - tcet->bus_offset) >> tcet->page_shift;
    if (*index >= tcet->nb_table) {
        return 0;
    }
    return MIN(n, tcet->nb_table - *index);
}

/* Writes src at index from a hypercall: the status for the guest. */
static target_ulong spapr_tce_hcall_write(SpaprTceTable *tcet, uint64_t index,
                                          SpaprTceSource *src)
{
    Error *err = NULL;

    if (!tce_write_fits(tcet, index, src, &err)) {
        error_free(err);        /* callers checked: cannot happen */
        return H_PARAMETER;
    }
    if (!spapr_tce_budget_allows(tcet, src, &err)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s\n", error_get_pretty(err));
        error_free(err);
        return H_NO_MEM;
    }
    if (!tce_write_budgeted(tcet, index, src, &err)) {
        error_free(err);        /* logged by spapr_tce_undo_event */
        return H_HARDWARE;
    }
    return H_SUCCESS;
}

target_ulong spapr_tce_put(SpaprTceTable *tcet, uint64_t ioba, uint64_t tce)
{
    SpaprTceSource src;
    uint64_t index = 0;

    if (!spapr_tce_fit(tcet, ioba, 1, &index)) {
        return H_PARAMETER;
    }
    spapr_tce_source_const(&src, tce, 1, tce_page_size(tcet));
    return spapr_tce_hcall_write(tcet, index, &src);
}

static inline uint64_t tce_page_mask(SpaprTceTable *tcet)
{
    return ~(tce_page_size(tcet) - 1);
}

static target_ulong h_put_tce(SpaprMachineState *spapr, target_ulong opcode,
                              target_ulong *args)
{
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(args[0]);
    target_ulong ret = H_PARAMETER;

    if (tcet) {
        /* The low bits of ioba are ignored, as in QEMU (KVM rejects). */
        ret = spapr_tce_put(tcet, args[1] & tce_page_mask(tcet), args[2]);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "H_PUT_TCE: unknown LIOBN 0x%"
                      PRIx64 "\n", args[0]);
    }
    trace_spapr_iommu_put(args[0], args[1], args[2], ret);
    return ret;
}

static target_ulong h_get_tce(SpaprMachineState *spapr, target_ulong opcode,
                              target_ulong *args)
{
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(args[0]);
    target_ulong liobn = args[0], ioba = args[1];
    uint64_t index = 0;

    if (!tcet || !spapr_tce_fit(tcet, ioba & tce_page_mask(tcet), 1,
                                &index)) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_GET_TCE: LIOBN 0x%" PRIx64
                      " ioba 0x%" PRIx64 " outside every window\n",
                      liobn, ioba);
        trace_spapr_iommu_get(liobn, ioba, H_PARAMETER, 0);
        return H_PARAMETER;     /* r4 keeps its input, as in QEMU */
    }
    args[0] = spapr_tce_store_get(tcet->store, index);
    trace_spapr_iommu_get(liobn, ioba, H_SUCCESS, args[0]);
    return H_SUCCESS;
}

static target_ulong h_put_tce_indirect(SpaprMachineState *spapr,
                                       target_ulong opcode,
                                       target_ulong *args)
{
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(args[0]);
    target_ulong ioba = args[1], tce_list = args[2], npages = args[3];
    uint64_t list[TCE_INDIRECT_MAX];
    uint64_t index = 0, fit;
    SpaprTceSource src;
    target_ulong ret = H_SUCCESS;

    /* npages == 0 is a parameter error too: QEMU returns its initial -4. */
    if (!tcet || npages == 0 || npages > TCE_INDIRECT_MAX ||
        (tce_list & (TCE_LIST_ALIGN - 1))) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_PUT_TCE_INDIRECT: bad LIOBN 0x%"
                      PRIx64 ", npages %" PRIu64 " or list 0x%" PRIx64 "\n",
                      args[0], npages, tce_list);
        trace_spapr_iommu_indirect(args[0], ioba, tce_list, npages,
                                   H_PARAMETER);
        return H_PARAMETER;
    }
    fit = spapr_tce_fit(tcet, ioba & tce_page_mask(tcet), npages, &index);
    if (fit) {
        /* Copied once: a guest changing the list meanwhile changes nothing */
        memset(list, 0, fit * 8);
        address_space_read(&address_space_memory, tce_list,
                           MEMTXATTRS_UNSPECIFIED, list, fit * 8);
        spapr_tce_source_list_be(&src, (const uint8_t *)list, fit,
                                 tce_page_size(tcet));
        ret = spapr_tce_hcall_write(tcet, index, &src);
    }
    if (ret == H_SUCCESS && fit < npages) {
        ret = H_PARAMETER;
    }
    trace_spapr_iommu_indirect(args[0], ioba, tce_list, npages, ret);
    return ret;
}

static target_ulong h_stuff_tce(SpaprMachineState *spapr, target_ulong opcode,
                                target_ulong *args)
{
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(args[0]);
    target_ulong ioba = args[1], tce_value = args[2], npages = args[3];
    target_ulong ret = H_SUCCESS;
    uint64_t index = 0, fit;
    SpaprTceSource src;

    /* Bounded by the window size, not 512, as in QEMU. */
    if (!tcet || npages == 0 || npages > tcet->nb_table) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_STUFF_TCE: bad LIOBN 0x%" PRIx64
                      " or npages %" PRIu64 "\n", args[0], npages);
        trace_spapr_iommu_stuff(args[0], ioba, tce_value, npages,
                                H_PARAMETER);
        return H_PARAMETER;
    }
    fit = spapr_tce_fit(tcet, ioba & tce_page_mask(tcet), npages, &index);
    if (fit) {
        spapr_tce_source_const(&src, tce_value, fit, tce_page_size(tcet));
        ret = spapr_tce_hcall_write(tcet, index, &src);
    }
    if (ret == H_SUCCESS && fit < npages) {
        ret = H_PARAMETER;
    }
    trace_spapr_iommu_stuff(args[0], ioba, tce_value, npages, ret);
    return ret;
}

/* Window lifecycle */

bool spapr_tce_table_enable(SpaprTceTable *tcet, uint32_t page_shift,
                            uint64_t bus_offset, uint32_t nb_table,
                            Error **errp)
{
    uint64_t size;
    Error *local_err = NULL;

    if (tcet->nb_table) {
        error_setg(errp, "TCE table 0x%x is already enabled", tcet->liobn);
        return false;
    }
    if (!nb_table || page_shift < SPAPR_TCE_PAGE_SHIFT || page_shift > 34 ||
        uadd64_overflow(bus_offset, ((uint64_t)nb_table << page_shift) - 1,
                        &size)) {
        error_setg(errp, "TCE table 0x%x: window of %u entries of 2^%u bytes "
                   "at 0x%" PRIx64 " does not fit the bus", tcet->liobn,
                   nb_table, page_shift, bus_offset);
        return false;
    }
    tcet->store = spapr_tce_store_new(nb_table, 1ULL << page_shift);
    tcet->page_shift = page_shift;
    tcet->bus_offset = bus_offset;
    tcet->nb_table = nb_table;
    size = (uint64_t)nb_table << page_shift;
    memory_region_transaction_begin();
    memory_region_set_size(&tcet->iommu, size);
    memory_region_add_subregion(&tcet->root, bus_offset, &tcet->iommu);
    if (!memory_region_transaction_commit_checked(&local_err)) {
        /* A listener (a VFIO container) refused: leave nothing behind. */
        spapr_tce_table_disable(tcet);
        error_propagate(errp, local_err);
        return false;
    }
    trace_spapr_iommu_enable(tcet->liobn, page_shift, bus_offset, nb_table);
    return true;
}

void spapr_tce_table_disable(SpaprTceTable *tcet)
{
    if (!tcet->nb_table) {
        return;
    }
    memory_region_transaction_begin();
    memory_region_del_subregion(&tcet->root, &tcet->iommu);
    memory_region_set_size(&tcet->iommu, 0);
    memory_region_transaction_commit();
    spapr_tce_store_free(tcet->store);
    trace_spapr_iommu_disable(tcet->liobn);
    tcet->store = NULL;
    tcet->bus_offset = 0;
    tcet->page_shift = 0;
    tcet->nb_table = 0;
    /*
     * def_win stays: QEMU 7.2 marks LIOBN 0 as the default window at DMA
     * reset and never clears the mark, so removing a window the guest
     * re-created in that slot does not restore the default.  The oracle
     * shows this and guests see it, so we keep it.
     */
}

static void spapr_tce_table_realize(DeviceState *dev, Error **errp)
{
    SpaprTceTable *tcet = SPAPR_TCE_TABLE(dev);
    g_autofree char *name = g_strdup_printf("iommu-spapr-%x", tcet->liobn);

    if (spapr_tce_find_by_liobn(tcet->liobn)) {
        error_setg(errp, "TCE table with LIOBN 0x%x already exists",
                   tcet->liobn);
        return;
    }
    memory_region_init(&tcet->root, OBJECT(tcet), "iommu-spapr-root",
                       UINT64_MAX);
    memory_region_init_iommu(&tcet->iommu, OBJECT(tcet), &spapr_iommu_ops,
                             tcet, name, 0);
    if (!tce_tables) {
        tce_tables = g_hash_table_new(NULL, NULL);
    }
    g_hash_table_insert(tce_tables, GUINT_TO_POINTER(tcet->liobn), tcet);
    vmstate_register(tcet->liobn, &vmstate_spapr_tce_table, tcet);
}

static void spapr_tce_table_unrealize(DeviceState *dev)
{
    SpaprTceTable *tcet = SPAPR_TCE_TABLE(dev);

    vmstate_unregister(&vmstate_spapr_tce_table, tcet);
    spapr_tce_table_disable(tcet);
    g_hash_table_remove(tce_tables, GUINT_TO_POINTER(tcet->liobn));
    memory_region_finalize(&tcet->iommu);
    memory_region_finalize(&tcet->root);
}

SpaprTceTable *spapr_tce_new_table(DeviceState *owner, uint32_t liobn,
                                   Error **errp)
{
    SpaprTceTable *tcet = SPAPR_TCE_TABLE(object_new(TYPE_SPAPR_TCE_TABLE));
    g_autofree char *name = g_strdup_printf("tce-table-%x", liobn);

    tcet->liobn = liobn;
    object_property_add_child(OBJECT(owner), name, OBJECT(tcet));
    object_unref(OBJECT(tcet));
    if (!qdev_realize(DEVICE(tcet), NULL, errp)) {
        object_unparent(OBJECT(tcet));
        return NULL;
    }
    return tcet;
}

static void spapr_tce_table_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = spapr_tce_table_realize;
    dc->unrealize = spapr_tce_table_unrealize;
}

static const TypeInfo spapr_tce_table_info = {
    .name = TYPE_SPAPR_TCE_TABLE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(SpaprTceTable),
    .class_init = spapr_tce_table_class_init,
};

static void spapr_iommu_register(void)
{
    type_register_static(&spapr_tce_table_info);
    spapr_register_hypercall(H_PUT_TCE, h_put_tce);
    spapr_register_hypercall(H_GET_TCE, h_get_tce);
    spapr_register_hypercall(H_PUT_TCE_INDIRECT, h_put_tce_indirect);
    spapr_register_hypercall(H_STUFF_TCE, h_stuff_tce);
}

type_init(spapr_iommu_register)
