/*
 * Dynamic DMA Windows: every status code of the four RTAS calls and of
 * the TCE hypercalls, window placement and the default-window rules,
 * several PHBs, pseries-2.6, the DDW device-tree properties, and DMA
 * permissions seen by an edu device.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>
#include <libfdt.h>
#include "libqtest.h"
#include "libqos/ddw.h"

#define PHB0            BUID_PHB(0)
#define LIOBN0          LIOBN_PHB(0, 0)
#define LIOBN1          LIOBN_PHB(0, 1)
#define EDU_ARGS        "-device edu,dma_mask=0xffffffffffffffff"
#define PAGE            0x1000ULL

/* Query */

static void test_query_outputs(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t r[6];

    g_assert_cmpint(qrtas_query(s, PHB0, 5, r), ==, 0);
    g_assert_cmpuint(r[1], ==, 1);
    g_assert_cmphex(r[2], ==, 0x80000000);
    g_assert_cmphex(r[3], ==, 0x3);         /* 4K | 64K */
    g_assert_cmphex(r[4], ==, 0);
    g_assert_cmpint(qrtas_query(s, PHB0, 6, r), ==, 0);
    g_assert_cmpuint(r[1], ==, 1);
    g_assert_cmphex(r[2], ==, 0x20);        /* 2^37 TCEs */
    g_assert_cmphex(r[3], ==, 0);
    g_assert_cmphex(r[4], ==, 0x3);
    g_assert_cmphex(r[5], ==, 0);
    qtest_quit(s);
}

static void test_query_errors(void)
{
    QTestState *s = qtest_init("-device spapr-pci-host-bridge,index=1,ddw=off");
    uint32_t args[4] = { 0, PHB0 >> 32, (uint32_t)PHB0, 0 };
    uint32_t r[7];
    const char *q = "ibm,query-pe-dma-window";
    static const int bad[][2] = { { 2, 5 }, { 4, 5 }, { 3, 4 }, { 3, 7 },
                                  { 0, 5 }, { 3, 1 } };

    for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_cmpuint(qrtas_call(s, q, bad[i][0], args, bad[i][1], r), ==,
                         0);
        g_assert_cmpint((int32_t)r[0], ==, RTAS_PARAM_ERROR);
        if (bad[i][1] > 1) {
            g_assert_cmphex(r[1], ==, QRTAS_UNTOUCHED);
        }
    }
    g_assert_cmpint(qrtas_query(s, PHB0 + 7, 5, r), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_query(s, PHB0 | 1ULL << 63, 6, r), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_query(s, 0, 5, r), ==, RTAS_PARAM_ERROR);
    /* PHB 1 exists but has ddw=off */
    g_assert_cmpint(qrtas_query(s, BUID_PHB(1), 5, r), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_query(s, BUID_PHB(1), 6, r), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_reset(s, BUID_PHB(1)), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, BUID_PHB(1), 12, 30, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    qtest_quit(s);
}

/* Create */

static void test_create_errors(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t args[6] = { 0, PHB0 >> 32, (uint32_t)PHB0, 16, 32, 0 };
    uint32_t r[5], liobn;
    const char *c = "ibm,create-pe-dma-window";
    static const int bad[][2] = { { 4, 4 }, { 6, 4 }, { 5, 3 }, { 5, 5 } };

    for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_cmpuint(qrtas_call(s, c, bad[i][0], args, bad[i][1], r), ==,
                         0);
        g_assert_cmpint((int32_t)r[0], ==, RTAS_PARAM_ERROR);
    }
    g_assert_cmpint(qrtas_create(s, PHB0 + 1, 16, 32, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    /* Page sizes not in pgsz (default 4K|64K) */
    g_assert_cmpint(qrtas_create(s, PHB0, 24, 34, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 21, 31, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 13, 32, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 0, 32, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    /* window smaller than a page */
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 15, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 12, 0, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    /* shifts of 64 and more: QEMU 7.2 shifts out of range; we refuse */
    g_assert_cmpint(qrtas_create(s, PHB0, 64, 70, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, UINT32_MAX, UINT32_MAX, NULL, NULL),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 12, 64, NULL, NULL), ==,
                    RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 16, UINT32_MAX, NULL, NULL), ==,
                    RTAS_HW_ERROR);
    /* 2^32 TCEs and more do not fit a 32-bit count */
    g_assert_cmpint(qrtas_create(s, PHB0, 12, 44, NULL, NULL), ==,
                    RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 48, NULL, NULL), ==,
                    RTAS_HW_ERROR);
    /* Nothing was created by any of these */
    g_assert_cmpint(qddw_active(s, PHB0), ==, 1);
    g_assert_false(qddw_mapped_range(s, LIOBN1, QDDW_DMA64_START));
    /* 2^31 TCEs is the largest window */
    g_assert_cmpint(qrtas_create(s, PHB0, 12, 43, &liobn, NULL), ==, 0);
    g_assert_cmphex(liobn, ==, LIOBN1);
    g_assert_true(qddw_mapped_range(s, LIOBN1, QDDW_DMA64_START +
                                    (1ULL << 43) - PAGE));
    g_assert_false(qddw_mapped_range(s, LIOBN1, QDDW_DMA64_START +
                                     (1ULL << 43)));
    /* Both slots used: no free slot is a hardware error (QEMU: -1) */
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 32, NULL, NULL), ==,
                    RTAS_HW_ERROR);
    g_assert_cmpint(qddw_active(s, PHB0), ==, 2);
    qtest_quit(s);
}

