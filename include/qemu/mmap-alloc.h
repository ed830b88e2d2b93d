/*
 * Anonymous memory mappings aligned beyond the page size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_MMAP_ALLOC_H
#define QEMU_MMAP_ALLOC_H

/*
 * Maps size bytes of private anonymous memory at an address aligned to
 * align (a power of two), with extra mmap flags (e.g. MAP_NORESERVE).
 * The slack around it is unmapped at once.  NULL on failure (errno set).
 */
void *qemu_anon_mmap_aligned(size_t size, size_t align, int flags);

#endif
