/*
 * VFIO containers and groups: the guest's DMA windows mirrored into a
 * host IOMMU.
 *
 * DOC: container lifecycle and mapping protocol
 *
 * The first group of an address space (a PHB's DMA space) opens a
 * container through its transport, attaches to it and lets spapr.c pick
 * the IOMMU (SPAPR TCE v2, else v1) and preregister guest RAM.  Then the
 * container listens to the PHB's address space: each IOMMU section is a
 * guest window that gets a host window (spapr.c), an IOMMU notifier and
 * a replay of the entries the guest already wrote (hotplug).  Further
 * groups of the same space join the container: the host programs the
 * existing windows into them, nothing is replayed.
 *
 * The notifier receives runs of pages that are contiguous on both sides.
 * A run becomes one VFIO_IOMMU_MAP_DMA (or UNMAP_DMA), split only where
 * guest RAM is not contiguous in this process (RAM block boundaries).
 * A run the host refuses, or that points outside guest RAM, makes the
 * notifier return false: the TCE table owner clears those entries and
 * unmaps them, so guest and host tables keep agreeing.
 *
 * Teardown (last group) is the reverse: stop listening to the PHB space
 * (unmap and remove every host window), unregister RAM, detach, close.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "qemu/log.h"
#include "hw/vfio/host-emu.h"
#include "hw/vfio/vfio-common.h"
#include "trace.h"

static GList *vfio_containers;
static GHashTable *vfio_named_hosts;   /* id -> VFIOHost */

void vfio_host_register(const char *id, VFIOHost *h)
{
    if (!vfio_named_hosts) {
        vfio_named_hosts = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                 g_free, NULL);
    }
    if (h) {
        g_hash_table_insert(vfio_named_hosts, g_strdup(id), h);
    } else {
        g_hash_table_remove(vfio_named_hosts, id);
    }
}

VFIOHost *vfio_host_lookup(const char *id, Error **errp)
{
    VFIOHost *h = vfio_named_hosts ? g_hash_table_lookup(vfio_named_hosts,
                                                         id) : NULL;

    return h ? h : vfio_host_emu_find(id, errp);
}

/* The transport's answer as -errno; positive returns are kernel bugs. */
static int vfio_host_ret(int ret)
{
    return ret > 0 ? -EIO : ret;
}

int vfio_container_ioctl(VFIOContainer *c, unsigned long req, void *arg)
{
    return vfio_host_ret(c->host->ops->ioctl(c->host, c->fd, req, arg));
}

VFIOContainer *vfio_container_find(AddressSpace *as)
{
    for (GList *l = vfio_containers; l; l = l->next) {
        VFIOContainer *c = l->data;

        if (c->space == as) {
            return c;
        }
    }
    return NULL;
}

bool vfio_ram_foreach_piece(hwaddr gpa, uint64_t size,
                            bool (*fn)(void *host, hwaddr gpa, uint64_t len,
                                       bool readonly, void *opaque),
                            void *opaque)
{
    while (size) {
        MemoryRegion *mr;
        hwaddr plen;
        void *host = address_space_get_ram_ptr(&address_space_memory, gpa,
                                               &plen, &mr);
        uint64_t len;

        if (!host) {
            return false;
        }
        len = MIN(size, plen);
        if (!fn(host, gpa, len, mr->readonly, opaque)) {
            return false;
        }
        gpa += len;
        size -= len;
    }
    return true;
}

static int vfio_dma_unmap(VFIOContainer *c, hwaddr iova, uint64_t size)
{
    struct vfio_iommu_type1_dma_unmap unmap = {
        .argsz = sizeof(unmap),
        .iova = iova,
        .size = size,
    };
    int ret = vfio_container_ioctl(c, VFIO_IOMMU_UNMAP_DMA, &unmap);

    c->unmap_ioctls++;
    trace_vfio_dma_unmap(iova, size, ret);
    return ret;
}

