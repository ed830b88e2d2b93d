/*
 * VFIO on sPAPR: the SPAPR TCE v2 IOMMU (memory preregistration, host
 * windows that follow guest windows) and the v1 fallback.
 *
 * DOC: SPAPR TCE v2 container protocol
 *
 * v2 (VFIO_SPAPR_TCE_v2_IOMMU) is preferred; a host without it gets v1.
 *
 * v2: a listener on system memory preregisters every RAM section with
 * VFIO_IOMMU_SPAPR_REGISTER_MEMORY (host-page aligned, once per range)
 * before anything is mapped (the host refuses MAP_DMA until then), and
 * unregisters exactly the same range when the section goes.  GET_INFO
 * tells the host's IOMMU page sizes, window count and table levels; the
 * host's default window is removed so that host windows exist only for
 * guest windows.  Each guest window gets VFIO_IOMMU_SPAPR_TCE_CREATE with
 * the same size and the largest host page size not above the guest's
 * nor above the page size backing guest RAM (refused if none); the table
 * levels are computed as QEMU 4.0+ does and retried upward on failure,
 * never beyond what the host reports.  The host chooses the bus address
 * by slot (its first free one): a lower free slot is filled with a small
 * placeholder window while the guest's is created, so a DDW at 1 << 59
 * whose default window is gone can still be re-created (migration,
 * hot-plug); a window the host still places elsewhere is removed again
 * and the guest window is refused (its RTAS call then fails).
 *
 * v1: VFIO_IOMMU_ENABLE, one fixed host window (the 32-bit one, 4K
 * pages); guest windows must fall inside it, so DDW is refused cleanly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "qemu/cutils.h"
#include "hw/boards.h"
#include "hw/vfio/vfio-common.h"
#include "trace.h"

#define VFIO_SPAPR_PGSIZE_4K    0x1000ULL

uint32_t vfio_spapr_levels(uint64_t window_size, uint32_t page_shift,
                           uint64_t host_page_size)
{
    uint64_t entries = window_size >> page_shift;
    unsigned bits_total, bits_per_level;

    if (!entries || !is_power_of_2(host_page_size)) {
        return 1;
    }
    /* log2 of the table's bytes; the host allocates in whole pages. */
    bits_total = 64 - clz64(entries * sizeof(uint64_t) - 1);
    bits_per_level = ctz64(host_page_size) + 8;
    return MAX(1u, (bits_total + bits_per_level - 1) / bits_per_level);
}

uint32_t vfio_spapr_max_levels(uint32_t page_shift, uint64_t host_page_size,
                               uint32_t host_levels)
{
    unsigned host_shift = MAX(1, ctz64(host_page_size));
    uint32_t max = (64 - page_shift) / host_shift;

    max = MIN(max, VFIO_SPAPR_MAX_LEVELS);
    return host_levels ? MIN(max, host_levels) : max;
}

uint64_t vfio_spapr_pick_pagesize(uint64_t iommu_pgsize, uint64_t host_pgsizes)
{
    uint64_t mask;

    if (!iommu_pgsize) {
        return 0;
    }
    mask = host_pgsizes & (iommu_pgsize | (iommu_pgsize - 1));
    return mask ? 1ULL << (63 - clz64(mask)) : 0;
}

/* Preregistration of guest RAM */

static bool vfio_prereg_range(VFIOContainer *c, MemoryRegionSection *s,
                              uint64_t *vaddr, uint64_t *size)
{
    uint64_t hps = vfio_host_page_size(c->host);
    uintptr_t host, start, end;

    if (!memory_region_is_ram(s->mr) || s->mr->ram_device) {
        return false;
    }
    host = (uintptr_t)memory_region_get_ram_ptr(s->mr) +
           s->offset_within_region;
    start = QEMU_ALIGN_UP(host, hps);
    end = QEMU_ALIGN_DOWN(host + s->size, hps);
    if (end <= start) {
        return false;
    }
    *vaddr = start;
    *size = end - start;
    return true;
}

