/*
 * PCI on the pseries PHBs, seen through the edu device: BAR sizing and
 * mapping, the command register, a second PHB, the addr= property, the
 * edu registers, and edu DMA through (and without) the PHB's IOMMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>
#include "libqtest.h"
#include "libqos/edu.h"
#include "libqos/rtas.h"

#define PHB1_MMIO32_CPU     0x110a0000000ULL
#define EDU_ID              0x11e81234U
#define EDU_IDENT           0x010000edU
#define CMD_MEM             0x2
#define CMD_MASTER          0x4
#define RAM_PAGE            0x100000ULL     /* a RAM page for DMA */
#define RAM_PAGE2           0x300000ULL

/* The CPU address of PCI bus address pci in PHB 0's 32-bit window. */
static uint64_t phb0_cpu(uint32_t pci)
{
    return PHB0_MMIO32_CPU + (pci - EDU_BAR0_PCI);
}

static uint32_t cfg_read(QTestState *s, uint64_t buid, uint32_t addr,
                         uint32_t size)
{
    uint32_t v;

    g_assert_cmpint(qrtas_read_pci_config(s, buid, addr, size, &v), ==, 0);
    return v;
}

static void cfg_write(QTestState *s, uint64_t buid, uint32_t addr,
                      uint32_t size, uint32_t v)
{
    g_assert_cmpint(qrtas_write_pci_config(s, buid, addr, size, v), ==, 0);
}

static void test_bar_sizing(void)
{
    QTestState *s = qtest_init("-device edu");

    /* Unprogrammed: a 32-bit non-prefetchable memory BAR at 0. */
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x10, 4), ==, 0);
    /* All ones reads back the size mask: 1 MiB. */
    cfg_write(s, BUID_PHB(0), 0x10, 4, 0xffffffff);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x10, 4), ==, 0xfff00000);
    /* Low bits are read-only, the address bits below the size too. */
    cfg_write(s, BUID_PHB(0), 0x10, 4, 0x8001234f);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x10, 4), ==, 0x80000000);
    /* Byte access to the top byte of the BAR. */
    cfg_write(s, BUID_PHB(0), 0x13, 1, 0xc1);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x10, 4), ==, 0xc1000000);
    /* Unimplemented BARs and the ROM BAR size to 0. */
    for (uint32_t reg = 0x14; reg <= 0x24; reg += 4) {
        cfg_write(s, BUID_PHB(0), reg, 4, 0xffffffff);
        g_assert_cmphex(cfg_read(s, BUID_PHB(0), reg, 4), ==, 0);
    }
    cfg_write(s, BUID_PHB(0), 0x30, 4, 0xffffffff);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x30, 4), ==, 0);
    qtest_quit(s);
}

