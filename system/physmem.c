/*
 * RAM allocation and memory access dispatch.
 *
 * Guest RAM is reserved lazily (MAP_NORESERVE): a 1 TiB model costs
 * nothing until its pages are touched.  Accesses walk the flat view: RAM
 * is copied, MMIO is split into accesses the device accepts, IOMMU
 * regions translate page by page.  A failed read yields zeros and a failed
 * write is dropped, each page on its own, as on a real bus.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include <sys/vfs.h>
#include <fcntl.h>
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "qemu/mmap-alloc.h"
#include "exec/memory.h"
#include "memory-internal.h"
#include "trace.h"

#define DIRTY_PAGE_SHIFT 12
#define RAM_ALIGN (2ULL << 20)
#define IOMMU_MAX_DEPTH 4

static MemoryRegion system_memory;
static AddressSpace system_as;
/* Every RAM region with a host mapping, for questions by host address. */
static GPtrArray *ram_blocks;
/* Who is told of RAM writes: usually nobody (see ram_write_notify()). */
static RamWriteNotifier *ram_write_notifiers;

static void ram_block_add(MemoryRegion *mr)
{
    if (!ram_blocks) {
        ram_blocks = g_ptr_array_new();
    }
    g_ptr_array_add(ram_blocks, mr);
}

static void ram_block_remove(MemoryRegion *mr)
{
    if (ram_blocks) {
        g_ptr_array_remove_fast(ram_blocks, mr);
    }
}

/*
 * The smallest page size backing any RAM block that overlaps
 * [host, host + size), and in *covered how many of those bytes RAM blocks
 * hold; UINT64_MAX when none does.  What a host kernel learns from the
 * process's mappings: the emulated POWER host asks it (hugetlbfs-backed
 * RAM pins larger IOMMU pages than anonymous memory).
 */
uint64_t ram_backing_page_size(uint64_t host, uint64_t size,
                               uint64_t *covered)
{
    uint64_t page = UINT64_MAX;

    *covered = 0;
    for (unsigned i = 0; ram_blocks && i < ram_blocks->len && size; i++) {
        MemoryRegion *mr = g_ptr_array_index(ram_blocks, i);
        uint64_t start = (uintptr_t)mr->ram_ptr;

        if (ranges_overlap(start, mr->size, host, size)) {
            uint64_t lo = MAX(start, host);
            uint64_t hi = MIN(start + mr->size - 1, host + size - 1);

            *covered += hi - lo + 1;
            page = MIN(page, mr->ram_page_size);
        }
    }
    return page;
}

MemoryRegion *get_system_memory(void)
{
    if (!system_memory.name) {
        memory_region_init(&system_memory, NULL, "system", UINT64_MAX);
    }
    return &system_memory;
}

AddressSpace *address_space_memory_get(void)
{
    if (!system_as.name) {
        address_space_init(&system_as, get_system_memory(), "memory");
    }
    return &system_as;
}

/*
 * Guest RAM is anonymous, lazily backed and aligned to 2 MiB: a host that
 * backs memory with 64K or huge pages (a POWER host kernel, THP) then sees
 * whole, aligned pages.
 */
bool memory_region_init_ram(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp)
{
    void *p;

    memory_region_init(mr, owner, name, size);
    mr->kind = MR_RAM;
    p = qemu_anon_mmap_aligned(size, RAM_ALIGN, MAP_NORESERVE);
    if (!p) {
        error_setg_errno(errp, errno, "cannot reserve %" PRIu64
                         " bytes of guest RAM for '%s'", size, name);
        mr->kind = MR_CONTAINER;
        return false;
    }
    mr->ram_ptr = p;
    mr->ram_page_size = getpagesize();
    ram_block_add(mr);
    return true;
}

