/*
 * The errno table on a VFIOHost: see vfio-errno-run.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include "qemu/bswap.h"
#include "vfio-errno-run.h"

#define MiB             (1ULL << 20)
#define MAIN_SIZE       MiB
#define MAIN_ALIGN      (64 * 1024)
#define N_SLOTS         2
#define REGION(i)       ((uint64_t)(i) << 40)
#define EDU_ID          0x00
#define EDU_DMA_SRC     0x80
#define EDU_DMA_DST     0x88
#define EDU_DMA_COUNT   0x90
#define EDU_DMA_CMD     0x98
#define EDU_DMA_START   1
#define EDU_DMA_TO_RAM  2
#define EDU_BUFFER      0x40000
#define EDU_DMA_LEN     256
#define DMA_WAITS       20

typedef struct ErrnoRun {
    VfioErrnoRunEnv *env;
    VFIOHost *h;
    uint64_t page_size;     /* the host kernel's */
    int container, group, device;
    bool edu_be;            /* the edu's registers are big-endian */
    uint8_t *area, *hole;
    size_t area_size, hole_page;
    uint8_t *buf[3];        /* indexed by VfioErrnoBuf */
    uint64_t buf_size[3];
    bool slot_valid[N_SLOTS];
    uint64_t slot_start[N_SLOTS], slot_size[N_SLOTS];
} ErrnoRun;

static int run_ioctl(ErrnoRun *r, int fd, unsigned long req, void *arg)
{
    return r->h->ops->ioctl(r->h, fd, req, arg);
}

static int run_rw(ErrnoRun *r, uint64_t off, void *data, size_t len,
                  bool write)
{
    ssize_t n = write ? r->h->ops->pwrite(r->h, r->device, data, len, off)
                      : r->h->ops->pread(r->h, r->device, data, len, off);

    return n == (ssize_t)len ? 0 : n < 0 ? (int)n : -EIO;
}

/* A 64-bit edu register, in the byte order the device decodes. */
static int edu_write(ErrnoRun *r, uint64_t reg, uint64_t val)
{
    uint8_t v[8];

    if (r->edu_be) {
        stn_be_p(v, 8, val);
    } else {
        stn_le_p(v, 8, val);
    }
    return run_rw(r, REGION(VFIO_PCI_BAR0_REGION_INDEX) + reg, v, 8, true);
}

static int edu_busy(ErrnoRun *r)
{
    uint8_t v[8];
    int ret = run_rw(r, REGION(VFIO_PCI_BAR0_REGION_INDEX) + EDU_DMA_CMD, v,
                     8, false);

    if (ret) {
        return ret;
    }
    return (r->edu_be ? ldn_be_p(v, 8) : ldn_le_p(v, 8)) & EDU_DMA_START;
}

static int edu_dma(ErrnoRun *r, uint64_t src, uint64_t dst, uint64_t cmd)
{
    int ret = edu_write(r, EDU_DMA_SRC, src);

    ret = ret ? ret : edu_write(r, EDU_DMA_DST, dst);
    ret = ret ? ret : edu_write(r, EDU_DMA_COUNT, EDU_DMA_LEN);
    ret = ret ? ret : edu_write(r, EDU_DMA_CMD, EDU_DMA_START | cmd);
    for (int i = 0; !ret && i < DMA_WAITS; i++) {
        r->env->wait_dma(r->env->opaque);
        ret = edu_busy(r);
        if (ret == 0) {
            return 0;
        }
        ret = ret < 0 ? ret : 0;
    }
    return ret ? ret : -ETIMEDOUT;
}

/* Bytes at @src go iova -> edu -> iova + delta: did they arrive? */
static int run_dma(ErrnoRun *r, uint64_t iova, uint8_t *src, uint64_t delta)
{
    uint8_t *dst = src + delta;
    int ret;

    for (unsigned i = 0; i < EDU_DMA_LEN; i++) {
        src[i] = (uint8_t)(i * 13 + 0x31);
        dst[i] = 0;
    }
    ret = edu_dma(r, iova, EDU_BUFFER, 0);
    ret = ret ? ret : edu_dma(r, EDU_BUFFER, iova + delta, EDU_DMA_TO_RAM);
    if (ret) {
        return ret;
    }
    return memcmp(src, dst, EDU_DMA_LEN) ? -EIO : 0;
}

static unsigned row_slot(const VfioErrnoRow *row)
{
    if (row->op == VE_OP_CREATE) {
        return row->slot;
    }
    return row->base == VE_BASE_W1 || row->base == VE_BASE_W1_END;
}

static uint64_t row_iova(ErrnoRun *r, const VfioErrnoRow *row)
{
    const struct vfio_iommu_spapr_tce_info *info = &r->env->info;
    unsigned s = row_slot(row);

    switch (row->base) {
    case VE_BASE_DEF:
        return info->dma32_window_start + row->ioff;
    case VE_BASE_DEF_END:
        return (uint64_t)info->dma32_window_start +
               info->dma32_window_size - row->ioff;
    case VE_BASE_W0:
    case VE_BASE_W1:
        return r->slot_start[s] + row->ioff;
    case VE_BASE_W0_END:
    case VE_BASE_W1_END:
        return r->slot_start[s] + r->slot_size[s] - row->ioff;
    default:
        return row->ioff;
    }
}

