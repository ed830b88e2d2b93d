/*
 * The scripted SPAPR TCE v2 host of the in-process VFIO tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "vfio-mock.h"

VMockHost vmock;

bool vmock_registered(uint64_t vaddr, uint64_t size)
{
    for (GList *l = vmock.preregs; l; l = l->next) {
        uint64_t *r = l->data;

        if (vaddr >= r[0] && vaddr + size <= r[0] + r[1]) {
            return true;
        }
    }
    return false;
}

VMockWin *vmock_win(uint64_t iova)
{
    for (int i = 0; i < 2; i++) {
        VMockWin *w = &vmock.win[i];

        if (w->used && iova >= w->start && iova - w->start < w->size) {
            return w;
        }
    }
    return NULL;
}

static int mock_map(struct vfio_iommu_type1_dma_map *m)
{
    VMockWin *w = vmock_win(m->iova);
    uint64_t ps;

    vmock.maps++;
    if (vmock.fail_map_at && !--vmock.fail_map_at) {
        return -ENOMEM;
    }
    if (!vmock.preregs) {
        return -EPERM;
    }
    if (!w) {
        return -ENXIO;
    }
    ps = 1ULL << w->shift;
    if (m->argsz != sizeof(*m) || (m->iova | m->size | m->vaddr) & (ps - 1) ||
        !m->size || m->iova + m->size - w->start > w->size ||
        !vmock_registered(m->vaddr, m->size) || !(m->flags & 3)) {
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
    VMockWin *w = vmock_win(u->iova);

    vmock.unmaps++;
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
    for (GList *l = vmock.preregs; l; l = l->next) {
        uint64_t *e = l->data;

        if (e[0] == r->vaddr && e[1] == r->size) {
            if (reg) {
                return -EBUSY;
            }
            vmock.preregs = g_list_remove(vmock.preregs, e);
            g_free(e);
            return 0;
        }
    }
    if (!reg) {
        return -ENOENT;
    }
    if (vmock.fail_register) {
        return vmock.fail_register;
    }
    vmock.preregs = g_list_append(vmock.preregs,
                                 g_memdup2((uint64_t[2]) { r->vaddr, r->size },
                                           16));
    return 0;
}

/* A table level holds at most 2^24 entries here. */
static int mock_create(struct vfio_iommu_spapr_tce_create *c)
{
    uint64_t entries = c->window_size >> c->page_shift;
    int slot = vmock.win[0].used ? (vmock.win[1].used ? -1 : 1) : 0;

    vmock.creates++;
    if (!(vmock.pgsizes & (1ULL << c->page_shift)) || !c->levels ||
        c->levels > vmock.max_levels || !is_power_of_2(c->window_size)) {
        return -EINVAL;
    }
    if (slot < 0) {
        return -ENOSPC;
    }
    if ((uint64_t)c->levels * 24 < (unsigned)ctz64(entries) ||
        c->levels < vmock.min_levels) {
        return -ENOMEM;
    }
    vmock.win[slot] = (VMockWin) {
        .used = true,
        .start = vmock.place_at ? vmock.place_at : slot ? 1ULL << 59 : 0,
        .size = c->window_size, .shift = c->page_shift, .levels = c->levels,
        .tces = g_hash_table_new(NULL, NULL),
    };
    c->start_addr = vmock.win[slot].start;
    return 0;
}

static int mock_remove(struct vfio_iommu_spapr_tce_remove *r)
{
    VMockWin *w = vmock_win(r->start_addr);

    if (vmock.default_pending && r->start_addr == 0) {
        vmock.default_pending = false;
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
    i->flags = vmock.type == VFIO_SPAPR_TCE_v2_IOMMU ?
               VFIO_IOMMU_SPAPR_INFO_DDW : 0;
    i->dma32_window_start = 0;
    i->dma32_window_size = 0x80000000;
    i->ddw.pgsizes = vmock.pgsizes;
    i->ddw.max_dynamic_windows_supported = 2;
    i->ddw.levels = vmock.max_levels;
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
        r->size = sizeof(vmock.config);
    }
    return 0;
}