static void test_bar_mapping(void)
{
    QTestState *s = qtest_init("-device edu");

    /* Programmed but MEM off: nothing decodes there. */
    cfg_write(s, BUID_PHB(0), 0x10, 4, 0x80000000);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, 0);
    /* MEM on: BAR0 appears in PHB 0's 32-bit window. */
    cfg_write(s, BUID_PHB(0), 0x04, 2, CMD_MEM);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, EDU_IDENT);
    qtest_writel(s, PHB0_MMIO32_CPU + 4, 0x12345678);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU + 4), ==, ~0x12345678U);
    /* Its 1 MiB ends where it should. */
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU + 0x40000), ==, 0);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU + 0x100000), ==, 0);

    /* MEM off again: reads are 0, writes are dropped. */
    cfg_write(s, BUID_PHB(0), 0x04, 2, 0);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, 0);
    qtest_writel(s, PHB0_MMIO32_CPU + 4, 0);
    cfg_write(s, BUID_PHB(0), 0x04, 2, CMD_MEM);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU + 4), ==, ~0x12345678U);

    /* Moving the BAR while MEM is on moves the registers at once. */
    cfg_write(s, BUID_PHB(0), 0x10, 4, 0x80300000);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, 0);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80300000)), ==, EDU_IDENT);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80300004)), ==, ~0x12345678U);
    /* To the top of the window. */
    cfg_write(s, BUID_PHB(0), 0x10, 4, 0xfff00000 - 0x100000);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0xffe00000)), ==, EDU_IDENT);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80300000)), ==, 0);

    /* Sizing (all ones) and zero BARs do not decode. */
    cfg_write(s, BUID_PHB(0), 0x10, 4, 0xffffffff);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0xfff00000)), ==, 0);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0xffe00000)), ==, 0);
    cfg_write(s, BUID_PHB(0), 0x10, 4, 0);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80000000)), ==, 0);

    /* Below the window's bus offset: mapped on the bus, not seen by CPUs. */
    cfg_write(s, BUID_PHB(0), 0x10, 4, 0x40000000);
    for (uint64_t a = PHB0_MMIO32_CPU - 0x80000000ULL;
         a < PHB0_MMIO32_CPU + 0x80000000ULL; a += 0x40000000ULL) {
        g_assert_cmphex(qtest_readl(s, a), ==, 0);
    }
    /* And back. */
    cfg_write(s, BUID_PHB(0), 0x10, 4, 0x80000000);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, EDU_IDENT);
    qtest_quit(s);
}

/* Two devices, two BARs; I/O enable alone maps nothing (no port space). */
static void test_two_devices(void)
{
    QTestState *s = qtest_init("-device edu -device edu,addr=4.0,id=e2");

    cfg_write(s, BUID_PHB(0), 0x10, 4, 0x80000000);
    cfg_write(s, BUID_PHB(0), 0x2010, 4, 0x80100000);
    cfg_write(s, BUID_PHB(0), 0x2004, 2, 1);
    g_assert_cmphex(qtest_readl(s, phb0_cpu(0x80100000)), ==, 0);
    cfg_write(s, BUID_PHB(0), 0x04, 2, CMD_MEM);
    cfg_write(s, BUID_PHB(0), 0x2004, 2, CMD_MEM);
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
    g_assert_cmphex(cfg_read(s, BUID_PHB(1), 0, 4), ==, EDU_ID);
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

    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x2800, 4), ==, EDU_ID);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x1a00, 4), ==, EDU_ID);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0xff00, 4), ==, EDU_ID);
    /* Without addr=, the first free slot: 0. */
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x0000, 4), ==, EDU_ID);
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

    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x1000, 4), ==, EDU_ID);
    qtest_quit(s);
}