static int run_memory(ErrnoRun *r, const VfioErrnoRow *row,
                      unsigned long req)
{
    struct vfio_iommu_spapr_register_memory reg = {
        .argsz = sizeof(reg),
        .vaddr = (uintptr_t)(r->buf[row->buf] + row->voff),
        .size = (row->flags & VE_WHOLE_BUF) ? r->buf_size[row->buf]
                                             : row->size,
    };

    return run_ioctl(r, r->container, req, &reg);
}

static int run_map(ErrnoRun *r, const VfioErrnoRow *row)
{
    struct vfio_iommu_type1_dma_map map = {
        .argsz = sizeof(map),
        .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
        .vaddr = (uintptr_t)(r->buf[row->buf] + row->voff),
        .iova = row_iova(r, row),
        .size = row->size,
    };

    return run_ioctl(r, r->container, VFIO_IOMMU_MAP_DMA, &map);
}

static int run_unmap(ErrnoRun *r, const VfioErrnoRow *row)
{
    struct vfio_iommu_type1_dma_unmap unmap = {
        .argsz = sizeof(unmap), .iova = row_iova(r, row), .size = row->size,
    };
    int ret = run_ioctl(r, r->container, VFIO_IOMMU_UNMAP_DMA, &unmap);

    /* The size unmapped comes back; a different one is a wrong answer */
    return ret == 0 && unmap.size != row->size ? -EDOM : ret;
}

static int run_create(ErrnoRun *r, const VfioErrnoRow *row)
{
    struct vfio_iommu_spapr_tce_create cr = {
        .argsz = sizeof(cr),
        .page_shift = row->page_shift,
        .window_size = row->size,
        .levels = (row->flags & VE_LEVELS_MAX1) ?
                  r->env->info.ddw.levels + 1 : row->levels,
    };
    int ret = run_ioctl(r, r->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr);

    r->slot_valid[row->slot] = ret == 0;
    r->slot_start[row->slot] = cr.start_addr;
    r->slot_size[row->slot] = row->size;
    if (ret == 0 && (row->flags & VE_CHECK_START) &&
        cr.start_addr != row->ioff) {
        return -EDOM;       /* reported as a wrong answer */
    }
    return ret;
}

static int run_one(ErrnoRun *r, const VfioErrnoRow *row)
{
    struct vfio_iommu_spapr_tce_remove rm = {
        .argsz = sizeof(rm), .start_addr = row_iova(r, row),
    };
    struct vfio_eeh_pe_op eeh = {
        .argsz = sizeof(eeh), .op = VFIO_EEH_PE_GET_STATE,
    };

    switch (row->op) {
    case VE_OP_CHECK_EXTENSION:
        return run_ioctl(r, r->container, VFIO_CHECK_EXTENSION,
                         (void *)(uintptr_t)row->size);
    case VE_OP_ENABLE:
        return run_ioctl(r, r->container, VFIO_IOMMU_ENABLE, NULL);
    case VE_OP_EEH_GET_STATE:
        return run_ioctl(r, r->container, VFIO_EEH_PE_OP, &eeh);
    case VE_OP_REGISTER:
        return run_memory(r, row, VFIO_IOMMU_SPAPR_REGISTER_MEMORY);
    case VE_OP_UNREGISTER:
        return run_memory(r, row, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY);
    case VE_OP_MAP:
        return run_map(r, row);
    case VE_OP_UNMAP:
        return run_unmap(r, row);
    case VE_OP_CREATE:
        return run_create(r, row);
    case VE_OP_REMOVE:
        return run_ioctl(r, r->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm);
    case VE_OP_DMA:
        return run_dma(r, row_iova(r, row), r->buf[row->buf] + row->voff,
                       row->size);
    case VE_OP_UNSET_CONTAINER:
        return run_ioctl(r, r->group, VFIO_GROUP_UNSET_CONTAINER, NULL);
    }
    return -ENOSYS;
}

static bool row_skipped(ErrnoRun *r, const VfioErrnoRow *row)
{
    if ((row->flags & VE_DEVICE) && r->device < 0) {
        return true;
    }
    if ((row->flags & VE_DESTRUCTIVE) && !r->env->destructive) {
        return true;
    }
    return (row->flags & VE_IF_CREATED) && !r->slot_valid[row_slot(row)];
}

static void run_rows(ErrnoRun *r, unsigned from, unsigned to,
                     VfioErrnoCounts *n)
{
    for (unsigned i = from; i < to; i++) {
        const VfioErrnoRow *row = &vfio_errno_table[i];
        int want = r->env->kernel ? vfio_errno_row_kernel(row, r->page_size)
                                  : row->api;
        bool ran = !row_skipped(r, row);
        int got = ran ? run_one(r, row) : 0;

        if (!ran) {
            n->skipped++;
        } else if (got == want) {
            n->passed++;
        } else {
            n->failed++;
        }
        if (r->env->report) {
            r->env->report(r->env->opaque, i, row, ran, got, want);
        }
    }
}

