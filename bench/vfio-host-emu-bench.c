/*
 * The emulated POWER host's MAP_DMA / UNMAP_DMA cost, per TCE.
 *
 * 16 GiB of registered memory is mapped into a 64 GiB window of 4K IOMMU
 * pages in runs of 8192 TCEs (what a container sends for 16 coalesced
 * H_PUT_TCE_INDIRECT calls), mapped again over itself (replacing every
 * TCE), then unmapped in one request, for 1 to 4 table levels.  Figures:
 * ns per TCE, and each level count next to 1 level as a ratio.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include <linux/vfio.h>
#include "qom/object.h"
#include "hw/vfio/host-emu.h"

#define RAM_SIZE        (16ULL << 30)
#define WINDOW_SIZE     (64ULL << 30)
#define PAGE_SHIFT      12
#define RUN             8192
#define MAX_LEVELS      4

typedef struct Bench {
    VFIOHost *h;
    int container, group;
    uint8_t *ram;
} Bench;

static int bench_ioctl(Bench *b, unsigned long req, void *arg)
{
    return b->h->ops->ioctl(b->h, b->container, req, arg);
}

static void bench_setup(Bench *b)
{
    g_autoptr(GHashTable) props = g_hash_table_new(g_str_hash, g_str_equal);
    struct vfio_iommu_spapr_register_memory r = { .argsz = sizeof(r) };
    Error *err = NULL;

    if (!user_creatable_add(TYPE_VFIO_SPAPR_HOST_EMU, "bench", props, &err) ||
        !(b->h = vfio_host_emu_find("bench", &err))) {
        error_report_err(err);
        exit(1);
    }
    b->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    b->container = b->h->ops->open_container(b->h);
    b->group = b->h->ops->open_group(b->h);
    r.vaddr = (uintptr_t)b->ram;
    r.size = RAM_SIZE;
    if (b->ram == MAP_FAILED ||
        b->h->ops->ioctl(b->h, b->group, VFIO_GROUP_SET_CONTAINER,
                         &b->container) ||
        bench_ioctl(b, VFIO_SET_IOMMU,
                    (void *)(uintptr_t)VFIO_SPAPR_TCE_v2_IOMMU) ||
        bench_ioctl(b, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &r)) {
        error_report("vfio-host-emu-bench: setup failed");
        exit(1);
    }
}

/* Maps all of RAM at start in runs; returns ns per TCE. */
static double bench_map(Bench *b, uint64_t start)
{
    uint64_t pages = RAM_SIZE >> PAGE_SHIFT;
    int64_t t0 = g_get_monotonic_time();

    for (uint64_t i = 0; i < pages; i += RUN) {
        struct vfio_iommu_type1_dma_map m = {
            .argsz = sizeof(m),
            .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
            .vaddr = (uintptr_t)b->ram + (i << PAGE_SHIFT),
            .iova = start + (i << PAGE_SHIFT),
            .size = (uint64_t)RUN << PAGE_SHIFT,
        };

        if (bench_ioctl(b, VFIO_IOMMU_MAP_DMA, &m)) {
            error_report("vfio-host-emu-bench: MAP_DMA failed");
            exit(1);
        }
    }
    return (g_get_monotonic_time() - t0) * 1000.0 / pages;
}

static double bench_unmap(Bench *b, uint64_t start)
{
    struct vfio_iommu_type1_dma_unmap u = {
        .argsz = sizeof(u), .iova = start, .size = WINDOW_SIZE,
    };
    int64_t t0 = g_get_monotonic_time();

    if (bench_ioctl(b, VFIO_IOMMU_UNMAP_DMA, &u)) {
        error_report("vfio-host-emu-bench: UNMAP_DMA failed");
        exit(1);
    }
    return (g_get_monotonic_time() - t0) * 1000.0 /
           (RAM_SIZE >> PAGE_SHIFT);
}

/* One window of the given levels: map, map over, unmap, remove. */
static void bench_levels(Bench *b, unsigned levels, double *ns)
{
    struct vfio_iommu_spapr_tce_create c = {
        .argsz = sizeof(c), .page_shift = PAGE_SHIFT,
        .window_size = WINDOW_SIZE, .levels = levels,
    };
    struct vfio_iommu_spapr_tce_remove rm = { .argsz = sizeof(rm) };

    if (bench_ioctl(b, VFIO_IOMMU_SPAPR_TCE_CREATE, &c)) {
        error_report("vfio-host-emu-bench: TCE_CREATE failed");
        exit(1);
    }
    ns[0] = bench_map(b, c.start_addr);
    ns[1] = bench_map(b, c.start_addr);
    ns[2] = bench_unmap(b, c.start_addr);
    rm.start_addr = c.start_addr;
    bench_ioctl(b, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm);
}

int main(int argc, char **argv)
{
    double ns[MAX_LEVELS + 1][3];
    Bench b;

    bench_setup(&b);
    printf("vfio-host-emu: %llu TCEs (4K) per pass, runs of %d\n",
           (unsigned long long)(RAM_SIZE >> PAGE_SHIFT), RUN);
    printf("  %-7s %12s %12s %12s   %s\n", "levels", "map ns/TCE",
           "remap ns/TCE", "unmap ns/TCE", "vs 1 level (map/remap/unmap)");
    for (unsigned l = 1; l <= MAX_LEVELS; l++) {
        bench_levels(&b, l, ns[l]);
        printf("  %-7u %12.2f %12.2f %12.2f   %.2fx %.2fx %.2fx\n", l,
               ns[l][0], ns[l][1], ns[l][2], ns[l][0] / ns[1][0],
               ns[l][1] / ns[1][1], ns[l][2] / ns[1][2]);
    }
    printf("  map: %.0f M TCEs/s at 2 levels\n", 1000.0 / ns[2][0]);
    b.h->ops->close(b.h, b.group);
    b.h->ops->close(b.h, b.container);
    user_creatable_del("bench", NULL);
    munmap(b.ram, RAM_SIZE);
    return 0;
}