bool memory_region_init_ram_from_file(MemoryRegion *mr, Object *owner,
                                      const char *name, uint64_t size,
                                      const char *path, bool share,
                                      Error **errp)
{
    struct statfs fs;
    int fd;
    void *p;

    fd = open(path, O_RDWR | O_CREAT, 0600);
    if (fd < 0 && errno == EISDIR) {
        g_autofree char *tmpl = g_strdup_printf("%s/spapr-ddw.XXXXXX", path);

        fd = mkstemp(tmpl);
        if (fd >= 0) {
            unlink(tmpl);
        }
    }
    if (fd < 0) {
        error_setg_errno(errp, errno, "mem-path '%s'", path);
        return false;
    }
    if (fstatfs(fd, &fs) < 0 || ftruncate(fd, size) < 0) {
        error_setg_errno(errp, errno, "mem-path '%s': cannot size to %"
                         PRIu64 " bytes", path, size);
        close(fd);
        return false;
    }
    p = mmap(NULL, size, PROT_READ | PROT_WRITE,
             (share ? MAP_SHARED : MAP_PRIVATE) | MAP_NORESERVE, fd, 0);
    if (p == MAP_FAILED) {
        error_setg_errno(errp, errno, "mem-path '%s': cannot map", path);
        close(fd);
        return false;
    }
    memory_region_init(mr, owner, name, size);
    mr->kind = MR_RAM;
    mr->ram_ptr = p;
    mr->ram_fd = fd;
    /* hugetlbfs reports its huge page size as the block size */
    mr->ram_page_size = MAX((uint64_t)fs.f_bsize, (uint64_t)getpagesize());
    ram_block_add(mr);
    return true;
}

void memory_region_ram_free(MemoryRegion *mr)
{
    if (mr->kind == MR_RAM && mr->ram_ptr) {
        ram_block_remove(mr);
        munmap(mr->ram_ptr, mr->size);
        if (mr->ram_fd >= 0) {
            close(mr->ram_fd);
        }
    }
    if (mr->dirty_bitmap) {
        munmap(mr->dirty_bitmap, (mr->size >> DIRTY_PAGE_SHIFT) / 8 + 8);
    }
}

void memory_region_set_dirty_logging(MemoryRegion *mr, bool on)
{
    size_t len = (mr->size >> DIRTY_PAGE_SHIFT) / 8 + 8;

    if (on && !mr->dirty_bitmap) {
        /* Lazily backed too: a 1 TiB guest's bitmap costs what is dirtied. */
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        mr->dirty_bitmap = p == MAP_FAILED ? NULL : p;
    } else if (!on && mr->dirty_bitmap) {
        munmap(mr->dirty_bitmap, len);
        mr->dirty_bitmap = NULL;
    }
}

void memory_region_set_dirty(MemoryRegion *mr, hwaddr offset, hwaddr len)
{
    const unsigned bits = sizeof(unsigned long) * 8;

    if (!mr->dirty_bitmap || !len) {
        return;
    }
    for (hwaddr p = offset >> DIRTY_PAGE_SHIFT;
         p <= (offset + len - 1) >> DIRTY_PAGE_SHIFT; p++) {
        mr->dirty_bitmap[p / bits] |= 1UL << (p % bits);
    }
}

void ram_write_notifier_add(RamWriteNotifier *n)
{
    trace_ram_write_notifier(n, true);
    n->next = ram_write_notifiers;
    ram_write_notifiers = n;
}

void ram_write_notifier_remove(RamWriteNotifier *n)
{
    for (RamWriteNotifier **pp = &ram_write_notifiers; *pp;
         pp = &(*pp)->next) {
        if (*pp == n) {
            trace_ram_write_notifier(n, false);
            *pp = n->next;
            n->next = NULL;
            return;
        }
    }
}

/* One pointer test per write when nobody listens. */
static void ram_write_notify(MemoryRegion *mr, hwaddr offset, hwaddr len)
{
    RamWriteNotifier *n = ram_write_notifiers;

    while (n && len) {
        RamWriteNotifier *next = n->next;   /* n may remove itself */

        n->notify(n, mr, offset, len);
        n = next;
    }
}

/* host + len is a mapped range (the caller wrote it): no wrap. */
void ram_host_written(const void *host, uint64_t len)
{
    uint64_t start = (uintptr_t)host;

    for (unsigned i = 0; ram_write_notifiers && ram_blocks && len &&
         i < ram_blocks->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(ram_blocks, i);
        uint64_t base = (uintptr_t)mr->ram_ptr;
        uint64_t lo = MAX(start, base), hi = MIN(start + len, base + mr->size);

        if (lo < hi) {
            ram_write_notify(mr, lo - base, hi - lo);
        }
    }
}

static const FlatRange *flatview_lookup(FlatView *view, hwaddr addr)
{
    unsigned lo = 0, hi = view->nr;

    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const FlatRange *fr = &view->ranges[mid];

        if (addr < fr->start) {
            hi = mid;
        } else if (addr > fr->last) {
            lo = mid + 1;
        } else {
            return fr;
        }
    }
    return NULL;
}

