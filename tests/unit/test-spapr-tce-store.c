/*
 * Unit tests for the sparse TCE storage: entry access, leaf allocation
 * and release, the counters, the bytes accounting and leaf iteration.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/ppc/spapr_tce_store.h"

static void test_store_limits(void)
{
    SpaprTceStore *s;

    g_assert_null(spapr_tce_store_new(0, 4096));
    g_assert_null(spapr_tce_store_new((1ULL << 32) + 1, 4096));
    g_assert_null(spapr_tce_store_new(UINT64_MAX, 4096));
    s = spapr_tce_store_new(1ULL << 32, 4096);
    g_assert_nonnull(s);
    g_assert_cmpuint(spapr_tce_store_size(s), ==, 1ULL << 32);
    /* The last entry of a 2^32 table is addressable. */
    g_assert_cmpuint(spapr_tce_store_xchg(s, UINT32_MAX, 0x1003), ==, 0);
    g_assert_cmpuint(spapr_tce_store_get(s, UINT32_MAX), ==, 0x1003);
    g_assert_cmpuint(spapr_tce_store_get(s, UINT32_MAX - 1), ==, 0);
    spapr_tce_store_free(s);
    spapr_tce_store_free(NULL);
}

static void test_store_get_xchg(void)
{
    SpaprTceStore *s = spapr_tce_store_new(1000, 4096);

    g_assert_cmpuint(spapr_tce_store_get(s, 0), ==, 0);
    g_assert_cmpuint(spapr_tce_store_get(s, 999), ==, 0);
    g_assert_cmpuint(spapr_tce_store_xchg(s, 5, 0x5001), ==, 0);
    g_assert_cmpuint(spapr_tce_store_xchg(s, 5, 0x6002), ==, 0x5001);
    g_assert_cmpuint(spapr_tce_store_get(s, 5), ==, 0x6002);
    g_assert_cmpuint(spapr_tce_store_get(s, 4), ==, 0);
    g_assert_cmpuint(spapr_tce_store_get(s, 6), ==, 0);
    /* An entry with address bits but no permission is non-zero only. */
    spapr_tce_store_xchg(s, 600, 0x7000);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 1);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 2);
    g_assert_cmpuint(spapr_tce_store_xchg(s, 600, 0), ==, 0x7000);
    g_assert_cmpuint(spapr_tce_store_xchg(s, 5, 0), ==, 0x6002);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 0);
    spapr_tce_store_free(s);
}

static void test_store_leaf_alloc_free(void)
{
    SpaprTceStore *s = spapr_tce_store_new(1ULL << 20, 4096);
    uint64_t empty = spapr_tce_store_bytes(s), one_leaf, two_leaves;

    /* Clearing an untouched entry allocates nothing. */
    spapr_tce_store_xchg(s, 100, 0);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, empty);
    spapr_tce_store_xchg(s, 100, 0x1001);
    one_leaf = spapr_tce_store_bytes(s);
    g_assert_cmpuint(one_leaf, >, empty);
    /* Same leaf: no new memory. */
    spapr_tce_store_xchg(s, TCE_LEAF_SIZE - 1, 0x2001);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, one_leaf);
    /* Next leaf: exactly one leaf more. */
    spapr_tce_store_xchg(s, TCE_LEAF_SIZE, 0x3001);
    two_leaves = spapr_tce_store_bytes(s);
    g_assert_cmpuint(two_leaves - one_leaf, ==, TCE_LEAF_SIZE * 8);
    /* Emptying a leaf frees it; emptying all frees the directory. */
    spapr_tce_store_xchg(s, TCE_LEAF_SIZE, 0);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, one_leaf);
    spapr_tce_store_xchg(s, 100, 0);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, one_leaf);
    spapr_tce_store_xchg(s, TCE_LEAF_SIZE - 1, 0);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, empty);
    g_assert_cmpuint(spapr_tce_store_get(s, 100), ==, 0);
    spapr_tce_store_free(s);
}

