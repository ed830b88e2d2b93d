/*
 * The edu device on PHB 0, seen from a qtest: BAR0 programming through
 * RTAS config writes, and DMA through whatever window maps the bus address.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef LIBQOS_EDU_H
#define LIBQOS_EDU_H

#include "libqtest.h"

#define EDU_BUF             0x40000ULL
#define EDU_BAR0_PCI        0x80000000ULL
/* PHB 0's 32-bit MMIO window for PCI 0x80000000, with <= 1 TiB of RAM */
#define PHB0_MMIO32_CPU     0x100a0000000ULL
#define PHB1_MMIO32_CPU     0x110a0000000ULL
#define EDU_ID              0x11e81234U     /* config: vendor, device */
#define EDU_IDENT           0x010000edU     /* BAR0 + 0: identification */

typedef struct QEdu {
    QTestState *qts;
    uint64_t buid;
    uint32_t cfg_addr;          /* bus << 16 | devfn << 8 */
    uint64_t mmio;              /* CPU address of BAR0 */
} QEdu;

/* Finds edu at cfg_addr, maps BAR0 at PCI 0x80000000, enables MEM + BM. */
void qedu_init(QEdu *e, QTestState *qts, uint64_t buid, uint32_t cfg_addr,
               uint64_t mmio32_cpu);
/* Runs one DMA: to_ram copies the edu buffer to bus address dst. */
bool qedu_dma(QEdu *e, uint64_t src, uint64_t dst, uint64_t count,
              bool to_ram);

#endif
