/*
 * Fuzzes the migration loader in-process: builds a machine, makes a valid
 * stream of it (both TCE windows mapped, some RAM, the edu device), then
 * feeds mutated copies to the loader.  Every input must be refused or
 * loaded without a crash, leak or sanitizer report, and a refused one
 * must leave the destination as it was (issue 13), fingerprinted before
 * and after: both TCE windows (geometry and their first entries), the
 * PHB's DMA state, the VFIO destination's emulated host (its windows,
 * every TCE, its memlock charge) and the RAM the stream carries.
 *
 * Half the inputs load as one buffer; the other half as an incoming
 * migration does, fed in pieces, with a qtest-style write into one of
 * the stream's pages between two of them (ram-load.c's RAM write
 * notifier): after a refusal that page holds what it held with the
 * write on top, not the stream's data and not its older contents.
 *
 * SPAPR_DDW_FUZZ_COUNT=N sets the inputs: 5000 in make check; 50 k in
 * slow mode (-m slow, SPAPR_DDW_SLOW=1), which took 192 s (VM idle) to
 * 299 s (load 4-5) under ASAN + UBSAN (make check-slow-sanitizers) on
 * the 2-core VM shared with other builds; the slow timeout is 1800 s.  The mutations
 * come from a fixed seed, so a failing input number replays.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/pci-host/spapr.h"
#include "migration/migration.h"
#include "hw/vfio/host-emu.h"
#include "migration/savevm.h"
#include "sysemu/sysemu.h"
#include "tests/fuzz/fuzz-rng.h"
#include "tests/fuzz/migration-mutate.h"

#define FUZZ_DEFAULT    5000
#define FUZZ_SLOW       50000
#define STREAM_RAM      0x100000ULL     /* the RAM the stream carries */
#define STREAM_PAGES    4

static void fuzz_build_machine(void)
{
    char *argv[] = {
        (char *)"migration-load-fuzz", (char *)"-M", (char *)"pseries-2.7",
        (char *)"-m", (char *)"512M", (char *)"-display", (char *)"none",
        (char *)"-nodefaults", (char *)"-S", (char *)"-device",
        (char *)"edu,addr=2",
        /*
         * A VFIO destination whose host refuses windows much larger than
         * the stream's (its memlock limit: guest RAM and 8 MiB): those
         * refusals come from post_load, after the checks, and are rolled
         * back.
         */
        (char *)"-object",
        (char *)"vfio-spapr-host-emu,id=h0,memlock-limit=0x20800000",
        (char *)"-device", (char *)"vfio-pci,host-emu=h0,addr=0", NULL,
    };
    SpaprTceTable *def, *ddw;

    qemu_init(G_N_ELEMENTS(argv) - 1, argv);
    def = spapr_tce_find_by_liobn(0x80000000);
    ddw = spapr_tce_find_by_liobn(0x80000001);
    g_assert(def && ddw);
    g_assert(spapr_tce_table_enable(ddw, 16, 1ULL << 59, 64, NULL));
    for (uint64_t i = 0; i < 64; i++) {
        spapr_tce_put(ddw, (1ULL << 59) + (i << 16), (i << 16) | 3);
        spapr_tce_put(def, i << 12, ((i * 7) << 12) | (i & 3));
    }
    for (uint64_t a = STREAM_RAM; a < STREAM_RAM + STREAM_PAGES * 4096;
         a += 8) {
        address_space_stl_be(&address_space_memory, a, a * 2654435761u,
                             NULL);
    }
}

static uint64_t fuzz_count;

static void fuzz_hash_table(GChecksum *ck, uint32_t liobn)
{
    SpaprTceTable *t = spapr_tce_find_by_liobn(liobn);
    uint64_t geo[5] = { t->liobn, t->nb_table, t->bus_offset, t->page_shift,
                        t->def_win };

    g_checksum_update(ck, (const guchar *)geo, sizeof(geo));
    for (uint64_t i = 0; i < MIN(t->nb_table, 128); i++) {
        uint64_t e = spapr_tce_get_entry(t, i);

        g_checksum_update(ck, (const guchar *)&e, sizeof(e));
    }
}

static void fuzz_hash_phb(GChecksum *ck)
{
    SpaprPhbState *sphb = spapr_pci_find_phb(SPAPR_PCI_BASE_BUID);
    uint64_t st[6] = { sphb->ddw_enabled, sphb->dma_win_addr,
                       sphb->dma_win_size, sphb->dma64_win_addr,
                       sphb->page_size_mask,
                       spapr_phb_get_active_win_num(sphb) };

    g_checksum_update(ck, (const guchar *)st, sizeof(st));
}

static bool fuzz_hash_tce(uint64_t iova, uint64_t vaddr, int perm,
                          unsigned page_shift, void *opaque)
{
    uint64_t e[4] = { iova, vaddr, perm, page_shift };

    g_checksum_update(opaque, (const guchar *)e, sizeof(e));
    return true;
}

/* What the emulated host behind vfio-pci holds: windows, TCEs, memlock. */
static void fuzz_hash_host(GChecksum *ck)
{
    VFIOHost *h = vfio_host_emu_find("h0", NULL);
    VFIOHostEmuWindow w[2];
    unsigned n;
    uint64_t used;

    g_assert_nonnull(h);
    n = vfio_host_emu_windows(h, w, 2);
    used = vfio_host_emu_memlock_used(h);
    g_assert_cmpuint(n, <=, 2);
    for (unsigned i = 0; i < n; i++) {
        /* not level_pages: table pages stay allocated once touched */
        uint64_t geo[7] = { w[i].slot, w[i].start, w[i].size,
                            w[i].page_shift, w[i].levels, w[i].mapped_pages,
                            w[i].charged };

        g_checksum_update(ck, (const guchar *)geo, sizeof(geo));
    }
    g_checksum_update(ck, (const guchar *)&used, sizeof(used));
    g_assert_true(vfio_host_emu_foreach_tce(h, fuzz_hash_tce, ck));
}