static void test_store_fill(void)
{
    SpaprTceStore *s = spapr_tce_store_new(1ULL << 22, 4096);
    uint64_t empty = spapr_tce_store_bytes(s);

    /* Zero fill of an empty table allocates nothing. */
    spapr_tce_store_fill(s, 0, 1ULL << 22, 0);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, empty);
    spapr_tce_store_fill(s, 300, 1000, 0x4003);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 1000);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 1000);
    g_assert_cmpuint(spapr_tce_store_get(s, 299), ==, 0);
    g_assert_cmpuint(spapr_tce_store_get(s, 300), ==, 0x4003);
    g_assert_cmpuint(spapr_tce_store_get(s, 1299), ==, 0x4003);
    g_assert_cmpuint(spapr_tce_store_get(s, 1300), ==, 0);
    /* Non-permission value: non-zero but not valid. */
    spapr_tce_store_fill(s, 300, 10, 0x8000);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 990);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 1000);
    spapr_tce_store_fill(s, 0, 1ULL << 22, 0);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, empty);
    spapr_tce_store_free(s);
}

/* Zeroing a whole 2^32 table skips missing directories and leaves. */
static void test_store_fill_sparse_zero(void)
{
    SpaprTceStore *s = spapr_tce_store_new(1ULL << 32, 4096);
    uint64_t empty = spapr_tce_store_bytes(s);
    const uint64_t idx[] = { 5, (1ULL << 31) + 7, UINT32_MAX };

    for (unsigned i = 0; i < ARRAY_SIZE(idx); i++) {
        spapr_tce_store_xchg(s, idx[i], 0x1000 | 3);
    }
    spapr_tce_store_fill(s, 6, (1ULL << 32) - 7, 0);
    g_assert_cmpuint(spapr_tce_store_get(s, 5), ==, 0x1003);
    g_assert_cmpuint(spapr_tce_store_get(s, UINT32_MAX), ==, 0x1003);
    g_assert_cmpuint(spapr_tce_store_get(s, (1ULL << 31) + 7), ==, 0);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 2);
    spapr_tce_store_fill(s, 0, 1ULL << 32, 0);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, empty);
    spapr_tce_store_free(s);
}

static void test_store_write(void)
{
    SpaprTceStore *s = spapr_tce_store_new(1ULL << 22, 4096);
    uint64_t empty = spapr_tce_store_bytes(s), list[1500] = { 0 };

    /* An all-zero list over missing leaves allocates nothing */
    spapr_tce_store_write(s, 100, 1500, list);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, empty);
    for (unsigned i = 0; i < 1500; i++) {
        list[i] = i % 3 ? ((uint64_t)i << 16) | (i % 4) : 0;
    }
    /* Spans four leaves, starting mid-leaf */
    spapr_tce_store_write(s, 100, 1500, list);
    for (unsigned i = 0; i < 1500; i++) {
        g_assert_cmpuint(spapr_tce_store_get(s, 100 + i), ==, list[i]);
    }
    g_assert_cmpuint(spapr_tce_store_get(s, 99), ==, 0);
    g_assert_cmpuint(spapr_tce_store_get(s, 1600), ==, 0);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 1000);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 750);
    g_assert_cmpuint(spapr_tce_store_bytes(s) - empty, >=,
                     4 * TCE_LEAF_SIZE * 8);
    /* Writing zeros back frees every leaf */
    memset(list, 0, sizeof(list));
    spapr_tce_store_write(s, 100, 1500, list);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, empty);
    spapr_tce_store_free(s);
}

static void test_store_bytes_sparse(void)
{
    SpaprTceStore *s = spapr_tce_store_new(1ULL << 31, 4096);

    g_assert_cmpuint(spapr_tce_store_bytes(s), <, 64 * 1024);
    spapr_tce_store_free(s);
}

static void test_store_bytes_dense(void)
{
    const uint64_t n = 1ULL << 22;      /* 16 GiB of 4K pages */
    SpaprTceStore *s = spapr_tce_store_new(1ULL << 31, 4096);
    uint64_t bytes;

    for (uint64_t i = 0; i < n; i++) {
        spapr_tce_store_xchg(s, (1ULL << 24) + i, (i << 12) | 3);
    }
    bytes = spapr_tce_store_bytes(s);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, n);
    /* <= 8.5 bytes per mapped entry: bytes * 2 <= 17 * n */
    g_assert_cmpuint(bytes * 2, <=, 17 * n);
    spapr_tce_store_free(s);
}

typedef struct LeafWalk {
    GArray *firsts;
    uint64_t sum_n;
    uint64_t nonzero;
    int stop_after;
} LeafWalk;

