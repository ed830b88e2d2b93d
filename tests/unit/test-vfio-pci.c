/*
 * vfio-pci against the scripted host (vfio-mock.c), in process: config
 * space and BAR forwarding, hotplug and unplug through qdev_device_add()
 * and qdev_device_del() (what QMP device_add/device_del call), and
 * realize errors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include "qemu/bswap.h"
#include "qemu/option.h"
#include "sysemu/sysemu.h"
#include "vfio-mock.h"

static PCIDevice *plug(const char *id)
{
    g_autofree char *str = g_strdup_printf("driver=vfio-pci,host-emu=mock0,"
                                           "id=%s", id);
    GPtrArray *opts = keyval_parse(str, NULL, NULL);
    Error *err = NULL;
    DeviceState *dev = qdev_device_add(opts, true, &err);

    g_ptr_array_unref(opts);
    g_assert_null(err);
    return PCI_DEVICE(dev);
}

static void unplug(const char *id)
{
    Error *err = NULL;

    g_assert_true(qdev_device_del(id, &err));
    g_assert_null(err);
}

static void test_pci_forwarding(void)
{
    PCIDevice *pdev;
    uint8_t buf[4];

    vmock_reset(true, 0x11011000, 5);
    pdev = plug("vf0");
    g_assert_cmphex(pci_host_config_read(pdev, PCI_VENDOR_ID, 4), ==,
                    0x11e81234);
    g_assert_cmphex(pci_host_config_read(pdev, PCI_BASE_ADDRESS_0, 4), ==,
                    0);
    /* Sizing, then placement: emulated, the device's BAR is untouched. */
    pci_host_config_write(pdev, PCI_BASE_ADDRESS_0, 0xffffffff, 4);
    g_assert_cmphex(pci_host_config_read(pdev, PCI_BASE_ADDRESS_0, 4), ==,
                    (uint32_t)~(MOCK_BAR0_SIZE - 1));
    pci_host_config_write(pdev, PCI_BASE_ADDRESS_0, 0x80000000, 4);
    g_assert_cmphex(ldn_le_p(vmock.config + PCI_BASE_ADDRESS_0, 4), ==, 0);
    /* The command register reaches the device and maps the BAR. */
    pci_host_config_write(pdev, PCI_COMMAND, PCI_COMMAND_MEMORY |
                          PCI_COMMAND_MASTER, 2);
    g_assert_cmphex(ldn_le_p(vmock.config + PCI_COMMAND, 2), ==, 6);
    g_assert_cmphex(pci_get_bar_addr(pdev, 0), ==, 0x80000000);
    stl_be_p(buf, 0x12345678);
    address_space_write(&address_space_memory, PHB0_MMIO32 + 8,
                        MEMTXATTRS_UNSPECIFIED, buf, 4);
    g_assert_cmphex(ldn_le_p(vmock.bar0 + 8, 4), ==, 0x12345678);
    stn_le_p(vmock.bar0 + 0x20, 4, 0xcafef00d);
    g_assert_cmphex(address_space_ldl_be(&address_space_memory,
                                         PHB0_MMIO32 + 0x20, NULL), ==,
                    0xcafef00d);
    unplug("vf0");
    g_assert_null(vfio_container_find(&vmock_phb0()->iommu_as));
    g_assert_cmpuint(vmock.groups, ==, 0);
    g_assert_null(vmock.preregs);
    g_assert_cmpint(vmock_rtas_reset(), ==, 0);
}

static void test_pci_hotplug(void)
{
    SpaprTceTable *t = vmock_phb0()->tcet[0];
    VFIOContainer *c;

    vmock_reset(true, 0x11011000, 5);
    g_assert_cmpint(vmock_hcall(H_PUT_TCE, SPAPR_PCI_LIOBN(0, 0), 0x3000,
                                0x9000003, 0), ==, H_SUCCESS);
    for (int round = 0; round < 2; round++) {
        plug("vf0");
        plug("vf1");
        c = vfio_container_find(&vmock_phb0()->iommu_as);
        g_assert_cmpuint(g_list_length(c->groups), ==, 2);
        g_assert_cmpuint(vmock.groups, ==, 2);
        g_assert_cmpuint(g_list_length(t->iommu.iommu_notifiers), ==, 1);
        g_assert_cmpuint(vmock.maps, ==, 1);    /* replayed once */
        vmock_check_prereg();
        vmock_check_tables();
        unplug("vf0");
        g_assert_true(vfio_container_find(&vmock_phb0()->iommu_as) == c);
        vmock_check_tables();
        unplug("vf1");
        g_assert_null(vfio_container_find(&vmock_phb0()->iommu_as));
        g_assert_null(t->iommu.iommu_notifiers);
        vmock_reset(true, 0x11011000, 5);
    }
    g_assert_cmpint(vmock_rtas_reset(), ==, 0);
}

static void test_pci_realize_errors(void)
{
    const char *bad[] = {
        "driver=vfio-pci",
        "driver=vfio-pci,host-emu=nosuch",
        "driver=vfio-pci,host-emu=mock0,host=00:01.0",
        "driver=vfio-pci,host=0000:00:01.0",
    };

    vmock_reset(true, 0x1010000, 5);     /* no 4K pages: default fails */
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        GPtrArray *opts = keyval_parse(bad[i], NULL, NULL);
        Error *err = NULL;

        g_assert_null(qdev_device_add(opts, true, &err));
        g_assert_nonnull(err);
        error_free(err);
        g_ptr_array_unref(opts);
    }
    g_assert_null(vfio_container_find(&vmock_phb0()->iommu_as));
    vmock_reset(true, 0x11011000, 5);
}

int main(int argc, char **argv)
{
    char *args[] = { (char *)"test", (char *)"-M", (char *)"pseries-2.7",
                     (char *)"-m", (char *)"4G", NULL };

    g_test_init(&argc, &argv, NULL);
    qemu_init(ARRAY_SIZE(args) - 1, args);
    vfio_host_register("mock0", &vmock.host);
    g_test_add_func("/vfio/pci/forwarding", test_pci_forwarding);
    g_test_add_func("/vfio/pci/hotplug", test_pci_hotplug);
    g_test_add_func("/vfio/pci/realize-errors", test_pci_realize_errors);
    return g_test_run();
}
