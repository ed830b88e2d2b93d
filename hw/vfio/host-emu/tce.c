/*
 * The emulated POWER host's IOMMU: memory preregistration, DMA windows and
 * their multi-level TCE tables, MAP/UNMAP, for the SPAPR TCE v1 and v2
 * container types.
 *
 * DOC: emulated SPAPR TCE IOMMU
 *
 * The answers follow Linux 6.12 (drivers/vfio/vfio_iommu_spapr_tce.c with
 * arch/powerpc/mm/book3s64/iommu_api.c on a PowerNV PHB3 host whose kernel
 * has 4 KiB pages), checked in the same order, except where the kernel
 * breaks its documented API; there the documented answer is given:
 *   - REGISTER of size 0: EINVAL (kernel: ENOMEM and a WARN);
 *   - REGISTER of memory that is not mapped: EFAULT (kernel: +1);
 *   - MAP/UNMAP of an unaligned IOVA: EINVAL (kernel: +1);
 *   - MAP crossing the end of a window: EINVAL (kernel: 0, writes past);
 *   - UNREGISTER of a region some TCE still points into: EBUSY (kernel: 0);
 *   - TCE_REMOVE of an address that is not a window's start: EINVAL
 *     (kernel: removes the window containing it);
 *   - TCE_CREATE of a window smaller than one IOMMU page: EINVAL.
 * Table geometry: a window of 2^w bytes with 2^p pages has 2^(w-p) entries
 * spread over L levels; each level page holds 2^b entries, b =
 * max(ceil((w-p)/L), 9), and the kernel's limit b*L + p < 55 applies
 * (so 5-level tables of 4K pages never fit, as on a 4K-page kernel).  The
 * memlock charge is the kernel's get_table_size(): the table twice (the
 * hardware table and its userspace shadow).  Entries hold the userspace
 * address | TCE_READ(1) | TCE_WRITE(2), as the kernel's shadow does; level
 * pages are allocated on first use (table.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "qemu/cutils.h"
#include "internal.h"
#include "trace.h"

#define TCE_LEVEL_LIMIT 55

/* TCE tables (table.c holds their levels) */

/* A TCE goes: its region has one mapping less (v2). */
static void emu_tce_unuse(EmuContainer *c, uint64_t tce, unsigned shift,
                          EmuPrereg **cache)
{
    uint64_t ua = tce & ~TCE_PERM_MASK, size = 1ULL << shift;
    EmuPrereg *p = *cache;

    if (c->iommu != EMU_IOMMU_V2) {
        return;
    }
    if (!p || ua < p->ua || p->size < size || ua - p->ua > p->size - size) {
        p = emu_prereg_find(c, ua, size);
    }
    if (p && p->mapped) {
        p->mapped--;
        *cache = p;
    }
}

/* Clears count entries from first, a leaf page at a time. */
static void emu_tce_clear(EmuContainer *c, EmuTceTable *t, uint64_t first,
                          uint64_t count)
{
    uint64_t leaf = 1ULL << t->level_bits;
    uint64_t idx = first, end = first + count;
    EmuPrereg *cache = NULL;

    /* Once no valid TCE is left there is nothing more to clear. */
    while (idx < end && t->mapped) {
        uint64_t n = MIN(end - idx, leaf - (idx & (leaf - 1)));
        uint64_t *e = emu_table_entry(t, idx, false, NULL);

        for (uint64_t i = 0; e && i < n; i++) {
            if (e[i]) {
                emu_tce_unuse(c, e[i], t->page_shift, &cache);
                e[i] = 0;
                t->mapped--;
            }
        }
        idx += n;
    }
}

static EmuTceTable *emu_table_find(EmuContainer *c, uint64_t iova)
{
    for (unsigned i = 0; i < EMU_MAX_WINDOWS; i++) {
        EmuTceTable *t = c->tables[i];

        if (t && iova >= t->start && iova - t->start < t->size) {
            return t;
        }
    }
    return NULL;
}

static void emu_table_free(EmuContainer *c, EmuTceTable *t)
{
    emu_tce_clear(c, t, 0, t->entries);
    emu_memlock_uncharge(c->host, t->charged);
    c->tables[t->slot] = NULL;
    emu_table_destroy(t);
}