static void test_create_placement(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t liobn, r[5];
    uint64_t start;

    /* With the default window active, the new one goes to dma64_win_addr */
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 32, &liobn, &start), ==, 0);
    g_assert_cmphex(liobn, ==, LIOBN1);
    g_assert_cmphex(start, ==, QDDW_DMA64_START);
    g_assert_cmpint(qrtas_query(s, PHB0, 5, r), ==, 0);
    g_assert_cmpuint(r[1], ==, 0);
    /* With no window active, at dma_win_addr (0) */
    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, 0);
    g_assert_cmpint(qrtas_remove(s, LIOBN1), ==, 0);
    g_assert_cmpint(qddw_active(s, PHB0), ==, 1);   /* default restored */
    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, 0);
    g_assert_cmpint(qddw_active(s, PHB0), ==, 0);
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 40, &liobn, &start), ==, 0);
    g_assert_cmphex(liobn, ==, LIOBN0);
    g_assert_cmphex(start, ==, 0);
    g_assert_true(qddw_mapped_range(s, LIOBN0, (1ULL << 40) - 0x10000));
    g_assert_false(qddw_mapped_range(s, LIOBN0, 1ULL << 40));
    /* The second one, whatever its slot, at dma64_win_addr */
    g_assert_cmpint(qrtas_create(s, PHB0, 12, 30, &liobn, &start), ==, 0);
    g_assert_cmphex(liobn, ==, LIOBN1);
    g_assert_cmphex(start, ==, QDDW_DMA64_START);
    qtest_quit(s);
}

static void test_create_16m(void)
{
    QTestState *s = qtest_init("-global spapr-pci-host-bridge.pgsz=0x1011000");
    uint32_t liobn, r[6];
    uint64_t start, tce;

    g_assert_cmpint(qrtas_query(s, PHB0, 6, r), ==, 0);
    g_assert_cmphex(r[4], ==, 0x7);         /* 4K | 64K | 16M */
    g_assert_cmpint(qrtas_create(s, PHB0, 21, 31, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 24, 23, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 24, 34, &liobn, &start), ==, 0);
    g_assert_cmphex(start, ==, QDDW_DMA64_START);
    /* 1024 TCEs of 16M; low ioba bits are masked to the 16M page */
    g_assert_cmphex(qh_put_tce(s, liobn, start + 0x1ffffff, 0x3000003), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, liobn, start + 0x1000000, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x3000003);
    g_assert_cmphex(qh_get_tce(s, liobn, start + (1ULL << 34), &tce), ==,
                    H_PARAMETER_U);
    qtest_quit(s);
}

static void test_create_2m(void)
{
    QTestState *s = qtest_init("-global spapr-pci-host-bridge.pgsz=0x211000");
    uint32_t liobn, r[5];

    g_assert_cmpint(qrtas_query(s, PHB0, 5, r), ==, 0);
    g_assert_cmphex(r[3], ==, 0x103);       /* 4K | 64K | 2M */
    g_assert_cmpint(qrtas_create(s, PHB0, 24, 34, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 21, 32, &liobn, NULL), ==, 0);
    g_assert_true(qddw_mapped_range(s, liobn, QDDW_DMA64_START +
                                    (1ULL << 32) - (1ULL << 21)));
    g_assert_false(qddw_mapped_range(s, liobn, QDDW_DMA64_START +
                                     (1ULL << 32)));
    qtest_quit(s);
}

