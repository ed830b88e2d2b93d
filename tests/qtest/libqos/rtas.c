/*
 * RTAS and hypercall helpers for qtests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include "libqos/rtas.h"

uint64_t qrtas_call(QTestState *s, const char *name, int nargs,
                    const uint32_t *args, int nret, uint32_t *rets)
{
    uint64_t a = QRTAS_SCRATCH, r = QRTAS_SCRATCH + 0x100;
    uint64_t res;

    g_assert_cmpint(nargs, <=, QRTAS_MAX_CELLS);
    g_assert_cmpint(nret, <=, QRTAS_MAX_CELLS);
    for (int i = 0; i < nargs; i++) {
        qtest_writel(s, a + 4 * i, args[i]);
    }
    for (int i = 0; i < nret; i++) {
        qtest_writel(s, r + 4 * i, QRTAS_UNTOUCHED);
    }
    res = qtest_rtas_call(s, name, nargs, a, nret, r);
    for (int i = 0; i < nret; i++) {
        rets[i] = qtest_readl(s, r + 4 * i);
    }
    return res;
}

int qrtas_query(QTestState *s, uint64_t buid, int nret, uint32_t *rets)
{
    uint32_t args[] = { 0, buid >> 32, (uint32_t)buid };

    g_assert_cmpuint(qrtas_call(s, "ibm,query-pe-dma-window", 3, args,
                                nret, rets), ==, 0);
    return (int32_t)rets[0];
}

int qrtas_create(QTestState *s, uint64_t buid, uint32_t page_shift,
                 uint32_t window_shift, uint32_t *liobn, uint64_t *start)
{
    uint32_t args[] = { 0, buid >> 32, (uint32_t)buid, page_shift,
                        window_shift };
    uint32_t rets[4];

    g_assert_cmpuint(qrtas_call(s, "ibm,create-pe-dma-window", 5, args, 4,
                                rets), ==, 0);
    if (liobn) {
        *liobn = rets[1];
    }
    if (start) {
        *start = (uint64_t)rets[2] << 32 | rets[3];
    }
    return (int32_t)rets[0];
}

int qrtas_remove(QTestState *s, uint32_t liobn)
{
    uint32_t rets[1];

    g_assert_cmpuint(qrtas_call(s, "ibm,remove-pe-dma-window", 1, &liobn, 1,
                                rets), ==, 0);
    return (int32_t)rets[0];
}

int qrtas_reset(QTestState *s, uint64_t buid)
{
    uint32_t args[] = { 0, buid >> 32, (uint32_t)buid };
    uint32_t rets[1];

    g_assert_cmpuint(qrtas_call(s, "ibm,reset-pe-dma-window", 3, args, 1,
                                rets), ==, 0);
    return (int32_t)rets[0];
}

int qrtas_read_pci_config(QTestState *s, uint64_t buid, uint32_t addr,
                          uint32_t size, uint32_t *val)
{
    uint32_t args[] = { addr, buid >> 32, (uint32_t)buid, size };
    uint32_t rets[2];

    g_assert_cmpuint(qrtas_call(s, "ibm,read-pci-config", 4, args, 2, rets),
                     ==, 0);
    if (val) {
        *val = rets[1];
    }
    return (int32_t)rets[0];
}

int qrtas_write_pci_config(QTestState *s, uint64_t buid, uint32_t addr,
                           uint32_t size, uint32_t val)
{
    uint32_t args[] = { addr, buid >> 32, (uint32_t)buid, size, val };
    uint32_t rets[1];

    g_assert_cmpuint(qrtas_call(s, "ibm,write-pci-config", 5, args, 1, rets),
                     ==, 0);
    return (int32_t)rets[0];
}

uint64_t qh_put_tce(QTestState *s, uint64_t liobn, uint64_t ioba,
                    uint64_t tce)
{
    uint64_t args[] = { liobn, ioba, tce }, r[9];

    qtest_hcall(s, H_PUT_TCE, 3, args, r);
    return r[0];
}

uint64_t qh_get_tce(QTestState *s, uint64_t liobn, uint64_t ioba,
                    uint64_t *tce)
{
    uint64_t args[] = { liobn, ioba }, r[9];

    qtest_hcall(s, H_GET_TCE, 2, args, r);
    if (tce) {
        *tce = r[1];
    }
    return r[0];
}

uint64_t qh_stuff_tce(QTestState *s, uint64_t liobn, uint64_t ioba,
                      uint64_t tce, uint64_t npages)
{
    uint64_t args[] = { liobn, ioba, tce, npages }, r[9];

    qtest_hcall(s, H_STUFF_TCE, 4, args, r);
    return r[0];
}

uint64_t qh_put_tce_indirect(QTestState *s, uint64_t liobn, uint64_t ioba,
                             uint64_t list, uint64_t npages)
{
    uint64_t args[] = { liobn, ioba, list, npages }, r[9];

    qtest_hcall(s, H_PUT_TCE_INDIRECT, 4, args, r);
    return r[0];
}
