/*
 * DMA through DDW windows, seen by an edu device: TCE permissions, a
 * transfer running into an unmapped page, 64K and 16M windows, and the
 * bring-up a Linux guest does for a 64-bit capable device.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "libqtest.h"
#include "libqos/ddw.h"

#define PHB0            BUID_PHB(0)
#define LIOBN0          LIOBN_PHB(0, 0)
#define EDU_ARGS        "-device edu,dma_mask=0xffffffffffffffff"
#define PAGE            0x1000ULL

#define RAM_A           0x20000000ULL
#define DMA_LEN         64

static void fill_pattern(uint8_t *b, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        b[i] = seed + i * 7;
    }
}

static void edu_setup(QEdu *e, QTestState **s, const char *extra)
{
    *s = qtest_initf(EDU_ARGS " %s", extra ? extra : "");
    qedu_init(e, *s, PHB0, 0, PHB0_MMIO32_CPU);
}

/* RAM at RAM_A through bus 0x1000 with perm; returns what each side sees. */
static void dma_perm_case(uint64_t perm, bool dev_reads, bool dev_writes)
{
    QTestState *s;
    QEdu e;
    uint8_t ram[DMA_LEN], dev[DMA_LEN], got[DMA_LEN], zero[DMA_LEN] = { 0 };

    edu_setup(&e, &s, NULL);
    fill_pattern(ram, DMA_LEN, 0x11);
    fill_pattern(dev, DMA_LEN, 0x80);
    qtest_memwrite(s, RAM_A, ram, DMA_LEN);
    g_assert_cmphex(qh_put_tce(s, LIOBN0, 0x1000, RAM_A | perm), ==,
                    H_SUCCESS_U);

    /* device reads RAM into its buffer */
    qedu_buf_write(&e, 0, dev, DMA_LEN);
    g_assert_true(qedu_dma(&e, 0x1000, EDU_BUF, DMA_LEN, false));
    qedu_buf_read(&e, 0, got, DMA_LEN);
    g_assert_cmpmem(got, DMA_LEN, dev_reads ? ram : zero, DMA_LEN);

    /* device writes its buffer to RAM */
    qedu_buf_write(&e, 0, dev, DMA_LEN);
    g_assert_true(qedu_dma(&e, EDU_BUF, 0x1000, DMA_LEN, true));
    qtest_memread(s, RAM_A, got, DMA_LEN);
    g_assert_cmpmem(got, DMA_LEN, dev_writes ? dev : ram, DMA_LEN);
    qtest_quit(s);
}

static void test_dma_read_only(void)
{
    dma_perm_case(QDDW_TCE_READ, true, false);
}

static void test_dma_write_only(void)
{
    dma_perm_case(QDDW_TCE_WRITE, false, true);
}

static void test_dma_none(void)
{
    dma_perm_case(0, false, false);
}

static void test_dma_read_write(void)
{
    dma_perm_case(QDDW_TCE_READ | QDDW_TCE_WRITE, true, true);
}

static void test_dma_crossing_unmapped(void)
{
    QTestState *s;
    QEdu e;
    const uint64_t bus = 0x2000 - 32;       /* 32 bytes in page 1, 32 in 2 */
    uint8_t ram[DMA_LEN], dev[DMA_LEN], got[DMA_LEN];

    edu_setup(&e, &s, NULL);
    fill_pattern(ram, DMA_LEN, 0x21);
    fill_pattern(dev, DMA_LEN, 0x90);
    qtest_memwrite(s, RAM_A + PAGE - 32, ram, DMA_LEN);
    g_assert_cmphex(qh_put_tce(s, LIOBN0, 0x1000, RAM_A | 3), ==,
                    H_SUCCESS_U);

    /* To RAM: the first half lands, the second is dropped */
    qedu_buf_write(&e, 0, dev, DMA_LEN);
    g_assert_true(qedu_dma(&e, EDU_BUF, bus, DMA_LEN, true));
    qtest_memread(s, RAM_A + PAGE - 32, got, DMA_LEN);
    g_assert_cmpmem(got, 32, dev, 32);
    g_assert_cmpmem(got + 32, 32, ram + 32, 32);

    /* From RAM: the first half is read, the rest arrives as zeros */
    qtest_memwrite(s, RAM_A + PAGE - 32, ram, 32);
    qedu_buf_write(&e, 0, dev, DMA_LEN);
    g_assert_true(qedu_dma(&e, bus, EDU_BUF, DMA_LEN, false));
    qedu_buf_read(&e, 0, got, DMA_LEN);
    g_assert_cmpmem(got, 32, ram, 32);
    for (int i = 32; i < DMA_LEN; i++) {
        g_assert_cmpuint(got[i], ==, 0);
    }
    qtest_quit(s);
}