/* Remove and reset */

static void test_remove_errors(void)
{
    QTestState *s = qtest_init("-device spapr-pci-host-bridge,index=1,ddw=off");
    uint32_t args[2] = { LIOBN0, 0 }, r[2];
    const char *rm = "ibm,remove-pe-dma-window";
    static const int bad[][2] = { { 0, 1 }, { 2, 1 }, { 1, 2 } };
    static const uint32_t unknown[] = { 0, 0x12345, 0x80000002, 0x80000201,
                                        0x80000300, 0xffffffff };

    for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_cmpuint(qrtas_call(s, rm, bad[i][0], args, bad[i][1], r), ==,
                         0);
        g_assert_cmpint((int32_t)r[0], ==, RTAS_PARAM_ERROR);
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(unknown); i++) {
        g_assert_cmpint(qrtas_remove(s, unknown[i]), ==, RTAS_PARAM_ERROR);
    }
    /* A disabled window */
    g_assert_cmpint(qrtas_remove(s, LIOBN1), ==, RTAS_PARAM_ERROR);
    /* The window of a PHB with ddw=off stays */
    g_assert_cmpint(qrtas_remove(s, LIOBN_PHB(1, 0)), ==, RTAS_PARAM_ERROR);
    g_assert_true(qddw_mapped_range(s, LIOBN_PHB(1, 0), 0));
    /* After all that, PHB 0 still has exactly its default window */
    g_assert_cmpint(qddw_active(s, PHB0), ==, 1);
    g_assert_true(qddw_mapped_range(s, LIOBN0, 0));
    qtest_quit(s);
}

static void test_remove_restores_default(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t liobn;

    g_assert_cmpint(qrtas_create(s, PHB0, 16, 36, &liobn, NULL), ==, 0);
    g_assert_cmphex(qh_put_tce(s, LIOBN0, 0x5000, 0x7003), ==, H_SUCCESS_U);
    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, 0);
    g_assert_cmpint(qddw_active(s, PHB0), ==, 1);
    g_assert_false(qddw_mapped_range(s, LIOBN0, 0));
    /* The last window goes and it was not the default: default is back */
    g_assert_cmpint(qrtas_remove(s, liobn), ==, 0);
    g_assert_cmpint(qddw_active(s, PHB0), ==, 1);
    g_assert_true(qddw_mapped_range(s, LIOBN0, 0));
    g_assert_true(qddw_mapped_range(s, LIOBN0, QDDW_DEF_WIN_SIZE - PAGE));
    g_assert_false(qddw_mapped_range(s, LIOBN0, QDDW_DEF_WIN_SIZE));
    g_assert_false(qddw_mapped_range(s, liobn, QDDW_DMA64_START));
    /* with an empty table */
    {
        uint64_t tce = 1;

        g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x5000, &tce), ==, H_SUCCESS_U);
        g_assert_cmphex(tce, ==, 0);
    }
    qtest_quit(s);
}

static void test_remove_default_no_restore(void)
{
    QTestState *s = qtest_init(NULL);

    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, 0);
    g_assert_cmpint(qddw_active(s, PHB0), ==, 0);
    g_assert_false(qddw_mapped_range(s, LIOBN0, 0));
    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, RTAS_PARAM_ERROR);
    qtest_quit(s);
}

/*
 * QEMU 7.2 marks LIOBN 0 as default at DMA reset and never clears it, so
 * a window re-created in that slot does not bring the default back.
 */
static void test_sticky_def_win(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t liobn;
    uint64_t start;

    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, 0);
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 32, &liobn, &start), ==, 0);
    g_assert_cmphex(liobn, ==, LIOBN0);
    g_assert_cmphex(start, ==, 0);
    g_assert_cmpint(qrtas_remove(s, liobn), ==, 0);
    g_assert_cmpint(qddw_active(s, PHB0), ==, 0);
    g_assert_false(qddw_mapped_range(s, LIOBN0, 0));
    /* ibm,reset-pe-dma-window brings it back */
    g_assert_cmpint(qrtas_reset(s, PHB0), ==, 0);
    g_assert_cmpint(qddw_active(s, PHB0), ==, 1);
    g_assert_true(qddw_mapped_range(s, LIOBN0, QDDW_DEF_WIN_SIZE - PAGE));
    qtest_quit(s);
}

