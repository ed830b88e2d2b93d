/*
 * RAM precopy, destination side: page records are written into guest RAM
 * as they arrive, so an incoming migration needs no more memory than the
 * guest's touched RAM.  Each page written is marked in a bitmap per block
 * (lazily backed, like the dirty bitmap), which is what lets a refused
 * stream be discarded: those pages go back to zero, and anonymous RAM is
 * returned to the host.
 *
 * A destination is blank, unless a qtest client wrote to it while it
 * waited for the stream: before the stream first overwrites a page that
 * is not blank, a copy is kept (MIG_RAM_SAVED_MAX bytes in all, taken
 * with g_try_malloc), and a refusal puts it back.  Past that bound, or
 * when the copy or a bitmap cannot be had, the stream is refused before
 * the page is touched, so "refused leaves the destination unchanged"
 * always holds.
 *
 * What else writes guest RAM while the load goes on (a qtest client, a
 * device's DMA) is not the stream's to take back: a RAM write notifier
 * (system/physmem.c), registered from the stream's first page until the
 * load ends, takes wholly overwritten pages out of the restore set and
 * copies partial writes into the page's saved copy.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include "migration/ram.h"
#include "trace.h"

#define BITS_PER_WORD   (sizeof(unsigned long) * 8)

static size_t ram_load_bitmap_len(const RamBlockInfo *b)
{
    uint64_t pages = b->size >> MIG_PAGE_SHIFT;

    return (pages + BITS_PER_WORD - 1) / BITS_PER_WORD *
           sizeof(unsigned long);
}

bool ram_load_blocks(RamLoadState *rs, MigReader *r, Error **errp)
{
    uint32_t count = mig_get_be32(r);
    uint64_t saved_max = rs->saved_max;

    ram_load_cleanup(rs);       /* nothing held, nothing hooked */
    memset(rs, 0, sizeof(*rs));
    rs->saved_max = saved_max ? saved_max : MIG_RAM_SAVED_MAX;
    rs->nr_blocks = ram_blocks_collect(rs->blocks);
    if (count != rs->nr_blocks) {
        error_setg(errp, "RAM: %u blocks in the stream, %u here", count,
                   rs->nr_blocks);
        return false;
    }
    for (unsigned i = 0; i < rs->nr_blocks; i++) {
        RamBlockInfo *b = &rs->blocks[i];
        uint64_t gpa = mig_get_be64(r), size = mig_get_be64(r);

        if (r->failed || gpa != b->gpa || size != b->size) {
            error_setg(errp, "RAM block %u: 0x%" PRIx64 "+0x%" PRIx64
                       " in the stream, 0x%" PRIx64 "+0x%" PRIx64 " here",
                       i, gpa, size, b->gpa, b->size);
            return false;
        }
    }
    return true;
}

/* The block holding the page at gpa, or NULL. */
static RamBlockInfo *ram_load_find(RamLoadState *rs, uint64_t gpa,
                                   unsigned *idx)
{
    for (unsigned i = 0; i < rs->nr_blocks; i++) {
        RamBlockInfo *b = &rs->blocks[i];

        if (gpa >= b->gpa && gpa - b->gpa < b->size &&
            b->size - (gpa - b->gpa) >= MIG_PAGE_SIZE) {
            *idx = i;
            return b;
        }
    }
    return NULL;
}

static bool ram_load_marked(RamLoadState *rs, unsigned i, uint64_t page)
{
    return rs->written[i] &&
           (rs->written[i][page / BITS_PER_WORD] >> (page % BITS_PER_WORD) &
            1);
}

/* A page's worth of room in the copy budget, or NULL. */
static uint8_t *ram_load_copy_new(RamLoadState *rs, uint8_t *host)
{
    uint8_t *copy;

    if (rs->saved_bytes + MIG_PAGE_SIZE > rs->saved_max ||
        !(copy = g_try_malloc(MIG_PAGE_SIZE))) {
        return NULL;
    }
    if (!rs->saved) {
        rs->saved = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    }
    g_hash_table_insert(rs->saved, host, copy);
    rs->saved_bytes += MIG_PAGE_SIZE;
    return copy;
}

/* Keeps what host (not blank, not written by the stream yet) holds. */
static bool ram_load_save(RamLoadState *rs, uint8_t *host, Error **errp)
{
    uint8_t *copy = ram_load_copy_new(rs, host);

    if (!copy) {
        error_setg(errp, "RAM: more pages written on this destination "
                   "before the stream than can be kept (%" PRIu64 " KiB)",
                   rs->saved_max >> 10);
        return false;
    }
    memcpy(copy, host, MIG_PAGE_SIZE);
    return true;
}

