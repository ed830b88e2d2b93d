/*
 * The SPAPR TCE v2 errno table and its transport-independent runner.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include <linux/vfio.h>
#include "vfio-errno-table.h"

#define KiB         (1ULL << 10)
#define MiB         (1ULL << 20)
#define GiB         (1ULL << 30)
#define TiB         (1ULL << 40)
#define DMA64       (1ULL << 59)
#define DMA32_END   0x80000000ULL
#define V2          VFIO_SPAPR_TCE_v2_IOMMU

/* A step whose answer is the documented one everywhere. */
#define S(op_, a_, b_, c_, d_, e_) \
    { .op = (op_), .a = (a_), .b = (b_), .c = (c_), .d = (d_), .expect = (e_) }
/* A step where Linux 6.12 answers k_ instead of the documented e_. */
#define SK(op_, a_, b_, c_, d_, e_, k_) \
    { .op = (op_), .a = (a_), .b = (b_), .c = (c_), .d = (d_), \
      .expect = (e_), .kernel_differs = true, .kernel = (k_) }
#define REG(off, sz, e)         S(VEO_REGISTER, off, sz, 0, 0, e)
#define UNREG(off, sz, e)       S(VEO_UNREGISTER, off, sz, 0, 0, e)
#define MAP(iova, sz, off, e)   S(VEO_MAP, iova, sz, off, 0, e)
#define UNMAP(iova, sz, e)      S(VEO_UNMAP, iova, sz, 0, 0, e)
#define CREATE(sh, sz, lv, start, e) S(VEO_CREATE, sh, sz, lv, start, e)
#define REMOVE(start, e)        S(VEO_REMOVE, start, 0, 0, 0, e)
#define DMA_RD(iova, len, off)  S(VEO_DMA_READ, iova, len, off, 0, 0)
#define DMA_WR(iova, len, off)  S(VEO_DMA_WRITE, iova, len, off, 0, 0)
#define CHECK(ext, e)           S(VEO_CHECK_EXTENSION, ext, 0, 0, 0, e)

