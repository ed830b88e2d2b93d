/*
 * The DDW fuzzer's shadow tables and host mirror.
 *
 * The shadow holds what every table must hold, as extents of one value
 * (an H_STUFF_TCE over 2^31 entries is one extent, a PUT one of length
 * 1), so that huge zero and non-zero stuffs are modelled exactly.  The
 * host mirror is what an IOMMU notifier (a stand-in for a VFIO container)
 * was told: one entry per mapped page.  The checks compare both with the
 * machine through H_GET_TCE and the table's own counters.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/ppc/spapr_tce_store.h"
#include "tests/fuzz/spapr-ddw-fuzz/fuzz.h"

typedef struct FuzzExtent {
    uint64_t start, len, tce;   /* tce != 0 */
} FuzzExtent;

static gint extent_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
    uint64_t x = GPOINTER_TO_SIZE(a), y = GPOINTER_TO_SIZE(b);

    return x < y ? -1 : x > y;
}

FuzzTable *table_by_liobn(uint64_t liobn)
{
    for (int i = 0; i < fz.ntables; i++) {
        if (fz.t[i].tcet->liobn == liobn) {
            return &fz.t[i];
        }
    }
    return NULL;
}

/* Shadow extents */

static void extent_account(FuzzTable *t, const FuzzExtent *e, bool add)
{
    uint64_t valid = e->tce & TCE_VALID_BITS ? e->len : 0;

    if (add) {
        t->shadow_nonzero += e->len;
        t->shadow_valid += valid;
    } else {
        g_assert_cmpuint(t->shadow_nonzero, >=, e->len);
        t->shadow_nonzero -= e->len;
        t->shadow_valid -= valid;
    }
}

static void extent_insert(FuzzTable *t, uint64_t start, uint64_t len,
                          uint64_t tce)
{
    FuzzExtent *e = g_new(FuzzExtent, 1);

    *e = (FuzzExtent) { start, len, tce };
    extent_account(t, e, true);
    g_tree_insert(t->shadow, GSIZE_TO_POINTER(start), e);
}

/* The extent holding idx, or NULL. */
static FuzzExtent *extent_at(FuzzTable *t, uint64_t idx)
{
    GTreeNode *n = g_tree_upper_bound(t->shadow, GSIZE_TO_POINTER(idx));
    FuzzExtent *e;

    n = n ? g_tree_node_previous(n) : g_tree_node_last(t->shadow);
    if (!n) {
        return NULL;
    }
    e = g_tree_node_value(n);
    return idx - e->start < e->len ? e : NULL;
}

uint64_t shadow_get(FuzzTable *t, uint64_t idx)
{
    FuzzExtent *e = extent_at(t, idx);

    return e ? e->tce : 0;
}

/* [idx, idx + n) now holds tce: what overlaps is cut away first. */
void shadow_set_range(FuzzTable *t, uint64_t idx, uint64_t n, uint64_t tce)
{
    uint64_t end = idx + n;
    FuzzExtent *e = extent_at(t, idx);
    GTreeNode *node;

    if (e && e->start < idx) {
        uint64_t e_end = e->start + e->len;

        extent_account(t, e, false);
        e->len = idx - e->start;
        extent_account(t, e, true);
        extent_insert(t, idx, e_end - idx, e->tce);
    }
    while ((node = g_tree_lower_bound(t->shadow, GSIZE_TO_POINTER(idx))) &&
           (e = g_tree_node_value(node))->start < end) {
        uint64_t e_end = e->start + e->len, v = e->tce;

        extent_account(t, e, false);
        g_tree_remove(t->shadow, GSIZE_TO_POINTER(e->start));
        if (e_end > end) {
            extent_insert(t, end, e_end - end, v);
        }
    }
    if (tce && n) {
        extent_insert(t, idx, n, tce);
    }
}

void shadow_set(FuzzTable *t, uint64_t idx, uint64_t tce)
{
    shadow_set_range(t, idx, 1, tce);
}

void table_forget(FuzzTable *t)
{
    g_tree_remove_all(t->shadow);
    g_hash_table_remove_all(t->host);
    t->shadow_nonzero = t->shadow_valid = 0;
}

/* The host mirror */

typedef struct UnmapRange {
    uint64_t first, last;
} UnmapRange;

static gboolean host_in_range(gpointer key, gpointer value, gpointer opaque)
{
    UnmapRange *r = opaque;
    uint64_t page = GPOINTER_TO_SIZE(key);

    return page >= r->first && page <= r->last;
}

static void host_unmap(FuzzTable *t, uint64_t first, uint64_t npages)
{
    UnmapRange r = { first, first + npages - 1 };

    if (npages > g_hash_table_size(t->host)) {
        g_hash_table_foreach_remove(t->host, host_in_range, &r);
        return;
    }
    for (uint64_t p = r.first; p <= r.last; p++) {
        g_hash_table_remove(t->host, GSIZE_TO_POINTER(p));
    }
}

