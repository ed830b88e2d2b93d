/*
 * TCE tables against a hostile guest and a hostile migration peer, in
 * process on a -m 2G machine: huge windows cost extents, not leaves; the
 * TCE budget refuses with H_NO_MEM and changes nothing; clearing returns
 * leaves; a 2^31-entry incoming run loads in small memory and a 2^29-entry
 * constant saves in small memory (both proven under RLIMIT_AS in a forked
 * child); incoming window geometry is checked as the RTAS calls check it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/resource.h>
#include <sys/wait.h>
#include "exec/memory.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/spapr_tce_store.h"
#include "migration/migration.h"
#include "migration/vmstate.h"
#include "sysemu/sysemu.h"

#define LIOBN_DEF   0x80000000
#define LIOBN_DDW   0x80000001
#define DDW_START   (1ULL << 59)
#define LIST_ADDR   0x10000000ULL
#define SMALL       (64 * 1024)

static target_ulong hcall(target_ulong opcode, uint64_t a0, uint64_t a1,
                          uint64_t a2, uint64_t a3)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { a0, a1, a2, a3 };

    return spapr_hypercall(spapr_machine_get(), opcode, args);
}

static SpaprTceTable *ddw_fresh(uint32_t page_shift, uint32_t nb)
{
    SpaprTceTable *ddw = spapr_tce_find_by_liobn(LIOBN_DDW);

    spapr_tce_table_disable(ddw);
    g_assert_true(spapr_tce_table_enable(ddw, page_shift, DDW_START, nb,
                                         NULL));
    return ddw;
}

/* Runs fn in a child whose address space may grow by at most extra bytes. */
static void run_limited(void (*fn)(void *), void *opaque, uint64_t extra)
{
    g_autofree char *status = NULL;
    const char *p;
    struct rlimit rl;
    pid_t pid;
    int ws;

    g_assert_true(g_file_get_contents("/proc/self/status", &status, NULL,
                                      NULL));
    p = strstr(status, "VmSize:");
    g_assert_nonnull(p);
    rl.rlim_cur = rl.rlim_max = strtoull(p + 7, NULL, 10) * 1024 + extra;
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        if (setrlimit(RLIMIT_AS, &rl)) {
            _exit(3);
        }
        fn(opaque);
        _exit(0);
    }
    g_assert_cmpint(waitpid(pid, &ws, 0), ==, pid);
    g_assert_true(WIFEXITED(ws));
    g_assert_cmpint(WEXITSTATUS(ws), ==, 0);
}

static void stuff_2g(void *opaque)
{
    SpaprTceTable *ddw = opaque;

    if (hcall(H_STUFF_TCE, LIOBN_DDW, DDW_START, 0x7000003, 1ULL << 31) ||
        spapr_tce_table_mapped(ddw) != 1ULL << 31 ||
        spapr_tce_table_bytes(ddw) > SMALL ||
        hcall(H_STUFF_TCE, LIOBN_DDW, DDW_START, 0, 1ULL << 31) ||
        spapr_tce_table_mapped(ddw)) {
        _exit(1);
    }
}

/* Issue 13 item 7: a 2^31-entry window stuffed whole costs an extent. */
static void test_stuff_huge_window(void)
{
    SpaprTceTable *ddw = ddw_fresh(12, 1U << 31);

    run_limited(stuff_2g, ddw, 64 << 20);
    spapr_tce_table_disable(ddw);
}

/* Random TCEs (no runs): every entry costs leaf memory. */
static void write_random_list(GRand *r)
{
    uint64_t list[512];

    for (int i = 0; i < 512; i++) {
        list[i] = GUINT64_TO_BE(((uint64_t)g_rand_int(r) << 12) | 3);
    }
    address_space_write(&address_space_memory, LIST_ADDR,
                        MEMTXATTRS_UNSPECIFIED, list, sizeof(list));
}

