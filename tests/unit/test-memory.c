/*
 * The memory layer: flat view rendering (priorities, overlaps, aliases,
 * enable/disable), listener add/del diffs and refusals, IOMMU dispatch and
 * notifiers with a fake IOMMU, and accesses (unassigned, RAM, MMIO size
 * splitting and endianness).
 *
 * Every test builds its own address space on its own root container.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "exec/memory.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)

typedef struct Fixture {
    MemoryRegion root;
    AddressSpace as;
} Fixture;

static void fixture_init(Fixture *f)
{
    memory_region_init(&f->root, NULL, "root", UINT64_MAX);
    address_space_init(&f->as, &f->root, "test");
}

static void fixture_destroy(Fixture *f)
{
    address_space_destroy(&f->as);
    memory_region_finalize(&f->root);
}

static void render_one(MemoryRegionSection *s, void *opaque)
{
    g_string_append_printf(opaque, "%s[0x%" PRIx64 "+0x%" PRIx64 "]@0x%"
                           PRIx64 "%s ", s->mr->name,
                           s->offset_within_address_space, s->size,
                           s->offset_within_region, s->readonly ? "ro" : "");
}

/* The flat view as "name[start+size]@offset ..." in address order. */
static char *render(AddressSpace *as)
{
    GString *s = g_string_new("");

    address_space_foreach_section(as, render_one, s);
    if (s->len) {
        g_string_truncate(s, s->len - 1);
    }
    return g_string_free(s, false);
}

#define ASSERT_VIEW(as, expected) do {                                    \
        g_autofree char *view_ = render(as);                              \
        g_assert_cmpstr(view_, ==, expected);                             \
    } while (0)

static MemoryRegion *new_container(const char *name, uint64_t size)
{
    MemoryRegion *mr = g_new0(MemoryRegion, 1);

    memory_region_init(mr, NULL, name, size);
    return mr;
}

static MemoryRegion *new_ram(const char *name, uint64_t size)
{
    MemoryRegion *mr = g_new0(MemoryRegion, 1);

    g_assert_true(memory_region_init_ram(mr, NULL, name, size, NULL));
    return mr;
}

static void free_region(MemoryRegion *mr)
{
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
    memory_region_finalize(mr);
    g_free(mr);
}

static void test_render_simple(void)
{
    Fixture f;
    MemoryRegion *a, *b;

    fixture_init(&f);
    ASSERT_VIEW(&f.as, "");
    a = new_ram("a", 0x1000);
    b = new_ram("b", 0x100);
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
    free_region(a);
    ASSERT_VIEW(&f.as, "b[0x2000+0x100]@0x0");
    free_region(b);
    ASSERT_VIEW(&f.as, "");
    fixture_destroy(&f);
}

static void test_render_priority(void)
{
    Fixture f;
    MemoryRegion *low, *high, *same;

    fixture_init(&f);
    low = new_ram("low", 0x3000);
    high = new_ram("high", 0x1000);
    same = new_ram("same", 0x1000);
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
    free_region(low);
    free_region(high);
    free_region(same);
    fixture_destroy(&f);
}

/* Priority is among siblings: a container's children never beat its peers. */
static void test_render_nested(void)
{
    Fixture f;
    MemoryRegion *box = new_container("box", 0x10000);
    MemoryRegion *inner = new_ram("inner", 0x2000);
    MemoryRegion *peer = new_ram("peer", 0x1000);
    MemoryRegion *tail = new_ram("tail", 0x4000);
    MemoryRegion *under = new_ram("under", 0x1000);

    fixture_init(&f);
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
        g_autofree char *v = render(&f.as);

        g_assert_true(g_str_has_prefix(v, "under[0x10000+0x1000]@0x0 "));
    }
    /* Moving the container moves everything in it. */
    memory_region_set_address(box, 0x20000);
    {
        g_autofree char *v = render(&f.as);

        g_assert_nonnull(strstr(v, "inner[0x21000+0x2000]@0x0"));
        g_assert_nonnull(strstr(v, "tail[0x2e000+0x2000]@0x0"));
    }
    free_region(inner);
    free_region(tail);
    free_region(box);
    free_region(peer);
    free_region(under);
    fixture_destroy(&f);
}

static void test_render_alias(void)
{
    Fixture f;
    MemoryRegion *ram = new_ram("ram", 0x4000);
    MemoryRegion al, neg, big, ro, chain;

    fixture_init(&f);
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
    free_region(ram);
    fixture_destroy(&f);
}

/* An alias of a container at a negative base: the pieces land right. */
static void test_render_alias_container(void)
{
    Fixture f;
    MemoryRegion *space = new_container("space", UINT64_MAX);
    MemoryRegion *bar = new_ram("bar", 0x1000);
    MemoryRegion *bar2 = new_ram("bar2", 0x1000);
    MemoryRegion *below = new_ram("below", 0x10);
    MemoryRegion win;
    uint8_t buf[4];

    fixture_init(&f);
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
    free_region(bar);
    free_region(bar2);
    free_region(below);
    free_region(space);
    fixture_destroy(&f);
}

static void test_render_enable(void)
{
    Fixture f;
    MemoryRegion *box = new_container("box", 0x10000);
    MemoryRegion *a = new_ram("a", 0x1000);
    MemoryRegion *under = new_ram("under", 0x2000);

    fixture_init(&f);
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
    free_region(a);
    free_region(under);
    g_free(box);
    fixture_destroy(&f);
}

