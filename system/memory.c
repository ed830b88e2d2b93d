/*
 * Memory regions, flattening, listeners and IOMMU notifiers.
 *
 * Every topology change re-renders each address space into a sorted array
 * of non-overlapping ranges (a FlatView) and tells listeners which
 * sections disappeared (region_del) and appeared (region_add).  Rendering
 * visits subregions highest priority first and only fills holes, so an
 * overlapping region of higher priority hides what lies below it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "memory-internal.h"
#include "trace.h"

typedef unsigned __int128 u128;

static GList *address_spaces;
static unsigned transaction_depth;
static bool topology_changed;
static Error *commit_error;

static u128 mr_size128(const MemoryRegion *mr)
{
    return mr->size == UINT64_MAX ? (u128)1 << 64 : mr->size;
}

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->name = g_strdup(name);
    mr->owner = owner;
    mr->size = size;
    mr->enabled = true;
    mr->kind = MR_CONTAINER;
    mr->ram_fd = -1;
}

void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    memory_region_init(mr, owner, name, size);
    mr->kind = MR_IO;
    mr->ops = ops;
    mr->opaque = opaque;
}

void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size)
{
    memory_region_init(mr, owner, name, size);
    mr->kind = MR_ALIAS;
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_init_iommu(MemoryRegion *mr, Object *owner,
                              const IOMMUMemoryRegionOps *ops, void *opaque,
                              const char *name, uint64_t size)
{
    memory_region_init(mr, owner, name, size);
    mr->kind = MR_IOMMU;
    mr->iommu_ops = ops;
    mr->iommu_opaque = opaque;
}

static void memory_region_update(void)
{
    topology_changed = true;
    if (!transaction_depth) {
        memory_region_transaction_begin();
        memory_region_transaction_commit();
    }
}

void memory_region_finalize(MemoryRegion *mr)
{
    g_assert(!mr->container);
    while (mr->subregions) {
        memory_region_del_subregion(mr, mr->subregions->data);
    }
    memory_region_ram_free(mr);
    g_list_free(mr->iommu_notifiers);
    g_free(mr->name);
    memset(mr, 0, sizeof(*mr));
}

/*
 * Highest priority first.  g_list_insert_sorted() puts a new region before
 * the existing ones of equal priority, so among equals the region added
 * last wins, as in QEMU.  (Compared, not subtracted: that overflows.)
 */
static gint subregion_cmp(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *x = a, *y = b;

    return (y->priority > x->priority) - (y->priority < x->priority);
}

void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion,
                                         int priority)
{
    g_assert(!subregion->container);
    subregion->container = mr;
    subregion->addr = offset;
    subregion->priority = priority;
    mr->subregions = g_list_insert_sorted(mr->subregions, subregion,
                                          subregion_cmp);
    memory_region_update();
}

void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion)
{
    memory_region_add_subregion_overlap(mr, offset, subregion, 0);
}

void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion)
{
    g_assert(subregion->container == mr);
    subregion->container = NULL;
    mr->subregions = g_list_remove(mr->subregions, subregion);
    memory_region_update();
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        memory_region_update();
    }
}

void memory_region_set_address(MemoryRegion *mr, hwaddr addr)
{
    if (mr->addr != addr) {
        mr->addr = addr;
        memory_region_update();
    }
}

void memory_region_set_size(MemoryRegion *mr, uint64_t size)
{
    if (mr->size != size) {
        mr->size = size;
        memory_region_update();
    }
}

void memory_region_set_alias_offset(MemoryRegion *mr, hwaddr offset)
{
    if (mr->alias_offset != offset) {
        mr->alias_offset = offset;
        memory_region_update();
    }
}

bool memory_region_is_ram(MemoryRegion *mr)
{
    return mr->kind == MR_RAM;
}

bool memory_region_is_iommu(MemoryRegion *mr)
{
    return mr->kind == MR_IOMMU;
}

void *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    return mr->ram_ptr;
}

uint64_t memory_region_size(MemoryRegion *mr)
{
    return mr->size;
}

/* Rendering */

/* The exclusive end of a placed range, which may be 2^64. */
static u128 flatrange_end(const FlatRange *r)
{
    return (u128)r->last + 1;
}

static void flatview_insert(GArray *ranges, u128 start, u128 end,
                            MemoryRegion *mr, u128 region_base, bool ro)
{
    guint i = 0;

    /* Fill only the holes between ranges already placed (higher priority). */
    while (start < end) {
        FlatRange fr;
        u128 hole_end = end;

        for (; i < ranges->len; i++) {
            FlatRange *r = &g_array_index(ranges, FlatRange, i);

            if (flatrange_end(r) <= start) {
                continue;
            }
            if (r->start <= start) {
                start = flatrange_end(r);
                continue;
            }
            hole_end = MIN(end, r->start);
            break;
        }
        if (start >= hole_end) {
            continue;
        }
        fr.start = (hwaddr)start;
        fr.last = (hwaddr)(hole_end - 1);
        fr.mr = mr;
        fr.offset_in_region = (uint64_t)(start - region_base);
        fr.readonly = ro;
        g_array_insert_val(ranges, i, fr);
        i++;
        start = hole_end;
    }
}

