/*
 * What the emulated POWER host's unit tests share
 * (tests/unit/vfio-host-emu-fixture.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "vfio-host-emu-fixture.h"

VFIOHost *vhe_create(const char *id, const char *const *props, Error **errp)
{
    g_autoptr(GHashTable) h = g_hash_table_new(g_str_hash, g_str_equal);

    for (int i = 0; props && props[i]; i += 2) {
        g_hash_table_insert(h, (gpointer)props[i], (gpointer)props[i + 1]);
    }
    if (!user_creatable_add(TYPE_VFIO_SPAPR_HOST_EMU, id, h, errp)) {
        return NULL;
    }
    return vfio_host_emu_find(id, errp);
}

VFIOHost *vhe_create_ok(const char *id, const char *const *props)
{
    Error *err = NULL;
    VFIOHost *h = vhe_create(id, props, &err);

    if (!h) {
        g_error("%s", error_get_pretty(err));
    }
    return h;
}

int vhe_ioctl(Emu *e, int fd, unsigned long req, void *arg)
{
    return e->h->ops->ioctl(e->h, fd, req, arg);
}

int vhe_ioctl_int(Emu *e, int fd, unsigned long req, uintptr_t v)
{
    return e->h->ops->ioctl(e->h, fd, req, (void *)v);
}

void vhe_open(Emu *e, const char *const *props, uint32_t iommu)
{
    e->h = vhe_create_ok("emu0", props);
    e->container = e->h->ops->open_container(e->h);
    e->group = e->h->ops->open_group(e->h);
    e->device = -1;
    g_assert_cmpint(e->container, >=, 0);
    g_assert_cmpint(e->group, >=, 0);
    g_assert_cmpint(vhe_ioctl(e, e->group, VFIO_GROUP_SET_CONTAINER,
                              &e->container), ==, 0);
    if (iommu) {
        g_assert_cmpint(vhe_ioctl_int(e, e->container, VFIO_SET_IOMMU,
                                      iommu), ==, 0);
    }
}

void vhe_open_device(Emu *e)
{
    uint8_t cmd[2] = { 0x6, 0 };    /* memory decode, bus master */

    e->device = vhe_ioctl(e, e->group, VFIO_GROUP_GET_DEVICE_FD,
                          e->h->device_name);
    g_assert_cmpint(e->device, >=, 0);
    g_assert_cmpint(e->h->ops->pwrite(e->h, e->device, cmd, 2, CFG + 4),
                    ==, 2);
}

void vhe_close(Emu *e)
{
    if (e->device >= 0) {
        e->h->ops->close(e->h, e->device);
    }
    e->h->ops->close(e->h, e->group);
    e->h->ops->close(e->h, e->container);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e->h), ==, 0);
    g_assert_true(user_creatable_del("emu0", NULL));
}

int vhe_register(Emu *e, void *p, uint64_t size)
{
    struct vfio_iommu_spapr_register_memory r = {
        .argsz = sizeof(r), .vaddr = (uintptr_t)p, .size = size,
    };

    return vhe_ioctl(e, e->container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &r);
}

int vhe_map(Emu *e, uint64_t iova, void *p, uint64_t size, uint32_t flags)
{
    struct vfio_iommu_type1_dma_map m = {
        .argsz = sizeof(m), .flags = flags, .vaddr = (uintptr_t)p,
        .iova = iova, .size = size,
    };

    return vhe_ioctl(e, e->container, VFIO_IOMMU_MAP_DMA, &m);
}

int vhe_create_window(Emu *e, unsigned shift, uint64_t size,
                      unsigned levels, uint64_t *start)
{
    struct vfio_iommu_spapr_tce_create c = {
        .argsz = sizeof(c), .page_shift = shift, .window_size = size,
        .levels = levels,
    };
    int ret = vhe_ioctl(e, e->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &c);

    *start = c.start_addr;
    return ret;
}

void vhe_wait_dma(void *opaque)
{
    qemu_clock_advance(qemu_clock_get_ns() + 100 * SCALE_MS + 1);
}

static void vhe_edu_reg(Emu *e, uint64_t reg, uint64_t v)
{
    g_assert_cmpint(e->h->ops->pwrite(e->h, e->device, &v, 8, BAR0 + reg),
                    ==, 8);
}

void vhe_edu_dma(Emu *e, uint64_t iova, uint64_t len, bool to_memory)
{
    vhe_edu_reg(e, 0x80, to_memory ? 0x40000 : iova);
    vhe_edu_reg(e, 0x88, to_memory ? iova : 0x40000);
    vhe_edu_reg(e, 0x90, len);
    vhe_edu_reg(e, 0x98, to_memory ? 3 : 1);
    vhe_wait_dma(NULL);
}
