/*
 * Sparse TCE storage: root -> directory -> leaf.
 *
 * index bits: [ root | 12 directory bits | 9 leaf bits ]; the root has as
 * many slots as the table needs (at most 2^11 for 2^32 entries).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/slab.h"
#include "hw/ppc/spapr_tce_store.h"

#define TCE_DIR_BITS    12
#define TCE_DIR_SIZE    (1u << TCE_DIR_BITS)
#define TCE_MAX_ENTRIES (1ULL << 32)

typedef struct TceLeaf {
    uint64_t e[TCE_LEAF_SIZE];
} TceLeaf;

typedef struct TceDir {
    TceLeaf *leaf[TCE_DIR_SIZE];
    uint16_t used[TCE_DIR_SIZE];    /* non-zero entries in each leaf */
    unsigned nleaves;
} TceDir;

struct SpaprTceStore {
    uint64_t size;
    uint64_t nonzero;
    uint64_t valid;             /* entries with a permission bit */
    uint64_t bytes;
    unsigned nroot;
    TceDir **root;
    QemuSlab leaves;            /* huge-page backed once the table is dense */
};

static inline unsigned root_idx(uint64_t idx)
{
    return idx >> (TCE_LEAF_BITS + TCE_DIR_BITS);
}

static inline unsigned dir_idx(uint64_t idx)
{
    return (idx >> TCE_LEAF_BITS) & (TCE_DIR_SIZE - 1);
}

static inline unsigned leaf_idx(uint64_t idx)
{
    return idx & (TCE_LEAF_SIZE - 1);
}

SpaprTceStore *spapr_tce_store_new(uint64_t nb)
{
    SpaprTceStore *s;
    uint64_t per_root = (uint64_t)TCE_LEAF_SIZE * TCE_DIR_SIZE;

    if (nb == 0 || nb > TCE_MAX_ENTRIES) {
        return NULL;
    }
    s = g_new0(SpaprTceStore, 1);
    s->size = nb;
    s->nroot = (nb + per_root - 1) / per_root;
    s->root = g_new0(TceDir *, s->nroot);
    s->bytes = sizeof(*s) + s->nroot * sizeof(TceDir *);
    qemu_slab_init(&s->leaves, sizeof(TceLeaf));
    return s;
}

void spapr_tce_store_free(SpaprTceStore *s)
{
    if (!s) {
        return;
    }
    for (unsigned r = 0; r < s->nroot; r++) {
        TceDir *d = s->root[r];

        g_free(d);      /* leaves go with the slab */
    }
    qemu_slab_destroy(&s->leaves);
    g_free(s->root);
    g_free(s);
}

uint64_t spapr_tce_store_size(const SpaprTceStore *s)
{
    return s->size;
}

uint64_t spapr_tce_store_get(const SpaprTceStore *s, uint64_t idx)
{
    TceDir *d = s->root[root_idx(idx)];
    TceLeaf *l = d ? d->leaf[dir_idx(idx)] : NULL;

    return l ? l->e[leaf_idx(idx)] : 0;
}

static TceLeaf *leaf_get_alloc(SpaprTceStore *s, uint64_t idx, TceDir **pd)
{
    TceDir **dp = &s->root[root_idx(idx)];
    TceLeaf **lp;

    if (!*dp) {
        *dp = g_new0(TceDir, 1);
        s->bytes += sizeof(TceDir);
    }
    lp = &(*dp)->leaf[dir_idx(idx)];
    if (!*lp) {
        *lp = qemu_slab_alloc0(&s->leaves);
        if (!*lp) {
            g_error("TCE table: out of host memory");   /* as g_malloc */
        }
        (*dp)->nleaves++;
        s->bytes += sizeof(TceLeaf);
    }
    *pd = *dp;
    return *lp;
}

static void leaf_release(SpaprTceStore *s, TceDir *d, unsigned di,
                         unsigned ri)
{
    qemu_slab_free(&s->leaves, d->leaf[di]);
    d->leaf[di] = NULL;
    s->bytes -= sizeof(TceLeaf);
    if (--d->nleaves == 0) {
        g_free(d);
        s->root[ri] = NULL;
        s->bytes -= sizeof(TceDir);
    }
}

