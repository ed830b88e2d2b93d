/*
 * The emulated POWER host for VFIO: every row of the SPAPR TCE v2 errno
 * table (tests/unit/vfio-errno-table.c, the one check-powernv runs on the
 * real kernel), then DMA, multi-level tables,
 * memlock accounting, the pending default window, fd lifetimes, the
 * device regions and the v1 IOMMU, all through the VFIOHostOps with the
 * <linux/vfio.h> structs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "qemu/timer.h"
#include "qom/object.h"
#include "exec/memory.h"
#include "hw/vfio/host-emu.h"
#include "vfio-errno-run.h"

#define KiB     (1ULL << 10)
#define MiB     (1ULL << 20)
#define GiB     (1ULL << 30)
#define DMA64   (1ULL << 59)
#define BAR0    ((uint64_t)VFIO_PCI_BAR0_REGION_INDEX << 40)
#define CFG     ((uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40)

typedef struct Emu {
    VFIOHost *h;
    int container, group, device;
} Emu;

static VFIOHost *emu_create(const char *id, const char *const *props,
                            Error **errp)
{
    g_autoptr(GHashTable) h = g_hash_table_new(g_str_hash, g_str_equal);

    for (int i = 0; props && props[i]; i += 2) {
        g_hash_table_insert(h, (gpointer)props[i], (gpointer)props[i + 1]);
    }
    if (!user_creatable_add(TYPE_VFIO_SPAPR_HOST_EMU, id, h, errp)) {
        return NULL;
    }
    return vfio_host_emu_find(id, errp);
}

/* Creates the object; any error fails the test with its message. */
static VFIOHost *emu_create_ok(const char *id, const char *const *props)
{
    Error *err = NULL;
    VFIOHost *h = emu_create(id, props, &err);

    if (!h) {
        g_error("%s", error_get_pretty(err));
    }
    return h;
}

static int emu_ioctl(Emu *e, int fd, unsigned long req, void *arg)
{
    return e->h->ops->ioctl(e->h, fd, req, arg);
}

static int emu_ioctl_int(Emu *e, int fd, unsigned long req, uintptr_t v)
{
    return e->h->ops->ioctl(e->h, fd, req, (void *)v);
}

/* A container with the group attached and, unless 0, the IOMMU type set. */
static void emu_open(Emu *e, const char *const *props, uint32_t iommu)
{
    e->h = emu_create_ok("emu0", props);
    e->container = e->h->ops->open_container(e->h);
    e->group = e->h->ops->open_group(e->h);
    e->device = -1;
    g_assert_cmpint(e->container, >=, 0);
    g_assert_cmpint(e->group, >=, 0);
    g_assert_cmpint(emu_ioctl(e, e->group, VFIO_GROUP_SET_CONTAINER,
                              &e->container), ==, 0);
    if (iommu) {
        g_assert_cmpint(emu_ioctl_int(e, e->container, VFIO_SET_IOMMU,
                                      iommu), ==, 0);
    }
}

static void emu_open_device(Emu *e)
{
    uint8_t cmd[2] = { 0x6, 0 };    /* memory decode, bus master */

    e->device = emu_ioctl(e, e->group, VFIO_GROUP_GET_DEVICE_FD,
                          e->h->device_name);
    g_assert_cmpint(e->device, >=, 0);
    g_assert_cmpint(e->h->ops->pwrite(e->h, e->device, cmd, 2, CFG + 4),
                    ==, 2);
}

/* Closes every fd: everything charged must be given back. */
static void emu_close(Emu *e)
{
    if (e->device >= 0) {
        e->h->ops->close(e->h, e->device);
    }
    e->h->ops->close(e->h, e->group);
    e->h->ops->close(e->h, e->container);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e->h), ==, 0);
    g_assert_true(user_creatable_del("emu0", NULL));
}

static int emu_register(Emu *e, void *p, uint64_t size)
{
    struct vfio_iommu_spapr_register_memory r = {
        .argsz = sizeof(r), .vaddr = (uintptr_t)p, .size = size,
    };

    return emu_ioctl(e, e->container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &r);
}