typedef struct VFIOMapRun {
    VFIOContainer *c;
    hwaddr iova;
    IOMMUAccessFlags perm;
    int ret;
} VFIOMapRun;

static bool vfio_dma_map_piece(void *host, hwaddr gpa, uint64_t len,
                               bool readonly, void *opaque)
{
    VFIOMapRun *r = opaque;
    struct vfio_iommu_type1_dma_map map = {
        .argsz = sizeof(map),
        .vaddr = (uintptr_t)host,
        .iova = r->iova,
        .size = len,
    };

    if (r->perm & IOMMU_RO) {
        map.flags |= VFIO_DMA_MAP_FLAG_READ;
    }
    if ((r->perm & IOMMU_WO) && !readonly) {
        map.flags |= VFIO_DMA_MAP_FLAG_WRITE;
    }
    r->ret = map.flags ? vfio_container_ioctl(r->c, VFIO_IOMMU_MAP_DMA, &map)
                       : -EPERM;
    r->c->map_ioctls++;
    trace_vfio_dma_map(r->iova, len, map.vaddr, map.flags, r->ret);
    r->iova += len;
    return r->ret == 0;
}

static bool vfio_iommu_map_run(VFIOContainer *c, hwaddr iova,
                               const IOMMUTLBEvent *ev)
{
    VFIOMapRun r = { .c = c, .iova = iova, .perm = ev->perm };

    if (vfio_ram_foreach_piece(ev->translated_addr, ev->size,
                               vfio_dma_map_piece, &r)) {
        return true;
    }
    if (r.ret) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfio: host refused to map 0x%"
                      PRIx64 "+0x%" PRIx64 ": %s\n", iova, ev->size,
                      strerror(-r.ret));
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "vfio: DMA run 0x%" PRIx64 "+0x%"
                      PRIx64 " points outside guest RAM (0x%" PRIx64 ")\n",
                      iova, ev->size, ev->translated_addr);
    }
    return false;
}

static bool vfio_iommu_notify(IOMMUNotifier *n, const IOMMUTLBEvent *ev)
{
    VFIOGuestIOMMU *g = container_of(n, VFIOGuestIOMMU, n);
    hwaddr iova = ev->iova + g->iommu_offset;

    if (ev->type == IOMMU_NOTIFIER_MAP) {
        return vfio_iommu_map_run(g->container, iova, ev);
    }
    if (vfio_dma_unmap(g->container, iova, ev->size)) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfio: host refused to unmap 0x%"
                      PRIx64 "+0x%" PRIx64 "\n", iova, ev->size);
        return false;
    }
    return true;
}

static VFIOGuestIOMMU *vfio_giommu_find(VFIOContainer *c,
                                        MemoryRegionSection *s)
{
    hwaddr offset = s->offset_within_address_space - s->offset_within_region;

    for (GList *l = c->giommus; l; l = l->next) {
        VFIOGuestIOMMU *g = l->data;

        if (g->iommu_mr == s->mr && g->iommu_offset == offset) {
            return g;
        }
    }
    return NULL;
}

static void vfio_giommu_free(VFIOContainer *c, VFIOGuestIOMMU *g)
{
    memory_region_unregister_iommu_notifier(g->iommu_mr, &g->n);
    c->giommus = g_list_remove(c->giommus, g);
    g_free(g);
}

/* Follows a guest window: notifier, then the entries written so far. */
static bool vfio_giommu_add(VFIOContainer *c, MemoryRegionSection *s,
                            Error **errp)
{
    VFIOGuestIOMMU *g = g_new0(VFIOGuestIOMMU, 1);

    g->container = c;
    g->iommu_mr = s->mr;
    g->iommu_offset = s->offset_within_address_space -
                      s->offset_within_region;
    iommu_notifier_init(&g->n, vfio_iommu_notify, IOMMU_NOTIFIER_ALL,
                        s->offset_within_region,
                        s->offset_within_region + s->size - 1);
    if (!memory_region_register_iommu_notifier(s->mr, &g->n, errp)) {
        g_free(g);
        return false;
    }
    c->giommus = g_list_append(c->giommus, g);
    if (!memory_region_iommu_replay(s->mr, &g->n)) {
        error_setg(errp, "vfio: could not replay the mappings of window "
                   "0x%" PRIx64 " into the host IOMMU",
                   s->offset_within_address_space);
        vfio_giommu_free(c, g);
        return false;
    }
    return true;
}