static void check_default_only(QTestState *s)
{
    uint64_t tce = 1;
    uint32_t r[5];

    g_assert_cmpint(qrtas_query(s, PHB0, 5, r), ==, 0);
    g_assert_cmpuint(r[1], ==, 1);
    g_assert_false(qddw_mapped_range(s, LIOBN1, QDDW_DMA64_START));
    g_assert_false(qddw_mapped_range(s, LIOBN0, QDDW_DEF_WIN_SIZE));
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x3000, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    tce = 1;
    g_assert_cmphex(qh_get_tce(s, LIOBN0, QDDW_DEF_WIN_SIZE - PAGE, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    /* 4K pages: 0x1000 and 0x2000 are different entries */
    g_assert_cmphex(qh_put_tce(s, LIOBN0, 0x1000, 0x9001), ==, H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x2000, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    g_assert_cmphex(qh_put_tce(s, LIOBN0, 0x1000, 0), ==, H_SUCCESS_U);
}

static void test_reset(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t r[1], args[3] = { 0, PHB0 >> 32, (uint32_t)PHB0 };
    uint32_t liobn;

    g_assert_cmpuint(qrtas_call(s, "ibm,reset-pe-dma-window", 4, args, 1, r),
                     ==, 0);
    g_assert_cmpint((int32_t)r[0], ==, RTAS_PARAM_ERROR);
    g_assert_cmpuint(qrtas_call(s, "ibm,reset-pe-dma-window", 3, args, 2, r),
                     ==, 0);
    g_assert_cmpint((int32_t)r[0], ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_reset(s, PHB0 + 9), ==, RTAS_PARAM_ERROR);

    /* RTAS reset: windows go, the default comes back empty */
    g_assert_cmphex(qh_put_tce(s, LIOBN0, 0x3000, 0x1003), ==, H_SUCCESS_U);
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 34, &liobn, NULL), ==, 0);
    g_assert_cmpint(qrtas_reset(s, PHB0), ==, 0);
    check_default_only(s);

    /* Machine reset (system-reboot), from the "no window" state */
    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, 0);
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 34, &liobn, NULL), ==, 0);
    g_assert_cmpint(qrtas_create(s, PHB0, 12, 33, &liobn, NULL), ==, 0);
    g_assert_cmphex(qh_put_tce(s, LIOBN0, 0x3000, 0x1003), ==, H_SUCCESS_U);
    g_assert_cmpuint(qrtas_call(s, "system-reboot", 0, NULL, 1, r), ==, 0);
    g_assert_cmpint((int32_t)r[0], ==, 0);
    check_default_only(s);
    qtest_quit(s);
}

/* Hypercalls */

static void test_hcall_unknown_liobn(void)
{
    QTestState *s = qtest_init(NULL);
    static const uint64_t bad[] = {
        0, 0x12345678, LIOBN1, LIOBN_PHB(1, 0),
        (1ULL << 32) | LIOBN0, 0xffffffff80000000ULL, UINT64_MAX,
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_cmphex(qh_put_tce(s, bad[i], 0, 0x1003), ==, H_PARAMETER_U);
        g_assert_cmphex(qh_get_tce(s, bad[i], 0, NULL), ==, H_PARAMETER_U);
        g_assert_cmphex(qh_stuff_tce(s, bad[i], 0, 0x1003, 1), ==,
                        H_PARAMETER_U);
        g_assert_cmphex(qh_put_tce_indirect(s, bad[i], 0, QDDW_LIST_ADDR, 1),
                        ==, H_PARAMETER_U);
    }
    /* The real LIOBN 0 saw none of it */
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0, (uint64_t[]){0}), ==,
                    H_SUCCESS_U);
    qtest_quit(s);
}