/* Length from addr to the next mapped range, at most len. */
static hwaddr unassigned_len(FlatView *view, hwaddr addr, hwaddr len)
{
    for (unsigned i = 0; i < view->nr; i++) {
        if (view->ranges[i].start > addr) {
            return MIN(view->ranges[i].start - addr, len);
        }
    }
    return len;
}

/*
 * Nothing we may touch answers (unassigned, device RAM, a refused MMIO
 * size, an IOMMU fault): a read sees zeros, never the caller's stale
 * buffer, and a write is dropped.
 */
static MemTxResult bus_error(uint8_t *buf, hwaddr len, bool is_write)
{
    if (!is_write) {
        memset(buf, 0, len);
    }
    return MEMTX_DECODE_ERROR;
}

static MemTxResult ram_access(MemoryRegion *mr, hwaddr off, uint8_t *buf,
                              hwaddr len, bool is_write, bool ro)
{
    if (!is_write) {
        memcpy(buf, mr->ram_ptr + off, len);
    } else if (!ro) {
        memcpy(mr->ram_ptr + off, buf, len);
        memory_region_set_dirty(mr, off, len);
        ram_write_notify(mr, off, len);
    }
    return MEMTX_OK;
}

static bool mmio_big_endian(const MemoryRegionOps *ops)
{
    return ops->endianness != DEVICE_LITTLE_ENDIAN;
}

static unsigned mmio_access_size(const MemoryRegionOps *ops, hwaddr addr,
                                 hwaddr len)
{
    unsigned max = ops->valid.max_access_size ? ops->valid.max_access_size : 4;
    unsigned size = 1;

    while (size * 2 <= max && size * 2 <= len && !(addr & (size * 2 - 1))) {
        size *= 2;
    }
    return size;
}

/* One access the device accepts, size bytes at addr. */
static void mmio_access_one(MemoryRegion *mr, hwaddr addr, uint8_t *buf,
                            unsigned size, bool is_write, bool ro)
{
    const MemoryRegionOps *ops = mr->ops;
    uint64_t v;

    if (is_write) {
        v = mmio_big_endian(ops) ? ldn_be_p(buf, size) : ldn_le_p(buf, size);
        if (ops->write && !ro) {
            ops->write(mr->opaque, addr, v, size);
        }
        return;
    }
    v = ops->read ? ops->read(mr->opaque, addr, size) : 0;
    if (mmio_big_endian(ops)) {
        stn_be_p(buf, size, v);
    } else {
        stn_le_p(buf, size, v);
    }
}

static MemTxResult mmio_access(MemoryRegion *mr, hwaddr addr, uint8_t *buf,
                               hwaddr len, bool is_write, bool ro)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned min = ops->valid.min_access_size ? ops->valid.min_access_size : 1;
    MemTxResult res = MEMTX_OK;

    while (len) {
        unsigned size = mmio_access_size(ops, addr, len);

        if (size < min || (!ops->valid.unaligned && (addr & (size - 1)))) {
            res |= bus_error(buf, size, is_write);
        } else {
            mmio_access_one(mr, addr, buf, size, is_write, ro);
        }
        addr += size;
        buf += size;
        len -= size;
    }
    return res;
}

static MemTxResult flatview_rw(AddressSpace *as, hwaddr addr, uint8_t *buf,
                               hwaddr len, bool is_write, int depth);

/* Up to the end of the IOMMU page at addr; *plen says how far it went. */
static MemTxResult iommu_access(MemoryRegion *mr, hwaddr addr, uint8_t *buf,
                                hwaddr *plen, bool is_write, int depth)
{
    IOMMUAccessFlags want = is_write ? IOMMU_WO : IOMMU_RO;
    IOMMUTLBEntry e = mr->iommu_ops->translate(mr, addr, want);
    hwaddr page_left_m1 = (e.addr_mask | addr) - addr;

    *plen = MIN(*plen - 1, page_left_m1) + 1;
    if (!(e.perm & want) || !e.target_as || depth >= IOMMU_MAX_DEPTH) {
        return bus_error(buf, *plen, is_write);
    }
    return flatview_rw(e.target_as,
                       (e.translated_addr & ~e.addr_mask) | (addr & e.addr_mask),
                       buf, *plen, is_write, depth + 1);
}

