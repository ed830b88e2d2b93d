/*
 * The edu device on a pseries PHB: its registers, access sizes and the
 * buffer in BAR0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>
#include "libqtest.h"
#include "libqos/edu.h"
#include "libqos/rtas.h"

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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/edu/registers", test_edu_registers);
    g_test_add_func("/pci/edu/access-sizes", test_edu_access_sizes);
    g_test_add_func("/pci/edu/buffer", test_edu_buffer);
    return g_test_run();
}