/* Issue 13 item 7: H_NO_MEM past the budget, nothing changed; leaves freed. */
static void test_budget(void)
{
    SpaprMachineState *spapr = spapr_machine_get();
    SpaprTceTable *ddw = ddw_fresh(12, 1U << 20);
    uint64_t base = spapr_tce_table_bytes(ddw), before[512];
    GRand *r = g_rand_new_with_seed(7);
    target_ulong ret = H_SUCCESS;
    uint64_t idx = 0;

    spapr->tce_budget = 2 << 20;
    for (; idx < (1U << 20) && ret == H_SUCCESS; idx += 512 * 3) {
        for (int i = 0; i < 512; i++) {
            before[i] = spapr_tce_get_entry(ddw, idx + i);
        }
        write_random_list(r);
        ret = hcall(H_PUT_TCE_INDIRECT, LIOBN_DDW, DDW_START + (idx << 12),
                    LIST_ADDR, 512);
    }
    g_assert_cmpint((int64_t)ret, ==, H_NO_MEM);
    idx -= 512 * 3;
    for (int i = 0; i < 512; i++) {
        g_assert_cmphex(spapr_tce_get_entry(ddw, idx + i), ==, before[i]);
    }
    g_assert_cmpuint(spapr_tce_table_bytes(ddw), <=, 2 << 20);
    /* A constant still fits: it is an extent */
    g_assert_cmpint(hcall(H_STUFF_TCE, LIOBN_DDW, DDW_START + (idx << 12),
                          0x1003, 4096), ==, H_SUCCESS);
    /* Clearing returns every leaf */
    g_assert_cmpint(hcall(H_STUFF_TCE, LIOBN_DDW, DDW_START, 0, 1U << 20),
                    ==, H_SUCCESS);
    g_assert_cmpuint(spapr_tce_table_bytes(ddw), ==, base);
    g_assert_cmpuint(spapr_tce_table_mapped(ddw), ==, 0);
    spapr->tce_budget = 0;
    g_rand_free(r);
    spapr_tce_table_disable(ddw);
}

static void load_ok(void *opaque)
{
    GByteArray *s = opaque;
    SpaprTceTable *ddw = spapr_tce_find_by_liobn(LIOBN_DDW);

    Error *err = NULL;

    if (!migration_load_from_buffer(s->data, s->len, &err)) {
        fprintf(stderr, "load: %s\n", error_get_pretty(err));
        _exit(2);
    }
    if (spapr_tce_table_mapped(ddw) != 1ULL << 31 ||
        spapr_tce_get_entry(ddw, (1ULL << 31) - 1) !=
        0x1003 + (((1ULL << 31) - 1) << 12) ||
        spapr_tce_table_bytes(ddw) > SMALL) {
        _exit(1);
    }
}

/* Issue 13 item 2: a 2^31-entry run loads in O(runs) memory. */
static void test_incoming_huge_run(void)
{
    SpaprTceTable *ddw = ddw_fresh(12, 1U << 31);
    SpaprTceRun run = { 0, 1ULL << 31, 0x1003, 4096 };
    g_autoptr(GByteArray) s = NULL;

    spapr_tce_store_put_run(ddw->store, &run);
    s = migration_save_to_buffer(false);
    spapr_tce_table_disable(ddw);
    run_limited(load_ok, s, 256 << 20);
}

/* ... and a stream over the budget is refused before anything changes. */
static void test_incoming_over_budget(void)
{
    SpaprMachineState *spapr = spapr_machine_get();
    SpaprTceTable *ddw = ddw_fresh(12, 1U << 20);
    g_autoptr(GByteArray) s = NULL;
    GRand *r = g_rand_new_with_seed(9);
    Error *err = NULL;

    for (uint64_t idx = 0; idx < 512 * 256; idx += 512) {
        write_random_list(r);
        g_assert_cmpint(hcall(H_PUT_TCE_INDIRECT, LIOBN_DDW,
                              DDW_START + (idx << 12), LIST_ADDR, 512), ==,
                        H_SUCCESS);
    }
    s = migration_save_to_buffer(false);
    g_assert_cmpint(hcall(H_STUFF_TCE, LIOBN_DDW, DDW_START, 0x5001,
                          1U << 20), ==, H_SUCCESS);
    spapr->tce_budget = 256 * 1024;
    g_assert_false(migration_load_from_buffer(s->data, s->len, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "TCE budget"));
    error_free(err);
    g_assert_cmphex(spapr_tce_get_entry(ddw, 12345), ==, 0x5001);
    g_assert_cmpuint(spapr_tce_table_mapped(ddw), ==, 1U << 20);
    spapr->tce_budget = 0;
    g_rand_free(r);
    spapr_tce_table_disable(ddw);
}

