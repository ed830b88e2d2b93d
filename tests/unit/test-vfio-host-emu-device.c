/*
 * The emulated POWER host for VFIO: who may do what with its fds and in
 * which order, their lifetimes, the device fd's regions and interrupts,
 * config space and BAR0, backing pages, and references to the object.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "exec/memory.h"
#include "vfio-host-emu-fixture.h"

/* fds: who may do what, in which order */
static void test_fds_order(void)
{
    VFIOHost *h = vhe_create_ok("emu0", NULL);
    struct vfio_group_status st = { .argsz = sizeof(st) };
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    Emu e = { .h = h, .device = -1 };
    int c2, bad = 12345;

    e.container = h->ops->open_container(h);
    c2 = h->ops->open_container(h);
    g_assert_cmpint(e.container, >=, 0x100000);
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_GET_API_VERSION, NULL),
                    ==, VFIO_API_VERSION);
    /* no group yet */
    g_assert_cmpint(vhe_ioctl_int(&e, e.container, VFIO_SET_IOMMU,
                                  VFIO_SPAPR_TCE_v2_IOMMU), ==, -EINVAL);
    e.group = h->ops->open_group(h);
    g_assert_cmpint(e.group, >=, 0);
    g_assert_cmpint(h->ops->open_group(h), ==, -EBUSY);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_GET_STATUS, &st), ==, 0);
    g_assert_cmphex(st.flags, ==, VFIO_GROUP_FLAGS_VIABLE);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER, &bad),
                    ==, -EBADF);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER,
                              &e.group), ==, -EBADFD);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER,
                              &e.container), ==, 0);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER, &c2),
                    ==, -EINVAL);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_GET_STATUS, &st), ==, 0);
    g_assert_cmphex(st.flags, ==, VFIO_GROUP_FLAGS_VIABLE |
                    VFIO_GROUP_FLAGS_CONTAINER_SET);
    /* before SET_IOMMU: no IOMMU requests, no device */
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                              &info), ==, -EINVAL);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_GET_DEVICE_FD,
                              h->device_name), ==, -EINVAL);
    g_assert_cmpint(vhe_ioctl_int(&e, e.container, VFIO_SET_IOMMU,
                                  VFIO_TYPE1v2_IOMMU), ==, -ENODEV);
    g_assert_cmpint(vhe_ioctl_int(&e, e.container, VFIO_SET_IOMMU,
                                  VFIO_SPAPR_TCE_v2_IOMMU), ==, 0);
    g_assert_cmpint(vhe_ioctl_int(&e, e.container, VFIO_SET_IOMMU,
                                  VFIO_SPAPR_TCE_v2_IOMMU), ==, -EINVAL);
    g_assert_cmpstr(vfio_host_emu_iommu(h), ==, "spapr-tce-v2");
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_GET_DEVICE_FD,
                              "0000:00:02.0"), ==, -ENODEV);
    vhe_open_device(&e);
    g_assert_cmpint(vhe_ioctl(&e, e.device, VFIO_GROUP_GET_STATUS, &st),
                    ==, -ENOTTY);
    g_assert_cmpint(vhe_ioctl(&e, bad, VFIO_GET_API_VERSION, NULL),
                    ==, -EBADF);
    g_assert_cmpint(h->ops->pread(h, e.container, &st, 4, 0), ==, -EINVAL);
    g_assert_cmpuint(vfio_host_emu_ioctl_count(h, VFIO_SET_IOMMU), ==, 4);
    h->ops->close(h, e.device);
    h->ops->close(h, e.group);
    h->ops->close(h, e.container);
    h->ops->close(h, c2);
    g_assert_true(user_creatable_del("emu0", NULL));
}

/* The device keeps the group, and the group the container. */
static void test_fds_lifetime(void)
{
    Emu e;
    VFIOHost *h;
    int c2;

    vhe_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    h = e.h;
    c2 = h->ops->open_container(h);
    vhe_open_device(&e);
    h->ops->close(h, e.container);
    h->ops->close(h, e.group);
    g_assert_cmpstr(vfio_host_emu_iommu(h), ==, "spapr-tce-v2");
    g_assert_cmpint(h->ops->open_group(h), ==, -EBUSY);
    h->ops->close(h, e.device);
    g_assert_null(vfio_host_emu_iommu(h));
    e.group = h->ops->open_group(h);
    g_assert_cmpint(e.group, >=, 0);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_SET_CONTAINER, &c2),
                    ==, 0);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_UNSET_CONTAINER, NULL),
                    ==, 0);
    g_assert_cmpint(vhe_ioctl(&e, e.group, VFIO_GROUP_UNSET_CONTAINER, NULL),
                    ==, -EINVAL);
    h->ops->close(h, c2);
    h->ops->close(h, e.group);
    g_assert_cmpuint(vfio_host_emu_memlock_used(h), ==, 0);
    g_assert_true(user_creatable_del("emu0", NULL));
}

