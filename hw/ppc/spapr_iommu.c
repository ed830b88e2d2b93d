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
#include "migration/vmstate.h"
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

static inline uint64_t tce_page_size(SpaprTceTable *tcet)
{
    return 1ULL << tcet->page_shift;
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
 * Run builder: consecutive entries that map consecutive guest pages with
 * the same permissions (or that are all unmapped) become one event.
 */
typedef struct TceRun {
    SpaprTceTable *tcet;
    IOMMUNotifier *only;        /* replay: to one notifier; else to all */
    IOMMUTLBEvent ev;
    bool open;
} TceRun;

static bool tce_run_flush(TceRun *r)
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

/* Whether (index, tce) continues the open run. */
static bool tce_run_extends(TceRun *r, uint64_t index, uint64_t tce)
{
    uint64_t ps = tce_page_size(r->tcet);
    IOMMUAccessFlags perm = tce & TCE_PERM_MASK;

    return r->open && r->ev.perm == perm &&
           (index << r->tcet->page_shift) == r->ev.iova + r->ev.size &&
           (!perm || (tce & ~(ps - 1)) == r->ev.translated_addr + r->ev.size);
}

/* Extends the open run with (index, tce), or flushes it and starts anew. */
static bool tce_run_add(TceRun *r, uint64_t index, uint64_t tce)
{
    uint64_t ps = tce_page_size(r->tcet);
    IOMMUAccessFlags perm = tce & TCE_PERM_MASK;
    IOMMUTLBEvent *ev = &r->ev;

    if (tce_run_extends(r, index, tce)) {
        ev->size += ps;
        return true;
    }
    if (!tce_run_flush(r)) {
        return false;
    }
    ev->type = perm ? IOMMU_NOTIFIER_MAP : IOMMU_NOTIFIER_UNMAP;
    ev->iova = index << r->tcet->page_shift;
    ev->size = ps;
    ev->translated_addr = perm ? tce & ~(ps - 1) : 0;
    ev->perm = perm;
    ev->page_size = ps;
    r->open = true;
    return true;
}

typedef struct TceReplay {
    TceRun run;
    bool failed;
    uint64_t first, last;       /* index range the notifier covers */
} TceReplay;

static int tce_replay_leaf(uint64_t first, const uint64_t *e, unsigned n,
                           void *opaque)
{
    TceReplay *rp = opaque;

    for (unsigned i = 0; i < n; i++) {
        bool ok;

        if (tce_perm_valid(e[i]) && first + i >= rp->first &&
            first + i <= rp->last) {
            ok = tce_run_add(&rp->run, first + i, e[i]);
        } else {
            ok = tce_run_flush(&rp->run);
        }
        if (!ok) {
            rp->failed = true;
            return 1;   /* the replay stops; the listener reports it */
        }
    }
    return 0;
}

/*
 * Sends the valid entries to a new notifier.  It walks allocated leaves
 * only, so an empty 2^31-entry window replays in microseconds, and a
 * direct map of all RAM replays as a handful of runs.
 */
static bool spapr_tce_replay(MemoryRegion *iommu, IOMMUNotifier *n)
{
    SpaprTceTable *tcet = iommu->iommu_opaque;
    TceReplay rp = {
        .run = { .tcet = tcet, .only = n },
        .first = n->start >> tcet->page_shift,
        .last = n->end >> tcet->page_shift,
    };

    if (!tcet->store || !(n->flags & IOMMU_NOTIFIER_MAP)) {
        return true;
    }
    trace_spapr_iommu_replay(tcet->liobn, spapr_tce_store_valid(tcet->store));
    if (!spapr_tce_store_foreach_leaf(tcet->store, tce_replay_leaf, &rp)) {
        rp.failed = !tce_run_flush(&rp.run);
    }
    return !rp.failed;
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

/*
 * A listener could not map the run in ev: clear those entries so the
 * guest's table and the host's agree (nothing mapped there), and tell
 * every listener so.
 */
static void spapr_tce_undo_run(SpaprTceTable *tcet, const IOMMUTLBEvent *ev)
{
    uint64_t first = ev->iova >> tcet->page_shift;
    uint64_t n = ev->size >> tcet->page_shift;
    IOMMUTLBEvent unmap = *ev;

    spapr_tce_store_fill(tcet->store, first, n, 0);
    unmap.type = IOMMU_NOTIFIER_UNMAP;
    unmap.perm = IOMMU_NONE;
    unmap.translated_addr = 0;
    memory_region_notify_iommu(&tcet->iommu, &unmap);
    qemu_log_mask(LOG_GUEST_ERROR, "TCE table 0x%x: a host IOMMU refused "
                  "0x%" PRIx64 "+0x%" PRIx64 "; entries cleared\n",
                  tcet->liobn, ev->iova, ev->size);
}

/* Stores n entries from index: a list, or val n times (list == NULL). */
static void tce_store_range(SpaprTceTable *tcet, uint64_t index, uint64_t n,
                            const uint64_t *list, uint64_t val)
{
    if (list) {
        spapr_tce_store_write(tcet->store, index, n, list);
    } else {
        spapr_tce_store_fill(tcet->store, index, n, val);
    }
}

/*
 * Stores n entries from index (all in range: callers check), from a list
 * or (list == NULL) the single value val, notifying in runs.  Each run is
 * stored a leaf at a time, then announced.  Returns H_HARDWARE when a
 * listener refused a run: entries before that run stay, the run itself
 * is cleared, and later entries are not applied.
 */
static target_ulong spapr_tce_store_entries(SpaprTceTable *tcet,
                                            uint64_t index, uint64_t n,
                                            const uint64_t *list,
                                            uint64_t val)
{
    uint64_t i = 0, ps = tce_page_size(tcet);

    if (!tcet->iommu.iommu_notifiers) {
        tce_store_range(tcet, index, n, list, val);
        return H_SUCCESS;
    }
    while (i < n) {
        TceRun run = { .tcet = tcet };
        uint64_t first = i;

        tce_run_add(&run, index + i, list ? list[i] : val);
        if (!list && !tce_perm_valid(val)) {
            /* Clearing a range: one UNMAP run, however long */
            run.ev.size = (n - i) * ps;
            i = n;
        } else {
            for (i++; i < n && tce_run_extends(&run, index + i,
                                               list ? list[i] : val); i++) {
                run.ev.size += ps;
            }
        }
        tce_store_range(tcet, index + first, i - first,
                        list ? list + first : NULL, val);
        if (!tce_run_flush(&run)) {
            spapr_tce_undo_run(tcet, &run.ev);
            return H_HARDWARE;
        }
    }
    return H_SUCCESS;
}

/*
 * How many of n entries starting at ioba fit in the window; *index is the
 * first entry.  Guest addresses below the window wrap to huge indexes and
 * so fit nowhere.
 */
static uint64_t spapr_tce_fit(SpaprTceTable *tcet, uint64_t ioba, uint64_t n,
                              uint64_t *index)
{
    *index = (ioba - tcet->bus_offset) >> tcet->page_shift;
    if (!tcet->store || *index >= tcet->nb_table) {
        return 0;
    }
    return MIN(n, tcet->nb_table - *index);
}

target_ulong spapr_tce_put(SpaprTceTable *tcet, uint64_t ioba, uint64_t tce)
{
    uint64_t index;

    if (!spapr_tce_fit(tcet, ioba, 1, &index)) {
        return H_PARAMETER;
    }
    return spapr_tce_store_entries(tcet, index, 1, NULL, tce);
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
    uint64_t index;

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
    uint64_t index, fit;
    target_ulong ret;

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
    /* The list is copied once: a guest changing it meanwhile changes nothing. */
    memset(list, 0, sizeof(list));
    address_space_read(&address_space_memory, tce_list,
                       MEMTXATTRS_UNSPECIFIED, list, fit * 8);
    for (uint64_t i = 0; i < fit; i++) {
        list[i] = ldq_be_p(&list[i]);
    }
    ret = spapr_tce_store_entries(tcet, index, fit, list, 0);
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
    uint64_t index, fit;

    /* Bounded by the window size, not 512, as in QEMU. */
    if (!tcet || npages == 0 || npages > tcet->nb_table) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_STUFF_TCE: bad LIOBN 0x%" PRIx64
                      " or npages %" PRIu64 "\n", args[0], npages);
        trace_spapr_iommu_stuff(args[0], ioba, tce_value, npages,
                                H_PARAMETER);
        return H_PARAMETER;
    }
    fit = spapr_tce_fit(tcet, ioba & tce_page_mask(tcet), npages, &index);
    if (!tce_value && !tcet->iommu.iommu_notifiers) {
        /* Clearing with nobody listening: skip never-written leaves. */
        spapr_tce_store_fill(tcet->store, index, fit, tce_value);
    } else {
        ret = spapr_tce_store_entries(tcet, index, fit, NULL, tce_value);
    }
    if (ret == H_SUCCESS && fit < npages) {
        ret = H_PARAMETER;
    }
    trace_spapr_iommu_stuff(args[0], ioba, tce_value, npages, ret);
    return ret;
}

