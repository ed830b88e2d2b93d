/*
 * The memory layer: flat view rendering (priorities, overlaps, aliases,
 * enable/disable) and listener add/del diffs and refusals.  IOMMU regions
 * are tests/unit/test-memory-iommu.c, accesses test-memory-access.c.
 *
 * Every test builds its own address space on its own root container.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "memory-fixture.h"

static void test_render_simple(void)
{
    MemFixture f;
    MemoryRegion *a, *b;

    mem_fixture_init(&f);
    ASSERT_VIEW(&f.as, "");
    a = mem_new_ram("a", 0x1000);
    b = mem_new_ram("b", 0x100);
    memory_region_add_subregion(&f.root, 0x4000, b);
    memory_region_add_subregion(&f.root, 0x1000, a);
    ASSERT_VIEW(&f.as, "a[0x1000+0x1000]@0x0 b[0x4000+0x100]@0x0");
    /* Adjacent regions stay separate sections. */
    memory_region_set_address(b, 0x2000);
    ASSERT_VIEW(&f.as, "a[0x1000+0x1000]@0x0 b[0x2000+0x100]@0x0");
    memory_region_set_size(b, 0x80);
    ASSERT_VIEW(&f.as, "a[0x1000+0x1000]@0x0 b[0x2000+0x80]@0x0");
    /* Zero-sized regions render nothing. */
    memory_region_set_size(b, 0);
    ASSERT_VIEW(&f.as, "a[0x1000+0x1000]@0x0");
    memory_region_set_size(b, 0x100);
    mem_free_region(a);
    ASSERT_VIEW(&f.as, "b[0x2000+0x100]@0x0");
    mem_free_region(b);
    ASSERT_VIEW(&f.as, "");
    mem_fixture_destroy(&f);
}

static void test_render_priority(void)
{
    MemFixture f;
    MemoryRegion *low, *high, *same;

    mem_fixture_init(&f);
    low = mem_new_ram("low", 0x3000);
    high = mem_new_ram("high", 0x1000);
    same = mem_new_ram("same", 0x1000);
    memory_region_add_subregion_overlap(&f.root, 0, low, 0);
    memory_region_add_subregion_overlap(&f.root, 0x1000, high, 1);
    /* The higher priority hides what lies below, which is split. */
    ASSERT_VIEW(&f.as, "low[0x0+0x1000]@0x0 high[0x1000+0x1000]@0x0 "
                "low[0x2000+0x1000]@0x2000");
    /* Lower than the other: only visible where nothing else is. */
    memory_region_del_subregion(&f.root, high);
    memory_region_add_subregion_overlap(&f.root, 0x2800, high, -1);
    ASSERT_VIEW(&f.as, "low[0x0+0x3000]@0x0 high[0x3000+0x800]@0x800");
    /* Equal priority: the region added later wins (as in QEMU). */
    memory_region_add_subregion_overlap(&f.root, 0x800, same, 0);
    ASSERT_VIEW(&f.as, "low[0x0+0x800]@0x0 same[0x800+0x1000]@0x0 "
                "low[0x1800+0x1800]@0x1800 high[0x3000+0x800]@0x800");
    memory_region_del_subregion(&f.root, low);
    memory_region_add_subregion_overlap(&f.root, 0, low, 0);
    ASSERT_VIEW(&f.as, "low[0x0+0x3000]@0x0 high[0x3000+0x800]@0x800");
    /* Extreme priorities compare correctly. */
    memory_region_del_subregion(&f.root, high);
    memory_region_add_subregion_overlap(&f.root, 0, high, INT_MIN);
    memory_region_del_subregion(&f.root, same);
    memory_region_add_subregion_overlap(&f.root, 0x1000, same, INT_MAX);
    ASSERT_VIEW(&f.as, "low[0x0+0x1000]@0x0 same[0x1000+0x1000]@0x0 "
                "low[0x2000+0x1000]@0x2000");
    mem_free_region(low);
    mem_free_region(high);
    mem_free_region(same);
    mem_fixture_destroy(&f);
}

