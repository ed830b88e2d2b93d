/*
 * spapr-ddw with a real host device: vfio-pci over the Linux SPAPR TCE v2
 * IOMMU of a PowerNV host (tests/powernv, run by its /init).
 *
 * DOC: what this proves
 *
 * The host device is QEMU's edu, bound to vfio-pci in the PowerNV host
 * and named by SPAPR_DDW_VFIO_HOST (DDDD:BB:DD.F); without it every test
 * skips.  The qtest guest maps its RAM with TCE hypercalls, programs the
 * edu through the forwarded BAR and checks that the bytes the device
 * copied land where the guest mapped them: through the default window,
 * through a DDW at 1<<59, not through a removed window, again after
 * ibm,reset-pe-dma-window, and through a Linux-style direct map of 2 GiB
 * of guest RAM built with H_PUT_TCE_INDIRECT.  The vfio_dma_map trace
 * gives the number of MAP_DMA ioctls each scenario cost.
 *
 * The edu of a ppc64 QEMU is big-endian while vfio-pci forwards BAR
 * accesses as little-endian bytes, so register values are swapped when
 * the ID register reads back swapped.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "libqtest.h"
#include "libqos/rtas.h"
#include "libqos/edu.h"

#define BUID0           BUID_PHB(0)
#define TCE_RW          3ULL
#define EDU_ID_VALUE    0x010000edU
#define DMA_LEN         256
#define PAGE_A          0x20000000ULL   /* guest RAM the device reads */
#define PAGE_B          0x20010000ULL   /* guest RAM the device writes */
#define TCE_LIST        0x11000000ULL   /* H_PUT_TCE_INDIRECT list page */
#define TCES_PER_LIST   512

typedef struct PnvVfio {
    QTestState *s;
    uint64_t mmio;
    bool swap;
    char *trace;
    unsigned maps_seen, refused_seen;
} PnvVfio;

static const char *vfio_host(void)
{
    return g_getenv("SPAPR_DDW_VFIO_HOST");
}

static uint64_t edu_val(PnvVfio *v, uint64_t x)
{
    return v->swap ? GUINT64_SWAP_LE_BE(x) : x;
}

/* Starts spapr-ddw with the host edu; false (test skipped) without one. */
static bool pnv_start(PnvVfio *v, const char *mem)
{
    g_autofree char *args = NULL, *dry = NULL;
    g_autofree char *out = NULL, *err = NULL;

    if (!vfio_host() || !*vfio_host()) {
        g_test_skip("SPAPR_DDW_VFIO_HOST is not set: no host device");
        return false;
    }
    v->trace = g_strdup_printf("%s/pnv-vfio-trace-%d.log", g_get_tmp_dir(),
                               (int)getpid());
    args = g_strdup_printf("-M pseries-2.7 -m %s -accel qtest -display none "
                           "-nodefaults -S -device vfio-pci,host=%s "
                           "-trace enable=vfio_dma_map,file=%s", mem,
                           vfio_host(), v->trace);
    /* A dry run with stdin closed: does the machine come up at all? */
    dry = g_strdup_printf("-qtest stdio %s", args);
    if (qtest_run_cmdline(dry, &out, &err) != 0) {
        g_assert_cmpstr(err, ==, "");
    }
    unlink(v->trace);
    v->s = qtest_init_bare(args);
    return true;
}

static void pnv_stop(PnvVfio *v)
{
    qtest_quit(v->s);
    unlink(v->trace);
    g_free(v->trace);
}

/* MAP_DMA ioctls (successful, refused) since the last call. */
static void pnv_map_count(PnvVfio *v, const char *what)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    unsigned ok = 0, bad = 0;

    if (g_file_get_contents(v->trace, &text, NULL, NULL)) {
        lines = g_strsplit(text, "\n", -1);
        for (char **l = lines; *l; l++) {
            if (strstr(*l, "vfio_dma_map ")) {
                strstr(*l, " ret=0") ? ok++ : bad++;
            }
        }
    }
    /* The file only grows: spapr-ddw keeps it open */
    printf("MAP_DMA %s: %u ioctls, %u refused\n", what, ok - v->maps_seen,
           bad - v->refused_seen);
    g_assert_cmpuint(bad, ==, 0);
    v->maps_seen = ok;
    v->refused_seen = bad;
}

