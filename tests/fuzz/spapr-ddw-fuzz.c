/*
 * Randomized robustness test for Dynamic DMA Windows.
 *
 * One machine is built in-process; then a seeded stream of RTAS calls,
 * TCE hypercalls, edu DMA and resets, valid and hostile mixed, is thrown
 * at it.  The process must not abort, and after every step:
 *  - each PHB has 0..2 windows and query's "available" is 2 - active;
 *  - each hcall returned what the LoPAR/QEMU rules predict, computed here
 *    from a shadow copy of every table, and the table now equals it
 *    (valid and non-zero counts always, the touched entries read back
 *    through H_GET_TCE, and everything every 512 steps);
 *  - an IOMMU notifier on each table (a stand-in for VFIO) has exactly
 *    the valid entries mapped ("nothing lost");
 *  - DMA through a window reads what RAM holds where the TCE allows
 *    reads, zeros elsewhere, and writes only where the TCE allows;
 *  - every RTAS status is the one the rules predict from the state before
 *    the call, H_HARDWARE comes exactly when the notifier refused a MAP,
 *    H_NO_MEM exactly when the TCE budget (tightened now and then) could
 *    be exceeded, and then nothing changed;
 *  - after a save, a scribble over every window and a load, every entry
 *    of every window is the shadow's again, and a replay into a fresh
 *    notifier mirror gives exactly the valid ones.
 *
 * SPAPR_DDW_FUZZ_SEED=N replays a run; the seed is printed.  100k steps
 * in slow mode (-m slow, SPAPR_DDW_SLOW=1), a few thousand otherwise.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "tests/fuzz/fuzz-rng.h"
#include "qemu/bswap.h"
#include "exec/memory.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/spapr_tce_store.h"
#include "migration/migration.h"
#include "sysemu/sysemu.h"

#define RAM_SIZE        (4ULL << 30)
#define SCRATCH         0x1000ULL       /* RTAS args, rets at +0x100 */
#define LIST_AREA       0x100000ULL     /* TCE lists: 16 pages from here */
#define NUM_PHBS        3               /* PHB 2 has ddw=off */
#define MAX_TABLES      (NUM_PHBS * 2)
#define FULL_CHECK      512
#define TOUCH_CHECK     1024

typedef struct FuzzTable {
    SpaprTceTable *tcet;
    int phb;
    GHashTable *shadow;         /* index -> non-zero TCE */
    uint64_t shadow_valid;
    GHashTable *host;           /* page -> address | perm, from events */
    IOMMUNotifier n;
} FuzzTable;

typedef struct Fuzz {
    uint64_t rng;
    FuzzTable t[MAX_TABLES];
    int ntables;
    SpaprPhbState *phb[NUM_PHBS];
    PCIDevice *edu;
    uint64_t steps, hcalls, rtas, dmas, resets;
    const char *last_op;        /* for a debugger looking at a failure */
    bool refusing;              /* the notifier refuses some MAP events */
    uint64_t refused;
    uint64_t refused_at_op;     /* fz.refused when the current op began */
    uint64_t created, removed, hw_errors, migrations, no_mem;
} Fuzz;

static Fuzz fz;

static uint64_t rnd(void)
{
    return fuzz_rng_next(&fz.rng);
}

static uint64_t rnd_below(uint64_t n)
{
    return fuzz_rng_below(&fz.rng, n);
}

static bool chance(unsigned percent)
{
    return fuzz_rng_chance(&fz.rng, percent);
}

/* Values that tend to break arithmetic. */
static uint64_t rnd_edge64(void)
{
    static const uint64_t edges[] = {
        0, 1, 2, 0xfff, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff,
        1ULL << 32, (1ULL << 32) + 1, 1ULL << 59, (1ULL << 59) - 1,
        1ULL << 63, UINT64_MAX, UINT64_MAX - 0xfff, UINT64_MAX - 7,
    };

    return chance(50) ? edges[rnd_below(G_N_ELEMENTS(edges))] : rnd();
}

static FuzzTable *table_by_liobn(uint64_t liobn)
{
    for (int i = 0; i < fz.ntables; i++) {
        if (fz.t[i].tcet->liobn == liobn) {
            return &fz.t[i];
        }
    }
    return NULL;
}

/* Shadow and host mirror */

static void shadow_set(FuzzTable *t, uint64_t idx, uint64_t tce)
{
    uint64_t old = (uintptr_t)g_hash_table_lookup(t->shadow,
                                                  GSIZE_TO_POINTER(idx));

    t->shadow_valid -= !!(old & TCE_VALID_BITS);
    t->shadow_valid += !!(tce & TCE_VALID_BITS);
    if (tce) {
        g_hash_table_insert(t->shadow, GSIZE_TO_POINTER(idx),
                            GSIZE_TO_POINTER(tce));
    } else {
        g_hash_table_remove(t->shadow, GSIZE_TO_POINTER(idx));
    }
}

static uint64_t shadow_get(FuzzTable *t, uint64_t idx)
{
    return (uintptr_t)g_hash_table_lookup(t->shadow, GSIZE_TO_POINTER(idx));
}

static void table_forget(FuzzTable *t)
{
    g_hash_table_remove_all(t->shadow);
    g_hash_table_remove_all(t->host);
    t->shadow_valid = 0;
}

typedef struct UnmapRange {
    uint64_t first, last;
} UnmapRange;