static void ram_load_written(RamWriteNotifier *n, MemoryRegion *mr,
                             hwaddr off, hwaddr len);

static void ram_load_hook(RamLoadState *rs)
{
    if (!rs->hooked) {
        rs->writes.notify = ram_load_written;
        ram_write_notifier_add(&rs->writes);
        rs->hooked = true;
    }
}

/* Marks a page the stream writes, first keeping what it holds. */
static bool ram_load_mark(RamLoadState *rs, unsigned i, uint64_t page,
                          uint8_t *host, Error **errp)
{
    size_t len = ram_load_bitmap_len(&rs->blocks[i]);

    if (ram_load_marked(rs, i, page)) {
        return true;
    }
    if (!rs->written[i]) {
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

        if (p == MAP_FAILED) {
            error_setg(errp, "RAM: no memory for the bitmap of block %u", i);
            return false;
        }
        rs->written[i] = p;
        ram_load_hook(rs);
    }
    if (!ram_page_is_zero(host) && !ram_load_save(rs, host, errp)) {
        return false;
    }
    rs->written[i][page / BITS_PER_WORD] |= 1UL << (page % BITS_PER_WORD);
    rs->pages_written++;
    return true;
}

bool ram_load_page(RamLoadState *rs, MigReader *r, bool check_only,
                   Error **errp)
{
    uint64_t v = mig_get_be64(r);
    uint64_t gpa = v & ~(MIG_PAGE_SIZE - 1);
    const uint8_t *data = (v & MIG_PAGE_ZERO) ? NULL
                                              : mig_get_bytes(r, MIG_PAGE_SIZE);
    RamBlockInfo *b;
    unsigned idx;
    uint8_t *host;

    if (r->failed || (v & (MIG_PAGE_SIZE - 1) & ~MIG_PAGE_ZERO)) {
        error_setg(errp, "RAM: bad or truncated page record");
        return false;
    }
    b = ram_load_find(rs, gpa, &idx);
    if (!b) {
        error_setg(errp, "RAM: page 0x%" PRIx64 " is not guest RAM", gpa);
        return false;
    }
    if (check_only) {
        return true;
    }
    host = b->host + (gpa - b->gpa);
    if (!data && ram_page_is_zero(host)) {
        return true;        /* a blank page stays unbacked */
    }
    if (!ram_load_mark(rs, idx, (gpa - b->gpa) >> MIG_PAGE_SHIFT, host,
                       errp)) {
        return false;       /* before the page changed */
    }
    if (data) {
        memcpy(host, data, MIG_PAGE_SIZE);
    } else {
        memset(host, 0, MIG_PAGE_SIZE);
    }
    return true;
}

/*
 * Something other than the stream wrote bytes [from, to) of a page the
 * stream wrote: a refusal must leave them.  A page wholly overwritten
 * leaves the restore set; one partly overwritten gets the same bytes in
 * its copy (a page blank before gets a blank copy first), so a refusal
 * gives "before the stream, plus the later writes".  With no room for a
 * copy, the page leaves the restore set as it stands.
 */
static void ram_load_overwritten(RamLoadState *rs, unsigned i, uint64_t page,
                                 uint64_t from, uint64_t to)
{
    uint8_t *host = rs->blocks[i].host + (page << MIG_PAGE_SHIFT);
    uint8_t *copy = rs->saved ? g_hash_table_lookup(rs->saved, host) : NULL;
    bool whole = to - from == MIG_PAGE_SIZE;

    if (!whole && !copy && (copy = ram_load_copy_new(rs, host))) {
        memset(copy, 0, MIG_PAGE_SIZE);
    }
    trace_migration_ram_overwritten(rs->blocks[i].gpa +
                                    (page << MIG_PAGE_SHIFT) + from,
                                    to - from, whole || !copy);
    if (whole || !copy) {
        if (copy) {
            g_hash_table_remove(rs->saved, host);
            rs->saved_bytes -= MIG_PAGE_SIZE;
        }
        rs->written[i][page / BITS_PER_WORD] &= ~(1UL << (page %
                                                          BITS_PER_WORD));
        return;
    }
    memcpy(copy + from, host + from, to - from);
}

