/*
 * The VFIO container against a scripted host, in process: a pseries
 * machine built with qemu_init(), PHB 0's DMA space, and a mock
 * transport that keeps host TCE tables the way the SPAPR TCE v2 kernel
 * does (preregistration required, windows placed by slot, page sizes and
 * levels checked).  After each guest operation the host tables must equal
 * the guest's.  Also the pure helpers: levels, page size clamp, and the
 * linux transport's name parsing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "hw/pci-host/spapr.h"
#include "hw/vfio/vfio-common.h"
#include "qemu/option.h"
#include "sysemu/sysemu.h"

#define MOCK_CONTAINER_FD   10
#define MOCK_GROUP_FD       11
#define MOCK_DEVICE_FD      12
#define MOCK_CONFIG_OFFSET  (7ULL << 40)
#define MOCK_BAR0_SIZE      0x1000
#define PHB0_MMIO32         0x100a0000000ULL    /* PCI 0x80000000 */
#define SCRATCH             0x10000000ULL
#define TCE_LIST            0x10001000ULL
#define RAM_SIZE            (4ULL << 30)

typedef struct MockWin {
    bool used;
    uint64_t start, size;
    unsigned shift, levels;
    GHashTable *tces;           /* page index -> vaddr | perm */
} MockWin;

typedef struct MockHost {
    VFIOHost host;
    bool offer_v2;
    uint64_t pgsizes;
    unsigned max_levels;
    int type;
    bool default_pending;
    MockWin win[2];
    GList *preregs;             /* uint64_t[2] */
    unsigned maps, unmaps, creates;
    unsigned min_levels;        /* fewer levels: -ENOMEM (allocation) */
    uint64_t place_at;          /* non-zero: where the next window goes */
    unsigned fail_map_at;       /* fail the n-th next MAP_DMA */
    int fail_register;          /* -errno for REGISTER_MEMORY */
    unsigned groups;            /* attached to the container */
    unsigned resets;
    uint8_t config[256];
    uint8_t bar0[MOCK_BAR0_SIZE];
} MockHost;

static MockHost mock;

static bool mock_registered(uint64_t vaddr, uint64_t size)
{
    for (GList *l = mock.preregs; l; l = l->next) {
        uint64_t *r = l->data;

        if (vaddr >= r[0] && vaddr + size <= r[0] + r[1]) {
            return true;
        }
    }
    return false;
}

static MockWin *mock_win(uint64_t iova)
{
    for (int i = 0; i < 2; i++) {
        MockWin *w = &mock.win[i];

        if (w->used && iova >= w->start && iova - w->start < w->size) {
            return w;
        }
    }
    return NULL;
}

static int mock_map(struct vfio_iommu_type1_dma_map *m)
{
    MockWin *w = mock_win(m->iova);
    uint64_t ps;

    mock.maps++;
    if (mock.fail_map_at && !--mock.fail_map_at) {
        return -ENOMEM;
    }
    if (!mock.preregs) {
        return -EPERM;
    }
    if (!w) {
        return -ENXIO;
    }
    ps = 1ULL << w->shift;
    if (m->argsz != sizeof(*m) || (m->iova | m->size | m->vaddr) & (ps - 1) ||
        !m->size || m->iova + m->size - w->start > w->size ||
        !mock_registered(m->vaddr, m->size) || !(m->flags & 3)) {
        return -EINVAL;
    }
    for (uint64_t off = 0; off < m->size; off += ps) {
        g_hash_table_insert(w->tces, GSIZE_TO_POINTER((m->iova + off) >>
                                                      w->shift),
                            GSIZE_TO_POINTER((m->vaddr + off) | m->flags));
    }
    return 0;
}

static int mock_unmap(struct vfio_iommu_type1_dma_unmap *u)
{
    MockWin *w = mock_win(u->iova);

    mock.unmaps++;
    if (!w) {
        return -ENXIO;
    }
    for (uint64_t p = u->iova >> w->shift;
         p < (u->iova + u->size) >> w->shift; p++) {
        g_hash_table_remove(w->tces, GSIZE_TO_POINTER(p));
    }
    return 0;
}