static gboolean host_in_range(gpointer key, gpointer value, gpointer opaque)
{
    UnmapRange *r = opaque;
    uint64_t page = GPOINTER_TO_SIZE(key);

    return page >= r->first && page <= r->last;
}

/* The stand-in for VFIO: keeps what the host would have mapped. */
static bool fuzz_notify(IOMMUNotifier *n, const IOMMUTLBEvent *ev)
{
    FuzzTable *t = container_of(n, FuzzTable, n);
    uint64_t shift = t->tcet->page_shift, npages;

    g_assert_cmpuint(shift, >=, 12);
    g_assert_cmpuint(ev->page_size, ==, 1ULL << shift);
    g_assert_cmpuint(ev->iova & (ev->page_size - 1), ==, 0);
    g_assert_cmpuint(ev->size & (ev->page_size - 1), ==, 0);
    g_assert_cmpuint(ev->size, >, 0);
    g_assert_cmpuint((ev->iova + ev->size - 1) >> shift, <,
                     t->tcet->nb_table);
    npages = ev->size >> shift;
    if (ev->type == IOMMU_NOTIFIER_UNMAP) {
        UnmapRange r = { ev->iova >> shift, (ev->iova >> shift) + npages - 1 };

        if (npages > g_hash_table_size(t->host)) {
            g_hash_table_foreach_remove(t->host, host_in_range, &r);
        } else {
            for (uint64_t p = r.first; p <= r.last; p++) {
                g_hash_table_remove(t->host, GSIZE_TO_POINTER(p));
            }
        }
        return true;
    }
    g_assert_cmpuint(ev->type, ==, IOMMU_NOTIFIER_MAP);
    g_assert_cmpuint(ev->perm, !=, 0);
    if (fz.refusing && chance(40)) {
        fz.refused++;
        return false;   /* a host IOMMU that cannot map this */
    }
    /* One hcall maps at most 512 pages, and replays are not asked for. */
    g_assert_cmpuint(npages, <=, 1ULL << 20);
    for (uint64_t i = 0; i < npages; i++) {
        g_hash_table_insert(t->host, GSIZE_TO_POINTER((ev->iova >> shift) + i),
                            GSIZE_TO_POINTER((ev->translated_addr +
                                              (i << shift)) | ev->perm));
    }
    return true;
}

/* Invariants */

static void check_entry(FuzzTable *t, uint64_t idx)
{
    SpaprTceTable *tc = t->tcet;
    target_ulong args[SPAPR_HCALL_NARGS] = {
        tc->liobn, tc->bus_offset + (idx << tc->page_shift),
    };
    uint64_t want = shadow_get(t, idx), mask = (1ULL << tc->page_shift) - 1;
    uint64_t host;

    g_assert_cmpint(spapr_hypercall(spapr_machine_get(), H_GET_TCE, args), ==,
                    H_SUCCESS);
    g_assert_cmphex(args[0], ==, want);
    host = (uintptr_t)g_hash_table_lookup(t->host, GSIZE_TO_POINTER(idx));
    g_assert_cmphex(host, ==, want & TCE_VALID_BITS ?
                    (want & ~mask) | (want & TCE_VALID_BITS) : 0);
}

static void check_counts(FuzzTable *t)
{
    SpaprTceTable *tc = t->tcet;

    g_assert_true(!tc->nb_table == !tc->store);
    if (!tc->nb_table) {
        g_assert_cmpuint(g_hash_table_size(t->shadow), ==, 0);
        g_assert_cmpuint(g_hash_table_size(t->host), ==, 0);
        return;
    }
    g_assert_cmpuint(spapr_tce_table_mapped(tc), ==, t->shadow_valid);
    g_assert_cmpuint(spapr_tce_store_nonzero(tc->store), ==,
                     g_hash_table_size(t->shadow));
    g_assert_cmpuint(g_hash_table_size(t->host), ==, t->shadow_valid);
}

static void check_all_entries(FuzzTable *t)
{
    GHashTableIter it;
    gpointer key;

    g_hash_table_iter_init(&it, t->shadow);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        check_entry(t, GPOINTER_TO_SIZE(key));
    }
}

static uint32_t rtas_call(const char *name, uint32_t nargs,
                          const uint32_t *in, uint32_t nret, uint32_t *out,
                          hwaddr args, hwaddr rets);

static void check_phb(int i)
{
    SpaprPhbState *sphb = fz.phb[i];
    uint32_t in[3] = { 0, sphb->buid >> 32, (uint32_t)sphb->buid }, out[5];
    int active = 0;

    for (int w = 0; w < SPAPR_PCI_DMA_MAX_WINDOWS; w++) {
        active += sphb->tcet[w] && sphb->tcet[w]->nb_table;
    }
    g_assert_cmpint(active, ==, spapr_phb_get_active_win_num(sphb));
    g_assert_cmpint(active, <=, sphb->ddw_enabled ? 2 : 1);
    out[0] = rtas_call("ibm,query-pe-dma-window", 3, in, 5, out, SCRATCH,
                       SCRATCH + 0x100);
    if (!sphb->ddw_enabled) {
        g_assert_cmpint((int32_t)out[0], ==, RTAS_OUT_PARAM_ERROR);
        return;
    }
    g_assert_cmpint((int32_t)out[0], ==, 0);
    g_assert_cmpuint(out[1], ==, 2 - active);
}

