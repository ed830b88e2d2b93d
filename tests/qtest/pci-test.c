/*
 * PCI on the pseries PHBs, seen through the edu device: BAR sizing and
 * mapping, the command register, config registers, a second PHB and the
 * addr= property.  The edu device itself is pci-edu-test.c, its DMA
 * through (and without) the PHB's IOMMU pci-edu-dma-test.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>
#include "libqtest.h"
#include "libqos/edu.h"
#include "libqos/pci.h"
#include "libqos/rtas.h"

/* The CPU address of PCI bus address pci in PHB 0's 32-bit window. */
static uint64_t phb0_cpu(uint32_t pci)
{
    return PHB0_MMIO32_CPU + (pci - EDU_BAR0_PCI);
}

static void test_bar_sizing(void)
{
    QTestState *s = qtest_init("-device edu");

    /* Unprogrammed: a 32-bit non-prefetchable memory BAR at 0. */
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x10, 4), ==, 0);
    /* All ones reads back the size mask: 1 MiB. */
    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0xffffffff);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x10, 4), ==, 0xfff00000);
    /* Low bits are read-only, the address bits below the size too. */
    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0x8001234f);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x10, 4), ==, 0x80000000);
    /* Byte access to the top byte of the BAR. */
    qpci_cfg_write(s, BUID_PHB(0), 0x13, 1, 0xc1);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x10, 4), ==, 0xc1000000);
    /* Unimplemented BARs and the ROM BAR size to 0. */
    for (uint32_t reg = 0x14; reg <= 0x24; reg += 4) {
        qpci_cfg_write(s, BUID_PHB(0), reg, 4, 0xffffffff);
        g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), reg, 4), ==, 0);
    }
    qpci_cfg_write(s, BUID_PHB(0), 0x30, 4, 0xffffffff);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x30, 4), ==, 0);
    qtest_quit(s);
}

static void test_bar_mapping(void)
{
    QTestState *s = qtest_init("-device edu");

    /* Programmed but MEM off: nothing decodes there. */
    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0x80000000);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, 0);
    /* MEM on: BAR0 appears in PHB 0's 32-bit window. */
    qpci_cfg_write(s, BUID_PHB(0), 0x04, 2, QPCI_CMD_MEM);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, EDU_IDENT);
    qtest_writel(s, PHB0_MMIO32_CPU + 4, 0x12345678);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU + 4), ==, ~0x12345678U);
    /* Its 1 MiB ends where it should. */
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU + 0x40000), ==, 0);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU + 0x100000), ==, 0);

    /* MEM off again: reads are 0, writes are dropped. */
    qpci_cfg_write(s, BUID_PHB(0), 0x04, 2, 0);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, 0);
    qtest_writel(s, PHB0_MMIO32_CPU + 4, 0);
    qpci_cfg_write(s, BUID_PHB(0), 0x04, 2, QPCI_CMD_MEM);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU + 4), ==, ~0x12345678U);

    /* Moving the BAR while MEM is on moves the registers at once. */
    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0x80300000);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, 0);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80300000)), ==, EDU_IDENT);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80300004)), ==, ~0x12345678U);
    /* To the top of the window. */
    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0xfff00000 - 0x100000);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0xffe00000)), ==, EDU_IDENT);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80300000)), ==, 0);

    /* Sizing (all ones) and zero BARs do not decode. */
    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0xffffffff);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0xfff00000)), ==, 0);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0xffe00000)), ==, 0);
    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80000000)), ==, 0);

    /* Below the window's bus offset: mapped on the bus, not seen by CPUs. */
    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0x40000000);
    for (uint64_t a = PHB0_MMIO32_CPU - 0x80000000ULL;
         a < PHB0_MMIO32_CPU + 0x80000000ULL; a += 0x40000000ULL) {
        g_assert_cmphex(qtest_readl(s, a), ==, 0);
    }
    /* And back. */
    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0x80000000);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, EDU_IDENT);
    qtest_quit(s);
}

