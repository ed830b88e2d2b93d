/*
 * -machine dumpdtb=FILE: the device tree a guest would boot with, parsed
 * back with libfdt and checked against what QEMU 7.2 dumps for the same
 * command line (pseries-2.7 and pseries-2.6, one or two PHBs).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libfdt.h>
#include "libqtest.h"

#define PHB0_NODE   "/pci@800000020000000"
#define PHB1_NODE   "/pci@800000020000001"

/* Runs "-M MACHINE,dumpdtb=TMP ARGS" and returns the blob (g_free it). */
static void *dump(const char *machine, const char *args)
{
    g_autofree char *dir = g_dir_make_tmp("spapr-ddw-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "tree.dtb", NULL);
    g_autofree char *cmd = g_strdup_printf("-M %s,dumpdtb=%s -nodefaults "
                                           "-display none %s", machine, path,
                                           args ? args : "");
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    char *blob = NULL;
    gsize len;
    int rc = qtest_run_cmdline(cmd, &out, &err);

    if (rc != 0) {
        g_error("'%s': exit %d: %s", cmd, rc, err);
    }
    g_assert_nonnull(strstr(err, "dtb dumped to"));
    g_assert_true(g_file_get_contents(path, &blob, &len, NULL));
    g_assert_cmpint(fdt_check_header(blob), ==, 0);
    g_assert_cmpuint(fdt_totalsize(blob), ==, len);
    g_unlink(path);
    g_rmdir(dir);
    return blob;
}

static int node(const void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);

    if (off < 0) {
        g_error("no node %s: %s", path, fdt_strerror(off));
    }
    return off;
}

static bool has_prop(const void *fdt, const char *path, const char *name)
{
    return fdt_getprop(fdt, node(fdt, path), name, NULL) != NULL;
}

static const char *prop_str(const void *fdt, const char *path,
                            const char *name)
{
    int len;
    const char *s = fdt_getprop(fdt, node(fdt, path), name, &len);

    if (!s) {
        g_error("no property %s in %s", name, path);
    }
    g_assert_cmpint(len, ==, strlen(s) + 1);
    return s;
}

/* Asserts the property is exactly the n cells given. */
static void assert_cells(const void *fdt, const char *path, const char *name,
                         const uint32_t *want, int n)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node(fdt, path), name, &len);

    if (!p) {
        g_error("no property %s in %s", name, path);
    }
    if (len != 4 * n) {
        g_error("%s%s%s: %d cells, expected %d", path, "/", name, len / 4, n);
    }
    for (int i = 0; i < n; i++) {
        if (fdt32_to_cpu(p[i]) != want[i]) {
            g_error("%s/%s cell %d: 0x%x, expected 0x%x", path, name, i,
                    fdt32_to_cpu(p[i]), want[i]);
        }
    }
}

#define ASSERT_CELLS(fdt, path, name, ...) do {                           \
        const uint32_t want_[] = { __VA_ARGS__ };                         \
        assert_cells(fdt, path, name, want_, G_N_ELEMENTS(want_));        \
    } while (0)

static void test_root(void)
{
    g_autofree void *fdt = dump("pseries-2.7", "-m 4G");

    g_assert_cmpstr(prop_str(fdt, "/", "compatible"), ==, "qemu,pseries");
    g_assert_cmpstr(prop_str(fdt, "/", "model"), ==,
                    "IBM pSeries (emulated by qemu)");
    g_assert_cmpstr(prop_str(fdt, "/", "device_type"), ==, "chrp");
    ASSERT_CELLS(fdt, "/", "#address-cells", 2);
    ASSERT_CELLS(fdt, "/", "#size-cells", 2);
    node(fdt, "/chosen");
    node(fdt, "/cpus");
    g_assert_cmpstr(prop_str(fdt, "/memory@0", "device_type"), ==, "memory");
    ASSERT_CELLS(fdt, "/memory@0", "reg", 0, 0, 1, 0);
}

