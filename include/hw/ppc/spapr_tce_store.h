/*
 * Sparse storage for a TCE table: a three-level radix tree whose 4 KiB
 * leaves (512 entries) are allocated on the first non-zero write and freed
 * when they become all zero again.  Creating a 2^31-entry table costs one
 * small root array; memory then grows with the entries in use, at a little
 * over 8 bytes per non-zero entry.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PPC_SPAPR_TCE_STORE_H
#define HW_PPC_SPAPR_TCE_STORE_H

#define TCE_LEAF_BITS   9
#define TCE_LEAF_SIZE   (1u << TCE_LEAF_BITS)

typedef struct SpaprTceStore SpaprTceStore;

/* nb entries, at most 2^32; NULL if nb is 0 or too large. */
SpaprTceStore *spapr_tce_store_new(uint64_t nb);
void spapr_tce_store_free(SpaprTceStore *s);
uint64_t spapr_tce_store_size(const SpaprTceStore *s);
/* idx must be < size (callers validate guest indexes first). */
uint64_t spapr_tce_store_get(const SpaprTceStore *s, uint64_t idx);
/* Stores val and returns the previous entry. */
uint64_t spapr_tce_store_xchg(SpaprTceStore *s, uint64_t idx, uint64_t val);
/* Sets n entries from idx to val; zero fills skip unallocated leaves. */
void spapr_tce_store_fill(SpaprTceStore *s, uint64_t idx, uint64_t n,
                          uint64_t val);
/* Stores list[0..n-1] from idx, a leaf at a time. */
void spapr_tce_store_write(SpaprTceStore *s, uint64_t idx, uint64_t n,
                           const uint64_t *list);
/* Entries with a permission bit (TCE bits 0-1): valid mappings. */
#define TCE_VALID_BITS  3ULL
uint64_t spapr_tce_store_valid(const SpaprTceStore *s);
/* Entries that are non-zero now. */
uint64_t spapr_tce_store_nonzero(const SpaprTceStore *s);
/* Bytes allocated for the table (root, directories, leaves). */
uint64_t spapr_tce_store_bytes(const SpaprTceStore *s);
/*
 * Calls fn for each allocated leaf in index order with its first index
 * and entries (n <= TCE_LEAF_SIZE, clipped to the table size); cost is
 * proportional to what is allocated, not to the table size.  Stops and
 * returns fn's value when it is non-zero.
 */
int spapr_tce_store_foreach_leaf(const SpaprTceStore *s,
                                 int (*fn)(uint64_t first,
                                           const uint64_t *entries,
                                           unsigned n, void *opaque),
                                 void *opaque);

#endif