/* Priority is among siblings: a container's children never beat its peers. */
static void test_render_nested(void)
{
    MemFixture f;
    MemoryRegion *box = mem_new_container("box", 0x10000);
    MemoryRegion *inner = mem_new_ram("inner", 0x2000);
    MemoryRegion *peer = mem_new_ram("peer", 0x1000);
    MemoryRegion *tail = mem_new_ram("tail", 0x4000);
    MemoryRegion *under = mem_new_ram("under", 0x1000);

    mem_fixture_init(&f);
    memory_region_add_subregion_overlap(box, 0x1000, inner, 100);
    memory_region_add_subregion_overlap(&f.root, 0x10000, box, 0);
    memory_region_add_subregion_overlap(&f.root, 0x11800, peer, 1);
    ASSERT_VIEW(&f.as, "inner[0x11000+0x800]@0x0 peer[0x11800+0x1000]@0x0 "
                "inner[0x12800+0x800]@0x1800");
    /* A container clips its children to its own size. */
    memory_region_add_subregion(box, 0xe000, tail);
    ASSERT_VIEW(&f.as, "inner[0x11000+0x800]@0x0 peer[0x11800+0x1000]@0x0 "
                "inner[0x12800+0x800]@0x1800 tail[0x1e000+0x2000]@0x0");
    /* A hole in a container lets lower-priority siblings through. */
    memory_region_add_subregion_overlap(&f.root, 0x10000, under, -1);
    {
        g_autofree char *v = mem_render(&f.as);

        g_assert_true(g_str_has_prefix(v, "under[0x10000+0x1000]@0x0 "));
    }
    /* Moving the container moves everything in it. */
    memory_region_set_address(box, 0x20000);
    {
        g_autofree char *v = mem_render(&f.as);

        g_assert_nonnull(strstr(v, "inner[0x21000+0x2000]@0x0"));
        g_assert_nonnull(strstr(v, "tail[0x2e000+0x2000]@0x0"));
    }
    mem_free_region(inner);
    mem_free_region(tail);
    mem_free_region(box);
    mem_free_region(peer);
    mem_free_region(under);
    mem_fixture_destroy(&f);
}

static void test_render_alias(void)
{
    MemFixture f;
    MemoryRegion *ram = mem_new_ram("ram", 0x4000);
    MemoryRegion al, neg, big, ro, chain;

    mem_fixture_init(&f);
    /* Offset 0x1000..0x2000 of ram, at 0x10000. */
    memory_region_init_alias(&al, NULL, "al", ram, 0x1000, 0x1000);
    memory_region_add_subregion(&f.root, 0x10000, &al);
    ASSERT_VIEW(&f.as, "ram[0x10000+0x1000]@0x1000");
    /* Aliases render their target: the section's region is the RAM. */
    memory_region_set_alias_offset(&al, 0x3800);
    ASSERT_VIEW(&f.as, "ram[0x10000+0x800]@0x3800");

    /* A base below zero: alias offset larger than its address. */
    memory_region_init_alias(&neg, NULL, "neg", ram, 0x2000, 0x1000);
    memory_region_add_subregion(&f.root, 0x100, &neg);
    ASSERT_VIEW(&f.as, "ram[0x100+0x1000]@0x2000 ram[0x10000+0x800]@0x3800");

    /* An alias bigger than its target shows only the target. */
    memory_region_init_alias(&big, NULL, "big", ram, 0, 0x100000);
    memory_region_add_subregion(&f.root, 0x100000, &big);
    ASSERT_VIEW(&f.as, "ram[0x100+0x1000]@0x2000 ram[0x10000+0x800]@0x3800 "
                "ram[0x100000+0x4000]@0x0");
    memory_region_del_subregion(&f.root, &big);

    /* A read-only alias makes read-only sections. */
    memory_region_init_alias(&ro, NULL, "ro", ram, 0, 0x1000);
    ro.readonly = true;
    memory_region_add_subregion(&f.root, 0x200000, &ro);
    /* An alias of an alias of the root: the whole view again, shifted. */
    memory_region_init_alias(&chain, NULL, "chain", &ro, 0x800, 0x800);
    memory_region_add_subregion(&f.root, 0x300000, &chain);
    ASSERT_VIEW(&f.as, "ram[0x100+0x1000]@0x2000 ram[0x10000+0x800]@0x3800 "
                "ram[0x200000+0x1000]@0x0ro ram[0x300000+0x800]@0x800ro");

    /* Disabling the alias, or its target, hides it. */
    memory_region_set_enabled(&ro, false);
    ASSERT_VIEW(&f.as, "ram[0x100+0x1000]@0x2000 ram[0x10000+0x800]@0x3800");
    memory_region_set_enabled(&ro, true);
    memory_region_set_enabled(ram, false);
    ASSERT_VIEW(&f.as, "");
    memory_region_set_enabled(ram, true);

    memory_region_del_subregion(&f.root, &chain);
    memory_region_del_subregion(&f.root, &ro);
    memory_region_del_subregion(&f.root, &neg);
    memory_region_del_subregion(&f.root, &al);
    memory_region_finalize(&chain);
    memory_region_finalize(&ro);
    memory_region_finalize(&neg);
    memory_region_finalize(&big);
    memory_region_finalize(&al);
    mem_free_region(ram);
    mem_fixture_destroy(&f);
}