static const VMStateDescription vmstate_spapr_tce_table;

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
    tcet->store = spapr_tce_store_new(nb_table);
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

/*
 * Migration.
 *
 * DOC: spapr_iommu section
 *
 * One section per table, instance id = LIOBN, version 2: liobn (must
 * match), the entry count (0: window disabled), bypass, then the entries
 * as runs, in index order and never overlapping:
 *   be32 number of runs, then per run u8 kind, be32 first index, be32
 *   count and either (kind 0) be64 first TCE, the others following by the
 *   page size, or (kind 1) count be64 TCEs verbatim.
 * Zero entries are not sent, so a direct map of 4 GiB is a few runs where
 * a dense table would be 8 bytes per entry.  Subsection "spapr_iommu_ex"
 * carries bus offset and page shift when they are not the default (bus 0,
 * 4 KiB) and always for a table other than a PHB's first, whose disabled
 * state would otherwise leave the geometry unknown on the destination;
 * "spapr_iommu_def_win" carries def_win only when it is not what a reset
 * gives, so common streams load on destinations that predate it.
 */

typedef struct SpaprTceMigRun {
    uint64_t start;
    uint64_t count;
    uint64_t first;             /* kind 0 */
    const uint8_t *list;        /* kind 1: count big-endian TCEs */
} SpaprTceMigRun;

