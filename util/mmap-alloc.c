/*
 * Anonymous memory mappings aligned beyond the page size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include "qemu/mmap-alloc.h"

void *qemu_anon_mmap_aligned(size_t size, size_t align, int flags)
{
    uint8_t *p, *start;

    if (size + align < size) {
        errno = ENOMEM;
        return NULL;
    }
    p = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    start = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)p, align);
    if (start > p) {
        munmap(p, start - p);
    }
    munmap(start + size, p + align - start);
    return start;
}
