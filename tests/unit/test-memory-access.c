/*
 * The memory layer's accesses: MMIO size splitting, minimum sizes and
 * endianness, regions without callbacks or backing, unassigned space,
 * RAM, dirty logging and lazily backed RAM.
 *
 * Every test builds its own address space on its own root container.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "memory-fixture.h"

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

static void mmio_setup(MemFixture *f, MemoryRegion *mr, TestDevice *d,
                       const MemoryRegionOps *ops)
{
    mem_fixture_init(f);
    d->log = g_string_new("");
    d->value = 0x1122334455667788ULL;
    memory_region_init_io(mr, NULL, ops, d, "dev", 0x100);
    memory_region_add_subregion(&f->root, 0x1000, mr);
}

static void mmio_teardown(MemFixture *f, MemoryRegion *mr, TestDevice *d)
{
    memory_region_del_subregion(&f->root, mr);
    memory_region_finalize(mr);
    g_string_free(d->log, true);
    mem_fixture_destroy(f);
}

static void test_mmio_split(void)
{
    MemFixture f;
    MemoryRegion mr;
    TestDevice d;
    uint8_t buf[16] = { 0 };

    mmio_setup(&f, &mr, &d, &ops_max4);
    /* 8 bytes to a 4-byte device: two aligned accesses. */
    g_assert_cmpuint(mem_rd(&f, 0x1000, buf, 8), ==, MEMTX_OK);
    ASSERT_ACCESSES(&d, "r4@0x0 r4@0x4");
    /* Unaligned: the largest aligned pieces that fit. */
    mem_rd(&f, 0x1001, buf, 8);
    ASSERT_ACCESSES(&d, "r1@0x1 r2@0x2 r4@0x4 r1@0x8");
    mem_rd(&f, 0x1000, buf, 3);
    ASSERT_ACCESSES(&d, "r2@0x0 r1@0x2");
    mem_rd(&f, 0x1002, buf, 16);
    ASSERT_ACCESSES(&d, "r2@0x2 r4@0x4 r4@0x8 r4@0xc r2@0x10");
    memset(buf, 0, sizeof(buf));
    mem_wr(&f, 0x1006, buf, 6);
    ASSERT_ACCESSES(&d, "w2@0x6=0x0 w4@0x8=0x0");
    /* Across the end of the device: the rest is unassigned. */
    g_assert_cmpuint(mem_rd(&f, 0x10fc, buf, 8), ==, MEMTX_DECODE_ERROR);
    ASSERT_ACCESSES(&d, "r4@0xfc");
    mmio_teardown(&f, &mr, &d);

    /* No limits given: 1 to 4 bytes. */
    mmio_setup(&f, &mr, &d, &ops_default);
    mem_rd(&f, 0x1000, buf, 8);
    ASSERT_ACCESSES(&d, "r4@0x0 r4@0x4");
    mmio_teardown(&f, &mr, &d);
}

