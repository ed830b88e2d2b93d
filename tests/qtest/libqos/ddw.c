/*
 * DDW helpers for qtests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include "libqos/ddw.h"

int qddw_active(QTestState *s, uint64_t buid)
{
    uint32_t rets[5];

    g_assert_cmpint(qrtas_query(s, buid, 5, rets), ==, 0);
    g_assert_cmpuint(rets[1], <=, 2);
    return 2 - rets[1];
}

bool qddw_mapped_range(QTestState *s, uint32_t liobn, uint64_t ioba)
{
    return qh_get_tce(s, liobn, ioba, NULL) == H_SUCCESS_U;
}

uint64_t qddw_map(QTestState *s, uint32_t liobn, uint64_t ioba,
                  unsigned page_shift, uint64_t pa, uint64_t npages,
                  uint64_t perm, unsigned *hcalls)
{
    uint64_t list[512];
    unsigned calls = 0;
    uint64_t ret = H_SUCCESS_U;

    for (uint64_t done = 0; done < npages && ret == H_SUCCESS_U;) {
        uint64_t n = MIN(npages - done, 512);

        for (uint64_t i = 0; i < n; i++) {
            uint64_t tce = (pa + ((done + i) << page_shift)) | perm;

            list[i] = GUINT64_TO_BE(tce);
        }
        qtest_memwrite(s, QDDW_LIST_ADDR, list, n * 8);
        ret = qh_put_tce_indirect(s, liobn, ioba + (done << page_shift),
                                  QDDW_LIST_ADDR, n);
        calls++;
        done += n;
    }
    if (hcalls) {
        *hcalls = calls;
    }
    return ret;
}

void qedu_buf_write(QEdu *e, uint64_t off, const uint8_t *data, size_t n)
{
    g_assert_cmpuint(n % 8, ==, 0);
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = 0;

        for (int b = 0; b < 8; b++) {
            v = v << 8 | data[i + b];
        }
        qtest_writeq(e->qts, e->mmio + EDU_BUF + off + i, v);
    }
}

void qedu_buf_read(QEdu *e, uint64_t off, uint8_t *data, size_t n)
{
    g_assert_cmpuint(n % 8, ==, 0);
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = qtest_readq(e->qts, e->mmio + EDU_BUF + off + i);

        for (int b = 7; b >= 0; b--) {
            data[i + b] = v & 0xff;
            v >>= 8;
        }
    }
}