/* Page size, levels and size: EINVAL before anything is charged. */
static int emu_window_check(VFIOHostEmu *s, unsigned page_shift,
                            uint64_t window_size, unsigned levels)
{
    if (page_shift >= 64 || !(s->iommu_pgsizes & (1ULL << page_shift))) {
        return emu_refuse("TCE_CREATE", EINVAL, "page size not supported");
    }
    if (!levels || levels > s->max_levels || !is_power_of_2(window_size) ||
        window_size < (1ULL << page_shift)) {
        return emu_refuse("TCE_CREATE", EINVAL, "levels or window size");
    }
    return 0;
}

static int emu_window_create(EmuContainer *c, unsigned page_shift,
                             uint64_t window_size, unsigned levels,
                             uint64_t *start)
{
    const char *req = "TCE_CREATE";
    unsigned slot = 0, level_bits;
    EmuTceTable *t = NULL;
    uint64_t bytes;
    int ret;

    while (slot < EMU_MAX_WINDOWS && c->tables[slot]) {
        slot++;
    }
    if (slot == EMU_MAX_WINDOWS) {
        return emu_refuse(req, ENOSPC, "no free window slot");
    }
    ret = emu_window_check(c->host, page_shift, window_size, levels);
    if (ret) {
        return ret;
    }
    bytes = emu_table_size(page_shift, window_size, levels,
                           &level_bits);
    if (emu_memlock_charge(c->host, bytes)) {
        return emu_refuse(req, ENOMEM, "memlock limit");
    }
    if (level_bits * levels + page_shift >= TCE_LEVEL_LIMIT) {
        ret = emu_refuse(req, EINVAL, "too many entries for the levels");
    } else if (!(t = emu_table_new(slot, page_shift, window_size, levels,
                                   level_bits))) {
        ret = emu_refuse(req, ENOMEM, "table allocation");
    }
    if (ret) {
        emu_memlock_uncharge(c->host, bytes);
        return ret;
    }
    t->charged = bytes;
    c->tables[slot] = t;
    *start = t->start;
    trace_vfio_host_emu_window_create(slot, t->start, window_size,
                                      page_shift, levels, bytes);
    return 0;
}

/* v2: the default 32-bit window is made on first use. */
static int emu_default_window(EmuContainer *c)
{
    uint64_t start;
    int ret;

    if (!c->def_window_pending) {
        return 0;
    }
    ret = emu_window_create(c, EMU_PAGE_SHIFT, VFIO_HOST_EMU_DMA32_SIZE, 1,
                            &start);
    if (!ret) {
        c->def_window_pending = false;
    }
    return ret;
}

void emu_container_attach_iommu(EmuContainer *c)
{
    EmuTceTable *t;

    if (c->iommu == EMU_IOMMU_V2) {
        c->def_window_pending = true;
        return;
    }
    /* v1 takes over the platform's own 32-bit table: nothing charged. */
    t = g_new0(EmuTceTable, 1);
    t->page_shift = EMU_PAGE_SHIFT;
    t->levels = 1;
    t->size = VFIO_HOST_EMU_DMA32_SIZE;
    t->start = VFIO_HOST_EMU_DMA32_START;
    t->entries = t->size >> t->page_shift;
    emu_table_size(t->page_shift, t->size, 1, &t->level_bits);
    t->root = g_new0(uint64_t, 1ULL << t->level_bits);
    t->level_pages = 1;
    c->tables[0] = t;
}

void emu_container_release_iommu(EmuContainer *c)
{
    for (unsigned i = 0; i < EMU_MAX_WINDOWS; i++) {
        if (c->tables[i]) {
            emu_table_free(c, c->tables[i]);
        }
    }
    while (c->prereg->len) {
        EmuPrereg *p = g_ptr_array_index(c->prereg, c->prereg->len - 1);

        emu_memlock_uncharge(c->host, p->size);
        g_ptr_array_remove_index(c->prereg, c->prereg->len - 1);
    }
    emu_memlock_uncharge(c->host, c->v1_charged);
    c->v1_charged = 0;
    c->iommu = EMU_IOMMU_NONE;
    c->enabled = false;
    c->def_window_pending = false;
}

/* MAP_DMA / UNMAP_DMA */

/* v2: every page must come from preregistered memory with large pages. */
static int emu_tce_source_v2(EmuContainer *c, uint64_t ua, unsigned shift,
                             EmuPrereg **pp)
{
    EmuPrereg *p = *pp;

    /* Consecutive pages usually come from the same region. */
    if (!p || ua < p->ua || p->size < (1ULL << shift) ||
        ua - p->ua > p->size - (1ULL << shift)) {
        p = emu_prereg_find(c, ua, 1ULL << shift);
    }
    if (!p) {
        return emu_refuse("MAP_DMA", EINVAL, "memory not preregistered");
    }
    if (p->page_shift < shift) {
        return emu_refuse("MAP_DMA", EINVAL, "backing pages too small");
    }
    *pp = p;
    return 0;
}