const VFIOErrnoRow vfio_errno_rows[] = {
    { "check-extension", "CHECK_EXTENSION", NULL, 0, {
        CHECK(VFIO_SPAPR_TCE_IOMMU, 1), CHECK(VFIO_SPAPR_TCE_v2_IOMMU, 1),
        CHECK(VFIO_EEH, 1), CHECK(VFIO_TYPE1_IOMMU, 0),
        CHECK(VFIO_TYPE1v2_IOMMU, 0) } },
    { "get-info", "GET_INFO (powernv8, PHB3)", NULL, V2, {
        S(VEO_GET_INFO, 0x11011000, 5, 0, 0, 0) } },
    { "enable-v2", "VFIO_IOMMU_ENABLE on v2", NULL, V2, {
        S(VEO_ENABLE, 0, 0, 0, 0, -ENOTTY) } },
    { "map-before-register", "MAP_DMA before any REGISTER_MEMORY", NULL, V2, {
        MAP(0, 64 * KiB, 0, -EPERM) } },
    { "register-twice", "REGISTER same range twice", NULL, V2, {
        REG(0, MiB, 0), REG(0, MiB, -EBUSY) } },
    { "register-overlap", "REGISTER overlapping range", NULL, V2, {
        REG(0, MiB, 0), REG(512 * KiB, MiB, -EINVAL) } },
    { "register-unaligned", "REGISTER unaligned vaddr/size", NULL, V2, {
        REG(0x100, 64 * KiB, -EINVAL), REG(0, 64 * KiB + 0x100, -EINVAL) } },
    { "register-unmapped-tail", "REGISTER range whose last page is unmapped",
      "the kernel returns the partial pin count (+1)", V2, {
        SK(VEO_REGISTER, VFIO_ERRNO_BUF_SIZE - 64 * KiB, 128 * KiB, 0, 0,
           -EFAULT, 1) } },
    { "register-size-0", "REGISTER size 0",
      "the kernel WARNs in vzalloc(0) and returns ENOMEM", V2, {
        SK(VEO_REGISTER, 0, 0, 0, 0, -EINVAL, -ENOMEM) } },
    { "map-default-window", "MAP_DMA, registered memory, default window",
      NULL, V2, {
        REG(0, MiB, 0), MAP(0, MiB, 0, 0), DMA_RD(0x1000, 4 * KiB, 0x1000),
        DMA_WR(0x2000, 4 * KiB, 0x2000) } },
    { "map-same-iova", "MAP_DMA same IOVA again", NULL, V2, {
        REG(0, MiB, 0), MAP(0, 64 * KiB, 0, 0),
        MAP(0, 64 * KiB, 64 * KiB, 0), DMA_RD(0, 4 * KiB, 64 * KiB) } },
    { "map-unregistered", "MAP_DMA unregistered", NULL, V2, {
        REG(0, MiB, 0), MAP(0, 64 * KiB, 2 * MiB, -EINVAL) } },
    { "map-half-registered", "MAP_DMA half-registered", NULL, V2, {
        REG(0, MiB, 0), MAP(0, 2 * MiB, 0, -EINVAL),
        S(VEO_DMA_READ, 0, 4 * KiB, 0, 0, -EIO) } },
    { "map-outside", "MAP_DMA IOVA outside every window", NULL, V2, {
        REG(0, MiB, 0), MAP(DMA32_END, 64 * KiB, 0, -ENXIO) } },
    { "map-unaligned-size", "MAP_DMA unaligned size or vaddr", NULL, V2, {
        REG(0, MiB, 0), MAP(0, 0x1100, 0, -EINVAL),
        MAP(0, 4 * KiB, 0x100, -EINVAL) } },
    { "map-unaligned-iova", "MAP_DMA unaligned IOVA",
      "iommu_tce_put_param_check() is an || macro: +1", V2, {
        REG(0, MiB, 0),
        SK(VEO_MAP, 0x100, 4 * KiB, 0, 0, -EINVAL, 1) } },
    { "map-crossing-end", "MAP_DMA crossing the end of a window",
      "only the first page is checked; TCEs are written past the table", V2, {
        REG(0, MiB, 0),
        SK(VEO_MAP, DMA32_END - 64 * KiB, 128 * KiB, 0, 0, -EINVAL, 0) } },
    { "map-small-backing", "MAP_DMA, 4K-backed memory, 64K-page window",
      NULL, V2, {
        REG(0, MiB, 0), CREATE(16, GiB, 1, DMA64, 0),
        S(VEO_MAP, DMA64, 64 * KiB, 0, 16, VFIO_ERRNO_BACKING) } },
    { "unregister-wrong", "UNREGISTER wrong size / never registered / "
      "unaligned", NULL, V2, {
        REG(0, MiB, 0), UNREG(0, 512 * KiB, -ENOENT),
        UNREG(2 * MiB, MiB, -ENOENT), UNREG(0x100, MiB, -EINVAL) } },
    { "unregister-mapped", "UNREGISTER while mapped",
      "the kernel drops the container's entry (0) and leaks the pinned "
      "region; the next UNREGISTER gives ENOENT", V2, {
        REG(0, MiB, 0), MAP(0, 64 * KiB, 0, 0),
        SK(VEO_UNREGISTER, 0, MiB, 0, 0, -EBUSY, 0),
        UNMAP(0, 64 * KiB, 0),
        SK(VEO_UNREGISTER, 0, MiB, 0, 0, 0, -ENOENT) } },
    { "unmap-mapped", "UNMAP_DMA mapped range", NULL, V2, {
        REG(0, MiB, 0), MAP(0, MiB, 0, 0), UNMAP(0, MiB, 0),
        S(VEO_DMA_READ, 0, 4 * KiB, 0, 0, -EIO) } },
    { "unmap-clear", "UNMAP_DMA already-clear range", NULL, V2, {
        REG(0, MiB, 0), UNMAP(0, MiB, 0), UNMAP(0, MiB, 0) } },
    { "unmap-unaligned-iova", "UNMAP_DMA unaligned IOVA",
      "iommu_tce_clear_param_check() is an || macro: +1", V2, {
        REG(0, MiB, 0), SK(VEO_UNMAP, 0x100, 4 * KiB, 0, 0, -EINVAL, 1) } },
    { "unmap-outside", "UNMAP_DMA outside windows", NULL, V2, {
        REG(0, MiB, 0), UNMAP(DMA32_END, 4 * KiB, -ENXIO) } },
    { "create-4g", "TCE_CREATE 4K, 4 GiB, 1 level (default window present)",
      NULL, V2, {
        REG(0, MiB, 0), CREATE(12, 4 * GiB, 1, DMA64, 0),
        MAP(DMA64, MiB, 0, 0), DMA_RD(DMA64 + 0x3000, 4 * KiB, 0x3000),
        DMA_WR(DMA64 + 0x5000, 4 * KiB, 0x5000) } },
    { "create-third", "TCE_CREATE a 3rd window", NULL, V2, {
        CREATE(12, 4 * GiB, 1, DMA64, 0), CREATE(12, GiB, 1, 0, -ENOSPC) } },
    { "create-invalid", "TCE_CREATE page_shift 13 / levels 0 / levels 6 / "
      "size 3G", NULL, V2, {
        CREATE(13, GiB, 1, 0, -EINVAL), CREATE(12, GiB, 0, 0, -EINVAL),
        CREATE(12, GiB, 6, 0, -EINVAL), CREATE(12, 3 * GiB, 1, 0, -EINVAL) } },
    { "create-1t-3-levels", "TCE_CREATE 1 TiB, 64K pages, 3 levels",
      "a 64K-page kernel's level pages hold 8192 entries: "
      "(16-3)*3+16 >= 55 gives EINVAL; 4K-page kernels (and this model, "
      "the documented API) accept it", V2, {
        SK(VEO_CREATE, 16, TiB, 3, DMA64, 0, VFIO_ERRNO_LEVEL_LIMIT) } },
    { "create-1t-2-levels", "TCE_CREATE 1 TiB, 64K pages, 2 levels", NULL,
      V2, {
        CREATE(16, TiB, 2, DMA64, 0) } },
    { "remove", "TCE_REMOVE window / again / address outside all windows",
      NULL, V2, {
        CREATE(12, 4 * GiB, 1, DMA64, 0), REMOVE(DMA64, 0),
        REMOVE(DMA64, -EINVAL), REMOVE(1ULL << 58, -EINVAL) } },
    { "remove-inside", "TCE_REMOVE with an address inside a window",
      "the kernel removes the window that contains the address", V2, {
        CREATE(12, 4 * GiB, 1, DMA64, 0),
        SK(VEO_REMOVE, DMA64 + 64 * KiB, 0, 0, 0, -EINVAL, 0) } },
    { "remove-default-create-twice", "remove default window, then "
      "TCE_CREATE twice", NULL, V2, {
        REMOVE(0, 0), CREATE(12, 16 * GiB, 2, 0, 0),
        CREATE(12, 4 * GiB, 1, DMA64, 0), REG(0, MiB, 0),
        MAP(12 * GiB, MiB, 0, 0), DMA_RD(12 * GiB + 0x7000, 4 * KiB, 0x7000),
        DMA_WR(12 * GiB + 0x9000, 4 * KiB, 0x9000) } },
    { "unset-with-device", "GROUP_UNSET_CONTAINER with device fd open",
      NULL, V2, {
        S(VEO_OPEN_DEVICE, 0, 0, 0, 0, 0),
        S(VEO_UNSET_CONTAINER, 0, 0, 0, 0, -EBUSY) } },
    { "eeh-get-state", "EEH_PE_OP GET_STATE", NULL, V2, {
        S(VEO_EEH_GET_STATE, 0, 0, 0, 0, 0) } },
};

