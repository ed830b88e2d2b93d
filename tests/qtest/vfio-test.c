/*
 * vfio-pci through the emulated POWER host, as the guest sees it: the
 * assigned edu-compatible function does DMA through the guest's windows
 * (default and DDW), and every host refusal (memory lock limit, table
 * levels, IOMMU page sizes) reaches the guest as an RTAS or hcall status
 * or fails the command line cleanly, never as a dead VM.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "libqtest.h"
#include "libqos/edu.h"
#include "libqos/rtas.h"

#define HOST_EMU(opts) \
    "-object vfio-spapr-host-emu,id=h0" opts " -device vfio-pci,host-emu=h0"
#define CFG_SLOT0           0   /* bus 0, devfn 0 */
#define RAM_SRC             0x20000000ULL

static QTestState *start_vfio(const char *host_opts)
{
    return qtest_initf("-object vfio-spapr-host-emu,id=h0%s "
                       "-device vfio-pci,host-emu=h0", host_opts);
}

/* Maps RAM_SRC through ioba, DMAs 32 bytes to the device and back. */
static void dma_roundtrip(QTestState *s, QEdu *e, uint32_t liobn,
                          uint64_t ioba)
{
    uint8_t pattern[32], back[32];

    for (int i = 0; i < 32; i++) {
        pattern[i] = 0xa0 + i;
    }
    qtest_memwrite(s, RAM_SRC, pattern, sizeof(pattern));
    qtest_memset(s, RAM_SRC + 0x100, 0, sizeof(back));
    g_assert_cmphex(qh_put_tce(s, liobn, ioba, RAM_SRC | 3), ==,
                    H_SUCCESS_U);
    g_assert_true(qedu_dma(e, ioba, EDU_BUF, 32, false));
    g_assert_true(qedu_dma(e, EDU_BUF, ioba + 0x100, 32, true));
    qtest_memread(s, RAM_SRC + 0x100, back, sizeof(back));
    g_assert_cmpmem(back, sizeof(back), pattern, sizeof(pattern));
}

static void test_dma_default_window(void)
{
    QTestState *s = start_vfio("");
    QEdu e;

    qedu_init(&e, s, BUID_PHB(0), CFG_SLOT0, PHB0_MMIO32_CPU);
    dma_roundtrip(s, &e, LIOBN_PHB(0, 0), 0x3000);
    /* Unmapped: the device's DMA fails, the guest's RAM stays. */
    g_assert_cmphex(qh_put_tce(s, LIOBN_PHB(0, 0), 0x3000, 0), ==,
                    H_SUCCESS_U);
    qtest_memset(s, RAM_SRC + 0x100, 0x5a, 32);
    qedu_dma(&e, EDU_BUF, 0x3100, 32, true);
    g_assert_cmphex(qtest_readl(s, RAM_SRC + 0x100), ==, 0x5a5a5a5a);
    qtest_quit(s);
}

static void test_dma_ddw(void)
{
    QTestState *s = start_vfio("");
    uint32_t liobn;
    uint64_t start;
    QEdu e;

    qedu_init(&e, s, BUID_PHB(0), CFG_SLOT0, PHB0_MMIO32_CPU);
    g_assert_cmpint(qrtas_create(s, BUID_PHB(0), 16, 34, &liobn, &start),
                    ==, RTAS_SUCCESS);
    g_assert_cmphex(start, ==, 1ULL << 59);
    dma_roundtrip(s, &e, liobn, start + 0x30000);
    g_assert_cmpint(qrtas_remove(s, liobn), ==, RTAS_SUCCESS);
    g_assert_cmpint(qrtas_reset(s, BUID_PHB(0)), ==, RTAS_SUCCESS);
    dma_roundtrip(s, &e, LIOBN_PHB(0, 0), 0x5000);
    qtest_quit(s);
}

/*
 * One table level and a 5G lock limit: a 1 TiB window of 4K pages does
 * not fit, the guest gets -1 and the VM goes on.
 */
