/*
 * The emulated POWER host's memory preregistration (SPAPR TCE v2
 * REGISTER_MEMORY / UNREGISTER_MEMORY) and its locked-memory accounting.
 *
 * A registered region remembers the largest IOMMU page it can back: the
 * alignment of its address and size, capped by the backing page size of
 * every page (guest RAM regions know theirs; other memory is ordinary
 * host pages), as the kernel's mm_iommu_do_alloc() computes it.  The
 * region's bytes are charged to memlock-limit; so are TCE tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include <linux/vfio.h>
#include "qemu/cutils.h"
#include "internal.h"
#include "trace.h"

int emu_memlock_charge(VFIOHostEmu *s, uint64_t bytes)
{
    uint64_t total;

    bytes = QEMU_ALIGN_UP(bytes, s->page_size);
    if (uadd64_overflow(s->memlock_used, bytes, &total) ||
        total > s->memlock_limit) {
        trace_vfio_host_emu_memlock(s->memlock_used, bytes,
                                    s->memlock_limit, false);
        return -ENOMEM;
    }
    s->memlock_used = total;
    trace_vfio_host_emu_memlock(s->memlock_used, bytes, s->memlock_limit,
                                true);
    return 0;
}

void emu_memlock_uncharge(VFIOHostEmu *s, uint64_t bytes)
{
    bytes = QEMU_ALIGN_UP(bytes, s->page_size);
    s->memlock_used -= MIN(bytes, s->memlock_used);
}

/* Backing page size of process memory */

/*
 * The smallest backing page size over [ua, ua + size), as the kernel reads
 * it from the process's mappings: RAM blocks know theirs (hugepages), and
 * any other memory is ordinary pages of the emulated kernel's base size
 * (4K or 64K), which is also the least a RAM block can be backed with.
 */
unsigned emu_backing_shift(VFIOHostEmu *s, uint64_t ua, uint64_t size)
{
    uint64_t covered;
    uint64_t page = s->backing_page_size(ua, size, &covered);

    page = page == UINT64_MAX ? s->page_size : MAX(page, s->page_size);
    if (covered < size) {
        page = MIN(page, s->page_size);
    }
    return ctz64(page);
}

/* The pages must exist, as pinning them would require. */
bool emu_range_mapped(uint64_t ua, uint64_t size)
{
    uint64_t host_page = getpagesize();
    uint64_t start = QEMU_ALIGN_DOWN(ua, host_page);

    return msync((void *)(uintptr_t)start, size + (ua - start),
                 MS_ASYNC) == 0;
}

/* Preregistration */

EmuPrereg *emu_prereg_find(EmuContainer *c, uint64_t ua, uint64_t size)
{
    for (unsigned i = 0; i < c->prereg->len; i++) {
        EmuPrereg *p = g_ptr_array_index(c->prereg, i);

        if (ua >= p->ua && size <= p->size && ua - p->ua <= p->size - size) {
            return p;
        }
    }
    return NULL;
}

/* The checks that come before anything is charged or pinned. */
static int emu_register_check(EmuContainer *c,
                              struct vfio_iommu_spapr_register_memory *r)
{
    const char *req = "REGISTER_MEMORY";
    uint64_t end;

    if (r->argsz < offsetof(struct vfio_iommu_spapr_register_memory, size) +
                   sizeof(r->size) || r->flags) {
        return emu_refuse(req, EINVAL, "argsz or flags");
    }
    if ((r->vaddr | r->size) & (c->host->page_size - 1) ||
        uadd64_overflow(r->vaddr, r->size, &end)) {
        return emu_refuse(req, EINVAL, "unaligned or wrapping range");
    }
    if (!r->size) {
        return emu_refuse(req, EINVAL, "size 0");
    }
    for (unsigned i = 0; i < c->prereg->len; i++) {
        EmuPrereg *p = g_ptr_array_index(c->prereg, i);

        if (p->ua == r->vaddr && p->size == r->size) {
            return emu_refuse(req, EBUSY, "range already registered");
        }
    }
    if (c->prereg->len >= EMU_MAX_PREREG) {
        return emu_refuse(req, ENOMEM, "too many regions");
    }
    return 0;
}

/* Charged first, then pinned, then checked for overlap: the kernel's order */
int emu_register(EmuContainer *c,
                 struct vfio_iommu_spapr_register_memory *r)
{
    const char *req = "REGISTER_MEMORY";
    const char *why = NULL;
    EmuPrereg *p;
    int ret = emu_register_check(c, r);

    if (ret) {
        return ret;
    }
    if (emu_memlock_charge(c->host, r->size)) {
        return emu_refuse(req, ENOMEM, "memlock limit");
    }
    if (!emu_range_mapped(r->vaddr, r->size)) {
        ret = -EFAULT;
        why = "range not mapped";
    }
    for (unsigned i = 0; !ret && i < c->prereg->len; i++) {
        p = g_ptr_array_index(c->prereg, i);
        if (ranges_overlap(p->ua, p->size, r->vaddr, r->size)) {
            ret = -EINVAL;
            why = "overlaps a registered range";
        }
    }
    if (ret) {
        emu_memlock_uncharge(c->host, r->size);
        return emu_refuse(req, -ret, why);
    }
    p = g_new0(EmuPrereg, 1);
    p->ua = r->vaddr;
    p->size = r->size;
    p->page_shift = MIN((unsigned)ctz64(r->vaddr | r->size),
                        emu_backing_shift(c->host, r->vaddr, r->size));
    g_ptr_array_add(c->prereg, p);
    c->enabled = true;
    trace_vfio_host_emu_register(p->ua, p->size, p->page_shift);
    return 0;
}

int emu_unregister(EmuContainer *c,
                   struct vfio_iommu_spapr_register_memory *r)
{
    const char *req = "UNREGISTER_MEMORY";

    if (r->argsz < offsetof(struct vfio_iommu_spapr_register_memory, size) +
                   sizeof(r->size) || r->flags) {
        return emu_refuse(req, EINVAL, "argsz or flags");
    }
    if ((r->vaddr | r->size) & (c->host->page_size - 1)) {
        return emu_refuse(req, EINVAL, "unaligned range");
    }
    for (unsigned i = 0; i < c->prereg->len; i++) {
        EmuPrereg *p = g_ptr_array_index(c->prereg, i);

        if (p->ua != r->vaddr || p->size != r->size) {
            continue;
        }
        if (p->mapped) {
            return emu_refuse(req, EBUSY, "TCEs still point into it");
        }
        emu_memlock_uncharge(c->host, p->size);
        g_ptr_array_remove_index(c->prereg, i);
        trace_vfio_host_emu_unregister(r->vaddr, r->size);
        return 0;
    }
    return emu_refuse(req, ENOENT, "no such registered range");
}
