/*
 * RAM precopy: what the source sends round by round, and how the
 * destination checks and applies page records.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MIGRATION_RAM_H
#define MIGRATION_RAM_H

#include "exec/memory.h"
#include "migration/qemu-file.h"

#define MIG_PAGE_SHIFT      12
#define MIG_PAGE_SIZE       (1ULL << MIG_PAGE_SHIFT)
#define MIG_RAM_MAX_BLOCKS  16
#define MIG_PAGE_ZERO       1ULL        /* flag in a page record's address */

typedef struct RamBlockInfo {
    uint64_t gpa;
    uint64_t size;
    MemoryRegion *mr;
    uint64_t mr_offset;
    uint8_t *host;
} RamBlockInfo;

typedef struct RamSaveState {
    RamBlockInfo blocks[MIG_RAM_MAX_BLOCKS];
    unsigned nr_blocks;
    int round;                  /* 0: resident pages; then dirty pages */
    unsigned block;             /* cursor: block and page within it */
    uint64_t page;
    uint64_t round_pages;       /* pages sent this round */
    uint64_t pages_sent, zero_pages;
    uint64_t ram_bytes;
    unsigned char *resv;        /* round 0: mincore() of one chunk */
    unsigned resv_block;
    uint64_t resv_chunk;
} RamSaveState;

/* The guest RAM blocks of the system address space (<= MIG_RAM_MAX_BLOCKS). */
unsigned ram_blocks_collect(RamBlockInfo *blocks);

/* Whether a 4 KiB page holds only zeros. */
bool ram_page_is_zero(const uint8_t *p);

void ram_save_setup(RamSaveState *rs, MigWriter *w);
/* Appends page records until budget bytes; true once the round is done. */
bool ram_save_iterate(RamSaveState *rs, MigWriter *w, size_t budget);
/* Starts the next round over pages dirtied since the last one. */
void ram_save_next_round(RamSaveState *rs);
void ram_save_cleanup(RamSaveState *rs);
/* query-migrate's ram.total and ram.remaining (bytes). */
uint64_t ram_save_total(const RamSaveState *rs);
uint64_t ram_save_remaining(const RamSaveState *rs);

/*
 * Destination (migration/ram-load.c): pages are written as their records
 * arrive; the pages written are remembered, with what a non-blank page
 * held before, so that a refused stream leaves RAM as it was.
 */
typedef struct RamLoadState {
    RamBlockInfo blocks[MIG_RAM_MAX_BLOCKS];
    unsigned nr_blocks;
    unsigned long *written[MIG_RAM_MAX_BLOCKS];  /* lazily backed bitmaps */
    GHashTable *saved;          /* host page -> its content before */
    uint64_t saved_bytes;
    uint64_t saved_max;         /* 0: MIG_RAM_SAVED_MAX */
    uint64_t pages_written;
    RamWriteNotifier writes;    /* registered while pages are marked */
    bool hooked;
} RamLoadState;

/*
 * What the previous content of pages the stream overwrites may take (a
 * destination's RAM is blank unless a qtest client wrote to it).
 */
#define MIG_RAM_SAVED_MAX   (64ULL << 20)

/* The block list record; false if it does not match this machine. */
bool ram_load_blocks(RamLoadState *rs, MigReader *r, Error **errp);
/*
 * One page record.  check_only: a pass that checks the stream without
 * loading RAM (the record is checked, guest RAM not written).
 */
bool ram_load_page(RamLoadState *rs, MigReader *r, bool check_only,
                   Error **errp);
/*
 * Puts back every page the stream wrote: blank ones are zeroed (and
 * given back to the host), others get their saved content.
 */
void ram_load_discard(RamLoadState *rs);
void ram_load_cleanup(RamLoadState *rs);

#endif