static void test_mmio_min_size(void)
{
    MemFixture f;
    MemoryRegion mr;
    TestDevice d;
    uint8_t buf[16];

    mmio_setup(&f, &mr, &d, &ops_min4_max8);
    mem_rd(&f, 0x1000, buf, 8);
    ASSERT_ACCESSES(&d, "r8@0x0");
    mem_rd(&f, 0x1000, buf, 16);
    ASSERT_ACCESSES(&d, "r8@0x0 r8@0x8");
    mem_rd(&f, 0x1004, buf, 8);
    ASSERT_ACCESSES(&d, "r4@0x4 r4@0x8");
    /* Too small: never reaches the device; reads give zeros. */
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(mem_rd(&f, 0x1000, buf, 2), ==, MEMTX_DECODE_ERROR);
    ASSERT_ACCESSES(&d, "");
    g_assert_cmphex(buf[0], ==, 0);
    g_assert_cmphex(buf[1], ==, 0);
    g_assert_cmphex(buf[2], ==, 0xee);
    g_assert_cmpuint(mem_wr(&f, 0x1000, buf, 1), ==, MEMTX_DECODE_ERROR);
    ASSERT_ACCESSES(&d, "");
    /* Misaligned 8 bytes: refused pieces and accepted ones. */
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(mem_rd(&f, 0x1002, buf, 8), ==, MEMTX_DECODE_ERROR);
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
    MemFixture f;
    MemoryRegion mr;
    TestDevice d;
    uint8_t buf[8];
    const uint8_t bytes[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                               0x88 };

    /* Big endian (and native, on pseries): most significant byte first. */
    mmio_setup(&f, &mr, &d, &ops_default);
    d.value = 0xaabbccdd00000000ULL;
    mem_rd(&f, 0x1000, buf, 4);
    g_assert_cmpmem(buf, 4, ((uint8_t[]){ 0xaa, 0xbb, 0xcc, 0xdd }), 4);
    mem_wr(&f, 0x1000, bytes, 4);
    ASSERT_ACCESSES(&d, "r4@0x0 w4@0x0=0x11223344");
    mem_wr(&f, 0x1000, bytes, 2);
    ASSERT_ACCESSES(&d, "w2@0x0=0x1122");
    mmio_teardown(&f, &mr, &d);

    mmio_setup(&f, &mr, &d, &ops_le);
    d.value = 0x1122334455667788ULL;
    mem_rd(&f, 0x1000, buf, 8);
    g_assert_cmpmem(buf, 8, ((uint8_t[]){ 0x88, 0x77, 0x66, 0x55, 0x44, 0x33,
                                          0x22, 0x11 }), 8);
    mem_wr(&f, 0x1000, bytes, 8);
    mem_wr(&f, 0x1000, bytes, 4);
    ASSERT_ACCESSES(&d, "r8@0x0 w8@0x0=0x8877665544332211 "
                    "w4@0x0=0x44332211");
    mmio_teardown(&f, &mr, &d);
}

/* No callbacks: reads are zero, writes vanish; read-only drops writes. */
static void test_mmio_noop_and_readonly(void)
{
    MemFixture f;
    MemoryRegion mr, ro;
    TestDevice d;
    uint8_t buf[8];

    mmio_setup(&f, &mr, &d, &ops_noop);
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(mem_rd(&f, 0x1000, buf, 8), ==, MEMTX_OK);
    g_assert_cmphex(ldq_be_p(buf), ==, 0);
    g_assert_cmpuint(mem_wr(&f, 0x1000, buf, 8), ==, MEMTX_OK);
    mmio_teardown(&f, &mr, &d);

    mmio_setup(&f, &mr, &d, &ops_max4);
    memory_region_init_alias(&ro, NULL, "ro", &mr, 0, 0x100);
    ro.readonly = true;
    memory_region_add_subregion(&f.root, 0x2000, &ro);
    mem_wr(&f, 0x2000, buf, 4);
    mem_rd(&f, 0x2000, buf, 4);
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
    MemFixture f;
    MemoryRegion io;
    MemoryRegion *ramd = mem_new_ram("ramd", 0x1000);
    uint8_t buf[8];

    mem_fixture_init(&f);
    memory_region_init_io(&io, NULL, NULL, NULL, "noops", 0x100);
    memory_region_add_subregion(&f.root, 0x1000, &io);
    ramd->ram_device = true;
    memset(ramd->ram_ptr, 0x77, 0x1000);
    memory_region_add_subregion(&f.root, 0x2000, ramd);
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(mem_rd(&f, 0x1000, buf, 8), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ldq_be_p(buf), ==, 0);
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(mem_rd(&f, 0x2000, buf, 8), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ldq_be_p(buf), ==, 0);
    g_assert_cmpuint(mem_wr(&f, 0x2000, buf, 8), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ramd->ram_ptr[0], ==, 0x77);
    g_assert_null(address_space_get_ram_ptr(&f.as, 0x2000, NULL, NULL));
    memory_region_del_subregion(&f.root, &io);
    memory_region_finalize(&io);
    mem_free_region(ramd);
    mem_fixture_destroy(&f);
}

