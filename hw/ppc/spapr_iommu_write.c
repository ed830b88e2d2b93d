/*
 * sPAPR TCE tables: the writer and IOMMU events.
 *
 * Every change of entries (hypercalls, migration load) goes through
 * spapr_tce_write(); replay shares the event builder.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/spapr_tce_store.h"
#include "hw/ppc/spapr_tce_source.h"
#include "spapr_iommu_internal.h"
#include "sysemu/guest-call.h"
#include "trace.h"

bool spapr_tce_event_flush(TceEvent *r)
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
    if (!spapr_tce_event_flush(r)) {
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
bool spapr_tce_event_add_run(TceEvent *r, const SpaprTceRun *run)
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
bool spapr_tce_write_unbudgeted(SpaprTceTable *tcet, uint64_t index,
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
    if (spapr_tce_event_flush(&r)) {
        return true;
    }
    spapr_tce_undo_event(tcet, &r.ev);
refused:
    error_setg(errp, "TCE table 0x%x: a host IOMMU refused the mapping at "
               "0x%" PRIx64, tcet->liobn, r.ev.iova);
    return false;
}

bool spapr_tce_write_fits(SpaprTceTable *tcet, uint64_t index,
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
    guest_call_drain();         /* a long H_STUFF_TCE ends first */
    return spapr_tce_write_fits(tcet, index, src, errp) &&
           spapr_tce_budget_allows(tcet, src, errp) &&
           spapr_tce_write_unbudgeted(tcet, index, src, errp);
}