static void test_hcall_window_bounds(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t liobn;
    uint64_t start, tce, end;
    uint64_t out_of[6];

    g_assert_cmpint(qrtas_create(s, PHB0, 16, 32, &liobn, &start), ==, 0);
    end = start + (1ULL << 32);
    /* below, at the end, far above, wrapping */
    out_of[0] = 0;
    out_of[1] = 0x10000;
    out_of[2] = end;
    out_of[3] = end + 0x10000;
    out_of[4] = UINT64_MAX;
    out_of[5] = 1ULL << 63;
    for (unsigned i = 0; i < G_N_ELEMENTS(out_of); i++) {
        g_assert_cmphex(qh_put_tce(s, liobn, out_of[i], 0x1003), ==,
                        H_PARAMETER_U);
        g_assert_cmphex(qh_get_tce(s, liobn, out_of[i], NULL), ==,
                        H_PARAMETER_U);
        g_assert_cmphex(qh_stuff_tce(s, liobn, out_of[i], 0x1003, 1), ==,
                        H_PARAMETER_U);
        g_assert_cmphex(qh_put_tce_indirect(s, liobn, out_of[i],
                                            QDDW_LIST_ADDR, 1), ==,
                        H_PARAMETER_U);
    }
    g_assert_cmphex(qh_put_tce(s, liobn, start - 1, 0x1003), ==,
                    H_PARAMETER_U);
    g_assert_cmphex(qh_put_tce(s, liobn, end - 1, 0x20003), ==, H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, liobn, end - 0x10000, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x20003);
    /* Default window: 1 GiB */
    g_assert_cmphex(qh_put_tce(s, LIOBN0, QDDW_DEF_WIN_SIZE, 0x1003), ==,
                    H_PARAMETER_U);
    g_assert_cmphex(qh_put_tce(s, LIOBN0, QDDW_DEF_WIN_SIZE - 1, 0x1003), ==,
                    H_SUCCESS_U);
    qtest_quit(s);
}

static void test_hcall_masked_ioba(void)
{
    QTestState *s = qtest_init(NULL);
    uint64_t tce;

    g_assert_cmphex(qh_put_tce(s, LIOBN0, 0x1fff, 0xabc003), ==, H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x1abc, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0xabc003);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x2000, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    /* STUFF and INDIRECT mask too */
    g_assert_cmphex(qh_stuff_tce(s, LIOBN0, 0x5123, 0x77001, 2), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x6000, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x77001);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x7000, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    qtest_writeq(s, QDDW_LIST_ADDR, 0x88002);
    g_assert_cmphex(qh_put_tce_indirect(s, LIOBN0, 0x9fff, QDDW_LIST_ADDR, 1),
                    ==, H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x9000, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x88002);
    qtest_quit(s);
}

static void test_hcall_get_disabled(void)
{
    QTestState *s = qtest_init(NULL);
    uint64_t args[] = { LIOBN1, 0x1234 }, r[9];

    qtest_hcall(s, H_GET_TCE, 2, args, r);
    g_assert_cmphex(r[0], ==, H_PARAMETER_U);
    g_assert_cmphex(r[1], ==, LIOBN1);      /* r4 keeps its input */
    g_assert_cmphex(r[2], ==, 0x1234);
    /* and after the window existed once */
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 32, NULL, NULL), ==, 0);
    g_assert_cmpint(qrtas_remove(s, LIOBN1), ==, 0);
    args[1] = QDDW_DMA64_START;
    qtest_hcall(s, H_GET_TCE, 2, args, r);
    g_assert_cmphex(r[0], ==, H_PARAMETER_U);
    g_assert_cmphex(r[1], ==, LIOBN1);
    qtest_quit(s);
}

