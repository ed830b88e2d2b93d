/*
 * RAM precopy.
 *
 * Round 0 sends every page the host has resident (mincore()): guest RAM
 * is reserved lazily, so a page the guest never touched is not resident,
 * and a 1 TiB guest that used a few MiB costs a scan of the residency
 * vector, not 1 TiB of reads.  Resident pages that read as zero are
 * skipped too: the destination's fresh RAM is zero.  Dirty logging is on
 * from the start of round 0; every later round sends the pages written
 * through the memory API since the round before (a page that became zero
 * travels as a zero record, since the destination may hold old data).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include "migration/ram.h"
#include "trace.h"

#define RAM_RESIDENCY_CHUNK  (1ULL << 30)

typedef struct RamCollect {
    RamBlockInfo *blocks;
    unsigned n;
} RamCollect;

static void ram_collect_section(MemoryRegionSection *s, void *opaque)
{
    RamCollect *c = opaque;
    RamBlockInfo *b;

    if (!memory_region_is_ram(s->mr) || s->mr->ram_device ||
        c->n == MIG_RAM_MAX_BLOCKS) {
        return;
    }
    b = &c->blocks[c->n++];
    b->gpa = s->offset_within_address_space;
    b->size = s->size;
    b->mr = s->mr;
    b->mr_offset = s->offset_within_region;
    b->host = (uint8_t *)memory_region_get_ram_ptr(s->mr) +
              s->offset_within_region;
}

unsigned ram_blocks_collect(RamBlockInfo *blocks)
{
    RamCollect c = { .blocks = blocks };

    address_space_foreach_section(&address_space_memory, ram_collect_section,
                                  &c);
    return c.n;
}

bool ram_page_is_zero(const uint8_t *p)
{
    const uint64_t *q = (const uint64_t *)p;

    for (size_t i = 0; i < MIG_PAGE_SIZE / 8; i++) {
        if (q[i]) {
            return false;
        }
    }
    return true;
}

void ram_save_setup(RamSaveState *rs, MigWriter *w)
{
    memset(rs, 0, sizeof(*rs));
    rs->nr_blocks = ram_blocks_collect(rs->blocks);
    mig_put_be32(w, rs->nr_blocks);
    for (unsigned i = 0; i < rs->nr_blocks; i++) {
        mig_put_be64(w, rs->blocks[i].gpa);
        mig_put_be64(w, rs->blocks[i].size);
        memory_region_set_dirty_logging(rs->blocks[i].mr, true);
    }
}

/* Takes (and clears) the dirty bit of a block's page. */
static bool ram_test_and_clear_dirty(RamBlockInfo *b, uint64_t page)
{
    const unsigned bits = sizeof(unsigned long) * 8;
    uint64_t p = (b->mr_offset >> MIG_PAGE_SHIFT) + page;
    unsigned long *word;

    if (!b->mr->dirty_bitmap) {
        return false;
    }
    word = &b->mr->dirty_bitmap[p / bits];
    if (!(*word & (1UL << (p % bits)))) {
        return false;
    }
    *word &= ~(1UL << (p % bits));
    return true;
}

/* Residency of the chunk holding page (cached while the cursor is in it). */
static const unsigned char *ram_residency(RamSaveState *rs, RamBlockInfo *b,
                                          uint64_t off, uint64_t *chunk_off)
{
    uint64_t chunk = off / RAM_RESIDENCY_CHUNK;
    uint64_t start = chunk * RAM_RESIDENCY_CHUNK;
    uint64_t len = MIN(RAM_RESIDENCY_CHUNK, b->size - start);
    long host_ps = getpagesize();

    *chunk_off = start;
    if (rs->resv && rs->resv_block == rs->block && rs->resv_chunk == chunk) {
        return rs->resv;
    }
    if (!rs->resv) {
        rs->resv = g_malloc(RAM_RESIDENCY_CHUNK / host_ps + 1);
    }
    if (mincore(b->host + start, len, rs->resv) < 0) {
        /* Cannot tell (unaligned block?): treat all as resident. */
        memset(rs->resv, 1, (len + host_ps - 1) / host_ps);
    }
    rs->resv_block = rs->block;
    rs->resv_chunk = chunk;
    return rs->resv;
}

/* First index in vec[i..n) with the residency bit, or n. */
static size_t ram_vec_find(const unsigned char *vec, size_t i, size_t n)
{
    while (i < n && (i & 7)) {
        if (vec[i] & 1) {
            return i;
        }
        i++;
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t w;

        memcpy(&w, vec + i, 8);
        if (w & 0x0101010101010101ULL) {
            break;
        }
    }
    for (; i < n; i++) {
        if (vec[i] & 1) {
            return i;
        }
    }
    return n;
}

