/*
 * TCE storage: extents for long runs, a sparse radix tree for the rest.
 *
 * Dense index bits: [ root | 12 directory bits | 9 leaf bits ]; the root
 * has as many slots as the table needs (at most 2^11 for 2^32 entries).
 * Extents sit in a balanced tree ordered by first index; each covers only
 * non-zero entries, and no leaf entry under an extent is non-zero.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "qemu/slab.h"
#include "hw/ppc/spapr_tce_store.h"

#define TCE_DIR_BITS    12
#define TCE_DIR_SIZE    (1u << TCE_DIR_BITS)
#define TCE_PER_ROOT    ((uint64_t)TCE_LEAF_SIZE * TCE_DIR_SIZE)
#define TCE_MAX_ENTRIES (1ULL << 32)

typedef struct TceLeaf {
    uint64_t e[TCE_LEAF_SIZE];
} TceLeaf;

typedef struct TceDir {
    TceLeaf *leaf[TCE_DIR_SIZE];
    uint16_t used[TCE_DIR_SIZE];    /* non-zero entries in each leaf */
    unsigned nleaves;
} TceDir;

typedef struct TceExtent {
    uint64_t start, count, first, step;
} TceExtent;

struct SpaprTceStore {
    uint64_t size;
    uint64_t page_size;
    uint64_t nonzero;
    uint64_t valid;             /* entries with a permission bit */
    uint64_t bytes;
    unsigned nroot;
    TceDir **root;
    QemuSlab leaves;            /* huge-page backed once the table is dense */
    GTree *extents;             /* TceExtent, key and value alike */
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

static gint extent_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
    const TceExtent *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

SpaprTceStore *spapr_tce_store_new(uint64_t nb, uint64_t page_size)
{
    SpaprTceStore *s;

    if (nb == 0 || nb > TCE_MAX_ENTRIES) {
        return NULL;
    }
    s = g_new0(SpaprTceStore, 1);
    s->size = nb;
    s->page_size = page_size;
    s->nroot = (nb + TCE_PER_ROOT - 1) / TCE_PER_ROOT;
    s->root = g_new0(TceDir *, s->nroot);
    s->bytes = sizeof(*s) + s->nroot * sizeof(TceDir *);
    s->extents = g_tree_new_full(extent_cmp, NULL, NULL, g_free);
    qemu_slab_init(&s->leaves, sizeof(TceLeaf));
    return s;
}

void spapr_tce_store_free(SpaprTceStore *s)
{
    if (!s) {
        return;
    }
    for (unsigned r = 0; r < s->nroot; r++) {
        g_free(s->root[r]);     /* leaves go with the slab */
    }
    qemu_slab_destroy(&s->leaves);
    g_tree_destroy(s->extents);
    g_free(s->root);
    g_free(s);
}

uint64_t spapr_tce_store_size(const SpaprTceStore *s)
{
    return s->size;
}

/* Extents */

static inline uint64_t extent_end(const TceExtent *e)
{
    return e->start + e->count;
}

/* The last entry (extents never wrap, so no joins across 2^64 either) */
static inline uint64_t extent_last(const TceExtent *e)
{
    return e->first + (e->count - 1) * e->step;
}

static inline uint64_t extent_valid(const TceExtent *e, uint64_t n)
{
    return (e->first & TCE_VALID_BITS) ? n : 0;
}

/* The extent whose start is the largest <= idx, or NULL. */
static GTreeNode *extent_floor(const SpaprTceStore *s, uint64_t idx)
{
    TceExtent key = { .start = idx };
    GTreeNode *n = g_tree_upper_bound(s->extents, &key);

    return n ? g_tree_node_previous(n) : g_tree_node_last(s->extents);
}

static const TceExtent *extent_at(const SpaprTceStore *s, uint64_t idx)
{
    GTreeNode *n = extent_floor(s, idx);
    const TceExtent *e = n ? g_tree_node_value(n) : NULL;

    return e && idx < extent_end(e) ? e : NULL;
}

static void extent_account(SpaprTceStore *s, const TceExtent *e, uint64_t n,
                           int sign)
{
    s->nonzero += sign * n;
    s->valid += sign * extent_valid(e, n);
}

static void extent_insert(SpaprTceStore *s, uint64_t start, uint64_t count,
                          uint64_t first, uint64_t step)
{
    TceExtent *e = g_new(TceExtent, 1);

    *e = (TceExtent) { start, count, first, step };
    g_tree_insert(s->extents, e, e);
    s->bytes += TCE_EXTENT_BYTES;
    extent_account(s, e, count, 1);
}

static void extent_delete(SpaprTceStore *s, TceExtent *e)
{
    extent_account(s, e, e->count, -1);
    s->bytes -= TCE_EXTENT_BYTES;
    g_tree_remove(s->extents, e);
}

/* Removes [lo, hi) from every extent: trims, splits or deletes. */
static void extents_clear(SpaprTceStore *s, uint64_t lo, uint64_t hi)
{
    GTreeNode *n;
    TceExtent *e;

    if (!g_tree_nnodes(s->extents)) {
        return;
    }
    n = extent_floor(s, lo);
    e = n ? g_tree_node_value(n) : NULL;
    if (e && e->start < lo && extent_end(e) > lo) {
        uint64_t keep = lo - e->start, end = extent_end(e);

        if (end > hi) {         /* a write in the middle: split */
            extent_insert(s, hi, end - hi, e->first + (hi - e->start) * e->step,
                          e->step);
        }
        extent_account(s, e, e->count - keep, -1);
        e->count = keep;
    }
    for (;;) {
        TceExtent key = { .start = lo };

        n = g_tree_lower_bound(s->extents, &key);
        e = n ? g_tree_node_value(n) : NULL;
        if (!e || e->start >= hi) {
            return;
        }
        if (extent_end(e) <= hi) {
            extent_delete(s, e);
            continue;
        }
        /* Trim the head: the order of the tree does not change. */
        extent_account(s, e, hi - e->start, -1);
        e->first += (hi - e->start) * e->step;
        e->count -= hi - e->start;
        e->start = hi;
        return;
    }
}

/* Stores a run as an extent, joined to its neighbours when they continue. */
static void extent_put(SpaprTceStore *s, const SpaprTceRun *r)
{
    GTreeNode *n = extent_floor(s, r->start);
    TceExtent *prev = n ? g_tree_node_value(n) : NULL, *next;
    uint64_t end = r->start + r->count;
    TceExtent key = { .start = end };

    n = g_tree_lower_bound(s->extents, &key);
    next = n ? g_tree_node_value(n) : NULL;
    if (prev && extent_end(prev) == r->start && prev->step == r->step &&
        spapr_tce_run_follows(extent_last(prev), r->first, r->step)) {
        extent_account(s, prev, r->count, 1);
        prev->count += r->count;
    } else {
        extent_insert(s, r->start, r->count, r->first, r->step);
        prev = (TceExtent *)extent_at(s, r->start);
    }
    if (next && next->start == end && next->step == prev->step &&
        spapr_tce_run_follows(extent_last(prev), next->first, prev->step)) {
        uint64_t more = next->count;

        extent_delete(s, next);
        extent_account(s, prev, more, 1);
        prev->count += more;
    }
}

/*
 * Whether a run can be an extent: long, of non-zero entries throughout
 * (no wrap), the permission bits the same in every entry.
 */
static bool run_is_extent(const SpaprTceRun *r)
{
    uint64_t last;

    return r->count >= TCE_EXTENT_MIN && r->first &&
           !(r->step & TCE_VALID_BITS) &&
           !umul64_overflow(r->count - 1, r->step, &last) &&
           !uadd64_overflow(r->first, last, &last);
}

uint64_t spapr_tce_store_extents(const SpaprTceStore *s)
{
    return g_tree_nnodes(s->extents);
}

/* Dense leaves */

static uint64_t dense_get(const SpaprTceStore *s, uint64_t idx)
{
    TceDir *d = s->root[root_idx(idx)];
    TceLeaf *l = d ? d->leaf[dir_idx(idx)] : NULL;

    return l ? l->e[leaf_idx(idx)] : 0;
}

uint64_t spapr_tce_store_get(const SpaprTceStore *s, uint64_t idx)
{
    const TceExtent *e;

    if (g_tree_nnodes(s->extents) && (e = extent_at(s, idx))) {
        return e->first + (idx - e->start) * e->step;
    }
    return dense_get(s, idx);
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
        /* Callers stay within the TCE budget, so this is the host's limit */
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

/* Entry i of what a dense write stores: the list's, or first + i * step. */
typedef struct DenseSrc {
    const uint64_t *list;
    const uint8_t *be;
    uint64_t first, step;
} DenseSrc;

static inline uint64_t dense_val(const DenseSrc *v, uint64_t i)
{
    return v->list ? v->list[i] :
           v->be ? ldq_be_p(v->be + i * 8) : v->first + i * v->step;
}

static bool dense_all_zero(const DenseSrc *v, uint64_t off, unsigned n)
{
    if (!v->list && !v->be) {
        return !dense_val(v, off) && (n == 1 || !v->step);
    }
    for (unsigned i = 0; i < n; i++) {
        if (dense_val(v, off + i)) {
            return false;
        }
    }
    return true;
}

typedef struct LeafDelta {
    int64_t nz, valid;
} LeafDelta;

static inline void leaf_set(uint64_t *e, uint64_t val, LeafDelta *d)
{
    uint64_t old = *e;

    *e = val;
    d->nz += (val != 0) - (old != 0);
    d->valid += !!(val & TCE_VALID_BITS) - !!(old & TCE_VALID_BITS);
}

/* One loop per kind of source: the branch stays out of the loop. */
static void leaf_store(uint64_t *e, unsigned n, const DenseSrc *v,
                       uint64_t off, LeafDelta *d)
{
    if (v->list) {
        for (unsigned i = 0; i < n; i++) {
            leaf_set(&e[i], v->list[off + i], d);
        }
    } else if (v->be) {
        for (unsigned i = 0; i < n; i++) {
            leaf_set(&e[i], ldq_be_p(v->be + (off + i) * 8), d);
        }
    } else if (!v->step) {
        for (unsigned i = 0; i < n; i++) {
            leaf_set(&e[i], v->first, d);
        }
    } else {
        uint64_t val = v->first + off * v->step;

        for (unsigned i = 0; i < n; i++, val += v->step) {
            leaf_set(&e[i], val, d);
        }
    }
}

/*
 * Stores chunk entries (v from offset off) from idx, all in one leaf: one
 * lookup for the leaf and the counters updated once.
 */
static void dense_leaf_range(SpaprTceStore *s, uint64_t idx, unsigned chunk,
                             const DenseSrc *v, uint64_t off)
{
    unsigned li = leaf_idx(idx), di = dir_idx(idx);
    TceDir *d = s->root[root_idx(idx)];
    TceLeaf *l = d ? d->leaf[di] : NULL;
    LeafDelta delta = { 0 };

    if (!l) {
        if (dense_all_zero(v, off, chunk)) {
            return;     /* zeros over a missing leaf change nothing */
        }
        l = leaf_get_alloc(s, idx, &d);
    }
    leaf_store(&l->e[li], chunk, v, off, &delta);
    d->used[di] += delta.nz;
    s->nonzero += delta.nz;
    s->valid += delta.valid;
    if (!d->used[di]) {
        leaf_release(s, d, di, root_idx(idx));
    }
}

static void dense_range(SpaprTceStore *s, uint64_t idx, uint64_t n,
                        const DenseSrc *v)
{
    bool zero = !v->list && !v->be && !v->first && !v->step;
    uint64_t off = 0;

    while (off < n) {
        uint64_t chunk = MIN(n - off, TCE_LEAF_SIZE - leaf_idx(idx));

        if (zero && !s->root[root_idx(idx)]) {
            /* Zeroing where no directory exists: skip all of it */
            chunk = MIN(n - off, TCE_PER_ROOT - (idx & (TCE_PER_ROOT - 1)));
        } else {
            dense_leaf_range(s, idx, chunk, v, off);
        }
        idx += chunk;
        off += chunk;
    }
}

void spapr_tce_store_put_run(SpaprTceStore *s, const SpaprTceRun *r)
{
    DenseSrc v = { .first = r->first, .step = r->step };

    if (!r->count) {
        return;
    }
    extents_clear(s, r->start, r->start + r->count);
    if (run_is_extent(r)) {
        DenseSrc zero = { 0 };

        dense_range(s, r->start, r->count, &zero);
        extent_put(s, r);
    } else {
        dense_range(s, r->start, r->count, &v);
    }
}

void spapr_tce_store_write(SpaprTceStore *s, uint64_t idx, uint64_t n,
                           const uint64_t *list)
{
    DenseSrc v = { .list = list };

    extents_clear(s, idx, idx + n);
    dense_range(s, idx, n, &v);
}

void spapr_tce_store_write_be(SpaprTceStore *s, uint64_t idx, uint64_t n,
                              const uint8_t *be)
{
    DenseSrc v = { .be = be };

    extents_clear(s, idx, idx + n);
    dense_range(s, idx, n, &v);
}

bool spapr_tce_store_run_is_extent(const SpaprTceRun *run)
{
    return run_is_extent(run);
}

void spapr_tce_store_fill(SpaprTceStore *s, uint64_t idx, uint64_t n,
                          uint64_t val)
{
    SpaprTceRun r = { .start = idx, .count = n, .first = val };

    spapr_tce_store_put_run(s, &r);
}

uint64_t spapr_tce_store_xchg(SpaprTceStore *s, uint64_t idx, uint64_t val)
{
    uint64_t old = spapr_tce_store_get(s, idx);

    spapr_tce_store_fill(s, idx, 1, val);
    return old;
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

uint64_t spapr_tce_store_run_cost(const SpaprTceRun *r)
{
    /* A split adds one extent; a short run touches at most two leaves */
    uint64_t cost = TCE_EXTENT_BYTES * 2;

    if (!run_is_extent(r) && (r->first || r->step)) {
        uint64_t leaves = r->count / TCE_LEAF_SIZE + 2;

        cost += leaves * sizeof(TceLeaf) +
                (leaves / TCE_DIR_SIZE + 2) * sizeof(TceDir);
    }
    return cost;
}

void spapr_tce_store_cost_add(SpaprTceCost *c, const SpaprTceRun *r)
{
    uint64_t last, l0, l1, d0, d1, add = TCE_EXTENT_BYTES * 2;

    if (r->start > UINT32_MAX || r->count > (1ULL << 32)) {
        c->bytes = UINT64_MAX;      /* no table is that big: refused */
        return;
    }
    if (r->count && !run_is_extent(r) && (r->first || r->step)) {
        last = r->start + r->count - 1;
        l0 = r->start / TCE_LEAF_SIZE;
        l1 = last / TCE_LEAF_SIZE;
        d0 = l0 / TCE_DIR_SIZE;
        d1 = l1 / TCE_DIR_SIZE;
        add += (l1 - l0 + 1 - (l0 + 1 == c->leaf_end)) * sizeof(TceLeaf) +
               (d1 - d0 + 1 - (d0 + 1 == c->dir_end)) * sizeof(TceDir);
        c->leaf_end = l1 + 1;
        c->dir_end = d1 + 1;
    }
    if (uadd64_overflow(c->bytes, add, &c->bytes)) {
        c->bytes = UINT64_MAX;
    }
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

/* The run walk: pieces (extents, leaf runs) joined into maximal runs. */

typedef struct RunWalk {
    const SpaprTceStore *s;
    bool (*fn)(const SpaprTceRun *run, void *opaque);
    void *opaque;
    SpaprTceRun open;           /* count 0: none */
} RunWalk;

static bool walk_flush(RunWalk *w)
{
    bool ok = true;

    if (w->open.count) {
        ok = w->fn(&w->open, w->opaque);
        w->open.count = 0;
    }
    return ok;
}

/* Adds a piece (count >= 1, non-zero entries), extending the open run. */
static bool walk_piece(RunWalk *w, const SpaprTceRun *p)
{
    SpaprTceRun *o = &w->open;
    uint64_t last = o->first + (o->count - 1) * o->step;

    if (o->count && o->start + o->count == p->start) {
        if (o->count == 1 && (p->count == 1 || p->step == p->first - o->first) &&
            (p->first == o->first ||
             spapr_tce_run_follows(o->first, p->first, w->s->page_size))) {
            o->step = p->first - o->first;
            o->count += p->count;
            return true;
        }
        if (o->count > 1 && spapr_tce_run_follows(last, p->first, o->step) &&
            (p->count == 1 || p->step == o->step)) {
            o->count += p->count;
            return true;
        }
    }
    if (!walk_flush(w)) {
        return false;
    }
    *o = *p;
    if (o->count == 1) {
        o->step = 0;
    }
    return true;
}

/* The leaf entries e[0..n-1] of indexes first.. as pieces. */
static bool walk_leaf_entries(RunWalk *w, uint64_t first, const uint64_t *e,
                              unsigned n)
{
    uint64_t ps = w->s->page_size;
    unsigned i = 0;

    while (i < n) {
        SpaprTceRun p = { .start = first + i, .count = 1, .first = e[i] };

        if (!e[i]) {
            if (!walk_flush(w)) {
                return false;
            }
            i++;
            continue;
        }
        if (i + 1 < n && (e[i + 1] == e[i] ||
                          spapr_tce_run_follows(e[i], e[i + 1], ps))) {
            p.step = e[i + 1] - e[i];
            while (i + p.count < n &&
                   spapr_tce_run_follows(e[i + p.count - 1], e[i + p.count],
                                         p.step)) {
                p.count++;
            }
        }
        if (!walk_piece(w, &p)) {
            return false;
        }
        i += p.count;
    }
    return true;
}

/* Leaf entries in [lo, hi), skipping what is not allocated. */
static bool walk_dense(RunWalk *w, uint64_t lo, uint64_t hi)
{
    const SpaprTceStore *s = w->s;
    uint64_t idx = lo;

    while (idx < hi) {
        TceDir *d = s->root[root_idx(idx)];
        TceLeaf *l;
        uint64_t chunk;

        if (!d) {
            chunk = TCE_PER_ROOT - (idx & (TCE_PER_ROOT - 1));
        } else {
            chunk = TCE_LEAF_SIZE - leaf_idx(idx);
        }
        chunk = MIN(chunk, hi - idx);
        l = d ? d->leaf[dir_idx(idx)] : NULL;
        if (l) {
            if (!walk_leaf_entries(w, idx, &l->e[leaf_idx(idx)], chunk)) {
                return false;
            }
        } else if (!walk_flush(w)) {
            return false;
        }
        idx += chunk;
    }
    return true;
}

bool spapr_tce_store_foreach_run(const SpaprTceStore *s, uint64_t lo,
                                 uint64_t hi,
                                 bool (*fn)(const SpaprTceRun *run,
                                            void *opaque),
                                 void *opaque)
{
    RunWalk w = { .s = s, .fn = fn, .opaque = opaque };
    GTreeNode *n;
    uint64_t cur = lo;

    hi = MIN(hi, s->size);
    n = g_tree_nnodes(s->extents) ? extent_floor(s, lo) : NULL;
    if (!n && g_tree_nnodes(s->extents)) {
        n = g_tree_node_first(s->extents);
    }
    for (; n && cur < hi; n = g_tree_node_next(n)) {
        const TceExtent *e = g_tree_node_value(n);
        uint64_t a = MAX(e->start, lo), b = MIN(extent_end(e), hi);
        SpaprTceRun p;

        if (b <= a) {
            if (e->start >= hi) {
                break;
            }
            continue;
        }
        if (!walk_dense(&w, cur, a)) {
            return false;
        }
        p = (SpaprTceRun) { a, b - a, e->first + (a - e->start) * e->step,
                            e->step };
        if (!walk_piece(&w, &p)) {
            return false;
        }
        cur = b;
    }
    return walk_dense(&w, cur, hi) && walk_flush(&w);
}