static void test_hcall_indirect(void)
{
    QTestState *s = qtest_init(NULL);
    uint64_t list[4], tce;
    const uint64_t last = QDDW_DEF_WIN_SIZE - PAGE;

    for (int i = 0; i < 4; i++) {
        list[i] = GUINT64_TO_BE(0x100000ULL * (i + 1) | 3);
    }
    qtest_memwrite(s, QDDW_LIST_ADDR, list, sizeof(list));
    g_assert_cmphex(qh_put_tce_indirect(s, LIOBN0, 0, QDDW_LIST_ADDR, 0), ==,
                    H_PARAMETER_U);
    g_assert_cmphex(qh_put_tce_indirect(s, LIOBN0, 0, QDDW_LIST_ADDR, 513),
                    ==, H_PARAMETER_U);
    g_assert_cmphex(qh_put_tce_indirect(s, LIOBN0, 0, QDDW_LIST_ADDR,
                                        UINT64_MAX), ==, H_PARAMETER_U);
    g_assert_cmphex(qh_put_tce_indirect(s, LIOBN0, 0, QDDW_LIST_ADDR + 8, 1),
                    ==, H_PARAMETER_U);
    g_assert_cmphex(qh_put_tce_indirect(s, LIOBN0, 0, QDDW_LIST_ADDR + 0x800,
                                        1), ==, H_PARAMETER_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    /* 512 is allowed */
    g_assert_cmphex(qh_put_tce_indirect(s, LIOBN0, 0x100000, QDDW_LIST_ADDR,
                                        512), ==, H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x103000, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x400003);
    /* Two entries fit before the window ends: they stay applied */
    g_assert_cmphex(qh_put_tce_indirect(s, LIOBN0, last - PAGE,
                                        QDDW_LIST_ADDR, 4), ==,
                    H_PARAMETER_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, last - PAGE, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x100003);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, last, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x200003);
    /* A list past the end of RAM reads as zeros (unmaps), not a crash */
    g_assert_cmphex(qh_put_tce_indirect(s, LIOBN0, 0x100000,
                                        0xfffffffffffff000ULL, 4), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0x100000, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    qtest_quit(s);
}

static void test_hcall_stuff(void)
{
    QTestState *s = qtest_init(NULL);
    const uint64_t n = QDDW_DEF_WIN_SIZE / PAGE;
    uint64_t tce;

    g_assert_cmphex(qh_stuff_tce(s, LIOBN0, 0, 0x1003, n + 1), ==,
                    H_PARAMETER_U);
    g_assert_cmphex(qh_stuff_tce(s, LIOBN0, 0, 0x1003, UINT64_MAX), ==,
                    H_PARAMETER_U);
    g_assert_cmphex(qh_stuff_tce(s, LIOBN0, 0, 0x1003, 0), ==,
                    H_PARAMETER_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, 0, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    /* The whole window: more than 512 is fine for STUFF */
    g_assert_cmphex(qh_stuff_tce(s, LIOBN0, 0, 0x1003, n), ==, H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, QDDW_DEF_WIN_SIZE - PAGE, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x1003);
    g_assert_cmphex(qh_stuff_tce(s, LIOBN0, 0, 0, n), ==, H_SUCCESS_U);
    /* Past the end: the part inside is applied */
    g_assert_cmphex(qh_stuff_tce(s, LIOBN0, QDDW_DEF_WIN_SIZE - 4 * PAGE,
                                 0x5002, 10), ==, H_PARAMETER_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, QDDW_DEF_WIN_SIZE - 4 * PAGE, &tce),
                    ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x5002);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, QDDW_DEF_WIN_SIZE - 5 * PAGE, &tce),
                    ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    qtest_quit(s);
}

/* Several PHBs */

