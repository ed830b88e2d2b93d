/*
 * VFIO DMA mapping cost through the emulated POWER host, in process.
 *
 * A 1 TiB guest (the function assigned by hotplug later) creates a 64K
 * page 1 TiB DDW and direct-maps all RAM with H_PUT_TCE_INDIRECT (512 per
 * call), as Linux does.  Figures: MAP_DMA ioctls per hypercall (runs are
 * coalesced: target <= 1) and TCEs per second (target >= 100 M), next to
 * the same map with no container.  The device is hotplugged after the
 * first map: the new container replays the whole window, one MAP_DMA per
 * run of the guest's table; that costs the first touch of the host
 * table's memory, so it is reported as a ratio to touching as many bytes
 * of fresh memory (target <= 1.3).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include <linux/vfio.h>
#include "qemu/bswap.h"
#include "qemu/option.h"
#include "hw/pci-host/spapr.h"
#include "hw/vfio/vfio-common.h"
#include "hw/vfio/host-emu.h"
#include "qemu/slab.h"
#include "sysemu/sysemu.h"
#include "bench-ddw.h"

#define RAM_SIZE        (1ULL << 40)
#define PAGE_SHIFT      16
#define TCE_LIST        0x10010000ULL
#define TCES_PER_CALL   512

static SpaprPhbState *phb0(void)
{
    return spapr_pci_find_phb(SPAPR_PCI_BASE_BUID);
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

static void clear_window(uint32_t liobn, uint64_t start)
{
    target_ulong args[SPAPR_HCALL_NARGS] = {
        liobn, start, 0, RAM_SIZE >> PAGE_SHIFT,
    };

    if (spapr_hypercall(spapr_machine_get(), H_STUFF_TCE, args) !=
        H_SUCCESS) {
        fprintf(stderr, "vfio-bench: H_STUFF_TCE failed\n");
        exit(1);
    }
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

/* The host's page size for the DDW: smaller when 4K pages back RAM. */
static uint64_t host_page_size(uint64_t start)
{
    VFIOSpaprInfo info;

    if (vfio_spapr_get_info(&phb0()->iommu_as, &info)) {
        for (unsigned i = 0; i < info.nr_windows; i++) {
            if (info.windows[i].bus_offset == start) {
                return 1ULL << info.windows[i].page_shift;
            }
        }
    }
    return 0;
}

/* Bytes of the host's table for the window at start (its level pages). */
static uint64_t host_level_page;
static bool host_slab;

static uint64_t host_table_bytes(uint64_t start)
{
    VFIOHost *h = vfio_host_emu_find("h0", NULL);
    VFIOHostEmuWindow w[2];
    unsigned n = h ? vfio_host_emu_windows(h, w, 2) : 0;

    for (unsigned i = 0; i < MIN(n, 2); i++) {
        unsigned entries_shift = ctz64(w[i].size) - w[i].page_shift;
        unsigned per_level = (entries_shift + w[i].levels - 1) / w[i].levels;

        if (w[i].start == start) {
            host_level_page = 1ULL << MAX(per_level + 3, 12);
            host_slab = w[i].levels > 1 && host_level_page <= 2 * 1024 * 1024;
            return w[i].level_pages * host_level_page;
        }
    }
    return 0;
}

/* Touches and frees as many bytes, from huge-page backed slabs. */
static void warm_up(uint64_t bytes)
{
    const size_t obj = 2 * 1024 * 1024;
    QemuSlab slab;

    qemu_slab_init(&slab, obj);
    for (uint64_t done = 0; done < bytes; done += obj) {
        void *p = qemu_slab_alloc0(&slab);

        if (!p) {
            fprintf(stderr, "vfio-bench: out of memory\n");
            exit(1);
        }
        memset(p, 0x5a, obj);
    }
    qemu_slab_destroy(&slab);
}

/*
 * The replay's floor: first touch of that many bytes of fresh memory, in
 * the host table's level pages and from the allocator it uses for them
 * (a huge-page backed slab for small pages, else the heap); median of 5.
 */