static void check_invariants(bool full)
{
    for (int i = 0; i < NUM_PHBS; i++) {
        check_phb(i);
    }
    for (int i = 0; i < fz.ntables; i++) {
        check_counts(&fz.t[i]);
        if (full) {
            check_all_entries(&fz.t[i]);
        }
    }
}

/* RTAS */

static uint32_t rtas_call(const char *name, uint32_t nargs,
                          const uint32_t *in, uint32_t nret, uint32_t *out,
                          hwaddr args, hwaddr rets)
{
    SpaprRtasArgs a = { .nargs = nargs, .args = args, .nret = nret,
                        .rets = rets };
    uint32_t untouched = GUINT32_TO_BE(0xdeadbeef), v;

    for (uint32_t i = 0; in && i < MIN(nargs, 8); i++) {
        v = GUINT32_TO_BE(in[i]);
        address_space_write(&address_space_memory, args + 4 * i,
                            MEMTXATTRS_UNSPECIFIED, &v, 4);
    }
    address_space_write(&address_space_memory, rets, MEMTXATTRS_UNSPECIFIED,
                        &untouched, 4);
    g_assert_true(spapr_rtas_call_by_name(spapr_machine_get(), name, &a));
    for (uint32_t i = 0; i < MIN(nret, 6); i++) {
        address_space_read(&address_space_memory, rets + 4 * i,
                           MEMTXATTRS_UNSPECIFIED, &v, 4);
        out[i] = GUINT32_FROM_BE(v);
    }
    return nret ? out[0] : 0;
}

static uint64_t rnd_buid(void)
{
    if (chance(85)) {
        return fz.phb[rnd_below(NUM_PHBS)]->buid;
    }
    return chance(50) ? SPAPR_PCI_BASE_BUID + rnd_below(300) : rnd_edge64();
}

static uint32_t rnd_liobn32(void)
{
    if (chance(85)) {
        return fz.t[rnd_below(fz.ntables)].tcet->liobn;
    }
    return chance(50) ? SPAPR_PCI_LIOBN(rnd_below(4), rnd_below(3)) :
                        (uint32_t)rnd_edge64();
}

static uint64_t rnd_liobn(void)
{
    uint64_t l = rnd_liobn32();

    return chance(3) ? l | rnd() << 32 : l;
}

static void rnd_counts(uint32_t *nargs, uint32_t *nret, uint32_t good_args,
                       uint32_t good_ret)
{
    *nargs = chance(90) ? good_args : rnd_below(12);
    *nret = chance(90) ? good_ret : (chance(90) ? rnd_below(8) : rnd());
    if (good_ret == 5 && chance(50)) {
        *nret = 6;
    }
}

/* Where RTAS buffers go: usually RAM, sometimes anywhere. */
static void rnd_bufs(hwaddr *args, hwaddr *rets)
{
    *args = SCRATCH;
    *rets = SCRATCH + 0x100;
    if (chance(3)) {
        *args = rnd_edge64();
        *rets = chance(50) ? rnd_edge64() : RAM_SIZE - 2;
    }
}

static void snapshot_enabled(bool *enabled)
{
    for (int i = 0; i < fz.ntables; i++) {
        enabled[i] = fz.t[i].tcet->nb_table != 0;
    }
}

/* After an RTAS call: tables that were (re)built start empty. */
static void resync_tables(const bool *before, int reset_phb)
{
    for (int i = 0; i < fz.ntables; i++) {
        FuzzTable *t = &fz.t[i];

        if (!t->tcet->nb_table || !before[i] || t->phb == reset_phb) {
            table_forget(t);
        }
    }
}

/* RTAS statuses, predicted from the state before the call */

static bool model_overlaps_active(SpaprPhbState *sphb, uint64_t addr,
                                  uint32_t window_shift)
{
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        SpaprTceTable *t = sphb->tcet[i];

        if (t && t->nb_table &&
            ranges_overlap(addr, 1ULL << window_shift, t->bus_offset,
                           (uint64_t)t->nb_table << t->page_shift)) {
            return true;
        }
    }
    return false;
}

static int32_t model_create(SpaprPhbState *sphb, uint32_t ps, uint32_t ws)
{
    int active = spapr_phb_get_active_win_num(sphb);
    uint64_t first = active ? sphb->dma64_win_addr : sphb->dma_win_addr;
    uint64_t other = active ? sphb->dma_win_addr : sphb->dma64_win_addr;
    uint64_t addr, end;
    bool free_slot = false;

    if (ps >= 64 || !(sphb->page_size_mask & (1ULL << ps)) || ws < ps) {
        return RTAS_OUT_PARAM_ERROR;
    }
    if (ws - ps > 31) {
        return RTAS_OUT_HW_ERROR;
    }
    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        free_slot |= sphb->tcet[i] && !sphb->tcet[i]->nb_table;
    }
    if (!free_slot) {
        return RTAS_OUT_HW_ERROR;
    }
    addr = !model_overlaps_active(sphb, first, ws) ? first :
           !model_overlaps_active(sphb, other, ws) ? other : 1;
    if (addr == 1 || ps < 12 || ps > 34 ||
        uadd64_overflow(addr, (1ULL << ws) - 1, &end)) {
        return RTAS_OUT_HW_ERROR;
    }
    return RTAS_OUT_SUCCESS;
}