/* Finds the edu on PHB 0, maps BAR0, enables memory and bus mastering. */
static void pnv_edu_init(PnvVfio *v)
{
    uint32_t cfg = 0, id = 0;

    for (unsigned dev = 0; dev < 32; dev++) {
        cfg = dev << 11;
        if (qrtas_read_pci_config(v->s, BUID0, cfg, 4, &id) == 0 &&
            id == 0x11e81234) {
            break;
        }
    }
    g_assert_cmphex(id, ==, 0x11e81234);
    g_assert_cmpint(qrtas_write_pci_config(v->s, BUID0, cfg | 0x10, 4,
                                           EDU_BAR0_PCI), ==, 0);
    g_assert_cmpint(qrtas_write_pci_config(v->s, BUID0, cfg | 0x04, 2, 6),
                    ==, 0);
    v->mmio = PHB0_MMIO32_CPU;
    id = qtest_readl(v->s, v->mmio);
    v->swap = id == GUINT32_SWAP_LE_BE(EDU_ID_VALUE);
    g_assert_true(v->swap || id == EDU_ID_VALUE);
}

static bool pnv_edu_dma(PnvVfio *v, uint64_t src, uint64_t dst, bool to_ram)
{
    qtest_writeq(v->s, v->mmio + 0x80, edu_val(v, src));
    qtest_writeq(v->s, v->mmio + 0x88, edu_val(v, dst));
    qtest_writeq(v->s, v->mmio + 0x90, edu_val(v, DMA_LEN));
    qtest_writeq(v->s, v->mmio + 0x98, edu_val(v, to_ram ? 3 : 1));
    /* A real device: its timer runs in the PowerNV host's time */
    for (int i = 0; i < 300; i++) {
        if (!(edu_val(v, qtest_readq(v->s, v->mmio + 0x98)) & 1)) {
            return true;
        }
        g_usleep(10000);
    }
    return false;
}

/*
 * Bytes at guest @ga go device-ward through IOVA @src, come back through
 * IOVA @dst and must then be at guest @gb (or, !expect, not be there).
 */
static void pnv_copy(PnvVfio *v, const char *what, uint64_t src,
                     uint64_t ga, uint64_t dst, uint64_t gb, bool expect)
{
    uint8_t pat[DMA_LEN], got[DMA_LEN];

    for (int i = 0; i < DMA_LEN; i++) {
        pat[i] = (uint8_t)(i * 29 + strlen(what));
    }
    qtest_memwrite(v->s, ga, pat, sizeof(pat));
    qtest_memset(v->s, gb, 0, sizeof(got));
    g_assert_true(pnv_edu_dma(v, src, EDU_BUF, false));
    g_assert_true(pnv_edu_dma(v, EDU_BUF, dst, true));
    qtest_memread(v->s, gb, got, sizeof(got));
    printf("DMA %s: iova 0x%" PRIx64 " -> edu -> iova 0x%" PRIx64 ": %s\n",
           what, src, dst, memcmp(pat, got, sizeof(got)) ? "no data"
                                                          : "data arrived");
    g_assert_cmpint(memcmp(pat, got, sizeof(got)) == 0, ==, expect);
}

