/*
 * A slab of fixed-size, zeroed objects for large sparse tables.
 *
 * Objects are carved from chunks obtained with mmap.  The first chunks are
 * small, so a table that stays sparse costs little; once the slab holds
 * more, chunks are 2 MiB, 2 MiB aligned and advised for transparent huge
 * pages, so filling a dense table takes one page fault per 2 MiB instead
 * of one per 4 KiB.  Freed objects are reused; chunks go back to the
 * system only when the slab is destroyed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_SLAB_H
#define QEMU_SLAB_H

typedef struct QemuSlab {
    size_t obj_size;
    void *free_list;
    uint8_t *cur;
    size_t left;
    GPtrArray *chunks;          /* QemuSlabChunk */
    uint64_t chunk_bytes;       /* mapped for this slab */
} QemuSlab;

/* obj_size: a multiple of 8, at most 2 MiB. */
void qemu_slab_init(QemuSlab *s, size_t obj_size);
/* A zeroed object, or NULL when memory cannot be mapped. */
void *qemu_slab_alloc0(QemuSlab *s);
void qemu_slab_free(QemuSlab *s, void *obj);
void qemu_slab_destroy(QemuSlab *s);

#endif
