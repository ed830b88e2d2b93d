/*
 * The memory layer's IOMMU regions: dispatch through a fake IOMMU (pages,
 * permissions, loops), notifiers and their flags, replay, and the
 * defaults of the optional hooks.
 *
 * Every test builds its own address spaces on their own root containers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "memory-fixture.h"

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
    MemFixture bus, mem;
    FakeIommu iommu;
    MemoryRegion *ram;
} IommuFixture;

static void iommu_fixture_init(IommuFixture *t)
{
    mem_fixture_init(&t->bus);
    mem_fixture_init(&t->mem);
    memset(&t->iommu, 0, sizeof(t->iommu));
    t->iommu.target = &t->mem.as;
    t->iommu.mask = 0xfff;
    memory_region_init_iommu(&t->iommu.mr, NULL, &fake_ops, &t->iommu, "iommu",
                             FAKE_PAGES * 0x1000);
    memory_region_add_subregion(&t->bus.root, 0x100000, &t->iommu.mr);
    t->ram = mem_new_ram("ram", 64 * KiB);
    memory_region_add_subregion(&t->mem.root, 0, t->ram);
    for (uint64_t i = 0; i < 64 * KiB; i++) {
        t->ram->ram_ptr[i] = i ^ (i >> 8);
    }
}

static void iommu_fixture_destroy(IommuFixture *t)
{
    memory_region_del_subregion(&t->bus.root, &t->iommu.mr);
    memory_region_finalize(&t->iommu.mr);
    mem_free_region(t->ram);
    mem_fixture_destroy(&t->bus);
    mem_fixture_destroy(&t->mem);
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/iommu/dispatch", test_iommu_dispatch);
    g_test_add_func("/memory/iommu/large-pages", test_iommu_large_pages);
    g_test_add_func("/memory/iommu/loop", test_iommu_loop);
    g_test_add_func("/memory/iommu/notifiers", test_iommu_notifiers);
    g_test_add_func("/memory/iommu/minimal-ops", test_iommu_minimal_ops);
    return g_test_run();
}
