/*
 * A slab of fixed-size, zeroed objects (see include/qemu/slab.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include "qemu/mmap-alloc.h"
#include "qemu/slab.h"

#define SLAB_SMALL_CHUNK    (64 * 1024)
#define SLAB_HUGE_CHUNK     (2 * 1024 * 1024)
#define SLAB_SMALL_LIMIT    (256 * 1024)    /* mapped before going huge */

typedef struct QemuSlabChunk {
    void *base;
    size_t size;
} QemuSlabChunk;

void qemu_slab_init(QemuSlab *s, size_t obj_size)
{
    g_assert(obj_size && obj_size % 8 == 0 && obj_size <= SLAB_HUGE_CHUNK);
    memset(s, 0, sizeof(*s));
    s->obj_size = obj_size;
    s->chunks = g_ptr_array_new();
}

static bool slab_grow(QemuSlab *s)
{
    bool huge = s->chunk_bytes >= SLAB_SMALL_LIMIT ||
                s->obj_size > SLAB_SMALL_CHUNK;
    size_t size = huge ? SLAB_HUGE_CHUNK : SLAB_SMALL_CHUNK;
    QemuSlabChunk *c;
    void *p = qemu_anon_mmap_aligned(size, huge ? SLAB_HUGE_CHUNK :
                                     (size_t)getpagesize(), 0);

    if (!p) {
        return false;
    }
#ifdef MADV_HUGEPAGE
    if (huge) {
        madvise(p, size, MADV_HUGEPAGE);   /* a hint: fine if refused */
    }
#endif
    c = g_new(QemuSlabChunk, 1);
    c->base = p;
    c->size = size;
    g_ptr_array_add(s->chunks, c);
    s->chunk_bytes += size;
    s->cur = p;
    s->left = size;
    return true;
}

void *qemu_slab_alloc0(QemuSlab *s)
{
    void *obj = s->free_list;

    if (obj) {
        s->free_list = *(void **)obj;
        memset(obj, 0, s->obj_size);
        return obj;
    }
    if (s->left < s->obj_size && !slab_grow(s)) {
        return NULL;
    }
    obj = s->cur;               /* fresh mappings are already zero */
    s->cur += s->obj_size;
    s->left -= s->obj_size;
    return obj;
}

void qemu_slab_free(QemuSlab *s, void *obj)
{
    if (obj) {
        *(void **)obj = s->free_list;
        s->free_list = obj;
    }
}

void qemu_slab_destroy(QemuSlab *s)
{
    for (guint i = 0; s->chunks && i < s->chunks->len; i++) {
        QemuSlabChunk *c = g_ptr_array_index(s->chunks, i);

        munmap(c->base, c->size);
        g_free(c);
    }
    if (s->chunks) {
        g_ptr_array_free(s->chunks, true);
    }
    memset(s, 0, sizeof(*s));
}