static void test_multi_phb(void)
{
    QTestState *s = qtest_init("-device spapr-pci-host-bridge,index=1 "
                               "-device spapr-pci-host-bridge,index=2");
    uint32_t liobn[3];
    uint64_t start, tce;

    for (int i = 0; i < 3; i++) {
        g_assert_cmpint(qddw_active(s, BUID_PHB(i)), ==, 1);
        g_assert_cmpint(qrtas_create(s, BUID_PHB(i), 16, 36, &liobn[i],
                                     &start), ==, 0);
        g_assert_cmphex(liobn[i], ==, LIOBN_PHB(i, 1));
        g_assert_cmphex(start, ==, QDDW_DMA64_START);
        g_assert_cmphex(qh_put_tce(s, liobn[i], start, 0x10000 * (i + 1) | 3),
                        ==, H_SUCCESS_U);
        g_assert_cmphex(qh_put_tce(s, LIOBN_PHB(i, 0), 0, 0x1000 * (i + 1) | 1),
                        ==, H_SUCCESS_U);
    }
    for (int i = 0; i < 3; i++) {
        g_assert_cmpint(qddw_active(s, BUID_PHB(i)), ==, 2);
        g_assert_cmphex(qh_get_tce(s, liobn[i], start, &tce), ==,
                        H_SUCCESS_U);
        g_assert_cmphex(tce, ==, 0x10000 * (i + 1) | 3);
        g_assert_cmphex(qh_get_tce(s, LIOBN_PHB(i, 0), 0, &tce), ==,
                        H_SUCCESS_U);
        g_assert_cmphex(tce, ==, 0x1000 * (i + 1) | 1);
    }
    /* Removing and resetting on PHB 1 leaves PHBs 0 and 2 alone */
    g_assert_cmpint(qrtas_remove(s, liobn[1]), ==, 0);
    g_assert_cmpint(qrtas_reset(s, BUID_PHB(1)), ==, 0);
    g_assert_cmpint(qddw_active(s, BUID_PHB(1)), ==, 1);
    g_assert_cmpint(qddw_active(s, BUID_PHB(0)), ==, 2);
    g_assert_cmpint(qddw_active(s, BUID_PHB(2)), ==, 2);
    g_assert_cmphex(qh_get_tce(s, LIOBN_PHB(1, 0), 0, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    g_assert_cmphex(qh_get_tce(s, liobn[2], start, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x30003);
    qtest_quit(s);
}

/* pseries-2.6: ddw=off, one table per PHB */

static void test_pseries_26(void)
{
    QTestState *s = qtest_init("-M pseries-2.6");
    uint32_t r[6];

    g_assert_cmpint(qrtas_query(s, PHB0, 5, r), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_query(s, PHB0, 6, r), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 32, NULL, NULL), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_remove(s, LIOBN1), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_reset(s, PHB0), ==, RTAS_PARAM_ERROR);
    /* Only the default table exists */
    g_assert_true(qddw_mapped_range(s, LIOBN0, 0));
    g_assert_cmphex(qh_put_tce(s, LIOBN1, 0, 0x1003), ==, H_PARAMETER_U);
    g_assert_cmphex(qh_stuff_tce(s, LIOBN1, 0, 0, 1), ==, H_PARAMETER_U);
    qtest_quit(s);
}

/* Device tree */

static void *dump_dtb(const char *machine, const char *args, size_t *size)
{
    g_autofree char *dir = g_dir_make_tmp("ddw-dtb-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "t.dtb", NULL);
    g_autofree char *cmd = NULL;
    g_autofree char *err = NULL;
    char *blob = NULL;

    g_assert_nonnull(dir);
    cmd = g_strdup_printf("-M %s,dumpdtb=%s -m 4G -display none -nodefaults "
                          "%s", machine, path, args);
    g_assert_cmpint(qtest_run_cmdline(cmd, NULL, &err), ==, 0);
    g_assert_true(g_file_get_contents(path, &blob, size, NULL));
    g_assert_cmpint(fdt_check_header(blob), ==, 0);
    unlink(path);
    rmdir(dir);
    return blob;
}

static const uint32_t *dt_cells(const void *fdt, const char *node,
                                const char *prop, int ncells)
{
    int off = fdt_path_offset(fdt, node), len = -1;
    const uint32_t *p;

    g_assert_cmpint(off, >=, 0);
    p = fdt_getprop(fdt, off, prop, &len);
    if (ncells < 0) {
        g_assert_null(p);
        return NULL;
    }
    g_assert_nonnull(p);
    g_assert_cmpint(len, ==, ncells * 4);
    return p;
}

static uint32_t dt_rtas_token(const void *fdt, const char *name)
{
    return fdt32_to_cpu(dt_cells(fdt, "/rtas", name, 1)[0]);
}

static void test_dt_ddw(void)
{
    size_t size;
    g_autofree void *fdt = dump_dtb("pseries-2.7",
                                    "-device spapr-pci-host-bridge,index=1 "
                                    "-device spapr-pci-host-bridge,index=2,"
                                    "ddw=off", &size);
    const uint32_t *p;
    int off, len;
    const char *hyp;

    p = dt_cells(fdt, "/pci@800000020000000", "ibm,dma-window", 5);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, LIOBN0);
    g_assert_cmphex(fdt32_to_cpu(p[1]), ==, 0);
    g_assert_cmphex(fdt32_to_cpu(p[2]), ==, 0);
    g_assert_cmphex(fdt32_to_cpu(p[3]), ==, 0);
    g_assert_cmphex(fdt32_to_cpu(p[4]), ==, QDDW_DEF_WIN_SIZE);
    p = dt_cells(fdt, "/pci@800000020000000", "ibm,#dma-address-cells", 1);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 2);
    p = dt_cells(fdt, "/pci@800000020000000", "ibm,#dma-size-cells", 1);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 2);
    /* applicable: query, create, remove tokens, as /rtas names them */
    p = dt_cells(fdt, "/pci@800000020000000", "ibm,ddw-applicable", 3);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==,
                    dt_rtas_token(fdt, "ibm,query-pe-dma-window"));
    g_assert_cmphex(fdt32_to_cpu(p[1]), ==,
                    dt_rtas_token(fdt, "ibm,create-pe-dma-window"));
    g_assert_cmphex(fdt32_to_cpu(p[2]), ==,
                    dt_rtas_token(fdt, "ibm,remove-pe-dma-window"));
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 0x2026);
    /* extensions: 2 of them, reset token, query takes 6 outputs */
    p = dt_cells(fdt, "/pci@800000020000000", "ibm,ddw-extensions", 3);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 2);
    g_assert_cmphex(fdt32_to_cpu(p[1]), ==,
                    dt_rtas_token(fdt, "ibm,reset-pe-dma-window"));
    g_assert_cmpuint(fdt32_to_cpu(p[2]), ==, 1);
    /* PHB 1: its own LIOBN */
    p = dt_cells(fdt, "/pci@800000020000001", "ibm,dma-window", 5);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, LIOBN_PHB(1, 0));
    dt_cells(fdt, "/pci@800000020000001", "ibm,ddw-applicable", 3);
    /* PHB 2 with ddw=off: a window, no DDW properties */
    p = dt_cells(fdt, "/pci@800000020000002", "ibm,dma-window", 5);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, LIOBN_PHB(2, 0));
    dt_cells(fdt, "/pci@800000020000002", "ibm,ddw-applicable", -1);
    dt_cells(fdt, "/pci@800000020000002", "ibm,ddw-extensions", -1);
    /* multi-TCE hcalls are offered */
    off = fdt_path_offset(fdt, "/rtas");
    hyp = fdt_getprop(fdt, off, "ibm,hypertas-functions", &len);
    g_assert_nonnull(hyp);
    g_assert_nonnull(memmem(hyp, len, "hcall-multi-tce", 16));
    g_assert_nonnull(memmem(hyp, len, "hcall-tce", 10));
}