static VFIOPrereg *vfio_prereg_find(VFIOContainer *c, uint64_t vaddr,
                                    uint64_t size)
{
    for (GList *l = c->preregs; l; l = l->next) {
        VFIOPrereg *p = l->data;

        if (p->vaddr == vaddr && p->size == size) {
            return p;
        }
    }
    return NULL;
}

static int vfio_prereg_ioctl(VFIOContainer *c, unsigned long req,
                             uint64_t vaddr, uint64_t size)
{
    struct vfio_iommu_spapr_register_memory reg = {
        .argsz = sizeof(reg),
        .vaddr = vaddr,
        .size = size,
    };
    int ret = c->host->ops->ioctl(c->host, c->fd, req, &reg);

    trace_vfio_spapr_prereg(req == VFIO_IOMMU_SPAPR_REGISTER_MEMORY,
                            vaddr, size, ret);
    return ret;
}

static bool vfio_prereg_add(MemoryListener *l, MemoryRegionSection *s,
                            Error **errp)
{
    VFIOContainer *c = container_of(l, VFIOContainer, prereg_listener);
    uint64_t vaddr, size;
    VFIOPrereg *p;
    int ret;

    if (memory_region_is_iommu(s->mr)) {
        error_setg(errp, "vfio: an IOMMU in system memory is not supported");
        return false;
    }
    if (!vfio_prereg_range(c, s, &vaddr, &size)) {
        return true;
    }
    p = vfio_prereg_find(c, vaddr, size);
    if (p) {
        p->refs++;
        return true;
    }
    ret = vfio_prereg_ioctl(c, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, vaddr, size);
    if (ret) {
        if (ret > 0) {
            /* A partial pin reported as success count: drop it all. */
            vfio_prereg_ioctl(c, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY,
                              vaddr, size);
        }
        error_setg_errno(errp, ret < 0 ? -ret : EIO, "vfio: the host "
                         "refused to preregister 0x%" PRIx64 " bytes of "
                         "guest RAM", size);
        return false;
    }
    p = g_new0(VFIOPrereg, 1);
    *p = (VFIOPrereg) { .vaddr = vaddr, .size = size, .refs = 1 };
    c->preregs = g_list_append(c->preregs, p);
    c->prereg_bytes += size;
    return true;
}

static void vfio_prereg_del(MemoryListener *l, MemoryRegionSection *s)
{
    VFIOContainer *c = container_of(l, VFIOContainer, prereg_listener);
    uint64_t vaddr, size;
    VFIOPrereg *p;

    if (!vfio_prereg_range(c, s, &vaddr, &size)) {
        return;
    }
    p = vfio_prereg_find(c, vaddr, size);
    if (!p || --p->refs) {
        return;
    }
    if (vfio_prereg_ioctl(c, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY,
                          vaddr, size)) {
        warn_report("vfio: the host did not unregister 0x%" PRIx64
                    "+0x%" PRIx64, vaddr, size);
    }
    c->prereg_bytes -= size;
    c->preregs = g_list_remove(c->preregs, p);
    g_free(p);
}

static int vfio_spapr_tce_remove(VFIOContainer *c, uint64_t start)
{
    struct vfio_iommu_spapr_tce_remove remove = {
        .argsz = sizeof(remove),
        .start_addr = start,
    };
    int ret = vfio_container_ioctl(c, VFIO_IOMMU_SPAPR_TCE_REMOVE, &remove);

    trace_vfio_spapr_remove_window(start, ret);
    return ret;
}

/* Container setup */

static bool vfio_spapr_set_iommu(VFIOContainer *c, Error **errp)
{
    VFIOHost *h = c->host;
    int32_t type = VFIO_SPAPR_TCE_v2_IOMMU;

    if (h->ops->ioctl(h, c->fd, VFIO_CHECK_EXTENSION,
                      (void *)(uintptr_t)type) > 0 &&
        !vfio_container_ioctl(c, VFIO_SET_IOMMU, (void *)(uintptr_t)type)) {
        c->v2 = true;
        return true;
    }
    type = VFIO_SPAPR_TCE_IOMMU;
    if (h->ops->ioctl(h, c->fd, VFIO_CHECK_EXTENSION,
                      (void *)(uintptr_t)type) > 0 &&
        !vfio_container_ioctl(c, VFIO_SET_IOMMU, (void *)(uintptr_t)type)) {
        c->v2 = false;
        return true;
    }
    error_setg(errp, "vfio: the host offers no SPAPR TCE IOMMU");
    return false;
}