/* A region up to the very top of the address space. */
static void test_render_top(void)
{
    Fixture f;
    MemoryRegion *ram = new_ram("ram", 0x1000);
    uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    fixture_init(&f);
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
    free_region(ram);
    fixture_destroy(&f);
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
    Fixture f;
    TestListener t;
    MemoryRegion *a = new_ram("a", 0x1000);
    MemoryRegion *b = new_ram("b", 0x1000);
    MemoryRegion *c = new_ram("c", 0x1000);
    MemoryRegion *hidden = new_ram("hidden", 0x800);

    fixture_init(&f);
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
    free_region(a);
    free_region(b);
    free_region(c);
    free_region(hidden);
    fixture_destroy(&f);
}

/* A listener on one address space hears nothing about another. */
static void test_listener_per_as(void)
{
    Fixture f1, f2;
    TestListener t;
    MemoryRegion *a = new_ram("a", 0x1000);

    fixture_init(&f1);
    fixture_init(&f2);
    tl_init(&t, "t", NULL);
    g_assert_true(memory_listener_register(&t.l, &f2.as, NULL));
    memory_region_add_subregion(&f1.root, 0, a);
    ASSERT_LOG(&t, "");
    /* Destroying the address space unregisters its listeners. */
    fixture_destroy(&f2);
    g_assert_null(t.l.as);
    free_region(a);
    fixture_destroy(&f1);
    g_string_free(t.log, true);
}

static void test_listener_refuse(void)
{
    Fixture f;
    TestListener picky, easy;
    MemoryRegion *good = new_ram("good", 0x1000);
    MemoryRegion *bad = new_ram("bad", 0x1000);
    Error *err = NULL;

    fixture_init(&f);
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
    free_region(good);
    free_region(bad);
    fixture_destroy(&f);
}

/* A plain commit only warns about a refusal. */
static void test_listener_refuse_warns(void)
{
    if (g_test_subprocess()) {
        Fixture f;
        TestListener t;
        MemoryRegion *bad = new_ram("bad", 0x1000);

        fixture_init(&f);
        tl_init(&t, "t", "bad");
        g_assert_true(memory_listener_register(&t.l, &f.as, NULL));
        memory_region_add_subregion(&f.root, 0, bad);
        ASSERT_VIEW(&f.as, "bad[0x0+0x1000]@0x0");
        memory_listener_unregister(&t.l);
        g_string_free(t.log, true);
        free_region(bad);
        fixture_destroy(&f);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: memory topology change: t: "
                              "refusing bad*");
}

/* A fake IOMMU: 4 KiB pages, a table of (target address, perm). */

#define FAKE_PAGES 16

typedef struct FakeIommu {
    MemoryRegion mr;
    AddressSpace *target;
    uint64_t addr[FAKE_PAGES];
    IOMMUAccessFlags perm[FAKE_PAGES];
    uint64_t mask;              /* page size - 1 */
    int translations;
    IOMMUNotifierFlag flags_old, flags_new;
    bool refuse_flags;
    int replays;
} FakeIommu;

static IOMMUTLBEntry fake_translate(MemoryRegion *mr, hwaddr addr,
                                    IOMMUAccessFlags flag)
{
    FakeIommu *f = mr->iommu_opaque;
    uint64_t page = addr / (f->mask + 1);
    IOMMUTLBEntry e = {
        .target_as = f->target,
        .iova = addr & ~f->mask,
        .addr_mask = f->mask,
    };

    f->translations++;
    if (page < FAKE_PAGES) {
        e.translated_addr = f->addr[page];
        e.perm = f->perm[page];
    }
    return e;
}

static bool fake_flag_changed(MemoryRegion *mr, IOMMUNotifierFlag old,
                              IOMMUNotifierFlag new, Error **errp)
{
    FakeIommu *f = mr->iommu_opaque;

    if (f->refuse_flags) {
        error_setg(errp, "no notifiers here");
        return false;
    }
    f->flags_old = old;
    f->flags_new = new;
    return true;
}

static bool fake_replay(MemoryRegion *mr, IOMMUNotifier *n)
{
    FakeIommu *f = mr->iommu_opaque;
    IOMMUTLBEvent ev = { .type = IOMMU_NOTIFIER_MAP, .iova = 0,
                         .size = 0x1000, .perm = IOMMU_RW };

    f->replays++;
    return n->notify(n, &ev);
}

static uint64_t fake_min_page(MemoryRegion *mr)
{
    return 0x1000;
}

static const IOMMUMemoryRegionOps fake_ops = {
    .translate = fake_translate,
    .notify_flag_changed = fake_flag_changed,
    .replay = fake_replay,
    .get_min_page_size = fake_min_page,
};

static const IOMMUMemoryRegionOps fake_ops_minimal = {
    .translate = fake_translate,
};

/* bus: IOMMU at 0x100000 (16 pages); mem: RAM of 64 KiB at 0. */
typedef struct IommuFixture {
    Fixture bus, mem;
    FakeIommu iommu;
    MemoryRegion *ram;
} IommuFixture;

static void iommu_fixture_init(IommuFixture *t)
{
    fixture_init(&t->bus);
    fixture_init(&t->mem);
    memset(&t->iommu, 0, sizeof(t->iommu));
    t->iommu.target = &t->mem.as;
    t->iommu.mask = 0xfff;
    memory_region_init_iommu(&t->iommu.mr, NULL, &fake_ops, &t->iommu, "iommu",
                             FAKE_PAGES * 0x1000);
    memory_region_add_subregion(&t->bus.root, 0x100000, &t->iommu.mr);
    t->ram = new_ram("ram", 64 * KiB);
    memory_region_add_subregion(&t->mem.root, 0, t->ram);
    for (uint64_t i = 0; i < 64 * KiB; i++) {
        t->ram->ram_ptr[i] = i ^ (i >> 8);
    }
}