static int walk_leaf(uint64_t first, const uint64_t *e, unsigned n,
                     void *opaque)
{
    LeafWalk *w = opaque;

    g_array_append_val(w->firsts, first);
    w->sum_n += n;
    for (unsigned i = 0; i < n; i++) {
        w->nonzero += e[i] != 0;
    }
    return w->stop_after && (int)w->firsts->len == w->stop_after ? 42 : 0;
}

static void test_store_foreach_leaf(void)
{
    /* Not a multiple of the leaf size: the last leaf is clipped. */
    const uint64_t size = (1ULL << 30) + 100;
    SpaprTceStore *s = spapr_tce_store_new(size, 4096);
    const uint64_t idx[] = { size - 1, 7, (1ULL << 21) + 3, 513, 1ULL << 29 };
    LeafWalk w = { .firsts = g_array_new(false, false, sizeof(uint64_t)) };

    for (unsigned i = 0; i < ARRAY_SIZE(idx); i++) {
        spapr_tce_store_xchg(s, idx[i], 0x1000 * (i + 1) | 1);
    }
    g_assert_cmpint(spapr_tce_store_foreach_leaf(s, walk_leaf, &w), ==, 0);
    g_assert_cmpuint(w.firsts->len, ==, 5);
    g_assert_cmpuint(g_array_index(w.firsts, uint64_t, 0), ==, 0);
    g_assert_cmpuint(g_array_index(w.firsts, uint64_t, 1), ==, 512);
    g_assert_cmpuint(g_array_index(w.firsts, uint64_t, 2), ==, 1ULL << 21);
    g_assert_cmpuint(g_array_index(w.firsts, uint64_t, 3), ==, 1ULL << 29);
    g_assert_cmpuint(g_array_index(w.firsts, uint64_t, 4), ==,
                     (size - 1) & ~(uint64_t)(TCE_LEAF_SIZE - 1));
    g_assert_cmpuint(w.sum_n, ==, 4 * TCE_LEAF_SIZE + 100);
    g_assert_cmpuint(w.nonzero, ==, 5);

    /* A non-zero return stops the walk and is passed through. */
    g_array_set_size(w.firsts, 0);
    w.stop_after = 2;
    g_assert_cmpint(spapr_tce_store_foreach_leaf(s, walk_leaf, &w), ==, 42);
    g_assert_cmpuint(w.firsts->len, ==, 2);
    g_array_free(w.firsts, true);
    spapr_tce_store_free(s);
}

static void test_store_random_model(void)
{
    const uint64_t size = 1ULL << 16;
    SpaprTceStore *s = spapr_tce_store_new(size, 4096);
    uint64_t *model = g_new0(uint64_t, size);
    GRand *r = g_rand_new_with_seed(1234);

    for (int step = 0; step < 20000; step++) {
        uint64_t idx = g_rand_int_range(r, 0, size);
        uint64_t val = g_rand_boolean(r) ? 0 :
                       ((uint64_t)g_rand_int(r) << 12) |
                       g_rand_int_range(r, 0, 4);

        if (step % 100 == 0) {
            uint64_t n = g_rand_int_range(r, 1, 2000);

            n = MIN(n, size - idx);
            spapr_tce_store_fill(s, idx, n, val);
            for (uint64_t i = 0; i < n; i++) {
                model[idx + i] = val;
            }
        } else if (step % 100 == 50) {
            uint64_t n = g_rand_int_range(r, 1, 2000);
            uint64_t *list;

            n = MIN(n, size - idx);     /* MIN evaluates twice */
            list = g_new(uint64_t, n);
            for (uint64_t i = 0; i < n; i++) {
                list[i] = g_rand_boolean(r) ? 0 : g_rand_int(r);
                model[idx + i] = list[i];
            }
            spapr_tce_store_write(s, idx, n, list);
            g_free(list);
        } else {
            g_assert_cmpuint(spapr_tce_store_xchg(s, idx, val), ==,
                             model[idx]);
            model[idx] = val;
        }
    }
    {
        uint64_t valid = 0, nonzero = 0;

        for (uint64_t i = 0; i < size; i++) {
            g_assert_cmpuint(spapr_tce_store_get(s, i), ==, model[i]);
            valid += (model[i] & TCE_VALID_BITS) != 0;
            nonzero += model[i] != 0;
        }
        g_assert_cmpuint(spapr_tce_store_valid(s), ==, valid);
        g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, nonzero);
    }
    g_rand_free(r);
    g_free(model);
    spapr_tce_store_free(s);
}