static int emu_map(Emu *e, uint64_t iova, void *p, uint64_t size,
                   uint32_t flags)
{
    struct vfio_iommu_type1_dma_map m = {
        .argsz = sizeof(m), .flags = flags, .vaddr = (uintptr_t)p,
        .iova = iova, .size = size,
    };

    return emu_ioctl(e, e->container, VFIO_IOMMU_MAP_DMA, &m);
}

static int emu_create_window(Emu *e, unsigned shift, uint64_t size,
                             unsigned levels, uint64_t *start)
{
    struct vfio_iommu_spapr_tce_create c = {
        .argsz = sizeof(c), .page_shift = shift, .window_size = size,
        .levels = levels,
    };
    int ret = emu_ioctl(e, e->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &c);

    *start = c.start_addr;
    return ret;
}

static void wait_dma(void *opaque)
{
    qemu_clock_advance(qemu_clock_get_ns() + 100 * SCALE_MS + 1);
}

static void edu_reg(Emu *e, uint64_t reg, uint64_t v)
{
    g_assert_cmpint(e->h->ops->pwrite(e->h, e->device, &v, 8, BAR0 + reg),
                    ==, 8);
}

/* One edu transfer: to_memory moves the edu buffer to iova. */
static void edu_dma(Emu *e, uint64_t iova, uint64_t len, bool to_memory)
{
    edu_reg(e, 0x80, to_memory ? 0x40000 : iova);
    edu_reg(e, 0x88, to_memory ? iova : 0x40000);
    edu_reg(e, 0x90, len);
    edu_reg(e, 0x98, to_memory ? 3 : 1);
    wait_dma(NULL);
}

/* The errno table */

static const char *const errno_props[] = { "page-size", "4096", NULL };

/* Rows whose answer was not the expected one, reported as they come. */
static void errno_report(void *opaque, unsigned i, const VfioErrnoRow *row,
                         bool ran, int got, int want)
{
    GArray *wrong = opaque;

    if (ran && got != want) {
        g_autofree char *g = g_strdup(vfio_errno_result_str(got));

        g_test_message("row %02u %s: got %s, want %s", i, row->name, g,
                       vfio_errno_result_str(want));
        g_array_append_val(wrong, i);
    }
}

/* The whole table on a 4K-page emulated host; the wrong rows' indexes */
static GArray *errno_run_emu(bool kernel, VfioErrnoCounts *n)
{
    GArray *wrong = g_array_new(false, false, sizeof(unsigned));
    VfioErrnoRunEnv env = {
        .kernel = kernel, .destructive = true, .wait_dma = wait_dma,
        .report = errno_report, .opaque = wrong,
    };
    g_autofree char *msg = NULL;

    env.host = emu_create_ok("errno", errno_props);
    if (!vfio_errno_run(&env, n, &msg)) {
        g_error("errno table: %s", msg);
    }
    g_assert_cmpuint(env.info.dma32_window_start, ==, 0);
    g_assert_cmpuint(env.info.dma32_window_size, ==, 2 * GiB);
    g_assert_cmphex(env.info.ddw.pgsizes, ==, VFIO_HOST_EMU_PGSIZES);
    g_assert_cmpuint(env.info.ddw.levels, ==, VFIO_HOST_EMU_MAX_LEVELS);
    g_assert_cmpuint(env.info.ddw.max_dynamic_windows_supported, ==, 2);
    /* Everything the table registered and mapped is gone with its fds */
    g_assert_cmpuint(vfio_host_emu_memlock_used(env.host), ==, 0);
    g_assert_null(vfio_host_emu_iommu(env.host));
    g_assert_true(user_creatable_del("errno", NULL));
    return wrong;
}

/* Every row, the destructive ones too, answers as the documented API. */
static void test_errno_table(void)
{
    VfioErrnoCounts n;
    g_autoptr(GArray) wrong = errno_run_emu(false, &n);

    g_assert_cmpuint(wrong->len, ==, 0);
    g_assert_cmpuint(n.failed, ==, 0);
    g_assert_cmpuint(n.skipped, ==, 0);
    g_assert_cmpuint(n.passed, ==, vfio_errno_table_len);
}

