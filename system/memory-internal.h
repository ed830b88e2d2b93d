/*
 * Private to system/memory.c and system/physmem.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSTEM_MEMORY_INTERNAL_H
#define SYSTEM_MEMORY_INTERNAL_H

typedef struct FlatRange {
    hwaddr start, last;         /* [start, last] in the address space */
    MemoryRegion *mr;
    uint64_t offset_in_region;
    bool readonly;
} FlatRange;

struct FlatView {
    FlatRange *ranges;
    unsigned nr;
};

void flatrange_to_section(AddressSpace *as, const FlatRange *fr,
                          MemoryRegionSection *s);
void memory_region_ram_free(MemoryRegion *mr);

#endif