const size_t vfio_errno_nr_rows = ARRAY_SIZE(vfio_errno_rows);

/* The runner */

#define EDU_REG_SRC     0x80
#define EDU_REG_DST     0x88
#define EDU_REG_CNT     0x90
#define EDU_REG_CMD     0x98
#define EDU_BUF         0x40000
#define EDU_BUF_SIZE    4096
#define EDU_CMD_RUN     1
#define EDU_CMD_TO_BUS  2
#define REGION(i)       ((uint64_t)(i) << 40)
#define BUF_ALIGN       (64 * KiB)
#define DMA_WAITS       20

typedef struct ErrnoRun {
    const VFIOErrnoEnv *env;
    VFIOHost *h;
    uint8_t *map;           /* what was mmap'd */
    size_t map_size;
    uint8_t *buf;           /* VFIO_ERRNO_BUF_SIZE bytes, then a hole */
    int container, group, device;
    char *why;              /* a check other than the return value failed */
} ErrnoRun;

static bool run_map_buffer(ErrnoRun *r)
{
    uint8_t *end;

    r->map_size = VFIO_ERRNO_BUF_SIZE + VFIO_ERRNO_HOLE_SIZE + BUF_ALIGN;
    r->map = mmap(NULL, r->map_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r->map == MAP_FAILED) {
        r->map = NULL;
        return false;
    }
    r->buf = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)r->map, BUF_ALIGN);
    end = r->buf + VFIO_ERRNO_BUF_SIZE;
    /* Small pages: the backing page size is part of what is tested. */
    madvise(r->buf, VFIO_ERRNO_BUF_SIZE, MADV_NOHUGEPAGE);
    memset(r->buf, 0, VFIO_ERRNO_BUF_SIZE);
    munmap(end, VFIO_ERRNO_HOLE_SIZE);
    return true;
}