/* An access within one flat range; *plen may shrink (IOMMU pages). */
static MemTxResult flatrange_rw(const FlatRange *fr, hwaddr addr,
                                uint8_t *buf, hwaddr *plen, bool is_write,
                                int depth)
{
    MemoryRegion *mr = fr->mr;
    hwaddr off = fr->offset_in_region + (addr - fr->start);

    switch (mr->kind) {
    case MR_RAM:
        if (mr->ram_device) {
            break;
        }
        return ram_access(mr, off, buf, *plen, is_write, fr->readonly);
    case MR_IOMMU:
        return iommu_access(mr, off, buf, plen, is_write, depth);
    case MR_IO:
        if (!mr->ops) {
            break;
        }
        return mmio_access(mr, off, buf, *plen, is_write, fr->readonly);
    default:
        break;
    }
    return bus_error(buf, *plen, is_write);
}

/* len >= 1 and [addr, addr + len - 1] does not wrap. */
static MemTxResult flatview_rw(AddressSpace *as, hwaddr addr, uint8_t *buf,
                               hwaddr len, bool is_write, int depth)
{
    MemTxResult res = MEMTX_OK;

    while (len) {
        const FlatRange *fr = flatview_lookup(as->current_map, addr);
        hwaddr l;

        if (fr) {
            l = MIN(len - 1, fr->last - addr) + 1;
            res |= flatrange_rw(fr, addr, buf, &l, is_write, depth);
        } else {
            l = unassigned_len(as->current_map, addr, len);
            res |= bus_error(buf, l, is_write);
        }
        addr += l;
        buf += l;
        len -= l;
    }
    return res;
}

MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                             void *buf, hwaddr len, bool is_write)
{
    hwaddr first;

    if (!len || addr + (len - 1) >= addr) {
        return len ? flatview_rw(as, addr, buf, len, is_write, 0) : MEMTX_OK;
    }
    /* A transfer may not wrap around the end of the address space. */
    first = -addr;
    return flatview_rw(as, addr, buf, first, is_write, 0) |
           bus_error((uint8_t *)buf + first, len - first, is_write);
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, void *buf, hwaddr len)
{
    return address_space_rw(as, addr, attrs, buf, len, false);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                MemTxAttrs attrs, const void *buf,
                                hwaddr len)
{
    return address_space_rw(as, addr, attrs, (void *)buf, len, true);
}

MemTxResult address_space_set(AddressSpace *as, hwaddr addr, uint8_t c,
                              hwaddr len, MemTxAttrs attrs)
{
    uint8_t chunk[4096];
    MemTxResult res = MEMTX_OK;

    memset(chunk, c, sizeof(chunk));
    while (len) {
        hwaddr l = MIN(len, sizeof(chunk));

        res |= address_space_write(as, addr, attrs, chunk, l);
        addr += l;
        len -= l;
    }
    return res;
}

uint32_t address_space_ldl_be(AddressSpace *as, hwaddr addr, MemTxResult *res)
{
    uint8_t b[4];
    MemTxResult r = address_space_read(as, addr, MEMTXATTRS_UNSPECIFIED, b, 4);

    if (res) {
        *res = r;
    }
    return ldl_be_p(b);
}

uint64_t address_space_ldq_be(AddressSpace *as, hwaddr addr, MemTxResult *res)
{
    uint8_t b[8];
    MemTxResult r = address_space_read(as, addr, MEMTXATTRS_UNSPECIFIED, b, 8);

    if (res) {
        *res = r;
    }
    return ldq_be_p(b);
}

void address_space_stl_be(AddressSpace *as, hwaddr addr, uint32_t val,
                          MemTxResult *res)
{
    uint8_t b[4];
    MemTxResult r;

    stl_be_p(b, val);
    r = address_space_write(as, addr, MEMTXATTRS_UNSPECIFIED, b, 4);
    if (res) {
        *res = r;
    }
}

void *address_space_get_ram_ptr(AddressSpace *as, hwaddr addr, hwaddr *plen,
                                MemoryRegion **pmr)
{
    const FlatRange *fr = flatview_lookup(as->current_map, addr);
    hwaddr off;

    if (!fr || fr->mr->kind != MR_RAM || fr->mr->ram_device) {
        return NULL;
    }
    off = fr->offset_in_region + (addr - fr->start);
    if (plen) {
        hwaddr left_m1 = fr->last - addr;

        *plen = left_m1 == UINT64_MAX ? UINT64_MAX : left_m1 + 1;
    }
    if (pmr) {
        *pmr = fr->mr;
    }
    return fr->mr->ram_ptr + off;
}
