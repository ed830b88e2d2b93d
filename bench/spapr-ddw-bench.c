/*
 * DDW performance figures (`make bench`).
 *
 * In-process: one -m 1T pseries-2.7 machine built with qemu_init(), driven
 * through spapr_rtas_call_by_name() and spapr_hypercall() as a guest
 * would, with every argument and TCE list in guest RAM.  Out of process:
 * the start-up time and resident size of the real binary with -m 1T.
 * Each figure is printed next to its target.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/pci-host/spapr.h"
#include "sysemu/sysemu.h"
#include "libqtest.h"
#include "bench-ddw.h"

#define RAM_SIZE        (1ULL << 40)
#define PAGE_SHIFT      16
#define NTCES           (RAM_SIZE >> PAGE_SHIFT)        /* 16M */
#define PER_HCALL       512
#define LISTS           0x40000000ULL   /* 128 MiB of TCE lists from 1 GiB */
#define CREATE_ROUNDS   2000

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void row(const char *what, const char *value, const char *target,
                bool ok)
{
    printf("  %-44s %16s   %-14s %s\n", what, value, target,
           target[0] ? (ok ? "ok" : "MISSED") : "");
}

static void remove_window(uint32_t liobn)
{
    uint32_t out[1];

    if (bench_rtas("ibm,remove-pe-dma-window", 1, &liobn, 1, out) != 0) {
        fprintf(stderr, "remove-pe-dma-window failed\n");
        exit(1);
    }
}

static void bench_create_remove(void)
{
    uint64_t start;
    double t0 = now_s(), us;
    char v[32];

    for (int i = 0; i < CREATE_ROUNDS; i++) {
        remove_window(bench_create_ddw(12, 43, &start));   /* 2^31 TCEs */
    }
    us = (now_s() - t0) * 1e6 / CREATE_ROUNDS;
    snprintf(v, sizeof(v), "%.2f us", us);
    row("create+remove, 2^31-TCE window (avg)", v, "", true);
}

/* The guest's part: TCE lists for all of RAM, written before timing. */
static void write_lists(void)
{
    uint64_t *buf = g_new(uint64_t, 1 << 20);

    for (uint64_t first = 0; first < NTCES; first += 1 << 20) {
        for (uint64_t i = 0; i < 1 << 20; i++) {
            buf[i] = GUINT64_TO_BE(((first + i) << PAGE_SHIFT) | 3);
        }
        address_space_write(&address_space_memory, LISTS + first * 8,
                            MEMTXATTRS_UNSPECIFIED, buf, 8 << 20);
    }
    g_free(buf);
}

static double map_all(uint32_t liobn, uint64_t start, unsigned *hcalls)
{
    double t0 = now_s();

    *hcalls = 0;
    for (uint64_t i = 0; i < NTCES; i += PER_HCALL) {
        target_ulong args[SPAPR_HCALL_NARGS] = {
            liobn, start + (i << PAGE_SHIFT), LISTS + i * 8, PER_HCALL,
        };

        if (spapr_hypercall(spapr_machine_get(), H_PUT_TCE_INDIRECT, args)) {
            fprintf(stderr, "H_PUT_TCE_INDIRECT failed at TCE %" PRIu64 "\n",
                    i);
            exit(1);
        }
        (*hcalls)++;
    }
    return now_s() - t0;
}

typedef struct Counter {
    IOMMUNotifier n;
    uint64_t events, pages;
} Counter;

static bool count_event(IOMMUNotifier *n, const IOMMUTLBEvent *ev)
{
    Counter *c = container_of(n, Counter, n);

    c->events++;
    c->pages += ev->size >> PAGE_SHIFT;
    return true;
}

#define ROUNDS  5

/*
 * Linux-style bring-up on a fresh table, ROUNDS times: create the DDW,
 * map all RAM with INDIRECT, read the table's memory, remove it.
 */