static bool vfio_listener_region_add(MemoryListener *l,
                                     MemoryRegionSection *s, Error **errp)
{
    VFIOContainer *c = container_of(l, VFIOContainer, listener);

    if (!memory_region_is_iommu(s->mr)) {
        trace_vfio_listener_skip(s->offset_within_address_space, s->size);
        return true;
    }
    trace_vfio_listener_region_add(s->offset_within_address_space, s->size);
    if (!vfio_spapr_create_window(c, s, errp)) {
        return false;
    }
    if (!vfio_giommu_add(c, s, errp)) {
        vfio_dma_unmap(c, s->offset_within_address_space, s->size);
        vfio_spapr_remove_window(c, s->offset_within_address_space);
        return false;
    }
    return true;
}

static void vfio_listener_region_del(MemoryListener *l,
                                     MemoryRegionSection *s)
{
    VFIOContainer *c = container_of(l, VFIOContainer, listener);
    VFIOGuestIOMMU *g;

    if (!memory_region_is_iommu(s->mr)) {
        return;
    }
    g = vfio_giommu_find(c, s);
    if (!g) {
        return;     /* its region_add failed: nothing on the host */
    }
    trace_vfio_listener_region_del(s->offset_within_address_space, s->size);
    vfio_giommu_free(c, g);
    vfio_dma_unmap(c, s->offset_within_address_space, s->size);
    vfio_spapr_remove_window(c, s->offset_within_address_space);
}

static void vfio_container_free(VFIOContainer *c)
{
    vfio_containers = g_list_remove(vfio_containers, c);
    c->host->ops->close(c->host, c->fd);
    g_free(c);
}

/* Stops following guest windows and RAM; the host is left empty. */
static void vfio_container_stop(VFIOContainer *c)
{
    if (c->listener_active) {
        memory_listener_unregister(&c->listener);
        c->listener_active = false;
    }
    vfio_spapr_container_fini(c);
}

static bool vfio_container_start(VFIOContainer *c, Error **errp)
{
    if (!vfio_spapr_container_init(c, errp)) {
        return false;
    }
    c->listener = (MemoryListener) {
        .name = "vfio",
        .region_add = vfio_listener_region_add,
        .region_del = vfio_listener_region_del,
    };
    if (!memory_listener_register(&c->listener, c->space, errp)) {
        vfio_spapr_container_fini(c);
        return false;
    }
    c->listener_active = true;
    return true;
}

static VFIOContainer *vfio_container_new(VFIOGroup *group, AddressSpace *as,
                                         Error **errp)
{
    VFIOHost *h = group->host;
    VFIOContainer *c = g_new0(VFIOContainer, 1);
    int ret;

    c->space = as;
    c->host = h;
    c->fd = h->ops->open_container(h);
    if (c->fd < 0) {
        error_setg_errno(errp, -c->fd, "vfio: cannot open a container");
        g_free(c);
        return NULL;
    }
    ret = h->ops->ioctl(h, c->fd, VFIO_GET_API_VERSION, NULL);
    if (ret != VFIO_API_VERSION) {
        error_setg(errp, "vfio: unsupported API version %d", ret);
        goto fail;
    }
    ret = vfio_host_ret(h->ops->ioctl(h, group->fd, VFIO_GROUP_SET_CONTAINER,
                                      &c->fd));
    if (ret) {
        error_setg_errno(errp, -ret, "vfio: cannot attach the group");
        goto fail;
    }
    vfio_containers = g_list_append(vfio_containers, c);
    if (!vfio_container_start(c, errp)) {
        h->ops->ioctl(h, group->fd, VFIO_GROUP_UNSET_CONTAINER, NULL);
        vfio_containers = g_list_remove(vfio_containers, c);
        goto fail;
    }
    trace_vfio_container_new(as->name, c->fd, c->v2);
    return c;

fail:
    h->ops->close(h, c->fd);
    g_free(c);
    return NULL;
}

