/*
 * VFIO DMA mapping cost through the emulated POWER host, in process.
 *
 * A 1 TiB guest with an assigned function creates a 1 TiB DDW of 64K
 * pages and direct-maps all of RAM with H_PUT_TCE_INDIRECT (512 TCEs per
 * call), as Linux does.  Figures: MAP_DMA ioctls per hypercall (runs are
 * coalesced: target <= 1) and TCEs per second (target >= 100 M).  Then
 * the device is unplugged and plugged again: the new container replays
 * the whole window (target <= 100 ms).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "qemu/bswap.h"
#include "qemu/option.h"
#include "hw/pci-host/spapr.h"
#include "hw/vfio/vfio-common.h"
#include "sysemu/sysemu.h"

#define RAM_SIZE        (1ULL << 40)
#define PAGE_SHIFT      16
#define SCRATCH         0x10000000ULL
#define TCE_LIST        0x10010000ULL
#define TCES_PER_CALL   512

static SpaprPhbState *phb0(void)
{
    return spapr_pci_find_phb(SPAPR_PCI_BASE_BUID);
}

static uint64_t create_ddw(uint32_t *liobn)
{
    uint64_t buid = SPAPR_PCI_BASE_BUID;
    uint32_t args[5] = { 0, buid >> 32, (uint32_t)buid, PAGE_SHIFT, 40 };
    SpaprRtasArgs a = { 5, SCRATCH, 4, SCRATCH + 0x100 };
    uint32_t st;

    for (int i = 0; i < 5; i++) {
        address_space_stl_be(&address_space_memory, SCRATCH + 4 * i,
                             args[i], NULL);
    }
    spapr_rtas_call_by_name(spapr_machine_get(), "ibm,create-pe-dma-window",
                            &a);
    st = address_space_ldl_be(&address_space_memory, SCRATCH + 0x100, NULL);
    if (st) {
        fprintf(stderr, "vfio-bench: ibm,create-pe-dma-window: %d\n",
                (int32_t)st);
        exit(1);
    }
    *liobn = address_space_ldl_be(&address_space_memory, SCRATCH + 0x104,
                                  NULL);
    return (uint64_t)address_space_ldl_be(&address_space_memory,
                                          SCRATCH + 0x108, NULL) << 32 |
           address_space_ldl_be(&address_space_memory, SCRATCH + 0x10c,
                                NULL);
}

/* Maps all RAM 1:1 into the window; returns the hypercalls made. */
static uint64_t direct_map(uint32_t liobn, uint64_t start)
{
    uint64_t ps = 1ULL << PAGE_SHIFT, calls = 0;
    uint8_t list[TCES_PER_CALL * 8];

    for (uint64_t gpa = 0; gpa < RAM_SIZE; gpa += TCES_PER_CALL * ps) {
        target_ulong args[SPAPR_HCALL_NARGS] = {
            liobn, start + gpa, TCE_LIST, TCES_PER_CALL,
        };

        for (int i = 0; i < TCES_PER_CALL; i++) {
            stq_be_p(list + 8 * i, (gpa + i * ps) | 3);
        }
        address_space_write(&address_space_memory, TCE_LIST,
                            MEMTXATTRS_UNSPECIFIED, list, sizeof(list));
        if (spapr_hypercall(spapr_machine_get(), H_PUT_TCE_INDIRECT,
                            args) != H_SUCCESS) {
            fprintf(stderr, "vfio-bench: H_PUT_TCE_INDIRECT failed at 0x%"
                    PRIx64 "\n", gpa);
            exit(1);
        }
        calls++;
    }
    return calls;
}

static void plug(void)
{
    Error *err = NULL;
    GPtrArray *opts = keyval_parse("driver=vfio-pci,host-emu=h0,id=vf0",
                                   NULL, &err);

    if (!qdev_device_add(opts, true, &err)) {
        error_report_err(err);
        exit(1);
    }
    g_ptr_array_unref(opts);
}

static uint64_t map_ioctls(void)
{
    VFIOSpaprInfo info;

    return vfio_spapr_get_info(&phb0()->iommu_as, &info) ? info.map_ioctls
                                                          : 0;
}

int main(int argc, char **argv)
{
    char *args[] = {
        (char *)"vfio-bench", (char *)"-M", (char *)"pseries",
        (char *)"-m", (char *)"1T",
        (char *)"-object",
        (char *)"vfio-spapr-host-emu,id=h0,memlock-limit=4T",
        NULL,
    };
    uint64_t t0, t1, calls, maps, tces = RAM_SIZE >> PAGE_SHIFT, start;
    uint32_t liobn;
    double map_s, replay_ms;

    qemu_init(ARRAY_SIZE(args) - 1, args);
    plug();
    start = create_ddw(&liobn);
    maps = map_ioctls();
    t0 = g_get_monotonic_time();
    calls = direct_map(liobn, start);
    t1 = g_get_monotonic_time();
    maps = map_ioctls() - maps;
    map_s = (t1 - t0) / 1e6;

    if (!qdev_device_del("vf0", NULL)) {
        exit(1);
    }
    t0 = g_get_monotonic_time();
    plug();
    t1 = g_get_monotonic_time();
    replay_ms = (t1 - t0) / 1e3;

    printf("vfio-bench: 1 TiB guest, 64K-page DDW direct-mapped through "
           "the emulated host\n");
    printf("  %-34s %12" PRIu64 "\n", "TCEs", tces);
    printf("  %-34s %12" PRIu64 "\n", "H_PUT_TCE_INDIRECT calls", calls);
    printf("  %-34s %12" PRIu64 "\n", "MAP_DMA ioctls", maps);
    printf("  %-34s %12.2f   target <= 1\n", "MAP_DMA ioctls per hypercall",
           (double)maps / calls);
    printf("  %-34s %10.1f M   target >= 100 M\n", "TCEs per second",
           tces / map_s / 1e6);
    printf("  %-34s %9.1f ms   target <= 100 ms\n",
           "replay into hotplugged container", replay_ms);
    printf("  %-34s %12" PRIu64 "\n", "MAP_DMA ioctls of the replay",
           map_ioctls());
    return 0;
}
