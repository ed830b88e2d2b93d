/*
 * Run the VFIO SPAPR TCE v2 errno table (tests/unit/vfio-errno-table.c,
 * the one the emulated host's unit test runs too) against the
 * real kernel of a PowerNV host, and move bytes with QEMU's edu device
 * through the windows the table maps.
 *
 *   vfio-errno-test GROUP [DDDD:BB:DD.F]
 *
 * The rows that make Linux write past a TCE table run only with
 * VFIO_ERRNO_DESTRUCTIVE=1 in the environment.
 *
 * Output (parsed by tests/powernv/check-console.py):
 *   VE-INFO key=value...                    facts (GET_INFO, page size,
 *                                           how many WARNs Linux will log)
 *   VE-ROW N PASS|FAIL|SKIP op=OP got=R kernel=R api=R same|differs NAME
 *   VE-SUMMARY passed=N failed=N skipped=N api-differs=N
 * A row passes when the kernel answers what the kernel column says; the
 * last column tells whether that answer is also the documented one.
 *
 * Cross-built static for ppc64le by tests/powernv/build-initramfs.sh.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "../unit/vfio-errno-table.h"

#define EDU_ID          0x00
#define EDU_LIVENESS    0x04
#define EDU_DMA_SRC     0x80
#define EDU_DMA_DST     0x88
#define EDU_DMA_COUNT   0x90
#define EDU_DMA_CMD     0x98
#define EDU_DMA_START   1u
#define EDU_DMA_TO_RAM  2u
#define EDU_BUFFER      0x40000u
#define EDU_DMA_LEN     256u

#define MAIN_SIZE       (1u << 20)
#define N_SLOTS         2

typedef struct VeHost {
    int container;
    int group;
    int device;             /* -1: no edu, the VE_DEVICE rows skip */
    long page_size;
    uint8_t *buf[3];        /* indexed by VfioErrnoBuf */
    uint64_t buf_size[3];
    struct vfio_iommu_spapr_tce_info info;
    bool slot_valid[N_SLOTS];
    uint64_t slot_start[N_SLOTS];
    uint64_t slot_size[N_SLOTS];
    volatile uint8_t *edu;  /* BAR0 */
    bool edu_swap;          /* edu is big-endian on a ppc64 QEMU */
    bool destructive;       /* run the VE_DESTRUCTIVE rows too */
} VeHost;

/* An ioctl as the table encodes it: 0, -errno or the positive return. */
static int ve_ioctl(int fd, unsigned long req, void *arg)
{
    int ret = ioctl(fd, req, arg);

    return ret < 0 ? -errno : ret;
}

static uint32_t edu_rd32(VeHost *h, unsigned off)
{
    uint32_t v = *(volatile uint32_t *)(h->edu + off);

    return h->edu_swap ? __builtin_bswap32(v) : v;
}

static void edu_wr64(VeHost *h, unsigned off, uint64_t v)
{
    *(volatile uint64_t *)(h->edu + off) = h->edu_swap ?
                                           __builtin_bswap64(v) : v;
}

static void edu_wr32(VeHost *h, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(h->edu + off) = h->edu_swap ?
                                           __builtin_bswap32(v) : v;
}

/* One edu DMA; the engine completes 100 ms after the command. */
static int edu_dma(VeHost *h, uint64_t src, uint64_t dst, uint32_t cmd)
{
    edu_wr64(h, EDU_DMA_SRC, src);
    edu_wr64(h, EDU_DMA_DST, dst);
    edu_wr64(h, EDU_DMA_COUNT, EDU_DMA_LEN);
    edu_wr64(h, EDU_DMA_CMD, EDU_DMA_START | cmd);
    for (int i = 0; i < 300; i++) {
        if (!(edu_rd32(h, EDU_DMA_CMD) & EDU_DMA_START)) {
            return 0;
        }
        usleep(10000);
    }
    return -ETIMEDOUT;
}

/* Bytes at @src_va go iova -> edu -> iova + delta; did they arrive? */
static int run_dma(VeHost *h, uint64_t iova, uint8_t *src_va, uint64_t delta)
{
    uint8_t *dst_va = src_va + delta;

    for (unsigned i = 0; i < EDU_DMA_LEN; i++) {
        src_va[i] = (uint8_t)(i * 13 + 0x31);
        dst_va[i] = 0;
    }
    __sync_synchronize();
    if (edu_dma(h, iova, EDU_BUFFER, 0) ||
        edu_dma(h, EDU_BUFFER, iova + delta, EDU_DMA_TO_RAM)) {
        return -ETIMEDOUT;
    }
    __sync_synchronize();
    return memcmp(src_va, dst_va, EDU_DMA_LEN) ? -EIO : 0;
}