/* Next resident page at or after *page in block b; false at its end. */
static bool ram_next_resident(RamSaveState *rs, RamBlockInfo *b,
                              uint64_t *page)
{
    uint64_t npages = b->size >> MIG_PAGE_SHIFT;
    uint64_t host_ps = getpagesize();

    while (*page < npages) {
        uint64_t off = *page << MIG_PAGE_SHIFT, start;
        const unsigned char *vec = ram_residency(rs, b, off, &start);
        uint64_t end = MIN(start + RAM_RESIDENCY_CHUNK, b->size);
        size_t n = (end - start + host_ps - 1) / host_ps;
        size_t i = ram_vec_find(vec, (off - start) / host_ps, n);

        if (i < n) {
            /* the first 4 KiB page at or after off in that host page */
            *page = MAX(off, start + i * host_ps) >> MIG_PAGE_SHIFT;
            return true;
        }
        *page = end >> MIG_PAGE_SHIFT;
    }
    return false;
}

static bool ram_next_dirty(RamBlockInfo *b, uint64_t *page)
{
    const unsigned bits = sizeof(unsigned long) * 8;
    uint64_t npages = b->size >> MIG_PAGE_SHIFT;
    uint64_t base = b->mr_offset >> MIG_PAGE_SHIFT;

    if (!b->mr->dirty_bitmap) {
        return false;
    }
    while (*page < npages) {
        uint64_t p = base + *page;

        if (p % bits == 0 && !b->mr->dirty_bitmap[p / bits]) {
            *page += bits;
            continue;
        }
        if (b->mr->dirty_bitmap[p / bits] & (1UL << (p % bits))) {
            return true;
        }
        (*page)++;
    }
    return false;
}

static void ram_put_page(RamSaveState *rs, MigWriter *w, RamBlockInfo *b,
                         uint64_t page)
{
    const uint8_t *host = b->host + (page << MIG_PAGE_SHIFT);
    uint64_t gpa = b->gpa + (page << MIG_PAGE_SHIFT);

    if (ram_page_is_zero(host)) {
        rs->zero_pages++;
        if (rs->round == 0) {
            return;
        }
        mig_put_u8(w, 0x02);
        mig_put_be64(w, gpa | MIG_PAGE_ZERO);
        rs->ram_bytes += 9;
        return;
    }
    mig_put_u8(w, 0x02);
    mig_put_be64(w, gpa);
    mig_put_bytes(w, host, MIG_PAGE_SIZE);
    rs->ram_bytes += 9 + MIG_PAGE_SIZE;
    rs->pages_sent++;
    rs->round_pages++;
}

bool ram_save_iterate(RamSaveState *rs, MigWriter *w, size_t budget)
{
    size_t start = w->buf->len;

    while (rs->block < rs->nr_blocks) {
        RamBlockInfo *b = &rs->blocks[rs->block];
        bool more = rs->round == 0 ? ram_next_resident(rs, b, &rs->page)
                                   : ram_next_dirty(b, &rs->page);

        if (!more) {
            rs->block++;
            rs->page = 0;
            continue;
        }
        /* Sent now: a write from here on makes it dirty again. */
        ram_test_and_clear_dirty(b, rs->page);
        ram_put_page(rs, w, b, rs->page);
        rs->page++;
        if (w->buf->len - start >= budget) {
            return false;
        }
    }
    trace_migration_ram_round(rs->round, rs->round_pages);
    return true;
}

void ram_save_next_round(RamSaveState *rs)
{
    rs->round++;
    rs->block = 0;
    rs->page = 0;
    rs->round_pages = 0;
}

void ram_save_cleanup(RamSaveState *rs)
{
    g_clear_pointer(&rs->resv, g_free);
    for (unsigned i = 0; i < rs->nr_blocks; i++) {
        memory_region_set_dirty_logging(rs->blocks[i].mr, false);
    }
}

uint64_t ram_save_total(const RamSaveState *rs)
{
    uint64_t total = 0;

    for (unsigned i = 0; i < rs->nr_blocks; i++) {
        total += rs->blocks[i].size;
    }
    return total;
}

/*
 * What this round has yet to look at: RAM past the scan cursor.  In the
 * first round every page is a candidate, as in QEMU, whose "remaining"
 * starts at all of RAM; later rounds only send the dirty pages in it.
 */
uint64_t ram_save_remaining(const RamSaveState *rs)
{
    uint64_t left = 0;

    for (unsigned i = rs->block; i < rs->nr_blocks; i++) {
        left += rs->blocks[i].size;
    }
    if (rs->block < rs->nr_blocks) {
        left -= MIN(rs->page << MIG_PAGE_SHIFT, rs->blocks[rs->block].size);
    }
    return left;
}
