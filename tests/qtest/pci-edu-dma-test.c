/*
 * edu DMA on the pseries PHBs: through the default window, partial and
 * out-of-range transfers, without bus mastering or windows, the engine's
 * timing, reset in flight, dma_mask, and the second PHB's own window.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>
#include "libqtest.h"
#include "libqos/edu.h"
#include "libqos/pci.h"
#include "libqos/rtas.h"

#define RAM_PAGE            0x100000ULL     /* a RAM page for DMA */
#define RAM_PAGE2           0x300000ULL

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
    qpci_cfg_write(s, BUID_PHB(0), 0x04, 2, QPCI_CMD_MEM);

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
    qpci_cfg_write(s, BUID_PHB(0), 0x04, 2, QPCI_CMD_MEM | QPCI_CMD_MASTER);
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
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
