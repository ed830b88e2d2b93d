/*
 * The DDW properties of the device tree (from -machine dumpdtb, read with
 * libfdt): the default window, the DDW tokens and extensions, per PHB and
 * with ddw=off or pseries-2.6.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <unistd.h>
#include <libfdt.h>
#include "libqtest.h"
#include "libqos/ddw.h"

#define LIOBN0          LIOBN_PHB(0, 0)

static void *dump_dtb(const char *machine, const char *args, size_t *size)
{
    g_autofree char *dir = g_dir_make_tmp("ddw-dtb-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "t.dtb", NULL);
    g_autofree char *cmd = NULL;
    g_autofree char *err = NULL;
    char *blob = NULL;

    g_assert_nonnull(dir);
    cmd = g_strdup_printf("-M %s,dumpdtb=%s -m 4G -display none -nodefaults "
                          "%s", machine, path, args);
    g_assert_cmpint(qtest_run_cmdline(cmd, NULL, &err), ==, 0);
    g_assert_true(g_file_get_contents(path, &blob, size, NULL));
    g_assert_cmpint(fdt_check_header(blob), ==, 0);
    unlink(path);
    rmdir(dir);
    return blob;
}

static const uint32_t *dt_cells(const void *fdt, const char *node,
                                const char *prop, int ncells)
{
    int off = fdt_path_offset(fdt, node), len = -1;
    const uint32_t *p;

    g_assert_cmpint(off, >=, 0);
    p = fdt_getprop(fdt, off, prop, &len);
    if (ncells < 0) {
        g_assert_null(p);
        return NULL;
    }
    g_assert_nonnull(p);
    g_assert_cmpint(len, ==, ncells * 4);
    return p;
}

static uint32_t dt_rtas_token(const void *fdt, const char *name)
{
    return fdt32_to_cpu(dt_cells(fdt, "/rtas", name, 1)[0]);
}

static void test_dt_ddw(void)
{
    size_t size;
    g_autofree void *fdt = dump_dtb("pseries-2.7",
                                    "-device spapr-pci-host-bridge,index=1 "
                                    "-device spapr-pci-host-bridge,index=2,"
                                    "ddw=off", &size);
    const uint32_t *p;
    int off, len;
    const char *hyp;

    p = dt_cells(fdt, "/pci@800000020000000", "ibm,dma-window", 5);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, LIOBN0);
    g_assert_cmphex(fdt32_to_cpu(p[1]), ==, 0);
    g_assert_cmphex(fdt32_to_cpu(p[2]), ==, 0);
    g_assert_cmphex(fdt32_to_cpu(p[3]), ==, 0);
    g_assert_cmphex(fdt32_to_cpu(p[4]), ==, QDDW_DEF_WIN_SIZE);
    p = dt_cells(fdt, "/pci@800000020000000", "ibm,#dma-address-cells", 1);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 2);
    p = dt_cells(fdt, "/pci@800000020000000", "ibm,#dma-size-cells", 1);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 2);
    /* applicable: query, create, remove tokens, as /rtas names them */
    p = dt_cells(fdt, "/pci@800000020000000", "ibm,ddw-applicable", 3);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==,
                    dt_rtas_token(fdt, "ibm,query-pe-dma-window"));
    g_assert_cmphex(fdt32_to_cpu(p[1]), ==,
                    dt_rtas_token(fdt, "ibm,create-pe-dma-window"));
    g_assert_cmphex(fdt32_to_cpu(p[2]), ==,
                    dt_rtas_token(fdt, "ibm,remove-pe-dma-window"));
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, 0x2026);
    /* extensions: 2 of them, reset token, query takes 6 outputs */
    p = dt_cells(fdt, "/pci@800000020000000", "ibm,ddw-extensions", 3);
    g_assert_cmpuint(fdt32_to_cpu(p[0]), ==, 2);
    g_assert_cmphex(fdt32_to_cpu(p[1]), ==,
                    dt_rtas_token(fdt, "ibm,reset-pe-dma-window"));
    g_assert_cmpuint(fdt32_to_cpu(p[2]), ==, 1);
    /* PHB 1: its own LIOBN */
    p = dt_cells(fdt, "/pci@800000020000001", "ibm,dma-window", 5);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, LIOBN_PHB(1, 0));
    dt_cells(fdt, "/pci@800000020000001", "ibm,ddw-applicable", 3);
    /* PHB 2 with ddw=off: a window, no DDW properties */
    p = dt_cells(fdt, "/pci@800000020000002", "ibm,dma-window", 5);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, LIOBN_PHB(2, 0));
    dt_cells(fdt, "/pci@800000020000002", "ibm,ddw-applicable", -1);
    dt_cells(fdt, "/pci@800000020000002", "ibm,ddw-extensions", -1);
    /* multi-TCE hcalls are offered */
    off = fdt_path_offset(fdt, "/rtas");
    hyp = fdt_getprop(fdt, off, "ibm,hypertas-functions", &len);
    g_assert_nonnull(hyp);
    g_assert_nonnull(memmem(hyp, len, "hcall-multi-tce", 16));
    g_assert_nonnull(memmem(hyp, len, "hcall-tce", 10));
}

static void test_dt_pseries_26(void)
{
    size_t size;
    g_autofree void *fdt = dump_dtb("pseries-2.6", "", &size);
    const uint32_t *p;

    p = dt_cells(fdt, "/pci@800000020000000", "ibm,dma-window", 5);
    g_assert_cmphex(fdt32_to_cpu(p[0]), ==, LIOBN0);
    dt_cells(fdt, "/pci@800000020000000", "ibm,ddw-applicable", -1);
    dt_cells(fdt, "/pci@800000020000000", "ibm,ddw-extensions", -1);
    /* The calls are still registered, as in QEMU */
    dt_rtas_token(fdt, "ibm,create-pe-dma-window");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ddw/dt/ddw", test_dt_ddw);
    g_test_add_func("/ddw/dt/pseries-2.6", test_dt_pseries_26);
    return g_test_run();
}