/* The device fd: vfio-pci regions and interrupts of an edu function */
static void test_device_info(void)
{
    struct vfio_device_info info = { .argsz = sizeof(info) };
    struct vfio_region_info r = { .argsz = sizeof(r) };
    struct vfio_irq_info irq = { .argsz = sizeof(irq) };
    Emu e;

    vhe_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    e.device = vhe_ioctl(&e, e.group, VFIO_GROUP_GET_DEVICE_FD,
                         e.h->device_name);
    g_assert_cmpint(e.device, >=, 0);
    g_assert_cmpint(vhe_ioctl(&e, e.device, VFIO_DEVICE_GET_INFO, &info),
                    ==, 0);
    g_assert_true(info.flags & VFIO_DEVICE_FLAGS_PCI);
    g_assert_cmpuint(info.num_regions, ==, VFIO_PCI_NUM_REGIONS);
    g_assert_cmpuint(info.num_irqs, ==, VFIO_PCI_NUM_IRQS);
    r.index = VFIO_PCI_CONFIG_REGION_INDEX;
    g_assert_cmpint(vhe_ioctl(&e, e.device, VFIO_DEVICE_GET_REGION_INFO, &r),
                    ==, 0);
    g_assert_cmpuint(r.size, ==, 256);
    g_assert_cmphex(r.offset, ==, CFG);
    r.index = VFIO_PCI_BAR0_REGION_INDEX;
    g_assert_cmpint(vhe_ioctl(&e, e.device, VFIO_DEVICE_GET_REGION_INFO, &r),
                    ==, 0);
    g_assert_cmpuint(r.size, ==, MiB);
    g_assert_cmphex(r.flags, ==, VFIO_REGION_INFO_FLAG_READ |
                    VFIO_REGION_INFO_FLAG_WRITE);
    r.index = VFIO_PCI_BAR1_REGION_INDEX;
    g_assert_cmpint(vhe_ioctl(&e, e.device, VFIO_DEVICE_GET_REGION_INFO, &r),
                    ==, 0);
    g_assert_cmpuint(r.size, ==, 0);
    r.index = VFIO_PCI_VGA_REGION_INDEX;
    g_assert_cmpint(vhe_ioctl(&e, e.device, VFIO_DEVICE_GET_REGION_INFO, &r),
                    ==, -EINVAL);
    irq.index = VFIO_PCI_INTX_IRQ_INDEX;
    g_assert_cmpint(vhe_ioctl(&e, e.device, VFIO_DEVICE_GET_IRQ_INFO, &irq),
                    ==, 0);
    g_assert_cmpuint(irq.count, ==, 1);
    irq.index = VFIO_PCI_ERR_IRQ_INDEX;
    g_assert_cmpint(vhe_ioctl(&e, e.device, VFIO_DEVICE_GET_IRQ_INFO, &irq),
                    ==, -EINVAL);
    vhe_close(&e);
}