static void test_dt_pseries_26(void)
{
    size_t size;
    g_autofree void *fdt = dump_dtb("pseries-2.6", "", &size);
    const uint32_t *p;

    p = dt_cells(fdt, "/pci@800000020000000", "ibm,dma-window", 5);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, LIOBN0);
    dt_cells(fdt, "/pci@800000020000000", "ibm,ddw-applicable", -1);
    dt_cells(fdt, "/pci@800000020000000", "ibm,ddw-extensions", -1);
    /* The calls are still registered, as in QEMU */
    dt_rtas_token(fdt, "ibm,create-pe-dma-window");
}

/* DMA through windows, seen by edu */

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
    g_test_add_func("/ddw/query/outputs", test_query_outputs);
    g_test_add_func("/ddw/query/errors", test_query_errors);
    g_test_add_func("/ddw/create/errors", test_create_errors);
    g_test_add_func("/ddw/create/placement", test_create_placement);
    g_test_add_func("/ddw/create/16m", test_create_16m);
    g_test_add_func("/ddw/create/2m", test_create_2m);
    g_test_add_func("/ddw/remove/errors", test_remove_errors);
    g_test_add_func("/ddw/remove/restores-default",
                    test_remove_restores_default);
    g_test_add_func("/ddw/remove/default-no-restore",
                    test_remove_default_no_restore);
    g_test_add_func("/ddw/remove/sticky-def-win", test_sticky_def_win);
    g_test_add_func("/ddw/reset", test_reset);
    g_test_add_func("/ddw/hcall/unknown-liobn", test_hcall_unknown_liobn);
    g_test_add_func("/ddw/hcall/window-bounds", test_hcall_window_bounds);
    g_test_add_func("/ddw/hcall/masked-ioba", test_hcall_masked_ioba);
    g_test_add_func("/ddw/hcall/get-disabled", test_hcall_get_disabled);
    g_test_add_func("/ddw/hcall/indirect", test_hcall_indirect);
    g_test_add_func("/ddw/hcall/stuff", test_hcall_stuff);
    g_test_add_func("/ddw/multi-phb", test_multi_phb);
    g_test_add_func("/ddw/pseries-2.6", test_pseries_26);
    g_test_add_func("/ddw/dt/ddw", test_dt_ddw);
    g_test_add_func("/ddw/dt/pseries-2.6", test_dt_pseries_26);
    g_test_add_func("/ddw/dma/read-only", test_dma_read_only);
    g_test_add_func("/ddw/dma/write-only", test_dma_write_only);
    g_test_add_func("/ddw/dma/none", test_dma_none);
    g_test_add_func("/ddw/dma/read-write", test_dma_read_write);
    g_test_add_func("/ddw/dma/crossing-unmapped", test_dma_crossing_unmapped);
    g_test_add_func("/ddw/dma/ddw-64k", test_dma_ddw_64k);
    g_test_add_func("/ddw/dma/ddw-16m", test_dma_ddw_16m);
    g_test_add_func("/ddw/linux-bringup", test_linux_bringup);
    return g_test_run();
}