/* The device's regions as bytes; NULL outside them. */
static uint8_t *mock_region(off_t off, size_t len)
{
    if (off >= (off_t)MOCK_CONFIG_OFFSET &&
        off - MOCK_CONFIG_OFFSET + len <= sizeof(vmock.config)) {
        return vmock.config + (off - MOCK_CONFIG_OFFSET);
    }
    if (off >= 0 && off + len <= MOCK_BAR0_SIZE) {
        return vmock.bar0 + off;
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
               ((uintptr_t)arg == VFIO_SPAPR_TCE_v2_IOMMU && vmock.offer_v2);
    case VFIO_SET_IOMMU:
        vmock.type = (uintptr_t)arg;
        vmock.default_pending = true;
        return 0;
    case VFIO_GROUP_GET_STATUS:
        ((struct vfio_group_status *)arg)->flags = VFIO_GROUP_FLAGS_VIABLE;
        return 0;
    case VFIO_GROUP_SET_CONTAINER:
        vmock.groups++;
        return 0;
    case VFIO_GROUP_UNSET_CONTAINER:
        vmock.groups--;
        return 0;
    case VFIO_GROUP_GET_DEVICE_FD:
        return strcmp(arg, "vmock") ? -ENODEV : MOCK_DEVICE_FD;
    case VFIO_DEVICE_GET_INFO:
        return mock_device_info(arg);
    case VFIO_DEVICE_GET_REGION_INFO:
        return mock_region_info(arg);
    case VFIO_DEVICE_RESET:
        vmock.resets++;
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

/* A POWER host kernel with 64K pages, the usual ppc64le configuration. */
static uint64_t mock_host_page_size(VFIOHost *h)
{
    return 64 * 1024;
}

static const VFIOHostOps mock_ops = {
    .name = "vmock",
    .host_page_size = mock_host_page_size,
    .open_container = mock_open_container,
    .open_group = mock_open_group,
    .ioctl = mock_ioctl,
    .pread = mock_pread,
    .pwrite = mock_pwrite,
    .close = mock_close,
};

void vmock_reset(bool v2, uint64_t pgsizes, unsigned levels)
{
    g_assert(!vmock.preregs && !vmock.win[0].used && !vmock.win[1].used);
    vmock = (VMockHost) {
        .host = { .ops = &mock_ops, .device_name = (char *)"vmock" },
        .offer_v2 = v2, .pgsizes = pgsizes, .max_levels = levels,
    };
    /* An edu-like function: 1234:11e8, one 32-bit memory BAR. */
    stn_le_p(vmock.config, 4, 0x11e81234);
    vmock.config[PCI_CLASS_DEVICE + 1] = 0xff;
    vmock.config[PCI_INTERRUPT_PIN] = 1;
}

/* Guest side */

SpaprPhbState *vmock_phb0(void)
{
    return spapr_pci_find_phb(SPAPR_PCI_BASE_BUID);
}

target_ulong vmock_hcall(target_ulong op, uint64_t a0, uint64_t a1,
                         uint64_t a2, uint64_t a3)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { a0, a1, a2, a3 };

    return spapr_hypercall(spapr_machine_get(), op, args);
}

int32_t vmock_rtas(const char *name, int nargs, const uint32_t *args,
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

int32_t vmock_rtas_create(uint32_t page_shift, uint32_t window_shift,
                          uint32_t *liobn)
{
    uint64_t buid = SPAPR_PCI_BASE_BUID;
    uint32_t args[5] = { 0, buid >> 32, (uint32_t)buid, page_shift,
                         window_shift };
    uint32_t rets[4];
    int32_t st = vmock_rtas("ibm,create-pe-dma-window", 5, args, 4, rets);

    *liobn = rets[1];
    return st;
}

int32_t vmock_rtas_remove(uint32_t liobn)
{
    uint32_t rets[1];

    return vmock_rtas("ibm,remove-pe-dma-window", 1, &liobn, 1, rets);
}

int32_t vmock_rtas_reset(void)
{
    uint64_t buid = SPAPR_PCI_BASE_BUID;
    uint32_t args[3] = { 0, buid >> 32, (uint32_t)buid };
    uint32_t rets[1];

    return vmock_rtas("ibm,reset-pe-dma-window", 3, args, 1, rets);
}

/* Host entries of one guest window agree with its TCEs; returns valid. */
static uint64_t check_window(SpaprTceTable *t)
{
    VMockWin *w = vmock_win(t->bus_offset);
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
void vmock_check_tables(void)
{
    SpaprPhbState *phb = vmock_phb0();
    unsigned enabled = 0;

    for (int n = 0; n < SPAPR_PCI_DMA_MAX_WINDOWS; n++) {
        if (phb->tcet[n]->nb_table) {
            check_window(phb->tcet[n]);
            enabled++;
        }
    }
    g_assert_cmpuint(enabled, ==, vmock.win[0].used + vmock.win[1].used);
}

static uint64_t ram_gpa_to_host(uint64_t gpa)
{
    return (uintptr_t)address_space_get_ram_ptr(&address_space_memory, gpa,
                                                NULL, NULL);
}

/* Guest RAM is preregistered exactly once, whole. */
void vmock_check_prereg(void)
{
    uint64_t total = 0;

    for (GList *l = vmock.preregs; l; l = l->next) {
        uint64_t *r = l->data;

        total += r[1];
        for (GList *m = l->next; m; m = m->next) {
            uint64_t *o = m->data;

            g_assert_false(ranges_overlap(r[0], r[1], o[0], o[1]));
        }
    }
    g_assert_cmpuint(total, ==, RAM_SIZE);
    g_assert_true(vmock_registered(ram_gpa_to_host(0), RAM_SIZE));
}

VFIOGroup *vmock_attach(void)
{
    Error *err = NULL;
    VFIOGroup *g = vfio_group_get(&vmock.host, &vmock_phb0()->iommu_as, &err);

    g_assert_null(err);
    g_assert_nonnull(g);
    return g;
}

void vmock_detach(VFIOGroup *g)
{
    vfio_group_put(g);
    g_assert_null(vfio_container_find(&vmock_phb0()->iommu_as));
    g_assert_null(vmock.preregs);
    g_assert_false(vmock.win[0].used || vmock.win[1].used);
    g_assert_cmpint(vmock_rtas_reset(), ==, 0);
}

/* Tests */
