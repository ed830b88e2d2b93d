/*
 * The emulated POWER host for VFIO: DMA through created windows,
 * multi-level tables, memlock accounting and the pending default window.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "exec/memory.h"
#include "vfio-host-emu-fixture.h"

/* DMA through a created window into malloc'd, registered memory */

static void test_dma_window(void)
{
    Emu e;
    uint8_t *buf = g_malloc0(MiB + 64 * KiB);
    uint8_t *mem = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)buf, 64 * KiB);
    uint8_t data[256], got[256];
    uint64_t start, vaddr;
    int perm;

    vhe_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    vhe_open_device(&e);
    g_assert_cmpint(vhe_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(vhe_create_window(&e, 12, 4 * GiB, 2, &start), ==, 0);
    g_assert_cmphex(start, ==, DMA64);
    g_assert_cmpint(vhe_map(&e, DMA64 + 3 * GiB, mem, 64 * KiB,
                            VFIO_DMA_MAP_FLAG_READ |
                            VFIO_DMA_MAP_FLAG_WRITE), ==, 0);
    /* Read-only for the device: its writes must be dropped. */
    g_assert_cmpint(vhe_map(&e, DMA64 + 3 * GiB + 64 * KiB, mem + 64 * KiB,
                            4 * KiB, VFIO_DMA_MAP_FLAG_READ), ==, 0);
    g_assert_true(vfio_host_emu_lookup(e.h, DMA64 + 3 * GiB + 0x1234,
                                       &vaddr, &perm));
    g_assert_cmphex(vaddr, ==, (uintptr_t)mem + 0x1234);
    g_assert_cmpint(perm, ==, 3);

    for (int i = 0; i < 256; i++) {
        data[i] = i ^ 0x5a;
        mem[0x2000 + i] = i ^ 0xa5;
    }
    /* memory -> device */
    vhe_edu_dma(&e, DMA64 + 3 * GiB + 0x2000, 256, false);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, got, 256, BAR0 + 0x40000),
                    ==, 256);
    g_assert_cmpmem(got, 256, mem + 0x2000, 256);
    /* device -> memory, across a page boundary */
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, data, 256,
                                     BAR0 + 0x40000), ==, 256);
    vhe_edu_dma(&e, DMA64 + 3 * GiB + 0x1f80, 256, true);
    g_assert_cmpmem(mem + 0x1f80, 256, data, 256);
    /* device -> read-only page: dropped */
    vhe_edu_dma(&e, DMA64 + 3 * GiB + 64 * KiB, 256, true);
    g_assert_cmpint(mem[64 * KiB], ==, 0);
    /* no TCE: the device reads zeros */
    vhe_edu_dma(&e, DMA64 + 2 * GiB, 256, false);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, got, 256, BAR0 + 0x40000),
                    ==, 256);
    for (int i = 0; i < 256; i++) {
        g_assert_cmpint(got[i], ==, 0);
    }
    vhe_close(&e);
    g_free(buf);
}

/* Bus mastering off: no DMA reaches memory. */
static void test_dma_no_master(void)
{
    Emu e;
    uint8_t *mem = g_aligned_alloc0(MiB, 1, 64 * KiB);
    uint8_t data[64], cmd[2] = { 0x2, 0 };

    vhe_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    vhe_open_device(&e);
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, cmd, 2, CFG + 4), ==, 2);
    g_assert_cmpint(vhe_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(vhe_map(&e, 0, mem, MiB, VFIO_DMA_MAP_FLAG_READ |
                            VFIO_DMA_MAP_FLAG_WRITE), ==, 0);
    memset(data, 0x77, sizeof(data));
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, data, 64,
                                     BAR0 + 0x40000), ==, 64);
    vhe_edu_dma(&e, 0x100, 64, true);
    g_assert_cmpint(mem[0x100], ==, 0);
    vhe_close(&e);
    g_aligned_free(mem);
}

/* Multi-level tables */

typedef struct Walk {
    uint64_t iova[8];
    uint64_t vaddr[8];
    unsigned n;
} Walk;

static bool walk_fn(uint64_t iova, uint64_t vaddr, int perm,
                    unsigned page_shift, void *opaque)
{
    Walk *w = opaque;

    if (w->n < 8) {
        w->iova[w->n] = iova;
        w->vaddr[w->n] = vaddr;
    }
    w->n++;
    return true;
}