/*
 * Expecting a 4K kernel's answers must fail exactly on the rows whose
 * kernel column differs from the API's, and those are the rows flagged
 * VE_KERNEL_BUG: the runner does compare, and the table is consistent.
 */
static void test_errno_kernel_rows(void)
{
    VfioErrnoCounts n;
    g_autoptr(GArray) wrong = errno_run_emu(true, &n);
    unsigned differing = 0, bugs = 0;

    for (unsigned i = 0; i < vfio_errno_table_len; i++) {
        const VfioErrnoRow *row = &vfio_errno_table[i];
        bool differs = vfio_errno_row_kernel(row, 4096) != row->api;

        g_assert_true(!differs || (row->flags & VE_KERNEL_BUG));
        if (differs) {
            g_assert_cmpuint(differing, <, wrong->len);
            g_assert_cmpuint(g_array_index(wrong, unsigned, differing), ==, i);
            differing++;
        }
        bugs += !!(row->flags & VE_KERNEL_BUG);
    }
    g_assert_cmpuint(wrong->len, ==, differing);
    g_assert_cmpuint(n.failed, ==, differing);
    g_assert_cmpuint(differing, ==, bugs);
    g_assert_cmpuint(differing, >, 0);
}

/* DMA through a created window into malloc'd, registered memory */

static void test_dma_window(void)
{
    Emu e;
    uint8_t *buf = g_malloc0(MiB + 64 * KiB);
    uint8_t *mem = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)buf, 64 * KiB);
    uint8_t data[256], got[256];
    uint64_t start, vaddr;
    int perm;

    emu_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    emu_open_device(&e);
    g_assert_cmpint(emu_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(emu_create_window(&e, 12, 4 * GiB, 2, &start), ==, 0);
    g_assert_cmphex(start, ==, DMA64);
    g_assert_cmpint(emu_map(&e, DMA64 + 3 * GiB, mem, 64 * KiB,
                            VFIO_DMA_MAP_FLAG_READ |
                            VFIO_DMA_MAP_FLAG_WRITE), ==, 0);
    /* Read-only for the device: its writes must be dropped. */
    g_assert_cmpint(emu_map(&e, DMA64 + 3 * GiB + 64 * KiB, mem + 64 * KiB,
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
    edu_dma(&e, DMA64 + 3 * GiB + 0x2000, 256, false);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, got, 256, BAR0 + 0x40000),
                    ==, 256);
    g_assert_cmpmem(got, 256, mem + 0x2000, 256);
    /* device -> memory, across a page boundary */
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, data, 256,
                                     BAR0 + 0x40000), ==, 256);
    edu_dma(&e, DMA64 + 3 * GiB + 0x1f80, 256, true);
    g_assert_cmpmem(mem + 0x1f80, 256, data, 256);
    /* device -> read-only page: dropped */
    edu_dma(&e, DMA64 + 3 * GiB + 64 * KiB, 256, true);
    g_assert_cmpint(mem[64 * KiB], ==, 0);
    /* no TCE: the device reads zeros */
    edu_dma(&e, DMA64 + 2 * GiB, 256, false);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, got, 256, BAR0 + 0x40000),
                    ==, 256);
    for (int i = 0; i < 256; i++) {
        g_assert_cmpint(got[i], ==, 0);
    }
    emu_close(&e);
    g_free(buf);
}