/* A direct map of 2^24 entries in 512-entry runs: one extent. */
static void test_store_extent_direct_map(void)
{
    const uint64_t n = 1ULL << 24, ps = 1ULL << 16;
    SpaprTceStore *s = spapr_tce_store_new(1ULL << 31, ps);
    uint64_t empty = spapr_tce_store_bytes(s);

    for (uint64_t i = 0; i < n; i += 512) {
        SpaprTceRun r = { i, 512, (i * ps) | 3, ps };

        spapr_tce_store_put_run(s, &r);
    }
    g_assert_cmpuint(spapr_tce_store_extents(s), ==, 1);
    g_assert_cmpuint(spapr_tce_store_bytes(s) - empty, <=, 4096);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, n);
    g_assert_cmpuint(spapr_tce_store_get(s, 12345), ==, (12345 * ps) | 3);
    g_assert_cmpuint(spapr_tce_store_get(s, n), ==, 0);
    /* One entry in the middle splits it; clearing it keeps two extents */
    g_assert_cmpuint(spapr_tce_store_xchg(s, 1000, 0x77001), ==,
                     (1000 * ps) | 3);
    g_assert_cmpuint(spapr_tce_store_extents(s), ==, 2);
    g_assert_cmpuint(spapr_tce_store_get(s, 999), ==, (999 * ps) | 3);
    g_assert_cmpuint(spapr_tce_store_get(s, 1000), ==, 0x77001);
    g_assert_cmpuint(spapr_tce_store_get(s, 1001), ==, (1001 * ps) | 3);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, n);
    /* Putting the progression back joins the pieces again */
    spapr_tce_store_xchg(s, 1000, (1000 * ps) | 3);
    {
        SpaprTceRun r = { 990, 20, (990 * ps) | 3, ps };

        spapr_tce_store_put_run(s, &r);
    }
    g_assert_cmpuint(spapr_tce_store_extents(s), ==, 1);
    g_assert_cmpuint(spapr_tce_store_bytes(s) - empty, <=, 4096);
    /* Clearing all of it frees everything */
    spapr_tce_store_fill(s, 0, 1ULL << 31, 0);
    g_assert_cmpuint(spapr_tce_store_extents(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_bytes(s), ==, empty);
    spapr_tce_store_free(s);
}

/* A constant over 2^31 entries is one extent; a wrapping run is not. */
static void test_store_extent_constant(void)
{
    SpaprTceStore *s = spapr_tce_store_new(1ULL << 31, 4096);
    uint64_t empty = spapr_tce_store_bytes(s);
    SpaprTceRun wrap = { 0, 64, UINT64_MAX - 4096 * 8 + 1, 4096 };

    spapr_tce_store_fill(s, 0, 1ULL << 31, 0x5003);
    g_assert_cmpuint(spapr_tce_store_extents(s), ==, 1);
    g_assert_cmpuint(spapr_tce_store_bytes(s) - empty, <=, 4096);
    g_assert_cmpuint(spapr_tce_store_get(s, (1ULL << 31) - 1), ==, 0x5003);
    g_assert_cmpuint(spapr_tce_store_valid(s), ==, 1ULL << 31);
    SpaprTceRun top = { 100, 16, 0xffffffffffff0001ULL, 4096 };
    SpaprTceRun low = { 116, 16, 1, 4096 };

    g_assert_false(spapr_tce_store_run_is_extent(&wrap));
    /* Two extents whose join would wrap past 2^64 stay two */
    spapr_tce_store_put_run(s, &top);
    spapr_tce_store_put_run(s, &low);
    g_assert_cmpuint(spapr_tce_store_extents(s), ==, 4);
    g_assert_cmpuint(spapr_tce_store_get(s, 115), ==, 0xfffffffffffff001ULL);
    g_assert_cmpuint(spapr_tce_store_get(s, 116), ==, 1);
    spapr_tce_store_put_run(s, &wrap);
    g_assert_cmpuint(spapr_tce_store_get(s, 8), ==, 0);
    g_assert_cmpuint(spapr_tce_store_get(s, 9), ==, 4096);
    g_assert_cmpuint(spapr_tce_store_get(s, 64), ==, 0x5003);
    spapr_tce_store_free(s);
}