static uint64_t row_iova(VeHost *h, const VfioErrnoRow *r)
{
    uint64_t def = h->info.dma32_window_start;
    uint64_t def_end = def + h->info.dma32_window_size;
    unsigned s = (r->base == VE_BASE_W1 || r->base == VE_BASE_W1_END);

    switch (r->base) {
    case VE_BASE_DEF:
        return def + r->ioff;
    case VE_BASE_DEF_END:
        return def_end - r->ioff;
    case VE_BASE_W0:
    case VE_BASE_W1:
        return h->slot_start[s] + r->ioff;
    case VE_BASE_W0_END:
    case VE_BASE_W1_END:
        return h->slot_start[s] + h->slot_size[s] - r->ioff;
    default:
        return r->ioff;
    }
}

static unsigned row_slot(const VfioErrnoRow *r)
{
    if (r->op == VE_OP_CREATE) {
        return r->slot;
    }
    return r->base == VE_BASE_W1 || r->base == VE_BASE_W1_END;
}

static int run_memory(VeHost *h, const VfioErrnoRow *r, unsigned long req)
{
    struct vfio_iommu_spapr_register_memory reg = {
        .argsz = sizeof(reg),
        .vaddr = (uintptr_t)(h->buf[r->buf] + r->voff),
        .size = (r->flags & VE_WHOLE_BUF) ? h->buf_size[r->buf] : r->size,
    };

    return ve_ioctl(h->container, req, &reg);
}

static int run_map(VeHost *h, const VfioErrnoRow *r)
{
    struct vfio_iommu_type1_dma_map map = {
        .argsz = sizeof(map),
        .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
        .vaddr = (uintptr_t)(h->buf[r->buf] + r->voff),
        .iova = row_iova(h, r),
        .size = r->size,
    };

    return ve_ioctl(h->container, VFIO_IOMMU_MAP_DMA, &map);
}

static int run_unmap(VeHost *h, const VfioErrnoRow *r)
{
    struct vfio_iommu_type1_dma_unmap unmap = {
        .argsz = sizeof(unmap),
        .iova = row_iova(h, r),
        .size = r->size,
    };
    int ret = ve_ioctl(h->container, VFIO_IOMMU_UNMAP_DMA, &unmap);

    if (ret == 0 && unmap.size != r->size) {
        printf("VE-INFO unmap-size-returned=0x%llx asked=0x%llx\n",
               (unsigned long long)unmap.size,
               (unsigned long long)r->size);
    }
    return ret;
}

static int run_create(VeHost *h, const VfioErrnoRow *r)
{
    struct vfio_iommu_spapr_tce_create cr = {
        .argsz = sizeof(cr),
        .page_shift = r->page_shift,
        .window_size = r->size,
        .levels = (r->flags & VE_LEVELS_MAX1) ? h->info.ddw.levels + 1
                                              : r->levels,
    };
    int ret = ve_ioctl(h->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr);

    h->slot_valid[r->slot] = ret == 0;
    h->slot_start[r->slot] = cr.start_addr;
    h->slot_size[r->slot] = r->size;
    if (ret == 0) {
        printf("VE-INFO create-start=0x%llx\n",
               (unsigned long long)cr.start_addr);
        if ((r->flags & VE_CHECK_START) && cr.start_addr != r->ioff) {
            return -EDOM;   /* reported as a wrong result */
        }
    }
    return ret;
}

static int run_remove(VeHost *h, const VfioErrnoRow *r)
{
    struct vfio_iommu_spapr_tce_remove rm = {
        .argsz = sizeof(rm),
        .start_addr = row_iova(h, r),
    };

    return ve_ioctl(h->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &rm);
}