/* An alias of a container at a negative base: the pieces land right. */
static void test_render_alias_container(void)
{
    MemFixture f;
    MemoryRegion *space = mem_new_container("space", UINT64_MAX);
    MemoryRegion *bar = mem_new_ram("bar", 0x1000);
    MemoryRegion *bar2 = mem_new_ram("bar2", 0x1000);
    MemoryRegion *below = mem_new_ram("below", 0x10);
    MemoryRegion win;
    uint8_t buf[4];

    mem_fixture_init(&f);
    /* PCI space 0x80000000.. seen at 0x1000 (like a PHB's window). */
    memory_region_add_subregion(space, 0x80000000, bar);
    memory_region_add_subregion(space, 0x80002000, bar2);
    memory_region_add_subregion(space, 0x10, below);
    memory_region_init_alias(&win, NULL, "win", space, 0x80000000, 0x4000);
    memory_region_add_subregion(&f.root, 0x1000, &win);
    ASSERT_VIEW(&f.as, "bar[0x1000+0x1000]@0x0 bar2[0x3000+0x1000]@0x0");
    /* Regions outside the window's range of the container stay out. */
    memory_region_set_address(bar2, 0x80004000);
    ASSERT_VIEW(&f.as, "bar[0x1000+0x1000]@0x0");
    memory_region_set_address(bar2, 0x80003800);
    ASSERT_VIEW(&f.as, "bar[0x1000+0x1000]@0x0 bar2[0x4800+0x800]@0x0");
    stl_be_p(buf, 0xcafe);
    g_assert_cmpuint(address_space_write(&f.as, 0x4800, MEMTXATTRS_UNSPECIFIED,
                                         buf, 4), ==, MEMTX_OK);
    g_assert_cmphex(ldl_be_p(bar2->ram_ptr), ==, 0xcafe);
    memory_region_del_subregion(&f.root, &win);
    memory_region_finalize(&win);
    mem_free_region(bar);
    mem_free_region(bar2);
    mem_free_region(below);
    mem_free_region(space);
    mem_fixture_destroy(&f);
}

static void test_render_enable(void)
{
    MemFixture f;
    MemoryRegion *box = mem_new_container("box", 0x10000);
    MemoryRegion *a = mem_new_ram("a", 0x1000);
    MemoryRegion *under = mem_new_ram("under", 0x2000);

    mem_fixture_init(&f);
    memory_region_add_subregion(box, 0, a);
    memory_region_add_subregion_overlap(&f.root, 0, box, 1);
    memory_region_add_subregion(&f.root, 0, under);
    ASSERT_VIEW(&f.as, "a[0x0+0x1000]@0x0 under[0x1000+0x1000]@0x1000");
    memory_region_set_enabled(a, false);
    ASSERT_VIEW(&f.as, "under[0x0+0x2000]@0x0");
    memory_region_set_enabled(a, true);
    memory_region_set_enabled(box, false);
    ASSERT_VIEW(&f.as, "under[0x0+0x2000]@0x0");
    /* Re-enabling restores exactly the old view. */
    memory_region_set_enabled(box, true);
    ASSERT_VIEW(&f.as, "a[0x0+0x1000]@0x0 under[0x1000+0x1000]@0x1000");
    /* Finalizing a container drops its subregions. */
    memory_region_del_subregion(&f.root, box);
    memory_region_finalize(box);
    g_assert_null(a->container);
    ASSERT_VIEW(&f.as, "under[0x0+0x2000]@0x0");
    mem_free_region(a);
    mem_free_region(under);
    g_free(box);
    mem_fixture_destroy(&f);
}