uint64_t spapr_tce_store_xchg(SpaprTceStore *s, uint64_t idx, uint64_t val)
{
    TceDir *d = s->root[root_idx(idx)];
    TceLeaf *l = d ? d->leaf[dir_idx(idx)] : NULL;
    uint64_t old;

    if (!l) {
        if (!val) {
            return 0;   /* clearing what was never set costs nothing */
        }
        l = leaf_get_alloc(s, idx, &d);
    }
    old = l->e[leaf_idx(idx)];
    l->e[leaf_idx(idx)] = val;
    s->valid += !!(val & TCE_VALID_BITS) - !!(old & TCE_VALID_BITS);
    if (!old != !val) {
        int delta = val ? 1 : -1;

        d->used[dir_idx(idx)] += delta;
        s->nonzero += delta;
        if (!d->used[dir_idx(idx)]) {
            leaf_release(s, d, dir_idx(idx), root_idx(idx));
        }
    }
    return old;
}

/*
 * Stores chunk entries (list, or val when list is NULL) from idx, all in
 * one leaf: one lookup for the leaf and the counters updated once, which
 * is what makes mapping all of RAM in 512-entry hcalls cheap.
 */
static void store_leaf_range(SpaprTceStore *s, uint64_t idx, unsigned chunk,
                             const uint64_t *list, uint64_t val)
{
    unsigned li = leaf_idx(idx), di = dir_idx(idx);
    TceDir *d = s->root[root_idx(idx)];
    TceLeaf *l = d ? d->leaf[di] : NULL;
    int64_t dnz = 0, dvalid = 0;

    if (!l) {
        unsigned i = 0;

        /* Zeros over a missing leaf change nothing */
        while (list && i < chunk && !list[i]) {
            i++;
        }
        if (list ? i == chunk : !val) {
            return;
        }
        l = leaf_get_alloc(s, idx, &d);
    }
    for (unsigned i = 0; i < chunk; i++) {
        uint64_t v = list ? list[i] : val, old = l->e[li + i];

        l->e[li + i] = v;
        dnz += (v != 0) - (old != 0);
        dvalid += !!(v & TCE_VALID_BITS) - !!(old & TCE_VALID_BITS);
    }
    d->used[di] += dnz;
    s->nonzero += dnz;
    s->valid += dvalid;
    if (!d->used[di]) {
        leaf_release(s, d, di, root_idx(idx));
    }
}

static void store_range(SpaprTceStore *s, uint64_t idx, uint64_t n,
                        const uint64_t *list, uint64_t val)
{
    const uint64_t per_root = (uint64_t)TCE_LEAF_SIZE * TCE_DIR_SIZE;

    while (n) {
        uint64_t chunk = MIN(n, TCE_LEAF_SIZE - leaf_idx(idx));

        if (!list && !val && !s->root[root_idx(idx)]) {
            /* Zeroing where no directory exists: skip all of it */
            chunk = MIN(n, per_root - (idx & (per_root - 1)));
        } else {
            store_leaf_range(s, idx, chunk, list, val);
        }
        idx += chunk;
        n -= chunk;
        if (list) {
            list += chunk;
        }
    }
}

void spapr_tce_store_fill(SpaprTceStore *s, uint64_t idx, uint64_t n,
                          uint64_t val)
{
    store_range(s, idx, n, NULL, val);
}

void spapr_tce_store_write(SpaprTceStore *s, uint64_t idx, uint64_t n,
                           const uint64_t *list)
{
    store_range(s, idx, n, list, 0);
}

uint64_t spapr_tce_store_nonzero(const SpaprTceStore *s)
{
    return s->nonzero;
}

uint64_t spapr_tce_store_valid(const SpaprTceStore *s)
{
    return s->valid;
}

uint64_t spapr_tce_store_bytes(const SpaprTceStore *s)
{
    return s->bytes;
}

int spapr_tce_store_foreach_leaf(const SpaprTceStore *s,
                                 int (*fn)(uint64_t first,
                                           const uint64_t *entries,
                                           unsigned n, void *opaque),
                                 void *opaque)
{
    for (unsigned r = 0; r < s->nroot; r++) {
        TceDir *d = s->root[r];

        for (unsigned i = 0; d && i < TCE_DIR_SIZE; i++) {
            uint64_t first = ((uint64_t)r << (TCE_LEAF_BITS + TCE_DIR_BITS)) |
                             ((uint64_t)i << TCE_LEAF_BITS);
            int ret;

            if (!d->leaf[i]) {
                continue;
            }
            ret = fn(first, d->leaf[i]->e,
                     MIN(TCE_LEAF_SIZE, s->size - first), opaque);
            if (ret) {
                return ret;
            }
        }
    }
    return 0;
}
