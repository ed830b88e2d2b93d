/*
 * sPAPR TCE tables: migration state.
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
#include "spapr_iommu_internal.h"
#include "trace.h"

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
 *   page size, (kind 1) count be64 TCEs verbatim, or (kind 2) be64 TCE
 *   repeated count times.  The save path sends the store's runs as they
 *   are (a guest that stuffed 2^29 entries with one value is one run);
 *   the destination prices them against the TCE budget before applying
 *   anything, and stores progressions and constants as extents.
 * Zero entries are not sent, so a direct map of 4 GiB is a few runs where
 * a dense table would be 8 bytes per entry.  Subsection "spapr_iommu_ex"
 * carries bus offset and page shift when they are not the default (bus 0,
 * 4 KiB) and always for a table other than a PHB's first, whose disabled
 * state would otherwise leave the geometry unknown on the destination;
 * "spapr_iommu_def_win" carries def_win only when it is not what a reset
 * gives, so common streams load on destinations that predate it.
 */

typedef struct SpaprTceMigRun {
    uint8_t kind;
    uint64_t start;
    uint64_t count;
    uint64_t first;             /* kinds 0 and 2 */
    const uint8_t *list;        /* kind 1: count big-endian TCEs */
} SpaprTceMigRun;

enum { TCE_MIG_PROGRESSION, TCE_MIG_LIST, TCE_MIG_CONSTANT };

/*
 * The save path: the store's runs as they come, never expanded; single
 * entries next to each other share one list run.
 */
