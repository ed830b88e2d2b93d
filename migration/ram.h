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

void ram_save_setup(RamSaveState *rs, MigWriter *w);
/* Appends page records until budget bytes; true once the round is done. */
bool ram_save_iterate(RamSaveState *rs, MigWriter *w, size_t budget);
/* Starts the next round over pages dirtied since the last one. */
void ram_save_next_round(RamSaveState *rs);
void ram_save_cleanup(RamSaveState *rs);

/* Destination: the block list record, then page records. */
bool ram_load_blocks(MigReader *r, Error **errp);
bool ram_load_page(MigReader *r, bool dry_run, Error **errp);

#endif