enum { TCE_MIG_PROGRESSION, TCE_MIG_LIST };

typedef struct TceMigEncoder {
    MigWriter w;
    uint32_t nruns;
    uint64_t ps;
    uint64_t start, count, first;       /* open progression */
    uint64_t lit_start;
    GArray *lit;                        /* open literal run (uint64_t) */
} TceMigEncoder;

static void tce_mig_flush_literal(TceMigEncoder *e)
{
    if (!e->lit->len) {
        return;
    }
    mig_put_u8(&e->w, TCE_MIG_LIST);
    mig_put_be32(&e->w, e->lit_start);
    mig_put_be32(&e->w, e->lit->len);
    for (unsigned i = 0; i < e->lit->len; i++) {
        mig_put_be64(&e->w, g_array_index(e->lit, uint64_t, i));
    }
    e->nruns++;
    g_array_set_size(e->lit, 0);
}

/* Emits the open progression; a single entry joins the literal run. */
static void tce_mig_close(TceMigEncoder *e)
{
    if (!e->count) {
        return;
    }
    if (e->count == 1) {
        if (e->lit->len && e->lit_start + e->lit->len != e->start) {
            tce_mig_flush_literal(e);
        }
        if (!e->lit->len) {
            e->lit_start = e->start;
        }
        g_array_append_val(e->lit, e->first);
    } else {
        tce_mig_flush_literal(e);
        mig_put_u8(&e->w, TCE_MIG_PROGRESSION);
        mig_put_be32(&e->w, e->start);
        mig_put_be32(&e->w, e->count);
        mig_put_be64(&e->w, e->first);
        e->nruns++;
    }
    e->count = 0;
}