/* Reads the host's IOMMU geometry; *dma32_start: its default window. */
static bool vfio_spapr_get_host_info(VFIOContainer *c, uint64_t *dma32_start,
                                     Error **errp)
{
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    int ret = vfio_container_ioctl(c, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info);

    if (ret) {
        error_setg_errno(errp, -ret, "vfio: VFIO_IOMMU_SPAPR_TCE_GET_INFO");
        return false;
    }
    c->pgsizes = VFIO_SPAPR_PGSIZE_4K;
    c->max_windows = 1;
    c->max_levels = 0;
    if (c->v2 && (info.flags & VFIO_IOMMU_SPAPR_INFO_DDW)) {
        c->pgsizes = info.ddw.pgsizes;
        c->max_windows = MIN(info.ddw.max_dynamic_windows_supported,
                             VFIO_SPAPR_MAX_WINDOWS);
        c->max_levels = info.ddw.levels;
    }
    c->nr_hostwin = 0;
    if (!c->v2) {
        /* v1: the host's fixed 32-bit window is the only one. */
        c->hostwin[0] = (VFIOHostDMAWindow) {
            .min_iova = info.dma32_window_start,
            .max_iova = (uint64_t)info.dma32_window_start +
                        info.dma32_window_size - 1,
            .page_shift = 12,
            .levels = 1,
        };
        c->nr_hostwin = info.dma32_window_size ? 1 : 0;
    }
    *dma32_start = info.dma32_window_start;
    return true;
}

/*
 * A v2 host starts with its own 32-bit window; the guest's windows replace
 * it (created as the guest creates them), so it goes before the first.
 */
static bool vfio_spapr_remove_host_default_window(VFIOContainer *c,
                                                  uint64_t dma32_start,
                                                  Error **errp)
{
    int ret = vfio_spapr_tce_remove(c, dma32_start);

    if (ret) {
        error_setg_errno(errp, -ret, "vfio: cannot remove the host's default "
                         "DMA window");
        return false;
    }
    return true;
}

bool vfio_spapr_container_init(VFIOContainer *c, Error **errp)
{
    uint64_t dma32_start;

    if (!vfio_spapr_set_iommu(c, errp)) {
        return false;
    }
    if (!c->v2) {
        int ret = vfio_container_ioctl(c, VFIO_IOMMU_ENABLE, NULL);

        if (ret) {
            error_setg_errno(errp, -ret, "vfio: VFIO_IOMMU_ENABLE");
            return false;
        }
        if (!vfio_spapr_get_host_info(c, &dma32_start, errp)) {
            vfio_container_ioctl(c, VFIO_IOMMU_DISABLE, NULL);
            return false;
        }
        return true;
    }
    /* Registration first: the host maps nothing before it. */
    c->prereg_listener = (MemoryListener) {
        .name = "vfio-prereg",
        .region_add = vfio_prereg_add,
        .region_del = vfio_prereg_del,
    };
    if (!memory_listener_register(&c->prereg_listener, &address_space_memory,
                                  errp)) {
        return false;
    }
    c->prereg_active = true;
    if (!vfio_spapr_get_host_info(c, &dma32_start, errp) ||
        !vfio_spapr_remove_host_default_window(c, dma32_start, errp)) {
        vfio_spapr_container_fini(c);
        return false;
    }
    return true;
}

void vfio_spapr_container_fini(VFIOContainer *c)
{
    if (c->prereg_active) {
        memory_listener_unregister(&c->prereg_listener);
        c->prereg_active = false;
    } else if (!c->v2) {
        vfio_container_ioctl(c, VFIO_IOMMU_DISABLE, NULL);
    }
    c->nr_hostwin = 0;
}

/* Windows */

VFIOHostDMAWindow *vfio_spapr_find_window(VFIOContainer *c, hwaddr iova)
{
    for (unsigned i = 0; i < c->nr_hostwin; i++) {
        if (c->hostwin[i].min_iova <= iova && iova <= c->hostwin[i].max_iova) {
            return &c->hostwin[i];
        }
    }
    return NULL;
}