static int mock_register(struct vfio_iommu_spapr_register_memory *r,
                         bool reg)
{
    for (GList *l = mock.preregs; l; l = l->next) {
        uint64_t *e = l->data;

        if (e[0] == r->vaddr && e[1] == r->size) {
            if (reg) {
                return -EBUSY;
            }
            mock.preregs = g_list_remove(mock.preregs, e);
            g_free(e);
            return 0;
        }
    }
    if (!reg) {
        return -ENOENT;
    }
    if (mock.fail_register) {
        return mock.fail_register;
    }
    mock.preregs = g_list_append(mock.preregs,
                                 g_memdup2((uint64_t[2]) { r->vaddr, r->size },
                                           16));
    return 0;
}

/* A table level holds at most 2^24 entries here. */
static int mock_create(struct vfio_iommu_spapr_tce_create *c)
{
    uint64_t entries = c->window_size >> c->page_shift;
    int slot = mock.win[0].used ? (mock.win[1].used ? -1 : 1) : 0;

    mock.creates++;
    if (!(mock.pgsizes & (1ULL << c->page_shift)) || !c->levels ||
        c->levels > mock.max_levels || !is_power_of_2(c->window_size)) {
        return -EINVAL;
    }
    if (slot < 0) {
        return -ENOSPC;
    }
    if ((uint64_t)c->levels * 24 < (unsigned)ctz64(entries) ||
        c->levels < mock.min_levels) {
        return -ENOMEM;
    }
    mock.win[slot] = (MockWin) {
        .used = true,
        .start = mock.place_at ? mock.place_at : slot ? 1ULL << 59 : 0,
        .size = c->window_size, .shift = c->page_shift, .levels = c->levels,
        .tces = g_hash_table_new(NULL, NULL),
    };
    c->start_addr = mock.win[slot].start;
    return 0;
}

static int mock_remove(struct vfio_iommu_spapr_tce_remove *r)
{
    MockWin *w = mock_win(r->start_addr);

    if (mock.default_pending && r->start_addr == 0) {
        mock.default_pending = false;
        return 0;
    }
    if (!w) {
        return -EINVAL;
    }
    g_hash_table_destroy(w->tces);
    memset(w, 0, sizeof(*w));
    return 0;
}

static int mock_info(struct vfio_iommu_spapr_tce_info *i)
{
    i->flags = mock.type == VFIO_SPAPR_TCE_v2_IOMMU ?
               VFIO_IOMMU_SPAPR_INFO_DDW : 0;
    i->dma32_window_start = 0;
    i->dma32_window_size = 0x80000000;
    i->ddw.pgsizes = mock.pgsizes;
    i->ddw.max_dynamic_windows_supported = 2;
    i->ddw.levels = mock.max_levels;
    return 0;
}

static int mock_device_info(struct vfio_device_info *i)
{
    i->flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
    i->num_regions = VFIO_PCI_NUM_REGIONS;
    i->num_irqs = 0;
    return 0;
}

static int mock_region_info(struct vfio_region_info *r)
{
    r->size = 0;
    r->offset = (uint64_t)r->index << 40;
    if (r->index == VFIO_PCI_BAR0_REGION_INDEX) {
        r->size = MOCK_BAR0_SIZE;
    } else if (r->index == VFIO_PCI_CONFIG_REGION_INDEX) {
        r->size = sizeof(mock.config);
    }
    return 0;
}

/* The device's regions as bytes; NULL outside them. */
static uint8_t *mock_region(off_t off, size_t len)
{
    if (off >= (off_t)MOCK_CONFIG_OFFSET &&
        off - MOCK_CONFIG_OFFSET + len <= sizeof(mock.config)) {
        return mock.config + (off - MOCK_CONFIG_OFFSET);
    }
    if (off >= 0 && off + len <= MOCK_BAR0_SIZE) {
        return mock.bar0 + off;
    }
    return NULL;
}

static ssize_t mock_pread(VFIOHost *h, int fd, void *buf, size_t len,
                          off_t off)
{
    uint8_t *p = mock_region(off, len);

    g_assert_cmpint(fd, ==, MOCK_DEVICE_FD);
    if (!p) {
        return -EINVAL;
    }
    memcpy(buf, p, len);
    return len;
}

static ssize_t mock_pwrite(VFIOHost *h, int fd, const void *buf, size_t len,
                           off_t off)
{
    uint8_t *p = mock_region(off, len);

    g_assert_cmpint(fd, ==, MOCK_DEVICE_FD);
    if (!p) {
        return -EINVAL;
    }
    memcpy(p, buf, len);
    return len;
}

