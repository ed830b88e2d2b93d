/*
 * vfio-pci with the emulated POWER host, in process: after every guest
 * operation (H_PUT_TCE, H_PUT_TCE_INDIRECT, H_STUFF_TCE, window create,
 * remove, reset) the host's TCE tables equal the guest's for every
 * window; guest RAM is preregistered exactly once; hotplug replays runs;
 * host refusals come back to the guest as statuses.
 *
 * PHB 0 has h0 (a default POWER8 host) assigned from the command line;
 * PHB 1 gets h1 (one table level, 5G memory lock limit) by hotplug.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qdev.h"
#include <linux/vfio.h>
#include "qemu/option.h"
#include "hw/pci-host/spapr.h"
#include "hw/vfio/host-emu.h"
#include "hw/vfio/vfio-common.h"
#include "sysemu/sysemu.h"
#include "vfio-mock.h"

#define SCRATCH             0x10000000ULL
#define TCE_LIST            0x10001000ULL
#define RAM_SIZE            (4ULL << 30)

static SpaprPhbState *phb(int i)
{
    return spapr_pci_find_phb(SPAPR_PCI_BASE_BUID + i);
}

static VFIOHost *host(const char *id)
{
    Error *err = NULL;
    VFIOHost *h = vfio_host_emu_find(id, &err);

    g_assert_null(err);
    return h;
}


static int32_t rtas_create(int n, uint32_t page_shift, uint32_t window_shift,
                           uint32_t *liobn, uint64_t *start)
{
    uint64_t buid = SPAPR_PCI_BASE_BUID + n;
    uint32_t args[5] = { 0, buid >> 32, (uint32_t)buid, page_shift,
                         window_shift };
    uint32_t rets[4];
    int32_t st = vmock_rtas("ibm,create-pe-dma-window", 5, args, 4, rets);

    *liobn = rets[1];
    *start = (uint64_t)rets[2] << 32 | rets[3];
    return st;
}

static int32_t rtas_remove(uint32_t liobn)
{
    uint32_t rets[1];

    return vmock_rtas("ibm,remove-pe-dma-window", 1, &liobn, 1, rets);
}

static int32_t rtas_reset(int n)
{
    uint64_t buid = SPAPR_PCI_BASE_BUID + n;
    uint32_t args[3] = { 0, buid >> 32, (uint32_t)buid };
    uint32_t rets[1];

    return vmock_rtas("ibm,reset-pe-dma-window", 3, args, 1, rets);
}

static bool count_tce(uint64_t iova, uint64_t vaddr, int perm,
                      unsigned page_shift, void *opaque)
{
    (*(uint64_t *)opaque)++;
    return true;
}

/* Host TCEs of one guest window agree with its entries; returns valid. */
static uint64_t check_window(VFIOHost *h, SpaprTceTable *t,
                             unsigned host_shift)
{
    uint64_t gps = 1ULL << t->page_shift, valid = 0;

    for (uint64_t i = 0; i < t->nb_table; i++) {
        uint64_t tce = spapr_tce_get_entry(t, i);

        for (uint64_t off = 0; off < gps; off += 1ULL << host_shift) {
            uint64_t vaddr = 0;
            int perm = 0;
            bool ok = vfio_host_emu_lookup(h, t->bus_offset + i * gps + off,
                                           &vaddr, &perm);

            g_assert_cmpint(ok, ==, !!(tce & 3));
            if (ok) {
                uintptr_t want = (uintptr_t)address_space_get_ram_ptr(
                    &address_space_memory, (tce & ~(gps - 1)) + off, NULL,
                    NULL);

                g_assert_cmphex(vaddr, ==, want);
                g_assert_cmpint(perm, ==, tce & 3);
                valid++;
            }
        }
    }
    return valid;
}

/* Every guest window of PHB n has a host twin with the same entries. */
static void check_tables(int n, VFIOHost *h)
{
    VFIOHostEmuWindow w[2];
    unsigned nw = vfio_host_emu_windows(h, w, 2), enabled = 0;
    uint64_t valid = 0, host_valid = 0;

    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        SpaprTceTable *t = phb(n)->tcet[i];
        unsigned j;

        if (!t->nb_table) {
            continue;
        }
        enabled++;
        for (j = 0; j < nw && w[j].start != t->bus_offset; j++) {
        }
        g_assert_cmpuint(j, <, nw);
        g_assert_cmphex(w[j].size, ==, (uint64_t)t->nb_table << t->page_shift);
        valid += check_window(h, t, w[j].page_shift);
    }
    g_assert_cmpuint(nw, ==, enabled);
    vfio_host_emu_foreach_tce(h, count_tce, &host_valid);
    g_assert_cmpuint(host_valid, ==, valid);
}