static void test_edu_registers(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    uint64_t m;

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    m = e.mmio;
    g_assert_cmphex(qtest_readl(s, m), ==, EDU_IDENT);
    /* Identification is read-only. */
    qtest_writel(s, m, 0);
    g_assert_cmphex(qtest_readl(s, m), ==, EDU_IDENT);

    /* Liveness: the inverse of what was written. */
    g_assert_cmphex(qtest_readl(s, m + 4), ==, 0);
    qtest_writel(s, m + 4, 0);
    g_assert_cmphex(qtest_readl(s, m + 4), ==, 0xffffffff);
    qtest_writel(s, m + 4, 0xf0f0a5a5);
    g_assert_cmphex(qtest_readl(s, m + 4), ==, 0x0f0f5a5a);

    /* Factorial, wrapping modulo 2^32 as the reference device does. */
    qtest_writel(s, m + 8, 0);
    g_assert_cmpuint(qtest_readl(s, m + 8), ==, 1);
    qtest_writel(s, m + 8, 5);
    g_assert_cmpuint(qtest_readl(s, m + 8), ==, 120);
    qtest_writel(s, m + 8, 12);
    g_assert_cmpuint(qtest_readl(s, m + 8), ==, 479001600);
    qtest_writel(s, m + 8, 13);
    g_assert_cmpuint(qtest_readl(s, m + 8), ==, (uint32_t)6227020800ULL);
    qtest_writel(s, m + 8, 0xffffffff);     /* must not take forever */
    g_assert_cmpuint(qtest_readl(s, m + 8), ==, 0);

    /* Interrupt status: raise ORs, acknowledge clears. */
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0);
    qtest_writel(s, m + 0x60, 0x5);
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0x5);
    qtest_writel(s, m + 0x60, 0x100);
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0x105);
    qtest_writel(s, m + 0x64, 0x4);
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0x101);
    qtest_writel(s, m + 0x64, 0xffffffff);
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0);
    /* 0x24 itself is read-only. */
    qtest_writel(s, m + 0x24, 0xff);
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0);

    /* Status: 0x80 raises the factorial interrupt; 0x01 is read-only. */
    qtest_writel(s, m + 0x20, 0xff);
    g_assert_cmphex(qtest_readl(s, m + 0x20), ==, 0x80);
    qtest_writel(s, m + 8, 3);
    g_assert_cmpuint(qtest_readl(s, m + 8), ==, 6);
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0x1);
    qtest_writel(s, m + 0x64, 1);
    qtest_writel(s, m + 0x20, 0);
    qtest_writel(s, m + 8, 4);
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0);

    /* DMA registers: 8 or 4 bytes, read back as written. */
    qtest_writeq(s, m + 0x80, 0x123456789aULL);
    g_assert_cmphex(qtest_readq(s, m + 0x80), ==, 0x123456789aULL);
    qtest_writel(s, m + 0x88, 0xabcdef);
    g_assert_cmphex(qtest_readq(s, m + 0x88), ==, 0xabcdef);
    g_assert_cmphex(qtest_readl(s, m + 0x88), ==, 0xabcdef);
    qtest_writeq(s, m + 0x90, 0x10);
    g_assert_cmphex(qtest_readq(s, m + 0x90), ==, 0x10);
    g_assert_cmphex(qtest_readq(s, m + 0x98), ==, 0);

    /* Unknown offsets read as all ones and ignore writes. */
    g_assert_cmphex(qtest_readl(s, m + 0x0c), ==, 0xffffffff);
    g_assert_cmphex(qtest_readl(s, m + 0x84), ==, 0xffffffff);
    g_assert_cmphex(qtest_readl(s, m + 0x1000), ==, 0xffffffff);
    qtest_writel(s, m + 0x0c, 0);
    g_assert_cmphex(qtest_readl(s, m + 0x0c), ==, 0xffffffff);
    qtest_quit(s);
}

/*
 * Accesses the device does not take: the bus turns them into zeros
 * (reads) and drops them (writes).  8-byte accesses to the 4-byte
 * registers reach the device, which answers all ones and ignores them.
 */
static void test_edu_access_sizes(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    uint64_t m;

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    m = e.mmio;
    qtest_writel(s, m + 4, 0);
    /* Below the minimum access size of 4. */
    g_assert_cmphex(qtest_readb(s, m), ==, 0);
    g_assert_cmphex(qtest_readw(s, m), ==, 0);
    g_assert_cmphex(qtest_readw(s, m + 2), ==, 0);
    qtest_writeb(s, m + 4, 0x55);
    qtest_writew(s, m + 4, 0x5555);
    g_assert_cmphex(qtest_readl(s, m + 4), ==, 0xffffffff);
    /* Unaligned 4-byte accesses split into smaller, refused ones. */
    g_assert_cmphex(qtest_readl(s, m + 2), ==, 0);
    g_assert_cmphex(qtest_readl(s, m + 1), ==, 0);
    qtest_writel(s, m + 6, 0x12345678);
    g_assert_cmphex(qtest_readl(s, m + 4), ==, 0xffffffff);
    /* 8 bytes on a control register: all ones, writes ignored. */
    g_assert_cmphex(qtest_readq(s, m), ==, 0xffffffffffffffffULL);
    qtest_writeq(s, m + 4, 0);
    g_assert_cmphex(qtest_readl(s, m + 4), ==, 0xffffffff);
    /* A 16-byte read splits into two 8-byte ones. */
    qtest_writeq(s, m + 0x80, 0x1111111122222222ULL);
    qtest_writeq(s, m + 0x88, 0x3333333344444444ULL);
    {
        uint8_t buf[16];
        const uint8_t want[16] = { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22,
                                   0x22, 0x33, 0x33, 0x33, 0x33, 0x44, 0x44,
                                   0x44, 0x44 };

        qtest_memread(s, m + 0x80, buf, 16);
        g_assert_cmpmem(buf, 16, want, 16);
    }
    qtest_quit(s);
}