/* Two devices, two BARs; I/O enable alone maps nothing (no port space). */
static void test_two_devices(void)
{
    QTestState *s = qtest_init("-device edu -device edu,addr=4.0,id=e2");

    qpci_cfg_write(s, BUID_PHB(0), 0x10, 4, 0x80000000);
    qpci_cfg_write(s, BUID_PHB(0), 0x2010, 4, 0x80100000);
    qpci_cfg_write(s, BUID_PHB(0), 0x2004, 2, 1);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80100000)), ==, 0);
    qpci_cfg_write(s, BUID_PHB(0), 0x04, 2, QPCI_CMD_MEM);
    qpci_cfg_write(s, BUID_PHB(0), 0x2004, 2, QPCI_CMD_MEM);
    qtest_writel(s, phb0_cpu(0x80000004), 1);
    qtest_writel(s, phb0_cpu(0x80100004), 2);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80000004)), ==, ~1U);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80100004)), ==, ~2U);
    qtest_quit(s);
}

static void test_second_phb(void)
{
    QTestState *s = qtest_init("-device spapr-pci-host-bridge,index=1,id=phb1 "
                               "-device edu,bus=phb1.0");
    QEdu e;

    /* No device on PHB 0; the edu is at config address 0 of PHB 1. */
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0, 4, NULL), ==,
                    RTAS_HW_ERROR);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(1), 0, 4), ==, EDU_ID);
    qedu_init(&e, s, BUID_PHB(1), 0, PHB1_MMIO32_CPU);
    g_assert_cmphex(qtest_readl(s, PHB1_MMIO32_CPU), ==, EDU_IDENT);
    /* PHB 0's window does not see it. */
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, 0);
    qtest_quit(s);
}

static void test_addr_property(void)
{
    QTestState *s = qtest_init("-device edu,addr=5 -device edu,addr=3.2 "
                               "-device edu,addr=1f.7 -device edu");

    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x2800, 4), ==, EDU_ID);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x1a00, 4), ==, EDU_ID);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0xff00, 4), ==, EDU_ID);
    /* Without addr=, the first free slot: 0. */
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x0000, 4), ==, EDU_ID);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x1800, 4, NULL),
                    ==, RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x0800, 4, NULL),
                    ==, RTAS_HW_ERROR);
    qtest_quit(s);
}

/* The automatic slot skips taken ones. */
static void test_addr_automatic(void)
{
    QTestState *s = qtest_init("-device edu,addr=0 -device edu,addr=1.0 "
                               "-device edu");

    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x1000, 4), ==, EDU_ID);
    qtest_quit(s);
}
/* The status register's error bits are write-1-to-clear; others RO. */
static void test_config_registers(void)
{
    QTestState *s = qtest_init("-device edu");

    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x06, 2), ==, 0);
    qpci_cfg_write(s, BUID_PHB(0), 0x06, 2, 0xffff);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x06, 2), ==, 0);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x2c, 4), ==, 0x11001234);
    qpci_cfg_write(s, BUID_PHB(0), 0x2c, 4, 0);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x2c, 4), ==, 0x11001234);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x3d, 1), ==, 1);
    qpci_cfg_write(s, BUID_PHB(0), 0x3d, 1, 4);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x3d, 1), ==, 1);
    /* Command: only the implemented bits stick. */
    qpci_cfg_write(s, BUID_PHB(0), 0x04, 4, 0xffffffff);
    g_assert_cmphex(qpci_cfg_read(s, BUID_PHB(0), 0x04, 4), ==, 0x00000407);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/bar/sizing", test_bar_sizing);
    g_test_add_func("/pci/bar/mapping", test_bar_mapping);
    g_test_add_func("/pci/bar/two-devices", test_two_devices);
    g_test_add_func("/pci/config/registers", test_config_registers);
    g_test_add_func("/pci/phb/second", test_second_phb);
    g_test_add_func("/pci/addr/property", test_addr_property);
    g_test_add_func("/pci/addr/automatic", test_addr_automatic);
    return g_test_run();
}
