/*
 * PCI config space through RTAS for qtests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "libqos/pci.h"
#include "libqos/rtas.h"

uint32_t qpci_cfg_read(QTestState *s, uint64_t buid, uint32_t addr,
                       uint32_t size)
{
    uint32_t v;

    g_assert_cmpint(qrtas_read_pci_config(s, buid, addr, size, &v), ==, 0);
    return v;
}

void qpci_cfg_write(QTestState *s, uint64_t buid, uint32_t addr,
                    uint32_t size, uint32_t v)
{
    g_assert_cmpint(qrtas_write_pci_config(s, buid, addr, size, v), ==, 0);
}