typedef struct RunCheck {
    const uint64_t *model;
    uint64_t next, nonzero, runs;
    uint64_t ps;
} RunCheck;

static bool check_run(const SpaprTceRun *r, void *opaque)
{
    RunCheck *c = opaque;

    g_assert_cmpuint(r->start, >=, c->next);
    g_assert_cmpuint(r->count, >=, 1);
    g_assert_true(r->step == 0 || r->step == c->ps);
    for (uint64_t i = c->next; i < r->start; i++) {
        g_assert_cmpuint(c->model[i], ==, 0);
    }
    for (uint64_t i = 0; i < r->count; i++) {
        g_assert_cmpuint(c->model[r->start + i], ==,
                         spapr_tce_run_value(r, i));
    }
    c->next = r->start + r->count;
    c->nonzero += r->count;
    c->runs++;
    return true;
}

/* Mixed progressions, constants, lists and singles against a flat model. */
static void test_store_runs_model(void)
{
    const uint64_t size = 1ULL << 16, ps = 4096;
    SpaprTceStore *s = spapr_tce_store_new(size, ps);
    uint64_t *model = g_new0(uint64_t, size);
    GRand *r = g_rand_new_with_seed(4321);
    RunCheck c = { .model = model, .ps = ps };

    for (int step = 0; step < 5000; step++) {
        uint64_t idx = g_rand_int_range(r, 0, size);
        uint64_t n = g_rand_int_range(r, 1, 3000);
        uint32_t kind = g_rand_int_range(r, 0, 4);
        SpaprTceRun run = { idx, 0, ((uint64_t)g_rand_int(r) << 12) |
                                    g_rand_int_range(r, 0, 4), 0 };

        n = MIN(n, size - idx);
        run.count = n;

        if (kind == 0) {
            run.step = ps;
        } else if (kind == 1 && g_rand_boolean(r)) {
            run.first = 0;
        } else if (kind == 2) {
            run.count = 1;
        }
        if (kind == 3) {
            uint64_t *list = g_new(uint64_t, n);

            for (uint64_t i = 0; i < n; i++) {
                list[i] = i % 7 ? run.first + i * ps : g_rand_int(r);
                model[idx + i] = list[i];
            }
            spapr_tce_store_write(s, idx, n, list);
            g_free(list);
            continue;
        }
        spapr_tce_store_put_run(s, &run);
        for (uint64_t i = 0; i < run.count; i++) {
            model[idx + i] = spapr_tce_run_value(&run, i);
        }
    }
    {
        uint64_t valid = 0, nonzero = 0;

        for (uint64_t i = 0; i < size; i++) {
            g_assert_cmpuint(spapr_tce_store_get(s, i), ==, model[i]);
            valid += (model[i] & TCE_VALID_BITS) != 0;
            nonzero += model[i] != 0;
        }
        g_assert_cmpuint(spapr_tce_store_valid(s), ==, valid);
        g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, nonzero);
        g_assert_true(spapr_tce_store_foreach_run(s, 0, size, check_run, &c));
        g_assert_cmpuint(c.nonzero, ==, nonzero);
        for (uint64_t i = c.next; i < size; i++) {
            g_assert_cmpuint(model[i], ==, 0);
        }
    }
    spapr_tce_store_fill(s, 0, size, 0);
    g_assert_cmpuint(spapr_tce_store_extents(s), ==, 0);
    g_assert_cmpuint(spapr_tce_store_nonzero(s), ==, 0);
    g_rand_free(r);
    g_free(model);
    spapr_tce_store_free(s);
}

