/*
 * The emulated host's multi-level TCE tables: geometry, level pages,
 * entries.  What the entries mean (windows, registered memory, MAP/UNMAP)
 * is tce.c's.
 *
 * A table is the kernel's: levels of 2^level_bits 8-byte entries, the
 * root allocated with the window and the pages below it on first use, an
 * intermediate entry holding the next level's address with both
 * permission bits set (as the kernel does), a leaf entry the userspace
 * address | TCE_READ | TCE_WRITE.  Level pages below the root of a dense
 * table come from a huge-page backed slab, freed with the table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "internal.h"

/*
 * The kernel's get_table_size() for a valid geometry (bytes to charge), and
 * the log2 of the entries in one level page.
 */
uint64_t emu_table_size(unsigned page_shift, uint64_t window_size,
                        unsigned levels, unsigned *level_bits)
{
    /*
     * Level pages of at least 4K, whatever the kernel's page size: the
     * 64K-page kernel's larger level pages (and the entry limit they
     * bring, a row of the errno table) are not part of the documented API
     * this host follows.
     */
    unsigned entries_shift = ctz64(window_size) - page_shift;
    unsigned per_level = (entries_shift + levels - 1) / levels;
    uint64_t direct = 1ULL << MAX(per_level + 3, EMU_PAGE_SHIFT);
    uint64_t tce_size = MAX(EMU_PAGE_SIZE, 1ULL << (entries_shift + 3));
    uint64_t bytes = 0;

    *level_bits = ctz64(direct) - 3;
    for (unsigned l = 0; l < levels; l++) {
        bytes += QEMU_ALIGN_UP(tce_size, direct);
        tce_size = MAX(tce_size / direct * 8, direct);
    }
    return bytes * 2;
}

EmuTceTable *emu_table_new(unsigned slot, unsigned page_shift,
                           uint64_t window_size, unsigned levels,
                           unsigned level_bits)
{
    EmuTceTable *t = g_new0(EmuTceTable, 1);

    t->root = g_try_new0(uint64_t, 1ULL << level_bits);
    if (!t->root) {
        g_free(t);
        return NULL;
    }
    t->slot = slot;
    t->start = slot ? VFIO_HOST_EMU_DMA64_START : VFIO_HOST_EMU_DMA32_START;
    t->size = window_size;
    t->page_shift = page_shift;
    t->levels = levels;
    t->level_bits = level_bits;
    t->entries = window_size >> page_shift;
    t->level_pages = 1;
    /* Dense tables fill faster from huge-page backed slabs. */
    t->slab_pages = levels > 1 && (8ULL << level_bits) <= 2 * 1024 * 1024;
    if (t->slab_pages) {
        qemu_slab_init(&t->slab, 8ULL << level_bits);
    }
    return t;
}

static uint64_t *emu_level_ptr(uint64_t entry)
{
    return (uint64_t *)(uintptr_t)(entry & ~TCE_PERM_MASK);
}

/*
 * The leaf entry for index idx; with alloc, missing levels are made, and
 * *fresh (if given) says whether the leaf page was made now (all zero).
 */
uint64_t *emu_table_entry(EmuTceTable *t, uint64_t idx, bool alloc,
                          bool *fresh)
{
    uint64_t mask = (1ULL << t->level_bits) - 1;
    uint64_t *level = t->root;
    bool made = false;

    for (unsigned l = t->levels - 1; l > 0; l--) {
        uint64_t *e = &level[(idx >> (l * t->level_bits)) & mask];

        if (!*e) {
            uint64_t *next = !alloc ? NULL :
                             t->slab_pages ? qemu_slab_alloc0(&t->slab) :
                             g_try_new0(uint64_t, mask + 1);

            if (!next) {
                return NULL;
            }
            *e = (uintptr_t)next | TCE_PERM_MASK;
            t->level_pages++;
            made = true;
        }
        level = emu_level_ptr(*e);
    }
    if (fresh) {
        *fresh = made;
    }
    return &level[idx & mask];
}

/* Frees the pages below level (slab pages go with the slab). */
static void emu_level_free(EmuTceTable *t, uint64_t *level, unsigned depth,
                           uint64_t n)
{
    if (depth > 1) {
        for (uint64_t i = 0; i < n; i++) {
            if (level[i]) {
                emu_level_free(t, emu_level_ptr(level[i]), depth - 1, n);
            }
        }
    }
    if (level != t->root && !t->slab_pages) {
        g_free(level);
    }
}

/* Frees the table and every level page (the entries say nothing more). */
void emu_table_destroy(EmuTceTable *t)
{
    emu_level_free(t, t->root, t->levels, 1ULL << t->level_bits);
    g_free(t->root);
    if (t->slab_pages) {
        qemu_slab_destroy(&t->slab);
    }
    g_free(t);
}

/* Two consecutive entries: one 16-byte store (a GCC vector, any host) */
typedef uint64_t EmuTcePair __attribute__((vector_size(16)));

/*
 * Writes n consecutive entries of a leaf page made just now: nothing to
 * replace, so no entry is read.  A whole-window replay (make bench) is
 * this loop over fresh memory: two 16-byte stores an iteration keep it
 * near memset speed, where the read-test-write loop below took about as
 * long as faulting the pages in (replay / first touch 1.7; 1.3 with
 * scalar stores; 1.1 so).
 */
void emu_table_fill_fresh(uint64_t *e, uint64_t n, uint64_t tce,
                          uint64_t ps)
{
    EmuTcePair lo = { tce, tce + ps }, hi = { tce + 2 * ps, tce + 3 * ps };
    EmuTcePair step = { 4 * ps, 4 * ps };
    uint64_t i = 0;

    for (; i + 4 <= n; i += 4) {
        memcpy(&e[i], &lo, sizeof(lo));
        memcpy(&e[i + 2], &hi, sizeof(hi));
        lo += step;
        hi += step;
    }
    for (tce += i * ps; i < n; i++, tce += ps) {
        e[i] = tce;
    }
}

static bool emu_level_walk(EmuTceTable *t, uint64_t *level, unsigned depth,
                           uint64_t base, VFIOHostEmuTceFn *fn,
                           void *opaque)
{
    uint64_t n = 1ULL << t->level_bits;

    for (uint64_t i = 0; i < n; i++) {
        uint64_t idx = (base << t->level_bits) | i;

        if (!level[i]) {
            continue;
        }
        if (depth > 1) {
            if (!emu_level_walk(t, emu_level_ptr(level[i]), depth - 1, idx,
                                fn, opaque)) {
                return false;
            }
        } else if (!fn(t->start + (idx << t->page_shift),
                       level[i] & ~TCE_PERM_MASK, level[i] & TCE_PERM_MASK,
                       t->page_shift, opaque)) {
            return false;
        }
    }
    return true;
}

/* Calls fn on every valid leaf entry, in IOVA order, until it is false. */
bool emu_table_walk(EmuTceTable *t, VFIOHostEmuTceFn *fn, void *opaque)
{
    return emu_level_walk(t, t->root, t->levels, 0, fn, opaque);
}