static int tce_mig_encode_leaf(uint64_t first, const uint64_t *entries,
                               unsigned n, void *opaque)
{
    TceMigEncoder *e = opaque;

    for (unsigned i = 0; i < n; i++) {
        uint64_t idx = first + i, tce = entries[i];

        if (!tce) {
            continue;
        }
        if (e->count && idx == e->start + e->count &&
            tce == e->first + e->count * e->ps) {
            e->count++;
            continue;
        }
        tce_mig_close(e);
        e->start = idx;
        e->first = tce;
        e->count = 1;
    }
    return 0;
}

static void spapr_tce_put_entries(MigWriter *w, void *opaque,
                                  const VMStateField *f)
{
    SpaprTceTable *tcet = opaque;
    TceMigEncoder e = {
        .w.buf = g_byte_array_new(),
        .ps = tce_page_size(tcet),
        .lit = g_array_new(false, false, sizeof(uint64_t)),
    };

    if (tcet->store) {
        spapr_tce_store_foreach_leaf(tcet->store, tce_mig_encode_leaf, &e);
    }
    tce_mig_close(&e);
    tce_mig_flush_literal(&e);
    mig_put_be32(w, e.nruns);
    mig_put_bytes(w, e.w.buf->data, e.w.buf->len);
    g_byte_array_unref(e.w.buf);
    g_array_unref(e.lit);
}

/* Reads one run; checks it lies in the window after the previous one. */
static bool spapr_tce_get_run(MigReader *r, SpaprTceTable *tcet,
                              uint64_t next, SpaprTceMigRun *run,
                              Error **errp)
{
    uint8_t kind = mig_get_u8(r);

    run->start = mig_get_be32(r);
    run->count = mig_get_be32(r);
    run->first = kind == TCE_MIG_PROGRESSION ? mig_get_be64(r) : 0;
    run->list = NULL;
    if (kind == TCE_MIG_LIST && !r->failed) {
        run->list = mig_get_bytes(r, run->count * 8);
    }
    if (r->failed) {
        error_setg(errp, "TCE table 0x%x: entries truncated", tcet->liobn);
        return false;
    }
    if (kind > TCE_MIG_LIST || !run->count || run->start < next ||
        run->start + run->count > tcet->mig_nb_table) {
        error_setg(errp, "TCE table 0x%x: run of %" PRIu64 " entries at %"
                   PRIu64 " (kind %u) outside the window of %u entries or "
                   "out of order", tcet->liobn, run->count, run->start, kind,
                   tcet->mig_nb_table);
        return false;
    }
    return true;
}

static bool spapr_tce_get_entries(MigReader *r, void *opaque,
                                  const VMStateField *f, Error **errp)
{
    SpaprTceTable *tcet = opaque;
    uint32_t nruns = mig_get_be32(r);
    uint64_t next = 0;

    tcet->mig_runs = g_array_new(false, false, sizeof(SpaprTceMigRun));
    if (nruns > tcet->mig_nb_table) {
        error_setg(errp, "TCE table 0x%x: %u runs for %u entries",
                   tcet->liobn, nruns, tcet->mig_nb_table);
        return false;
    }
    for (uint32_t i = 0; i < nruns; i++) {
        SpaprTceMigRun run;

        if (!spapr_tce_get_run(r, tcet, next, &run, errp)) {
            return false;
        }
        next = run.start + run.count;
        g_array_append_val(tcet->mig_runs, run);
    }
    return true;
}

static void spapr_tce_release_entries(void *opaque, const VMStateField *f)
{
    SpaprTceTable *tcet = opaque;

    g_clear_pointer(&tcet->mig_runs, g_array_unref);
}

