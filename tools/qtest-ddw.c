/*
 * qtest-ddw: a Linux-style DDW bring-up on PHB 1 of a running pseries
 * machine (2.7's PHB placement or the one of 2.8 and later, found by
 * probing), through its qtest socket (a machine libvirt started with
 * "-qtest unix:PATH,server=on,wait=off" in <qemu:commandline>).
 *
 *   qtest-ddw SOCKET bringup RAM_MIB   scan PHB 1, find edu, query and
 *                                      create a window covering RAM, map
 *                                      RAM with H_PUT_TCE_INDIRECT, edu
 *                                      DMA into RAM through it
 *   qtest-ddw SOCKET verify RAM_MIB    after a migration: the window,
 *                                      its TCEs and the DMA'd bytes are
 *                                      there, and edu DMA works again
 *
 * Prints one line per step; exits 0 only if every check held.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libqtest.h"
#include "libqos/ddw.h"

#define PHB1                BUID_PHB(1)
/*
 * Where PHB 1's 32-bit MMIO window puts PCI 0x80000000: pseries-2.7 with
 * <= 1 TiB of RAM (PHB1_MMIO32_CPU), or 2.8 and later (32 TiB + 2 x 2 GiB).
 */
#define PHB1_MMIO32_CPU_2_8 ((1ULL << 45) + 2 * (2ULL << 30))
#define PAGE_SHIFT          16
#define PATTERN_OFF         0x100000ULL

static G_NORETURN void die(const char *what)
{
    fprintf(stderr, "qtest-ddw: %s\n", what);
    exit(1);
}

static uint32_t find_edu(QTestState *s)
{
    for (unsigned slot = 0; slot < 32; slot++) {
        uint32_t id = 0;

        if (qrtas_read_pci_config(s, PHB1, slot << 11, 4, &id) == 0 &&
            id == 0x11e81234) {
            printf("edu at PHB 1 slot %u\n", slot);
            return slot << 11;
        }
    }
    die("no edu device on PHB 1");
}

/* Maps edu's BAR0 and finds which placement answers with its ident. */
static uint64_t phb1_mmio32_cpu(QTestState *s, uint32_t cfg)
{
    const uint64_t where[] = { PHB1_MMIO32_CPU, PHB1_MMIO32_CPU_2_8 };

    if (qrtas_write_pci_config(s, PHB1, cfg | 0x10, 4, EDU_BAR0_PCI) ||
        qrtas_write_pci_config(s, PHB1, cfg | 0x04, 2, 6)) {
        die("edu: config writes refused");
    }
    for (size_t i = 0; i < G_N_ELEMENTS(where); i++) {
        if (qtest_readl(s, where[i]) == EDU_IDENT) {
            return where[i];
        }
    }
    die("edu's BAR0 answers at neither PHB placement (2.7, 2.8+)");
}

static void pattern(uint8_t *buf, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        buf[i] = seed ^ (i * 29);
    }
}

/* edu copies its buffer to RAM at off through the DDW window. */
static void dma_check(QEdu *e, uint64_t start, uint8_t seed)
{
    uint8_t out[256], back[256];

    pattern(out, sizeof(out), seed);
    qedu_buf_write(e, 0, out, sizeof(out));
    if (!qedu_dma(e, EDU_BUF, start + PATTERN_OFF, sizeof(out), true)) {
        die("edu DMA did not complete");
    }
    qtest_memread(e->qts, PATTERN_OFF, back, sizeof(back));
    if (memcmp(out, back, sizeof(out))) {
        die("edu DMA through the window: bytes differ");
    }
    printf("edu DMA through the window: %zu bytes verified\n", sizeof(out));
}

static void bringup(QTestState *s, uint64_t ram)
{
    QEdu e;
    uint32_t r[6], liobn;
    uint64_t start;
    unsigned hcalls = 0;

    uint32_t cfg = find_edu(s);

    qedu_init(&e, s, PHB1, cfg, phb1_mmio32_cpu(s, cfg));
    if (qrtas_query(s, PHB1, 6, r) != 0 || r[1] == 0 || !(r[4] & 0x2)) {
        die("ibm,query-pe-dma-window: no window or no 64K pages");
    }
    if (qrtas_create(s, PHB1, PAGE_SHIFT, g_bit_storage(ram - 1), &liobn,
                     &start) != 0) {
        die("ibm,create-pe-dma-window failed");
    }
    printf("window: LIOBN 0x%x at 0x%" PRIx64 "\n", liobn, start);
    if (qddw_map(s, liobn, start, PAGE_SHIFT, 0, ram >> PAGE_SHIFT,
                 QDDW_TCE_READ | QDDW_TCE_WRITE, &hcalls) != H_SUCCESS_U) {
        die("H_PUT_TCE_INDIRECT failed");
    }
    printf("mapped %" PRIu64 " TCEs with %u hcalls\n", ram >> PAGE_SHIFT,
           hcalls);
    dma_check(&e, start, 0x3c);
}

static void verify(QTestState *s, uint64_t ram)
{
    QEdu e;
    uint8_t want[256], back[256];
    uint64_t tce, last = ram - (1ULL << PAGE_SHIFT);
    uint32_t cfg;

    if (qddw_active(s, PHB1) != 2) {
        die("PHB 1 does not have its two windows");
    }
    if (qh_get_tce(s, LIOBN_PHB(1, 1), QDDW_DMA64_START + last, &tce) !=
        H_SUCCESS_U || tce != (last | QDDW_TCE_READ | QDDW_TCE_WRITE)) {
        die("the window's last TCE is not what was mapped");
    }
    printf("window and TCEs present (last TCE 0x%" PRIx64 ")\n", tce);
    pattern(want, sizeof(want), 0x3c);
    qtest_memread(s, PATTERN_OFF, back, sizeof(back));
    if (memcmp(want, back, sizeof(want))) {
        die("RAM does not hold the bytes edu wrote before migrating");
    }
    printf("guest RAM holds the DMA'd bytes\n");
    cfg = find_edu(s);
    qedu_init(&e, s, PHB1, cfg, phb1_mmio32_cpu(s, cfg));
    dma_check(&e, QDDW_DMA64_START, 0x77);
}

int main(int argc, char **argv)
{
    QTestState *s;
    uint64_t ram;

    if (argc != 4 || (strcmp(argv[2], "bringup") && strcmp(argv[2], "verify"))) {
        fprintf(stderr, "usage: qtest-ddw SOCKET bringup|verify RAM_MIB\n");
        return 2;
    }
    ram = strtoull(argv[3], NULL, 0) << 20;
    s = qtest_connect(argv[1]);
    if (!strcmp(argv[2], "bringup")) {
        bringup(s, ram);
    } else {
        verify(s, ram);
    }
    qtest_quit(s);
    return 0;
}
