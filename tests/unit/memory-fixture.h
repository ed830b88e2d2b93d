/*
 * What the memory layer's unit tests share: an address space on a root
 * container of its own, its flat view as text, regions made and freed,
 * and accesses through the address space.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_MEMORY_FIXTURE_H
#define TESTS_UNIT_MEMORY_FIXTURE_H

#include "exec/memory.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)

typedef struct MemFixture {
    MemoryRegion root;
    AddressSpace as;
} MemFixture;

void mem_fixture_init(MemFixture *f);
void mem_fixture_destroy(MemFixture *f);
/* The flat view as "name[start+size]@offset ..." in address order. */
char *mem_render(AddressSpace *as);

#define ASSERT_VIEW(as, expected) do {                                    \
        g_autofree char *view_ = mem_render(as);                          \
        g_assert_cmpstr(view_, ==, expected);                             \
    } while (0)

MemoryRegion *mem_new_container(const char *name, uint64_t size);
MemoryRegion *mem_new_ram(const char *name, uint64_t size);
/* Takes mr out of its container, if any, and frees it. */
void mem_free_region(MemoryRegion *mr);
MemTxResult mem_rd(MemFixture *f, hwaddr addr, void *buf, hwaddr len);
MemTxResult mem_wr(MemFixture *f, hwaddr addr, const void *buf, hwaddr len);

#endif