static void run_unmap_buffer(ErrnoRun *r)
{
    uint8_t *hole = r->buf + VFIO_ERRNO_BUF_SIZE;
    uint8_t *after = hole + VFIO_ERRNO_HOLE_SIZE;

    if (r->buf > r->map) {
        munmap(r->map, r->buf - r->map);
    }
    munmap(r->buf, VFIO_ERRNO_BUF_SIZE);
    if (after < r->map + r->map_size) {
        munmap(after, r->map + r->map_size - after);
    }
}

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

static int run_reg64(ErrnoRun *r, uint64_t reg, uint64_t val)
{
    uint8_t b[8];

    for (int i = 0; i < 8; i++) {
        b[i] = val >> (8 * i);
    }
    return run_rw(r, REGION(VFIO_PCI_BAR0_REGION_INDEX) + reg, b, 8, true);
}

/* Opens the device and lets it decode memory and master the bus. */
static int run_open_device(ErrnoRun *r)
{
    uint8_t cmd[2];
    int ret;

    if (r->device >= 0) {
        return 0;
    }
    ret = run_ioctl(r, r->group, VFIO_GROUP_GET_DEVICE_FD,
                    r->h->device_name);
    if (ret < 0) {
        return ret;
    }
    r->device = ret;
    ret = run_rw(r, REGION(VFIO_PCI_CONFIG_REGION_INDEX) + 4, cmd, 2, false);
    if (ret) {
        return ret;
    }
    cmd[0] |= 0x6;  /* memory decode, bus master */
    return run_rw(r, REGION(VFIO_PCI_CONFIG_REGION_INDEX) + 4, cmd, 2, true);
}

static int run_edu_dma(ErrnoRun *r, uint64_t src, uint64_t dst,
                       uint64_t len, uint64_t cmd)
{
    uint8_t v[8] = { 0 };
    int ret = run_reg64(r, EDU_REG_SRC, src);

    ret = ret ? ret : run_reg64(r, EDU_REG_DST, dst);
    ret = ret ? ret : run_reg64(r, EDU_REG_CNT, len);
    ret = ret ? ret : run_reg64(r, EDU_REG_CMD, cmd);
    for (int i = 0; !ret && i < DMA_WAITS; i++) {
        r->env->wait_dma(r->env->opaque);
        ret = run_rw(r, REGION(VFIO_PCI_BAR0_REGION_INDEX) + EDU_REG_CMD, v,
                     8, false);
        if (!ret && !(v[0] & EDU_CMD_RUN)) {
            return 0;
        }
    }
    return ret ? ret : -ETIMEDOUT;
}

static void run_pattern(uint8_t *p, uint64_t len, uint64_t seed)
{
    for (uint64_t i = 0; i < len; i++) {
        p[i] = (uint8_t)((i * 7 + seed) | 1);
    }
}

/* The device reads memory at iova: it must see buffer offset off. */
static int run_dma_read(ErrnoRun *r, uint64_t iova, uint64_t len,
                        uint64_t off)
{
    uint64_t bar = REGION(VFIO_PCI_BAR0_REGION_INDEX);
    g_autofree uint8_t *got = g_malloc0(EDU_BUF_SIZE);
    int ret = run_open_device(r);

    if (ret || len > EDU_BUF_SIZE || off + len > VFIO_ERRNO_BUF_SIZE) {
        return ret ? ret : -E2BIG;
    }
    run_pattern(r->buf + off, len, iova >> 12);
    ret = run_rw(r, bar + EDU_BUF, got, len, true);
    ret = ret ? ret : run_edu_dma(r, iova, EDU_BUF, len, EDU_CMD_RUN);
    ret = ret ? ret : run_rw(r, bar + EDU_BUF, got, len, false);
    if (!ret && memcmp(got, r->buf + off, len)) {
        ret = -EIO;
    }
    return ret;
}