static int mock_ioctl(VFIOHost *h, int fd, unsigned long req, void *arg)
{
    switch (req) {
    case VFIO_GET_API_VERSION:
        return VFIO_API_VERSION;
    case VFIO_CHECK_EXTENSION:
        return (uintptr_t)arg == VFIO_SPAPR_TCE_IOMMU ||
               ((uintptr_t)arg == VFIO_SPAPR_TCE_v2_IOMMU && mock.offer_v2);
    case VFIO_SET_IOMMU:
        mock.type = (uintptr_t)arg;
        mock.default_pending = true;
        return 0;
    case VFIO_GROUP_GET_STATUS:
        ((struct vfio_group_status *)arg)->flags = VFIO_GROUP_FLAGS_VIABLE;
        return 0;
    case VFIO_GROUP_SET_CONTAINER:
        mock.groups++;
        return 0;
    case VFIO_GROUP_UNSET_CONTAINER:
        mock.groups--;
        return 0;
    case VFIO_GROUP_GET_DEVICE_FD:
        return strcmp(arg, "mock") ? -ENODEV : MOCK_DEVICE_FD;
    case VFIO_DEVICE_GET_INFO:
        return mock_device_info(arg);
    case VFIO_DEVICE_GET_REGION_INFO:
        return mock_region_info(arg);
    case VFIO_DEVICE_RESET:
        mock.resets++;
        return 0;
    case VFIO_IOMMU_ENABLE:
    case VFIO_IOMMU_DISABLE:
        return 0;
    case VFIO_IOMMU_SPAPR_TCE_GET_INFO:
        return mock_info(arg);
    case VFIO_IOMMU_MAP_DMA:
        return mock_map(arg);
    case VFIO_IOMMU_UNMAP_DMA:
        return mock_unmap(arg);
    case VFIO_IOMMU_SPAPR_REGISTER_MEMORY:
    case VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY:
        return mock_register(arg, req == VFIO_IOMMU_SPAPR_REGISTER_MEMORY);
    case VFIO_IOMMU_SPAPR_TCE_CREATE:
        return mock_create(arg);
    case VFIO_IOMMU_SPAPR_TCE_REMOVE:
        return mock_remove(arg);
    }
    return -ENOTTY;
}

static int mock_open_container(VFIOHost *h)
{
    return MOCK_CONTAINER_FD;
}

static int mock_open_group(VFIOHost *h)
{
    return MOCK_GROUP_FD;
}

static void mock_close(VFIOHost *h, int fd)
{
}

static const VFIOHostOps mock_ops = {
    .name = "mock",
    .open_container = mock_open_container,
    .open_group = mock_open_group,
    .ioctl = mock_ioctl,
    .pread = mock_pread,
    .pwrite = mock_pwrite,
    .close = mock_close,
};

static void mock_reset(bool v2, uint64_t pgsizes, unsigned levels)
{
    g_assert(!mock.preregs && !mock.win[0].used && !mock.win[1].used);
    mock = (MockHost) {
        .host = { .ops = &mock_ops, .device_name = (char *)"mock" },
        .offer_v2 = v2, .pgsizes = pgsizes, .max_levels = levels,
    };
    /* An edu-like function: 1234:11e8, one 32-bit memory BAR. */
    stn_le_p(mock.config, 4, 0x11e81234);
    mock.config[PCI_CLASS_DEVICE + 1] = 0xff;
    mock.config[PCI_INTERRUPT_PIN] = 1;
}

/* Guest side */

static SpaprPhbState *phb0(void)
{
    return spapr_pci_find_phb(SPAPR_PCI_BASE_BUID);
}

static target_ulong hcall(target_ulong op, uint64_t a0, uint64_t a1,
                          uint64_t a2, uint64_t a3)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { a0, a1, a2, a3 };

    return spapr_hypercall(spapr_machine_get(), op, args);
}

