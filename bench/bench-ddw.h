/*
 * What the in-process benches share: RTAS calls made as a guest makes
 * them (arguments and returns in guest RAM at a scratch address), the
 * DDW creation every bench starts with, and the median of a few runs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BENCH_DDW_H
#define BENCH_DDW_H

#include "exec/memory.h"
#include "hw/pci-host/spapr.h"

/* Guest RAM the benches use for RTAS arguments (+0) and returns (+0x100). */
#define BENCH_RTAS_SCRATCH  0x1000ULL

/* Returns the status word; out[] gets all nret return words. */
static inline uint32_t bench_rtas(const char *name, uint32_t nargs,
                                  const uint32_t *in, uint32_t nret,
                                  uint32_t *out)
{
    SpaprRtasArgs a = { .nargs = nargs, .args = BENCH_RTAS_SCRATCH,
                        .nret = nret, .rets = BENCH_RTAS_SCRATCH + 0x100 };

    for (uint32_t i = 0; i < nargs; i++) {
        address_space_stl_be(&address_space_memory,
                             BENCH_RTAS_SCRATCH + 4 * i, in[i], NULL);
    }
    if (!spapr_rtas_call_by_name(spapr_machine_get(), name, &a)) {
        fprintf(stderr, "bench: no RTAS call %s\n", name);
        exit(1);
    }
    for (uint32_t i = 0; i < nret; i++) {
        out[i] = address_space_ldl_be(&address_space_memory,
                                      BENCH_RTAS_SCRATCH + 0x100 + 4 * i,
                                      NULL);
    }
    return out[0];
}

/* A DDW on the first PHB; returns its LIOBN, *start its bus address. */
static inline uint32_t bench_create_ddw(uint32_t page_shift,
                                        uint32_t window_shift,
                                        uint64_t *start)
{
    uint64_t buid = SPAPR_PCI_BASE_BUID;
    uint32_t in[5] = { 0, buid >> 32, (uint32_t)buid, page_shift,
                       window_shift };
    uint32_t out[4];

    if (bench_rtas("ibm,create-pe-dma-window", 5, in, 4, out) != 0) {
        fprintf(stderr, "bench: ibm,create-pe-dma-window: %d\n",
                (int32_t)out[0]);
        exit(1);
    }
    *start = (uint64_t)out[2] << 32 | out[3];
    return out[1];
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Sorts v in place. */
static inline double bench_median(double *v, int n)
{
    qsort(v, n, sizeof(*v), bench_cmp_double);
    return v[n / 2];
}

#endif