/* Puts group into the container of as, creating it for the first one. */
static bool vfio_group_connect(VFIOGroup *group, AddressSpace *as,
                               Error **errp)
{
    VFIOContainer *c = vfio_container_find(as);
    int ret;

    if (!c) {
        c = vfio_container_new(group, as, errp);
        if (!c) {
            return false;
        }
    } else {
        ret = vfio_host_ret(group->host->ops->ioctl(group->host, group->fd,
                                                    VFIO_GROUP_SET_CONTAINER,
                                                    &c->fd));
        if (ret) {
            error_setg_errno(errp, -ret, "vfio: the group cannot join the "
                             "container of %s", as->name);
            return false;
        }
    }
    group->container = c;
    c->groups = g_list_append(c->groups, group);
    return true;
}

VFIOGroup *vfio_group_get(VFIOHost *host, AddressSpace *as, Error **errp)
{
    struct vfio_group_status status = { .argsz = sizeof(status) };
    VFIOGroup *group = g_new0(VFIOGroup, 1);
    int ret;

    group->host = host;
    group->fd = host->ops->open_group(host);
    if (group->fd < 0) {
        error_setg_errno(errp, -group->fd, "vfio: cannot open the IOMMU "
                         "group of %s", host->device_name);
        g_free(group);
        return NULL;
    }
    ret = vfio_host_ret(host->ops->ioctl(host, group->fd,
                                         VFIO_GROUP_GET_STATUS, &status));
    if (ret || !(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
        error_setg(errp, "vfio: the IOMMU group of %s is not viable (are "
                   "all its devices bound to vfio?)", host->device_name);
        goto fail;
    }
    if (!vfio_group_connect(group, as, errp)) {
        goto fail;
    }
    trace_vfio_group_get(host->device_name, group->fd);
    return group;

fail:
    host->ops->close(host, group->fd);
    g_free(group);
    return NULL;
}

void vfio_group_put(VFIOGroup *group)
{
    VFIOContainer *c = group->container;
    VFIOHost *h = group->host;
    bool last;

    c->groups = g_list_remove(c->groups, group);
    last = !c->groups;
    if (last) {
        vfio_container_stop(c);
    } else if (c->host == h) {
        /* The container outlives this group's transport. */
        c->host = ((VFIOGroup *)c->groups->data)->host;
    }
    if (vfio_host_ret(h->ops->ioctl(h, group->fd, VFIO_GROUP_UNSET_CONTAINER,
                                    NULL))) {
        warn_report("vfio: %s: could not detach the group",
                    h->device_name);
    }
    trace_vfio_group_put(h->device_name, last);
    h->ops->close(h, group->fd);
    if (last) {
        vfio_container_free(c);
    }
    g_free(group);
}

bool vfio_spapr_get_info(AddressSpace *as, VFIOSpaprInfo *info)
{
    VFIOContainer *c = vfio_container_find(as);

    if (!c) {
        return false;
    }
    memset(info, 0, sizeof(*info));
    info->iommu = c->v2 ? "spapr-tce-v2" : "spapr-tce-v1";
    info->prereg_bytes = c->prereg_bytes;
    info->map_ioctls = c->map_ioctls;
    info->unmap_ioctls = c->unmap_ioctls;
    info->nr_windows = c->nr_hostwin;
    for (unsigned i = 0; i < c->nr_hostwin; i++) {
        VFIOHostDMAWindow *w = &c->hostwin[i];

        info->windows[i] = (VFIOSpaprHostWindow) {
            .bus_offset = w->min_iova,
            .page_shift = w->page_shift,
            .size = w->max_iova - w->min_iova + 1,
            .levels = w->levels,
        };
    }
    return true;
}