/* The edu buffer in BAR0: big-endian words, bytes in order. */
static void test_edu_buffer(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    uint64_t b;

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    b = e.mmio + EDU_BUF;
    qtest_writel(s, b, 0x01020304);
    qtest_writeq(s, b + 8, 0x1122334455667788ULL);
    g_assert_cmphex(qtest_readl(s, b), ==, 0x01020304);
    g_assert_cmphex(qtest_readl(s, b + 12), ==, 0x55667788);
    g_assert_cmphex(qtest_readq(s, b + 8), ==, 0x1122334455667788ULL);
    /* The last word of the buffer, then past it. */
    qtest_writel(s, b + 4092, 0xcafef00d);
    g_assert_cmphex(qtest_readl(s, b + 4092), ==, 0xcafef00d);
    g_assert_cmphex(qtest_readq(s, b + 4088), ==, 0x00000000cafef00dULL);
    g_assert_cmphex(qtest_readl(s, b + 4096), ==, 0xffffffff);
    qtest_quit(s);
}

/* Maps IOMMU page index of the default window (4 KiB pages) to ram. */
static void map_tce(QTestState *s, uint64_t ioba, uint64_t ram, int perm)
{
    g_assert_cmphex(qh_put_tce(s, LIOBN_PHB(0, 0), ioba, ram | perm), ==,
                    H_SUCCESS_U);
}

static void fill_edu_buffer(QTestState *s, QEdu *e, uint8_t seed)
{
    uint8_t buf[4096];

    for (int i = 0; i < 4096; i++) {
        buf[i] = seed + i * 13;
    }
    for (int i = 0; i < 4096; i += 8) {
        uint64_t v = 0;

        for (int k = 0; k < 8; k++) {
            v = v << 8 | buf[i + k];
        }
        qtest_writeq(s, e->mmio + EDU_BUF + i, v);
    }
}

static uint8_t edu_buffer_byte(QTestState *s, QEdu *e, int i)
{
    return qtest_readl(s, e->mmio + EDU_BUF + (i & ~3)) >> (8 * (3 - (i & 3)));
}

/* Through the default window: RAM -> buffer and buffer -> RAM. */
static void test_edu_dma_default_window(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    uint8_t ram[4096];

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    map_tce(s, 0x0000, RAM_PAGE, 3);
    map_tce(s, 0x1000, RAM_PAGE2, 3);

    /* RAM -> buffer. */
    for (int i = 0; i < 4096; i++) {
        ram[i] = i ^ 0x5a;
    }
    qtest_memwrite(s, RAM_PAGE, ram, sizeof(ram));
    g_assert_true(qedu_dma(&e, 0x0, EDU_BUF, 4096, false));
    for (int i = 0; i < 4096; i += 511) {
        g_assert_cmphex(edu_buffer_byte(s, &e, i), ==, (uint8_t)(i ^ 0x5a));
    }

    /* buffer -> RAM, through the second TCE, at an offset. */
    fill_edu_buffer(s, &e, 7);
    qtest_memset(s, RAM_PAGE2, 0xee, 4096);
    g_assert_true(qedu_dma(&e, EDU_BUF + 16, 0x1000 + 100, 200, true));
    qtest_memread(s, RAM_PAGE2, ram, sizeof(ram));
    for (int i = 0; i < 4096; i++) {
        uint8_t want = i >= 100 && i < 300 ? (uint8_t)(7 + (i - 84) * 13)
                                           : 0xee;

        g_assert_cmphex(ram[i], ==, want);
    }

    /* Across two IOMMU pages that map two distant RAM pages. */
    qtest_memset(s, RAM_PAGE, 0, 4096);
    qtest_memset(s, RAM_PAGE2, 0, 4096);
    g_assert_true(qedu_dma(&e, EDU_BUF, 0x1000 - 8, 16, true));
    qtest_memread(s, RAM_PAGE + 4088, ram, 8);
    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(ram[i], ==, (uint8_t)(7 + i * 13));
    }
    qtest_memread(s, RAM_PAGE2, ram, 8);
    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(ram[i], ==, (uint8_t)(7 + (i + 8) * 13));
    }
    qtest_quit(s);
}

