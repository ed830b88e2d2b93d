/*
 * "info mtree": the memory region tree of every address space, with
 * absolute addresses, in the layout of QEMU's monitor.
 *
 * Address spaces sharing a root are listed together above one tree; the
 * regions aliases point into are printed afterwards when no address space
 * showed them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "monitor/hmp.h"

typedef struct MtreeState {
    GString *out;
    GPtrArray *roots;           /* MemoryRegion, first seen order */
    GHashTable *root_names;     /* root -> GString of "address-space:" */
    GHashTable *printed;        /* MemoryRegion set */
    GPtrArray *alias_targets;
} MtreeState;

static const char *mtree_kind(const MemoryRegion *mr)
{
    switch (mr->kind) {
    case MR_RAM:
        return mr->ram_device ? "ramd" : mr->readonly ? "rom" : "ram";
    case MR_IOMMU:
        return "iommu";
    default:
        return "i/o";
    }
}

static uint64_t mtree_clamp(unsigned __int128 v)
{
    return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

static void mtree_print_mr(MtreeState *s, MemoryRegion *mr,
                           unsigned __int128 base, int level)
{
    unsigned __int128 start = base + mr->addr;
    unsigned __int128 size = mr->size == UINT64_MAX ?
                             (unsigned __int128)1 << 64 : mr->size;
    uint64_t end = mtree_clamp(size ? start + size - 1 : start);

    g_hash_table_add(s->printed, mr);
    hmp_printf(s->out, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %d, %s): %s",
               level * 2, "", mtree_clamp(start), end, mr->priority,
               mtree_kind(mr), mr->name ? mr->name : "anonymous");
    if (mr->kind == MR_ALIAS && mr->alias) {
        hmp_printf(s->out, " alias %s @%016" PRIx64 "-%016" PRIx64,
                   mr->alias->name ? mr->alias->name : "anonymous",
                   mr->alias_offset,
                   mtree_clamp((unsigned __int128)mr->alias_offset +
                               (size ? size - 1 : 0)));
        g_ptr_array_add(s->alias_targets, mr->alias);
    }
    hmp_printf(s->out, "%s\n", mr->enabled ? "" : " [disabled]");
    for (GList *l = mr->subregions; l; l = l->next) {
        mtree_print_mr(s, l->data, start, level + 1);
    }
}

static void mtree_collect_as(AddressSpace *as, void *opaque)
{
    MtreeState *s = opaque;
    GString *names = g_hash_table_lookup(s->root_names, as->root);

    if (!names) {
        names = g_string_new(NULL);
        g_hash_table_insert(s->root_names, as->root, names);
        g_ptr_array_add(s->roots, as->root);
    }
    hmp_printf(names, "address-space: %s\n", as->name ? as->name : "");
}

static void mtree_free_names(gpointer p)
{
    g_string_free(p, true);
}

static void hmp_info_mtree(GString *out)
{
    MtreeState s = {
        .out = out,
        .roots = g_ptr_array_new(),
        .root_names = g_hash_table_new_full(NULL, NULL, NULL,
                                            mtree_free_names),
        .printed = g_hash_table_new(NULL, NULL),
        .alias_targets = g_ptr_array_new(),
    };

    address_space_foreach(mtree_collect_as, &s);
    for (guint i = 0; i < s.roots->len; i++) {
        MemoryRegion *root = g_ptr_array_index(s.roots, i);

        g_string_append(out, ((GString *)g_hash_table_lookup(s.root_names,
                                                              root))->str);
        mtree_print_mr(&s, root, 0, 1);
        hmp_printf(out, "\n");
    }
    /* alias_targets may grow while printing targets: index, not iterate */
    for (guint i = 0; i < s.alias_targets->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(s.alias_targets, i);

        if (!g_hash_table_contains(s.printed, mr)) {
            hmp_printf(out, "memory-region: %s\n", mr->name ? mr->name : "");
            mtree_print_mr(&s, mr, 0, 1);
            hmp_printf(out, "\n");
        }
    }
    g_ptr_array_free(s.roots, true);
    g_hash_table_destroy(s.root_names);
    g_hash_table_destroy(s.printed);
    g_ptr_array_free(s.alias_targets, true);
}

static void memory_mtree_register(void)
{
    hmp_register_info("mtree", "show the memory tree", hmp_info_mtree);
}

type_init(memory_mtree_register)