static void test_table_refused(void)
{
    QTestState *s = start_vfio(",max-levels=1,memlock-limit=5G");
    uint32_t liobn;
    uint64_t start, tce;
    QEdu e;

    qedu_init(&e, s, BUID_PHB(0), CFG_SLOT0, PHB0_MMIO32_CPU);
    g_assert_cmpint(qrtas_create(s, BUID_PHB(0), 12, 40, &liobn, &start),
                    ==, RTAS_HW_ERROR);
    g_assert_cmphex(qh_get_tce(s, LIOBN_PHB(0, 1), 1ULL << 59, &tce), ==,
                    H_PARAMETER_U);
    g_assert_cmpint(qrtas_create(s, BUID_PHB(0), 12, 28, &liobn, &start),
                    ==, RTAS_SUCCESS);
    dma_roundtrip(s, &e, liobn, start);
    qtest_quit(s);
}

/* RAM fits the lock limit, the table of a 64 GiB window does not. */
static void test_memlock_window(void)
{
    QTestState *s = start_vfio(",memlock-limit=4200M");
    uint32_t liobn;
    uint64_t start;
    QEdu e;

    qedu_init(&e, s, BUID_PHB(0), CFG_SLOT0, PHB0_MMIO32_CPU);
    g_assert_cmpint(qrtas_create(s, BUID_PHB(0), 12, 36, &liobn, &start),
                    ==, RTAS_HW_ERROR);
    dma_roundtrip(s, &e, LIOBN_PHB(0, 0), 0x7000);
    qtest_quit(s);
}

/* The host has only 4K IOMMU pages: 64K guest pages use several. */
static void test_pgsizes_clamp(void)
{
    QTestState *s = start_vfio(",iommu-pgsizes=0x1000");
    uint32_t liobn;
    uint64_t start;
    QEdu e;

    qedu_init(&e, s, BUID_PHB(0), CFG_SLOT0, PHB0_MMIO32_CPU);
    g_assert_cmpint(qrtas_create(s, BUID_PHB(0), 16, 32, &liobn, &start),
                    ==, RTAS_SUCCESS);
    dma_roundtrip(s, &e, liobn, start + 0x10000);
    qtest_quit(s);
}

/*
 * A host maps no IOMMU page larger than the pages backing guest RAM: 16M
 * guest pages over RAM on the host's 64K pages become 64K host TCEs, 256
 * per guest TCE, and DMA through them works.
 */
static void test_page_over_backing(void)
{
    QTestState *s = qtest_initf("-global spapr-pci-host-bridge.pgsz=0x1011000 "
                                HOST_EMU(""));
    uint32_t liobn;
    uint64_t start;
    QEdu e;

    qedu_init(&e, s, BUID_PHB(0), CFG_SLOT0, PHB0_MMIO32_CPU);
    g_assert_cmpint(qrtas_create(s, BUID_PHB(0), 24, 34, &liobn, &start),
                    ==, RTAS_SUCCESS);
    dma_roundtrip(s, &e, liobn, start + (1 << 24));
    qtest_quit(s);
}

/* Host refusals at startup: exit 1 with a message naming the cause. */
static void test_startup_refused(void)
{
    static const struct {
        const char *args;
        const char *msg;
    } cases[] = {
        { HOST_EMU(",memlock-limit=1M"), "preregister" },
        { HOST_EMU(",iommu-pgsizes=0x1000000"), "page size" },
        { "-device vfio-pci,host-emu=nosuch", "nosuch" },
        { "-device vfio-pci,host=0000:00:1f.7", "IOMMU group" },
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *args = g_strdup_printf("-M pseries -m 4G %s",
                                                cases[i].args);
        g_autofree char *err = NULL;

        g_assert_cmpint(qtest_run_cmdline(args, NULL, &err), ==, 1);
        g_assert_nonnull(strstr(err, cases[i].msg));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio/dma/default-window", test_dma_default_window);
    g_test_add_func("/vfio/dma/ddw", test_dma_ddw);
    g_test_add_func("/vfio/refused/table", test_table_refused);
    g_test_add_func("/vfio/refused/memlock-window", test_memlock_window);
    g_test_add_func("/vfio/pgsizes-clamp", test_pgsizes_clamp);
    g_test_add_func("/vfio/page-over-backing", test_page_over_backing);
    g_test_add_func("/vfio/refused/startup", test_startup_refused);
    return g_test_run();
}
