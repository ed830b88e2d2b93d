/*
 * The DDW fuzzer's RTAS side: query, create, remove and reset of DMA
 * windows with hostile arguments, counts and buffers, each status
 * predicted from the PHB's state before the call (QEMU 7.2's rules, see
 * the DDW spec), and the windows' effect on the shadow tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "hw/ppc/spapr_tce_store.h"
#include "tests/fuzz/spapr-ddw-fuzz/fuzz.h"

uint32_t rtas_call(const char *name, uint32_t nargs, const uint32_t *in,
                   uint32_t nret, uint32_t *out, hwaddr args, hwaddr rets)
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

void check_phb(int i)
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


static uint64_t rnd_buid(void)
{
    if (chance(85)) {
        return fz.phb[rnd_below(NUM_PHBS)]->buid;
    }
    return chance(50) ? SPAPR_PCI_BASE_BUID + rnd_below(300) : rnd_edge64();
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

void op_rtas(void)
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