static int32_t rtas(const char *name, int nargs, const uint32_t *args,
                    int nret, uint32_t *rets)
{
    SpaprRtasArgs a = { nargs, SCRATCH, nret, SCRATCH + 0x100 };

    for (int i = 0; i < nargs; i++) {
        address_space_stl_be(&address_space_memory, SCRATCH + 4 * i,
                             args[i], NULL);
    }
    g_assert(spapr_rtas_call_by_name(spapr_machine_get(), name, &a));
    for (int i = 0; i < nret; i++) {
        rets[i] = address_space_ldl_be(&address_space_memory,
                                       SCRATCH + 0x100 + 4 * i, NULL);
    }
    return rets[0];
}

static int32_t rtas_create(uint32_t page_shift, uint32_t window_shift,
                           uint32_t *liobn)
{
    uint64_t buid = SPAPR_PCI_BASE_BUID;
    uint32_t args[5] = { 0, buid >> 32, (uint32_t)buid, page_shift,
                         window_shift };
    uint32_t rets[4];
    int32_t st = rtas("ibm,create-pe-dma-window", 5, args, 4, rets);

    *liobn = rets[1];
    return st;
}

static int32_t rtas_remove(uint32_t liobn)
{
    uint32_t rets[1];

    return rtas("ibm,remove-pe-dma-window", 1, &liobn, 1, rets);
}

static int32_t rtas_reset(void)
{
    uint64_t buid = SPAPR_PCI_BASE_BUID;
    uint32_t args[3] = { 0, buid >> 32, (uint32_t)buid };
    uint32_t rets[1];

    return rtas("ibm,reset-pe-dma-window", 3, args, 1, rets);
}

/* Host entries of one guest window agree with its TCEs; returns valid. */
static uint64_t check_window(SpaprTceTable *t)
{
    MockWin *w = mock_win(t->bus_offset);
    uint64_t gps = 1ULL << t->page_shift, valid = 0;

    g_assert_nonnull(w);
    for (uint64_t i = 0; i < t->nb_table; i++) {
        uint64_t tce = spapr_tce_get_entry(t, i);

        for (uint64_t off = 0; off < gps; off += 1ULL << w->shift) {
            uint64_t iova = t->bus_offset + i * gps + off;
            uintptr_t e = GPOINTER_TO_SIZE(
                g_hash_table_lookup(w->tces,
                                    GSIZE_TO_POINTER(iova >> w->shift)));
            void *host;

            if (!(tce & 3)) {
                g_assert_cmphex(e, ==, 0);
                continue;
            }
            host = address_space_get_ram_ptr(&address_space_memory,
                                             (tce & ~(gps - 1)) + off,
                                             NULL, NULL);
            g_assert_cmphex(e, ==, (uintptr_t)host | (tce & 3));
            valid++;
        }
    }
    g_assert_cmpuint(g_hash_table_size(w->tces), ==, valid);
    return valid;
}

/* Every enabled guest window has its host twin with the same entries. */
static void check_tables(void)
{
    SpaprPhbState *phb = phb0();
    unsigned enabled = 0;

    for (int n = 0; n < SPAPR_PCI_DMA_MAX_WINDOWS; n++) {
        if (phb->tcet[n]->nb_table) {
            check_window(phb->tcet[n]);
            enabled++;
        }
    }
    g_assert_cmpuint(enabled, ==, mock.win[0].used + mock.win[1].used);
}

static uint64_t ram_gpa_to_host(uint64_t gpa)
{
    return (uintptr_t)address_space_get_ram_ptr(&address_space_memory, gpa,
                                                NULL, NULL);
}

/* Guest RAM is preregistered exactly once, whole. */
static void check_prereg(void)
{
    uint64_t total = 0;

    for (GList *l = mock.preregs; l; l = l->next) {
        uint64_t *r = l->data;

        total += r[1];
        for (GList *m = l->next; m; m = m->next) {
            uint64_t *o = m->data;

            g_assert_false(ranges_overlap(r[0], r[1], o[0], o[1]));
        }
    }
    g_assert_cmpuint(total, ==, RAM_SIZE);
    g_assert_true(mock_registered(ram_gpa_to_host(0), RAM_SIZE));
}

static VFIOGroup *attach(void)
{
    Error *err = NULL;
    VFIOGroup *g = vfio_group_get(&mock.host, &phb0()->iommu_as, &err);

    g_assert_null(err);
    g_assert_nonnull(g);
    return g;
}