/* Guest RAM preregistered exactly once, whole. */
static void check_prereg(VFIOHost *h)
{
    VFIOHostEmuPrereg p[8];
    unsigned n = vfio_host_emu_preregs(h, p, 8);
    uint64_t total = 0;

    g_assert_cmpuint(n, <=, 8);
    for (unsigned i = 0; i < n; i++) {
        total += p[i].size;
    }
    g_assert_cmpuint(total, ==, RAM_SIZE);
}

static uint64_t map_ioctls(VFIOHost *h)
{
    return vfio_host_emu_ioctl_count(h, VFIO_IOMMU_MAP_DMA);
}

#define emu_put_tce(n, h, liobn, ioba, tce, want) do {                       \
        g_assert_cmpint(vmock_hcall(H_PUT_TCE, liobn, ioba, tce, 0), ==, want); \
        check_tables(n, h);                                               \
    } while (0)

static void test_hcalls(void)
{
    uint32_t liobn = SPAPR_PCI_LIOBN(0, 0);
    VFIOHost *h = host("h0");
    uint64_t maps;

    check_prereg(h);
    g_assert_cmpstr(vfio_host_emu_iommu(h), ==, "spapr-tce-v2");
    check_tables(0, h);
    emu_put_tce(0, h, liobn, 0x1000, 0x20000003, H_SUCCESS);
    emu_put_tce(0, h, liobn, 0x2000, 0x20001001, H_SUCCESS);
    emu_put_tce(0, h, liobn, 0x2000, 0x20001002, H_SUCCESS);
    emu_put_tce(0, h, liobn, 0x1000, 0, H_SUCCESS);
    emu_put_tce(0, h, liobn, 0x4000, 0x200000003ULL, H_HARDWARE);

    for (int i = 0; i < 512; i++) {
        uint64_t tce = 0x30000003ULL + i * 0x1000;

        address_space_stl_be(&address_space_memory, TCE_LIST + 8 * i,
                             tce >> 32, NULL);
        address_space_stl_be(&address_space_memory, TCE_LIST + 8 * i + 4,
                             (uint32_t)tce, NULL);
    }
    maps = map_ioctls(h);
    g_assert_cmpint(vmock_hcall(H_PUT_TCE_INDIRECT, liobn, 0x100000, TCE_LIST,
                          512), ==, H_SUCCESS);
    g_assert_cmpuint(map_ioctls(h) - maps, ==, 1);
    check_tables(0, h);
    g_assert_cmpint(vmock_hcall(H_STUFF_TCE, liobn, 0x100000, 0x40000001, 16), ==,
                    H_SUCCESS);
    check_tables(0, h);
    g_assert_cmpint(vmock_hcall(H_STUFF_TCE, liobn, 0, 0, 0x1000), ==, H_SUCCESS);
    check_tables(0, h);
    g_assert_cmpint(rtas_reset(0), ==, 0);
    check_tables(0, h);
}

static void test_windows(void)
{
    VFIOHost *h = host("h0");
    uint32_t liobn;
    uint64_t start;

    g_assert_cmpint(rtas_create(0, 16, 32, &liobn, &start), ==, 0);
    check_tables(0, h);
    emu_put_tce(0, h, liobn, start + 0x10000, 0x20000003, H_SUCCESS);
    g_assert_cmpint(vmock_hcall(H_STUFF_TCE, liobn, start, 0x30000001, 64), ==,
                    H_SUCCESS);
    check_tables(0, h);
    g_assert_cmpint(rtas_remove(SPAPR_PCI_LIOBN(0, 0)), ==, 0);
    check_tables(0, h);
    g_assert_cmpint(rtas_remove(liobn), ==, 0);
    check_tables(0, h);
    g_assert_cmpint(rtas_reset(0), ==, 0);
    check_tables(0, h);
    check_prereg(h);
}