/* Config space and BAR0 through pread/pwrite */
static void test_device_regions(void)
{
    uint8_t cfg[256];
    uint32_t v, bar;
    uint16_t cmd = 0;
    Emu e;

    vhe_open(&e, NULL, VFIO_SPAPR_TCE_v2_IOMMU);
    e.device = vhe_ioctl(&e, e.group, VFIO_GROUP_GET_DEVICE_FD,
                         e.h->device_name);
    g_assert_cmpint(e.device, >=, 0);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 256, CFG), ==, 256);
    g_assert_cmphex(cfg[0] | cfg[1] << 8, ==, 0x1234);
    g_assert_cmphex(cfg[2] | cfg[3] << 8, ==, 0x11e8);
    g_assert_cmphex(cfg[8], ==, 0x10);
    g_assert_cmphex(cfg[0xa] | cfg[0xb] << 8, ==, 0xff00);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 2, CFG + 255), ==,
                    -EFAULT);
    /* BAR sizing */
    bar = 0xffffffff;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &bar, 4, CFG + 0x10),
                    ==, 4);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &bar, 4, CFG + 0x10),
                    ==, 4);
    g_assert_cmphex(bar, ==, 0xfff00000);
    /* identification is read-only */
    v = 0;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &v, 4, CFG), ==, 4);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, CFG), ==, 4);
    g_assert_cmphex(v, ==, 0x11e81234);
    /* BAR0 needs memory decode */
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0), ==, -EIO);
    cmd = 0x2;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &cmd, 2, CFG + 4), ==, 2);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0), ==, 4);
    g_assert_cmphex(v, ==, 0x010000ed);
    v = 0x12345678;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &v, 4, BAR0 + 4), ==, 4);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0 + 4), ==, 4);
    g_assert_cmphex(v, ==, ~0x12345678u);
    v = 5;
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, &v, 4, BAR0 + 8), ==, 4);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0 + 8), ==, 4);
    g_assert_cmpuint(v, ==, 120);
    /* reads are clipped at the end of the BAR, beyond it refused */
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 16,
                                    BAR0 + MiB - 8), ==, 8);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 4, BAR0 + MiB),
                    ==, -EINVAL);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, cfg, 4,
                                    (off_t)VFIO_PCI_ROM_REGION_INDEX << 40),
                    ==, -EINVAL);
    /* the last close resets the function */
    e.h->ops->close(e.h, e.device);
    vhe_open_device(&e);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, &v, 4, BAR0 + 8), ==, 4);
    g_assert_cmpuint(v, ==, 0);
    vhe_close(&e);
}

/*
 * Memory that the system address space knows as RAM with large backing
 * pages (hugepages) may back large IOMMU pages; other memory may not.
 */
static void test_backing_pages(void)
{
    static const char *const kernel_4k[] = { "page-size", "4096", NULL };
    MemoryRegion ram;
    uint8_t *big;
    VFIOHostEmuPrereg p[2];
    uint8_t *other = g_aligned_alloc0(MiB, 1, MiB);
    uint64_t start;
    Emu e;

    g_assert_true(memory_region_init_ram(&ram, NULL, "test.ram", 4 * MiB,
                                         NULL));
    ram.ram_page_size = 64 * KiB;   /* as a hugepage backing reports it */
    memory_region_add_subregion(get_system_memory(), 0x40000000, &ram);
    big = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)ram.ram_ptr, 64 * KiB);

    /* A 4K-page kernel: ordinary memory is backed by 4K pages. */
    vhe_open(&e, kernel_4k, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(vhe_register(&e, big, 2 * MiB), ==, 0);
    g_assert_cmpint(vhe_register(&e, other, MiB), ==, 0);
    g_assert_cmpuint(vfio_host_emu_preregs(e.h, p, 2), ==, 2);
    g_assert_cmpuint(p[0].page_shift, ==, 16);
    g_assert_cmpuint(p[1].page_shift, ==, 12);
    g_assert_cmpint(vhe_create_window(&e, 16, GiB, 1, &start), ==, 0);
    g_assert_cmpint(vhe_map(&e, DMA64, big, 128 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, 0);
    g_assert_cmpint(vhe_map(&e, DMA64 + MiB, other, 64 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, -EINVAL);
    /* 4K pages from the large-page region are fine too */
    g_assert_cmpint(vhe_map(&e, 0, big + 4 * KiB, 4 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, 0);
    vhe_close(&e);
    memory_region_del_subregion(get_system_memory(), &ram);
    memory_region_finalize(&ram);
    g_aligned_free(other);
}

/* A user's reference keeps the object from being deleted. */
static void test_ref(void)
{
    VFIOHost *h = vhe_create_ok("emu0", NULL);
    Error *err = NULL;

    vfio_host_emu_ref(h);
    g_assert_false(user_creatable_del("emu0", &err));
    g_assert_nonnull(err);
    error_free(err);
    vfio_host_emu_unref(h);
    g_assert_true(user_creatable_del("emu0", NULL));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio-host-emu/fds-order", test_fds_order);
    g_test_add_func("/vfio-host-emu/fds-lifetime", test_fds_lifetime);
    g_test_add_func("/vfio-host-emu/device-info", test_device_info);
    g_test_add_func("/vfio-host-emu/device-regions", test_device_regions);
    g_test_add_func("/vfio-host-emu/backing-pages", test_backing_pages);
    g_test_add_func("/vfio-host-emu/ref", test_ref);
    return g_test_run();
}