/* A region up to the very top of the address space. */
static void test_render_top(void)
{
    MemFixture f;
    MemoryRegion *ram = mem_new_ram("ram", 0x1000);
    uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    mem_fixture_init(&f);
    memory_region_add_subregion(&f.root, 0xfffffffffffff000ULL, ram);
    ASSERT_VIEW(&f.as, "ram[0xfffffffffffff000+0x1000]@0x0");
    g_assert_cmpuint(address_space_write(&f.as, 0xfffffffffffffff8ULL,
                                         MEMTXATTRS_UNSPECIFIED, buf, 8), ==,
                     MEMTX_OK);
    g_assert_cmpmem(ram->ram_ptr + 0xff8, 8, buf, 8);
    /* Past 2^64 nothing wraps to 0. */
    g_assert_cmpuint(address_space_read(&f.as, 0xfffffffffffffffcULL,
                                        MEMTXATTRS_UNSPECIFIED, buf, 8), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmphex(ldl_be_p(buf), ==, 0x05060708);
    g_assert_cmphex(ldl_be_p(buf + 4), ==, 0);
    mem_free_region(ram);
    mem_fixture_destroy(&f);
}

/* Listeners */

typedef struct TestListener {
    MemoryListener l;
    GString *log;
    const char *refuse;         /* region_add fails for this region name */
} TestListener;

static void log_section(GString *log, char op, MemoryRegionSection *s)
{
    g_string_append_printf(log, "%c%s[0x%" PRIx64 "+0x%" PRIx64 "]@0x%" PRIx64
                           " ", op, s->mr->name,
                           s->offset_within_address_space, s->size,
                           s->offset_within_region);
}

static bool tl_add(MemoryListener *l, MemoryRegionSection *s, Error **errp)
{
    TestListener *t = container_of(l, TestListener, l);

    log_section(t->log, '+', s);
    if (t->refuse && !strcmp(s->mr->name, t->refuse)) {
        error_setg(errp, "%s: refusing %s", l->name, s->mr->name);
        return false;
    }
    return true;
}

static void tl_del(MemoryListener *l, MemoryRegionSection *s)
{
    log_section(container_of(l, TestListener, l)->log, '-', s);
}

static void tl_init(TestListener *t, const char *name, const char *refuse)
{
    t->l = (MemoryListener) {
        .name = name, .region_add = tl_add, .region_del = tl_del,
    };
    t->log = g_string_new("");
    t->refuse = refuse;
}

/* Returns and clears the listener's log. */
static char *tl_take(TestListener *t)
{
    char *s = g_strdup(t->log->str);

    g_string_truncate(t->log, 0);
    g_strchomp(s);
    return s;
}

#define ASSERT_LOG(t, expected) do {                                      \
        g_autofree char *log_ = tl_take(t);                               \
        g_assert_cmpstr(log_, ==, expected);                              \
    } while (0)