/*
 * Per IOMMU page: an unmapped page reads as zeros and drops writes while
 * its neighbours work; a read-only TCE drops device writes, a write-only
 * one reads zeros.
 */
static void test_edu_dma_partial(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    uint8_t ram[16];

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    map_tce(s, 0x0000, RAM_PAGE, 3);
    /* 0x1000 stays unmapped */
    map_tce(s, 0x2000, RAM_PAGE2, 1);       /* device may read only */
    map_tce(s, 0x3000, RAM_PAGE2 + 0x1000, 2);     /* write only */

    /* Read across mapped -> unmapped: the second half is zeros. */
    qtest_memset(s, RAM_PAGE + 4088, 0x99, 8);
    fill_edu_buffer(s, &e, 1);
    g_assert_true(qedu_dma(&e, 0x1000 - 8, EDU_BUF, 16, false));
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(edu_buffer_byte(s, &e, i), ==, i < 8 ? 0x99 : 0);
    }
    /* Write across mapped -> unmapped: the first half lands. */
    qtest_memset(s, RAM_PAGE + 4088, 0, 8);
    fill_edu_buffer(s, &e, 1);
    g_assert_true(qedu_dma(&e, EDU_BUF, 0x1000 - 8, 16, true));
    qtest_memread(s, RAM_PAGE + 4088, ram, 8);
    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(ram[i], ==, (uint8_t)(1 + i * 13));
    }

    /* Read-only TCE: the device reads RAM, its writes vanish. */
    qtest_memset(s, RAM_PAGE2, 0x42, 16);
    g_assert_true(qedu_dma(&e, 0x2000, EDU_BUF, 16, false));
    g_assert_cmphex(edu_buffer_byte(s, &e, 5), ==, 0x42);
    fill_edu_buffer(s, &e, 9);
    g_assert_true(qedu_dma(&e, EDU_BUF, 0x2000, 16, true));
    qtest_memread(s, RAM_PAGE2, ram, 16);
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(ram[i], ==, 0x42);
    }

    /* Write-only TCE: device writes land, its reads see zeros. */
    g_assert_true(qedu_dma(&e, EDU_BUF, 0x3000, 16, true));
    qtest_memread(s, RAM_PAGE2 + 0x1000, ram, 16);
    g_assert_cmphex(ram[3], ==, (uint8_t)(9 + 3 * 13));
    g_assert_true(qedu_dma(&e, 0x3000, EDU_BUF, 16, false));
    g_assert_cmphex(edu_buffer_byte(s, &e, 3), ==, 0);

    /* Past the end of the 1 GiB default window: nothing there. */
    fill_edu_buffer(s, &e, 3);
    g_assert_true(qedu_dma(&e, 0x40000000 - 4, EDU_BUF, 8, false));
    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(edu_buffer_byte(s, &e, i), ==, 0);
    }
    qtest_quit(s);
}