/* base is signed: an alias may place its target's origin below zero. */
static void render_region(GArray *ranges, MemoryRegion *mr, __int128 base,
                          __int128 clip_start, __int128 clip_end, bool ro)
{
    __int128 start = MAX(base, clip_start);
    __int128 end = MIN(base + (__int128)mr_size128(mr), clip_end);

    if (!mr->enabled || start >= end) {
        return;
    }
    ro |= mr->readonly;
    switch (mr->kind) {
    case MR_ALIAS:
        render_region(ranges, mr->alias, base - (__int128)mr->alias_offset,
                      start, end, ro);
        break;
    case MR_CONTAINER:
        for (GList *l = mr->subregions; l; l = l->next) {
            MemoryRegion *sub = l->data;

            render_region(ranges, sub, base + (__int128)sub->addr, start, end,
                          ro);
        }
        break;
    default:
        flatview_insert(ranges, start, end, mr, (u128)base, ro);
        break;
    }
}

static FlatView *generate_flatview(AddressSpace *as)
{
    FlatView *view = g_new0(FlatView, 1);
    GArray *ranges = g_array_new(false, false, sizeof(FlatRange));

    render_region(ranges, as->root, 0, 0, (__int128)1 << 64, false);
    view->nr = ranges->len;
    view->ranges = (FlatRange *)g_array_free(ranges, false);
    return view;
}

static void flatview_free(FlatView *view)
{
    if (view) {
        g_free(view->ranges);
        g_free(view);
    }
}

static bool flatrange_equal(const FlatRange *a, const FlatRange *b)
{
    return a->start == b->start && a->last == b->last && a->mr == b->mr &&
           a->offset_in_region == b->offset_in_region &&
           a->readonly == b->readonly;
}

static bool flatview_contains(const FlatView *view, const FlatRange *fr)
{
    for (unsigned i = 0; view && i < view->nr; i++) {
        if (flatrange_equal(&view->ranges[i], fr)) {
            return true;
        }
    }
    return false;
}

void flatrange_to_section(AddressSpace *as, const FlatRange *fr,
                          MemoryRegionSection *s)
{
    hwaddr size_m1 = fr->last - fr->start;

    s->mr = fr->mr;
    s->as = as;
    s->offset_within_region = fr->offset_in_region;
    s->offset_within_address_space = fr->start;
    /* UINT64_MAX stands for "to the end of the space" (2^64 bytes). */
    s->size = size_m1 == UINT64_MAX ? UINT64_MAX : size_m1 + 1;
    s->readonly = fr->readonly;
}

static void listener_add_range(AddressSpace *as, MemoryListener *l,
                               const FlatRange *fr)
{
    MemoryRegionSection s;
    Error *err = NULL;

    if (!l->region_add) {
        return;
    }
    flatrange_to_section(as, fr, &s);
    if (!l->region_add(l, &s, &err)) {
        if (!commit_error) {
            commit_error = err;
        } else {
            error_free(err);
        }
    }
}

static void listener_del_range(AddressSpace *as, MemoryListener *l,
                               const FlatRange *fr)
{
    MemoryRegionSection s;

    if (l->region_del) {
        flatrange_to_section(as, fr, &s);
        l->region_del(l, &s);
    }
}

static void address_space_update_topology(AddressSpace *as)
{
    FlatView *old = as->current_map;
    FlatView *new = generate_flatview(as);

    as->current_map = new;
    for (unsigned i = 0; old && i < old->nr; i++) {
        if (!flatview_contains(new, &old->ranges[i])) {
            for (GList *l = as->listeners; l; l = l->next) {
                listener_del_range(as, l->data, &old->ranges[i]);
            }
        }
    }
    for (unsigned i = 0; i < new->nr; i++) {
        if (!flatview_contains(old, &new->ranges[i])) {
            for (GList *l = as->listeners; l; l = l->next) {
                listener_add_range(as, l->data, &new->ranges[i]);
            }
        }
    }
    flatview_free(old);
}

void memory_region_transaction_begin(void)
{
    transaction_depth++;
}

bool memory_region_transaction_commit_checked(Error **errp)
{
    g_assert(transaction_depth);
    if (--transaction_depth || !topology_changed) {
        return true;
    }
    topology_changed = false;
    for (GList *l = address_spaces; l; l = l->next) {
        address_space_update_topology(l->data);
    }
    if (commit_error) {
        Error *err = commit_error;

        commit_error = NULL;
        error_propagate(errp, err);
        return false;
    }
    return true;
}

void memory_region_transaction_commit(void)
{
    Error *err = NULL;

    if (!memory_region_transaction_commit_checked(&err)) {
        warn_report("memory topology change: %s", error_get_pretty(err));
        error_free(err);
    }
}

/* Address spaces and listeners */