/* Bus mastering off: no DMA reaches memory. */
static void test_dma_no_master(void)
{
    Emu e;
    uint8_t *mem = g_aligned_alloc0(MiB, 1, 64 * KiB);
    uint8_t data[64], cmd[2] = { 0x2, 0 };

    emu_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    emu_open_device(&e);
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, cmd, 2, CFG + 4), ==, 2);
    g_assert_cmpint(emu_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(emu_map(&e, 0, mem, MiB, VFIO_DMA_MAP_FLAG_READ |
                            VFIO_DMA_MAP_FLAG_WRITE), ==, 0);
    memset(data, 0x77, sizeof(data));
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, data, 64,
                                     BAR0 + 0x40000), ==, 64);
    edu_dma(&e, 0x100, 64, true);
    g_assert_cmpint(mem[0x100], ==, 0);
    emu_close(&e);
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

    emu_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(emu_register(&e, mem, MiB), ==, 0);
    /* 2^22 entries over 3 levels: 2^8 per level, padded to 512-entry pages */
    g_assert_cmpint(emu_create_window(&e, 12, 16 * GiB, 3, &start), ==, 0);
    g_assert_cmphex(start, ==, DMA64);
    g_assert_cmpuint(vfio_host_emu_windows(e.h, w, 2), ==, 2);
    g_assert_cmpuint(w[1].levels, ==, 3);
    g_assert_cmpuint(w[1].level_pages, ==, 1);
    g_assert_cmpint(emu_map(&e, DMA64, mem, 8 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, 0);
    g_assert_cmpint(emu_map(&e, DMA64 + 15 * GiB, mem + 64 * KiB, 4 * KiB,
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
    emu_close(&e);
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

    emu_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(emu_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(emu_create_window(&e, 12, 16 * GiB, 3, &start), ==, 0);
    /* 7 pages from index 1 of a fresh leaf: 4 at once, then 3 */
    g_assert_cmpint(emu_map(&e, start + 4 * KiB, mem, 28 * KiB,
                            VFIO_DMA_MAP_FLAG_READ |
                            VFIO_DMA_MAP_FLAG_WRITE), ==, 0);
    check_fill(&e, start, mem, false);
    /* Pages 3..5 again, elsewhere and read-only: the leaf is not fresh */
    g_assert_cmpint(emu_map(&e, start + 12 * KiB, mem + 512 * KiB, 12 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, 0);
    check_fill(&e, start, mem, true);
    vfio_host_emu_windows(e.h, w, 2);
    g_assert_cmpuint(w[1].mapped_pages, ==, 7);
    emu_close(&e);
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

    emu_open(&e, props, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(emu_register(&e, mem, MiB), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, MiB);
    g_assert_cmpuint(vfio_host_emu_preregs(e.h, &p, 1), ==, 1);
    g_assert_cmpuint(p.page_shift, ==, 12);
    /*
     * The pending default window comes first (2 GiB of 4K pages: 4 MiB of
     * TCEs, twice), then 4 GiB in 1 level: 8 MiB, twice.
     */
    g_assert_cmpint(emu_create_window(&e, 12, 4 * GiB, 1, &start), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 25 * MiB);
    g_assert_false(vfio_host_emu_default_window_pending(e.h));
    g_assert_cmpint(emu_register(&e, mem + 2 * MiB, 2 * MiB), ==, -ENOMEM);
    g_assert_cmpint(emu_register(&e, mem + MiB, MiB), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 26 * MiB);
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_REMOVE,
                              &rm), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 10 * MiB);
    emu_close(&e);

    /* The default window cannot be made: MAP_DMA says so. */
    emu_open(&e, tiny, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(emu_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(emu_map(&e, 0, mem, 4 * KiB, VFIO_DMA_MAP_FLAG_READ),
                    ==, -ENOMEM);
    g_assert_true(vfio_host_emu_default_window_pending(e.h));
    emu_close(&e);
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

    emu_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_true(vfio_host_emu_default_window_pending(e.h));
    g_assert_cmpuint(vfio_host_emu_windows(e.h, &w, 1), ==, 0);
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                              &info), ==, 0);
    g_assert_cmphex(info.dma32_window_size, ==, 0x80000000);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 0);
    g_assert_cmpint(emu_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(emu_map(&e, 0x10000, mem, 4 * KiB,
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
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_REMOVE,
                              &rm), ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, MiB);
    g_assert_cmpint(emu_map(&e, 0x10000, mem, 4 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, -ENXIO);
    emu_close(&e);

    /* removed while pending: nothing is ever made */
    emu_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_REMOVE,
                              &rm), ==, 0);
    g_assert_false(vfio_host_emu_default_window_pending(e.h));
    g_assert_cmpint(emu_register(&e, mem, MiB), ==, 0);
    g_assert_cmpint(emu_map(&e, 0, mem, 4 * KiB, VFIO_DMA_MAP_FLAG_READ),
                    ==, -ENXIO);
    g_assert_cmpuint(vfio_host_emu_windows(e.h, &w, 1), ==, 0);
    emu_close(&e);
    g_aligned_free(mem);
}

/* fds: who may do what, in which order */
static void test_fds_order(void)
{
    VFIOHost *h = emu_create_ok("emu0", NULL);
    struct vfio_group_status st = { .argsz = sizeof(st) };
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    Emu e = { .h = h, .device = -1 };
    int c2, bad = 12345;

    e.container = h->ops->open_container(h);
    c2 = h->ops->open_container(h);
    g_assert_cmpint(e.container, >=, 0x100000);
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_GET_API_VERSION, NULL),
                    ==, VFIO_API_VERSION);
    /* no group yet */
    g_assert_cmpint(emu_ioctl_int(&e, e.container, VFIO_SET_IOMMU,
                                  VFIO_SPAPR_TCE_v2_IOMMU), ==, -EINVAL);
    e.group = h->ops->open_group(h);
    g_assert_cmpint(e.group, >=, 0);
    g_assert_cmpint(h->ops->open_group(h), ==, -EBUSY);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_GET_STATUS, &st), ==, 0);
    g_assert_cmphex(st.flags, ==, VFIO_GROUP_FLAGS_VIABLE);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER, &bad),
                    ==, -EBADF);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER,
                              &e.group), ==, -EBADFD);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER,
                              &e.container), ==, 0);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER, &c2),
                    ==, -EINVAL);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_GET_STATUS, &st), ==, 0);
    g_assert_cmphex(st.flags, ==, VFIO_GROUP_FLAGS_VIABLE |
                    VFIO_GROUP_FLAGS_CONTAINER_SET);
    /* before SET_IOMMU: no IOMMU requests, no device */
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                              &info), ==, -EINVAL);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_GET_DEVICE_FD,
                              h->device_name), ==, -EINVAL);
    g_assert_cmpint(emu_ioctl_int(&e, e.container, VFIO_SET_IOMMU,
                                  VFIO_TYPE1v2_IOMMU), ==, -ENODEV);
    g_assert_cmpint(emu_ioctl_int(&e, e.container, VFIO_SET_IOMMU,
                                  VFIO_SPAPR_TCE_v2_IOMMU), ==, 0);
    g_assert_cmpint(emu_ioctl_int(&e, e.container, VFIO_SET_IOMMU,
                                  VFIO_SPAPR_TCE_v2_IOMMU), ==, -EINVAL);
    g_assert_cmpstr(vfio_host_emu_iommu(h), ==, "spapr-tce-v2");
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_GET_DEVICE_FD,
                              "0000:00:02.0"), ==, -ENODEV);
    emu_open_device(&e);
    g_assert_cmpint(emu_ioctl(&e, e.device, VFIO_GROUP_GET_STATUS, &st),
                    ==, -ENOTTY);
    g_assert_cmpint(emu_ioctl(&e, bad, VFIO_GET_API_VERSION, NULL),
                    ==, -EBADF);
    g_assert_cmpint(h->ops->pread(h, e.container, &st, 4, 0), ==, -EINVAL);
    g_assert_cmpuint(vfio_host_emu_ioctl_count(h, VFIO_SET_IOMMU), ==, 4);
    h->ops->close(h, e.device);
    h->ops->close(h, e.group);
    h->ops->close(h, e.container);
    h->ops->close(h, c2);
    g_assert_true(user_creatable_del("emu0", NULL));
}