/* The generator: maximal runs of each kind of source. */
static void test_source_runs(void)
{
    uint64_t list[40];
    uint8_t be[40 * 8];
    SpaprTceSource src;
    SpaprTceRun run;

    for (int i = 0; i < 40; i++) {
        list[i] = i < 20 ? 0x10003 + i * 4096ULL : i < 30 ? 0x99001 : (uint64_t)i;
        stq_be_p(be + i * 8, list[i]);
    }
    for (int kind = 0; kind < 2; kind++) {
        if (kind) {
            spapr_tce_source_list_be(&src, be, 40, 4096);
        } else {
            spapr_tce_source_list(&src, list, 40, 4096);
        }
        g_assert_true(spapr_tce_source_next(&src, &run));
        g_assert_cmpuint(run.start, ==, 0);
        g_assert_cmpuint(run.count, ==, 20);
        g_assert_cmpuint(run.step, ==, 4096);
        g_assert_true(spapr_tce_source_next(&src, &run));
        g_assert_cmpuint(run.start, ==, 20);
        g_assert_cmpuint(run.count, ==, 10);
        g_assert_cmpuint(run.step, ==, 0);
        for (int i = 30; i < 40; i++) {
            g_assert_true(spapr_tce_source_next(&src, &run));
            g_assert_cmpuint(run.count, ==, 1);
        }
        g_assert_false(spapr_tce_source_next(&src, &run));
        /* The long-run scan skips the singles and finds the same runs */
        spapr_tce_source_rewind(&src);
        g_assert_true(spapr_tce_source_next_long(&src, 16, &run));
        g_assert_cmpuint(run.count, ==, 20);
        g_assert_false(spapr_tce_source_next_long(&src, 16, &run));
    }
    spapr_tce_source_prog(&src, 0x1003, 1ULL << 31, 4096);
    g_assert_true(spapr_tce_source_next(&src, &run));
    g_assert_cmpuint(run.count, ==, 1ULL << 31);
    g_assert_cmpuint(run.step, ==, 4096);
    g_assert_false(spapr_tce_source_next(&src, &run));
    spapr_tce_source_const(&src, 0, 7, 4096);
    g_assert_true(spapr_tce_source_next(&src, &run));
    g_assert_cmpuint(run.count, ==, 7);
    g_assert_cmpuint(run.step, ==, 0);
}

/*
 * A stream's scattered entries (every other index, as runs of one) are
 * priced as the leaves they fill together, not a leaf and directory per
 * run; out of order, never less than in order.
 */
static void test_store_cost_scattered(void)
{
    SpaprTceStore *s = spapr_tce_store_new(1 << 16, 4096);
    SpaprTceCost in_order = { 0 }, reversed = { 0 };
    const unsigned n = 8192;

    for (unsigned i = 0; i < n; i++) {
        SpaprTceRun run = { .start = 2 * i, .count = 1,
                            .first = (uint64_t)i << 12 | 3 };

        spapr_tce_store_cost_add(&in_order, &run);
        spapr_tce_store_put_run(s, &run);
        run.start = 2 * (n - 1 - i);
        spapr_tce_store_cost_add(&reversed, &run);
    }
    /* 16384 indexes: 32 leaves and one directory, plus per-run extents */
    g_assert_cmpuint(spapr_tce_store_bytes(s), <=, in_order.bytes);
    g_assert_cmpuint(in_order.bytes, <=, spapr_tce_store_bytes(s) +
                     n * spapr_tce_store_run_cost(&(SpaprTceRun){ 0 }));
    g_assert_cmpuint(reversed.bytes, >=, in_order.bytes);
    spapr_tce_store_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tce-store/limits", test_store_limits);
    g_test_add_func("/tce-store/get-xchg", test_store_get_xchg);
    g_test_add_func("/tce-store/leaf-alloc-free", test_store_leaf_alloc_free);
    g_test_add_func("/tce-store/fill", test_store_fill);
    g_test_add_func("/tce-store/fill-sparse-zero",
                    test_store_fill_sparse_zero);
    g_test_add_func("/tce-store/write", test_store_write);
    g_test_add_func("/tce-store/bytes-sparse", test_store_bytes_sparse);
    g_test_add_func("/tce-store/bytes-dense", test_store_bytes_dense);
    g_test_add_func("/tce-store/foreach-leaf", test_store_foreach_leaf);
    g_test_add_func("/tce-store/random-model", test_store_random_model);
    g_test_add_func("/tce-store/extent-direct-map",
                    test_store_extent_direct_map);
    g_test_add_func("/tce-store/extent-constant", test_store_extent_constant);
    g_test_add_func("/tce-store/runs-model", test_store_runs_model);
    g_test_add_func("/tce-source/runs", test_source_runs);
    g_test_add_func("/tce-store/cost-of-scattered-runs",
                    test_store_cost_scattered);
    return g_test_run();
}