/* The device writes memory at iova: buffer offset off must receive it. */
static int run_dma_write(ErrnoRun *r, uint64_t iova, uint64_t len,
                         uint64_t off)
{
    uint64_t bar = REGION(VFIO_PCI_BAR0_REGION_INDEX);
    g_autofree uint8_t *want = g_malloc0(EDU_BUF_SIZE);
    int ret = run_open_device(r);

    if (ret || len > EDU_BUF_SIZE || off + len > VFIO_ERRNO_BUF_SIZE) {
        return ret ? ret : -E2BIG;
    }
    run_pattern(want, len, iova >> 12);
    memset(r->buf + off, 0, len);
    ret = run_rw(r, bar + EDU_BUF, want, len, true);
    ret = ret ? ret : run_edu_dma(r, EDU_BUF, iova, len,
                                  EDU_CMD_RUN | EDU_CMD_TO_BUS);
    if (!ret && memcmp(want, r->buf + off, len)) {
        ret = -EIO;
    }
    return ret;
}

static int run_get_info(ErrnoRun *r, const VFIOErrnoStep *s)
{
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    int ret = run_ioctl(r, r->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                        &info);

    if (ret) {
        return ret;
    }
    if (info.dma32_window_start != 0 || info.dma32_window_size != DMA32_END ||
        !(info.flags & VFIO_IOMMU_SPAPR_INFO_DDW) ||
        info.ddw.pgsizes != s->a || info.ddw.levels != s->b ||
        info.ddw.max_dynamic_windows_supported != 2) {
        r->why = g_strdup_printf("GET_INFO: dma32 0x%llx+0x%x flags 0x%x "
                                 "pgsizes 0x%llx windows %u levels %u",
                                 (unsigned long long)info.dma32_window_start,
                                 info.dma32_window_size, info.flags,
                                 (unsigned long long)info.ddw.pgsizes,
                                 info.ddw.max_dynamic_windows_supported,
                                 info.ddw.levels);
    }
    return 0;
}

static int run_memory(ErrnoRun *r, const VFIOErrnoStep *s)
{
    struct vfio_iommu_spapr_register_memory reg = {
        .argsz = sizeof(reg),
        .vaddr = (uintptr_t)r->buf + s->a,
        .size = s->b,
    };

    return run_ioctl(r, r->container, s->op == VEO_REGISTER ?
                     VFIO_IOMMU_SPAPR_REGISTER_MEMORY :
                     VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg);
}

static int run_map(ErrnoRun *r, const VFIOErrnoStep *s)
{
    struct vfio_iommu_type1_dma_map map = {
        .argsz = sizeof(map),
        .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
        .vaddr = (uintptr_t)r->buf + s->c,
        .iova = s->a,
        .size = s->b,
    };

    return run_ioctl(r, r->container, VFIO_IOMMU_MAP_DMA, &map);
}

static int run_unmap(ErrnoRun *r, const VFIOErrnoStep *s)
{
    struct vfio_iommu_type1_dma_unmap unmap = {
        .argsz = sizeof(unmap), .iova = s->a, .size = s->b,
    };
    int ret = run_ioctl(r, r->container, VFIO_IOMMU_UNMAP_DMA, &unmap);

    if (ret == 0 && unmap.size != s->b) {
        r->why = g_strdup_printf("UNMAP_DMA: size came back as 0x%llx",
                                 (unsigned long long)unmap.size);
    }
    return ret;
}

static int run_create(ErrnoRun *r, const VFIOErrnoStep *s)
{
    struct vfio_iommu_spapr_tce_create cr = {
        .argsz = sizeof(cr), .page_shift = s->a, .window_size = s->b,
        .levels = s->c,
    };
    int ret = run_ioctl(r, r->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr);

    if (ret == 0 && cr.start_addr != s->d) {
        r->why = g_strdup_printf("TCE_CREATE: start 0x%llx, not 0x%" PRIx64,
                                 (unsigned long long)cr.start_addr, s->d);
    }
    return ret;
}