/* Bytes [lo, hi) of block i were written by someone else. */
static void ram_load_written_range(RamLoadState *rs, unsigned i, uint64_t lo,
                                   uint64_t hi)
{
    const unsigned long *bm = rs->written[i];
    uint64_t p = lo >> MIG_PAGE_SHIFT, last = (hi - 1) >> MIG_PAGE_SHIFT;

    while (p <= last) {
        uint64_t base = p << MIG_PAGE_SHIFT;

        if (!bm[p / BITS_PER_WORD]) {
            p = p / BITS_PER_WORD * BITS_PER_WORD + BITS_PER_WORD;
            continue;
        }
        if (ram_load_marked(rs, i, p)) {
            ram_load_overwritten(rs, i, p, MAX(lo, base) - base,
                                 MIN(hi, base + MIG_PAGE_SIZE) - base);
        }
        p++;
    }
}

/*
 * The RAM write notifier, registered from the stream's first page until
 * the load ends: O(1) per page touched (a bitmap word), nothing for
 * RAM the stream did not write.
 */
static void ram_load_written(RamWriteNotifier *n, MemoryRegion *mr,
                             hwaddr off, hwaddr len)
{
    RamLoadState *rs = container_of(n, RamLoadState, writes);

    for (unsigned i = 0; i < rs->nr_blocks; i++) {
        RamBlockInfo *b = &rs->blocks[i];
        uint64_t lo, hi;

        if (b->mr != mr || !rs->written[i] ||
            off >= b->mr_offset + b->size || off + len <= b->mr_offset) {
            continue;
        }
        lo = MAX(off, b->mr_offset) - b->mr_offset;
        hi = MIN(off + len, b->mr_offset + b->size) - b->mr_offset;
        ram_load_written_range(rs, i, lo, hi);
    }
}

/* Zeroes [off, off + len) of a block; whole host pages are dropped. */
static void ram_load_zero(RamBlockInfo *b, uint64_t off, uint64_t len)
{
    uint64_t hps = getpagesize();
    uint64_t start = (off + hps - 1) / hps * hps;
    uint64_t end = (off + len) / hps * hps;

    if (b->mr->ram_fd >= 0 || start >= end ||
        madvise(b->host + start, end - start, MADV_DONTNEED) < 0) {
        memset(b->host + off, 0, len);
        return;
    }
    memset(b->host + off, 0, start - off);
    memset(b->host + end, 0, off + len - end);
}

static void ram_load_discard_block(RamLoadState *rs, unsigned i)
{
    RamBlockInfo *b = &rs->blocks[i];
    uint64_t npages = b->size >> MIG_PAGE_SHIFT, p = 0;
    const unsigned long *bm = rs->written[i];

    while (p < npages) {
        uint64_t s;

        if (!(bm[p / BITS_PER_WORD] >> (p % BITS_PER_WORD))) {
            p = p / BITS_PER_WORD * BITS_PER_WORD + BITS_PER_WORD;
            continue;
        }
        if (!(bm[p / BITS_PER_WORD] & (1UL << (p % BITS_PER_WORD)))) {
            p++;
            continue;
        }
        for (s = p; p < npages &&
             (bm[p / BITS_PER_WORD] & (1UL << (p % BITS_PER_WORD))); p++) {
        }
        ram_load_zero(b, s << MIG_PAGE_SHIFT, (p - s) << MIG_PAGE_SHIFT);
    }
}

void ram_load_discard(RamLoadState *rs)
{
    GHashTableIter it;
    gpointer host, copy;

    trace_migration_ram_discard(rs->pages_written,
                                rs->saved_bytes >> MIG_PAGE_SHIFT);
    for (unsigned i = 0; i < rs->nr_blocks; i++) {
        if (rs->written[i]) {
            ram_load_discard_block(rs, i);
        }
    }
    if (rs->saved) {
        g_hash_table_iter_init(&it, rs->saved);
        while (g_hash_table_iter_next(&it, &host, &copy)) {
            memcpy(host, copy, MIG_PAGE_SIZE);
        }
    }
    ram_load_cleanup(rs);
}

void ram_load_cleanup(RamLoadState *rs)
{
    if (rs->hooked) {
        ram_write_notifier_remove(&rs->writes);
        rs->hooked = false;
    }
    for (unsigned i = 0; i < rs->nr_blocks; i++) {
        if (rs->written[i]) {
            munmap(rs->written[i], ram_load_bitmap_len(&rs->blocks[i]));
            rs->written[i] = NULL;
        }
    }
    if (rs->saved) {
        g_hash_table_destroy(rs->saved);
        rs->saved = NULL;
    }
    rs->saved_bytes = 0;
    rs->pages_written = 0;
}