/* Writes n consecutive entries of one leaf page. */
static void emu_tce_fill(EmuContainer *c, EmuTceTable *t, uint64_t *e,
                         bool fresh, uint64_t n, uint64_t ua, int perm)
{
    uint64_t ps = 1ULL << t->page_shift;
    EmuPrereg *cache = NULL;

    t->mapped += n;
    if (fresh) {
        emu_table_fill_fresh(e, n, ua | perm, ps);
        return;
    }
    for (uint64_t i = 0; i < n; i++, ua += ps) {
        if (e[i]) {
            emu_tce_unuse(c, e[i], t->page_shift, &cache);
            t->mapped--;
        }
        e[i] = ua | perm;
    }
}

/*
 * Maps pages from index first, a leaf page (and a registered region) at a
 * time; on failure the entries written so far are cleared, as the kernel
 * does.
 */
static int emu_tce_build(EmuContainer *c, EmuTceTable *t, uint64_t first,
                         uint64_t ua, uint64_t pages, int perm)
{
    uint64_t leaf = 1ULL << t->level_bits, done = 0;
    EmuPrereg *p = NULL;
    int ret = 0;

    while (done < pages) {
        uint64_t idx = first + done;
        uint64_t n = MIN(pages - done, leaf - (idx & (leaf - 1)));
        uint64_t *e;
        bool fresh;

        if (c->iommu == EMU_IOMMU_V2) {
            ret = emu_tce_source_v2(c, ua, t->page_shift, &p);
            if (ret) {
                break;
            }
            n = MIN(n, (p->ua + p->size - ua) >> t->page_shift);
        }
        e = emu_table_entry(t, idx, true, &fresh);
        if (!e) {
            ret = emu_refuse("MAP_DMA", ENOMEM, "table level allocation");
            break;
        }
        emu_tce_fill(c, t, e, fresh, n, ua, perm);
        if (p) {
            p->mapped += n;
        }
        done += n;
        ua += n << t->page_shift;
    }
    if (ret) {
        emu_tce_clear(c, t, first, done);
    }
    return ret;
}

/* v1 pins on the fly: the pages must exist and be large enough. */
static int emu_tce_check_v1(VFIOHostEmu *s, uint64_t ua, uint64_t size,
                            unsigned shift)
{
    if (!emu_range_mapped(ua, size)) {
        return emu_refuse("MAP_DMA", EFAULT, "range not mapped");
    }
    if (emu_backing_shift(s, ua, size) < shift) {
        return emu_refuse("MAP_DMA", EPERM, "backing pages too small");
    }
    return 0;
}

/* Window lookup and alignment shared by MAP_DMA and UNMAP_DMA. */
static int emu_dma_range(EmuContainer *c, const char *req, uint64_t iova,
                         uint64_t size, EmuTceTable **pt)
{
    EmuTceTable *t;
    uint64_t mask;
    int ret = emu_default_window(c);

    if (ret) {
        return ret;
    }
    t = emu_table_find(c, iova);
    if (!t) {
        return emu_refuse(req, ENXIO, "iova outside every window");
    }
    mask = (1ULL << t->page_shift) - 1;
    if ((size | iova) & mask) {
        return emu_refuse(req, EINVAL, "unaligned iova or size");
    }
    if (size > t->size - (iova - t->start)) {
        return emu_refuse(req, EINVAL, "range crosses the window end");
    }
    *pt = t;
    return 0;
}

static int emu_map_dma(EmuContainer *c, struct vfio_iommu_type1_dma_map *m)
{
    const char *req = "MAP_DMA";
    uint32_t rw = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
    EmuTceTable *t;
    int perm = 0, ret;

    if (!c->enabled) {
        return emu_refuse(req, EPERM, "container not enabled");
    }
    if (m->argsz < offsetof(struct vfio_iommu_type1_dma_map, size) +
                   sizeof(m->size) || (m->flags & ~rw)) {
        return emu_refuse(req, EINVAL, "argsz or flags");
    }
    ret = emu_dma_range(c, req, m->iova, m->size, &t);
    if (ret) {
        return ret;
    }
    if (m->vaddr & ((1ULL << t->page_shift) - 1)) {
        return emu_refuse(req, EINVAL, "unaligned vaddr");
    }
    perm |= (m->flags & VFIO_DMA_MAP_FLAG_READ) ? VFIO_HOST_EMU_TCE_READ : 0;
    perm |= (m->flags & VFIO_DMA_MAP_FLAG_WRITE) ? VFIO_HOST_EMU_TCE_WRITE : 0;
    if (!perm) {
        return emu_refuse(req, EINVAL, "neither read nor write");
    }
    if (c->iommu == EMU_IOMMU_V1 && m->size) {
        ret = emu_tce_check_v1(c->host, m->vaddr, m->size, t->page_shift);
        if (ret) {
            return ret;
        }
    }
    ret = emu_tce_build(c, t, (m->iova - t->start) >> t->page_shift,
                        m->vaddr, m->size >> t->page_shift, perm);
    trace_vfio_host_emu_map(m->iova, m->size, m->vaddr, perm, ret);
    return ret;
}

