/*
 * The emulated POWER host for VFIO, its API as a whole: every row of the
 * SPAPR TCE v2 errno table (tests/unit/vfio-errno-table.c, the one
 * check-powernv runs on the real kernel), the v1 IOMMU and configuration
 * errors.  DMA and tables are test-vfio-host-emu-dma.c, fds and the
 * device test-vfio-host-emu-device.c; all go through the VFIOHostOps
 * with the <linux/vfio.h> structs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "exec/memory.h"
#include "vfio-host-emu-fixture.h"
#include "vfio-errno-run.h"

/* The errno table */

static const char *const errno_props[] = { "page-size", "4096", NULL };

/* Rows whose answer was not the expected one, reported as they come. */
static void errno_report(void *opaque, unsigned i, const VfioErrnoRow *row,
                         bool ran, int got, int want)
{
    GArray *wrong = opaque;

    if (ran && got != want) {
        g_autofree char *g = g_strdup(vfio_errno_result_str(got));

        g_test_message("row %02u %s: got %s, want %s", i, row->name, g,
                       vfio_errno_result_str(want));
        g_array_append_val(wrong, i);
    }
}

/* The whole table on a 4K-page emulated host; the wrong rows' indexes */
static GArray *errno_run_emu(bool kernel, VfioErrnoCounts *n)
{
    GArray *wrong = g_array_new(false, false, sizeof(unsigned));
    VfioErrnoRunEnv env = {
        .kernel = kernel, .destructive = true, .wait_dma = vhe_wait_dma,
        .report = errno_report, .opaque = wrong,
    };
    g_autofree char *msg = NULL;

    env.host = vhe_create_ok("errno", errno_props);
    if (!vfio_errno_run(&env, n, &msg)) {
        g_error("errno table: %s", msg);
    }
    g_assert_cmpuint(env.info.dma32_window_start, ==, 0);
    g_assert_cmpuint(env.info.dma32_window_size, ==, 2 * GiB);
    g_assert_cmphex(env.info.ddw.pgsizes, ==, VFIO_HOST_EMU_PGSIZES);
    g_assert_cmpuint(env.info.ddw.levels, ==, VFIO_HOST_EMU_MAX_LEVELS);
    g_assert_cmpuint(env.info.ddw.max_dynamic_windows_supported, ==, 2);
    /* Everything the table registered and mapped is gone with its fds */
    g_assert_cmpuint(vfio_host_emu_memlock_used(env.host), ==, 0);
    g_assert_null(vfio_host_emu_iommu(env.host));
    g_assert_true(user_creatable_del("errno", NULL));
    return wrong;
}

/* Every row, the destructive ones too, answers as the documented API. */
static void test_errno_table(void)
{
    VfioErrnoCounts n;
    g_autoptr(GArray) wrong = errno_run_emu(false, &n);

    g_assert_cmpuint(wrong->len, ==, 0);
    g_assert_cmpuint(n.failed, ==, 0);
    g_assert_cmpuint(n.skipped, ==, 0);
    g_assert_cmpuint(n.passed, ==, vfio_errno_table_len);
}

/*
 * Expecting a 4K kernel's answers must fail exactly on the rows whose
 * kernel column differs from the API's, and those are the rows flagged
 * VE_KERNEL_BUG: the runner does compare, and the table is consistent.
 */
static void test_errno_kernel_rows(void)
{
    VfioErrnoCounts n;
    g_autoptr(GArray) wrong = errno_run_emu(true, &n);
    unsigned differing = 0, bugs = 0;

    for (unsigned i = 0; i < vfio_errno_table_len; i++) {
        const VfioErrnoRow *row = &vfio_errno_table[i];
        bool differs = vfio_errno_row_kernel(row, 4096) != row->api;

        g_assert_true(!differs || (row->flags & VE_KERNEL_BUG));
        if (differs) {
            g_assert_cmpuint(differing, <, wrong->len);
            g_assert_cmpuint(g_array_index(wrong, unsigned, differing), ==, i);
            differing++;
        }
        bugs += !!(row->flags & VE_KERNEL_BUG);
    }
    g_assert_cmpuint(wrong->len, ==, differing);
    g_assert_cmpuint(n.failed, ==, differing);
    g_assert_cmpuint(differing, ==, bugs);
    g_assert_cmpuint(differing, >, 0);
}

