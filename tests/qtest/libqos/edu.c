/*
 * edu helpers for qtests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "libqos/edu.h"
#include "libqos/rtas.h"

void qedu_init(QEdu *e, QTestState *qts, uint64_t buid, uint32_t cfg_addr,
               uint64_t mmio32_cpu)
{
    uint32_t id;

    e->qts = qts;
    e->buid = buid;
    e->cfg_addr = cfg_addr;
    g_assert_cmpint(qrtas_read_pci_config(qts, buid, cfg_addr, 4, &id), ==, 0);
    g_assert_cmphex(id, ==, EDU_ID);
    g_assert_cmpint(qrtas_write_pci_config(qts, buid, cfg_addr | 0x10, 4,
                                           EDU_BAR0_PCI), ==, 0);
    g_assert_cmpint(qrtas_write_pci_config(qts, buid, cfg_addr | 0x04, 2, 6),
                    ==, 0);
    e->mmio = mmio32_cpu;
    g_assert_cmphex(qtest_readl(qts, e->mmio), ==, EDU_IDENT);
}

bool qedu_dma(QEdu *e, uint64_t src, uint64_t dst, uint64_t count,
              bool to_ram)
{
    qtest_writeq(e->qts, e->mmio + 0x80, src);
    qtest_writeq(e->qts, e->mmio + 0x88, dst);
    qtest_writeq(e->qts, e->mmio + 0x90, count);
    qtest_writeq(e->qts, e->mmio + 0x98, to_ram ? 3 : 1);
    for (int i = 0; i < 10; i++) {
        if (!(qtest_readq(e->qts, e->mmio + 0x98) & 1)) {
            return true;
        }
        qtest_clock_step(e->qts, 100000000);
    }
    return false;
}