/* memory@0 covers exactly -m. */
static void test_memory(void)
{
    static const struct {
        const char *m;
        uint64_t size;
    } sizes[] = {
        { "256M", 256ULL << 20 }, { "1G", 1ULL << 30 },
        { "4352M", 4352ULL << 20 }, { "64G", 64ULL << 30 },
        { "1T", 1ULL << 40 }, { "16T", 16ULL << 40 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        g_autofree char *args = g_strdup_printf("-m %s", sizes[i].m);
        g_autofree void *fdt = dump("pseries", args);

        ASSERT_CELLS(fdt, "/memory@0", "reg", 0, 0,
                     (uint32_t)(sizes[i].size >> 32),
                     (uint32_t)sizes[i].size);
    }
}

/* Every core and DDW RTAS call has its token, with DDW on or off. */
static void assert_rtas_tokens(const void *fdt)
{
    static const struct {
        const char *name;
        uint32_t token;
    } tokens[] = {
        { "get-time-of-day", 0x2001 }, { "power-off", 0x2003 },
        { "system-reboot", 0x2004 }, { "read-pci-config", 0x2014 },
        { "write-pci-config", 0x2015 }, { "ibm,read-pci-config", 0x2016 },
        { "ibm,write-pci-config", 0x2017 },
        { "ibm,query-pe-dma-window", 0x2026 },
        { "ibm,create-pe-dma-window", 0x2027 },
        { "ibm,remove-pe-dma-window", 0x2028 },
        { "ibm,reset-pe-dma-window", 0x2029 },
    };
    int len;
    const char *hypertas;

    for (size_t i = 0; i < G_N_ELEMENTS(tokens); i++) {
        assert_cells(fdt, "/rtas", tokens[i].name, &tokens[i].token, 1);
    }
    ASSERT_CELLS(fdt, "/rtas", "rtas-error-log-max", 2048);
    hypertas = fdt_getprop(fdt, node(fdt, "/rtas"), "ibm,hypertas-functions",
                           &len);
    g_assert_nonnull(hypertas);
    /* A string list: hcall-tce and hcall-multi-tce are among them. */
    g_assert_nonnull(memmem(hypertas, len, "hcall-tce\0", 10));
    g_assert_nonnull(memmem(hypertas, len, "\0hcall-multi-tce\0", 17));
}

static void test_rtas(void)
{
    g_autofree void *fdt = dump("pseries-2.7", "-m 4G");
    g_autofree void *off = dump("pseries-2.7", "-m 4G "
                                "-global spapr-pci-host-bridge.ddw=off");
    g_autofree void *old = dump("pseries-2.6", "-m 4G");

    assert_rtas_tokens(fdt);
    assert_rtas_tokens(off);
    assert_rtas_tokens(old);
}

/* PHB 0 on a 4 GiB pseries-2.7: byte for byte what QEMU 7.2 dumps. */
static void assert_phb0(const void *fdt)
{
    g_assert_cmpstr(prop_str(fdt, PHB0_NODE, "device_type"), ==, "pci");
    g_assert_cmpstr(prop_str(fdt, PHB0_NODE, "compatible"), ==,
                    "IBM,Logical_PHB");
    ASSERT_CELLS(fdt, PHB0_NODE, "#address-cells", 3);
    ASSERT_CELLS(fdt, PHB0_NODE, "#size-cells", 2);
    ASSERT_CELLS(fdt, PHB0_NODE, "#interrupt-cells", 1);
    g_assert_true(has_prop(fdt, PHB0_NODE, "used-by-rtas"));
    ASSERT_CELLS(fdt, PHB0_NODE, "reg", 0x8000000, 0x20000000, 0, 0);
    ASSERT_CELLS(fdt, PHB0_NODE, "ranges",
                 0x1000000, 0, 0, 0x100, 0x80000000, 0, 0x10000,
                 0x2000000, 0, 0x80000000, 0x100, 0xa0000000, 0, 0x80000000,
                 0x3000000, 1, 0, 0x101, 0x20000000, 0xf, 0);
    ASSERT_CELLS(fdt, PHB0_NODE, "bus-range", 0, 0xff);
    ASSERT_CELLS(fdt, PHB0_NODE, "ibm,pci-config-space-type", 1);
    ASSERT_CELLS(fdt, PHB0_NODE, "ibm,pe-total-#msi", 1024);
    ASSERT_CELLS(fdt, PHB0_NODE, "ibm,dma-window",
                 0x80000000, 0, 0, 0, 0x40000000);
    ASSERT_CELLS(fdt, PHB0_NODE, "ibm,#dma-address-cells", 2);
    ASSERT_CELLS(fdt, PHB0_NODE, "ibm,#dma-size-cells", 2);
}

static void test_phb(void)
{
    g_autofree void *fdt = dump("pseries-2.7", "-m 4G");

    assert_phb0(fdt);
    ASSERT_CELLS(fdt, PHB0_NODE, "ibm,ddw-applicable", 0x2026, 0x2027,
                 0x2028);
    ASSERT_CELLS(fdt, PHB0_NODE, "ibm,ddw-extensions", 2, 0x2029, 1);
    g_assert_false(has_prop(fdt, PHB0_NODE, "ibm,associativity"));
    /* One PHB only. */
    g_assert_cmpint(fdt_path_offset(fdt, PHB1_NODE), <, 0);
    /* "pseries" is pseries-7.2. */
    {
        g_autofree void *alias = dump("pseries", "-m 4G");
        g_autofree void *p72 = dump("pseries-7.2", "-m 4G");

        g_assert_cmpuint(fdt_totalsize(alias), ==, fdt_totalsize(p72));
        g_assert_cmpmem(alias, fdt_totalsize(alias), p72,
                        fdt_totalsize(p72));
    }
}

/*
 * pseries-2.8 and newer: PHB 0's port I/O at 32 TiB, its 2 GiB 32-bit
 * window at 32 TiB + 2 GiB, its 1 TiB 64-bit window at 33 TiB, identity
 * mapped (QEMU 7.2's "ranges", libqos' pci-spapr.c).
 */
static void test_phb_placement_2_8(void)
{
    g_autofree void *fdt = dump("pseries-2.8", "-m 4G");

    ASSERT_CELLS(fdt, PHB0_NODE, "ranges",
                 0x1000000, 0, 0, 0x2000, 0, 0, 0x10000,
                 0x2000000, 0, 0x80000000, 0x2000, 0x80000000, 0, 0x80000000,
                 0x3000000, 0x2100, 0, 0x2100, 0, 0x100, 0);
}

/* The DDW properties are there if and only if DDW is on. */
static void test_ddw_off(void)
{
    g_autofree void *old = dump("pseries-2.6", "-m 4G");
    g_autofree void *off = dump("pseries-2.7", "-m 4G "
                                "-global spapr-pci-host-bridge.ddw=off");
    g_autofree void *on = dump("pseries-2.6", "-m 4G "
                               "-global spapr-pci-host-bridge.ddw=on");

    assert_phb0(old);
    assert_phb0(off);
    g_assert_false(has_prop(old, PHB0_NODE, "ibm,ddw-applicable"));
    g_assert_false(has_prop(old, PHB0_NODE, "ibm,ddw-extensions"));
    g_assert_false(has_prop(off, PHB0_NODE, "ibm,ddw-applicable"));
    g_assert_false(has_prop(off, PHB0_NODE, "ibm,ddw-extensions"));
    /* -global is applied after the machine's compat properties. */
    ASSERT_CELLS(on, PHB0_NODE, "ibm,ddw-applicable", 0x2026, 0x2027, 0x2028);
    ASSERT_CELLS(on, PHB0_NODE, "ibm,ddw-extensions", 2, 0x2029, 1);
}

static void test_second_phb(void)
{
    g_autofree void *fdt = dump("pseries-2.7", "-m 4G -device "
                                "spapr-pci-host-bridge,index=1,id=phb1");
    g_autofree void *off = dump("pseries-2.7", "-m 4G -device "
                                "spapr-pci-host-bridge,index=1,ddw=off");

    assert_phb0(fdt);
    ASSERT_CELLS(fdt, PHB1_NODE, "reg", 0x8000000, 0x20000001, 0, 0);
    ASSERT_CELLS(fdt, PHB1_NODE, "ranges",
                 0x1000000, 0, 0, 0x110, 0x80000000, 0, 0x10000,
                 0x2000000, 0, 0x80000000, 0x110, 0xa0000000, 0, 0x80000000,
                 0x3000000, 1, 0, 0x111, 0x20000000, 0xf, 0);
    ASSERT_CELLS(fdt, PHB1_NODE, "ibm,dma-window",
                 0x80000100, 0, 0, 0, 0x40000000);
    ASSERT_CELLS(fdt, PHB1_NODE, "ibm,ddw-applicable", 0x2026, 0x2027,
                 0x2028);
    /* DDW off on PHB 1 only. */
    ASSERT_CELLS(off, PHB0_NODE, "ibm,ddw-extensions", 2, 0x2029, 1);
    g_assert_false(has_prop(off, PHB1_NODE, "ibm,ddw-applicable"));
    g_assert_false(has_prop(off, PHB1_NODE, "ibm,ddw-extensions"));
}

/* pseries-2.7: a far PHB, and a guest big enough to push the PHBs up. */
static void test_phb_placement(void)
{
    g_autofree void *far = dump("pseries-2.7", "-m 4G -device "
                                "spapr-pci-host-bridge,index=31");
    g_autofree void *big = dump("pseries-2.7", "-m 2T");
    const char *node31 = "/pci@80000002000001f";

    /* 1 TiB + 31 * 64 GiB = 0x2f000000000 (as QEMU 7.2 places it) */
    ASSERT_CELLS(far, node31, "ranges",
                 0x1000000, 0, 0, 0x2f0, 0x80000000, 0, 0x10000,
                 0x2000000, 0, 0x80000000, 0x2f0, 0xa0000000, 0, 0x80000000,
                 0x3000000, 1, 0, 0x2f1, 0x20000000, 0xf, 0);
    ASSERT_CELLS(far, node31, "reg", 0x8000000, 0x2000001f, 0, 0);
    ASSERT_CELLS(far, node31, "ibm,dma-window",
                 0x80001f00, 0, 0, 0, 0x40000000);
    /* Above 1 TiB of RAM the PHBs start at the next TiB boundary. */
    ASSERT_CELLS(big, PHB0_NODE, "ranges",
                 0x1000000, 0, 0, 0x200, 0x80000000, 0, 0x10000,
                 0x2000000, 0, 0x80000000, 0x200, 0xa0000000, 0, 0x80000000,
                 0x3000000, 1, 0, 0x201, 0x20000000, 0xf, 0);
}

static void test_numa(void)
{
    g_autofree void *fdt = dump("pseries-2.7", "-m 4G -device "
                                "spapr-pci-host-bridge,index=1,numa_node=0 "
                                "-device spapr-pci-host-bridge,index=2,"
                                "numa_node=127");

    g_assert_false(has_prop(fdt, PHB0_NODE, "ibm,associativity"));
    ASSERT_CELLS(fdt, PHB1_NODE, "ibm,associativity", 4, 0, 0, 0, 0);
    ASSERT_CELLS(fdt, "/pci@800000020000002", "ibm,associativity",
                 4, 0, 0, 0, 127);
}

/*
 * The default window's geometry follows the PHB properties.  (QEMU 7.2
 * prints a size of 0 here: it shifts a 32-bit TCE count.  We print the
 * window's real size.)
 */
static void test_dma_window_props(void)
{
    g_autofree void *fdt = dump("pseries-2.7", "-m 4G "
                                "-global spapr-pci-host-bridge.dma_win_addr="
                                "0x10000000 "
                                "-global spapr-pci-host-bridge.dma_win_size="
                                "0x200000000");

    ASSERT_CELLS(fdt, PHB0_NODE, "ibm,dma-window",
                 0x80000000, 0, 0x10000000, 2, 0);
}

/* Devices do not show up in the tree: the guest finds them by probing. */
static void test_devices_not_in_tree(void)
{
    g_autofree void *plain = dump("pseries-2.7", "-m 4G");
    g_autofree void *edu = dump("pseries-2.7", "-m 4G -device edu");

    g_assert_cmpint(fdt_first_subnode(edu, node(edu, PHB0_NODE)), <, 0);
    g_assert_cmpuint(fdt_totalsize(plain), ==, fdt_totalsize(edu));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/dumpdtb/root", test_root);
    g_test_add_func("/dumpdtb/phb-placement-2.8", test_phb_placement_2_8);
    g_test_add_func("/dumpdtb/memory", test_memory);
    g_test_add_func("/dumpdtb/rtas", test_rtas);
    g_test_add_func("/dumpdtb/phb", test_phb);
    g_test_add_func("/dumpdtb/ddw-off", test_ddw_off);
    g_test_add_func("/dumpdtb/second-phb", test_second_phb);
    g_test_add_func("/dumpdtb/phb-placement", test_phb_placement);
    g_test_add_func("/dumpdtb/numa", test_numa);
    g_test_add_func("/dumpdtb/dma-window-props", test_dma_window_props);
    g_test_add_func("/dumpdtb/devices-not-in-tree", test_devices_not_in_tree);
    return g_test_run();
}