/*
 * The host page size for a guest window, or 0 with errp set.  A host maps
 * no IOMMU page larger than the pages backing guest RAM (the host
 * kernel's base pages, or hugepages with -mem-path), so a larger guest
 * page is backed by several smaller host TCEs, as QEMU does since 3.1.
 * Refusing it instead would make 64K windows, which Linux guests use,
 * fail on every 4K-page host kernel.  With no host page size small
 * enough, the window is refused.
 */
static uint64_t vfio_spapr_window_pagesize(VFIOContainer *c,
                                           MemoryRegionSection *s,
                                           Error **errp)
{
    uint64_t iommu_ps = memory_region_iommu_get_min_page_size(s->mr);
    MachineState *ms = current_machine_get();
    uint64_t hps = vfio_host_page_size(c->host);
    /* The host kernel backs ordinary memory with pages of its base size. */
    uint64_t ram_ps = MAX(ms ? machine_ram_pagesize(ms) : hps, hps);
    uint64_t ps = vfio_spapr_pick_pagesize(MIN(iommu_ps, ram_ps), c->pgsizes);

    if (!ps) {
        error_setg(errp, "vfio: the host supports no IOMMU page size up to "
                   "0x%" PRIx64 " (guest IOMMU page size 0x%" PRIx64 ", "
                   "guest RAM backed by 0x%" PRIx64 " pages, host page "
                   "sizes 0x%" PRIx64 ")", MIN(iommu_ps, ram_ps), iommu_ps,
                   ram_ps, c->pgsizes);
    }
    return ps;
}

/* v1: a guest window must fit the host's fixed window. */
static bool vfio_spapr_v1_check(VFIOContainer *c, hwaddr iova, hwaddr last,
                                uint64_t ps, Error **errp)
{
    VFIOHostDMAWindow *w = vfio_spapr_find_window(c, iova);

    if (!w || last > w->max_iova || ps < (1ULL << w->page_shift)) {
        error_setg(errp, "vfio: the host (SPAPR TCE v1, no DDW) has no DMA "
                   "window for 0x%" PRIx64 "..0x%" PRIx64, iova, last);
        return false;
    }
    return true;
}

static int vfio_spapr_tce_create(VFIOContainer *c, uint32_t page_shift,
                                 uint64_t size, uint64_t *start,
                                 uint32_t *levels)
{
    uint64_t hps = vfio_host_page_size(c->host);
    uint32_t max = vfio_spapr_max_levels(page_shift, hps, c->max_levels);
    struct vfio_iommu_spapr_tce_create create = {
        .argsz = sizeof(create),
        .page_shift = page_shift,
        .window_size = size,
    };
    int ret = -EINVAL;

    create.levels = MIN(vfio_spapr_levels(size, page_shift, hps), max);
    for (; create.levels <= max; create.levels++) {
        ret = vfio_container_ioctl(c, VFIO_IOMMU_SPAPR_TCE_CREATE, &create);
        trace_vfio_spapr_create_window(page_shift, size, create.levels,
                                       create.start_addr, ret);
        if (!ret) {
            *start = create.start_addr;
            *levels = create.levels;
            return 0;
        }
    }
    return ret;
}

/*
 * A placeholder for the host's lowest free window slot: 4K pages, one
 * host page of table, so that it costs the least the host can charge.
 */
static int vfio_spapr_tce_placeholder(VFIOContainer *c, uint64_t *start)
{
    uint64_t hps = vfio_host_page_size(c->host);
    struct vfio_iommu_spapr_tce_create create = {
        .argsz = sizeof(create),
        .page_shift = 12,
        .window_size = (hps / sizeof(uint64_t)) << 12,
        .levels = 1,
    };
    int ret = vfio_container_ioctl(c, VFIO_IOMMU_SPAPR_TCE_CREATE, &create);

    trace_vfio_spapr_create_window(12, create.window_size, 1,
                                   create.start_addr, ret);
    *start = create.start_addr;
    return ret;
}