/* The first table of a PHB is the default window's slot. */
static bool spapr_tce_is_first_slot(SpaprTceTable *tcet)
{
    return (tcet->liobn & 0xff) == 0;
}

static int spapr_tce_table_pre_save(void *opaque)
{
    SpaprTceTable *tcet = opaque;

    tcet->mig_nb_table = tcet->nb_table;
    tcet->mig_bus_offset = tcet->bus_offset;
    tcet->mig_page_shift = tcet->page_shift;
    tcet->mig_bypass = false;
    tcet->mig_def_win = tcet->def_win;
    return 0;
}

static void spapr_tce_table_pre_load(void *opaque)
{
    SpaprTceTable *tcet = opaque;

    /* Without the subsections: the default geometry, our own def_win. */
    tcet->mig_bus_offset = 0;
    tcet->mig_page_shift = SPAPR_TCE_PAGE_SHIFT;
    tcet->mig_def_win = tcet->def_win;
    tcet->mig_runs = NULL;
}

typedef struct TceOwnerSearch {
    SpaprTceTable *tcet;
    uint64_t page_size_mask;
} TceOwnerSearch;

static int spapr_tce_find_owner(SpaprPhbState *sphb, void *opaque)
{
    TceOwnerSearch *os = opaque;

    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        if (sphb->tcet[i] == os->tcet) {
            os->page_size_mask = sphb->page_size_mask | SPAPR_PGSZ_4K;
            return 1;
        }
    }
    return 0;
}

/*
 * Page sizes the table's PHB offers (4 KiB always: the default window).
 * tcet may be a dry run's scratch copy: the live table has its LIOBN.
 */
static uint64_t spapr_tce_page_sizes(SpaprTceTable *tcet)
{
    TceOwnerSearch os = { .tcet = spapr_tce_find_by_liobn(tcet->liobn),
                          .page_size_mask = SPAPR_PGSZ_4K };

    spapr_phb_foreach(spapr_tce_find_owner, &os);
    return os.page_size_mask & SPAPR_PGSZ_SUPPORTED;
}

static bool spapr_tce_mig_geometry_ok(SpaprTceTable *tcet, Error **errp)
{
    uint64_t ps = 1ULL << (tcet->mig_page_shift & 63), end;

    if (!(spapr_tce_page_sizes(tcet) & ps) || tcet->mig_page_shift >= 63 ||
        (tcet->mig_bus_offset & (ps - 1)) ||
        uadd64_overflow(tcet->mig_bus_offset,
                        ((uint64_t)tcet->mig_nb_table << tcet->mig_page_shift)
                        - 1, &end)) {
        error_setg(errp, "TCE table 0x%x: window of %u entries of 2^%u bytes "
                   "at 0x%" PRIx64 " is not valid", tcet->liobn,
                   tcet->mig_nb_table, tcet->mig_page_shift,
                   tcet->mig_bus_offset);
        return false;
    }
    return true;
}

static bool spapr_tce_table_validate(void *opaque, int version_id,
                                     Error **errp)
{
    SpaprTceTable *tcet = opaque;
    GArray *runs = tcet->mig_runs;

    if (!tcet->mig_nb_table) {
        return true;
    }
    if (!spapr_tce_mig_geometry_ok(tcet, errp)) {
        return false;
    }
    for (unsigned i = 0; runs && i < runs->len; i++) {
        SpaprTceMigRun *run = &g_array_index(runs, SpaprTceMigRun, i);
        uint64_t last;

        if (!run->list &&
            uadd64_overflow(run->first,
                            (run->count - 1) << tcet->mig_page_shift,
                            &last)) {
            error_setg(errp, "TCE table 0x%x: run at %" PRIu64 " overflows",
                       tcet->liobn, run->start);
            return false;
        }
    }
    return true;
}

/*
 * Stores one incoming run through the hypercalls' path, so listeners (a
 * VFIO container) are notified in coalesced runs; a chunk at a time.
 */
#define TCE_MIG_CHUNK   65536

