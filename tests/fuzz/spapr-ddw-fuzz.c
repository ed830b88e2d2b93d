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
 *    through H_GET_TCE, and every extent every 512 steps);
 *  - an IOMMU notifier on each table (a stand-in for VFIO) has exactly
 *    the valid entries mapped ("nothing lost");
 *  - DMA through a window reads what RAM holds where the TCE allows
 *    reads, zeros elsewhere, and writes only where the TCE allows;
 *  - every RTAS status is the one the rules predict from the state before
 *    the call, H_HARDWARE comes exactly when the notifier refused a MAP,
 *    H_NO_MEM exactly when the TCE budget (the tce-budget machine
 *    property, tightened now and then) could be exceeded, and then
 *    nothing changed;
 *  - H_STUFF_TCE over up to a whole window (2^31 entries), of zero or a
 *    constant: a mapped constant over more than a slice runs as a job
 *    between main-loop iterations and answers only at its end, the
 *    others answer at once (spapr-ddw-fuzz/hcall.c);
 *  - after a save, a scribble over every window and a load, every entry
 *    of every window is the shadow's again, and a replay into a fresh
 *    notifier mirror gives exactly the valid ones.
 *
 * Two modes, each in a child process of its own (one machine per
 * process): /spapr-ddw/fuzz/notifier as above, and /spapr-ddw/fuzz/vfio,
 * the same with a vfio-pci device and the emulated POWER host on PHB 0
 * (no refusing notifier; TCEs mostly in guest RAM): after every step the
 * host's windows and mapped counts equal the guest's and a few entries
 * agree, every 512 steps and at the end every host TCE is walked against
 * the guest's entry, and a write with a valid TCE past RAM (2 % of
 * them) gives H_HARDWARE as the refused-run contract says, after which
 * host and guest still agree (spapr-ddw-fuzz/vfio.c).
 *
 * The parts: spapr-ddw-fuzz/shadow.c (the model and its checks), rtas.c,
 * hcall.c, vfio.c; this file drives them, with DMA, resets and migration.
 *
 * SPAPR_DDW_FUZZ_SEED=N replays a run (the seed is printed),
 * SPAPR_DDW_FUZZ_COUNT=N sets the steps: 4000 in make check; 1.5 M in
 * slow mode (-m slow, SPAPR_DDW_SLOW=1), which took 185 s (VM idle) to
 * 315 s (load 4-5) under ASAN + UBSAN (make check-slow-sanitizers) on
 * the 2-core VM shared with other builds; the slow timeout is 1800 s.
 * The VFIO mode: 3000 steps in make check (0.1 s; 0.5 s under ASAN),
 * 300 000 in slow mode: 9 s, 53 s under ASAN + UBSAN (VM idle).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "hw/ppc/spapr_tce_store.h"
#include "migration/migration.h"
#include "sysemu/sysemu.h"
#include "hw/vfio/host-emu.h"
#include "tests/fuzz/spapr-ddw-fuzz/fuzz.h"

#define FUZZ_DEFAULT    4000
#define FUZZ_SLOW       1500000
#define FUZZ_VFIO       3000
#define FUZZ_VFIO_SLOW  300000

Fuzz fz;

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
    if (fz.host) {
        vfio_check(full);
    }
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
 * Saves the machine, scribbles over every window, loads the stream back:
 * every entry of every window must be what the shadow says, the listener
 * told of all of them again, and a replay must give the same.
 */