/* A DDW window of 2^page_shift pages; DMA at a page-straddling offset. */
static void dma_through_ddw(const char *extra, unsigned page_shift,
                            unsigned window_shift)
{
    QTestState *s;
    QEdu e;
    uint32_t liobn;
    uint64_t start, ps = 1ULL << page_shift, ram_page = 0x80000000ULL, tce;
    uint64_t bus, off = ps - 16;
    uint8_t ram[DMA_LEN], dev[DMA_LEN], got[DMA_LEN];

    edu_setup(&e, &s, extra);
    g_assert_cmpint(qrtas_create(s, PHB0, page_shift, window_shift, &liobn,
                                 &start), ==, 0);
    g_assert_cmphex(start, ==, QDDW_DMA64_START);
    /* window pages 5 and 6 -> two consecutive RAM pages */
    g_assert_cmphex(qddw_map(s, liobn, start + 5 * ps, page_shift, ram_page, 2,
                             3, NULL), ==, H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, liobn, start + 6 * ps, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, (ram_page + ps) | 3);
    bus = start + 5 * ps + off;
    fill_pattern(dev, DMA_LEN, 0x33);
    qedu_buf_write(&e, 0, dev, DMA_LEN);
    g_assert_true(qedu_dma(&e, EDU_BUF, bus, DMA_LEN, true));
    qtest_memread(s, ram_page + off, got, DMA_LEN);
    g_assert_cmpmem(got, DMA_LEN, dev, DMA_LEN);

    fill_pattern(ram, DMA_LEN, 0x44);
    qtest_memwrite(s, ram_page + off, ram, DMA_LEN);
    g_assert_true(qedu_dma(&e, bus, EDU_BUF + 0x100, DMA_LEN, false));
    qedu_buf_read(&e, 0x100, got, DMA_LEN);
    g_assert_cmpmem(got, DMA_LEN, ram, DMA_LEN);
    /* the default window is unaffected */
    g_assert_true(qddw_mapped_range(s, LIOBN0, 0));
    qtest_quit(s);
}

static void test_dma_ddw_64k(void)
{
    dma_through_ddw(NULL, 16, 40);
}

static void test_dma_ddw_16m(void)
{
    dma_through_ddw("-global spapr-pci-host-bridge.pgsz=0x1011000", 24, 36);
}

/*
 * What Linux 6.1 does for a 64-bit-capable device: clear the default
 * window, query with 6 outputs, create a window covering RAM with the
 * largest page size offered, map all of RAM, then DMA anywhere.
 */
static void test_linux_bringup(void)
{
    QTestState *s;
    QEdu e;
    const uint64_t ram_size = 4ULL << 30, high = ram_size - 0x123000;
    uint32_t r[6], liobn;
    uint64_t start, tce;
    unsigned shift = 0, hcalls;
    uint8_t dev[DMA_LEN], got[DMA_LEN];

    edu_setup(&e, &s, NULL);
    g_assert_cmphex(qh_stuff_tce(s, LIOBN0, 0, 0, QDDW_DEF_WIN_SIZE / PAGE),
                    ==, H_SUCCESS_U);
    g_assert_cmpint(qrtas_query(s, PHB0, 6, r), ==, 0);
    g_assert_cmpuint(r[1], ==, 1);
    g_assert_cmpuint(((uint64_t)r[2] << 32 | r[3]), >=, ram_size >> 16);
    /* LoPAR bit 1 = 64K, the largest of 4K|64K */
    g_assert_cmphex(r[4] & 0x2, ==, 0x2);
    shift = r[4] & 0x2 ? 16 : 12;
    g_assert_cmpint(qrtas_create(s, PHB0, shift, 32, &liobn, &start), ==, 0);
    g_assert_cmphex(qddw_map(s, liobn, start, shift, 0, ram_size >> shift, 3,
                             &hcalls), ==, H_SUCCESS_U);
    g_assert_cmpuint(hcalls, ==, (ram_size >> shift) / 512);
    g_assert_cmphex(qh_get_tce(s, liobn, start + high, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, (high & ~0xffffULL) | 3);

    fill_pattern(dev, DMA_LEN, 0x5a);
    qedu_buf_write(&e, 0, dev, DMA_LEN);
    g_assert_true(qedu_dma(&e, EDU_BUF, start + high, DMA_LEN, true));
    qtest_memread(s, high, got, DMA_LEN);
    g_assert_cmpmem(got, DMA_LEN, dev, DMA_LEN);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ddw/dma/read-only", test_dma_read_only);
    g_test_add_func("/ddw/dma/write-only", test_dma_write_only);
    g_test_add_func("/ddw/dma/none", test_dma_none);
    g_test_add_func("/ddw/dma/read-write", test_dma_read_write);
    g_test_add_func("/ddw/dma/crossing-unmapped", test_dma_crossing_unmapped);
    g_test_add_func("/ddw/dma/ddw-64k", test_dma_ddw_64k);
    g_test_add_func("/ddw/dma/ddw-16m", test_dma_ddw_16m);
    g_test_add_func("/ddw/dma/linux-bringup", test_linux_bringup);
    return g_test_run();
}
