/*
 * Storage for a TCE table.  Long progressions and constants (a direct map
 * of all RAM, an H_STUFF_TCE) are kept as extents: start, count, first
 * entry, step; a 1 TiB direct map is a handful of them.  Everything else
 * lives in dense leaves of a three-level radix tree: 4 KiB leaves (512
 * entries) allocated on the first non-zero write and freed when they
 * become all zero again.  The two never overlap: writing over an extent
 * trims or splits it.  Creating a 2^31-entry table costs one small root
 * array; memory grows with extents and with the leaves in use.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PPC_SPAPR_TCE_STORE_H
#define HW_PPC_SPAPR_TCE_STORE_H

#include "hw/ppc/spapr_tce_source.h"

#define TCE_LEAF_BITS   9
#define TCE_LEAF_SIZE   (1u << TCE_LEAF_BITS)
/* Runs at least this long become extents; shorter ones go to leaves. */
#define TCE_EXTENT_MIN  16
/* What one extent costs, node of the ordered map included. */
#define TCE_EXTENT_BYTES 96

/*
 * The most entries a TCE table has: RTAS and the migration stream carry
 * the count in a 32-bit cell, and QEMU caps windows at 2^31 TCEs.
 */
#define SPAPR_TCE_MAX_ENTRIES_SHIFT 31
#define SPAPR_TCE_MAX_ENTRIES       (1ULL << SPAPR_TCE_MAX_ENTRIES_SHIFT)

typedef struct SpaprTceStore SpaprTceStore;

/*
 * nb entries, at most 2^32 (indexes are 32-bit; the model's tables use at
 * most SPAPR_TCE_MAX_ENTRIES), of pages of page_size bytes (the step of a
 * progression); NULL if nb is 0 or too large.
 */
SpaprTceStore *spapr_tce_store_new(uint64_t nb, uint64_t page_size);
void spapr_tce_store_free(SpaprTceStore *s);
uint64_t spapr_tce_store_size(const SpaprTceStore *s);
/* idx must be < size (callers validate guest indexes first). */
uint64_t spapr_tce_store_get(const SpaprTceStore *s, uint64_t idx);
/*
 * Stores a run (run->start is the table index; the caller checks it fits):
 * a long non-zero progression or constant becomes an extent, a zero run
 * clears, anything else is written to leaves.
 */
void spapr_tce_store_put_run(SpaprTceStore *s, const SpaprTceRun *run);
/* Stores list[0..n-1] from idx into leaves, a leaf at a time. */
void spapr_tce_store_write(SpaprTceStore *s, uint64_t idx, uint64_t n,
                           const uint64_t *list);
/* The same from 8-byte big-endian entries (a guest's or a stream's list). */
void spapr_tce_store_write_be(SpaprTceStore *s, uint64_t idx, uint64_t n,
                              const uint8_t *be);
/* Whether put_run would keep the run as an extent. */
bool spapr_tce_store_run_is_extent(const SpaprTceRun *run);
/* Stores val and returns the previous entry. */
uint64_t spapr_tce_store_xchg(SpaprTceStore *s, uint64_t idx, uint64_t val);
/* Sets n entries from idx to val. */
void spapr_tce_store_fill(SpaprTceStore *s, uint64_t idx, uint64_t n,
                          uint64_t val);
/*
 * Calls fn for each maximal run of non-zero entries in [lo, hi), in index
 * order: a progression (step = page size), a constant (step 0), or a
 * single entry.  Cost follows extents and allocated leaves, not the
 * table size.  Returns false as soon as fn does.
 */
bool spapr_tce_store_foreach_run(const SpaprTceStore *s, uint64_t lo,
                                 uint64_t hi,
                                 bool (*fn)(const SpaprTceRun *run,
                                            void *opaque),
                                 void *opaque);
/* Entries with a permission bit (TCE bits 0-1): valid mappings. */
#define TCE_VALID_BITS  3ULL
uint64_t spapr_tce_store_valid(const SpaprTceStore *s);
/* Entries that are non-zero now. */
uint64_t spapr_tce_store_nonzero(const SpaprTceStore *s);
/* Bytes allocated for the table (root, directories, leaves, extents). */
uint64_t spapr_tce_store_bytes(const SpaprTceStore *s);
uint64_t spapr_tce_store_extents(const SpaprTceStore *s);
/*
 * At most how many bytes storing a run can add: a split extent, and
 * leaves (with their directories) for a run too short to be an extent.
 */
uint64_t spapr_tce_store_run_cost(const SpaprTceRun *run);
/*
 * The same for runs stored one after another (run->start set) into
 * entries being replaced, as a migration stream's: a leaf or directory
 * the previous run ended in is counted once.  Exact for runs in index
 * order; runs out of order are priced higher, never lower.
 */
typedef struct SpaprTceCost {
    uint64_t bytes;
    uint64_t leaf_end, dir_end;     /* 1 + the previous run's last ones */
} SpaprTceCost;
void spapr_tce_store_cost_add(SpaprTceCost *c, const SpaprTceRun *run);
/*
 * Calls fn for each allocated leaf in index order with its first index
 * and entries (n <= TCE_LEAF_SIZE, clipped to the table size); extents
 * are not visited.  Stops and returns fn's value when it is non-zero.
 */
int spapr_tce_store_foreach_leaf(const SpaprTceStore *s,
                                 int (*fn)(uint64_t first,
                                           const uint64_t *entries,
                                           unsigned n, void *opaque),
                                 void *opaque);

#endif