/* The device keeps the group, and the group the container. */
static void test_fds_lifetime(void)
{
    Emu e;
    VFIOHost *h;
    int c2;

    emu_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    h = e.h;
    c2 = h->ops->open_container(h);
    emu_open_device(&e);
    h->ops->close(h, e.container);
    h->ops->close(h, e.group);
    g_assert_cmpstr(vfio_host_emu_iommu(h), ==, "spapr-tce-v2");
    g_assert_cmpint(h->ops->open_group(h), ==, -EBUSY);
    h->ops->close(h, e.device);
    g_assert_null(vfio_host_emu_iommu(h));
    e.group = h->ops->open_group(h);
    g_assert_cmpint(e.group, >=, 0);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER, &c2),
                    ==, 0);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_UNSET_CONTAINER, NULL),
                    ==, 0);
    g_assert_cmpint(emu_ioctl(&e, e.group, VFIO_GROUP_UNSET_CONTAINER, NULL),
                    ==, -EINVAL);
    h->ops->close(h, c2);
    h->ops->close(h, e.group);
    g_assert_cmpuint(vfio_host_emu_memlock_used(h), ==, 0);
    g_assert_true(user_creatable_del("emu0", NULL));
}

/* The device fd: vfio-pci regions and interrupts of an edu function */
static void test_device_info(void)
{
    struct vfio_device_info info = { .argsz = sizeof(info) };
    struct vfio_region_info r = { .argsz = sizeof(r) };
    struct vfio_irq_info irq = { .argsz = sizeof(irq) };
    Emu e;

    emu_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    e.device = emu_ioctl(&e, e.group, VFIO_GROUP_GET_DEVICE_FD,
                         e.h->device_name);
    g_assert_cmpint(e.device, >=, 0);
    g_assert_cmpint(emu_ioctl(&e, e.device, VFIO_DEVICE_GET_INFO, &info),
                    ==, 0);
    g_assert_true(info.flags & VFIO_DEVICE_FLAGS_PCI);
    g_assert_cmpuint(info.num_regions, ==, VFIO_PCI_NUM_REGIONS);
    g_assert_cmpuint(info.num_irqs, ==, VFIO_PCI_NUM_IRQS);
    r.index = VFIO_PCI_CONFIG_REGION_INDEX;
    g_assert_cmpint(emu_ioctl(&e, e.device, VFIO_DEVICE_GET_REGION_INFO, &r),
                    ==, 0);
    g_assert_cmpuint(r.size, ==, 256);
    g_assert_cmphex(r.offset, ==, CFG);
    r.index = VFIO_PCI_BAR0_REGION_INDEX;
    g_assert_cmpint(emu_ioctl(&e, e.device, VFIO_DEVICE_GET_REGION_INFO, &r),
                    ==, 0);
    g_assert_cmpuint(r.size, ==, MiB);
    g_assert_cmphex(r.flags, ==, VFIO_REGION_INFO_FLAG_READ |
                    VFIO_REGION_INFO_FLAG_WRITE);
    r.index = VFIO_PCI_BAR1_REGION_INDEX;
    g_assert_cmpint(emu_ioctl(&e, e.device, VFIO_DEVICE_GET_REGION_INFO, &r),
                    ==, 0);
    g_assert_cmpuint(r.size, ==, 0);
    r.index = VFIO_PCI_VGA_REGION_INDEX;
    g_assert_cmpint(emu_ioctl(&e, e.device, VFIO_DEVICE_GET_REGION_INFO, &r),
                    ==, -EINVAL);
    irq.index = VFIO_PCI_INTX_IRQ_INDEX;
    g_assert_cmpint(emu_ioctl(&e, e.device, VFIO_DEVICE_GET_IRQ_INFO, &irq),
                    ==, 0);
    g_assert_cmpuint(irq.count, ==, 1);
    irq.index = VFIO_PCI_ERR_IRQ_INDEX;
    g_assert_cmpint(emu_ioctl(&e, e.device, VFIO_DEVICE_GET_IRQ_INFO, &irq),
                    ==, -EINVAL);
    emu_close(&e);
}