static void test_multilevel(void)
{
    Emu e;
    uint8_t *mem = g_aligned_alloc0(MiB, 1, 64 * KiB);
    VFIOHostEmuWindow w[2];
    uint64_t start, vaddr;
    Walk walk = { 0 };
    int perm;

    vhe_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(vhe_register(&e, mem, MiB), ==, 0);
    /* 2^22 entries over 3 levels: 2^8 per level, padded to 512-entry pages */
    g_assert_cmpint(vhe_create_window(&e, 12, 16 * GiB, 3, &start), ==, 0);
    g_assert_cmphex(start, ==, DMA64);
    g_assert_cmpuint(vfio_host_emu_windows(e.h, w, 2), ==, 2);
    g_assert_cmpuint(w[1].levels, ==, 3);
    g_assert_cmpuint(w[1].level_pages, ==, 1);
    g_assert_cmpint(vhe_map(&e, DMA64, mem, 8 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, 0);
    g_assert_cmpint(vhe_map(&e, DMA64 + 15 * GiB, mem + 64 * KiB, 4 * KiB,
                            VFIO_DMA_MAP_FLAG_WRITE), ==, 0);
    vfio_host_emu_windows(e.h, w, 2);
    g_assert_cmpuint(w[1].mapped_pages, ==, 3);
    /* root, then two middle and two leaf pages */
    g_assert_cmpuint(w[1].level_pages, ==, 5);
    g_assert_true(vfio_host_emu_lookup(e.h, DMA64 + 0x1008, &vaddr, &perm));
    g_assert_cmphex(vaddr, ==, (uintptr_t)mem + 0x1008);
    g_assert_cmpint(perm, ==, VFIO_HOST_EMU_TCE_READ);
    g_assert_true(vfio_host_emu_lookup(e.h, DMA64 + 15 * GiB + 4, &vaddr,
                                       &perm));
    g_assert_cmphex(vaddr, ==, (uintptr_t)mem + 64 * KiB + 4);
    g_assert_cmpint(perm, ==, VFIO_HOST_EMU_TCE_WRITE);
    g_assert_false(vfio_host_emu_lookup(e.h, DMA64 + 0x2000, &vaddr, &perm));
    g_assert_false(vfio_host_emu_lookup(e.h, DMA64 + 8 * GiB, &vaddr,
                                        &perm));
    g_assert_true(vfio_host_emu_foreach_tce(e.h, walk_fn, &walk));
    g_assert_cmpuint(walk.n, ==, 3);
    g_assert_cmphex(walk.iova[0], ==, DMA64);
    g_assert_cmphex(walk.iova[1], ==, DMA64 + 0x1000);
    g_assert_cmphex(walk.iova[2], ==, DMA64 + 15 * GiB);
    g_assert_cmphex(walk.vaddr[2], ==, (uintptr_t)mem + 64 * KiB);
    vhe_close(&e);
    g_aligned_free(mem);
}

/* Entries 1..7 of the window at start: pages of mem (again: 3..5 moved). */
static void check_fill(Emu *e, uint64_t start, uint8_t *mem, bool again)
{
    uint64_t vaddr;
    int perm;

    g_assert_false(vfio_host_emu_lookup(e->h, start, &vaddr, &perm));
    for (unsigned i = 1; i <= 7; i++) {
        bool moved = again && i >= 3 && i <= 5;
        uint8_t *want = moved ? mem + 512 * KiB + (i - 3) * 4 * KiB
                              : mem + (i - 1) * 4 * KiB;

        g_assert_true(vfio_host_emu_lookup(e->h, start + i * 4 * KiB + 8,
                                           &vaddr, &perm));
        g_assert_cmphex(vaddr, ==, (uintptr_t)want + 8);
        g_assert_cmpint(perm, ==, moved ? VFIO_HOST_EMU_TCE_READ :
                        VFIO_HOST_EMU_TCE_READ | VFIO_HOST_EMU_TCE_WRITE);
    }
    g_assert_false(vfio_host_emu_lookup(e->h, start + 8 * 4 * KiB, &vaddr,
                                        &perm));
}

/*
 * A leaf page made by a MAP is written without being read (four entries
 * a store round, then the tail); a later MAP into it replaces entries.
 * Every entry must hold its own page and permission either way.
 */
static void test_fill_fresh_leaf(void)
{
    Emu e;
    uint8_t *mem = g_aligned_alloc0(MiB, 1, 64 * KiB);
    VFIOHostEmuWindow w[2];
    uint64_t start;

    vhe_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(vhe_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(vhe_create_window(&e, 12, 16 * GiB, 3, &start), ==, 0);
    /* 7 pages from index 1 of a fresh leaf: 4 at once, then 3 */
    g_assert_cmpint(vhe_map(&e, start + 4 * KiB, mem, 28 * KiB,
                            VFIO_DMA_MAP_FLAG_READ |
                            VFIO_DMA_MAP_FLAG_WRITE), ==, 0);
    check_fill(&e, start, mem, false);
    /* Pages 3..5 again, elsewhere and read-only: the leaf is not fresh */
    g_assert_cmpint(vhe_map(&e, start + 12 * KiB, mem + 512 * KiB, 12 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, 0);
    check_fill(&e, start, mem, true);
    vfio_host_emu_windows(e.h, w, 2);
    g_assert_cmpuint(w[1].mapped_pages, ==, 7);
    vhe_close(&e);
    g_aligned_free(mem);
}

/* Memlock: registered bytes and table sizes are charged and enforced. */
static void test_memlock(void)
{
    /* A 4K-page kernel: charges round to 4K. */
    static const char *const props[] = { "memlock-limit", "26M",
                                         "page-size", "4096", NULL };
    static const char *const tiny[] = { "memlock-limit", "4M",
                                        "page-size", "4096", NULL };
    struct vfio_iommu_spapr_tce_remove rm = {
        .argsz = sizeof(rm), .start_addr = DMA64,
    };
    uint8_t *mem = g_aligned_alloc0(4 * MiB, 1, 64 * KiB);
    VFIOHostEmuPrereg p;
    uint64_t start;
    Emu e;

    vhe_open(&e, props, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(vhe_register(&e, mem, MiB), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, MiB);
    g_assert_cmpuint(vfio_host_emu_preregs(e.h, &p, 1), ==, 1);
    g_assert_cmpuint(p.page_shift, ==, 12);
    /*
     * The pending default window comes first (2 GiB of 4K pages: 4 MiB of
     * TCEs, twice), then 4 GiB in 1 level: 8 MiB, twice.
     */
    g_assert_cmpint(vhe_create_window(&e, 12, 4 * GiB, 1, &start), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 25 * MiB);
    g_assert_false(vfio_host_emu_default_window_pending(e.h));
    g_assert_cmpint(vhe_register(&e, mem + 2 * MiB, 2 * MiB), ==, -ENOMEM);
    g_assert_cmpint(vhe_register(&e, mem + MiB, MiB), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 26 * MiB);
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_REMOVE,
                              &rm), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 10 * MiB);
    vhe_close(&e);

    /* The default window cannot be made: MAP_DMA says so. */
    vhe_open(&e, tiny, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(vhe_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(vhe_map(&e, 0, mem, 4 * KiB, VFIO_DMA_MAP_FLAG_READ),
                    ==, -ENOMEM);
    g_assert_true(vfio_host_emu_default_window_pending(e.h));
    vhe_close(&e);
    g_aligned_free(mem);
}

/* The v2 default window: pending until first use, free to remove. */
static void test_default_window(void)
{
    Emu e;
    uint8_t *mem = g_aligned_alloc0(MiB, 1, 64 * KiB);
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    struct vfio_iommu_spapr_tce_remove rm = { .argsz = sizeof(rm) };
    VFIOHostEmuWindow w;

    vhe_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_true(vfio_host_emu_default_window_pending(e.h));
    g_assert_cmpuint(vfio_host_emu_windows(e.h, &w, 1), ==, 0);
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                              &info), ==, 0);
    g_assert_cmphex(info.dma32_window_size, ==, 0x80000000);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 0);
    g_assert_cmpint(vhe_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(vhe_map(&e, 0x10000, mem, 4 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, 0);
    g_assert_false(vfio_host_emu_default_window_pending(e.h));
    g_assert_cmpuint(vfio_host_emu_windows(e.h, &w, 1), ==, 1);
    g_assert_cmphex(w.start, ==, 0);
    g_assert_cmphex(w.size, ==, 0x80000000);
    g_assert_cmpuint(w.page_shift, ==, 12);
    g_assert_cmpuint(w.levels, ==, 1);
    g_assert_cmpuint(w.charged, ==, 8 * MiB);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 9 * MiB);
    /* removing a mapped window releases its TCEs */
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_REMOVE,
                              &rm), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, MiB);
    g_assert_cmpint(vhe_map(&e, 0x10000, mem, 4 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, -ENXIO);
    vhe_close(&e);

    /* removed while pending: nothing is ever made */
    vhe_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_REMOVE,
                              &rm), ==, 0);
    g_assert_false(vfio_host_emu_default_window_pending(e.h));
    g_assert_cmpint(vhe_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(vhe_map(&e, 0, mem, 4 * KiB, VFIO_DMA_MAP_FLAG_READ),
                    ==, -ENXIO);
    g_assert_cmpuint(vfio_host_emu_windows(e.h, &w, 1), ==, 0);
    vhe_close(&e);
    g_aligned_free(mem);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio-host-emu/dma-window", test_dma_window);
    g_test_add_func("/vfio-host-emu/dma-no-master", test_dma_no_master);
    g_test_add_func("/vfio-host-emu/multilevel", test_multilevel);
    g_test_add_func("/vfio-host-emu/fill-fresh-leaf", test_fill_fresh_leaf);
    g_test_add_func("/vfio-host-emu/memlock", test_memlock);
    g_test_add_func("/vfio-host-emu/default-window", test_default_window);
    return g_test_run();
}