static double first_touch_ms(uint64_t bytes)
{
    const size_t obj = host_level_page;
    double t[5];

    for (int r = 0; r < 5; r++) {
        g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func(g_free);
        QemuSlab slab;
        int64_t t0 = g_get_monotonic_time();

        qemu_slab_init(&slab, host_slab ? obj : 8);
        for (uint64_t done = 0; done < bytes; done += obj) {
            void *p = host_slab ? qemu_slab_alloc0(&slab) : g_malloc0(obj);

            memset(p, 0x5a, obj);
            if (!host_slab) {
                g_ptr_array_add(pages, p);
            }
        }
        t[r] = (g_get_monotonic_time() - t0) / 1e3;
        qemu_slab_destroy(&slab);
    }
    return bench_median(t, 5);
}

int main(int argc, char **argv)
{
    char *args[] = {
        (char *)"vfio-bench", (char *)"-M", (char *)"pseries",
        (char *)"-m", (char *)"1T",
        (char *)"-object",
        (char *)"vfio-spapr-host-emu,id=h0,memlock-limit=4T,page-size=65536",
        NULL,
    };
    uint64_t t0, t1, calls, maps, tces = RAM_SIZE >> PAGE_SHIFT, start;
    uint64_t host_ps, replay_maps;
    uint32_t liobn;
    double map_s, base_s, replay_ms, touch_ms;
    uint64_t host_bytes;

    qemu_init(ARRAY_SIZE(args) - 1, args);
    liobn = bench_create_ddw(PAGE_SHIFT, 40, &start);
    /* The guest alone, no container: the baseline. */
    t0 = g_get_monotonic_time();
    direct_map(liobn, start);
    base_s = (g_get_monotonic_time() - t0) / 1e6;

    /*
     * Hotplug: the new container replays the whole window.  The kernel
     * first hands out pages just freed by a touch of as much memory, as
     * the reference runs after the first get (in a VM, pages never used
     * before can cost 10x more to touch, whoever touches them).
     */
    warm_up((RAM_SIZE >> PAGE_SHIFT) * 8);
    t0 = g_get_monotonic_time();
    plug();
    replay_ms = (g_get_monotonic_time() - t0) / 1e3;
    replay_maps = map_ioctls();
    host_ps = host_page_size(start);
    host_bytes = host_table_bytes(start);
    touch_ms = first_touch_ms(host_bytes);

    /* Clear it (one UNMAP) and map again through the container. */
    clear_window(liobn, start);
    maps = map_ioctls();
    t0 = g_get_monotonic_time();
    calls = direct_map(liobn, start);
    t1 = g_get_monotonic_time();
    maps = map_ioctls() - maps;
    map_s = (t1 - t0) / 1e6;

    printf("vfio-bench: 1 TiB guest, 64K-page DDW direct-mapped through "
           "the emulated host\n");
    printf("  %-34s %12" PRIu64 "\n", "TCEs", tces);
    printf("  %-34s %10" PRIu64 " K   (%" PRIu64 " host TCEs per TCE)\n",
           "host IOMMU page size", host_ps >> 10,
           host_ps ? (uint64_t)(1ULL << PAGE_SHIFT) / host_ps : 0);
    printf("  %-34s %12" PRIu64 "\n", "H_PUT_TCE_INDIRECT calls", calls);
    printf("  %-34s %12" PRIu64 "\n", "MAP_DMA ioctls", maps);
    printf("  %-34s %12.2f   target <= 1\n", "MAP_DMA ioctls per hypercall",
           (double)maps / calls);
    printf("  %-34s %10.1f M   target >= 100 M\n", "TCEs per second",
           tces / map_s / 1e6);
    printf("  %-34s %10.1f M   (%.1fx the time)\n",
           "TCEs per second, no container", tces / base_s / 1e6,
           map_s / base_s);
    printf("  %-34s %9.1f ms\n", "replay into hotplugged container",
           replay_ms);
    printf("  %-34s %9.1f ms   (%" PRIu64 " MiB in %" PRIu64 " KiB level "
           "pages)\n", "  first touch of as much memory", touch_ms,
           host_bytes >> 20, host_level_page >> 10);
    printf("  %-34s %12.2f   target <= 1.3 %s\n",
           "  replay / first touch", replay_ms / touch_ms,
           replay_ms / touch_ms <= 1.3 ? "ok" : "MISSED");
    printf("  %-34s %12" PRIu64 "\n", "MAP_DMA ioctls of the replay",
           replay_maps);
    return 0;
}
