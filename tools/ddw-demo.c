/*
 * ddw-demo: the DMA bring-up of a Linux 6.1 guest on a 4 GiB pseries-2.7
 * machine with an edu device, played over qtest (`make run`).
 *
 *   ddw-demo [PATH-TO-spapr-ddw]
 *
 * It scans PHB 0 through RTAS config reads, identifies edu, clears the
 * default window with H_STUFF_TCE, queries DDW with 6 outputs, creates a
 * window as large as RAM with the largest page size offered, maps all of
 * RAM with H_PUT_TCE_INDIRECT (TCE = address | read | write), then lets
 * edu DMA through the new window and checks the bytes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libqtest.h"
#include "libqos/ddw.h"

#define RAM_SIZE        (4ULL << 30)
#define PHB0            BUID_PHB(0)

/* LoPAR "IO Page Sizes" bits, largest first */
static const struct {
    uint32_t bit;
    unsigned shift;
    const char *name;
} page_sizes[] = {
    { 0x080, 34, "16G" }, { 0x040, 28, "256M" }, { 0x020, 27, "128M" },
    { 0x010, 26, "64M" }, { 0x008, 25, "32M" }, { 0x004, 24, "16M" },
    { 0x100, 21, "2M" }, { 0x002, 16, "64K" }, { 0x001, 12, "4K" },
};

static double now_s(void)
{
    return g_get_monotonic_time() / 1e6;
}

static void die(const char *what)
{
    fprintf(stderr, "ddw-demo: %s\n", what);
    exit(1);
}

static uint32_t scan_phb0(QTestState *s)
{
    uint32_t edu_cfg = UINT32_MAX;

    printf("PCI scan of PHB 0 (BUID 0x%" PRIx64 ") via ibm,read-pci-config\n",
           (uint64_t)PHB0);
    for (unsigned slot = 0; slot < 32; slot++) {
        uint32_t cfg = slot << 11, id = 0, class = 0;

        if (qrtas_read_pci_config(s, PHB0, cfg, 4, &id) != 0 ||
            (id & 0xffff) == 0xffff) {
            continue;
        }
        qrtas_read_pci_config(s, PHB0, cfg | 0x08, 4, &class);
        printf("  00:%02x.0  %04x:%04x  class %06x%s\n", slot, id & 0xffff,
               id >> 16, class >> 8, id == 0x11e81234 ? "  (edu)" : "");
        if (id == 0x11e81234 && edu_cfg == UINT32_MAX) {
            edu_cfg = cfg;
        }
    }
    if (edu_cfg == UINT32_MAX) {
        die("no edu device on PHB 0");
    }
    return edu_cfg;
}

int main(int argc, char **argv)
{
    QTestState *s;
    QEdu e;
    uint32_t r[6], liobn;
    uint64_t start, max_tces, tce, high = RAM_SIZE - 0x10000 + 0x100;
    unsigned shift = 0, hcalls = 0;
    /* The smallest power of two covering RAM */
    unsigned window_shift = g_bit_storage(RAM_SIZE - 1);
    const char *ps_name = "?";
    uint8_t out[64], back[64];
    double t0, t_map;

    if (argc > 1) {
        g_setenv("SPAPR_DDW_BIN", argv[1], true);
    }
    t0 = now_s();
    s = qtest_init("-device edu,dma_mask=0xffffffffffffffff");
    printf("spapr-ddw %s: pseries-2.7, 4 GiB, edu with a 64-bit DMA mask\n\n",
           qtest_binary());

    qedu_init(&e, s, PHB0, scan_phb0(s), PHB0_MMIO32_CPU);
    printf("  edu ident 0x%08x at BAR0 0x%" PRIx64 "\n\n",
           qtest_readl(s, e.mmio), e.mmio);

    /* Linux: the default window is not used for a 64-bit device */
    if (qh_stuff_tce(s, LIOBN_PHB(0, 0), 0, 0,
                     QDDW_DEF_WIN_SIZE >> 12) != H_SUCCESS_U) {
        die("H_STUFF_TCE on the default window failed");
    }
    printf("H_STUFF_TCE: default window 0x%x cleared (%" PRIu64 " TCEs)\n",
           LIOBN_PHB(0, 0), (uint64_t)(QDDW_DEF_WIN_SIZE >> 12));

    if (qrtas_query(s, PHB0, 6, r) != 0) {
        die("ibm,query-pe-dma-window failed");
    }
    max_tces = (uint64_t)r[2] << 32 | r[3];
    for (unsigned i = 0; i < G_N_ELEMENTS(page_sizes) && !shift; i++) {
        if (r[4] & page_sizes[i].bit) {
            shift = page_sizes[i].shift;
            ps_name = page_sizes[i].name;
        }
    }
    printf("query (6 outputs): %u window(s) available, up to %" PRIu64
           " TCEs, page mask 0x%x -> %s pages\n", r[1], max_tces, r[4],
           ps_name);
    if (!shift || r[1] == 0) {
        die("no page size or no window available");
    }

    if (qrtas_create(s, PHB0, shift, window_shift, &liobn, &start) != 0) {
        die("ibm,create-pe-dma-window failed");
    }
    printf("create: LIOBN 0x%x, bus 0x%" PRIx64 ", 2^%u bytes\n", liobn,
           start, window_shift);

    t_map = now_s();
    if (qddw_map(s, liobn, start, shift, 0, RAM_SIZE >> shift, 3,
                 &hcalls) != H_SUCCESS_U) {
        die("H_PUT_TCE_INDIRECT failed");
    }
    t_map = now_s() - t_map;
    qh_get_tce(s, liobn, start + high, &tce);
    printf("H_PUT_TCE_INDIRECT: all RAM mapped; TCE for 0x%" PRIx64
           " = 0x%" PRIx64 "\n", high, tce);

    for (unsigned i = 0; i < sizeof(out); i++) {
        out[i] = 0xa5 ^ (i * 13);
    }
    qedu_buf_write(&e, 0, out, sizeof(out));
    if (!qedu_dma(&e, EDU_BUF, start + high, sizeof(out), true)) {
        die("edu DMA did not complete");
    }
    qtest_memread(s, high, back, sizeof(back));
    printf("edu DMA of %zu bytes to bus 0x%" PRIx64 " -> RAM 0x%" PRIx64
           ": %s\n\n", sizeof(out), start + high, high,
           memcmp(out, back, sizeof(out)) ? "MISMATCH" : "bytes verified");

    printf("  %-22s %s\n", "windows active", "2 (default + DDW)");
    printf("  %-22s %s\n", "DDW page size", ps_name);
    printf("  %-22s %" PRIu64 "\n", "TCEs mapped",
           (uint64_t)(RAM_SIZE >> shift));
    printf("  %-22s %u x H_PUT_TCE_INDIRECT\n", "hcalls", hcalls);
    printf("  %-22s %.1f ms mapping, %.1f ms in all (over qtest)\n",
           "time taken", t_map * 1e3, (now_s() - t0) * 1e3);
    if (qddw_active(s, PHB0) != 2) {
        die("expected two windows");
    }
    qtest_quit(s);
    return memcmp(out, back, sizeof(out)) ? 1 : 0;
}