static int run_row(VeHost *h, const VfioErrnoRow *r)
{
    struct vfio_eeh_pe_op eeh = {
        .argsz = sizeof(eeh), .op = VFIO_EEH_PE_GET_STATE,
    };

    switch (r->op) {
    case VE_OP_CHECK_EXTENSION:
        return ve_ioctl(h->container, VFIO_CHECK_EXTENSION,
                        (void *)(uintptr_t)r->size);
    case VE_OP_ENABLE:
        return ve_ioctl(h->container, VFIO_IOMMU_ENABLE, NULL);
    case VE_OP_EEH_GET_STATE:
        return ve_ioctl(h->container, VFIO_EEH_PE_OP, &eeh);
    case VE_OP_REGISTER:
        return run_memory(h, r, VFIO_IOMMU_SPAPR_REGISTER_MEMORY);
    case VE_OP_UNREGISTER:
        return run_memory(h, r, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY);
    case VE_OP_MAP:
        return run_map(h, r);
    case VE_OP_UNMAP:
        return run_unmap(h, r);
    case VE_OP_CREATE:
        return run_create(h, r);
    case VE_OP_REMOVE:
        return run_remove(h, r);
    case VE_OP_DMA:
        return run_dma(h, row_iova(h, r), h->buf[r->buf] + r->voff, r->size);
    case VE_OP_UNSET_CONTAINER:
        return ve_ioctl(h->group, VFIO_GROUP_UNSET_CONTAINER, NULL);
    }
    return -ENOSYS;
}

static bool row_skipped(VeHost *h, const VfioErrnoRow *r)
{
    if ((r->flags & VE_DEVICE) && h->device < 0) {
        return true;
    }
    if ((r->flags & VE_DESTRUCTIVE) && !h->destructive) {
        return true;
    }
    return (r->flags & VE_IF_CREATED) && !h->slot_valid[row_slot(r)];
}

/* Run rows [from, to); n[]: passed, failed, skipped, differing from API */
static void run_rows(VeHost *h, unsigned from, unsigned to, unsigned *n)
{
    for (unsigned i = from; i < to; i++) {
        const VfioErrnoRow *r = &vfio_errno_table[i];
        int want = vfio_errno_row_kernel(r, h->page_size);
        const char *verdict = "SKIP";
        char got[24] = "-", kern[24];
        int ret = 0;

        if (!row_skipped(h, r)) {
            ret = run_row(h, r);
            verdict = ret == want ? "PASS" : "FAIL";
            snprintf(got, sizeof(got), "%s", vfio_errno_result_str(ret));
        }
        n[verdict[0] == 'P' ? 0 : verdict[0] == 'F' ? 1 : 2]++;
        if (verdict[0] != 'S' && ret != r->api) {
            n[3]++;
        }
        snprintf(kern, sizeof(kern), "%s", vfio_errno_result_str(want));
        printf("VE-ROW %02u %s op=%s got=%s kernel=%s api=%s %s %s\n", i,
               verdict, vfio_errno_op_name(r->op), got, kern,
               vfio_errno_result_str(r->api),
               verdict[0] == 'S' ? "-" : ret == r->api ? "same" : "differs",
               r->name);
        fflush(stdout);
    }
}