/* RAM */

static void test_unassigned(void)
{
    MemFixture f;
    MemoryRegion *ram = mem_new_ram("ram", 0x1000);
    uint8_t buf[0x3000];

    mem_fixture_init(&f);
    memory_region_add_subregion(&f.root, 0x1000, ram);
    memset(ram->ram_ptr, 0x5a, 0x1000);
    /* Hole, RAM, hole: only the RAM part is read, the rest is zeros. */
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpuint(mem_rd(&f, 0x800, buf, 0x1800 + 0x800), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmphex(buf[0x7ff], ==, 0);
    g_assert_cmphex(buf[0x800], ==, 0x5a);
    g_assert_cmphex(buf[0x17ff], ==, 0x5a);
    g_assert_cmphex(buf[0x1800], ==, 0);
    g_assert_cmphex(buf[0x1fff], ==, 0);
    /* Writes to the holes vanish; the RAM part lands. */
    memset(buf, 0x11, sizeof(buf));
    g_assert_cmpuint(mem_wr(&f, 0xff0, buf, 0x20), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(ram->ram_ptr[0], ==, 0x11);
    g_assert_cmphex(ram->ram_ptr[0xf], ==, 0x11);
    g_assert_cmphex(ram->ram_ptr[0x10], ==, 0x5a);
    /* Entirely in RAM: OK. Zero length: OK, nothing touched. */
    g_assert_cmpuint(mem_rd(&f, 0x1000, buf, 0x1000), ==, MEMTX_OK);
    g_assert_cmpuint(mem_rd(&f, 0x100000, buf, 0), ==, MEMTX_OK);
    g_assert_cmpuint(address_space_set(&f.as, 0x1800, 0x22, 0x1000,
                                       MEMTXATTRS_UNSPECIFIED), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmphex(ram->ram_ptr[0x7ff], ==, 0x5a);
    g_assert_cmphex(ram->ram_ptr[0x800], ==, 0x22);
    g_assert_cmphex(ram->ram_ptr[0xfff], ==, 0x22);
    mem_free_region(ram);
    mem_fixture_destroy(&f);
}

static void test_ram_access(void)
{
    MemFixture f;
    MemoryRegion *ram = mem_new_ram("ram", 0x10000);
    MemoryRegion ro;
    MemTxResult res;
    hwaddr len;
    MemoryRegion *found;
    uint8_t *p;

    mem_fixture_init(&f);
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
    mem_free_region(ram);
    mem_fixture_destroy(&f);
}

static bool dirty(MemoryRegion *mr, uint64_t page)
{
    const unsigned bits = sizeof(unsigned long) * 8;

    return mr->dirty_bitmap[page / bits] & (1UL << (page % bits));
}

static void test_dirty_logging(void)
{
    MemFixture f;
    MemoryRegion *ram = mem_new_ram("ram", 1 * MiB);
    uint8_t buf[0x2000] = { 0 };

    mem_fixture_init(&f);
    memory_region_add_subregion(&f.root, 0, ram);
    mem_wr(&f, 0x3000, buf, 1);
    g_assert_null(ram->dirty_bitmap);
    memory_region_set_dirty_logging(ram, true);
    g_assert_nonnull(ram->dirty_bitmap);
    mem_wr(&f, 0x5fff, buf, 2);
    mem_wr(&f, 0x10000, buf, 0x2000);
    mem_rd(&f, 0x20000, buf, 0x10);
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
    mem_free_region(ram);
    mem_fixture_destroy(&f);
}

/* A 1 TiB region costs nothing until touched. */
static void test_ram_lazy(void)
{
    MemoryRegion *big = mem_new_ram("big", 1ULL << 40);

    big->ram_ptr[(1ULL << 40) - 1] = 1;
    g_assert_cmphex(big->ram_ptr[(1ULL << 40) - 1], ==, 1);
    g_assert_cmphex(big->ram_ptr[1ULL << 39], ==, 0);
    mem_free_region(big);
}


int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
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