static void detach(VFIOGroup *g)
{
    vfio_group_put(g);
    g_assert_null(vfio_container_find(&phb0()->iommu_as));
    g_assert_null(mock.preregs);
    g_assert_false(mock.win[0].used || mock.win[1].used);
    g_assert_cmpint(rtas_reset(), ==, 0);
}

/* Tests */

/* A macro, so that a failure names the caller's line. */
#define put_tce(liobn, ioba, tce, want) do {                            \
        g_assert_cmpint(hcall(H_PUT_TCE, liobn, ioba, tce, 0), ==, want); \
        check_tables();                                                 \
    } while (0)

static void test_default_window(void)
{
    uint32_t liobn = SPAPR_PCI_LIOBN(0, 0);
    VFIOContainer *c;
    VFIOGroup *g;
    unsigned maps;

    mock_reset(true, 0x11011000, 5);
    g = attach();
    c = vfio_container_find(&phb0()->iommu_as);
    g_assert_true(c->v2);
    g_assert_false(mock.default_pending);
    check_prereg();
    g_assert_true(mock.win[0].used);
    g_assert_cmphex(mock.win[0].size, ==, SPAPR_PCI_DMA32_SIZE);
    g_assert_cmpuint(mock.win[0].shift, ==, 12);
    check_tables();

    put_tce(liobn, 0x1000, 0x20000003, H_SUCCESS);
    put_tce(liobn, 0x2000, 0x20001001, H_SUCCESS);
    put_tce(liobn, 0x1000, 0, H_SUCCESS);

    /* 512 consecutive pages in one hypercall: one MAP_DMA. */
    for (int i = 0; i < 512; i++) {
        address_space_stl_be(&address_space_memory, TCE_LIST + 8 * i, 0,
                             NULL);
        address_space_stl_be(&address_space_memory, TCE_LIST + 8 * i + 4,
                             0x30000003 + i * 0x1000, NULL);
    }
    maps = mock.maps;
    g_assert_cmpint(hcall(H_PUT_TCE_INDIRECT, liobn, 0x100000, TCE_LIST,
                          512), ==, H_SUCCESS);
    g_assert_cmpuint(mock.maps - maps, ==, 1);
    check_tables();

    g_assert_cmpint(hcall(H_STUFF_TCE, liobn, 0x100000, 0x40000001, 16), ==,
                    H_SUCCESS);
    check_tables();
    g_assert_cmpint(hcall(H_STUFF_TCE, liobn, 0, 0, 0x1000), ==, H_SUCCESS);
    check_tables();
    detach(g);
}

static void test_ddw(void)
{
    uint32_t liobn, liobn2;
    VFIOGroup *g;

    mock_reset(true, 0x11011000, 5);
    g = attach();
    /*
     * A 64K-page window next to the default one: host window #1, in 4K
     * pages because 4K pages back guest RAM.
     */
    g_assert_cmpint(rtas_create(16, 32, &liobn), ==, 0);
    g_assert_true(mock.win[1].used);
    g_assert_cmphex(mock.win[1].start, ==, 1ULL << 59);
    g_assert_cmpuint(mock.win[1].shift, ==, 12);
    put_tce(liobn, (1ULL << 59) + 0x10000, 0x20000003, H_SUCCESS);
    check_tables();

    /*
     * The guest drops both (the PHB then restores its default window, as
     * QEMU does) and creates a 4K DDW next to it.
     */
    g_assert_cmpint(rtas_remove(SPAPR_PCI_LIOBN(0, 0)), ==, 0);
    check_tables();
    g_assert_cmpint(rtas_remove(liobn), ==, 0);
    check_tables();
    g_assert_cmpint(rtas_create(12, 30, &liobn2), ==, 0);
    put_tce(liobn2, (1ULL << 59) + 0x5000, 0x7000003, H_SUCCESS);
    g_assert_cmpint(hcall(H_STUFF_TCE, liobn2, 1ULL << 59, 0x10000003, 64),
                    ==, H_SUCCESS);
    check_tables();
    g_assert_cmpint(rtas_reset(), ==, 0);
    check_tables();
    detach(g);
}

