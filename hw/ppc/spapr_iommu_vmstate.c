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
 * The section's state struct.  Saving fills the geometry from the table
 * and streams the entries straight from its store; loading stages the
 * incoming window here (runs point into the stream's bytes, never into
 * the table) until post_load applies it.
 */
typedef struct SpaprTceMigState {
    uint32_t liobn;             /* EQUAL: sent from the table */
    uint32_t nb_table;          /* 0: window disabled */
    bool bypass;
    GArray *runs;               /* SpaprTceMigRun, in index order */
    uint64_t bus_offset;        /* spapr_iommu_ex */
    uint32_t page_shift;        /* spapr_iommu_ex */
    bool def_win;               /* spapr_iommu_def_win */
} SpaprTceMigState;

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

static void spapr_tce_put_entries(MigWriter *w, const void *state,
                                  const void *live, const VMStateField *f)
{
    const SpaprTceTable *tcet = live;
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
static bool spapr_tce_get_run(MigReader *r, const SpaprTceMigState *in,
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
        error_setg(errp, "TCE table 0x%x: entries truncated", in->liobn);
        return false;
    }
    if (kind > TCE_MIG_CONSTANT || !run->count || run->start < next ||
        run->start + run->count > in->nb_table) {
        error_setg(errp, "TCE table 0x%x: run of %" PRIu64 " entries at %"
                   PRIu64 " (kind %u) outside the window of %u entries or "
                   "out of order", in->liobn, run->count, run->start, kind,
                   in->nb_table);
        return false;
    }
    return true;
}

static bool spapr_tce_get_entries(MigReader *r, void *state,
                                  const VMStateField *f, Error **errp)
{
    SpaprTceMigState *in = state;
    uint32_t nruns = mig_get_be32(r);
    uint64_t next = 0;

    in->runs = g_array_new(false, false, sizeof(SpaprTceMigRun));
    if (nruns > in->nb_table) {
        error_setg(errp, "TCE table 0x%x: %u runs for %u entries",
                   in->liobn, nruns, in->nb_table);
        return false;
    }
    for (uint32_t i = 0; i < nruns; i++) {
        SpaprTceMigRun run;

        if (!spapr_tce_get_run(r, in, next, &run, errp)) {
            return false;
        }
        next = run.start + run.count;
        g_array_append_val(in->runs, run);
    }
    return true;
}

static void spapr_tce_release_entries(void *state, const VMStateField *f)
{
    SpaprTceMigState *in = state;

    g_clear_pointer(&in->runs, g_array_unref);
}

/* The first table of a PHB is the default window's slot. */
static bool spapr_tce_is_first_slot(const SpaprTceTable *tcet)
{
    return tcet->slot == 0;
}

static void spapr_tce_table_export(void *state, const void *live)
{
    SpaprTceMigState *out = state;
    const SpaprTceTable *tcet = live;

    out->nb_table = tcet->nb_table;
    out->bus_offset = tcet->bus_offset;
    out->page_shift = tcet->page_shift;
    out->bypass = false;
    out->def_win = tcet->def_win;
}

static void spapr_tce_table_init(void *state, const void *live)
{
    SpaprTceMigState *in = state;
    const SpaprTceTable *tcet = live;

    /* Without the subsections: the default geometry, our own def_win. */
    in->bus_offset = 0;
    in->page_shift = SPAPR_TCE_PAGE_SHIFT;
    in->def_win = tcet->def_win;
}