/* Config space and BAR0 through pread/pwrite */
static void test_device_regions(void)
{
    uint8_t cfg[256];
    uint32_t v, bar;
    uint16_t cmd = 0;
    Emu e;

    emu_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    e.device = emu_ioctl(&e, e.group, VFIO_GROUP_GET_DEVICE_FD,
                         e.h->device_name);
    g_assert_cmpint(e.device, >=, 0);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 256, CFG), ==, 256);
    g_assert_cmphex(cfg[0] | cfg[1] << 8, ==, 0x1234);
    g_assert_cmphex(cfg[2] | cfg[3] << 8, ==, 0x11e8);
    g_assert_cmphex(cfg[8], ==, 0x10);
    g_assert_cmphex(cfg[0xa] | cfg[0xb] << 8, ==, 0xff00);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 2, CFG + 255), ==,
                    -EFAULT);
    /* BAR sizing */
    bar = 0xffffffff;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &bar, 4, CFG + 0x10),
                    ==, 4);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &bar, 4, CFG + 0x10),
                    ==, 4);
    g_assert_cmphex(bar, ==, 0xfff00000);
    /* identification is read-only */
    v = 0;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &v, 4, CFG), ==, 4);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, CFG), ==, 4);
    g_assert_cmphex(v, ==, 0x11e81234);
    /* BAR0 needs memory decode */
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0), ==, -EIO);
    cmd = 0x2;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &cmd, 2, CFG + 4), ==, 2);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0), ==, 4);
    g_assert_cmphex(v, ==, 0x010000ed);
    v = 0x12345678;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &v, 4, BAR0 + 4), ==, 4);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0 + 4), ==, 4);
    g_assert_cmphex(v, ==, ~0x12345678u);
    v = 5;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &v, 4, BAR0 + 8), ==, 4);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0 + 8), ==, 4);
    g_assert_cmpuint(v, ==, 120);
    /* reads are clipped at the end of the BAR, beyond it refused */
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 16,
                                    BAR0 + MiB - 8), ==, 8);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 4, BAR0 + MiB),
                    ==, -EINVAL);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 4,
                                    (off_t)VFIO_PCI_ROM_REGION_INDEX << 40),
                    ==, -EINVAL);
    /* the last close resets the function */
    e.h->ops->close(e.h, e.device);
    emu_open_device(&e);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0 + 8), ==, 4);
    g_assert_cmpuint(v, ==, 0);
    emu_close(&e);
}