/*
 * What a refused stream must not change; page (the one at page_at) as
 * it must be rather than as RAM holds it, when given.
 */
static char *fuzz_fingerprint(uint64_t page_at, const uint8_t *page)
{
    GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
    uint8_t buf[4096];
    char *hex;

    fuzz_hash_table(ck, 0x80000000);
    fuzz_hash_table(ck, 0x80000001);
    fuzz_hash_phb(ck);
    fuzz_hash_host(ck);
    for (uint64_t a = STREAM_RAM; a < STREAM_RAM + STREAM_PAGES * 4096;
         a += sizeof(buf)) {
        address_space_read(&address_space_memory, a, MEMTXATTRS_UNSPECIFIED,
                           buf, sizeof(buf));
        g_checksum_update(ck, page && a == page_at ? page : buf, sizeof(buf));
    }
    hex = g_strdup(g_checksum_get_string(ck));
    g_checksum_free(ck);
    return hex;
}

/* The qtest client's write during an incoming load. */
typedef struct FuzzWrite {
    uint64_t page_at;           /* 0: none */
    uint32_t off, len;
    uint8_t data[4096];
    uint8_t expect[4096];       /* the page before the load, and the write */
} FuzzWrite;

static void fuzz_write_plan(GRand *r, FuzzWrite *w)
{
    w->page_at = STREAM_RAM + 4096 * g_rand_int_range(r, 0, STREAM_PAGES);
    w->off = g_rand_boolean(r) ? 0 : g_rand_int_range(r, 0, 4096);
    w->len = w->off == 0 && g_rand_boolean(r) ? 4096 :
             g_rand_int_range(r, 1, 4096 - w->off + 1);
    for (uint32_t i = 0; i < w->len; i++) {
        w->data[i] = g_rand_int_range(r, 0, 256);
    }
    address_space_read(&address_space_memory, w->page_at,
                       MEMTXATTRS_UNSPECIFIED, w->expect, 4096);
    memcpy(w->expect + w->off, w->data, w->len);
}

/*
 * As an incoming migration loads: in up to three pieces, the planned
 * write going in after the first (as a qtest memwrite does).
 */
static bool fuzz_load_incoming(GRand *r, GByteArray *b, FuzzWrite *w,
                               Error **errp)
{
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);
    guint32 cut1 = g_rand_int_range(r, 0, b->len + 1);
    guint32 cut2 = g_rand_int_range(r, cut1, b->len + 1);
    bool ok = savevm_load_feed(l, b->data, cut1, errp);

    address_space_write(&address_space_memory, w->page_at + w->off,
                        MEMTXATTRS_UNSPECIFIED, w->data, w->len);
    ok = ok && savevm_load_feed(l, b->data + cut1, cut2 - cut1, errp) &&
         savevm_load_feed(l, b->data + cut2, b->len - cut2, errp) &&
         savevm_load_finish(l, errp);
    savevm_load_free(l);
    return ok;
}

static void test_load_fuzz(void)
{
    g_autoptr(GByteArray) good = migration_save_to_buffer(false);
    g_autoptr(GByteArray) good_z = migration_save_to_buffer(true);
    GRand *r = g_rand_new_with_seed(0x5ddf);
    uint64_t loaded = 0, host_refused = 0, incoming = 0;
    Error *err = NULL;

    /* The unmutated streams load: the fuzzer starts from valid input. */
    g_assert_true(migration_load_from_buffer(good->data, good->len, NULL));
    g_assert_true(migration_load_from_buffer(good_z->data, good_z->len,
                                             NULL));
    for (uint64_t i = 0; i < fuzz_count; i++) {
        GByteArray *b = mig_fuzz_mutate(r, i % 8 ? good : good_z);
        FuzzWrite w = { 0 };
        g_autofree char *before = NULL, *after = NULL;
        bool ok;

        if (g_rand_boolean(r)) {
            fuzz_write_plan(r, &w);
            before = fuzz_fingerprint(w.page_at, w.expect);
            ok = fuzz_load_incoming(r, b, &w, &err);
            incoming++;
        } else {
            before = fuzz_fingerprint(0, NULL);
            ok = migration_load_from_buffer(b->data, b->len, &err);
        }
        if (ok) {
            loaded++;
        } else {
            after = fuzz_fingerprint(0, NULL);
            host_refused += !!strstr(error_get_pretty(err), "host");
            if (strcmp(before, after)) {
                g_error("input %" PRIu64 " was refused (%s) but changed the "
                        "destination%s", i, error_get_pretty(err),
                        w.page_at ? " (or lost a write during the load)" : "");
            }
            error_free(err);
            err = NULL;
        }
        g_byte_array_unref(b);
    }
    g_rand_free(r);
    g_test_message("%" PRIu64 " inputs (%" PRIu64 " fed in pieces around "
                   "a RAM write), %" PRIu64 " loaded, %" PRIu64
                   " refused by the VFIO host and rolled back, stream %u "
                   "bytes (%u compressed)", fuzz_count, incoming, loaded,
                   host_refused, good->len, good_z->len);
    /* Some mutations (page data, TCE values) are valid streams. */
    g_assert_cmpuint(loaded, >, 0);
    g_assert_cmpuint(loaded, <, fuzz_count);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    fuzz_count = fuzz_run_count(FUZZ_DEFAULT, FUZZ_SLOW);
    fuzz_build_machine();
    g_test_add_func("/migration/load-fuzz", test_load_fuzz);
    return g_test_run();
}