static void save_small(void *opaque)
{
    SaveStateEntry *se = vmstate_find("spapr_iommu", LIOBN_DDW);
    MigWriter w = { .buf = g_byte_array_new() };

    vmstate_save(&w, se->vmsd, se->opaque);
    if (w.buf->len > 1024) {
        _exit(1);
    }
}

/* Issue 13 item 5: 2^29 TCEs of one value save as one run. */
static void test_save_stuffed(void)
{
    SpaprTceTable *ddw = ddw_fresh(12, 1U << 31);

    g_assert_cmpint(hcall(H_STUFF_TCE, LIOBN_DDW, DDW_START + (5ULL << 12),
                          0x4000003, 1U << 29), ==, H_SUCCESS);
    run_limited(save_small, NULL, 64 << 20);
    spapr_tce_table_disable(ddw);
}

/* Saves with the DDW at (page_shift, bus, nb), then expects a refusal. */
static void expect_geometry_refused(uint32_t page_shift, uint64_t bus,
                                    uint32_t nb, const char *why)
{
    SpaprTceTable *ddw = spapr_tce_find_by_liobn(LIOBN_DDW);
    g_autoptr(GByteArray) s = NULL;
    Error *err = NULL;

    spapr_tce_table_disable(ddw);
    g_assert_true(spapr_tce_table_enable(ddw, page_shift, bus, nb, NULL));
    spapr_tce_put(ddw, bus, 0x9003);
    s = migration_save_to_buffer(false);
    spapr_tce_table_disable(ddw);
    g_assert_false(migration_load_from_buffer(s->data, s->len, &err));
    g_test_message("%s", error_get_pretty(err));
    g_assert_nonnull(strstr(error_get_pretty(err), why));
    error_free(err);
    g_assert_cmpuint(ddw->nb_table, ==, 0);
}

/* Issue 13 item 12: windows only where the RTAS calls put them. */
static void test_incoming_geometry(void)
{
    SpaprTceTable *def = spapr_tce_find_by_liobn(LIOBN_DEF);

    g_assert_cmpuint(def->nb_table, !=, 0);
    /* both windows at bus 0: the default one and a DDW over it */
    expect_geometry_refused(16, 0, 1U << 10, "overlaps");
    /* an aligned bus offset that is none of the PHB's */
    expect_geometry_refused(16, 1ULL << 40, 1U << 10, "no RTAS call");
    /* an entry count no RTAS call makes */
    expect_geometry_refused(16, DDW_START, 1000, "no RTAS call");
}

int main(int argc, char **argv)
{
    char *qargv[] = {
        (char *)"test-spapr-tce-hostile", (char *)"-M", (char *)"pseries-2.7",
        (char *)"-m", (char *)"2G", (char *)"-display", (char *)"none",
        (char *)"-nodefaults", (char *)"-S", NULL,
    };

    g_test_init(&argc, &argv, NULL);
    qemu_init(G_N_ELEMENTS(qargv) - 1, qargv);
    g_test_add_func("/tce-hostile/stuff-huge-window", test_stuff_huge_window);
    g_test_add_func("/tce-hostile/budget", test_budget);
    g_test_add_func("/tce-hostile/incoming-huge-run", test_incoming_huge_run);
    g_test_add_func("/tce-hostile/incoming-over-budget",
                    test_incoming_over_budget);
    g_test_add_func("/tce-hostile/save-stuffed", test_save_stuffed);
    g_test_add_func("/tce-hostile/incoming-geometry", test_incoming_geometry);
    return g_test_run();
}