static int emu_unmap_dma(EmuContainer *c,
                         struct vfio_iommu_type1_dma_unmap *u)
{
    const char *req = "UNMAP_DMA";
    EmuTceTable *t;
    int ret;

    if (!c->enabled) {
        return emu_refuse(req, EPERM, "container not enabled");
    }
    if (u->argsz < offsetof(struct vfio_iommu_type1_dma_unmap, size) +
                   sizeof(u->size) || u->flags) {
        return emu_refuse(req, EINVAL, "argsz or flags");
    }
    ret = emu_dma_range(c, req, u->iova, u->size, &t);
    if (ret) {
        return ret;
    }
    emu_tce_clear(c, t, (u->iova - t->start) >> t->page_shift,
                  u->size >> t->page_shift);
    trace_vfio_host_emu_unmap(u->iova, u->size);
    return 0;
}

/* Windows */

static int emu_tce_create(EmuContainer *c,
                          struct vfio_iommu_spapr_tce_create *cr)
{
    uint64_t start;
    int ret;

    if (cr->argsz < offsetof(struct vfio_iommu_spapr_tce_create,
                             start_addr) + sizeof(cr->start_addr) ||
        cr->flags) {
        return emu_refuse("TCE_CREATE", EINVAL, "argsz or flags");
    }
    ret = emu_default_window(c);
    if (ret) {
        return ret;
    }
    ret = emu_window_create(c, cr->page_shift, cr->window_size, cr->levels,
                            &start);
    if (!ret) {
        cr->start_addr = start;
    }
    return ret;
}

static int emu_tce_remove(EmuContainer *c,
                          struct vfio_iommu_spapr_tce_remove *rm)
{
    if (rm->argsz < offsetof(struct vfio_iommu_spapr_tce_remove,
                             start_addr) + sizeof(rm->start_addr) ||
        rm->flags) {
        return emu_refuse("TCE_REMOVE", EINVAL, "argsz or flags");
    }
    if (c->def_window_pending && rm->start_addr == 0) {
        c->def_window_pending = false;
        trace_vfio_host_emu_window_remove(0, true);
        return 0;
    }
    for (unsigned i = 0; i < EMU_MAX_WINDOWS; i++) {
        if (c->tables[i] && c->tables[i]->start == rm->start_addr) {
            emu_table_free(c, c->tables[i]);
            trace_vfio_host_emu_window_remove(rm->start_addr, false);
            return 0;
        }
    }
    return emu_refuse("TCE_REMOVE", EINVAL, "no window starts there");
}

static int emu_get_info(EmuContainer *c,
                        struct vfio_iommu_spapr_tce_info *info)
{
    VFIOHostEmu *s = c->host;
    size_t minsz = offsetof(struct vfio_iommu_spapr_tce_info,
                            dma32_window_size) +
                   sizeof(info->dma32_window_size);
    size_t ddwsz = offsetof(struct vfio_iommu_spapr_tce_info, ddw) +
                   sizeof(info->ddw);
    struct vfio_iommu_spapr_tce_info out = { .argsz = info->argsz };

    if (info->argsz < minsz) {
        return emu_refuse("TCE_GET_INFO", EINVAL, "argsz");
    }
    out.dma32_window_start = VFIO_HOST_EMU_DMA32_START;
    out.dma32_window_size = VFIO_HOST_EMU_DMA32_SIZE;
    if (c->iommu == EMU_IOMMU_V2) {
        out.flags = VFIO_IOMMU_SPAPR_INFO_DDW;
        out.ddw.pgsizes = s->iommu_pgsizes;
        out.ddw.max_dynamic_windows_supported = EMU_MAX_WINDOWS;
        out.ddw.levels = s->max_levels;
    }
    memcpy(info, &out, info->argsz >= ddwsz ? ddwsz : minsz);
    return 0;
}