static void iommu_fixture_destroy(IommuFixture *t)
{
    memory_region_del_subregion(&t->bus.root, &t->iommu.mr);
    memory_region_finalize(&t->iommu.mr);
    free_region(t->ram);
    fixture_destroy(&t->bus);
    fixture_destroy(&t->mem);
}

static uint8_t ram_byte(uint64_t a)
{
    return a ^ (a >> 8);
}

static void test_iommu_dispatch(void)
{
    IommuFixture t;
    uint8_t buf[0x3000];
    MemTxResult r;

    iommu_fixture_init(&t);
    t.iommu.addr[0] = 0x5000;
    t.iommu.perm[0] = IOMMU_RW;
    t.iommu.addr[1] = 0x2000;
    t.iommu.perm[1] = IOMMU_RW;
    /* page 2 unmapped */
    t.iommu.addr[3] = 0x7000;
    t.iommu.perm[3] = IOMMU_RO;
    t.iommu.addr[4] = 0x8000;
    t.iommu.perm[4] = IOMMU_WO;
    t.iommu.addr[5] = 0x100000;         /* translates to nowhere */
    t.iommu.perm[5] = IOMMU_RW;

    /* Across pages 0 and 1: each page goes to its own place. */
    r = address_space_read(&t.bus.as, 0x100ff0, MEMTXATTRS_UNSPECIFIED, buf,
                           0x20);
    g_assert_cmpuint(r, ==, MEMTX_OK);
    for (int i = 0; i < 0x10; i++) {
        g_assert_cmphex(buf[i], ==, ram_byte(0x5ff0 + i));
        g_assert_cmphex(buf[0x10 + i], ==, ram_byte(0x2000 + i));
    }
    /* One translation per page touched. */
    t.iommu.translations = 0;
    address_space_read(&t.bus.as, 0x100000, MEMTXATTRS_UNSPECIFIED, buf,
                       0x2000);
    g_assert_cmpint(t.iommu.translations, ==, 2);

    /* Page 1 works, page 2 reads zeros, page 3 works: per page. */
    memset(buf, 0xee, sizeof(buf));
    r = address_space_read(&t.bus.as, 0x101000, MEMTXATTRS_UNSPECIFIED, buf,
                           0x3000);
    g_assert_cmpuint(r, ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(buf[0xfff], ==, ram_byte(0x2fff));
    for (int i = 0x1000; i < 0x2000; i++) {
        g_assert_cmphex(buf[i], ==, 0);
    }
    g_assert_cmphex(buf[0x2000], ==, ram_byte(0x7000));

    /* Writes: dropped on the unmapped and read-only pages only. */
    memset(buf, 0xab, sizeof(buf));
    r = address_space_write(&t.bus.as, 0x101ff8, MEMTXATTRS_UNSPECIFIED, buf,
                            0x1010);
    g_assert_cmpuint(r, ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(t.ram->ram_ptr[0x2ff8], ==, 0xab);
    g_assert_cmphex(t.ram->ram_ptr[0x7000], ==, ram_byte(0x7000));
    g_assert_cmphex(t.ram->ram_ptr[0x7008], ==, ram_byte(0x7008));
    /* Write-only: writes land, reads see zeros. */
    r = address_space_write(&t.bus.as, 0x104000, MEMTXATTRS_UNSPECIFIED, buf,
                            4);
    g_assert_cmpuint(r, ==, MEMTX_OK);
    g_assert_cmphex(t.ram->ram_ptr[0x8000], ==, 0xab);
    r = address_space_read(&t.bus.as, 0x104000, MEMTXATTRS_UNSPECIFIED, buf,
                           4);
    g_assert_cmpuint(r, ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ldl_be_p(buf), ==, 0);
    /* A translation that lands nowhere in the target. */
    memset(buf, 0xee, 8);
    r = address_space_read(&t.bus.as, 0x105000, MEMTXATTRS_UNSPECIFIED, buf,
                           8);
    g_assert_cmpuint(r, ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ldq_be_p(buf), ==, 0);
    /* Past the IOMMU region: unassigned in the bus space. */
    r = address_space_read(&t.bus.as, 0x110000, MEMTXATTRS_UNSPECIFIED, buf,
                           8);
    g_assert_cmpuint(r, ==, MEMTX_DECODE_ERROR);
    iommu_fixture_destroy(&t);
}

/* Big IOMMU pages, and an offset inside a page. */
static void test_iommu_large_pages(void)
{
    IommuFixture t;
    uint8_t buf[16];

    iommu_fixture_init(&t);
    t.iommu.mask = 0x7fff;              /* 32 KiB pages */
    t.iommu.addr[0] = 0x8000;
    t.iommu.perm[0] = IOMMU_RW;
    /* Translated address bits below the page are ignored. */
    t.iommu.addr[1] = 0x0123;
    t.iommu.perm[1] = IOMMU_RW;
    address_space_read(&t.bus.as, 0x107ff8, MEMTXATTRS_UNSPECIFIED, buf, 16);
    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(buf[i], ==, ram_byte(0xfff8 + i));
        g_assert_cmphex(buf[8 + i], ==, ram_byte(i));
    }
    iommu_fixture_destroy(&t);
}

/* An IOMMU that translates into its own address space stops, not loops. */
static void test_iommu_loop(void)
{
    IommuFixture t;
    uint8_t buf[8];
    MemTxResult r;

    iommu_fixture_init(&t);
    t.iommu.target = &t.bus.as;
    t.iommu.addr[0] = 0x100000;
    t.iommu.perm[0] = IOMMU_RW;
    memset(buf, 0xee, sizeof(buf));
    t.iommu.translations = 0;
    r = address_space_read(&t.bus.as, 0x100000, MEMTXATTRS_UNSPECIFIED, buf,
                           8);
    g_assert_cmpuint(r, ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ldq_be_p(buf), ==, 0);
    g_assert_cmpint(t.iommu.translations, <=, 5);
    r = address_space_write(&t.bus.as, 0x100000, MEMTXATTRS_UNSPECIFIED, buf,
                            8);
    g_assert_cmpuint(r, ==, MEMTX_DECODE_ERROR);
    iommu_fixture_destroy(&t);
}

typedef struct TestNotifier {
    IOMMUNotifier n;
    GString *log;
    bool fail;
} TestNotifier;

static bool tn_notify(IOMMUNotifier *n, const IOMMUTLBEvent *ev)
{
    TestNotifier *t = container_of(n, TestNotifier, n);

    g_string_append_printf(t->log, "%s 0x%" PRIx64 "+0x%" PRIx64 "->0x%"
                           PRIx64 "/%d;", ev->type == IOMMU_NOTIFIER_MAP ?
                           "map" : "unmap", ev->iova, ev->size,
                           ev->translated_addr, ev->perm);
    return !t->fail;
}

static void tn_init(TestNotifier *t, IOMMUNotifierFlag flags, hwaddr start,
                    hwaddr end)
{
    iommu_notifier_init(&t->n, tn_notify, flags, start, end);
    t->log = g_string_new("");
    t->fail = false;
}

static void test_iommu_notifiers(void)
{
    IommuFixture t;
    TestNotifier all, maps, part;
    IOMMUTLBEvent ev = {
        .type = IOMMU_NOTIFIER_MAP, .iova = 0x1000, .size = 0x4000,
        .translated_addr = 0x20000, .perm = IOMMU_RW, .page_size = 0x1000,
    };
    Error *err = NULL;

    iommu_fixture_init(&t);
    g_assert_cmpuint(memory_region_iommu_get_min_page_size(&t.iommu.mr), ==,
                     0x1000);
    tn_init(&all, IOMMU_NOTIFIER_ALL, 0, UINT64_MAX);
    tn_init(&maps, IOMMU_NOTIFIER_MAP, 0, UINT64_MAX);
    tn_init(&part, IOMMU_NOTIFIER_ALL, 0x2000, 0x3fff);

    /* The IOMMU is told when the union of flags changes. */
    g_assert_true(memory_region_register_iommu_notifier(&t.iommu.mr, &maps.n,
                                                        &err));
    g_assert_cmpint(t.iommu.flags_old, ==, IOMMU_NOTIFIER_NONE);
    g_assert_cmpint(t.iommu.flags_new, ==, IOMMU_NOTIFIER_MAP);
    g_assert_true(maps.n.mr == &t.iommu.mr);
    g_assert_true(memory_region_register_iommu_notifier(&t.iommu.mr, &all.n,
                                                        &err));
    g_assert_cmpint(t.iommu.flags_new, ==, IOMMU_NOTIFIER_ALL);
    /* No change in the union: the IOMMU is not asked. */
    t.iommu.flags_new = 0;
    g_assert_true(memory_region_register_iommu_notifier(&t.iommu.mr, &part.n,
                                                        &err));
    g_assert_cmpint(t.iommu.flags_new, ==, 0);
    memory_region_unregister_iommu_notifier(&t.iommu.mr, &part.n);
    memory_region_unregister_iommu_notifier(&t.iommu.mr, &all.n);
    g_assert_cmpint(t.iommu.flags_old, ==, IOMMU_NOTIFIER_ALL);
    g_assert_cmpint(t.iommu.flags_new, ==, IOMMU_NOTIFIER_MAP);
    /* It may refuse: the notifier is then not registered. */
    t.iommu.refuse_flags = true;
    g_assert_false(memory_region_register_iommu_notifier(&t.iommu.mr, &all.n,
                                                         &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "no notifiers here");
    g_clear_pointer(&err, error_free);
    g_assert_null(all.n.mr);
    g_assert_cmpuint(g_list_length(t.iommu.mr.iommu_notifiers), ==, 1);
    g_assert_cmpint(t.iommu.mr.iommu_notify_flags, ==, IOMMU_NOTIFIER_MAP);
    t.iommu.refuse_flags = false;
    g_assert_true(memory_region_register_iommu_notifier(&t.iommu.mr, &all.n,
                                                        NULL));
    g_assert_true(memory_region_register_iommu_notifier(&t.iommu.mr, &part.n,
                                                        NULL));

    /* Events go to the notifiers that want them, clipped to their range. */
    g_assert_true(memory_region_notify_iommu(&t.iommu.mr, &ev));
    g_assert_cmpstr(all.log->str, ==, "map 0x1000+0x4000->0x20000/3;");
    g_assert_cmpstr(maps.log->str, ==, "map 0x1000+0x4000->0x20000/3;");
    g_assert_cmpstr(part.log->str, ==, "map 0x2000+0x2000->0x21000/3;");
    ev.type = IOMMU_NOTIFIER_UNMAP;
    ev.perm = IOMMU_NONE;
    ev.translated_addr = 0;
    ev.iova = 0x3000;
    ev.size = 0x10000;
    g_string_truncate(all.log, 0);
    g_string_truncate(maps.log, 0);
    g_string_truncate(part.log, 0);
    g_assert_true(memory_region_notify_iommu(&t.iommu.mr, &ev));
    g_assert_cmpstr(all.log->str, ==, "unmap 0x3000+0x10000->0x0/0;");
    g_assert_cmpstr(maps.log->str, ==, "");
    g_assert_cmpstr(part.log->str, ==, "unmap 0x3000+0x1000->0x0/0;");
    /* Outside a notifier's range: not told. */
    g_string_truncate(part.log, 0);
    ev.iova = 0x4000;
    ev.size = 0x1000;
    g_assert_true(memory_region_notify_iommu(&t.iommu.mr, &ev));
    g_assert_cmpstr(part.log->str, ==, "");
    ev.iova = 0x1000;
    g_assert_true(memory_region_notify_iommu(&t.iommu.mr, &ev));
    g_assert_cmpstr(part.log->str, ==, "");

    /* One failing notifier fails the notification; the others still hear. */
    maps.fail = true;
    ev.type = IOMMU_NOTIFIER_MAP;
    ev.perm = IOMMU_RO;
    ev.iova = 0x2000;
    g_string_truncate(all.log, 0);
    g_assert_false(memory_region_notify_iommu(&t.iommu.mr, &ev));
    g_assert_cmpstr(all.log->str, ==, "map 0x2000+0x1000->0x0/1;");
    maps.fail = false;

    /* Replay goes through the IOMMU's replay hook, to one notifier. */
    g_string_truncate(maps.log, 0);
    g_string_truncate(all.log, 0);
    g_assert_true(memory_region_iommu_replay(&t.iommu.mr, &maps.n));
    g_assert_cmpint(t.iommu.replays, ==, 1);
    g_assert_cmpstr(maps.log->str, ==, "map 0x0+0x1000->0x0/3;");
    g_assert_cmpstr(all.log->str, ==, "");
    maps.fail = true;
    g_assert_false(memory_region_iommu_replay(&t.iommu.mr, &maps.n));

    /* Unregistering shrinks the union; twice is harmless. */
    memory_region_unregister_iommu_notifier(&t.iommu.mr, &all.n);
    memory_region_unregister_iommu_notifier(&t.iommu.mr, &part.n);
    g_assert_cmpint(t.iommu.flags_new, ==, IOMMU_NOTIFIER_MAP);
    memory_region_unregister_iommu_notifier(&t.iommu.mr, &maps.n);
    g_assert_cmpint(t.iommu.flags_new, ==, IOMMU_NOTIFIER_NONE);
    memory_region_unregister_iommu_notifier(&t.iommu.mr, &maps.n);
    g_assert_null(maps.n.mr);

    g_string_free(all.log, true);
    g_string_free(maps.log, true);
    g_string_free(part.log, true);
    iommu_fixture_destroy(&t);
}

/* Optional IOMMU hooks: defaults. */
static void test_iommu_minimal_ops(void)
{
    MemoryRegion mr;
    TestNotifier n;

    memory_region_init_iommu(&mr, NULL, &fake_ops_minimal, NULL, "min",
                             0x10000);
    g_assert_true(memory_region_is_iommu(&mr));
    g_assert_false(memory_region_is_ram(&mr));
    g_assert_cmpuint(memory_region_iommu_get_min_page_size(&mr), ==, 4096);
    tn_init(&n, IOMMU_NOTIFIER_ALL, 0, UINT64_MAX);
    g_assert_true(memory_region_register_iommu_notifier(&mr, &n.n, NULL));
    g_assert_true(memory_region_iommu_replay(&mr, &n.n));
    g_assert_cmpstr(n.log->str, ==, "");
    memory_region_unregister_iommu_notifier(&mr, &n.n);
    memory_region_finalize(&mr);
    g_string_free(n.log, true);
}

/* MMIO */

typedef struct TestDevice {
    GString *log;
    uint64_t value;             /* what reads return */
} TestDevice;

static uint64_t td_read(void *opaque, hwaddr addr, unsigned size)
{
    TestDevice *d = opaque;

    g_string_append_printf(d->log, "r%u@0x%" PRIx64 " ", size, addr);
    return d->value >> (8 * (8 - size)) << 0 &
           (size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1);
}

static void td_write(void *opaque, hwaddr addr, uint64_t data, unsigned size)
{
    TestDevice *d = opaque;

    g_string_append_printf(d->log, "w%u@0x%" PRIx64 "=0x%" PRIx64 " ", size,
                           addr, data);
}

static char *td_take(TestDevice *d)
{
    char *s = g_strdup(d->log->str);

    g_string_truncate(d->log, 0);
    g_strchomp(s);
    return s;
}

#define ASSERT_ACCESSES(d, expected) do {                                 \
        g_autofree char *acc_ = td_take(d);                               \
        g_assert_cmpstr(acc_, ==, expected);                              \
    } while (0)

static const MemoryRegionOps ops_max4 = {
    .read = td_read, .write = td_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps ops_default = {
    .read = td_read, .write = td_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
};

static const MemoryRegionOps ops_min4_max8 = {
    .read = td_read, .write = td_write,
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
};

static const MemoryRegionOps ops_le = {
    .read = td_read, .write = td_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .max_access_size = 8 },
};

static const MemoryRegionOps ops_noop = {
    .endianness = DEVICE_BIG_ENDIAN,
    .valid = { .max_access_size = 8 },
};

static void mmio_setup(Fixture *f, MemoryRegion *mr, TestDevice *d,
                       const MemoryRegionOps *ops)
{
    fixture_init(f);
    d->log = g_string_new("");
    d->value = 0x1122334455667788ULL;
    memory_region_init_io(mr, NULL, ops, d, "dev", 0x100);
    memory_region_add_subregion(&f->root, 0x1000, mr);
}

static void mmio_teardown(Fixture *f, MemoryRegion *mr, TestDevice *d)
{
    memory_region_del_subregion(&f->root, mr);
    memory_region_finalize(mr);
    g_string_free(d->log, true);
    fixture_destroy(f);
}

static MemTxResult rd(Fixture *f, hwaddr addr, void *buf, hwaddr len)
{
    return address_space_read(&f->as, addr, MEMTXATTRS_UNSPECIFIED, buf, len);
}

static MemTxResult wr(Fixture *f, hwaddr addr, const void *buf, hwaddr len)
{
    return address_space_write(&f->as, addr, MEMTXATTRS_UNSPECIFIED, buf, len);
}

static void test_mmio_split(void)
{
    Fixture f;
    MemoryRegion mr;
    TestDevice d;
    uint8_t buf[16] = { 0 };

    mmio_setup(&f, &mr, &d, &ops_max4);
    /* 8 bytes to a 4-byte device: two aligned accesses. */
    g_assert_cmpuint(rd(&f, 0x1000, buf, 8), ==, MEMTX_OK);
    ASSERT_ACCESSES(&d, "r4@0x0 r4@0x4");
    /* Unaligned: the largest aligned pieces that fit. */
    rd(&f, 0x1001, buf, 8);
    ASSERT_ACCESSES(&d, "r1@0x1 r2@0x2 r4@0x4 r1@0x8");
    rd(&f, 0x1000, buf, 3);
    ASSERT_ACCESSES(&d, "r2@0x0 r1@0x2");
    rd(&f, 0x1002, buf, 16);
    ASSERT_ACCESSES(&d, "r2@0x2 r4@0x4 r4@0x8 r4@0xc r2@0x10");
    memset(buf, 0, sizeof(buf));
    wr(&f, 0x1006, buf, 6);
    ASSERT_ACCESSES(&d, "w2@0x6=0x0 w4@0x8=0x0");
    /* Across the end of the device: the rest is unassigned. */
    g_assert_cmpuint(rd(&f, 0x10fc, buf, 8), ==, MEMTX_DECODE_ERROR);
    ASSERT_ACCESSES(&d, "r4@0xfc");
    mmio_teardown(&f, &mr, &d);

    /* No limits given: 1 to 4 bytes. */
    mmio_setup(&f, &mr, &d, &ops_default);
    rd(&f, 0x1000, buf, 8);
    ASSERT_ACCESSES(&d, "r4@0x0 r4@0x4");
    mmio_teardown(&f, &mr, &d);
}

static void test_mmio_min_size(void)
{
    Fixture f;
    MemoryRegion mr;
    TestDevice d;
    uint8_t buf[16];

    mmio_setup(&f, &mr, &d, &ops_min4_max8);
    rd(&f, 0x1000, buf, 8);
    ASSERT_ACCESSES(&d, "r8@0x0");
    rd(&f, 0x1000, buf, 16);
    ASSERT_ACCESSES(&d, "r8@0x0 r8@0x8");
    rd(&f, 0x1004, buf, 8);
    ASSERT_ACCESSES(&d, "r4@0x4 r4@0x8");
    /* Too small: never reaches the device; reads give zeros. */
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(rd(&f, 0x1000, buf, 2), ==, MEMTX_DECODE_ERROR);
    ASSERT_ACCESSES(&d, "");
    g_assert_cmphex(buf[0], ==, 0);
    g_assert_cmphex(buf[1], ==, 0);
    g_assert_cmphex(buf[2], ==, 0xee);
    g_assert_cmpuint(wr(&f, 0x1000, buf, 1), ==, MEMTX_DECODE_ERROR);
    ASSERT_ACCESSES(&d, "");
    /* Misaligned 8 bytes: refused pieces and accepted ones. */
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(rd(&f, 0x1002, buf, 8), ==, MEMTX_DECODE_ERROR);
    ASSERT_ACCESSES(&d, "r4@0x4");
    g_assert_cmphex(buf[0], ==, 0);
    g_assert_cmphex(buf[1], ==, 0);
    g_assert_cmphex(buf[2], ==, 0x11);
    g_assert_cmphex(buf[6], ==, 0);
    g_assert_cmphex(buf[7], ==, 0);
    mmio_teardown(&f, &mr, &d);
}

static void test_mmio_endianness(void)
{
    Fixture f;
    MemoryRegion mr;
    TestDevice d;
    uint8_t buf[8];
    const uint8_t bytes[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                               0x88 };

    /* Big endian (and native, on pseries): most significant byte first. */
    mmio_setup(&f, &mr, &d, &ops_default);
    d.value = 0xaabbccdd00000000ULL;
    rd(&f, 0x1000, buf, 4);
    g_assert_cmpmem(buf, 4, ((uint8_t[]){ 0xaa, 0xbb, 0xcc, 0xdd }), 4);
    wr(&f, 0x1000, bytes, 4);
    ASSERT_ACCESSES(&d, "r4@0x0 w4@0x0=0x11223344");
    wr(&f, 0x1000, bytes, 2);
    ASSERT_ACCESSES(&d, "w2@0x0=0x1122");
    mmio_teardown(&f, &mr, &d);

    mmio_setup(&f, &mr, &d, &ops_le);
    d.value = 0x1122334455667788ULL;
    rd(&f, 0x1000, buf, 8);
    g_assert_cmpmem(buf, 8, ((uint8_t[]){ 0x88, 0x77, 0x66, 0x55, 0x44, 0x33,
                                          0x22, 0x11 }), 8);
    wr(&f, 0x1000, bytes, 8);
    wr(&f, 0x1000, bytes, 4);
    ASSERT_ACCESSES(&d, "r8@0x0 w8@0x0=0x8877665544332211 "
                    "w4@0x0=0x44332211");
    mmio_teardown(&f, &mr, &d);
}

/* No callbacks: reads are zero, writes vanish; read-only drops writes. */
static void test_mmio_noop_and_readonly(void)
{
    Fixture f;
    MemoryRegion mr, ro;
    TestDevice d;
    uint8_t buf[8];

    mmio_setup(&f, &mr, &d, &ops_noop);
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(rd(&f, 0x1000, buf, 8), ==, MEMTX_OK);
    g_assert_cmphex(ldq_be_p(buf), ==, 0);
    g_assert_cmpuint(wr(&f, 0x1000, buf, 8), ==, MEMTX_OK);
    mmio_teardown(&f, &mr, &d);

    mmio_setup(&f, &mr, &d, &ops_max4);
    memory_region_init_alias(&ro, NULL, "ro", &mr, 0, 0x100);
    ro.readonly = true;
    memory_region_add_subregion(&f.root, 0x2000, &ro);
    wr(&f, 0x2000, buf, 4);
    rd(&f, 0x2000, buf, 4);
    ASSERT_ACCESSES(&d, "r4@0x0");
    memory_region_del_subregion(&f.root, &ro);
    memory_region_finalize(&ro);
    mmio_teardown(&f, &mr, &d);
}

/*
 * A region with neither RAM nor callbacks behind it (an I/O region
 * without ops, device RAM that is not to be touched): reads are zeros,
 * never whatever was in the caller's buffer.
 */
static void test_no_backing(void)
{
    Fixture f;
    MemoryRegion io;
    MemoryRegion *ramd = new_ram("ramd", 0x1000);
    uint8_t buf[8];

    fixture_init(&f);
    memory_region_init_io(&io, NULL, NULL, NULL, "noops", 0x100);
    memory_region_add_subregion(&f.root, 0x1000, &io);
    ramd->ram_device = true;
    memset(ramd->ram_ptr, 0x77, 0x1000);
    memory_region_add_subregion(&f.root, 0x2000, ramd);
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(rd(&f, 0x1000, buf, 8), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ldq_be_p(buf), ==, 0);
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(rd(&f, 0x2000, buf, 8), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ldq_be_p(buf), ==, 0);
    g_assert_cmpuint(wr(&f, 0x2000, buf, 8), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ramd->ram_ptr[0], ==, 0x77);
    g_assert_null(address_space_get_ram_ptr(&f.as, 0x2000, NULL, NULL));
    memory_region_del_subregion(&f.root, &io);
    memory_region_finalize(&io);
    free_region(ramd);
    fixture_destroy(&f);
}

/* RAM */

static void test_unassigned(void)
{
    Fixture f;
    MemoryRegion *ram = new_ram("ram", 0x1000);
    uint8_t buf[0x3000];

    fixture_init(&f);
    memory_region_add_subregion(&f.root, 0x1000, ram);
    memset(ram->ram_ptr, 0x5a, 0x1000);
    /* Hole, RAM, hole: only the RAM part is read, the rest is zeros. */
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(rd(&f, 0x800, buf, 0x1800 + 0x800), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmphex(buf[0x7ff], ==, 0);
    g_assert_cmphex(buf[0x800], ==, 0x5a);
    g_assert_cmphex(buf[0x17ff], ==, 0x5a);
    g_assert_cmphex(buf[0x1800], ==, 0);
    g_assert_cmphex(buf[0x1fff], ==, 0);
    /* Writes to the holes vanish; the RAM part lands. */
    memset(buf, 0x11, sizeof(buf));
    g_assert_cmpuint(wr(&f, 0xff0, buf, 0x20), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ram->ram_ptr[0], ==, 0x11);
    g_assert_cmphex(ram->ram_ptr[0xf], ==, 0x11);
    g_assert_cmphex(ram->ram_ptr[0x10], ==, 0x5a);
    /* Entirely in RAM: OK. Zero length: OK, nothing touched. */
    g_assert_cmpuint(rd(&f, 0x1000, buf, 0x1000), ==, MEMTX_OK);
    g_assert_cmpuint(rd(&f, 0x100000, buf, 0), ==, MEMTX_OK);
    g_assert_cmpuint(address_space_set(&f.as, 0x1800, 0x22, 0x1000,
                                       MEMTXATTRS_UNSPECIFIED), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmphex(ram->ram_ptr[0x7ff], ==, 0x5a);
    g_assert_cmphex(ram->ram_ptr[0x800], ==, 0x22);
    g_assert_cmphex(ram->ram_ptr[0xfff], ==, 0x22);
    free_region(ram);
    fixture_destroy(&f);
}

static void test_ram_access(void)
{
    Fixture f;
    MemoryRegion *ram = new_ram("ram", 0x10000);
    MemoryRegion ro;
    MemTxResult res;
    hwaddr len;
    MemoryRegion *found;
    uint8_t *p;

    fixture_init(&f);
    memory_region_add_subregion(&f.root, 0x10000, ram);
    address_space_stl_be(&f.as, 0x10004, 0xdeadbeef, &res);
    g_assert_cmpuint(res, ==, MEMTX_OK);
    g_assert_cmphex(address_space_ldl_be(&f.as, 0x10004, &res), ==,
                    0xdeadbeef);
    g_assert_cmphex(address_space_ldq_be(&f.as, 0x10000, NULL), ==,
                    0xdeadbeef);
    g_assert_cmphex(ram->ram_ptr[4], ==, 0xde);
    g_assert_cmphex(address_space_ldl_be(&f.as, 0xfffc, &res), ==, 0);
    g_assert_cmpuint(res, ==, MEMTX_DECODE_ERROR);

    /* The host pointer and how far it reaches. */
    p = address_space_get_ram_ptr(&f.as, 0x10100, &len, &found);
    g_assert_true(p == ram->ram_ptr + 0x100);
    g_assert_cmphex(len, ==, 0xff00);
    g_assert_true(found == ram);
    g_assert_null(address_space_get_ram_ptr(&f.as, 0x20000, &len, NULL));
    g_assert_true(memory_region_get_ram_ptr(ram) == ram->ram_ptr);
    g_assert_cmpuint(memory_region_size(ram), ==, 0x10000);
    g_assert_true(memory_region_is_ram(ram));
    g_assert_cmpuint(ram->ram_page_size, ==, (uint64_t)getpagesize());

    /* A read-only view drops writes. */
    memory_region_init_alias(&ro, NULL, "ro", ram, 0, 0x1000);
    ro.readonly = true;
    memory_region_add_subregion(&f.root, 0x40000, &ro);
    address_space_stl_be(&f.as, 0x40004, 0x12345678, &res);
    g_assert_cmphex(address_space_ldl_be(&f.as, 0x40004, NULL), ==,
                    0xdeadbeef);
    memory_region_del_subregion(&f.root, &ro);
    memory_region_finalize(&ro);
    free_region(ram);
    fixture_destroy(&f);
}

static bool dirty(MemoryRegion *mr, uint64_t page)
{
    const unsigned bits = sizeof(unsigned long) * 8;

    return mr->dirty_bitmap[page / bits] & (1UL << (page % bits));
}

static void test_dirty_logging(void)
{
    Fixture f;
    MemoryRegion *ram = new_ram("ram", 1 * MiB);
    uint8_t buf[0x2000] = { 0 };

    fixture_init(&f);
    memory_region_add_subregion(&f.root, 0, ram);
    wr(&f, 0x3000, buf, 1);
    g_assert_null(ram->dirty_bitmap);
    memory_region_set_dirty_logging(ram, true);
    g_assert_nonnull(ram->dirty_bitmap);
    wr(&f, 0x5fff, buf, 2);
    wr(&f, 0x10000, buf, 0x2000);
    rd(&f, 0x20000, buf, 0x10);
    g_assert_false(dirty(ram, 3));
    g_assert_true(dirty(ram, 5));
    g_assert_true(dirty(ram, 6));
    g_assert_false(dirty(ram, 7));
    g_assert_true(dirty(ram, 0x10));
    g_assert_true(dirty(ram, 0x11));
    g_assert_false(dirty(ram, 0x12));
    g_assert_false(dirty(ram, 0x20));
    /* The last page of the region. */
    memory_region_set_dirty(ram, 1 * MiB - 1, 1);
    g_assert_true(dirty(ram, 255));
    memory_region_set_dirty(ram, 0, 0);
    g_assert_false(dirty(ram, 0));
    memory_region_set_dirty_logging(ram, false);
    g_assert_null(ram->dirty_bitmap);
    memory_region_set_dirty(ram, 0, 1);
    free_region(ram);
    fixture_destroy(&f);
}

/* A 1 TiB region costs nothing until touched. */
static void test_ram_lazy(void)
{
    MemoryRegion *big = new_ram("big", 1ULL << 40);

    big->ram_ptr[(1ULL << 40) - 1] = 1;
    g_assert_cmphex(big->ram_ptr[(1ULL << 40) - 1], ==, 1);
    g_assert_cmphex(big->ram_ptr[1ULL << 39], ==, 0);
    free_region(big);
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
    g_test_add_func("/memory/iommu/dispatch", test_iommu_dispatch);
    g_test_add_func("/memory/iommu/large-pages", test_iommu_large_pages);
    g_test_add_func("/memory/iommu/loop", test_iommu_loop);
    g_test_add_func("/memory/iommu/notifiers", test_iommu_notifiers);
    g_test_add_func("/memory/iommu/minimal-ops", test_iommu_minimal_ops);
    g_test_add_func("/memory/mmio/split", test_mmio_split);
    g_test_add_func("/memory/mmio/min-size", test_mmio_min_size);
    g_test_add_func("/memory/mmio/endianness", test_mmio_endianness);
    g_test_add_func("/memory/mmio/noop-readonly", test_mmio_noop_and_readonly);
    g_test_add_func("/memory/access/no-backing", test_no_backing);
    g_test_add_func("/memory/access/unassigned", test_unassigned);
    g_test_add_func("/memory/access/ram", test_ram_access);
    g_test_add_func("/memory/access/dirty-logging", test_dirty_logging);
    g_test_add_func("/memory/access/ram-lazy", test_ram_lazy);
    return g_test_run();
}