/* Bus mastering off: the device's DMA goes nowhere. */
static void test_edu_dma_no_bus_master(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    uint8_t ram[64];

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    map_tce(s, 0, RAM_PAGE, 3);
    cfg_write(s, BUID_PHB(0), 0x04, 2, CMD_MEM);

    qtest_memset(s, RAM_PAGE, 0x77, 64);
    fill_edu_buffer(s, &e, 5);
    /* RAM -> buffer: the buffer gets zeros. */
    g_assert_true(qedu_dma(&e, 0, EDU_BUF, 64, false));
    for (int i = 0; i < 64; i++) {
        g_assert_cmphex(edu_buffer_byte(s, &e, i), ==, 0);
    }
    /* buffer -> RAM: RAM is untouched. */
    fill_edu_buffer(s, &e, 5);
    g_assert_true(qedu_dma(&e, EDU_BUF, 0, 64, true));
    qtest_memread(s, RAM_PAGE, ram, sizeof(ram));
    for (int i = 0; i < 64; i++) {
        g_assert_cmphex(ram[i], ==, 0x77);
    }

    /* Master on again: the same transfer works. */
    cfg_write(s, BUID_PHB(0), 0x04, 2, CMD_MEM | CMD_MASTER);
    g_assert_true(qedu_dma(&e, EDU_BUF, 0, 64, true));
    qtest_memread(s, RAM_PAGE, ram, sizeof(ram));
    g_assert_cmphex(ram[0], ==, 5);
    qtest_quit(s);
}

/*
 * No DMA window at all (the default one removed): every DMA misses,
 * whatever the TCE it used to go through said.
 */
static void test_edu_dma_no_windows(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    uint32_t rets[6];
    uint8_t ram[64];

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    map_tce(s, 0, RAM_PAGE, 3);
    qtest_memset(s, RAM_PAGE, 0x31, 64);
    g_assert_true(qedu_dma(&e, 0, EDU_BUF, 64, false));
    g_assert_cmphex(edu_buffer_byte(s, &e, 0), ==, 0x31);

    g_assert_cmpint(qrtas_remove(s, LIOBN_PHB(0, 0)), ==, 0);
    /* Both windows are free now. */
    g_assert_cmpint(qrtas_query(s, BUID_PHB(0), 5, rets), ==, 0);
    g_assert_cmpuint(rets[1], ==, 2);

    fill_edu_buffer(s, &e, 2);
    g_assert_true(qedu_dma(&e, 0, EDU_BUF, 64, false));
    for (int i = 0; i < 64; i++) {
        g_assert_cmphex(edu_buffer_byte(s, &e, i), ==, 0);
    }
    fill_edu_buffer(s, &e, 2);
    g_assert_true(qedu_dma(&e, EDU_BUF, 0, 64, true));
    g_assert_true(qedu_dma(&e, EDU_BUF, 0x7ffff000, 64, true));
    qtest_memread(s, RAM_PAGE, ram, sizeof(ram));
    for (int i = 0; i < 64; i++) {
        g_assert_cmphex(ram[i], ==, 0x31);
    }
    /* H_PUT_TCE has no window to write to. */
    g_assert_cmphex(qh_put_tce(s, LIOBN_PHB(0, 0), 0, RAM_PAGE | 3), ==,
                    H_PARAMETER_U);
    qtest_quit(s);
}