static int attach(VeHost *h, const char *group)
{
    char path[64];

    snprintf(path, sizeof(path), "/dev/vfio/%s", group);
    h->group = open(path, O_RDWR);
    if (h->group < 0) {
        printf("VE-ERROR open %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (ve_ioctl(h->group, VFIO_GROUP_SET_CONTAINER, &h->container) ||
        ve_ioctl(h->container, VFIO_SET_IOMMU,
                 (void *)(uintptr_t)VFIO_SPAPR_TCE_v2_IOMMU)) {
        printf("VE-ERROR attaching group %s to a v2 container: %s\n",
               group, strerror(errno));
        return -1;
    }
    h->info.argsz = sizeof(h->info);
    if (ve_ioctl(h->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &h->info)) {
        printf("VE-ERROR GET_INFO: %s\n", strerror(errno));
        return -1;
    }
    printf("VE-INFO dma32=0x%x+0x%x flags=0x%x pgsizes=0x%llx windows=%u "
           "levels=%u\n", h->info.dma32_window_start,
           h->info.dma32_window_size, h->info.flags,
           (unsigned long long)h->info.ddw.pgsizes,
           h->info.ddw.max_dynamic_windows_supported, h->info.ddw.levels);
    return 0;
}

/* Enable memory decoding and bus mastering, map BAR0, check the edu. */
static int open_edu(VeHost *h, const char *bdf)
{
    struct vfio_region_info cfg = {
        .argsz = sizeof(cfg), .index = VFIO_PCI_CONFIG_REGION_INDEX,
    };
    struct vfio_region_info bar = {
        .argsz = sizeof(bar), .index = VFIO_PCI_BAR0_REGION_INDEX,
    };
    uint16_t ids[2] = { 0, 0 }, cmd = 0;
    void *p;

    h->device = ioctl(h->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
    if (h->device < 0 ||
        ve_ioctl(h->device, VFIO_DEVICE_GET_REGION_INFO, &cfg) ||
        pread(h->device, ids, 4, cfg.offset) != 4 ||
        ids[0] != 0x1234 || ids[1] != 0x11e8) {
        printf("VE-ERROR %s is not a usable edu device\n", bdf);
        return -1;
    }
    if (pread(h->device, &cmd, 2, cfg.offset + 4) != 2) {
        return -1;
    }
    cmd |= 0x6;     /* memory space, bus master */
    if (pwrite(h->device, &cmd, 2, cfg.offset + 4) != 2 ||
        ve_ioctl(h->device, VFIO_DEVICE_GET_REGION_INFO, &bar)) {
        return -1;
    }
    p = mmap(NULL, bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, h->device,
             bar.offset);
    if (p == MAP_FAILED) {
        printf("VE-ERROR mmap BAR0: %s\n", strerror(errno));
        return -1;
    }
    h->edu = p;
    h->edu_swap = (*(volatile uint32_t *)h->edu & 0xff) != 0xed;
    edu_wr32(h, EDU_LIVENESS, 0x12345678);
    printf("VE-INFO edu=%s byteswap=%d liveness=0x%08x\n", bdf, h->edu_swap,
           edu_rd32(h, EDU_LIVENESS));
    return edu_rd32(h, EDU_LIVENESS) == ~0x12345678u ? 0 : -1;
}

/* The three buffers of the table's DOC block. */
static int make_buffers(VeHost *h)
{
    size_t len = 4 * MAIN_SIZE;
    uint8_t *area = mmap(NULL, len, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    uint8_t *hole = mmap(NULL, 2 * h->page_size, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

    if (area == MAP_FAILED || hole == MAP_FAILED) {
        return -1;
    }
    munmap(hole + h->page_size, h->page_size);
    h->buf[VE_BUF_MAIN] = (uint8_t *)(((uintptr_t)area + 0xffff) &
                                      ~(uintptr_t)0xffff);
    h->buf_size[VE_BUF_MAIN] = MAIN_SIZE;
    h->buf[VE_BUF_UNREG] = h->buf[VE_BUF_MAIN] + 2 * MAIN_SIZE;
    h->buf_size[VE_BUF_UNREG] = MAIN_SIZE;
    h->buf[VE_BUF_HOLE] = hole;
    h->buf_size[VE_BUF_HOLE] = 2 * h->page_size;
    return 0;
}

int main(int argc, char **argv)
{
    VeHost h = { .device = -1 };
    unsigned n[4] = { 0, 0, 0, 0 };     /* passed, failed, skipped, differs */
    unsigned first = 0, warns = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s GROUP [DDDD:BB:DD.F]\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    h.page_size = sysconf(_SC_PAGESIZE);
    h.destructive = getenv("VFIO_ERRNO_DESTRUCTIVE") != NULL;
    for (unsigned i = 0; i < vfio_errno_table_len; i++) {
        warns += !!(vfio_errno_table[i].flags & VE_KERNEL_WARN);
    }
    printf("VE-INFO page-size=%ld rows=%u expected-kernel-warns=%u\n",
           h.page_size, vfio_errno_table_len, warns);
    h.container = open("/dev/vfio/vfio", O_RDWR);
    if (h.container < 0 || make_buffers(&h)) {
        printf("VE-ERROR setup: %s\n", strerror(errno));
        return 1;
    }
    /* Extensions are asked before any group is attached */
    while (first < vfio_errno_table_len &&
           vfio_errno_table[first].op == VE_OP_CHECK_EXTENSION) {
        first++;
    }
    run_rows(&h, 0, first, n);
    if (attach(&h, argv[1])) {
        return 1;
    }
    if (argc > 2 && open_edu(&h, argv[2])) {
        printf("VE-ERROR edu %s unusable: its rows are skipped\n", argv[2]);
        if (h.device >= 0) {
            close(h.device);
        }
        h.device = -1;
        n[1]++;
    }
    run_rows(&h, first, vfio_errno_table_len, n);
    printf("VE-SUMMARY passed=%u failed=%u skipped=%u api-differs=%u\n",
           n[0], n[1], n[2], n[3]);
    return n[1] ? 3 : 0;
}