typedef struct TceMigEncoder {
    MigWriter w;
    uint32_t nruns;
    uint64_t lit_start;
    GArray *lit;                        /* open list run (uint64_t) */
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

static bool tce_mig_encode_run(const SpaprTceRun *run, void *opaque)
{
    TceMigEncoder *e = opaque;

    if (run->count == 1) {
        if (e->lit->len && e->lit_start + e->lit->len != run->start) {
            tce_mig_flush_literal(e);
        }
        if (!e->lit->len) {
            e->lit_start = run->start;
        }
        g_array_append_val(e->lit, run->first);
        return true;
    }
    tce_mig_flush_literal(e);
    mig_put_u8(&e->w, run->step ? TCE_MIG_PROGRESSION : TCE_MIG_CONSTANT);
    mig_put_be32(&e->w, run->start);
    mig_put_be32(&e->w, run->count);
    mig_put_be64(&e->w, run->first);
    e->nruns++;
    return true;
}

static void spapr_tce_put_entries(MigWriter *w, void *opaque,
                                  const VMStateField *f)
{
    SpaprTceTable *tcet = opaque;
    TceMigEncoder e = {
        .w.buf = g_byte_array_new(),
        .lit = g_array_new(false, false, sizeof(uint64_t)),
    };

    if (tcet->store) {
        spapr_tce_store_foreach_run(tcet->store, 0, tcet->nb_table,
                                    tce_mig_encode_run, &e);
    }
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

    run->kind = kind;
    run->start = mig_get_be32(r);
    run->count = mig_get_be32(r);
    run->first = kind != TCE_MIG_LIST ? mig_get_be64(r) : 0;
    run->list = NULL;
    if (kind == TCE_MIG_LIST && !r->failed) {
        run->list = mig_get_bytes(r, run->count * 8);
    }
    if (r->failed) {
        error_setg(errp, "TCE table 0x%x: entries truncated", tcet->liobn);
        return false;
    }
    if (kind > TCE_MIG_CONSTANT || !run->count || run->start < next ||
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
    return tcet->slot == 0;
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

static void spapr_tce_incoming_note(SpaprTceTable *tcet, bool pre_load);

static void spapr_tce_table_pre_load(void *opaque)
{
    SpaprTceTable *tcet = opaque;

    /* Without the subsections: the default geometry, our own def_win. */
    tcet->mig_bus_offset = 0;
    tcet->mig_page_shift = SPAPR_TCE_PAGE_SHIFT;
    tcet->mig_def_win = tcet->def_win;
    tcet->mig_runs = NULL;
    spapr_tce_incoming_note(tcet, true);
}

typedef struct TceOwnerSearch {
    SpaprTceTable *tcet;
    SpaprPhbState *sphb;
} TceOwnerSearch;

static int spapr_tce_find_owner(SpaprPhbState *sphb, void *opaque)
{
    TceOwnerSearch *os = opaque;

    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        if (sphb->tcet[i] == os->tcet) {
            os->sphb = sphb;
            return 1;
        }
    }
    return 0;
}

/* The PHB of a table; tcet may be a dry run's scratch copy. */
static SpaprPhbState *spapr_tce_owner(SpaprTceTable *tcet)
{
    TceOwnerSearch os = { .tcet = spapr_tce_find_by_liobn(tcet->liobn) };

    spapr_phb_foreach(spapr_tce_find_owner, &os);
    return os.sphb;
}

/*
 * Incoming geometry validated in the current pass over the stream, by
 * LIOBN, so the second window of a PHB is checked against the first as
 * the stream has it.  A pass starts over when a LIOBN comes again.
 */
typedef struct TceIncoming {
    uint64_t bus_offset, size;
} TceIncoming;

static GHashTable *tce_incoming;

static void spapr_tce_incoming_note(SpaprTceTable *tcet, bool pre_load)
{
    gpointer key = GUINT_TO_POINTER(tcet->liobn);
    TceIncoming *in;

    if (!tce_incoming) {
        tce_incoming = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    }
    if (pre_load) {
        if (g_hash_table_contains(tce_incoming, key)) {
            g_hash_table_remove_all(tce_incoming);
        }
        return;
    }
    in = g_new(TceIncoming, 1);
    in->bus_offset = tcet->mig_bus_offset;
    in->size = tcet->mig_nb_table ?
               (uint64_t)tcet->mig_nb_table << tcet->mig_page_shift : 0;
    g_hash_table_insert(tce_incoming, key, in);
}

/* The other window's range as the stream (or, absent there, the PHB) has it. */
static void spapr_tce_sibling_range(SpaprTceTable *t, uint64_t *start,
                                    uint64_t *size)
{
    TceIncoming *in = tce_incoming ?
        g_hash_table_lookup(tce_incoming, GUINT_TO_POINTER(t->liobn)) : NULL;

    *start = in ? in->bus_offset : t->bus_offset;
    *size = in ? in->size : (uint64_t)t->nb_table << t->page_shift;
}

/*
 * DOC: incoming window geometry
 *
 * A window arrives only as the RTAS calls could have made it: a page size
 * the PHB offers (4 KiB always), at dma_win_addr or dma64_win_addr of the
 * PHB (the only two places ibm,create-pe-dma-window and the DMA reset
 * put one), 2^n entries (at most SPAPR_TCE_MAX_ENTRIES) or the default
 * window's own size, and not overlapping the PHB's other window.
 */
static bool spapr_tce_mig_phb_geometry_ok(SpaprTceTable *tcet,
                                          SpaprPhbState *sphb, Error **errp)
{
    uint32_t nb = tcet->mig_nb_table;
    uint64_t off = tcet->mig_bus_offset, size, start, other;
    bool dflt = off == sphb->dma_win_addr &&
                tcet->mig_page_shift == SPAPR_TCE_PAGE_SHIFT &&
                nb == sphb->dma_win_size >> SPAPR_TCE_PAGE_SHIFT;

    if (!dflt && (!sphb->ddw_enabled || !is_power_of_2(nb) ||
                  (off != sphb->dma_win_addr &&
                   off != sphb->dma64_win_addr))) {
        error_setg(errp, "TCE table 0x%x: no RTAS call makes a window of %u "
                   "entries of 2^%u bytes at 0x%" PRIx64, tcet->liobn, nb,
                   tcet->mig_page_shift, off);
        return false;
    }
    size = (uint64_t)nb << tcet->mig_page_shift;
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        SpaprTceTable *t = sphb->tcet[i];

        if (!t || t->liobn == tcet->liobn) {
            continue;
        }
        spapr_tce_sibling_range(t, &start, &other);
        if (other && ranges_overlap(off, size, start, other)) {
            error_setg(errp, "TCE table 0x%x: window at 0x%" PRIx64
                       " overlaps table 0x%x's at 0x%" PRIx64, tcet->liobn,
                       off, t->liobn, start);
            return false;
        }
    }
    return true;
}

static bool spapr_tce_mig_geometry_ok(SpaprTceTable *tcet, Error **errp)
{
    SpaprPhbState *sphb = spapr_tce_owner(tcet);
    uint64_t pgsz = sphb ? sphb->page_size_mask | SPAPR_PGSZ_4K
                         : SPAPR_PGSZ_4K;
    uint64_t ps = 1ULL << (tcet->mig_page_shift & 63), end;

    if (!(pgsz & SPAPR_PGSZ_SUPPORTED & ps) || tcet->mig_page_shift >= 63 ||
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
    return !sphb || spapr_tce_mig_phb_geometry_ok(tcet, sphb, errp);
}

/* An incoming run as a TCE source for the writer. */
static void spapr_tce_mig_source(SpaprTceTable *tcet,
                                 const SpaprTceMigRun *run,
                                 SpaprTceSource *src)
{
    uint64_t ps = 1ULL << (tcet->mig_page_shift & 63);    /* before enable */

    switch (run->kind) {
    case TCE_MIG_PROGRESSION:
        spapr_tce_source_prog(src, run->first, run->count, ps);
        break;
    case TCE_MIG_LIST:
        spapr_tce_source_list_be(src, run->list, run->count, ps);
        break;
    default:
        spapr_tce_source_const(src, run->first, run->count, ps);
        break;
    }
}

/*
 * Whether the incoming entries fit the TCE budget, the table's present
 * entries (which they replace) set aside: priced run by run in O(runs), so
 * a 2^31-entry progression costs one extent and a refusal allocates
 * nothing.
 */
static bool spapr_tce_mig_budget_ok(SpaprTceTable *tcet, Error **errp)
{
    SpaprTceTable *live = spapr_tce_find_by_liobn(tcet->liobn);
    GArray *runs = tcet->mig_runs;
    uint64_t cost = 0, have = live ? spapr_tce_table_bytes(live) : 0;

    for (unsigned i = 0; runs && i < runs->len; i++) {
        SpaprTceMigRun *run = &g_array_index(runs, SpaprTceMigRun, i);
        SpaprTceSource src;

        spapr_tce_mig_source(tcet, run, &src);
        cost += spapr_tce_source_cost(&src);    /* runs <= 2^32: no wrap */
    }
    cost = cost > have ? cost - have : 0;
    return !cost || spapr_tce_budget_reserve(tcet, cost, errp);
}

static bool spapr_tce_table_validate(void *opaque, int version_id,
                                     Error **errp)
{
    SpaprTceTable *tcet = opaque;
    GArray *runs = tcet->mig_runs;

    if (!tcet->mig_nb_table) {
        spapr_tce_incoming_note(tcet, false);
        return true;
    }
    if (!spapr_tce_mig_geometry_ok(tcet, errp)) {
        return false;
    }
    spapr_tce_incoming_note(tcet, false);
    for (unsigned i = 0; runs && i < runs->len; i++) {
        SpaprTceMigRun *run = &g_array_index(runs, SpaprTceMigRun, i);
        uint64_t last;

        if (run->kind == TCE_MIG_PROGRESSION &&
            (umul64_overflow(run->count - 1, 1ULL << tcet->mig_page_shift,
                             &last) ||
             uadd64_overflow(run->first, last, &last))) {
            error_setg(errp, "TCE table 0x%x: run at %" PRIu64 " overflows",
                       tcet->liobn, run->start);
            return false;
        }
    }
    return spapr_tce_mig_budget_ok(tcet, errp);
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
        SpaprTceMigRun *run = &g_array_index(runs, SpaprTceMigRun, i);
        SpaprTceSource src;

        spapr_tce_mig_source(tcet, run, &src);
        if (!spapr_tce_write(tcet, run->start, &src, errp)) {
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

const VMStateDescription vmstate_spapr_tce_table = {
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