/*
 * Memory that the system address space knows as RAM with large backing
 * pages (hugepages) may back large IOMMU pages; other memory may not.
 */
static void test_backing_pages(void)
{
    static const char *const kernel_4k[] = { "page-size", "4096", NULL };
    MemoryRegion ram;
    uint8_t *big;
    VFIOHostEmuPrereg p[2];
    uint8_t *other = g_aligned_alloc0(MiB, 1, MiB);
    uint64_t start;
    Emu e;

    g_assert_true(memory_region_init_ram(&ram, NULL, "test.ram", 4 * MiB,
                                         NULL));
    ram.ram_page_size = 64 * KiB;   /* as a hugepage backing reports it */
    memory_region_add_subregion(get_system_memory(), 0x40000000, &ram);
    big = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)ram.ram_ptr, 64 * KiB);

    /* A 4K-page kernel: ordinary memory is backed by 4K pages. */
    emu_open(&e, kernel_4k, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(emu_register(&e, big, 2 * MiB), ==, 0);
    g_assert_cmpint(emu_register(&e, other, MiB), ==, 0);
    g_assert_cmpuint(vfio_host_emu_preregs(e.h, p, 2), ==, 2);
    g_assert_cmpuint(p[0].page_shift, ==, 16);
    g_assert_cmpuint(p[1].page_shift, ==, 12);
    g_assert_cmpint(emu_create_window(&e, 16, GiB, 1, &start), ==, 0);
    g_assert_cmpint(emu_map(&e, DMA64, big, 128 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, 0);
    g_assert_cmpint(emu_map(&e, DMA64 + MiB, other, 64 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, -EINVAL);
    /* 4K pages from the large-page region are fine too */
    g_assert_cmpint(emu_map(&e, 0, big + 4 * KiB, 4 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, 0);
    emu_close(&e);
    memory_region_del_subregion(get_system_memory(), &ram);
    memory_region_finalize(&ram);
    g_aligned_free(other);
}

/* A user's reference keeps the object from being deleted. */
static void test_ref(void)
{
    VFIOHost *h = emu_create_ok("emu0", NULL);
    Error *err = NULL;

    vfio_host_emu_ref(h);
    g_assert_false(user_creatable_del("emu0", &err));
    g_assert_nonnull(err);
    error_free(err);
    vfio_host_emu_unref(h);
    g_assert_true(user_creatable_del("emu0", NULL));
}

/* The v1 IOMMU: ENABLE, no preregistration, no DDW */
static void test_v1(void)
{
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    uint8_t *mem = g_aligned_alloc0(MiB, 1, 64 * KiB);
    uint8_t data[32], got[32];
    uint64_t start;
    Emu e;

    emu_open(&e, NULL, VFIO_SPAPR_TCE_IOMMU);
    g_assert_cmpstr(vfio_host_emu_iommu(e.h), ==, "spapr-tce-v1");
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                              &info), ==, 0);
    g_assert_cmphex(info.flags, ==, 0);
    g_assert_cmphex(info.ddw.pgsizes, ==, 0);
    g_assert_cmpint(emu_map(&e, 0, mem, 4 * KiB, VFIO_DMA_MAP_FLAG_READ),
                    ==, -EPERM);
    g_assert_cmpint(emu_register(&e, mem, MiB), ==, -ENOTTY);
    g_assert_cmpint(emu_create_window(&e, 12, GiB, 1, &start), ==, -ENOTTY);
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_ENABLE, NULL),
                    ==, 0);
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_ENABLE, NULL),
                    ==, -EBUSY);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 2 * GiB);
    g_assert_cmpint(emu_map(&e, 0x80000000, mem, 4 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, -ENXIO);
    g_assert_cmpint(emu_map(&e, 0x4000, mem, 64 * KiB,
                            VFIO_DMA_MAP_FLAG_READ |
                            VFIO_DMA_MAP_FLAG_WRITE), ==, 0);
    emu_open_device(&e);
    memset(data, 0x3c, sizeof(data));
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, data, 32,
                                     BAR0 + 0x40000), ==, 32);
    edu_dma(&e, 0x4010, 32, true);
    g_assert_cmpmem(mem + 0x10, 32, data, 32);
    memset(mem + 0x100, 0xc3, 32);
    edu_dma(&e, 0x4100, 32, false);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, got, 32, BAR0 + 0x40000),
                    ==, 32);
    g_assert_cmpmem(got, 32, mem + 0x100, 32);
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_DISABLE, NULL),
                    ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 0);
    emu_close(&e);
    g_aligned_free(mem);
}

