/*
 * Replay into the emulated POWER host: a guest maps a DDW with a mix of
 * progressions (extents), random lists (leaves), single entries and
 * stuffed constants, some in the middle of extents, with no VFIO device;
 * then vfio-pci is hot-plugged and its container replays the windows.
 * Every entry of every window must then be in the host's kernel-shaped
 * tables exactly as the guest has it, and the replay must have cost one
 * MAP_DMA per run of valid entries, not one per entry.
 *
 * Then the default window goes, leaving the DDW at 1 << 59 in the host's
 * slot 1, and the machine's state is saved and loaded: re-created while
 * slot 0 is free, the host window must still land at 1 << 59.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include <linux/vfio.h>
#include "qemu/bswap.h"
#include "qemu/option.h"
#include "hw/pci-host/spapr.h"
#include "hw/vfio/host-emu.h"
#include "migration/migration.h"
#include "sysemu/sysemu.h"

#define RAM_SIZE    (2ULL << 30)
#define SCRATCH     0x10000000ULL
#define LIST        0x10001000ULL
#define DDW_SHIFT   16
#define DDW_ENTRIES (1U << 14)

static target_ulong hcall(target_ulong op, uint64_t a0, uint64_t a1,
                          uint64_t a2, uint64_t a3)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { a0, a1, a2, a3 };

    return spapr_hypercall(spapr_machine_get(), op, args);
}

/* An RTAS call that must succeed; returns its second return word. */
static uint32_t rtas_ok(const char *name, uint32_t nargs, const uint32_t *in,
                        uint32_t nret)
{
    SpaprRtasArgs a = { nargs, SCRATCH, nret, SCRATCH + 0x100 };

    for (uint32_t i = 0; i < nargs; i++) {
        address_space_stl_be(&address_space_memory, SCRATCH + 4 * i, in[i],
                             NULL);
    }
    g_assert_true(spapr_rtas_call_by_name(spapr_machine_get(), name, &a));
    g_assert_cmpint(address_space_ldl_be(&address_space_memory,
                                         SCRATCH + 0x100, NULL), ==, 0);
    return nret > 1 ? address_space_ldl_be(&address_space_memory,
                                           SCRATCH + 0x104, NULL) : 0;
}

static SpaprTceTable *create_ddw(void)
{
    uint64_t buid = SPAPR_PCI_BASE_BUID;
    uint32_t args[5] = { 0, buid >> 32, (uint32_t)buid, DDW_SHIFT,
                         DDW_SHIFT + 14 };

    return spapr_tce_find_by_liobn(rtas_ok("ibm,create-pe-dma-window", 5,
                                           args, 4));
}

/* A TCE of a page inside RAM with some permission. */
static uint64_t rnd_tce(GRand *r, uint64_t ps)
{
    return ((uint64_t)g_rand_int_range(r, 0, RAM_SIZE / ps) * ps) |
           g_rand_int_range(r, 1, 4);
}

static void indirect(SpaprTceTable *t, uint64_t idx, const uint64_t *v,
                     unsigned n)
{
    uint64_t be[512];

    for (unsigned i = 0; i < n; i++) {
        be[i] = GUINT64_TO_BE(v[i]);
    }
    address_space_write(&address_space_memory, LIST, MEMTXATTRS_UNSPECIFIED,
                        be, n * 8);
    g_assert_cmpint(hcall(H_PUT_TCE_INDIRECT, t->liobn,
                          t->bus_offset + (idx << t->page_shift), LIST, n),
                    ==, H_SUCCESS);
}

/* Mixed writes into window t. */
static void scribble(SpaprTceTable *t, GRand *r, int ops)
{
    uint64_t ps = 1ULL << t->page_shift, v[512];

    for (int op = 0; op < ops; op++) {
        unsigned n = g_rand_int_range(r, 1, 513);
        uint64_t idx = g_rand_int_range(r, 0, t->nb_table - n);
        uint64_t base = rnd_tce(r, ps) % (RAM_SIZE - 512 * ps);

        switch (g_rand_int_range(r, 0, 5)) {
        case 0:         /* a Linux-style progression */
            for (unsigned i = 0; i < n; i++) {
                v[i] = base + i * ps;
            }
            indirect(t, idx, v, n);
            break;
        case 1:         /* random */
            for (unsigned i = 0; i < n; i++) {
                v[i] = g_rand_boolean(r) ? 0 : rnd_tce(r, ps);
            }
            indirect(t, idx, v, n);
            break;
        case 2:         /* one entry, often inside an extent */
            g_assert_cmpint(hcall(H_PUT_TCE, t->liobn,
                                  t->bus_offset + (idx << t->page_shift),
                                  rnd_tce(r, ps), 0), ==, H_SUCCESS);
            break;
        case 3:         /* a constant: many iovas, one page */
            g_assert_cmpint(hcall(H_STUFF_TCE, t->liobn,
                                  t->bus_offset + (idx << t->page_shift),
                                  rnd_tce(r, ps), n), ==, H_SUCCESS);
            break;
        default:        /* a clear */
            g_assert_cmpint(hcall(H_STUFF_TCE, t->liobn,
                                  t->bus_offset + (idx << t->page_shift),
                                  0, n), ==, H_SUCCESS);
        }
    }
}

