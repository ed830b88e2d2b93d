/*
 * The VFIO container against a scripted host (vfio-mock.c), in process:
 * a pseries machine built with qemu_init() and PHB 0's DMA space.  After
 * each guest operation the host tables must equal the guest's.  Also the
 * pure helpers: table levels and the page size clamp.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "sysemu/sysemu.h"
#include "vfio-mock.h"

static void test_default_window(void)
{
    uint32_t liobn = SPAPR_PCI_LIOBN(0, 0);
    VFIOContainer *c;
    VFIOGroup *g;
    unsigned maps;

    vmock_reset(true, 0x11011000, 5);
    g = vmock_attach();
    c = vfio_container_find(&vmock_phb0()->iommu_as);
    g_assert_true(c->v2);
    g_assert_false(vmock.default_pending);
    vmock_check_prereg();
    g_assert_true(vmock.win[0].used);
    g_assert_cmphex(vmock.win[0].size, ==, SPAPR_PCI_DMA32_SIZE);
    g_assert_cmpuint(vmock.win[0].shift, ==, 12);
    vmock_check_tables();

    put_tce(liobn, 0x1000, 0x20000003, H_SUCCESS);
    put_tce(liobn, 0x2000, 0x20001001, H_SUCCESS);
    put_tce(liobn, 0x1000, 0, H_SUCCESS);

    /* 512 consecutive pages in one hypercall: one MAP_DMA. */
    for (int i = 0; i < 512; i++) {
        address_space_stl_be(&address_space_memory, TCE_LIST + 8 * i, 0,
                             NULL);
        address_space_stl_be(&address_space_memory, TCE_LIST + 8 * i + 4,
                             0x30000003 + i * 0x1000, NULL);
    }
    maps = vmock.maps;
    g_assert_cmpint(vmock_hcall(H_PUT_TCE_INDIRECT, liobn, 0x100000,
                                TCE_LIST, 512), ==, H_SUCCESS);
    g_assert_cmpuint(vmock.maps - maps, ==, 1);
    vmock_check_tables();

    g_assert_cmpint(vmock_hcall(H_STUFF_TCE, liobn, 0x100000, 0x40000001,
                                16), ==, H_SUCCESS);
    vmock_check_tables();
    g_assert_cmpint(vmock_hcall(H_STUFF_TCE, liobn, 0, 0, 0x1000), ==,
                    H_SUCCESS);
    vmock_check_tables();
    vmock_detach(g);
}

static void test_ddw(void)
{
    uint32_t liobn, liobn2;
    VFIOGroup *g;

    vmock_reset(true, 0x11011000, 5);
    g = vmock_attach();
    /*
     * A 64K-page window next to the default one: host window #1, in 64K
     * pages, as the 64K pages of the host kernel back guest RAM.
     */
    g_assert_cmpint(vmock_rtas_create(16, 32, &liobn), ==, 0);
    g_assert_true(vmock.win[1].used);
    g_assert_cmphex(vmock.win[1].start, ==, 1ULL << 59);
    g_assert_cmpuint(vmock.win[1].shift, ==, 16);
    put_tce(liobn, (1ULL << 59) + 0x10000, 0x20000003, H_SUCCESS);
    vmock_check_tables();

    /*
     * The guest drops both (the PHB then restores its default window, as
     * QEMU does) and creates a 4K DDW next to it.
     */
    g_assert_cmpint(vmock_rtas_remove(SPAPR_PCI_LIOBN(0, 0)), ==, 0);
    vmock_check_tables();
    g_assert_cmpint(vmock_rtas_remove(liobn), ==, 0);
    vmock_check_tables();
    g_assert_cmpint(vmock_rtas_create(12, 30, &liobn2), ==, 0);
    put_tce(liobn2, (1ULL << 59) + 0x5000, 0x7000003, H_SUCCESS);
    g_assert_cmpint(vmock_hcall(H_STUFF_TCE, liobn2, 1ULL << 59, 0x10000003,
                                64), ==, H_SUCCESS);
    vmock_check_tables();
    g_assert_cmpint(vmock_rtas_reset(), ==, 0);
    vmock_check_tables();
    vmock_detach(g);
}

