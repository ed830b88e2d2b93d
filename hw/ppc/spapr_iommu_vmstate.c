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