static bool spapr_tce_apply_run(SpaprTceTable *tcet, SpaprTceMigRun *run)
{
    g_autofree uint64_t *list = g_new(uint64_t, MIN(run->count,
                                                    TCE_MIG_CHUNK));
    uint64_t ps = tce_page_size(tcet);

    for (uint64_t done = 0; done < run->count; done += TCE_MIG_CHUNK) {
        uint64_t n = MIN(TCE_MIG_CHUNK, run->count - done);

        for (uint64_t i = 0; i < n; i++) {
            list[i] = run->list ? ldq_be_p(run->list + (done + i) * 8)
                                : run->first + (done + i) * ps;
        }
        if (spapr_tce_store_entries(tcet, run->start + done, n, list, 0) !=
            H_SUCCESS) {
            return false;
        }
    }
    return true;
}

static bool spapr_tce_table_post_load(void *opaque, int version_id,
                                      Error **errp)
{
    SpaprTceTable *tcet = opaque;
    GArray *runs = tcet->mig_runs;

    /* A fresh window: its listeners see a new region, then the runs. */
    spapr_tce_table_disable(tcet);
    tcet->def_win = tcet->mig_def_win;
    trace_spapr_iommu_post_load(tcet->liobn, tcet->mig_nb_table,
                                runs ? runs->len : 0);
    if (!tcet->mig_nb_table) {
        return true;
    }
    if (!spapr_tce_table_enable(tcet, tcet->mig_page_shift,
                                tcet->mig_bus_offset, tcet->mig_nb_table,
                                errp)) {
        return false;
    }
    for (unsigned i = 0; runs && i < runs->len; i++) {
        if (!spapr_tce_apply_run(tcet,
                                 &g_array_index(runs, SpaprTceMigRun, i))) {
            error_setg(errp, "TCE table 0x%x: a host IOMMU refused the "
                       "incoming mappings", tcet->liobn);
            return false;
        }
    }
    return true;
}

static bool spapr_tce_table_ex_needed(void *opaque)
{
    SpaprTceTable *tcet = opaque;

    return !spapr_tce_is_first_slot(tcet) ||
           (tcet->nb_table && (tcet->bus_offset ||
                               tcet->page_shift != SPAPR_TCE_PAGE_SHIFT));
}

static const VMStateDescription vmstate_spapr_tce_table_ex = {
    .name = "spapr_iommu_ex",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = spapr_tce_table_ex_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(mig_bus_offset, SpaprTceTable),
        VMSTATE_UINT32(mig_page_shift, SpaprTceTable),
        VMSTATE_END_OF_LIST()
    },
};

static bool spapr_tce_table_def_win_needed(void *opaque)
{
    SpaprTceTable *tcet = opaque;

    return tcet->def_win != spapr_tce_is_first_slot(tcet);
}

static const VMStateDescription vmstate_spapr_tce_table_def_win = {
    .name = "spapr_iommu_def_win",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = spapr_tce_table_def_win_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(mig_def_win, SpaprTceTable),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_spapr_tce_table = {
    .name = "spapr_iommu",
    .version_id = 2,
    .minimum_version_id = 2,
    .size = sizeof(SpaprTceTable),
    .pre_save = spapr_tce_table_pre_save,
    .pre_load = spapr_tce_table_pre_load,
    .validate = spapr_tce_table_validate,
    .post_load = spapr_tce_table_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_EQUAL(liobn, SpaprTceTable),
        /* at most the largest window the DDW query ever advertises */
        VMSTATE_UINT32_MAX(mig_nb_table, SpaprTceTable, 0x80000000),
        VMSTATE_BOOL(mig_bypass, SpaprTceTable),
        {
            .name = "entries", .type = VMS_CUSTOM,
            .put = spapr_tce_put_entries, .get = spapr_tce_get_entries,
            .release = spapr_tce_release_entries,
        },
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_spapr_tce_table_ex,
        &vmstate_spapr_tce_table_def_win,
        NULL
    },
};

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