static int32_t model_rtas(int which, const uint32_t *in, uint32_t nargs,
                          uint32_t nret)
{
    static const uint32_t good_nargs[] = { 3, 5, 1, 3 };
    static const uint32_t good_nret[] = { 5, 4, 1, 1 };
    SpaprPhbState *sphb;
    FuzzTable *t;

    if (nargs != good_nargs[which] ||
        (nret != good_nret[which] && !(which == 0 && nret == 6))) {
        return RTAS_OUT_PARAM_ERROR;
    }
    if (which == 2) {
        t = table_by_liobn(in[0]);
        return t && fz.phb[t->phb]->ddw_enabled && t->tcet->nb_table ?
               RTAS_OUT_SUCCESS : RTAS_OUT_PARAM_ERROR;
    }
    sphb = spapr_pci_find_phb((uint64_t)in[1] << 32 | in[2]);
    if (!sphb || !sphb->ddw_enabled) {
        return RTAS_OUT_PARAM_ERROR;
    }
    return which == 1 ? model_create(sphb, in[3], in[4]) : RTAS_OUT_SUCCESS;
}

static void op_rtas(void)
{
    static const char *const names[] = {
        "ibm,query-pe-dma-window", "ibm,create-pe-dma-window",
        "ibm,remove-pe-dma-window", "ibm,reset-pe-dma-window",
    };
    static const uint32_t good_nargs[] = { 3, 5, 1, 3 };
    static const uint32_t good_nret[] = { 5, 4, 1, 1 };
    int which = rnd_below(4), reset_phb = -1;
    uint64_t buid = rnd_buid();
    uint32_t in[8], out[6] = { 0 }, nargs, nret, status;
    int32_t want;
    bool before[MAX_TABLES];
    SpaprPhbState *sphb = spapr_pci_find_phb(buid);
    int active_before = sphb ? spapr_phb_get_active_win_num(sphb) : 0;
    hwaddr args, rets;

    in[0] = rnd_below(0x10000);
    in[1] = buid >> 32;
    in[2] = buid;
    if (which == 1) {
        static const uint32_t ps[] = { 12, 16, 21, 24, 0, 11, 13, 34, 63, 64 };

        in[3] = chance(85) ? ps[rnd_below(4)] :
                chance(60) ? ps[rnd_below(G_N_ELEMENTS(ps))] : (uint32_t)rnd();
        in[4] = chance(85) ? in[3] + rnd_below(32) :
                chance(50) ? in[3] + rnd_below(40) : (uint32_t)rnd();
    } else if (which == 2) {
        in[0] = rnd_liobn32();
        sphb = NULL;
    }
    rnd_counts(&nargs, &nret, good_nargs[which], good_nret[which]);
    rnd_bufs(&args, &rets);
    snapshot_enabled(before);
    want = model_rtas(which, in, nargs, nret);
    status = rtas_call(names[which], nargs, in, nret, out, args, rets);
    fz.rtas++;
    if (args != SCRATCH || rets != SCRATCH + 0x100 || nret == 0) {
        /*
         * The status is not readable: a table whose state changed starts
         * empty, and one a reset rebuilt in place is empty now (the count
         * checks catch a reset that left anything behind).
         */
        for (int i = 0; i < fz.ntables; i++) {
            SpaprTceTable *tc = fz.t[i].tcet;

            if ((tc->nb_table != 0) != before[i] ||
                (which == 3 && tc->store &&
                 !spapr_tce_store_nonzero(tc->store))) {
                table_forget(&fz.t[i]);
            }
        }
        return;
    }
    g_assert_cmpint((int32_t)status, ==, want);
    fz.created += which == 1 && status == 0;
    fz.removed += which == 2 && status == 0;
    if (which == 1 && status == 0) {
        FuzzTable *t = table_by_liobn(out[1]);
        uint64_t start = (uint64_t)out[2] << 32 | out[3];

        g_assert_nonnull(sphb);
        g_assert_nonnull(t);
        g_assert_true(t->tcet->nb_table && !before[t - fz.t]);
        /*
         * QEMU's base by active count, or the other base when that one
         * would put the new window on top of an active window.
         */
        g_assert_true(start == (active_before ? sphb->dma64_win_addr :
                                                sphb->dma_win_addr) ||
                      start == (active_before ? sphb->dma_win_addr :
                                                sphb->dma64_win_addr));
        for (int i = 0; i < fz.ntables; i++) {
            SpaprTceTable *o = fz.t[i].tcet;

            g_assert_true(o == t->tcet || !o->nb_table ||
                          OBJECT(o)->parent != OBJECT(sphb) ||
                          !ranges_overlap(start, 1ULL << in[4], o->bus_offset,
                                          (uint64_t)o->nb_table <<
                                          o->page_shift));
        }
        g_assert_cmpint(spapr_phb_get_active_win_num(sphb), ==,
                        active_before + 1);
        g_assert_cmpuint((uint64_t)t->tcet->nb_table << t->tcet->page_shift,
                         ==, 1ULL << in[4]);
    } else if (which == 2 && status == 0) {
        FuzzTable *t = table_by_liobn(in[0]);

        g_assert_nonnull(t);
        g_assert_true(before[t - fz.t]);
    } else if (which == 3 && status == 0) {
        reset_phb = -2;
        for (int i = 0; i < NUM_PHBS; i++) {
            reset_phb = fz.phb[i]->buid == buid ? i : reset_phb;
        }
        g_assert_cmpint(reset_phb, >=, 0);
    } else if (status != 0) {
        /* A refused call changes nothing */
        for (int i = 0; i < fz.ntables; i++) {
            g_assert_cmpint(fz.t[i].tcet->nb_table != 0, ==, before[i]);
        }
    }
    resync_tables(before, reset_phb);
}

