/*
 * PCI config space of a pseries PHB from a qtest, through RTAS: reads and
 * writes that must succeed, and the command register's bits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef LIBQOS_PCI_H
#define LIBQOS_PCI_H

#include "libqtest.h"

#define QPCI_CMD_MEM        0x2
#define QPCI_CMD_MASTER     0x4

/* addr: bus << 16 | devfn << 8 | register */
uint32_t qpci_cfg_read(QTestState *s, uint64_t buid, uint32_t addr,
                       uint32_t size);
void qpci_cfg_write(QTestState *s, uint64_t buid, uint32_t addr,
                    uint32_t size, uint32_t v);

#endif
