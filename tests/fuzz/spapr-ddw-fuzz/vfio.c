/*
 * The DDW fuzzer's VFIO mode: a vfio-pci device with the emulated POWER
 * host (hw/vfio/host-emu/) sits on PHB 0, so a real VFIO container
 * follows PHB 0's windows besides the stand-in notifier.  "Nothing
 * lost": after every step the host has exactly one window per guest
 * window of PHB 0, at the same bus address and of the same size, holding
 * as many valid host TCEs as the guest's valid entries cover, and a few
 * random entries agree; every FULL_CHECK steps (and at the end) every
 * valid host TCE is the guest's entry, translated to the host address of
 * that guest page (with the counts, the host and the guest then agree
 * entry for entry over every mapped range).
 *
 * The host backs guest RAM with its own page size, so one guest page of
 * a window may be several host TCEs (hw/vfio/spapr.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/ppc/spapr_tce_store.h"
#include "hw/vfio/host-emu.h"
#include "tests/fuzz/spapr-ddw-fuzz/fuzz.h"

/* The host window at t's bus address, or NULL. */
static const VFIOHostEmuWindow *host_window(const VFIOHostEmuWindow *w,
                                            unsigned nw, SpaprTceTable *t)
{
    for (unsigned j = 0; j < nw; j++) {
        if (w[j].start == t->bus_offset) {
            return &w[j];
        }
    }
    return NULL;
}

/* The host address guest entry tce of a window of page size gps maps at off */
static uint64_t host_vaddr(uint64_t tce, uint64_t gps, uint64_t off)
{
    return (uintptr_t)address_space_get_ram_ptr(&address_space_memory,
                                                 (tce & ~(gps - 1)) + off,
                                                 NULL, NULL);
}

/* Guest entry idx of t and the host agree on every host page it covers. */
static void vfio_check_entry(SpaprTceTable *t, unsigned hshift, uint64_t idx)
{
    uint64_t gps = 1ULL << t->page_shift, hps = 1ULL << hshift;
    uint64_t tce = spapr_tce_get_entry(t, idx);

    for (uint64_t off = 0; off < gps; off += hps) {
        uint64_t vaddr = 0;
        int perm = 0;
        bool ok = vfio_host_emu_lookup(fz.host, t->bus_offset + idx * gps + off,
                                       &vaddr, &perm);

        g_assert_cmpint(ok, ==, !!(tce & TCE_VALID_BITS));
        if (ok) {
            g_assert_cmphex(vaddr, ==, host_vaddr(tce, gps, off));
            g_assert_cmpint(perm, ==, tce & TCE_VALID_BITS);
        }
        if (gps / hps > 4 && off == hps) {
            off = gps - 2 * hps;        /* a huge page: its ends */
        }
    }
}

typedef struct VfioWalk {
    uint64_t seen;
} VfioWalk;

/* A host TCE: the window's guest entry there must map the same page. */
static bool vfio_walk_tce(uint64_t iova, uint64_t vaddr, int perm,
                          unsigned page_shift, void *opaque)
{
    VfioWalk *walk = opaque;

    for (int i = 0; i < 2; i++) {
        SpaprTceTable *t = fz.t[i].tcet;
        uint64_t gps = 1ULL << t->page_shift, idx, tce;

        if (!t->nb_table || iova < t->bus_offset ||
            (idx = (iova - t->bus_offset) >> t->page_shift) >= t->nb_table) {
            continue;
        }
        tce = spapr_tce_get_entry(t, idx);
        g_assert_cmphex(tce & TCE_VALID_BITS, ==, perm);
        g_assert_cmphex(vaddr, ==, host_vaddr(tce, gps, (iova - t->bus_offset)
                                                        & (gps - 1)));
        walk->seen++;
        return true;
    }
    g_error("fuzz: host TCE at 0x%" PRIx64 " outside every guest window",
            iova);
}