/* Hypercalls, predicted from the shadow */

/* Entries of n from ioba that fit the window; 0 if none. */
static uint64_t model_fit(FuzzTable *t, uint64_t ioba, uint64_t n,
                          uint64_t *idx)
{
    SpaprTceTable *tc = t->tcet;

    if (!tc->nb_table) {
        return 0;
    }
    ioba &= ~((1ULL << tc->page_shift) - 1);
    if (ioba < tc->bus_offset) {
        return 0;
    }
    *idx = (ioba - tc->bus_offset) >> tc->page_shift;
    return *idx < tc->nb_table ? MIN(n, tc->nb_table - *idx) : 0;
}

static uint64_t rnd_ioba(FuzzTable *t)
{
    SpaprTceTable *tc = t ? t->tcet : NULL;

    if (!tc || !tc->nb_table || chance(10)) {
        return chance(50) ? rnd_edge64() : rnd_below(1ULL << 40);
    }
    if (chance(15)) {
        /* around the ends of the window */
        uint64_t end = tc->bus_offset + ((uint64_t)tc->nb_table <<
                                         tc->page_shift);
        return (chance(50) ? tc->bus_offset : end) + rnd_below(0x40000) -
               0x20000;
    }
    return tc->bus_offset + (rnd_below(chance(50) ? 4096 : tc->nb_table) <<
                             tc->page_shift) + rnd_below(1ULL <<
                                                          tc->page_shift);
}

static uint64_t rnd_tce(void)
{
    switch (rnd_below(5)) {
    case 0:
        return 0;
    case 1:
        return rnd_edge64();
    default:
        return (rnd_below(RAM_SIZE) & ~0xfffULL) | rnd_below(4);
    }
}

/* The TCE budget: H_NO_MEM when a write could take tables past it. */
#define FUZZ_BUDGET     (256ULL << 20)

static uint64_t tables_bytes(void)
{
    uint64_t used = 0;

    for (int i = 0; i < fz.ntables; i++) {
        used += spapr_tce_table_bytes(fz.t[i].tcet);
    }
    return used;
}

/* Whether writing count entries (a list, or val repeated) is refused. */
static bool model_over_budget(uint64_t count, bool list, uint64_t val)
{
    uint64_t budget = spapr_machine_get()->tce_budget, used = tables_bytes();
    SpaprTceRun run = { 0, count, list ? 1 : val, list ? 1 : 0 };
    uint64_t cost = spapr_tce_store_run_cost(&run);

    return count && (used > budget || cost > budget - used);
}

/* Now and then a budget just above what the tables hold, or back. */
static void op_budget(void)
{
    spapr_machine_get()->tce_budget = chance(75) ? FUZZ_BUDGET :
                                      tables_bytes() + rnd_below(32768);
}

static void check_touched(FuzzTable *t, uint64_t idx, uint64_t n)
{
    for (uint64_t i = 0; i < MIN(n, TOUCH_CHECK); i++) {
        check_entry(t, idx + i);
    }
}

/*
 * After a TCE hcall that stored over [idx, idx + fit) (list, or val when
 * list is NULL): the shadow takes the new values.  When the notifier
 * refused a run, the hcall fails with H_HARDWARE: entries before that run
 * are applied, the run is cleared, later ones are untouched; each entry
 * must be one of those three, and the host mirror must agree with it.
 */
static void hcall_done(FuzzTable *t, target_ulong ret, target_ulong want,
                       uint64_t idx, uint64_t fit, const uint64_t *list,
                       uint64_t val)
{
    bool refused = fz.refused != fz.refused_at_op;

    if (want == (target_ulong)H_NO_MEM) {
        /* Refused before anything changed */
        fz.no_mem++;
        g_assert_cmpint(ret, ==, want);
        g_assert_false(refused);
        check_touched(t, idx, fit);
        return;
    }

    /* H_HARDWARE exactly when the notifier refused a MAP of this call */
    g_assert_cmpint(ret == (target_ulong)H_HARDWARE, ==, refused);
    if (refused) {
        fz.hw_errors++;
        g_assert_true(fz.refusing && fit);
        for (uint64_t i = 0; i < fit; i++) {
            uint64_t now = spapr_tce_get_entry(t->tcet, idx + i);
            uint64_t new = list ? list[i] : val;

            g_assert_true(now == new || now == 0 ||
                          now == shadow_get(t, idx + i));
            shadow_set(t, idx + i, now);
        }
    } else {
        g_assert_cmpint(ret, ==, want);
        for (uint64_t i = 0; i < fit; i++) {
            shadow_set(t, idx + i, list ? list[i] : val);
        }
    }
    if (fit) {
        check_touched(t, idx, fit);
    }
}

static void op_put_get(bool put)
{
    uint64_t liobn = rnd_liobn(), idx = 0, fit;
    FuzzTable *t = liobn <= UINT32_MAX ? table_by_liobn(liobn) : NULL;
    target_ulong args[SPAPR_HCALL_NARGS] = { liobn, rnd_ioba(t), rnd_tce() };
    target_ulong want = H_PARAMETER, ret;
    uint64_t tce = args[2], ioba = args[1];

    fit = t ? model_fit(t, ioba, 1, &idx) : 0;
    want = fit ? H_SUCCESS : H_PARAMETER;
    if (put && fit && model_over_budget(1, false, tce)) {
        want = H_NO_MEM;
    }
    ret = spapr_hypercall(spapr_machine_get(), put ? H_PUT_TCE : H_GET_TCE,
                          args);
    fz.hcalls++;
    if (put) {
        hcall_done(t, ret, want, idx, fit, NULL, tce);
        return;
    }
    g_assert_cmpint(ret, ==, want);
    /* r4: the entry, or untouched */
    g_assert_cmphex(args[0], ==, fit ? shadow_get(t, idx) : liobn);
}

