/*
 * Dynamic DMA Windows: every status code of the four RTAS calls and of
 * the TCE hypercalls, window placement and the default-window rules,
 * several PHBs and pseries-2.6.  The device tree is checked in
 * spapr-ddw-dt-test.c and DMA through the windows in spapr-ddw-dma-test.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>
#include "libqtest.h"
#include "libqos/ddw.h"

#define PHB0            BUID_PHB(0)
#define LIOBN0          LIOBN_PHB(0, 0)
#define LIOBN1          LIOBN_PHB(0, 1)
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

/*
 * The address follows the number of active windows, not the slot: after
 * remove default, create (slot 0 at 0), create (slot 1 at 2^59), remove
 * slot 0, a new window in slot 0 also lands at 2^59, on top of slot 1.
 * QEMU 7.2 does exactly this (checked against qemu-system-ppc64); both
 * tables stay separately addressable by LIOBN.
 */
static void test_create_shared_dma64(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t liobn;
    uint64_t start, tce;

    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, 0);
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 32, &liobn, &start), ==, 0);
    g_assert_cmphex(start, ==, 0);
    g_assert_cmpint(qrtas_create(s, PHB0, 16, 32, &liobn, &start), ==, 0);
    g_assert_cmphex(liobn, ==, LIOBN1);
    g_assert_cmphex(start, ==, QDDW_DMA64_START);
    g_assert_cmpint(qrtas_remove(s, LIOBN0), ==, 0);
    g_assert_cmpint(qddw_active(s, PHB0), ==, 1);
    g_assert_cmpint(qrtas_create(s, PHB0, 12, 30, &liobn, &start), ==, 0);
    g_assert_cmphex(liobn, ==, LIOBN0);
    g_assert_cmphex(start, ==, QDDW_DMA64_START);
    g_assert_cmphex(qh_put_tce(s, LIOBN0, start, 0x1003), ==, H_SUCCESS_U);
    g_assert_cmphex(qh_put_tce(s, LIOBN1, start, 0x2003), ==, H_SUCCESS_U);
    g_assert_cmphex(qh_get_tce(s, LIOBN0, start, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x1003);
    g_assert_cmphex(qh_get_tce(s, LIOBN1, start, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x2003);
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
    uint32_t r[2], args[4] = { 0, PHB0 >> 32, (uint32_t)PHB0, 0 };
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ddw/query/outputs", test_query_outputs);
    g_test_add_func("/ddw/query/errors", test_query_errors);
    g_test_add_func("/ddw/create/errors", test_create_errors);
    g_test_add_func("/ddw/create/placement", test_create_placement);
    g_test_add_func("/ddw/create/shared-dma64", test_create_shared_dma64);
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
    return g_test_run();
}