static void test_listener_diffs(void)
{
    MemFixture f;
    TestListener t;
    MemoryRegion *a = mem_new_ram("a", 0x1000);
    MemoryRegion *b = mem_new_ram("b", 0x1000);
    MemoryRegion *c = mem_new_ram("c", 0x1000);
    MemoryRegion *hidden = mem_new_ram("hidden", 0x800);

    mem_fixture_init(&f);
    memory_region_add_subregion(&f.root, 0x1000, a);
    memory_region_add_subregion(&f.root, 0x3000, b);
    tl_init(&t, "t", NULL);
    /* Registering replays the current view. */
    g_assert_true(memory_listener_register(&t.l, &f.as, NULL));
    g_assert_true(t.l.as == &f.as);
    ASSERT_LOG(&t, "+a[0x1000+0x1000]@0x0 +b[0x3000+0x1000]@0x0");

    /* One change, one diff: only what changed. */
    memory_region_set_address(b, 0x5000);
    ASSERT_LOG(&t, "-b[0x3000+0x1000]@0x0 +b[0x5000+0x1000]@0x0");
    memory_region_add_subregion(&f.root, 0x8000, c);
    ASSERT_LOG(&t, "+c[0x8000+0x1000]@0x0");

    /* A region that changes nothing visible causes no events. */
    memory_region_add_subregion_overlap(&f.root, 0x1000, hidden, -1);
    ASSERT_LOG(&t, "");
    memory_region_set_enabled(hidden, false);
    ASSERT_LOG(&t, "");
    memory_region_set_enabled(hidden, true);

    /* Covering part of a range: the old range goes, its pieces come. */
    memory_region_del_subregion(&f.root, c);
    memory_region_add_subregion_overlap(&f.root, 0x1400, c, 1);
    ASSERT_LOG(&t, "-c[0x8000+0x1000]@0x0 -a[0x1000+0x1000]@0x0 "
               "+a[0x1000+0x400]@0x0 +c[0x1400+0x1000]@0x0");

    /* Uncovering a lower region: it appears where it shows. */
    memory_region_set_enabled(c, false);
    ASSERT_LOG(&t, "-a[0x1000+0x400]@0x0 -c[0x1400+0x1000]@0x0 "
               "+a[0x1000+0x1000]@0x0");
    memory_region_set_enabled(a, false);
    ASSERT_LOG(&t, "-a[0x1000+0x1000]@0x0 +hidden[0x1000+0x800]@0x0");
    memory_region_set_enabled(a, true);
    ASSERT_LOG(&t, "-hidden[0x1000+0x800]@0x0 +a[0x1000+0x1000]@0x0");

    /* A transaction: many changes, one diff against the start. */
    memory_region_transaction_begin();
    memory_region_set_address(b, 0x6000);
    memory_region_set_address(b, 0x7000);
    memory_region_set_enabled(c, true);
    memory_region_set_enabled(c, false);
    memory_region_transaction_begin();
    memory_region_set_address(a, 0x2000);
    memory_region_transaction_commit();
    ASSERT_LOG(&t, "");
    memory_region_transaction_commit();
    ASSERT_LOG(&t, "-a[0x1000+0x1000]@0x0 -b[0x5000+0x1000]@0x0 "
               "+hidden[0x1000+0x800]@0x0 +a[0x2000+0x1000]@0x0 "
               "+b[0x7000+0x1000]@0x0");
    /* A transaction that ends where it began: nothing. */
    memory_region_transaction_begin();
    memory_region_set_address(b, 0x9000);
    memory_region_set_address(b, 0x7000);
    memory_region_transaction_commit();
    ASSERT_LOG(&t, "");

    /* Unregistering removes every section, last first. */
    memory_listener_unregister(&t.l);
    ASSERT_LOG(&t, "-b[0x7000+0x1000]@0x0 -a[0x2000+0x1000]@0x0 "
               "-hidden[0x1000+0x800]@0x0");
    g_assert_null(t.l.as);
    memory_region_set_address(b, 0x3000);
    ASSERT_LOG(&t, "");
    memory_listener_unregister(&t.l);

    g_string_free(t.log, true);
    mem_free_region(a);
    mem_free_region(b);
    mem_free_region(c);
    mem_free_region(hidden);
    mem_fixture_destroy(&f);
}

/* A listener on one address space hears nothing about another. */
static void test_listener_per_as(void)
{
    MemFixture f1, f2;
    TestListener t;
    MemoryRegion *a = mem_new_ram("a", 0x1000);

    mem_fixture_init(&f1);
    mem_fixture_init(&f2);
    tl_init(&t, "t", NULL);
    g_assert_true(memory_listener_register(&t.l, &f2.as, NULL));
    memory_region_add_subregion(&f1.root, 0, a);
    ASSERT_LOG(&t, "");
    /* Destroying the address space unregisters its listeners. */
    mem_fixture_destroy(&f2);
    g_assert_null(t.l.as);
    mem_free_region(a);
    mem_fixture_destroy(&f1);
    g_string_free(t.log, true);
}