/* The stand-in for VFIO: keeps what the host would have mapped. */
static bool fuzz_notify(IOMMUNotifier *n, const IOMMUTLBEvent *ev)
{
    FuzzTable *t = container_of(n, FuzzTable, n);
    uint64_t shift = t->tcet->page_shift, npages;

    g_assert_cmpuint(shift, >=, 12);
    g_assert_cmpuint(ev->page_size, ==, 1ULL << shift);
    g_assert_cmpuint(ev->iova & (ev->page_size - 1), ==, 0);
    g_assert_cmpuint(ev->size & (ev->page_size - 1), ==, 0);
    g_assert_cmpuint(ev->size, >, 0);
    g_assert_cmpuint((ev->iova + ev->size - 1) >> shift, <,
                     t->tcet->nb_table);
    npages = ev->size >> shift;
    if (ev->type == IOMMU_NOTIFIER_UNMAP) {
        host_unmap(t, ev->iova >> shift, npages);
        return true;
    }
    g_assert_cmpuint(ev->type, ==, IOMMU_NOTIFIER_MAP);
    g_assert_cmpuint(ev->perm, !=, 0);
    if (fz.refusing && chance(40)) {
        fz.refused++;
        return false;   /* a host IOMMU that cannot map this */
    }
    /* Mapped runs are bounded (512 per INDIRECT, FUZZ_LONG_MAX a stuff) */
    g_assert_cmpuint(npages, <=, FUZZ_LONG_MAX);
    for (uint64_t i = 0; i < npages; i++) {
        g_hash_table_insert(t->host, GSIZE_TO_POINTER((ev->iova >> shift) + i),
                            GSIZE_TO_POINTER((ev->translated_addr +
                                              (i << shift)) | ev->perm));
    }
    return true;
}

void fuzz_table_add(SpaprTceTable *tcet, int phb)
{
    FuzzTable *t = &fz.t[fz.ntables++];

    t->tcet = tcet;
    t->phb = phb;
    t->shadow = g_tree_new_full(extent_cmp, NULL, NULL, g_free);
    t->host = g_hash_table_new(NULL, NULL);
    iommu_notifier_init(&t->n, fuzz_notify, IOMMU_NOTIFIER_ALL, 0,
                        UINT64_MAX);
    g_assert_true(memory_region_register_iommu_notifier(
                      spapr_tce_get_iommu(tcet), &t->n, NULL));
}

/* Checks */

void check_entry(FuzzTable *t, uint64_t idx)
{
    SpaprTceTable *tc = t->tcet;
    target_ulong args[SPAPR_HCALL_NARGS] = {
        tc->liobn, tc->bus_offset + (idx << tc->page_shift),
    };
    uint64_t want = shadow_get(t, idx), mask = (1ULL << tc->page_shift) - 1;
    uint64_t host;

    g_assert_cmpint(spapr_hypercall(spapr_machine_get(), H_GET_TCE, args), ==,
                    H_SUCCESS);
    g_assert_cmphex(args[0], ==, want);
    host = (uintptr_t)g_hash_table_lookup(t->host, GSIZE_TO_POINTER(idx));
    g_assert_cmphex(host, ==, want & TCE_VALID_BITS ?
                    (want & ~mask) | (want & TCE_VALID_BITS) : 0);
}

void check_counts(FuzzTable *t)
{
    SpaprTceTable *tc = t->tcet;

    g_assert_true(!tc->nb_table == !tc->store);
    if (!tc->nb_table) {
        g_assert_cmpuint(t->shadow_nonzero, ==, 0);
        g_assert_cmpuint(g_hash_table_size(t->host), ==, 0);
        return;
    }
    g_assert_cmpuint(spapr_tce_table_mapped(tc), ==, t->shadow_valid);
    g_assert_cmpuint(spapr_tce_store_nonzero(tc->store), ==,
                     t->shadow_nonzero);
    g_assert_cmpuint(g_hash_table_size(t->host), ==, t->shadow_valid);
}

/* An extent's ends and a few entries inside; all of a short one. */
static gboolean check_extent(gpointer key, gpointer value, gpointer opaque)
{
    FuzzExtent *e = value;
    FuzzTable *t = opaque;

    if (e->len <= 32) {
        check_touched(t, e->start, e->len);
        return false;
    }
    check_entry(t, e->start - !!e->start);
    check_touched(t, e->start, 8);
    check_touched(t, e->start + e->len - 8, 8);
    for (int i = 0; i < 8; i++) {
        check_entry(t, e->start + rnd_below(e->len));
    }
    if (e->start + e->len < t->tcet->nb_table) {
        check_entry(t, e->start + e->len);
    }
    return false;
}

void check_all_entries(FuzzTable *t)
{
    g_tree_foreach(t->shadow, check_extent, t);
}

/* The first TOUCH_CHECK entries of a range, and its last ones. */
void check_touched(FuzzTable *t, uint64_t idx, uint64_t n)
{
    for (uint64_t i = 0; i < MIN(n, TOUCH_CHECK); i++) {
        check_entry(t, idx + i);
    }
    for (uint64_t i = MAX(n - MIN(n, 16), TOUCH_CHECK); i < n; i++) {
        check_entry(t, idx + i);
    }
}

/*
 * The notifier's mirror, rebuilt by a replay: exactly the valid entries
 * of the shadow (what VFIO gets when a container is hot-plugged).
 */
void replay_check(FuzzTable *t)
{
    g_hash_table_remove_all(t->host);
    if (t->tcet->nb_table) {
        g_assert_true(memory_region_iommu_replay(spapr_tce_get_iommu(t->tcet),
                                                 &t->n));
    }
    check_counts(t);
    check_all_entries(t);
}