/*
 * The host puts a new window in its first free slot, and the slot fixes
 * the bus address (slot 0 at the 32-bit window's, slot 1 at bit 59 on
 * POWER8/9).  A guest window at 1 << 59 whose default window was removed
 * after it was made (then migrated, or a device plugged in) would land in
 * slot 0: each lower slot the host picks is filled with a placeholder
 * until the window lands where the guest has it, then they go.  Returns
 * 0 with the window at iova, -errno, or 1 if the host placed it
 * elsewhere (*start says where; that window is removed already).
 */
static int vfio_spapr_tce_create_at(VFIOContainer *c, hwaddr iova,
                                    uint32_t page_shift, uint64_t size,
                                    uint64_t *start, uint32_t *levels)
{
    uint64_t fill[VFIO_SPAPR_MAX_WINDOWS];
    unsigned nfill = 0;
    int ret;

    for (;;) {
        ret = vfio_spapr_tce_create(c, page_shift, size, start, levels);
        if (ret || *start == iova) {
            break;
        }
        vfio_spapr_tce_remove(c, *start);
        ret = 1;
        if (*start > iova || nfill == ARRAY_SIZE(fill) ||
            vfio_spapr_tce_placeholder(c, &fill[nfill])) {
            break;
        }
        nfill++;
    }
    while (nfill) {
        vfio_spapr_tce_remove(c, fill[--nfill]);
    }
    return ret;
}

/* Whether the host has a free window slot for [iova, iova + size). */
static bool vfio_spapr_window_free(VFIOContainer *c, hwaddr iova,
                                   uint64_t size, Error **errp)
{
    for (unsigned i = 0; i < c->nr_hostwin; i++) {
        if (ranges_overlap(c->hostwin[i].min_iova, c->hostwin[i].max_iova -
                           c->hostwin[i].min_iova + 1, iova, size)) {
            error_setg(errp, "vfio: DMA window 0x%" PRIx64 " overlaps a "
                       "host window", iova);
            return false;
        }
    }
    if (c->nr_hostwin >= c->max_windows) {
        error_setg(errp, "vfio: the host supports only %u DMA windows",
                   c->max_windows);
        return false;
    }
    return true;
}

bool vfio_spapr_create_window(VFIOContainer *c, MemoryRegionSection *s,
                              Error **errp)
{
    hwaddr iova = s->offset_within_address_space;
    hwaddr last = iova + s->size - 1;
    uint64_t ps = vfio_spapr_window_pagesize(c, s, errp);
    uint64_t start = 0;
    uint32_t levels = 0;
    int ret;

    if (!ps) {
        return false;
    }
    if (!c->v2) {
        return vfio_spapr_v1_check(c, iova, last, ps, errp);
    }
    if (!vfio_spapr_window_free(c, iova, s->size, errp)) {
        return false;
    }
    ret = vfio_spapr_tce_create_at(c, iova, ctz64(ps), s->size, &start,
                                   &levels);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "vfio: the host could not create a DMA "
                         "window of 0x%" PRIx64 " bytes in 0x%" PRIx64
                         " pages", s->size, ps);
        return false;
    }
    if (ret) {
        error_setg(errp, "vfio: host doesn't support DMA window at 0x%"
                   PRIx64 ", it placed it at 0x%" PRIx64, iova, start);
        return false;
    }
    c->hostwin[c->nr_hostwin++] = (VFIOHostDMAWindow) {
        .min_iova = iova, .max_iova = last,
        .page_shift = ctz64(ps), .levels = levels,
    };
    return true;
}

void vfio_spapr_remove_window(VFIOContainer *c, hwaddr offset_within_as)
{
    VFIOHostDMAWindow *w = vfio_spapr_find_window(c, offset_within_as);
    unsigned i;

    if (!c->v2 || !w || w->min_iova != offset_within_as) {
        return;
    }
    if (vfio_spapr_tce_remove(c, offset_within_as)) {
        warn_report("vfio: the host did not remove DMA window 0x%" PRIx64,
                    offset_within_as);
    }
    i = w - c->hostwin;
    memmove(&c->hostwin[i], &c->hostwin[i + 1],
            (c->nr_hostwin - i - 1) * sizeof(c->hostwin[0]));
    c->nr_hostwin--;
}