static void test_map_refused(void)
{
    uint32_t liobn = SPAPR_PCI_LIOBN(0, 0);
    VFIOGroup *g;

    mock_reset(true, 0x11011000, 5);
    g = attach();
    put_tce(liobn, 0x1000, 0x20000003, H_SUCCESS);
    mock.fail_map_at = 1;
    put_tce(liobn, 0x3000, 0x20003003, H_HARDWARE);
    g_assert_cmphex(spapr_tce_get_entry(phb0()->tcet[0], 3), ==, 0);
    g_assert_cmphex(spapr_tce_get_entry(phb0()->tcet[0], 1), ==, 0x20000003);
    /* Outside guest RAM (4 GiB): refused, nothing left behind. */
    put_tce(liobn, 0x4000, 0x200000003ULL, H_HARDWARE);
    g_assert_cmpint(hcall(H_STUFF_TCE, liobn, 0x8000, 0x3ffff0003ULL, 4), ==,
                    H_HARDWARE);
    check_tables();
    detach(g);
}

static void test_create_refused(void)
{
    uint32_t liobn;
    VFIOGroup *g;

    /* One table level cannot hold 2^28 entries: the guest gets -1. */
    mock_reset(true, 0x11011000, 1);
    g = attach();
    g_assert_cmpint(rtas_create(12, 40, &liobn), ==, -1);
    g_assert_cmpuint(phb0()->tcet[1]->nb_table, ==, 0);
    g_assert_false(mock.win[1].used);
    check_tables();
    /* 64K pages are not offered: backed by 4K host pages. */
    mock.pgsizes = 0x1000;
    g_assert_cmpint(rtas_create(16, 24, &liobn), ==, 0);
    g_assert_cmpuint(mock.win[1].shift, ==, 12);
    put_tce(liobn, (1ULL << 59) + 0x30000, 0x20000001, H_SUCCESS);
    g_assert_cmpint(rtas_remove(liobn), ==, 0);
    /* No 4K host pages for 4K-backed RAM: a 64K window cannot work. */
    mock.pgsizes = 0x1010000;
    g_assert_cmpint(rtas_create(16, 24, &liobn), ==, -1);
    check_tables();
    /* The host puts the window elsewhere: removed again, -1. */
    mock.pgsizes = 0x11011000;
    mock.place_at = 1ULL << 40;
    g_assert_cmpint(rtas_create(16, 24, &liobn), ==, -1);
    g_assert_false(mock.win[1].used);
    g_assert_cmpuint(phb0()->tcet[1]->nb_table, ==, 0);
    mock.place_at = 0;
    check_tables();
    detach(g);
}

static void test_levels_retry(void)
{
    VFIOContainer *c;
    VFIOGroup *g;

    mock_reset(true, 0x11011000, 5);
    mock.min_levels = 3;
    g = attach();
    c = vfio_container_find(&phb0()->iommu_as);
    g_assert_cmpuint(mock.win[0].levels, ==, 3);
    g_assert_cmpuint(c->hostwin[0].levels, ==, 3);
    detach(g);
}

static void test_hotplug_replay(void)
{
    uint32_t liobn = SPAPR_PCI_LIOBN(0, 0);
    SpaprTceTable *t = phb0()->tcet[0];
    VFIOGroup *g;

    mock_reset(true, 0x11011000, 5);
    /* Mappings written before any container exists. */
    for (int i = 0; i < 8; i++) {
        g_assert_cmpint(hcall(H_PUT_TCE, liobn, 0x10000 + i * 0x1000,
                              0x20000003 + i * 0x1000, 0), ==, H_SUCCESS);
    }
    g_assert_cmpint(hcall(H_PUT_TCE, liobn, 0x40000, 0x50000001, 0), ==,
                    H_SUCCESS);
    for (int round = 0; round < 2; round++) {
        g = attach();
        g_assert_cmpuint(mock.maps, ==, 2);     /* two runs */
        check_tables();
        g_assert_cmpuint(g_list_length(t->iommu.iommu_notifiers), ==, 1);
        vfio_group_put(g);
        g_assert_null(t->iommu.iommu_notifiers);
        g_assert_null(mock.preregs);
        mock_reset(true, 0x11011000, 5);
    }
    g_assert_cmpint(rtas_reset(), ==, 0);
}