/* Transfers outside the 4 KiB buffer are refused, not fatal. */
static void test_edu_dma_out_of_range(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    const struct {
        uint64_t buf, cnt;
    } bad[] = {
        { EDU_BUF - 1, 1 }, { 0, 16 }, { EDU_BUF, 4097 },
        { EDU_BUF + 4095, 2 }, { EDU_BUF + 4096, 1 },
        { EDU_BUF + 8, 0xfffffffffffffff8ULL },
        { 0xffffffffffffffffULL, 2 }, { EDU_BUF, 0xffffffffffffffffULL },
    };
    uint8_t ram[16];

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    map_tce(s, 0, RAM_PAGE, 3);
    qtest_memset(s, RAM_PAGE, 0x66, 16);
    fill_edu_buffer(s, &e, 4);
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        /* buffer -> RAM: RAM untouched. */
        g_assert_true(qedu_dma(&e, bad[i].buf, 0, bad[i].cnt, true));
        /* RAM -> buffer: buffer untouched. */
        g_assert_true(qedu_dma(&e, 0, bad[i].buf, bad[i].cnt, false));
    }
    qtest_memread(s, RAM_PAGE, ram, sizeof(ram));
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(ram[i], ==, 0x66);
    }
    g_assert_cmphex(edu_buffer_byte(s, &e, 0), ==, 4);
    g_assert_cmphex(edu_buffer_byte(s, &e, 4095), ==, (uint8_t)(4 + 4095 * 13));
    /* The whole buffer, exactly, is fine; so is an empty transfer. */
    g_assert_true(qedu_dma(&e, EDU_BUF, 0, 4096, true));
    g_assert_true(qedu_dma(&e, EDU_BUF + 4096, 0, 0, true));
    qtest_memread(s, RAM_PAGE, ram, sizeof(ram));
    g_assert_cmphex(ram[0], ==, 4);
    qtest_quit(s);
}

/*
 * While a transfer runs its registers are frozen and a second start is
 * ignored; with 0x4 in the command it raises interrupt status 0x100.
 */
static void test_edu_dma_engine(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    uint64_t m;

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    m = e.mmio;
    map_tce(s, 0, RAM_PAGE, 3);
    qtest_memset(s, RAM_PAGE, 0, 64);
    fill_edu_buffer(s, &e, 8);

    qtest_writeq(s, m + 0x80, EDU_BUF);
    qtest_writeq(s, m + 0x88, 0);
    qtest_writeq(s, m + 0x90, 8);
    qtest_writeq(s, m + 0x98, 1 | 2 | 4);
    g_assert_cmphex(qtest_readq(s, m + 0x98), ==, 7);
    qtest_writeq(s, m + 0x88, 0x20);
    qtest_writeq(s, m + 0x90, 64);
    qtest_writeq(s, m + 0x98, 1);
    g_assert_cmphex(qtest_readq(s, m + 0x88), ==, 0);
    g_assert_cmphex(qtest_readq(s, m + 0x90), ==, 8);
    g_assert_cmphex(qtest_readq(s, m + 0x98), ==, 7);
    /* Not yet: the transfer takes 100 ms of virtual time. */
    qtest_clock_step(s, 99999999);
    g_assert_cmphex(qtest_readq(s, RAM_PAGE), ==, 0);
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0);
    qtest_clock_step(s, 1);
    g_assert_cmphex(qtest_readq(s, m + 0x98), ==, 6);
    g_assert_cmphex(qtest_readl(s, m + 0x24), ==, 0x100);
    g_assert_cmphex(qtest_readb(s, RAM_PAGE), ==, 8);
    g_assert_cmphex(qtest_readq(s, RAM_PAGE + 8), ==, 0);
    qtest_quit(s);
}

/* A DMA in flight when the device is reset does not happen. */
static void test_edu_dma_reset(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;
    uint32_t rets[1];

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    map_tce(s, 0, RAM_PAGE, 3);
    qtest_memset(s, RAM_PAGE, 0, 8);
    fill_edu_buffer(s, &e, 8);
    qtest_writeq(s, e.mmio + 0x80, EDU_BUF);
    qtest_writeq(s, e.mmio + 0x88, 0);
    qtest_writeq(s, e.mmio + 0x90, 8);
    qtest_writeq(s, e.mmio + 0x98, 3);
    g_assert_cmpuint(qrtas_call(s, "system-reboot", 0, NULL, 1, rets), ==, 0);
    g_assert_cmpint(rets[0], ==, 0);
    qtest_clock_step(s, 1000000000);
    g_assert_cmphex(qtest_readq(s, RAM_PAGE), ==, 0);
    qtest_quit(s);
}