static void bench_map(void)
{
    double secs[ROUNDS], again[ROUNDS], rate;
    uint64_t bytes = 0, start;
    unsigned hcalls = 0;
    char v[48];

    for (int i = 0; i < ROUNDS; i++) {
        uint32_t liobn = bench_create_ddw(PAGE_SHIFT, 40, &start);

        secs[i] = map_all(liobn, start, &hcalls);
        bytes = MAX(bytes, spapr_tce_table_bytes(
                               spapr_tce_find_by_liobn(liobn)));
        again[i] = map_all(liobn, start, &hcalls);
        remove_window(liobn);
    }
    rate = NTCES / bench_median(secs, ROUNDS) / 1e6;
    snprintf(v, sizeof(v), "%.0f M TCE/s", rate);
    row("H_PUT_TCE_INDIRECT, 1 TiB in 64K pages", v, ">= 600 M TCE/s",
        rate >= 600);
    snprintf(v, sizeof(v), "%u x 512, %.1f ms", hcalls, secs[ROUNDS / 2] * 1e3);
    row("  hcalls, wall time (median of 5)", v, "", true);
    snprintf(v, sizeof(v), "%.0f M TCE/s", NTCES / bench_median(again, ROUNDS) / 1e6);
    row("  again, over the existing map", v, "", true);
    snprintf(v, sizeof(v), "%" PRIu64 " KiB", bytes >> 10);
    row("table memory after the map", v, "<= 64 KiB", bytes <= 64 * 1024);
}

static void bench_replay(void)
{
    uint64_t start;
    uint32_t liobn = bench_create_ddw(PAGE_SHIFT, 40, &start);
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(liobn);
    unsigned hcalls;
    double secs[ROUNDS], rate;
    Counter c = { 0 };
    char v[48];

    map_all(liobn, start, &hcalls);
    iommu_notifier_init(&c.n, count_event, IOMMU_NOTIFIER_MAP, 0, UINT64_MAX);
    memory_region_register_iommu_notifier(spapr_tce_get_iommu(tcet), &c.n,
                                          NULL);
    for (int i = 0; i < ROUNDS; i++) {
        c.events = c.pages = 0;
        secs[i] = now_s();
        memory_region_iommu_replay(spapr_tce_get_iommu(tcet), &c.n);
        secs[i] = now_s() - secs[i];
    }
    snprintf(v, sizeof(v), "%.3f ms", bench_median(secs, ROUNDS) * 1e3);
    row("replay of the mapped window to a notifier", v, "", true);
    snprintf(v, sizeof(v), "%" PRIu64 " ev, %" PRIu64 " pg", c.events,
             c.pages);
    row("  events, pages replayed", v, "", c.pages == NTCES);

    /* The same mapping again with the notifier listening (VFIO-like) */
    for (int i = 0; i < ROUNDS; i++) {
        secs[i] = map_all(liobn, start, &hcalls);
    }
    rate = NTCES / bench_median(secs, ROUNDS) / 1e6;
    snprintf(v, sizeof(v), "%.0f M TCE/s", rate);
    row("H_PUT_TCE_INDIRECT again, notifier on", v, "", true);
    memory_region_unregister_iommu_notifier(spapr_tce_get_iommu(tcet), &c.n);
    remove_window(liobn);
}

/*
 * A random workload on a 2^20-entry window: H_PUT_TCE at random iobas,
 * INDIRECT lists of random length and content, STUFF clears.  The lists
 * are random TCEs the guest wrote beforehand.
 */
#define RANDOM_OPS      200000
#define RANDOM_LISTS    (LISTS + (256ULL << 20))
#define RANDOM_LIST_N   (1ULL << 17)            /* 1 MiB of TCEs */
/* Before extents (df3f0c2), same workload, run alternately with this. */
#define RANDOM_OLD_MS   "old 229-729 ms"

static void random_lists(GRand *r)
{
    uint64_t *buf = g_new(uint64_t, RANDOM_LIST_N);

    for (uint64_t i = 0; i < RANDOM_LIST_N; i++) {
        buf[i] = GUINT64_TO_BE(((uint64_t)g_rand_int(r) << PAGE_SHIFT) |
                               g_rand_int_range(r, 0, 4));
    }
    address_space_write(&address_space_memory, RANDOM_LISTS,
                        MEMTXATTRS_UNSPECIFIED, buf, RANDOM_LIST_N * 8);
    g_free(buf);
}