/* A machine reset turns the DDW off and the default on, host included. */
static void test_system_reset(void)
{
    VFIOHost *h = host("h0");
    uint32_t liobn;
    uint64_t start;

    g_assert_cmpint(rtas_create(0, 16, 32, &liobn, &start), ==, 0);
    emu_put_tce(0, h, liobn, start, 0x20000003, H_SUCCESS);
    emu_put_tce(0, h, SPAPR_PCI_LIOBN(0, 0), 0x1000, 0x20000003, H_SUCCESS);
    qemu_system_reset();
    g_assert_cmpuint(phb(0)->tcet[1]->nb_table, ==, 0);
    check_tables(0, h);
    check_prereg(h);
    g_assert_cmpuint(vfio_host_emu_windows(h, NULL, 0), ==, 1);
}

static void plug_h1(void)
{
    Error *err = NULL;
    GPtrArray *opts = keyval_parse("driver=vfio-pci,host-emu=h1,bus=phb1.0,"
                                   "id=vf1", NULL, &err);

    g_assert_nonnull(qdev_device_add(opts, true, &err));
    g_assert_null(err);
    g_ptr_array_unref(opts);
}

static void unplug_h1(void)
{
    VFIOHost *h = host("h1");

    g_assert_true(qdev_device_del("vf1", NULL));
    g_assert_null(vfio_container_find(&phb(1)->iommu_as));
    g_assert_null(phb(1)->tcet[0]->iommu.iommu_notifiers);
    g_assert_null(phb(1)->tcet[1]->iommu.iommu_notifiers);
    g_assert_cmpuint(vfio_host_emu_windows(h, NULL, 0), ==, 0);
    g_assert_cmpuint(vfio_host_emu_preregs(h, NULL, 0), ==, 0);
}

/* Mappings of both windows exist before the device: replayed as runs. */
static void test_hotplug(void)
{
    uint32_t liobn = SPAPR_PCI_LIOBN(1, 0), ddw;
    VFIOHost *h = host("h1");
    uint64_t start;

    for (int i = 0; i < 4; i++) {
        g_assert_cmpint(vmock_hcall(H_PUT_TCE, liobn, 0x10000 + i * 0x1000,
                              0x20000003 + i * 0x1000, 0), ==, H_SUCCESS);
    }
    g_assert_cmpint(rtas_create(1, 16, 30, &ddw, &start), ==, 0);
    for (int i = 0; i < 4; i++) {
        g_assert_cmpint(vmock_hcall(H_PUT_TCE, ddw, start + i * 0x10000,
                              0x40000001 + i * 0x10000, 0), ==, H_SUCCESS);
    }
    for (int round = 0; round < 2; round++) {
        uint64_t maps = map_ioctls(h);

        plug_h1();
        /* The device holds its host: the -object cannot go meanwhile. */
        g_assert_false(user_creatable_del("h1", NULL));
        g_assert_cmpuint(map_ioctls(h) - maps, ==, 2);   /* two runs */
        g_assert_cmpuint(g_list_length(
                             phb(1)->tcet[0]->iommu.iommu_notifiers), ==, 1);
        check_prereg(h);
        check_tables(1, h);
        unplug_h1();
    }
    g_assert_cmpint(rtas_remove(ddw), ==, 0);
    /* The table of a 1 TiB window of 4K pages exceeds the lock limit. */
    plug_h1();
    g_assert_cmpint(rtas_create(1, 12, 40, &ddw, &start), ==, -1);
    g_assert_cmpuint(phb(1)->tcet[1]->nb_table, ==, 0);
    check_tables(1, h);
    unplug_h1();
    g_assert_cmpint(rtas_reset(1), ==, 0);
    /* Released with the last device. */
    g_assert_true(user_creatable_del("h1", NULL));
}

int main(int argc, char **argv)
{
    char *args[] = {
        (char *)"test", (char *)"-M", (char *)"pseries", (char *)"-m",
        (char *)"4G",
        (char *)"-device", (char *)"spapr-pci-host-bridge,index=1,id=phb1",
        (char *)"-object", (char *)"vfio-spapr-host-emu,id=h0",
        (char *)"-object",
        (char *)"vfio-spapr-host-emu,id=h1,max-levels=1,memlock-limit=5G",
        (char *)"-device", (char *)"vfio-pci,host-emu=h0", NULL,
    };

    g_test_init(&argc, &argv, NULL);
    qemu_init(ARRAY_SIZE(args) - 1, args);
    g_test_add_func("/vfio-emu/hcalls", test_hcalls);
    g_test_add_func("/vfio-emu/windows", test_windows);
    g_test_add_func("/vfio-emu/system-reset", test_system_reset);
    g_test_add_func("/vfio-emu/hotplug", test_hotplug);
    return g_test_run();
}