static uint64_t rnd_npages(FuzzTable *t, bool stuff)
{
    uint64_t nb = t && t->tcet->nb_table ? t->tcet->nb_table : 1;

    switch (rnd_below(10)) {
    case 0:
        return rnd_edge64();
    case 1:
        return chance(50) ? 512 : 513;
    case 2:
        return stuff ? nb + rnd_below(2) : 0;
    default:
        return 1 + rnd_below(chance(80) ? 16 : 600);
    }
}

static void op_stuff(void)
{
    uint64_t liobn = rnd_liobn(), idx = 0, fit = 0, val = rnd_tce();
    FuzzTable *t = liobn <= UINT32_MAX ? table_by_liobn(liobn) : NULL;
    uint64_t npages = rnd_npages(t, true);
    target_ulong args[SPAPR_HCALL_NARGS] = { liobn, rnd_ioba(t), val, npages };
    target_ulong want = H_PARAMETER, ret;

    /*
     * A non-zero value over a huge window allocates 8 bytes per page (the
     * guest's right; QEMU allocates it all at create): keep runs sane.
     */
    if (val && npages > 4096 && npages <= (t ? t->tcet->nb_table : 0)) {
        args[3] = npages = 1 + rnd_below(4096);
    }
    if (t && npages && npages <= t->tcet->nb_table) {
        fit = model_fit(t, args[1], npages, &idx);
        want = fit == npages ? H_SUCCESS : H_PARAMETER;
        if (model_over_budget(fit, false, val)) {
            want = H_NO_MEM;
        }
    }
    ret = spapr_hypercall(spapr_machine_get(), H_STUFF_TCE, args);
    fz.hcalls++;
    if (fit <= 4096 || val || want == (target_ulong)H_NO_MEM) {
        hcall_done(t, ret, want, idx, fit, NULL, val);
        return;
    }
    g_assert_cmpint(ret, ==, want);
    {
        /* Cleared a big range: check it against the shadow afterwards */
        GHashTableIter it;
        gpointer key;

        g_hash_table_iter_init(&it, t->shadow);
        while (g_hash_table_iter_next(&it, &key, NULL)) {
            uint64_t i = GPOINTER_TO_SIZE(key);

            if (i >= idx && i - idx < fit) {
                g_hash_table_iter_remove(&it);
            }
        }
        t->shadow_valid = 0;
        g_hash_table_iter_init(&it, t->shadow);
        while (g_hash_table_iter_next(&it, &key, &key)) {
            t->shadow_valid += !!(GPOINTER_TO_SIZE(key) & TCE_VALID_BITS);
        }
    }
    check_touched(t, idx, fit);
}

static void op_indirect(void)
{
    uint64_t liobn = rnd_liobn(), idx = 0, fit = 0;
    FuzzTable *t = liobn <= UINT32_MAX ? table_by_liobn(liobn) : NULL;
    uint64_t npages = rnd_npages(t, false), list[512];
    uint64_t list_addr = LIST_AREA + rnd_below(16) * 0x1000;
    target_ulong args[SPAPR_HCALL_NARGS], want = H_PARAMETER, ret;
    unsigned n = MIN(npages, 512);

    if (chance(40)) {
        /* A Linux-style map: a progression, now and then a stray entry */
        uint64_t ps = t && t->tcet->nb_table ? 1ULL << t->tcet->page_shift
                                             : 4096;
        uint64_t base = (rnd_below(RAM_SIZE) & ~(ps - 1)) | (1 + rnd_below(3));

        for (unsigned i = 0; i < n; i++) {
            list[i] = GUINT64_TO_BE(chance(2) ? rnd_tce() : base + i * ps);
        }
    } else {
        for (unsigned i = 0; i < n; i++) {
            list[i] = GUINT64_TO_BE(rnd_tce());
        }
    }
    address_space_write(&address_space_memory, list_addr,
                        MEMTXATTRS_UNSPECIFIED, list, n * 8);
    if (chance(5)) {
        list_addr = chance(50) ? rnd_edge64() : list_addr + rnd_below(4096);
    } else if (chance(3)) {
        list_addr = RAM_SIZE - 0x1000 * rnd_below(2);   /* runs off RAM */
    }
    args[0] = liobn;
    args[1] = rnd_ioba(t);
    args[2] = list_addr;
    args[3] = npages;
    if (t && npages && npages <= 512 && !(list_addr & 0xfff)) {
        fit = model_fit(t, args[1], npages, &idx);
        want = fit == npages ? H_SUCCESS : H_PARAMETER;
        if (model_over_budget(fit, true, 0)) {
            want = H_NO_MEM;
        }
        /* What the guest's list holds (zeros past RAM) */
        memset(list, 0, sizeof(list));
        address_space_read(&address_space_memory, list_addr,
                           MEMTXATTRS_UNSPECIFIED, list, fit * 8);
    }
    ret = spapr_hypercall(spapr_machine_get(), H_PUT_TCE_INDIRECT, args);
    fz.hcalls++;
    for (uint64_t i = 0; i < fit; i++) {
        list[i] = GUINT64_FROM_BE(list[i]);
    }
    hcall_done(t, ret, want, idx, fit, list, 0);
}