/* v1 locks the whole 32-bit window up front. */
static int emu_enable(EmuContainer *c)
{
    uint64_t bytes = VFIO_HOST_EMU_DMA32_SIZE;

    if (c->enabled) {
        return emu_refuse("IOMMU_ENABLE", EBUSY, "already enabled");
    }
    if (emu_memlock_charge(c->host, bytes)) {
        return emu_refuse("IOMMU_ENABLE", ENOMEM, "memlock limit");
    }
    c->v1_charged = bytes;
    c->enabled = true;
    return 0;
}

static int emu_disable(EmuContainer *c)
{
    if (c->enabled) {
        emu_memlock_uncharge(c->host, c->v1_charged);
        c->v1_charged = 0;
        c->enabled = false;
    }
    return 0;
}

static bool emu_v2_only(unsigned long req)
{
    switch (req) {
    case VFIO_IOMMU_SPAPR_REGISTER_MEMORY:
    case VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY:
    case VFIO_IOMMU_SPAPR_TCE_CREATE:
    case VFIO_IOMMU_SPAPR_TCE_REMOVE:
        return true;
    default:
        return false;
    }
}

/* Requests of a container whose IOMMU type is set. */
int emu_container_tce_ioctl(EmuContainer *c, unsigned long req, void *arg)
{
    bool v2 = c->iommu == EMU_IOMMU_V2;

    if (emu_v2_only(req) && !v2) {
        return emu_refuse("container", ENOTTY, "not for this IOMMU type");
    }
    if (!arg && req != VFIO_IOMMU_ENABLE && req != VFIO_IOMMU_DISABLE) {
        return emu_refuse("container", EFAULT, "no argument");
    }
    switch (req) {
    case VFIO_IOMMU_ENABLE:
        return v2 ? emu_refuse("IOMMU_ENABLE", ENOTTY, "v2") : emu_enable(c);
    case VFIO_IOMMU_DISABLE:
        return v2 ? emu_refuse("IOMMU_DISABLE", ENOTTY, "v2")
                  : emu_disable(c);
    case VFIO_IOMMU_SPAPR_TCE_GET_INFO:
        return emu_get_info(c, arg);
    case VFIO_IOMMU_MAP_DMA:
        return emu_map_dma(c, arg);
    case VFIO_IOMMU_UNMAP_DMA:
        return emu_unmap_dma(c, arg);
    case VFIO_IOMMU_SPAPR_REGISTER_MEMORY:
        return emu_register(c, arg);
    case VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY:
        return emu_unregister(c, arg);
    case VFIO_IOMMU_SPAPR_TCE_CREATE:
        return emu_tce_create(c, arg);
    case VFIO_IOMMU_SPAPR_TCE_REMOVE:
        return emu_tce_remove(c, arg);
    default:
        return emu_refuse("container", ENOTTY, "unknown request");
    }
}

/* Inspection */

bool emu_tce_lookup(EmuContainer *c, uint64_t iova, uint64_t *ua, int *perm,
                    unsigned *page_shift)
{
    EmuTceTable *t = emu_table_find(c, iova);
    uint64_t *e;

    if (!t) {
        return false;
    }
    e = emu_table_entry(t, (iova - t->start) >> t->page_shift, false, NULL);
    if (!e || !*e) {
        return false;
    }
    *ua = *e & ~TCE_PERM_MASK;
    *perm = *e & TCE_PERM_MASK;
    *page_shift = t->page_shift;
    return true;
}

bool emu_tce_foreach(EmuContainer *c, VFIOHostEmuTceFn *fn, void *opaque)
{
    for (unsigned i = 0; i < EMU_MAX_WINDOWS; i++) {
        EmuTceTable *t = c->tables[i];

        if (t && !emu_table_walk(t, fn, opaque)) {
            return false;
        }
    }
    return true;
}

unsigned emu_windows(EmuContainer *c, VFIOHostEmuWindow *w, unsigned max)
{
    unsigned n = 0;

    for (unsigned i = 0; i < EMU_MAX_WINDOWS; i++) {
        EmuTceTable *t = c->tables[i];

        if (!t) {
            continue;
        }
        if (n < max) {
            w[n] = (VFIOHostEmuWindow) {
                .slot = t->slot, .start = t->start, .size = t->size,
                .page_shift = t->page_shift, .levels = t->levels,
                .mapped_pages = t->mapped, .level_pages = t->level_pages,
                .charged = t->charged,
            };
        }
        n++;
    }
    return n;
}