static int run_step(ErrnoRun *r, const VFIOErrnoStep *s)
{
    struct vfio_iommu_spapr_tce_remove rm = {
        .argsz = sizeof(rm), .start_addr = s->a,
    };
    struct vfio_eeh_pe_op eeh = {
        .argsz = sizeof(eeh), .op = VFIO_EEH_PE_GET_STATE,
    };

    switch (s->op) {
    case VEO_CHECK_EXTENSION:
        return run_ioctl(r, r->container, VFIO_CHECK_EXTENSION,
                         (void *)(uintptr_t)s->a);
    case VEO_ENABLE:
        return run_ioctl(r, r->container, VFIO_IOMMU_ENABLE, NULL);
    case VEO_GET_INFO:
        return run_get_info(r, s);
    case VEO_REGISTER:
    case VEO_UNREGISTER:
        return run_memory(r, s);
    case VEO_MAP:
        return run_map(r, s);
    case VEO_UNMAP:
        return run_unmap(r, s);
    case VEO_CREATE:
        return run_create(r, s);
    case VEO_REMOVE:
        return run_ioctl(r, r->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm);
    case VEO_OPEN_DEVICE:
        return run_open_device(r);
    case VEO_UNSET_CONTAINER:
        return run_ioctl(r, r->group, VFIO_GROUP_UNSET_CONTAINER, NULL);
    case VEO_EEH_GET_STATE:
        return run_ioctl(r, r->container, VFIO_EEH_PE_OP, &eeh);
    case VEO_DMA_READ:
        return run_dma_read(r, s->a, s->b, s->c);
    case VEO_DMA_WRITE:
        return run_dma_write(r, s->a, s->b, s->c);
    default:
        return -ENOSYS;
    }
}

/* The kernel's pnv_pci_ioda2_table_alloc_pages() limit, this page size. */
static int run_level_limit(const VFIOErrnoStep *s, uint64_t kernel_page)
{
    unsigned kshift = ctz64(kernel_page);
    unsigned entries_shift = ctz64(s->b) - s->a;
    unsigned level_shift = (entries_shift + s->c - 1) / s->c + 3;

    level_shift = MAX(level_shift, kshift);
    return (level_shift - 3) * s->c + s->a >= 55 ? -EINVAL : 0;
}

int vfio_errno_expected(const VFIOErrnoStep *s, bool kernel,
                        uint64_t kernel_page)
{
    int v = kernel && s->kernel_differs ? s->kernel : s->expect;

    if (v == VFIO_ERRNO_BACKING) {
        return kernel_page >= (1ULL << s->d) ? 0 : -EINVAL;
    }
    if (v == VFIO_ERRNO_LEVEL_LIMIT) {
        return run_level_limit(s, kernel_page);
    }
    return v;
}

static int run_setup(ErrnoRun *r, const VFIOErrnoRow *row)
{
    int ret;

    r->container = r->h->ops->open_container(r->h);
    if (r->container < 0) {
        return r->container;
    }
    r->group = r->h->ops->open_group(r->h);
    if (r->group < 0) {
        return r->group;
    }
    ret = run_ioctl(r, r->group, VFIO_GROUP_SET_CONTAINER, &r->container);
    if (!ret && row->iommu) {
        ret = run_ioctl(r, r->container, VFIO_SET_IOMMU,
                        (void *)(uintptr_t)row->iommu);
    }
    return ret;
}

static void run_teardown(ErrnoRun *r)
{
    int fds[] = { r->device, r->group, r->container };

    for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
        if (fds[i] >= 0) {
            r->h->ops->close(r->h, fds[i]);
        }
    }
    if (r->map) {
        run_unmap_buffer(r);
    }
}

bool vfio_errno_run_row(const VFIOErrnoEnv *env, const VFIOErrnoRow *row,
                        char **msg)
{
    ErrnoRun r = {
        .env = env, .h = env->host, .container = -1, .group = -1,
        .device = -1,
    };
    int ret;

    *msg = NULL;
    if (!run_map_buffer(&r)) {
        *msg = g_strdup_printf("%s: cannot map the buffer", row->name);
        return false;
    }
    ret = run_setup(&r, row);
    if (ret) {
        *msg = g_strdup_printf("%s: setup failed: %d", row->name, ret);
    }
    for (int i = 0; !*msg && i < VFIO_ERRNO_MAX_STEPS &&
         row->steps[i].op != VEO_END; i++) {
        int want = vfio_errno_expected(&row->steps[i], env->kernel,
                                       vfio_host_page_size(env->host));

        ret = run_step(&r, &row->steps[i]);
        if (ret != want || r.why) {
            *msg = g_strdup_printf("%s (%s): step %d got %d, want %d%s%s",
                                   row->name, row->doc, i, ret, want,
                                   r.why ? ": " : "", r.why ? r.why : "");
        }
    }
    g_free(r.why);
    run_teardown(&r);
    return !*msg;
}