/*
 * The table's buffers: MAIN (1 MiB, 64 KiB aligned, 1 MiB more after
 * it), UNREG 1 MiB further, all small pages and populated; HOLE two
 * pages whose second is unmapped.
 */
static bool run_map_buffers(ErrnoRun *r)
{
    r->area_size = 4 * MAIN_SIZE + MAIN_ALIGN;
    r->hole_page = MAX((uint64_t)getpagesize(), r->page_size);
    r->area = mmap(NULL, r->area_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    r->hole = mmap(NULL, 2 * r->hole_page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r->area == MAP_FAILED || r->hole == MAP_FAILED) {
        return false;
    }
    /* Small pages: the backing page size is part of what is tested */
    madvise(r->area, r->area_size, MADV_NOHUGEPAGE);
    memset(r->area, 0, r->area_size);
    memset(r->hole, 0, r->hole_page);
    munmap(r->hole + r->hole_page, r->hole_page);
    r->buf[VE_BUF_MAIN] = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)r->area,
                                                   MAIN_ALIGN);
    r->buf_size[VE_BUF_MAIN] = MAIN_SIZE;
    r->buf[VE_BUF_UNREG] = r->buf[VE_BUF_MAIN] + 2 * MAIN_SIZE;
    r->buf_size[VE_BUF_UNREG] = MAIN_SIZE;
    r->buf[VE_BUF_HOLE] = r->hole;
    r->buf_size[VE_BUF_HOLE] = 2 * r->hole_page;
    return true;
}

/* Opens the edu, lets it decode memory and master the bus. */
static int run_open_device(ErrnoRun *r)
{
    uint8_t id[4], cmd[2];
    int ret = run_ioctl(r, r->group, VFIO_GROUP_GET_DEVICE_FD,
                        r->h->device_name);

    if (ret < 0) {
        return ret;
    }
    r->device = ret;
    ret = run_rw(r, REGION(VFIO_PCI_CONFIG_REGION_INDEX) + 4, cmd, 2, false);
    if (ret) {
        return ret;
    }
    cmd[0] |= 0x6;
    ret = run_rw(r, REGION(VFIO_PCI_CONFIG_REGION_INDEX) + 4, cmd, 2, true);
    ret = ret ? ret : run_rw(r, REGION(VFIO_PCI_BAR0_REGION_INDEX) + EDU_ID,
                             id, 4, false);
    /* The identification register reads 0x010000ed in the device's order */
    r->edu_be = !ret && id[0] != 0xed && id[3] == 0xed;
    return ret;
}

static int run_attach(ErrnoRun *r)
{
    int ret;

    r->group = r->h->ops->open_group(r->h);
    if (r->group < 0) {
        return r->group;
    }
    ret = run_ioctl(r, r->group, VFIO_GROUP_SET_CONTAINER, &r->container);
    ret = ret ? ret : run_ioctl(r, r->container, VFIO_SET_IOMMU,
                                (void *)(uintptr_t)VFIO_SPAPR_TCE_v2_IOMMU);
    r->env->info.argsz = sizeof(r->env->info);
    ret = ret ? ret : run_ioctl(r, r->container,
                                VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                                &r->env->info);
    return ret ? ret : run_open_device(r);
}

static void run_close(ErrnoRun *r)
{
    int fds[] = { r->device, r->group, r->container };

    for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
        if (fds[i] >= 0) {
            r->h->ops->close(r->h, fds[i]);
        }
    }
    if (r->area && r->area != MAP_FAILED) {
        munmap(r->area, r->area_size);
    }
    if (r->hole && r->hole != MAP_FAILED) {
        munmap(r->hole, r->hole_page);
    }
}

bool vfio_errno_run(VfioErrnoRunEnv *env, VfioErrnoCounts *n, char **msg)
{
    ErrnoRun r = {
        .env = env, .h = env->host, .container = -1, .group = -1,
        .device = -1, .page_size = vfio_host_page_size(env->host),
    };
    unsigned first = 0;
    int ret;

    *n = (VfioErrnoCounts) { 0 };
    *msg = NULL;
    if (!run_map_buffers(&r)) {
        *msg = g_strdup("cannot map the buffers");
    } else if ((r.container = r.h->ops->open_container(r.h)) < 0) {
        *msg = g_strdup_printf("open container: %d", r.container);
    }
    /* Extensions are asked before any group is attached */
    while (first < vfio_errno_table_len &&
           vfio_errno_table[first].op == VE_OP_CHECK_EXTENSION) {
        first++;
    }
    if (!*msg) {
        run_rows(&r, 0, first, n);
        ret = run_attach(&r);
        if (ret) {
            *msg = g_strdup_printf("attaching the group to a v2 container "
                                   "and opening its device: %d", ret);
        }
    }
    if (!*msg) {
        run_rows(&r, first, vfio_errno_table_len, n);
    }
    run_close(&r);
    return !*msg;
}