static bool is_tce_hcall(uint64_t op)
{
    return op == H_PUT_TCE || op == H_GET_TCE || op == H_STUFF_TCE ||
           op == H_PUT_TCE_INDIRECT;
}

/* Any other hcall number, with any arguments: must just be refused. */
static void op_random_hcall(void)
{
    target_ulong args[SPAPR_HCALL_NARGS];
    uint64_t op;

    do {
        op = chance(50) ? rnd_edge64() : rnd_below(0x500) & ~3ULL;
    } while (is_tce_hcall(op));
    for (int i = 0; i < SPAPR_HCALL_NARGS; i++) {
        args[i] = rnd_edge64();
    }
    g_assert_cmpint(spapr_hypercall(spapr_machine_get(), op, args), ==,
                    H_FUNCTION);
}

/* DMA from edu through PHB 0 */

/*
 * Whether PHB 0's other window also covers addr.  As in QEMU 7.2, a new
 * window goes to dma64_win_addr whenever one window exists, so after
 * "remove default, create, create, remove the first, create" two windows
 * share that address; which one a device sees is then not modelled.
 */
static bool overlapped(FuzzTable *t, uint64_t addr)
{
    SpaprTceTable *o = fz.t[t == &fz.t[0] ? 1 : 0].tcet;
    uint64_t idx;

    return o->nb_table && addr >= o->bus_offset &&
           (idx = (addr - o->bus_offset) >> o->page_shift) < o->nb_table;
}

static void op_dma(void)
{
    FuzzTable *t = &fz.t[rnd_below(2)];      /* PHB 0's two tables */
    SpaprTceTable *tc = t->tcet;
    uint64_t addr = rnd_ioba(t), len = 1 + rnd_below(chance(50) ? 64 : 8192);
    uint8_t *buf = g_malloc(len), *ram = g_malloc(len);
    bool write = chance(50), one_page = false;
    uint64_t idx = 0, tce = 0, ps = tc->nb_table ? 1ULL << tc->page_shift : 0;
    uint64_t pa = 0;

    if (ps && model_fit(t, addr, 1, &idx) &&
        (addr & (ps - 1)) + len <= ps) {
        one_page = true;
        tce = shadow_get(t, idx);
        pa = (tce & ~(ps - 1)) + (addr & (ps - 1));
        one_page = pa + len <= RAM_SIZE && !overlapped(t, addr);
    }
    for (uint64_t i = 0; i < len; i++) {
        buf[i] = rnd();
    }
    if (one_page) {
        address_space_read(&address_space_memory, pa,
                           MEMTXATTRS_UNSPECIFIED, ram, len);
    }
    if (write) {
        pci_dma_write(fz.edu, addr, buf, len);
    } else {
        pci_dma_read(fz.edu, addr, buf, len);
    }
    fz.dmas++;
    if (one_page && write) {
        uint8_t *after = g_malloc(len);

        address_space_read(&address_space_memory, pa,
                           MEMTXATTRS_UNSPECIFIED, after, len);
        g_assert_cmpmem(after, len, tce & 2 ? buf : ram, len);
        g_free(after);
    } else if (one_page) {
        if (!(tce & 1)) {
            memset(ram, 0, len);
        }
        g_assert_cmpmem(buf, len, ram, len);
    }
    g_free(buf);
    g_free(ram);
}

/* Memory and bus-master enable in edu's command register (reset clears it) */
static void edu_enable(void)
{
    uint64_t buid = fz.phb[0]->buid;
    uint32_t in[5] = { 0x04, buid >> 32, buid, 2, 6 }, out[1];

    g_assert_cmpint(rtas_call("ibm,write-pci-config", 5, in, 1, out, SCRATCH,
                              SCRATCH + 0x100), ==, 0);
}

static void op_reset(void)
{
    qemu_system_reset();
    edu_enable();
    fz.resets++;
    for (int i = 0; i < fz.ntables; i++) {
        table_forget(&fz.t[i]);
    }
}

/* Migration and replay */

/*
 * The notifier's mirror, rebuilt by a replay: exactly the valid entries
 * of the shadow (what VFIO gets when a container is hot-plugged).
 */
static void replay_check(FuzzTable *t)
{
    g_hash_table_remove_all(t->host);
    if (t->tcet->nb_table) {
        g_assert_true(memory_region_iommu_replay(spapr_tce_get_iommu(t->tcet),
                                                 &t->n));
    }
    check_counts(t);
    check_all_entries(t);
}

/*
 * Saves the machine, scribbles over every window, loads the stream back:
 * every entry of every window must be what the shadow says, the listener
 * told of all of them again, and a replay must give the same.
 */