/* Addresses above dma_mask are truncated to it (and logged). */
static void test_edu_dma_mask(void)
{
    QTestState *s = qtest_init("-device edu,dma_mask=0xffff");
    QEdu e;

    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    map_tce(s, 0, RAM_PAGE, 3);
    qtest_memset(s, RAM_PAGE, 0, 16);
    fill_edu_buffer(s, &e, 6);
    g_assert_true(qedu_dma(&e, EDU_BUF, 0x12340008, 8, true));
    g_assert_cmphex(qtest_readb(s, RAM_PAGE + 8), ==, 6);
    qtest_quit(s);
}

/* A device on the second PHB DMAs through that PHB's own window. */
static void test_edu_dma_second_phb(void)
{
    QTestState *s = qtest_init("-device edu "
                               "-device spapr-pci-host-bridge,index=1,id=phb1 "
                               "-device edu,bus=phb1.0");
    QEdu e0, e1;

    qedu_init(&e0, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    qedu_init(&e1, s, BUID_PHB(1), 0, PHB1_MMIO32_CPU);
    g_assert_cmphex(qh_put_tce(s, LIOBN_PHB(1, 0), 0, RAM_PAGE2 | 3), ==,
                    H_SUCCESS_U);
    map_tce(s, 0, RAM_PAGE, 3);
    qtest_memset(s, RAM_PAGE, 0, 8);
    qtest_memset(s, RAM_PAGE2, 0, 8);
    fill_edu_buffer(s, &e1, 0x21);
    g_assert_true(qedu_dma(&e1, EDU_BUF, 0, 8, true));
    g_assert_cmphex(qtest_readb(s, RAM_PAGE2), ==, 0x21);
    g_assert_cmphex(qtest_readb(s, RAM_PAGE), ==, 0);
    fill_edu_buffer(s, &e0, 0x41);
    g_assert_true(qedu_dma(&e0, EDU_BUF, 0, 8, true));
    g_assert_cmphex(qtest_readb(s, RAM_PAGE), ==, 0x41);
    g_assert_cmphex(qtest_readb(s, RAM_PAGE2), ==, 0x21);
    qtest_quit(s);
}

/* The status register's error bits are write-1-to-clear; others RO. */
static void test_config_registers(void)
{
    QTestState *s = qtest_init("-device edu");

    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x06, 2), ==, 0);
    cfg_write(s, BUID_PHB(0), 0x06, 2, 0xffff);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x06, 2), ==, 0);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x2c, 4), ==, 0x11001234);
    cfg_write(s, BUID_PHB(0), 0x2c, 4, 0);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x2c, 4), ==, 0x11001234);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x3d, 1), ==, 1);
    cfg_write(s, BUID_PHB(0), 0x3d, 1, 4);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x3d, 1), ==, 1);
    /* Command: only the implemented bits stick. */
    cfg_write(s, BUID_PHB(0), 0x04, 4, 0xffffffff);
    g_assert_cmphex(cfg_read(s, BUID_PHB(0), 0x04, 4), ==, 0x00000407);
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
    g_test_add_func("/pci/edu/registers", test_edu_registers);
    g_test_add_func("/pci/edu/access-sizes", test_edu_access_sizes);
    g_test_add_func("/pci/edu/buffer", test_edu_buffer);
    g_test_add_func("/pci/edu/dma/default-window",
                    test_edu_dma_default_window);
    g_test_add_func("/pci/edu/dma/partial", test_edu_dma_partial);
    g_test_add_func("/pci/edu/dma/no-bus-master", test_edu_dma_no_bus_master);
    g_test_add_func("/pci/edu/dma/no-windows", test_edu_dma_no_windows);
    g_test_add_func("/pci/edu/dma/out-of-range", test_edu_dma_out_of_range);
    g_test_add_func("/pci/edu/dma/engine", test_edu_dma_engine);
    g_test_add_func("/pci/edu/dma/reset", test_edu_dma_reset);
    g_test_add_func("/pci/edu/dma/mask", test_edu_dma_mask);
    g_test_add_func("/pci/edu/dma/second-phb", test_edu_dma_second_phb);
    return g_test_run();
}
