/*
 * A long H_STUFF_TCE, in process: a mapped constant over a 2^21-entry
 * window (8 GiB of 4K pages) while the emulated POWER host's VFIO
 * container maps each entry, driven as qtest's hcall verb drives it (the
 * call goes on in slices from the main loop).  Figures: the slices, the
 * longest main-loop iteration while the call is in flight (how long QMP
 * may wait for an answer; target <= 50 ms), and entries per second next
 * to the same call run in one piece (the in-process caller, which
 * cannot wait).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include "qemu/option.h"
#include "hw/pci-host/spapr.h"
#include "sysemu/guest-call.h"
#include "sysemu/sysemu.h"
#include "bench-ddw.h"

#define WIN_SHIFT       33
#define PAGE_SHIFT      12
#define ENTRIES         (1ULL << (WIN_SHIFT - PAGE_SHIFT))
#define TCE             (0x20000000ULL | 3)

static bool call_done;
static target_ulong call_ret;

static void stuff_done(target_ulong ret)
{
    call_done = true;
    call_ret = ret;
}

static void check(target_ulong ret)
{
    if (ret != H_SUCCESS) {
        fprintf(stderr, "spapr-long-hcall-bench: H_STUFF_TCE: %" PRId64 "\n",
                (int64_t)ret);
        exit(1);
    }
}

/* In slices; *longest_ms is the longest main-loop iteration meanwhile. */
static double stuff_sliced(uint32_t liobn, uint64_t start,
                           uint64_t *slices, double *longest_ms)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { liobn, start, TCE, ENTRIES };
    int64_t t0 = g_get_monotonic_time(), t;
    target_ulong ret;

    *slices = 0;
    *longest_ms = 0;
    call_done = false;
    if (spapr_hypercall_async(spapr_machine_get(), H_STUFF_TCE, args, &ret,
                              stuff_done)) {
        fprintf(stderr, "spapr-long-hcall-bench: the call did not go on in "
                "slices\n");
        exit(1);
    }
    while (!call_done) {
        t = g_get_monotonic_time();
        g_main_context_iteration(NULL, false);
        *longest_ms = MAX(*longest_ms, (g_get_monotonic_time() - t) / 1e3);
        (*slices)++;
    }
    check(call_ret);
    return (g_get_monotonic_time() - t0) / 1e6;
}

static double stuff_whole(uint32_t liobn, uint64_t start)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { liobn, start, TCE, ENTRIES };
    int64_t t0 = g_get_monotonic_time();

    check(spapr_hypercall(spapr_machine_get(), H_STUFF_TCE, args));
    return (g_get_monotonic_time() - t0) / 1e6;
}

int main(int argc, char **argv)
{
    char *args[] = {
        (char *)"spapr-long-hcall-bench", (char *)"-M", (char *)"pseries",
        (char *)"-m", (char *)"4G", (char *)"-object",
        (char *)"vfio-spapr-host-emu,id=h0,memlock-limit=64G",
        (char *)"-device", (char *)"vfio-pci,host-emu=h0", NULL,
    };
    uint64_t start, slices;
    uint32_t liobn;
    double sliced_s, whole_s, longest_ms;

    qemu_init(ARRAY_SIZE(args) - 1, args);
    liobn = bench_create_ddw(PAGE_SHIFT, WIN_SHIFT, &start);
    /* the first fill pays the host table's first touch: not measured */
    stuff_whole(liobn, start);
    whole_s = stuff_whole(liobn, start);
    sliced_s = stuff_sliced(liobn, start, &slices, &longest_ms);
    printf("spapr-long-hcall-bench: H_STUFF_TCE of a mapped constant over 2^%d "
           "TCEs, VFIO listening\n", WIN_SHIFT - PAGE_SHIFT);
    printf("  %-38s %10" PRIu64 "\n", "main-loop iterations (slices)",
           slices);
    printf("  %-38s %8.2f ms   target <= 50 ms\n",
           "longest iteration while in flight", longest_ms);
    printf("  %-38s %8.2f M\n", "TCEs per second, in slices",
           ENTRIES / sliced_s / 1e6);
    printf("  %-38s %8.2f M   (the in-process caller)\n",
           "TCEs per second, in one piece", ENTRIES / whole_s / 1e6);
    return 0;
}
