/*
 * What the memory layer's unit tests share (tests/unit/memory-fixture.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "memory-fixture.h"

void mem_fixture_init(MemFixture *f)
{
    memory_region_init(&f->root, NULL, "root", UINT64_MAX);
    address_space_init(&f->as, &f->root, "test");
}

void mem_fixture_destroy(MemFixture *f)
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

char *mem_render(AddressSpace *as)
{
    GString *s = g_string_new("");

    address_space_foreach_section(as, render_one, s);
    if (s->len) {
        g_string_truncate(s, s->len - 1);
    }
    return g_string_free(s, false);
}

MemoryRegion *mem_new_container(const char *name, uint64_t size)
{
    MemoryRegion *mr = g_new0(MemoryRegion, 1);

    memory_region_init(mr, NULL, name, size);
    return mr;
}

MemoryRegion *mem_new_ram(const char *name, uint64_t size)
{
    MemoryRegion *mr = g_new0(MemoryRegion, 1);

    g_assert_true(memory_region_init_ram(mr, NULL, name, size, NULL));
    return mr;
}

void mem_free_region(MemoryRegion *mr)
{
    if (mr->container) {
        memory_region_del_subregion(mr->container, mr);
    }
    memory_region_finalize(mr);
    g_free(mr);
}

MemTxResult mem_rd(MemFixture *f, hwaddr addr, void *buf, hwaddr len)
{
    return address_space_read(&f->as, addr, MEMTXATTRS_UNSPECIFIED, buf, len);
}

MemTxResult mem_wr(MemFixture *f, hwaddr addr, const void *buf, hwaddr len)
{
    return address_space_write(&f->as, addr, MEMTXATTRS_UNSPECIFIED, buf, len);
}