static void pnv_map_pair(PnvVfio *v, uint32_t liobn, uint64_t ioba)
{
    g_assert_cmphex(qh_put_tce(v->s, liobn, ioba, PAGE_A | TCE_RW), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(qh_put_tce(v->s, liobn, ioba + 0x1000,
                               PAGE_B | TCE_RW), ==, H_SUCCESS_U);
}

/* Default window, DDW, removed DDW, reset: one machine, in sequence. */
static void test_windows(void)
{
    PnvVfio v = { 0 };
    uint32_t liobn;
    uint64_t start;

    if (!pnv_start(&v, "1G")) {
        return;
    }
    pnv_edu_init(&v);
    pnv_map_count(&v, "at machine start");
    pnv_map_pair(&v, LIOBN_PHB(0, 0), 0x100000);
    pnv_copy(&v, "default window", 0x100000, PAGE_A, 0x101000, PAGE_B, true);
    pnv_map_count(&v, "default window, 2 TCEs");

    g_assert_cmpint(qrtas_create(v.s, BUID0, 12, 32, &liobn, &start), ==, 0);
    g_assert_cmphex(start, ==, 1ULL << 59);
    pnv_map_pair(&v, liobn, start + 0x200000);
    pnv_copy(&v, "DDW at 1<<59", start + 0x200000, PAGE_A,
             start + 0x201000, PAGE_B, true);
    pnv_map_count(&v, "DDW, 2 TCEs");

    g_assert_cmpint(qrtas_remove(v.s, liobn), ==, 0);
    pnv_copy(&v, "into the removed DDW", 0x100000, PAGE_A,
             start + 0x201000, PAGE_B, false);
    g_assert_cmpint(qrtas_reset(v.s, BUID0), ==, 0);
    pnv_copy(&v, "default window after reset, unmapped", 0x100000, PAGE_A,
             0x101000, PAGE_B, false);
    pnv_map_pair(&v, LIOBN_PHB(0, 0), 0x100000);
    pnv_copy(&v, "default window after reset", 0x100000, PAGE_A, 0x101000,
             PAGE_B, true);
    pnv_map_count(&v, "after reset, 2 TCEs");
    pnv_stop(&v);
}

/* Maps guest [0, size) 1:1 at @start with 512-entry TCE lists. */
static void pnv_direct_map(PnvVfio *v, uint32_t liobn, uint64_t start,
                           unsigned shift, uint64_t size)
{
    uint64_t list[TCES_PER_LIST];
    uint64_t chunk = (uint64_t)TCES_PER_LIST << shift;

    for (uint64_t ga = 0; ga < size; ga += chunk) {
        for (unsigned i = 0; i < TCES_PER_LIST; i++) {
            list[i] = GUINT64_TO_BE((ga + ((uint64_t)i << shift)) | TCE_RW);
        }
        qtest_memwrite(v->s, TCE_LIST, list, sizeof(list));
        g_assert_cmphex(qh_put_tce_indirect(v->s, liobn, start + ga,
                                            TCE_LIST, TCES_PER_LIST), ==,
                        H_SUCCESS_U);
    }
}

/* What Linux does at boot when DDW is offered: all of RAM, 1:1. */
static void test_direct_map(void)
{
    PnvVfio v = { 0 };
    uint32_t rets[5], liobn;
    uint64_t start, top = (2ULL << 30) - 0x100000;
    unsigned shift;

    if (!pnv_start(&v, "2G")) {
        return;
    }
    pnv_edu_init(&v);
    pnv_map_count(&v, "at machine start");
    g_assert_cmpint(qrtas_query(v.s, BUID0, 5, rets), ==, 0);
    shift = (rets[3] & 2) ? 16 : 12;    /* 64K pages if offered */
    g_assert_cmpint(qrtas_create(v.s, BUID0, shift, 31, &liobn, &start),
                    ==, 0);
    pnv_direct_map(&v, liobn, start, shift, 2ULL << 30);
    printf("direct map: 2 GiB with %u KiB TCEs, %u H_PUT_TCE_INDIRECT\n",
           1u << (shift - 10), (unsigned)((2ULL << 30) >> shift) /
           TCES_PER_LIST);
    pnv_map_count(&v, "2 GiB direct map");
    pnv_copy(&v, "direct map, top of RAM", start + top, top,
             start + PAGE_B, PAGE_B, true);
    pnv_copy(&v, "direct map, low RAM", start + PAGE_A, PAGE_A,
             start + top + 0x10000, top + 0x10000, true);
    pnv_stop(&v);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/powernv/vfio/windows", test_windows);
    g_test_add_func("/powernv/vfio/direct-map-2g", test_direct_map);
    return g_test_run();
}