/* Configuration errors name the option. */
static void test_config(void)
{
    static const char *const pg[] = { "iommu-pgsizes", "0x10000", NULL };
    static const char *const lv[] = { "max-levels", "6", NULL };
    static const char *const ok[] = { "iommu-pgsizes", "0x40211000",
                                      "max-levels", "3", NULL };
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    Error *err = NULL;
    Emu e;

    g_assert_null(emu_create("bad", pg, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "iommu-pgsizes"));
    error_free(err);
    err = NULL;
    g_assert_null(emu_create("bad", lv, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "max-levels"));
    error_free(err);
    err = NULL;
    g_assert_null(vfio_host_emu_find("nonexistent", &err));
    error_free(err);

    emu_open(&e, ok, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(emu_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                              &info), ==, 0);
    g_assert_cmphex(info.ddw.pgsizes, ==, 0x40211000);
    g_assert_cmpuint(info.ddw.levels, ==, 3);
    emu_close(&e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio-host-emu/errno-table", test_errno_table);
    g_test_add_func("/vfio-host-emu/errno-kernel-rows",
                    test_errno_kernel_rows);
    g_test_add_func("/vfio-host-emu/dma-window", test_dma_window);
    g_test_add_func("/vfio-host-emu/dma-no-master", test_dma_no_master);
    g_test_add_func("/vfio-host-emu/multilevel", test_multilevel);
    g_test_add_func("/vfio-host-emu/fill-fresh-leaf", test_fill_fresh_leaf);
    g_test_add_func("/vfio-host-emu/memlock", test_memlock);
    g_test_add_func("/vfio-host-emu/default-window", test_default_window);
    g_test_add_func("/vfio-host-emu/fds-order", test_fds_order);
    g_test_add_func("/vfio-host-emu/fds-lifetime", test_fds_lifetime);
    g_test_add_func("/vfio-host-emu/device-info", test_device_info);
    g_test_add_func("/vfio-host-emu/device-regions", test_device_regions);
    g_test_add_func("/vfio-host-emu/v1", test_v1);
    g_test_add_func("/vfio-host-emu/backing-pages", test_backing_pages);
    g_test_add_func("/vfio-host-emu/ref", test_ref);
    g_test_add_func("/vfio-host-emu/config", test_config);
    return g_test_run();
}