typedef struct TceOwnerSearch {
    const SpaprTceTable *tcet;
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

/* The PHB of a table (NULL for a table outside any PHB). */
static SpaprPhbState *spapr_tce_owner(const SpaprTceTable *tcet)
{
    TceOwnerSearch os = { .tcet = tcet };

    spapr_phb_foreach(spapr_tce_find_owner, &os);
    return os.sphb;
}

/*
 * Incoming geometry validated in the current load pass, by LIOBN, so the
 * second window of a PHB is checked against the first as the stream has
 * it.  The pass owns the table (vmstate_pass_scratch()).
 */
typedef struct TceIncoming {
    uint64_t bus_offset, size;
} TceIncoming;

static void *spapr_tce_incoming_new(void)
{
    return g_hash_table_new_full(NULL, NULL, NULL, g_free);
}

static GHashTable *spapr_tce_incoming(VMStateLoadPass *pass)
{
    return vmstate_pass_scratch(pass, &vmstate_spapr_tce_table,
                                spapr_tce_incoming_new,
                                (GDestroyNotify)g_hash_table_unref);
}

/* Remembers a validated window for the rest of the pass. */
static void spapr_tce_incoming_note(VMStateLoadPass *pass,
                                    const SpaprTceMigState *in)
{
    TceIncoming *t = g_new(TceIncoming, 1);

    t->bus_offset = in->bus_offset;
    t->size = in->nb_table ? (uint64_t)in->nb_table << in->page_shift : 0;
    g_hash_table_insert(spapr_tce_incoming(pass),
                        GUINT_TO_POINTER(in->liobn), t);
}

/* The other window's range as the stream (or, absent there, the PHB) has it. */
static void spapr_tce_sibling_range(VMStateLoadPass *pass, SpaprTceTable *t,
                                    uint64_t *start, uint64_t *size)
{
    TceIncoming *in = g_hash_table_lookup(spapr_tce_incoming(pass),
                                          GUINT_TO_POINTER(t->liobn));

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
static bool spapr_tce_mig_phb_geometry_ok(const SpaprTceMigState *in,
                                          const SpaprPhbState *sphb,
                                          VMStateLoadPass *pass,
                                          Error **errp)
{
    uint32_t nb = in->nb_table;
    uint64_t off = in->bus_offset, size, start, other;
    bool dflt = off == sphb->dma_win_addr &&
                in->page_shift == SPAPR_TCE_PAGE_SHIFT &&
                nb == sphb->dma_win_size >> SPAPR_TCE_PAGE_SHIFT;

    if (!dflt && (!sphb->ddw_enabled || !is_power_of_2(nb) ||
                  (off != sphb->dma_win_addr &&
                   off != sphb->dma64_win_addr))) {
        error_setg(errp, "TCE table 0x%x: no RTAS call makes a window of %u "
                   "entries of 2^%u bytes at 0x%" PRIx64, in->liobn, nb,
                   in->page_shift, off);
        return false;
    }
    size = (uint64_t)nb << in->page_shift;
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        SpaprTceTable *t = sphb->tcet[i];

        if (!t || t->liobn == in->liobn) {
            continue;
        }
        spapr_tce_sibling_range(pass, t, &start, &other);
        if (other && ranges_overlap(off, size, start, other)) {
            error_setg(errp, "TCE table 0x%x: window at 0x%" PRIx64
                       " overlaps table 0x%x's at 0x%" PRIx64, in->liobn,
                       off, t->liobn, start);
            return false;
        }
    }
    return true;
}

/* The page sizes come from the table's PHB: live is the table itself. */
static bool spapr_tce_mig_geometry_ok(const SpaprTceMigState *in,
                                      const SpaprTceTable *live,
                                      VMStateLoadPass *pass, Error **errp)
{
    SpaprPhbState *sphb = spapr_tce_owner(live);
    uint64_t pgsz = sphb ? sphb->page_size_mask | SPAPR_PGSZ_4K
                         : SPAPR_PGSZ_4K;
    uint64_t ps = 1ULL << (in->page_shift & 63), end;

    if (!(pgsz & SPAPR_PGSZ_SUPPORTED & ps) || in->page_shift >= 63 ||
        (in->bus_offset & (ps - 1)) ||
        uadd64_overflow(in->bus_offset,
                        ((uint64_t)in->nb_table << in->page_shift) - 1,
                        &end)) {
        error_setg(errp, "TCE table 0x%x: window of %u entries of 2^%u bytes "
                   "at 0x%" PRIx64 " is not valid", in->liobn, in->nb_table,
                   in->page_shift, in->bus_offset);
        return false;
    }
    return !sphb || spapr_tce_mig_phb_geometry_ok(in, sphb, pass, errp);
}

/* An incoming run as a TCE source for the writer. */
static void spapr_tce_mig_source(const SpaprTceMigState *in,
                                 const SpaprTceMigRun *run,
                                 SpaprTceSource *src)
{
    uint64_t ps = 1ULL << (in->page_shift & 63);    /* before enable */

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
 * nothing; neighbouring short runs share their leaves, as they will in
 * the table (thousands of scattered entries are a few leaves, not a
 * leaf and directory each).
 */
static bool spapr_tce_mig_budget_ok(const SpaprTceMigState *in,
                                    const SpaprTceTable *live, Error **errp)
{
    GArray *runs = in->runs;
    SpaprTceCost price = { 0 };
    uint64_t cost, have = spapr_tce_table_bytes(live);

    for (unsigned i = 0; runs && i < runs->len; i++) {
        SpaprTceMigRun *run = &g_array_index(runs, SpaprTceMigRun, i);
        SpaprTceSource src;

        spapr_tce_mig_source(in, run, &src);
        spapr_tce_source_cost_add(&price, &src, run->start);
    }
    cost = price.bytes > have ? price.bytes - have : 0;
    return !cost || spapr_tce_budget_reserve(live, cost, errp);
}

static bool spapr_tce_table_validate(const void *state, const void *live,
                                     int version_id, VMStateLoadPass *pass,
                                     Error **errp)
{
    const SpaprTceMigState *in = state;
    GArray *runs = in->runs;

    if (!in->nb_table) {
        spapr_tce_incoming_note(pass, in);
        return true;
    }
    if (!spapr_tce_mig_geometry_ok(in, live, pass, errp)) {
        return false;
    }
    spapr_tce_incoming_note(pass, in);
    for (unsigned i = 0; runs && i < runs->len; i++) {
        SpaprTceMigRun *run = &g_array_index(runs, SpaprTceMigRun, i);
        uint64_t last;

        if (run->kind == TCE_MIG_PROGRESSION &&
            (umul64_overflow(run->count - 1, 1ULL << in->page_shift,
                             &last) ||
             uadd64_overflow(run->first, last, &last))) {
            error_setg(errp, "TCE table 0x%x: run at %" PRIu64 " overflows",
                       in->liobn, run->start);
            return false;
        }
    }
    return spapr_tce_mig_budget_ok(in, live, errp);
}

static bool spapr_tce_table_post_load(void *live, const void *state,
                                      int version_id, Error **errp)
{
    SpaprTceTable *tcet = live;
    const SpaprTceMigState *in = state;
    GArray *runs = in->runs;

    /* A fresh window: its listeners see a new region, then the runs. */
    spapr_tce_table_disable(tcet);
    tcet->def_win = in->def_win;
    trace_spapr_iommu_post_load(tcet->liobn, in->nb_table,
                                runs ? runs->len : 0);
    if (!in->nb_table) {
        return true;
    }
    if (!spapr_tce_table_enable(tcet, in->page_shift, in->bus_offset,
                                in->nb_table, errp)) {
        return false;
    }
    for (unsigned i = 0; runs && i < runs->len; i++) {
        SpaprTceMigRun *run = &g_array_index(runs, SpaprTceMigRun, i);
        SpaprTceSource src;

        spapr_tce_mig_source(in, run, &src);
        if (!spapr_tce_write(tcet, run->start, &src, errp)) {
            return false;
        }
    }
    return true;
}

static bool spapr_tce_table_ex_needed(const void *live)
{
    const SpaprTceTable *tcet = live;

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
        VMSTATE_UINT64(bus_offset, SpaprTceMigState),
        VMSTATE_UINT32(page_shift, SpaprTceMigState),
        VMSTATE_END_OF_LIST()
    },
};

static bool spapr_tce_table_def_win_needed(const void *live)
{
    const SpaprTceTable *tcet = live;

    return tcet->def_win != spapr_tce_is_first_slot(tcet);
}

static const VMStateDescription vmstate_spapr_tce_table_def_win = {
    .name = "spapr_iommu_def_win",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = spapr_tce_table_def_win_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(def_win, SpaprTceMigState),
        VMSTATE_END_OF_LIST()
    },
};

const VMStateDescription vmstate_spapr_tce_table = {
    .name = "spapr_iommu",
    .version_id = 2,
    .minimum_version_id = 2,
    .size = sizeof(SpaprTceMigState),
    .export = spapr_tce_table_export,
    .init = spapr_tce_table_init,
    .validate = spapr_tce_table_validate,
    .post_load = spapr_tce_table_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_EQUAL(liobn, SpaprTceMigState, SpaprTceTable),
        /* at most the largest window the DDW query ever advertises */
        VMSTATE_UINT32_MAX(nb_table, SpaprTceMigState, 0x80000000),
        VMSTATE_BOOL(bypass, SpaprTceMigState),
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
