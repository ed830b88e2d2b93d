/*
 * Fuzzes the migration loader in-process: builds a machine, makes a valid
 * stream of it (both TCE windows mapped, some RAM, the edu device), then
 * feeds mutated copies to the loader.  Every input must be refused or
 * loaded without a crash, leak or sanitizer report.  1 M inputs with
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
        (char *)"edu,addr=2", NULL,
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

static void test_load_fuzz(void)
{
    g_autoptr(GByteArray) good = migration_save_to_buffer(false);
    g_autoptr(GByteArray) good_z = migration_save_to_buffer(true);
    GRand *r = g_rand_new_with_seed(0x5ddf);
    uint64_t loaded = 0;
    Error *err = NULL;

    /* The unmutated streams load: the fuzzer starts from valid input. */
    g_assert_true(migration_load_from_buffer(good->data, good->len, NULL));
    g_assert_true(migration_load_from_buffer(good_z->data, good_z->len,
                                             NULL));
    for (uint64_t i = 0; i < fuzz_count; i++) {
        GByteArray *b = mig_fuzz_mutate(r, i % 8 ? good : good_z);

        if (migration_load_from_buffer(b->data, b->len, &err)) {
            loaded++;
        } else {
            error_free(err);
            err = NULL;
        }
        g_byte_array_unref(b);
    }
    g_rand_free(r);
    g_test_message("%" PRIu64 " inputs, %" PRIu64 " loaded, stream %u "
                   "bytes (%u compressed)", fuzz_count, loaded, good->len,
                   good_z->len);
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