static double random_round(uint32_t liobn, uint64_t start, GRand *r)
{
    const uint64_t nb = 1ULL << 20;
    double t0 = now_s();

    for (int op = 0; op < RANDOM_OPS; op++) {
        uint32_t kind = g_rand_int_range(r, 0, 100);
        uint64_t idx = g_rand_int_range(r, 0, nb);
        target_ulong args[SPAPR_HCALL_NARGS] = {
            liobn, start + (idx << PAGE_SHIFT),
        };
        target_ulong opcode = H_PUT_TCE;

        if (kind < 60) {
            args[2] = ((uint64_t)g_rand_int(r) << PAGE_SHIFT) | 3;
        } else if (kind < 95) {
            opcode = H_PUT_TCE_INDIRECT;
            args[3] = MIN((uint64_t)g_rand_int_range(r, 1, 513), nb - idx);
            args[2] = RANDOM_LISTS + g_rand_int_range(r, 0, 255) * 4096ULL;
        } else {
            opcode = H_STUFF_TCE;
            args[3] = MIN((uint64_t)g_rand_int_range(r, 1, 4097), nb - idx);
        }
        spapr_hypercall(spapr_machine_get(), opcode, args);
    }
    return now_s() - t0;
}

static void bench_random(void)
{
    GRand *r = g_rand_new_with_seed(20261202);
    double secs[ROUNDS];
    uint64_t start;
    char v[48];

    random_lists(r);
    for (int i = 0; i < ROUNDS; i++) {
        uint32_t liobn = bench_create_ddw(PAGE_SHIFT, 36, &start);

        secs[i] = random_round(liobn, start, r);
        remove_window(liobn);
    }
    snprintf(v, sizeof(v), "%.1f ms", bench_median(secs, ROUNDS) * 1e3);
    row("random workload, 200k hcalls, 2^20 TCEs", v, RANDOM_OLD_MS, true);
    g_rand_free(r);
}

/* A guest clearing a whole 2^31-TCE window while VFIO listens. */
static void bench_stuff_clear(void)
{
    Counter c = { 0 };
    uint64_t start;
    uint32_t liobn = bench_create_ddw(12, 43, &start);
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(liobn);
    target_ulong args[SPAPR_HCALL_NARGS] = { liobn, start, 0, 1ULL << 31 };
    double secs;
    char v[48];

    iommu_notifier_init(&c.n, count_event, IOMMU_NOTIFIER_ALL, 0, UINT64_MAX);
    memory_region_register_iommu_notifier(spapr_tce_get_iommu(tcet), &c.n,
                                          NULL);
    secs = now_s();
    if (spapr_hypercall(spapr_machine_get(), H_STUFF_TCE, args)) {
        fprintf(stderr, "H_STUFF_TCE failed\n");
        exit(1);
    }
    secs = now_s() - secs;
    snprintf(v, sizeof(v), "%.1f us, %" PRIu64 " ev", secs * 1e6, c.events);
    row("H_STUFF_TCE 0 over 2^31 TCEs, notifier on", v, "", true);
    memory_region_unregister_iommu_notifier(spapr_tce_get_iommu(tcet), &c.n);
    remove_window(liobn);
}

static long vm_rss_kb(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL) ||
        !(p = strstr(text, "VmRSS:"))) {
        return -1;
    }
    return strtol(p + 6, NULL, 10);
}

static void bench_startup(void)
{
    double best = 1e9;
    long rss = 0;
    char v[32];

    for (int i = 0; i < 5; i++) {
        double t0 = now_s();
        QTestState *s = qtest_init_bare("-M pseries-2.7 -m 1T -accel qtest "
                                        "-display none -nodefaults -S");
        g_autofree char *ans = qtest_raw(s, "endianness");
        double t = now_s() - t0;

        best = MIN(best, t);
        rss = MAX(rss, vm_rss_kb(qtest_pid(s)));
        qtest_quit(s);
    }
    snprintf(v, sizeof(v), "%.1f ms", best * 1e3);
    row("start-up, -m 1T, to first qtest answer", v, "< 100 ms",
        best < 0.1);
    snprintf(v, sizeof(v), "%.1f MB", rss / 1024.0);
    row("  VmRSS after start-up", v, "< 50 MB", rss < 50 * 1024);
}

int main(int argc, char **argv)
{
    static char *args[] = {
        (char *)"spapr-ddw-bench", (char *)"-M", (char *)"pseries-2.7",
        (char *)"-m", (char *)"1T", (char *)"-display", (char *)"none",
        (char *)"-nodefaults", NULL,
    };

    qemu_init(G_N_ELEMENTS(args) - 1, args);
    printf("spapr-ddw DDW benchmark (-m 1T, in-process unless noted)\n");
    printf("  %-44s %16s   %-14s\n", "measure", "figure", "target");
    bench_create_remove();
    write_lists();
    bench_map();
    bench_replay();
    bench_random();
    bench_stuff_clear();
    bench_startup();
    return 0;
}