void address_space_init(AddressSpace *as, MemoryRegion *root,
                        const char *name)
{
    memset(as, 0, sizeof(*as));
    as->name = g_strdup(name);
    as->root = root;
    as->current_map = generate_flatview(as);
    address_spaces = g_list_append(address_spaces, as);
}

void address_space_foreach(void (*fn)(AddressSpace *as, void *opaque),
                           void *opaque)
{
    for (GList *l = address_spaces; l; l = l->next) {
        fn(l->data, opaque);
    }
}

void address_space_destroy(AddressSpace *as)
{
    while (as->listeners) {
        memory_listener_unregister(as->listeners->data);
    }
    address_spaces = g_list_remove(address_spaces, as);
    flatview_free(as->current_map);
    g_free(as->name);
    memset(as, 0, sizeof(*as));
}

bool memory_listener_register(MemoryListener *l, AddressSpace *as,
                              Error **errp)
{
    FlatView *view = as->current_map;

    l->as = as;
    as->listeners = g_list_append(as->listeners, l);
    for (unsigned i = 0; i < view->nr; i++) {
        listener_add_range(as, l, &view->ranges[i]);
    }
    if (commit_error) {
        Error *err = commit_error;

        commit_error = NULL;
        memory_listener_unregister(l);
        error_propagate(errp, err);
        return false;
    }
    return true;
}

void memory_listener_unregister(MemoryListener *l)
{
    AddressSpace *as = l->as;

    if (!as) {
        return;
    }
    for (unsigned i = as->current_map->nr; i > 0; i--) {
        listener_del_range(as, l, &as->current_map->ranges[i - 1]);
    }
    as->listeners = g_list_remove(as->listeners, l);
    l->as = NULL;
}

void address_space_foreach_section(AddressSpace *as,
                                   void (*fn)(MemoryRegionSection *s,
                                              void *opaque),
                                   void *opaque)
{
    FlatView *view = as->current_map;

    for (unsigned i = 0; i < view->nr; i++) {
        MemoryRegionSection s;

        flatrange_to_section(as, &view->ranges[i], &s);
        fn(&s, opaque);
    }
}

/* IOMMU notifiers */

static IOMMUNotifierFlag iommu_flags_union(MemoryRegion *mr)
{
    IOMMUNotifierFlag flags = IOMMU_NOTIFIER_NONE;

    for (GList *l = mr->iommu_notifiers; l; l = l->next) {
        flags |= ((IOMMUNotifier *)l->data)->flags;
    }
    return flags;
}

static bool iommu_update_flags(MemoryRegion *mr, Error **errp)
{
    IOMMUNotifierFlag new = iommu_flags_union(mr);

    if (new != mr->iommu_notify_flags && mr->iommu_ops->notify_flag_changed &&
        !mr->iommu_ops->notify_flag_changed(mr, mr->iommu_notify_flags, new,
                                            errp)) {
        return false;
    }
    mr->iommu_notify_flags = new;
    return true;
}

bool memory_region_register_iommu_notifier(MemoryRegion *mr,
                                           IOMMUNotifier *n, Error **errp)
{
    g_assert(mr->kind == MR_IOMMU && !n->mr);
    mr->iommu_notifiers = g_list_append(mr->iommu_notifiers, n);
    n->mr = mr;
    if (!iommu_update_flags(mr, errp)) {
        mr->iommu_notifiers = g_list_remove(mr->iommu_notifiers, n);
        n->mr = NULL;
        return false;
    }
    return true;
}

void memory_region_unregister_iommu_notifier(MemoryRegion *mr,
                                             IOMMUNotifier *n)
{
    if (n->mr != mr) {
        return;
    }
    mr->iommu_notifiers = g_list_remove(mr->iommu_notifiers, n);
    n->mr = NULL;
    iommu_update_flags(mr, NULL);
}

bool memory_region_notify_iommu(MemoryRegion *mr, const IOMMUTLBEvent *ev)
{
    bool ok = true;

    trace_memory_region_iommu_notify(mr->name, ev->iova, ev->size, ev->type);
    for (GList *l = mr->iommu_notifiers; l; l = l->next) {
        IOMMUNotifier *n = l->data;
        IOMMUTLBEvent clipped = *ev;
        hwaddr last = ev->iova + ev->size - 1;

        if (!(n->flags & ev->type) || last < n->start || ev->iova > n->end) {
            continue;
        }
        if (clipped.iova < n->start) {
            clipped.translated_addr += n->start - clipped.iova;
            clipped.size -= n->start - clipped.iova;
            clipped.iova = n->start;
        }
        if (last > n->end) {
            clipped.size -= last - n->end;
        }
        ok &= n->notify(n, &clipped);
    }
    return ok;
}

bool memory_region_iommu_replay(MemoryRegion *mr, IOMMUNotifier *n)
{
    return !mr->iommu_ops->replay || mr->iommu_ops->replay(mr, n);
}

uint64_t memory_region_iommu_get_min_page_size(MemoryRegion *mr)
{
    return mr->iommu_ops->get_min_page_size ?
           mr->iommu_ops->get_min_page_size(mr) : 4096;
}