static void test_map_refused(void)
{
    uint32_t liobn = SPAPR_PCI_LIOBN(0, 0);
    VFIOGroup *g;

    vmock_reset(true, 0x11011000, 5);
    g = vmock_attach();
    put_tce(liobn, 0x1000, 0x20000003, H_SUCCESS);
    vmock.fail_map_at = 1;
    put_tce(liobn, 0x3000, 0x20003003, H_HARDWARE);
    g_assert_cmphex(spapr_tce_get_entry(vmock_phb0()->tcet[0], 3), ==, 0);
    g_assert_cmphex(spapr_tce_get_entry(vmock_phb0()->tcet[0], 1), ==,
                    0x20000003);
    /* Outside guest RAM (4 GiB): refused, nothing left behind. */
    put_tce(liobn, 0x4000, 0x200000003ULL, H_HARDWARE);
    g_assert_cmpint(vmock_hcall(H_STUFF_TCE, liobn, 0x8000, 0x3ffff0003ULL,
                                4), ==, H_HARDWARE);
    vmock_check_tables();
    vmock_detach(g);
}

static void test_create_refused(void)
{
    uint32_t liobn;
    VFIOGroup *g;

    /* One table level cannot hold 2^28 entries: the guest gets -1. */
    vmock_reset(true, 0x11011000, 1);
    g = vmock_attach();
    g_assert_cmpint(vmock_rtas_create(12, 40, &liobn), ==, -1);
    g_assert_cmpuint(vmock_phb0()->tcet[1]->nb_table, ==, 0);
    g_assert_false(vmock.win[1].used);
    vmock_check_tables();
    /* The host puts the window elsewhere: removed again, -1. */
    vmock.place_at = 1ULL << 40;
    g_assert_cmpint(vmock_rtas_create(16, 24, &liobn), ==, -1);
    g_assert_false(vmock.win[1].used);
    g_assert_cmpuint(vmock_phb0()->tcet[1]->nb_table, ==, 0);
    vmock.place_at = 0;
    vmock_check_tables();
    vmock_detach(g);

    /* A host without 64K IOMMU pages backs a 64K window with 4K ones. */
    vmock_reset(true, 0x1001000, 5);
    g = vmock_attach();
    g_assert_cmpint(vmock_rtas_create(16, 24, &liobn), ==, 0);
    g_assert_cmpuint(vmock.win[1].shift, ==, 12);
    put_tce(liobn, (1ULL << 59) + 0x30000, 0x20000001, H_SUCCESS);
    vmock_check_tables();
    g_assert_cmpint(vmock_rtas_remove(liobn), ==, 0);
    vmock_check_tables();
    vmock_detach(g);
}

static void test_levels_retry(void)
{
    VFIOContainer *c;
    VFIOGroup *g;

    vmock_reset(true, 0x11011000, 5);
    vmock.min_levels = 3;
    g = vmock_attach();
    c = vfio_container_find(&vmock_phb0()->iommu_as);
    g_assert_cmpuint(vmock.win[0].levels, ==, 3);
    g_assert_cmpuint(c->hostwin[0].levels, ==, 3);
    vmock_detach(g);
}

static void test_hotplug_replay(void)
{
    uint32_t liobn = SPAPR_PCI_LIOBN(0, 0);
    SpaprTceTable *t = vmock_phb0()->tcet[0];
    VFIOGroup *g;

    vmock_reset(true, 0x11011000, 5);
    /* Mappings written before any container exists. */
    for (int i = 0; i < 8; i++) {
        g_assert_cmpint(vmock_hcall(H_PUT_TCE, liobn, 0x10000 + i * 0x1000,
                                    0x20000003 + i * 0x1000, 0), ==,
                        H_SUCCESS);
    }
    g_assert_cmpint(vmock_hcall(H_PUT_TCE, liobn, 0x40000, 0x50000001, 0), ==,
                    H_SUCCESS);
    for (int round = 0; round < 2; round++) {
        g = vmock_attach();
        g_assert_cmpuint(vmock.maps, ==, 2);     /* two runs */
        vmock_check_tables();
        g_assert_cmpuint(g_list_length(t->iommu.iommu_notifiers), ==, 1);
        vfio_group_put(g);
        g_assert_null(t->iommu.iommu_notifiers);
        g_assert_null(vmock.preregs);
        vmock_reset(true, 0x11011000, 5);
    }
    g_assert_cmpint(vmock_rtas_reset(), ==, 0);
}

