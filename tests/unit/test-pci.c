/*
 * PCI device hot-unplug (QMP device_del) on an in-process pseries
 * machine: a device whose BAR is mapped, or whose DMA is in flight, goes
 * away cleanly and its slot can be used again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include "qemu/bswap.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "hw/pci-host/spapr.h"
#include "sysemu/sysemu.h"

#define PHB0_MMIO32     0x100a0000000ULL
#define EDU_BAR0_PCI    0x80000000U

static void cfg_write(PCIDevice *d, uint32_t reg, uint32_t val, int len)
{
    pci_host_config_write(d, reg, val, len);
}

static uint32_t mmio_readl(uint64_t addr)
{
    uint8_t b[4];

    address_space_read(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                       b, 4);
    return ldl_be_p(b);
}

static void mmio_writeq(uint64_t addr, uint64_t v)
{
    uint8_t b[8];

    stq_be_p(b, v);
    address_space_write(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                        b, 8);
}

static PCIDevice *add_edu(const char *opts, Error **errp)
{
    g_autoptr(GPtrArray) kv = keyval_parse(opts, "driver", NULL);
    DeviceState *dev = qdev_device_add(kv, true, errp);

    return dev ? PCI_DEVICE(dev) : NULL;
}

/* Maps BAR0 at the start of PHB 0's window, MEM and bus master on. */
static void map_bar0(PCIDevice *d)
{
    cfg_write(d, PCI_BASE_ADDRESS_0, EDU_BAR0_PCI, 4);
    cfg_write(d, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
    g_assert_cmphex(mmio_readl(PHB0_MMIO32), ==, 0x010000ed);
}

static void test_unplug_mapped_bar(void)
{
    Error *err = NULL;
    PCIDevice *d = add_edu("edu,id=e0,addr=2.0", &err);

    g_assert_nonnull(d);
    g_assert_true(spapr_pci_find_dev(SPAPR_PCI_BASE_BUID, 0x1000) == d);
    map_bar0(d);
    g_assert_true(qdev_device_del("e0", &err));
    g_assert_null(err);
    /* The BAR is gone from the bus, the slot and the id are free. */
    g_assert_cmphex(mmio_readl(PHB0_MMIO32), ==, 0);
    g_assert_null(spapr_pci_find_dev(SPAPR_PCI_BASE_BUID, 0x1000));
    g_assert_null(qdev_find_by_id("e0"));
    d = add_edu("edu,id=e0,addr=2.0", &err);
    g_assert_nonnull(d);
    map_bar0(d);
    g_assert_true(qdev_device_del("e0", &err));
    g_assert_false(qdev_device_del("e0", &err));
    g_clear_pointer(&err, error_free);
}

/* A DMA armed before the unplug never runs afterwards. */
static void test_unplug_pending_dma(void)
{
    Error *err = NULL;
    PCIDevice *d = add_edu("edu,id=e1", &err);
    uint64_t m = PHB0_MMIO32;

    g_assert_nonnull(d);
    map_bar0(d);
    mmio_writeq(m + 0x80, 0x40000);
    mmio_writeq(m + 0x88, 0);
    mmio_writeq(m + 0x90, 8);
    mmio_writeq(m + 0x98, 3);
    g_assert_cmpint(qemu_clock_deadline_ns(), >=, 0);
    g_assert_true(qdev_device_del("e1", &err));
    g_assert_cmpint(qemu_clock_deadline_ns(), ==, -1);
    qemu_clock_advance(qemu_clock_get_ns() + NANOSECONDS_PER_SECOND);
}

/* Many plug/unplug rounds leave nothing mapped behind. */
static void test_unplug_rounds(void)
{
    for (int i = 0; i < 50; i++) {
        Error *err = NULL;
        PCIDevice *d = add_edu("edu,id=e2", &err);

        g_assert_nonnull(d);
        if (i & 1) {
            map_bar0(d);
        }
        g_assert_true(qdev_device_del("e2", &err));
    }
    g_assert_cmphex(mmio_readl(PHB0_MMIO32), ==, 0);
}

static void test_unplug_refused(void)
{
    Error *err = NULL;
    g_autoptr(GPtrArray) kv = keyval_parse(
        "spapr-pci-host-bridge,index=0,id=phb3", "driver", NULL);

    /* A PHB may be hot-plugged, but not over an index in use. */
    g_assert_null(qdev_device_add(kv, true, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "already in use"));
    g_assert_null(qdev_find_by_id("phb3"));
    g_clear_pointer(&err, error_free);
    /* A failed hot-plug leaves the slot free. */
    g_assert_nonnull(add_edu("edu,id=e3,addr=4.0", &err));
    g_assert_null(add_edu("edu,id=e4,addr=4.0", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "not available"));
    g_clear_pointer(&err, error_free);
    g_assert_null(qdev_find_by_id("e4"));
    g_assert_true(qdev_device_del("e3", &err));
}

int main(int argc, char **argv)
{
    char *args[] = {
        (char *)"test-pci", (char *)"-M", (char *)"pseries-2.7",
        (char *)"-m", (char *)"1G", (char *)"-nodefaults", (char *)"-S",
        NULL,
    };

    g_test_init(&argc, &argv, NULL);
    qemu_init(G_N_ELEMENTS(args) - 1, args);
    qemu_clock_set_virtual(true);
    g_test_add_func("/pci/unplug/mapped-bar", test_unplug_mapped_bar);
    g_test_add_func("/pci/unplug/pending-dma", test_unplug_pending_dma);
    g_test_add_func("/pci/unplug/rounds", test_unplug_rounds);
    g_test_add_func("/pci/unplug/refused", test_unplug_refused);
    return g_test_run();
}