static void op_migrate(void)
{
    g_autoptr(GByteArray) s = NULL;
    Error *err = NULL;

    fz.refusing = false;
    spapr_machine_get()->tce_budget = FUZZ_BUDGET;
    s = migration_save_to_buffer(chance(50));
    for (int i = 0; i < fz.ntables; i++) {
        SpaprTceTable *tc = fz.t[i].tcet;
        /* no permission: one UNMAP, whatever the window's size */
        target_ulong args[SPAPR_HCALL_NARGS] = {
            tc->liobn, tc->bus_offset, rnd_tce() & ~TCE_VALID_BITS,
            MAX(tc->nb_table, 1),
        };

        spapr_hypercall(spapr_machine_get(), H_STUFF_TCE, args);
        /* A listener loses its mappings with the region (VFIO does) */
        g_hash_table_remove_all(fz.t[i].host);
    }
    if (!migration_load_from_buffer(s->data, s->len, &err)) {
        g_error("fuzz: own stream refused: %s", error_get_pretty(err));
    }
    fz.migrations++;
    for (int i = 0; i < fz.ntables; i++) {
        check_counts(&fz.t[i]);
        check_all_entries(&fz.t[i]);
        replay_check(&fz.t[i]);
    }
}

/* Setup and the loop */

static void add_tables(SpaprPhbState *sphb, int phb)
{
    for (int w = 0; w < SPAPR_PCI_DMA_MAX_WINDOWS; w++) {
        FuzzTable *t;

        if (!sphb->tcet[w]) {
            continue;
        }
        t = &fz.t[fz.ntables++];
        t->tcet = sphb->tcet[w];
        t->phb = phb;
        t->shadow = g_hash_table_new(NULL, NULL);
        t->host = g_hash_table_new(NULL, NULL);
        iommu_notifier_init(&t->n, fuzz_notify, IOMMU_NOTIFIER_ALL, 0,
                            UINT64_MAX);
        g_assert_true(memory_region_register_iommu_notifier(
                          spapr_tce_get_iommu(t->tcet), &t->n, NULL));
    }
}

static void fuzz_setup(void)
{
    static char *argv[] = {
        (char *)"spapr-ddw", (char *)"-M", (char *)"pseries-2.7",
        (char *)"-m", (char *)"4G", (char *)"-display", (char *)"none",
        (char *)"-nodefaults",
        (char *)"-device", (char *)"spapr-pci-host-bridge,index=1,id=phb1",
        (char *)"-device",
        (char *)"spapr-pci-host-bridge,index=2,id=phb2,ddw=off",
        (char *)"-device", (char *)"edu,dma_mask=0xffffffffffffffff",
        NULL,
    };

    qemu_init(G_N_ELEMENTS(argv) - 1, argv);
    spapr_machine_get()->tce_budget = FUZZ_BUDGET;
    for (int i = 0; i < NUM_PHBS; i++) {
        fz.phb[i] = spapr_pci_find_phb(SPAPR_PCI_BASE_BUID + i);
        g_assert_nonnull(fz.phb[i]);
        add_tables(fz.phb[i], i);
    }
    g_assert_cmpint(fz.ntables, ==, 5);
    fz.edu = pci_find_device(fz.phb[0]->bus, 0, 0);
    g_assert_nonnull(fz.edu);
    edu_enable();
}

static void fuzz_step(void)
{
    uint64_t r = rnd_below(1000);

    fz.refusing = chance(4);
    fz.refused_at_op = fz.refused;
    if (chance(1)) {
        op_budget();
    }
    if (r < 150) {
        fz.last_op = "rtas";
        op_rtas();
    } else if (r < 330) {
        fz.last_op = "put";
        op_put_get(true);
    } else if (r < 450) {
        fz.last_op = "get";
        op_put_get(false);
    } else if (r < 600) {
        fz.last_op = "stuff";
        op_stuff();
    } else if (r < 850) {
        fz.last_op = "indirect";
        op_indirect();
    } else if (r < 990) {
        fz.last_op = "dma";
        op_dma();
    } else if (r < 996) {
        fz.last_op = "hcall";
        op_random_hcall();
    } else if (r < 997) {
        fz.last_op = "migrate";
        op_migrate();
    } else {
        fz.last_op = "reset";
        op_reset();
    }
}

static void test_ddw_fuzz(void)
{
    const char *env = g_getenv("SPAPR_DDW_FUZZ_SEED");
    bool slow = g_test_slow() || g_getenv("SPAPR_DDW_SLOW");
    uint64_t seed = env ? g_ascii_strtoull(env, NULL, 0) :
                          g_get_real_time() ^ ((uint64_t)getpid() << 32);
    uint64_t steps = slow ? 100000 : 4000;

    g_test_message("seed %" PRIu64 " (SPAPR_DDW_FUZZ_SEED=%" PRIu64
                   " replays it), %" PRIu64 " steps", seed, seed, steps);
    fz.rng = seed;
    fuzz_setup();
    check_invariants(true);
    for (fz.steps = 0; fz.steps < steps; fz.steps++) {
        fuzz_step();
        check_invariants(fz.steps % FULL_CHECK == FULL_CHECK - 1);
    }
    check_invariants(true);
    g_test_message("%" PRIu64 " RTAS calls (%" PRIu64 " windows created, %"
                   PRIu64 " removed), %" PRIu64 " TCE hcalls (%" PRIu64
                   " H_HARDWARE after %" PRIu64 " refused MAPs), %" PRIu64
                   " DMAs, %" PRIu64 " resets, %" PRIu64 " migrations, %"
                   PRIu64 " H_NO_MEM", fz.rtas, fz.created, fz.removed,
                   fz.hcalls, fz.hw_errors, fz.refused, fz.dmas, fz.resets,
                   fz.migrations, fz.no_mem);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-ddw/fuzz", test_ddw_fuzz);
    return g_test_run();
}
