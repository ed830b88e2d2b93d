/*
 * Fuzzes the migration loader in-process: builds a machine, makes a valid
 * stream of it (both TCE windows mapped, some RAM, the edu device), then
 * feeds mutated copies to the loader.  Every input must be refused or
 * loaded without a crash, leak or sanitizer report, and a refused one
 * must leave the destination as it was: both TCE windows (geometry and
 * their first entries) and the RAM the stream carries, fingerprinted
 * before and after (issue 13).  1 M inputs with
 * SPAPR_DDW_SLOW=1 (make check-slow), a few thousand otherwise, or
 * SPAPR_DDW_FUZZ_COUNT.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/pci-host/spapr.h"
#include "migration/migration.h"
#include "sysemu/sysemu.h"
#include "tests/fuzz/migration-mutate.h"

#define FUZZ_DEFAULT    5000
#define FUZZ_SLOW       1000000

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
    for (uint64_t a = 0x100000; a < 0x104000; a += 8) {
        address_space_stl_be(&address_space_memory, a, a * 2654435761u,
                             NULL);
    }
}

static uint64_t fuzz_count = FUZZ_DEFAULT;

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

/* What a refused stream must not change. */
static char *fuzz_fingerprint(void)
{
    GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
    uint8_t page[4096];
    char *hex;

    fuzz_hash_table(ck, 0x80000000);
    fuzz_hash_table(ck, 0x80000001);
    for (uint64_t a = 0x100000; a < 0x104000; a += sizeof(page)) {
        address_space_read(&address_space_memory, a, MEMTXATTRS_UNSPECIFIED,
                           page, sizeof(page));
        g_checksum_update(ck, page, sizeof(page));
    }
    hex = g_strdup(g_checksum_get_string(ck));
    g_checksum_free(ck);
    return hex;
}

static void test_load_fuzz(void)
{
    g_autoptr(GByteArray) good = migration_save_to_buffer(false);
    g_autoptr(GByteArray) good_z = migration_save_to_buffer(true);
    GRand *r = g_rand_new_with_seed(0x5ddf);
    uint64_t loaded = 0, host_refused = 0;
    Error *err = NULL;

    /* The unmutated streams load: the fuzzer starts from valid input. */
    g_assert_true(migration_load_from_buffer(good->data, good->len, NULL));
    g_assert_true(migration_load_from_buffer(good_z->data, good_z->len,
                                             NULL));
    for (uint64_t i = 0; i < fuzz_count; i++) {
        GByteArray *b = mig_fuzz_mutate(r, i % 8 ? good : good_z);
        g_autofree char *before = fuzz_fingerprint(), *after = NULL;

        if (migration_load_from_buffer(b->data, b->len, &err)) {
            loaded++;
        } else {
            after = fuzz_fingerprint();
            host_refused += !!strstr(error_get_pretty(err), "host");
            if (strcmp(before, after)) {
                g_error("input %" PRIu64 " was refused (%s) but changed the "
                        "destination", i, error_get_pretty(err));
            }
            error_free(err);
            err = NULL;
        }
        g_byte_array_unref(b);
    }
    g_rand_free(r);
    g_test_message("%" PRIu64 " inputs, %" PRIu64 " loaded, %" PRIu64
                   " refused by the VFIO host and rolled back, stream %u "
                   "bytes (%u compressed)", fuzz_count, loaded, host_refused,
                   good->len, good_z->len);
    /* Some mutations (page data, TCE values) are valid streams. */
    g_assert_cmpuint(loaded, >, 0);
    g_assert_cmpuint(loaded, <, fuzz_count);
}

int main(int argc, char **argv)
{
    const char *count = g_getenv("SPAPR_DDW_FUZZ_COUNT");

    g_test_init(&argc, &argv, NULL);
    if (count) {
        fuzz_count = g_ascii_strtoull(count, NULL, 0);
    } else if (g_getenv("SPAPR_DDW_SLOW") || g_test_slow()) {
        fuzz_count = FUZZ_SLOW;
    }
    fuzz_build_machine();
    g_test_add_func("/migration/load-fuzz", test_load_fuzz);
    return g_test_run();
}