static void test_v1(void)
{
    uint32_t liobn;
    VFIOGroup *g;
    VFIOSpaprInfo info;

    mock_reset(false, 0x1000, 1);
    g = attach();
    g_assert_true(vfio_spapr_get_info(&phb0()->iommu_as, &info));
    g_assert_cmpstr(info.iommu, ==, "spapr-tce-v1");
    g_assert_null(mock.preregs);
    g_assert_cmpint(rtas_create(16, 32, &liobn), ==, -1);
    g_assert_cmpuint(phb0()->tcet[1]->nb_table, ==, 0);
    vfio_group_put(g);
    g_assert_cmpint(rtas_reset(), ==, 0);
}

static void test_realize_refused(void)
{
    Error *err = NULL;

    /* No 4K IOMMU pages: the default window cannot be mirrored. */
    mock_reset(true, 0x1010000, 5);
    g_assert_null(vfio_group_get(&mock.host, &phb0()->iommu_as, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "page size"));
    error_free(err);
    err = NULL;
    g_assert_null(vfio_container_find(&phb0()->iommu_as));
    g_assert_null(mock.preregs);
    mock_reset(true, 0x11011000, 5);
    mock.fail_register = -ENOMEM;
    g_assert_null(vfio_group_get(&mock.host, &phb0()->iommu_as, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "preregister"));
    error_free(err);
    g_assert_false(mock.win[0].used);
    mock_reset(true, 0x11011000, 5);
}

static void test_levels(void)
{
    /* QEMU 4.0+: ceil(log2(entries * 8) / (log2(host page) + 8)) */
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 30, 12, 4096), ==, 2);
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 30, 12, 65536), ==, 1);
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 40, 16, 65536), ==, 2);
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 12, 12, 4096), ==, 1);
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 59, 12, 4096), ==, 3);
    g_assert_cmpuint(vfio_spapr_max_levels(12, 4096, 0), ==, 4);
    g_assert_cmpuint(vfio_spapr_max_levels(12, 65536, 5), ==, 3);
    g_assert_cmpuint(vfio_spapr_max_levels(16, 4096, 1), ==, 1);
}

static void test_pagesize(void)
{
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 16, 0x11011000), ==,
                    1 << 16);
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 21, 0x11011000), ==,
                    1 << 16);
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 21, 0x40211000), ==,
                    1 << 21);
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 16, 0x1000), ==, 0x1000);
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 16, 0x1000000), ==, 0);
    g_assert_cmphex(vfio_spapr_pick_pagesize(0, 0x1000), ==, 0);
}

static PCIDevice *plug(const char *id)
{
    g_autofree char *str = g_strdup_printf("driver=vfio-pci,host-emu=mock0,"
                                           "id=%s", id);
    GPtrArray *opts = keyval_parse(str, NULL, NULL);
    Error *err = NULL;
    DeviceState *dev = qdev_device_add(opts, true, &err);

    g_ptr_array_unref(opts);
    g_assert_null(err);
    return PCI_DEVICE(dev);
}

static void unplug(const char *id)
{
    Error *err = NULL;

    g_assert_true(qdev_device_del(id, &err));
    g_assert_null(err);
}