/* Host and guest agree on every entry of t; returns the valid ones. */
static uint64_t compare_window(VFIOHost *h, SpaprTceTable *t)
{
    uint64_t gps = 1ULL << t->page_shift, valid = 0;
    VFIOHostEmuWindow w[2];
    unsigned nw = vfio_host_emu_windows(h, w, 2), j = 0;
    uint64_t hps;

    while (j < nw && w[j].start != t->bus_offset) {
        j++;
    }
    g_assert_cmpuint(j, <, nw);
    hps = 1ULL << w[j].page_shift;
    for (uint64_t i = 0; i < t->nb_table; i++) {
        uint64_t tce = spapr_tce_get_entry(t, i);

        for (uint64_t off = 0; off < gps; off += hps) {
            uint64_t vaddr = 0;
            int perm = 0;
            bool ok = vfio_host_emu_lookup(h, t->bus_offset + i * gps + off,
                                           &vaddr, &perm);

            g_assert_cmpint(ok, ==, !!(tce & 3));
            if (ok) {
                g_assert_cmphex(vaddr, ==, (uintptr_t)address_space_get_ram_ptr(
                                    &address_space_memory,
                                    (tce & ~(gps - 1)) + off, NULL, NULL));
                g_assert_cmpint(perm, ==, tce & 3);
                valid++;
            }
        }
    }
    return valid;
}

static void test_replay_mixed(void)
{
    SpaprPhbState *phb = spapr_pci_find_phb(SPAPR_PCI_BASE_BUID);
    SpaprTceTable *ddw = create_ddw(), *def = phb->tcet[0];
    GRand *r = g_rand_new_with_seed(1202);
    GPtrArray *opts;
    Error *err = NULL;
    VFIOHost *h;
    uint64_t maps;

    g_assert_true(def->nb_table && ddw != def);
    scribble(ddw, r, 400);
    scribble(def, r, 100);
    opts = keyval_parse("driver=vfio-pci,host-emu=h0,id=vf0", NULL, &err);
    g_assert_true(qdev_device_add(opts, true, &err));
    g_ptr_array_unref(opts);
    h = vfio_host_emu_find("h0", &err);
    g_assert_nonnull(h);
    compare_window(h, ddw);
    compare_window(h, def);
    maps = vfio_host_emu_ioctl_count(h, VFIO_IOMMU_MAP_DMA);
    g_test_message("replay: %" PRIu64 " MAP_DMA for %" PRIu64 " + %" PRIu64
                   " valid entries", maps, spapr_tce_table_mapped(ddw),
                   spapr_tce_table_mapped(def));
    g_assert_cmpuint(maps, <,
                     spapr_tce_table_mapped(ddw) + spapr_tce_table_mapped(def));
    /* And the same after more writes with the container listening */
    scribble(ddw, r, 200);
    compare_window(h, ddw);
    g_rand_free(r);
}

/*
 * The guest made its DDW (1 << 59, host slot 1) and then removed the
 * default window: a load re-creates the DDW while the host's slot 0 is
 * free, where the host would put it at 0 without VFIO's placeholder.
 */
static void test_only_64bit_window_migrates(void)
{
    SpaprPhbState *phb = spapr_pci_find_phb(SPAPR_PCI_BASE_BUID);
    SpaprTceTable *def = phb->tcet[0], *ddw = phb->tcet[1];
    GRand *r = g_rand_new_with_seed(1203);
    g_autoptr(GByteArray) stream = NULL;
    Error *err = NULL;
    VFIOHost *h = vfio_host_emu_find("h0", &err);
    VFIOHostEmuWindow w[2];

    g_assert_nonnull(h);            /* vf0, plugged by the replay case */
    g_assert_true(def->nb_table && ddw->nb_table);
    rtas_ok("ibm,remove-pe-dma-window", 1, &def->liobn, 1);
    scribble(ddw, r, 100);
    stream = migration_save_to_buffer(false);
    scribble(ddw, r, 100);          /* the load must put it all back */
    if (!migration_load_from_buffer(stream->data, stream->len, &err)) {
        g_error("own stream refused: %s", error_get_pretty(err));
    }
    g_assert_cmpuint(vfio_host_emu_windows(h, w, 2), ==, 1);
    g_assert_cmphex(w[0].start, ==, ddw->bus_offset);
    g_assert_cmphex(ddw->bus_offset, ==, 1ULL << 59);
    g_assert_cmpuint(compare_window(h, ddw), ==,
                     spapr_tce_table_mapped(ddw) << (DDW_SHIFT - w[0].page_shift));
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    char *qargv[] = {
        (char *)"test-spapr-tce-replay", (char *)"-M", (char *)"pseries-2.7",
        (char *)"-m", (char *)"2G", (char *)"-display", (char *)"none",
        (char *)"-nodefaults", (char *)"-S",
        (char *)"-object", (char *)"vfio-spapr-host-emu,id=h0",
        NULL,
    };

    g_test_init(&argc, &argv, NULL);
    qemu_init(G_N_ELEMENTS(qargv) - 1, qargv);
    g_test_add_func("/tce-replay/mixed-into-emulated-host",
                    test_replay_mixed);
    g_test_add_func("/tce-replay/only-64bit-window-migrates",
                    test_only_64bit_window_migrates);
    return g_test_run();
}