static void test_v1(void)
{
    uint32_t liobn;
    VFIOGroup *g;
    VFIOSpaprInfo info;

    vmock_reset(false, 0x1000, 1);
    g = vmock_attach();
    g_assert_true(vfio_spapr_get_info(&vmock_phb0()->iommu_as, &info));
    g_assert_cmpstr(info.iommu, ==, "spapr-tce-v1");
    g_assert_null(vmock.preregs);
    g_assert_cmpint(vmock_rtas_create(16, 32, &liobn), ==, -1);
    g_assert_cmpuint(vmock_phb0()->tcet[1]->nb_table, ==, 0);
    vfio_group_put(g);
    g_assert_cmpint(vmock_rtas_reset(), ==, 0);
}

static void test_realize_refused(void)
{
    Error *err = NULL;

    /* No 4K IOMMU pages: the default window cannot be mirrored. */
    vmock_reset(true, 0x1010000, 5);
    g_assert_null(vfio_group_get(&vmock.host, &vmock_phb0()->iommu_as, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "page size"));
    error_free(err);
    err = NULL;
    g_assert_null(vfio_container_find(&vmock_phb0()->iommu_as));
    g_assert_null(vmock.preregs);
    vmock_reset(true, 0x11011000, 5);
    vmock.fail_register = -ENOMEM;
    g_assert_null(vfio_group_get(&vmock.host, &vmock_phb0()->iommu_as, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "preregister"));
    error_free(err);
    g_assert_false(vmock.win[0].used);
    vmock_reset(true, 0x11011000, 5);
}

static void test_levels(void)
{
    /* QEMU 4.0+: ceil(log2(entries * 8) / (log2(host page) + 8)) */
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 30, 12, 4096), ==, 2);
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 30, 12, 65536), ==, 1);
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 40, 16, 65536), ==, 2);
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 12, 12, 4096), ==, 1);
    g_assert_cmpuint(vfio_spapr_levels(1ULL << 59, 12, 4096), ==, 3);
    g_assert_cmpuint(vfio_spapr_max_levels(12, 4096, 0), ==, 4);
    g_assert_cmpuint(vfio_spapr_max_levels(12, 65536, 5), ==, 3);
    g_assert_cmpuint(vfio_spapr_max_levels(16, 4096, 1), ==, 1);
}

static void test_pagesize(void)
{
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 16, 0x11011000), ==,
                    1 << 16);
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 21, 0x11011000), ==,
                    1 << 16);
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 21, 0x40211000), ==,
                    1 << 21);
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 16, 0x1000), ==, 0x1000);
    g_assert_cmphex(vfio_spapr_pick_pagesize(1 << 16, 0x1000000), ==, 0);
    g_assert_cmphex(vfio_spapr_pick_pagesize(0, 0x1000), ==, 0);
}

int main(int argc, char **argv)
{
    char *args[] = { (char *)"test", (char *)"-M", (char *)"pseries",
                     (char *)"-m", (char *)"4G", NULL };

    g_test_init(&argc, &argv, NULL);
    qemu_init(ARRAY_SIZE(args) - 1, args);
    g_test_add_func("/vfio/levels", test_levels);
    g_test_add_func("/vfio/pagesize", test_pagesize);
    g_test_add_func("/vfio/container/default-window", test_default_window);
    g_test_add_func("/vfio/container/ddw", test_ddw);
    g_test_add_func("/vfio/container/map-refused", test_map_refused);
    g_test_add_func("/vfio/container/create-refused", test_create_refused);
    g_test_add_func("/vfio/container/levels-retry", test_levels_retry);
    g_test_add_func("/vfio/container/hotplug-replay", test_hotplug_replay);
    g_test_add_func("/vfio/container/v1", test_v1);
    g_test_add_func("/vfio/container/realize-refused", test_realize_refused);
    return g_test_run();
}