static void test_pci_forwarding(void)
{
    PCIDevice *pdev;
    uint8_t buf[4];

    mock_reset(true, 0x11011000, 5);
    pdev = plug("vf0");
    g_assert_cmphex(pci_host_config_read(pdev, PCI_VENDOR_ID, 4), ==,
                    0x11e81234);
    g_assert_cmphex(pci_host_config_read(pdev, PCI_BASE_ADDRESS_0, 4), ==,
                    0);
    /* Sizing, then placement: emulated, the device's BAR is untouched. */
    pci_host_config_write(pdev, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
    g_assert_cmphex(pci_host_config_read(pdev, PCI_BASE_ADDRESS_0, 4), ==,
                    (uint32_t)~(MOCK_BAR0_SIZE - 1));
    pci_host_config_write(pdev, PCI_BASE_ADDRESS_0, 0x80000000, 4);
    g_assert_cmphex(ldn_le_p(mock.config + PCI_BASE_ADDRESS_0, 4), ==, 0);
    /* The command register reaches the device and maps the BAR. */
    pci_host_config_write(pdev, PCI_COMMAND, PCI_COMMAND_MEMORY |
                          PCI_COMMAND_MASTER, 2);
    g_assert_cmphex(ldn_le_p(mock.config + PCI_COMMAND, 2), ==, 6);
    g_assert_cmphex(pci_get_bar_addr(pdev, 0), ==, 0x80000000);
    stl_be_p(buf, 0x12345678);
    address_space_write(&address_space_memory, PHB0_MMIO32 + 8,
                        MEMTXATTRS_UNSPECIFIED, buf, 4);
    g_assert_cmphex(ldn_le_p(mock.bar0 + 8, 4), ==, 0x12345678);
    stn_le_p(mock.bar0 + 0x20, 4, 0xcafef00d);
    g_assert_cmphex(address_space_ldl_be(&address_space_memory,
                                         PHB0_MMIO32 + 0x20, NULL), ==,
                    0xcafef00d);
    unplug("vf0");
    g_assert_null(vfio_container_find(&phb0()->iommu_as));
    g_assert_cmpuint(mock.groups, ==, 0);
    g_assert_null(mock.preregs);
    g_assert_cmpint(rtas_reset(), ==, 0);
}

static void test_pci_hotplug(void)
{
    SpaprTceTable *t = phb0()->tcet[0];
    VFIOContainer *c;

    mock_reset(true, 0x11011000, 5);
    g_assert_cmpint(hcall(H_PUT_TCE, SPAPR_PCI_LIOBN(0, 0), 0x3000,
                          0x9000003, 0), ==, H_SUCCESS);
    for (int round = 0; round < 2; round++) {
        plug("vf0");
        plug("vf1");
        c = vfio_container_find(&phb0()->iommu_as);
        g_assert_cmpuint(g_list_length(c->groups), ==, 2);
        g_assert_cmpuint(mock.groups, ==, 2);
        g_assert_cmpuint(g_list_length(t->iommu.iommu_notifiers), ==, 1);
        g_assert_cmpuint(mock.maps, ==, 1);    /* replayed once */
        check_prereg();
        check_tables();
        unplug("vf0");
        g_assert_true(vfio_container_find(&phb0()->iommu_as) == c);
        check_tables();
        unplug("vf1");
        g_assert_null(vfio_container_find(&phb0()->iommu_as));
        g_assert_null(t->iommu.iommu_notifiers);
        mock_reset(true, 0x11011000, 5);
    }
    g_assert_cmpint(rtas_reset(), ==, 0);
}

static void test_pci_realize_errors(void)
{
    const char *bad[] = {
        "driver=vfio-pci",
        "driver=vfio-pci,host-emu=nosuch",
        "driver=vfio-pci,host-emu=mock0,host=00:01.0",
        "driver=vfio-pci,host=0000:00:01.0",
    };

    mock_reset(true, 0x1010000, 5);     /* no 4K pages: default fails */
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        GPtrArray *opts = keyval_parse(bad[i], NULL, NULL);
        Error *err = NULL;

        g_assert_null(qdev_device_add(opts, true, &err));
        g_assert_nonnull(err);
        error_free(err);
        g_ptr_array_unref(opts);
    }
    g_assert_null(vfio_container_find(&phb0()->iommu_as));
    mock_reset(true, 0x11011000, 5);
}

int main(int argc, char **argv)
{
    char *args[] = { (char *)"test", (char *)"-M", (char *)"pseries",
                     (char *)"-m", (char *)"4G", NULL };

    g_test_init(&argc, &argv, NULL);
    qemu_init(ARRAY_SIZE(args) - 1, args);
    vfio_host_register("mock0", &mock.host);
    g_test_add_func("/vfio/levels", test_levels);
    g_test_add_func("/vfio/pagesize", test_pagesize);
    g_test_add_func("/vfio/container/default-window", test_default_window);
    g_test_add_func("/vfio/container/ddw", test_ddw);
    g_test_add_func("/vfio/container/map-refused", test_map_refused);
    g_test_add_func("/vfio/container/create-refused", test_create_refused);
    g_test_add_func("/vfio/container/levels-retry", test_levels_retry);
    g_test_add_func("/vfio/container/hotplug-replay", test_hotplug_replay);
    g_test_add_func("/vfio/container/v1", test_v1);
    g_test_add_func("/vfio/container/realize-refused", test_realize_refused);
    g_test_add_func("/vfio/pci/forwarding", test_pci_forwarding);
    g_test_add_func("/vfio/pci/hotplug", test_pci_hotplug);
    g_test_add_func("/vfio/pci/realize-errors", test_pci_realize_errors);
    return g_test_run();
}