void vfio_check(bool full)
{
    VFIOHostEmuWindow w[2];
    unsigned nw = vfio_host_emu_windows(fz.host, w, 2), guest = 0;
    uint64_t want = 0;

    for (int i = 0; i < 2; i++) {          /* PHB 0's two tables */
        SpaprTceTable *t = fz.t[i].tcet;
        const VFIOHostEmuWindow *hw;

        if (!t->nb_table) {
            continue;
        }
        guest++;
        hw = host_window(w, nw, t);
        g_assert_nonnull(hw);
        g_assert_cmphex(hw->size, ==, (uint64_t)t->nb_table << t->page_shift);
        g_assert_cmpuint(hw->page_shift, <=, t->page_shift);
        g_assert_cmpuint(hw->mapped_pages, ==, spapr_tce_table_mapped(t) <<
                         (t->page_shift - hw->page_shift));
        want += hw->mapped_pages;
        for (int k = 0; k < 4; k++) {
            vfio_check_entry(t, hw->page_shift, rnd_below(t->nb_table));
        }
    }
    g_assert_cmpuint(nw, ==, guest);
    if (full) {
        VfioWalk walk = { 0 };

        g_assert_true(vfio_host_emu_foreach_tce(fz.host, vfio_walk_tce,
                                                &walk));
        g_assert_cmpuint(walk.seen, ==, want);
        fz.vfio_full_checks++;
    }
}

/* Spot checks of a range just written: its ends and a few inside. */
void vfio_check_touched(FuzzTable *t, uint64_t idx, uint64_t n)
{
    VFIOHostEmuWindow w[2];
    const VFIOHostEmuWindow *hw;
    unsigned nw;

    if (!fz.host || (t != &fz.t[0] && t != &fz.t[1]) || !n) {
        return;
    }
    nw = vfio_host_emu_windows(fz.host, w, 2);
    hw = host_window(w, nw, t->tcet);
    if (!hw) {
        return;
    }
    vfio_check_entry(t->tcet, hw->page_shift, idx);
    vfio_check_entry(t->tcet, hw->page_shift, idx + n - 1);
    vfio_check_entry(t->tcet, hw->page_shift, idx + rnd_below(n));
}

/* Valid host TCEs over all windows. */
uint64_t vfio_mapped_total(void)
{
    VFIOHostEmuWindow w[2];
    unsigned nw = vfio_host_emu_windows(fz.host, w, 2);
    uint64_t n = 0;

    for (unsigned j = 0; j < MIN(nw, 2); j++) {
        n += w[j].mapped_pages;
    }
    return n;
}

/*
 * Whether the host refuses a write of fit entries (list, or val repeated)
 * to t: VFIO can map only guest RAM, so a valid TCE whose page lies past
 * it is refused, the hcall answers H_HARDWARE and the table holds what
 * hcall_refused (hcall.c) allows.  Called before the shadow takes it.
 */
bool vfio_refuses(FuzzTable *t, uint64_t fit, const uint64_t *list,
                  uint64_t val)
{
    uint64_t mask;

    if (!fz.host || !t || (t != &fz.t[0] && t != &fz.t[1]) ||
        !t->tcet->nb_table) {
        return false;
    }
    mask = ~((1ULL << t->tcet->page_shift) - 1);
    for (uint64_t i = 0; i < (list ? fit : !!fit); i++) {
        uint64_t tce = list ? list[i] : val;

        if ((tce & TCE_VALID_BITS) && (tce & mask) >= RAM_SIZE) {
            return true;
        }
    }
    return false;
}

/*
 * PHB 0's only window at the 64-bit address (the default window removed
 * after a DDW was created): loading a stream re-creates it while the
 * host's slot 0 is free, which VFIO fills with a placeholder so that the
 * window lands in slot 1 (hw/vfio/spapr.c).  Counted, to show the state
 * is reached.
 */
bool vfio_only_high_window(void)
{
    bool low = false, high = false;

    for (int i = 0; i < 2; i++) {
        SpaprTceTable *t = fz.t[i].tcet;

        low |= t->nb_table && t->bus_offset == VFIO_HOST_EMU_DMA32_START;
        high |= t->nb_table && t->bus_offset == VFIO_HOST_EMU_DMA64_START;
    }
    return high && !low;
}