static void test_listener_refuse(void)
{
    MemFixture f;
    TestListener picky, easy;
    MemoryRegion *good = mem_new_ram("good", 0x1000);
    MemoryRegion *bad = mem_new_ram("bad", 0x1000);
    Error *err = NULL;

    mem_fixture_init(&f);
    tl_init(&picky, "picky", "bad");
    tl_init(&easy, "easy", NULL);
    g_assert_true(memory_listener_register(&picky.l, &f.as, NULL));
    g_assert_true(memory_listener_register(&easy.l, &f.as, NULL));

    /* commit_checked reports the refusal... */
    memory_region_transaction_begin();
    memory_region_add_subregion(&f.root, 0x1000, good);
    memory_region_add_subregion(&f.root, 0x2000, bad);
    g_assert_false(memory_region_transaction_commit_checked(&err));
    g_assert_cmpstr(error_get_pretty(err), ==, "picky: refusing bad");
    g_clear_pointer(&err, error_free);
    /* ...but the change is made, and every listener heard of it. */
    ASSERT_VIEW(&f.as, "good[0x1000+0x1000]@0x0 bad[0x2000+0x1000]@0x0");
    ASSERT_LOG(&picky, "+good[0x1000+0x1000]@0x0 +bad[0x2000+0x1000]@0x0");
    ASSERT_LOG(&easy, "+good[0x1000+0x1000]@0x0 +bad[0x2000+0x1000]@0x0");
    /* The owner undoes it (as spapr_tce_table_enable does). */
    memory_region_transaction_begin();
    memory_region_del_subregion(&f.root, bad);
    g_assert_true(memory_region_transaction_commit_checked(&err));
    g_assert_null(err);
    ASSERT_LOG(&picky, "-bad[0x2000+0x1000]@0x0");

    /* Only the first refusal is reported; nested commits report nothing. */
    picky.refuse = "good";
    easy.refuse = "good";
    memory_region_transaction_begin();
    memory_region_transaction_begin();
    memory_region_set_address(good, 0x8000);
    g_assert_true(memory_region_transaction_commit_checked(&err));
    g_assert_null(err);
    g_assert_false(memory_region_transaction_commit_checked(&err));
    g_assert_cmpstr(error_get_pretty(err), ==, "picky: refusing good");
    g_clear_pointer(&err, error_free);
    /* The error does not linger into the next commit. */
    picky.refuse = easy.refuse = NULL;
    memory_region_set_address(good, 0x9000);
    memory_region_transaction_begin();
    memory_region_set_address(good, 0xa000);
    g_assert_true(memory_region_transaction_commit_checked(&err));
    g_assert_null(err);

    /* A refusing listener can not register: it is left unregistered. */
    memory_listener_unregister(&picky.l);
    memory_region_add_subregion(&f.root, 0x2000, bad);
    g_free(tl_take(&picky));
    picky.refuse = "bad";
    g_assert_false(memory_listener_register(&picky.l, &f.as, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "picky: refusing bad");
    g_clear_pointer(&err, error_free);
    g_assert_null(picky.l.as);
    g_assert_null(g_list_find(f.as.listeners, &picky.l));
    /* Registration succeeds once nothing is refused. */
    picky.refuse = NULL;
    g_assert_true(memory_listener_register(&picky.l, &f.as, &err));

    memory_listener_unregister(&picky.l);
    memory_listener_unregister(&easy.l);
    g_string_free(picky.log, true);
    g_string_free(easy.log, true);
    mem_free_region(good);
    mem_free_region(bad);
    mem_fixture_destroy(&f);
}

/* A plain commit only warns about a refusal. */
static void test_listener_refuse_warns(void)
{
    if (g_test_subprocess()) {
        MemFixture f;
        TestListener t;
        MemoryRegion *bad = mem_new_ram("bad", 0x1000);

        mem_fixture_init(&f);
        tl_init(&t, "t", "bad");
        g_assert_true(memory_listener_register(&t.l, &f.as, NULL));
        memory_region_add_subregion(&f.root, 0, bad);
        ASSERT_VIEW(&f.as, "bad[0x0+0x1000]@0x0");
        memory_listener_unregister(&t.l);
        g_string_free(t.log, true);
        mem_free_region(bad);
        mem_fixture_destroy(&f);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: memory topology change: t: "
                              "refusing bad*");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/render/simple", test_render_simple);
    g_test_add_func("/memory/render/priority", test_render_priority);
    g_test_add_func("/memory/render/nested", test_render_nested);
    g_test_add_func("/memory/render/alias", test_render_alias);
    g_test_add_func("/memory/render/alias-container",
                    test_render_alias_container);
    g_test_add_func("/memory/render/enable", test_render_enable);
    g_test_add_func("/memory/render/top", test_render_top);
    g_test_add_func("/memory/listener/diffs", test_listener_diffs);
    g_test_add_func("/memory/listener/per-as", test_listener_per_as);
    g_test_add_func("/memory/listener/refuse", test_listener_refuse);
    g_test_add_func("/memory/listener/refuse-warns",
                    test_listener_refuse_warns);
    return g_test_run();
}