static void op_migrate(void)
{
    g_autoptr(GByteArray) s = NULL;
    Error *err = NULL;

    if (fz.host && vfio_only_high_window()) {
        fz.vfio_migrate_high_only++;    /* the host needs a placeholder */
    }

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

static void fuzz_setup(bool vfio)
{
    static char *argv[] = {
        (char *)"spapr-ddw", (char *)"-M",
        (char *)"pseries-2.7,tce-budget=" G_STRINGIFY(FUZZ_BUDGET_BYTES),
        (char *)"-m", (char *)"4G", (char *)"-display", (char *)"none",
        (char *)"-nodefaults",
        (char *)"-device", (char *)"spapr-pci-host-bridge,index=1,id=phb1",
        (char *)"-device",
        (char *)"spapr-pci-host-bridge,index=2,id=phb2,ddw=off",
        (char *)"-device", (char *)"edu,dma_mask=0xffffffffffffffff",
        /* The VFIO mode: a vfio-pci device with the emulated host */
        (char *)"-object", (char *)"vfio-spapr-host-emu,id=h0",
        (char *)"-device", (char *)"vfio-pci,host-emu=h0,addr=1",
        NULL,
    };
    int argc = G_N_ELEMENTS(argv) - (vfio ? 1 : 5);
    static char *args[G_N_ELEMENTS(argv)];     /* qemu_init keeps it */
    Error *err = NULL;

    memcpy(args, argv, sizeof(argv));
    args[argc] = NULL;
    qemu_init(argc, args);
    if (vfio) {
        fz.host = vfio_host_emu_find("h0", &err);
        g_assert_nonnull(fz.host);
    }
    g_assert_cmpuint(spapr_machine_get()->tce_budget, ==, FUZZ_BUDGET);
    for (int i = 0; i < NUM_PHBS; i++) {
        fz.phb[i] = spapr_pci_find_phb(SPAPR_PCI_BASE_BUID + i);
        g_assert_nonnull(fz.phb[i]);
        for (int w = 0; w < SPAPR_PCI_DMA_MAX_WINDOWS; w++) {
            if (fz.phb[i]->tcet[w]) {
                fuzz_table_add(fz.phb[i]->tcet[w], i);
            }
        }
    }
    g_assert_cmpint(fz.ntables, ==, 5);
    fz.edu = pci_find_device(fz.phb[0]->bus, 0, 0);
    g_assert_nonnull(fz.edu);
    edu_enable();
}

static void fuzz_step(void)
{
    uint64_t r = rnd_below(1000);

    /* The real host of the VFIO mode refuses nothing it is given */
    fz.refusing = !fz.host && chance(4);
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

static void fuzz_run(bool vfio)
{
    uint64_t steps = vfio ? fuzz_run_count(FUZZ_VFIO, FUZZ_VFIO_SLOW) :
                            fuzz_run_count(FUZZ_DEFAULT, FUZZ_SLOW);

    fz.rng = fuzz_run_seed("SPAPR_DDW_FUZZ_SEED", steps);
    fuzz_setup(vfio);
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
    g_test_message("H_STUFF_TCE: %" PRIu64 " long calls in %" PRIu64
                   " main-loop iterations, %" PRIu64 " over %llu entries",
                   fz.long_calls, fz.long_slices, fz.huge_stuffs,
                   FUZZ_LONG_MAX);
    if (fz.host) {
        g_test_message("VFIO: %" PRIu64 " full host-versus-guest walks, %"
                       PRIu64 " migrations with only the 64-bit window, %" PRIu64
                       " MAP_DMA, %" PRIu64 " host TCEs at the end",
                       fz.vfio_full_checks, fz.vfio_migrate_high_only,
                       vfio_host_emu_ioctl_count(fz.host, VFIO_IOMMU_MAP_DMA),
                       vfio_mapped_total());
    }
}

/*
 * One machine per process: each mode runs in a child of its own (which
 * inherits SPAPR_DDW_FUZZ_SEED and _COUNT).
 */
static void test_ddw_fuzz(gconstpointer vfio)
{
    if (g_test_subprocess()) {
        fuzz_run(GPOINTER_TO_INT(vfio));
        return;
    }
    if (g_test_slow()) {
        g_setenv("SPAPR_DDW_SLOW", "1", true);  /* -m slow is not passed on */
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT |
                                    G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/spapr-ddw/fuzz/notifier", GINT_TO_POINTER(false),
                         test_ddw_fuzz);
    g_test_add_data_func("/spapr-ddw/fuzz/vfio", GINT_TO_POINTER(true),
                         test_ddw_fuzz);
    return g_test_run();
}