/* The v1 IOMMU: ENABLE, no preregistration, no DDW */
static void test_v1(void)
{
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    uint8_t *mem = g_aligned_alloc0(MiB, 1, 64 * KiB);
    uint8_t data[32], got[32];
    uint64_t start;
    Emu e;

    vhe_open(&e, NULL, VFIO_SPAPR_TCE_IOMMU);
    g_assert_cmpstr(vfio_host_emu_iommu(e.h), ==, "spapr-tce-v1");
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                              &info), ==, 0);
    g_assert_cmphex(info.flags, ==, 0);
    g_assert_cmphex(info.ddw.pgsizes, ==, 0);
    g_assert_cmpint(vhe_map(&e, 0, mem, 4 * KiB, VFIO_DMA_MAP_FLAG_READ),
                    ==, -EPERM);
    g_assert_cmpint(vhe_register(&e, mem, MiB), ==, -ENOTTY);
    g_assert_cmpint(vhe_create_window(&e, 12, GiB, 1, &start), ==, -ENOTTY);
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_ENABLE, NULL),
                    ==, 0);
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_ENABLE, NULL),
                    ==, -EBUSY);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 2 * GiB);
    g_assert_cmpint(vhe_map(&e, 0x80000000, mem, 4 * KiB,
                            VFIO_DMA_MAP_FLAG_READ), ==, -ENXIO);
    g_assert_cmpint(vhe_map(&e, 0x4000, mem, 64 * KiB,
                            VFIO_DMA_MAP_FLAG_READ |
                            VFIO_DMA_MAP_FLAG_WRITE), ==, 0);
    vhe_open_device(&e);
    memset(data, 0x3c, sizeof(data));
    g_assert_cmpint(e.h->ops->pwrite(e.h, e.device, data, 32,
                                     BAR0 + 0x40000), ==, 32);
    vhe_edu_dma(&e, 0x4010, 32, true);
    g_assert_cmpmem(mem + 0x10, 32, data, 32);
    memset(mem + 0x100, 0xc3, 32);
    vhe_edu_dma(&e, 0x4100, 32, false);
    g_assert_cmpint(e.h->ops->pread(e.h, e.device, got, 32, BAR0 + 0x40000),
                    ==, 32);
    g_assert_cmpmem(got, 32, mem + 0x100, 32);
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_DISABLE, NULL),
                    ==, 0);
    g_assert_cmpuint(vfio_host_emu_memlock_used(e.h), ==, 0);
    vhe_close(&e);
    g_aligned_free(mem);
}

/* Configuration errors name the option. */
static void test_config(void)
{
    static const char *const pg[] = { "iommu-pgsizes", "0x10000", NULL };
    static const char *const lv[] = { "max-levels", "6", NULL };
    static const char *const ok[] = { "iommu-pgsizes", "0x40211000",
                                      "max-levels", "3", NULL };
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    Error *err = NULL;
    Emu e;

    g_assert_null(vhe_create("bad", pg, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "iommu-pgsizes"));
    error_free(err);
    err = NULL;
    g_assert_null(vhe_create("bad", lv, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "max-levels"));
    error_free(err);
    err = NULL;
    g_assert_null(vfio_host_emu_find("nonexistent", &err));
    error_free(err);

    vhe_open(&e, ok, VFIO_SPAPR_TCE_v2_IOMMU);
    g_assert_cmpint(vhe_ioctl(&e, e.container, VFIO_IOMMU_SPAPR_TCE_GET_INFO,
                              &info), ==, 0);
    g_assert_cmphex(info.ddw.pgsizes, ==, 0x40211000);
    g_assert_cmpuint(info.ddw.levels, ==, 3);
    vhe_close(&e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio-host-emu/errno-table", test_errno_table);
    g_test_add_func("/vfio-host-emu/errno-kernel-rows",
                    test_errno_kernel_rows);
    g_test_add_func("/vfio-host-emu/v1", test_v1);
    g_test_add_func("/vfio-host-emu/config", test_config);
    return g_test_run();
}
