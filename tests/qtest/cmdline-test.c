/*
 * The command line: every error path exits 1 with a message that names
 * the option, and the success paths of the parser (help, options accepted
 * for compatibility, JSON -device, escaped commas) do what they say.
 * Memory options are cmdline-memory-test.c, output files and the qtest
 * channel cmdline-output-test.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "libqtest.h"
#include "libqos/qmp.h"
#include "libqos/rtas.h"

typedef struct BadCmdline {
    const char *args;
    const char *names;          /* the message must contain this */
} BadCmdline;

static const BadCmdline bad_cmdlines[] = {
    /* options */
    { "-foo", "-foo" },
    { "--no-such-option", "-no-such-option" },
    { "stray", "stray" },
    { "-m", "-m" },
    { "-M", "-M" },
    { "-device", "-device" },
    { "-object", "-object" },
    { "-global", "-global" },
    { "-qtest", "-qtest" },
    { "-display", "-display" },
    { "-trace", "-trace" },
    { "-D", "-D" },
    /* -m */
    { "-m 0", "-m 0" },
    { "-m 0G", "-m 0G" },
    { "-m abc", "-m abc" },
    { "-m 1.5G", "-m 1.5G" },
    { "-m -4G", "-m -4G" },
    { "-m 4Q", "-m 4Q" },
    { "-m 100M", "-m 100M" },
    { "-m 257M", "-m 257M" },
    { "-m 17T", "-m 17T" },
    { "-m 1E", "-m 1E" },
    { "-m 99999999999999999999", "-m 99999999999999999999" },
    { "-m 0x10000000", "-m 0x10000000" },     /* MiB by default: 256 TiB */
    { "-m size=", "-m size=" },
    { "-m maxmem=8G", "-m maxmem=8G" },
    { "-m size=4G,foo=1", "'foo'" },
    { "-m size=4G,size=8G", "-m size=4G,size=8G" },
    { "-m 4G,8G", "-m 4G,8G" },
    /* -M / -machine */
    { "-M nosuch", "-machine nosuch" },
    { "-machine pseries-9.9", "-machine pseries-9.9" },
    { "-M type=nosuch", "-machine nosuch" },
    { "-M pseries,foo=1", "'foo'" },
    { "-M pseries,foo", "foo" },
    { "-M pseries,ram-size=5", "ram-size" },
    { "-M pseries,memory-backend=nope", "memory-backend=nope" },
    { "-M pseries,dumpdtb=/nonexistent/dir/x.dtb", "dumpdtb" },
    { "-M none,dumpdtb=/tmp/x.dtb", "dumpdtb" },
    { "-M none -device edu", "'PCI' bus" },
    { "-M none -device spapr-pci-host-bridge,index=1", "spapr-pci-host-bridge" },
    /* -device */
    { "-device nosuch", "-device nosuch" },
    { "-device ,id=x", "-device ,id=x" },
    { "-device spapr-tce-table", "-device spapr-tce-table" },
    { "-device pci-device", "-device pci-device" },
    { "-device edu,foo=1", "'foo'" },
    { "-device edu,dma_mask=zz", "dma_mask" },
    { "-device edu,dma_mask=", "dma_mask" },
    { "-device edu,dma_mask=-1", "dma_mask" },
    { "-device edu,addr=zz", "addr" },
    { "-device edu,addr=20", "addr" },
    { "-device edu,addr=3.8", "addr" },
    { "-device edu,addr=3.0 -device edu,addr=3.0", "-device edu,addr=3.0" },
    { "-device edu,addr=3.0,addr=4.0", "'addr'" },
    { "-device edu,bus=nope", "'nope'" },
    { "-device edu,bus=main-system-bus", "main-system-bus" },
    { "-device spapr-pci-host-bridge,index=1,bus=pci.0", "pci.0" },
    { "-device edu,id=e -device edu,id=e", "'e'" },
    { "-device edu,id=1e", "'1e'" },
    { "-device edu,id=e/f", "'e/f'" },
    { "-device '{\"driver\":\"edu\"'", "-device {\"driver\":\"edu\"" },
    { "-device '{\"driver\":\"edu\",\"x\":[1]}'", "'x'" },
    { "-device '{\"driver\":\"edu\",\"x\":{\"a\":1}}'", "'x'" },
    { "-device '{\"driver\":\"edu\",\"id\":null}'", "'id'" },
    { "-device '{\"driver\":\"edu\",\"addr\":3.0}'", "'addr'" },
    { "-device '{\"driver\":\"edu\",\"dma_mask\":-1}'", "dma_mask" },
    { "-device '{\"driver\":\"edu\",\"foo\":1}'", "'foo'" },
    { "-device '{\"id\":\"x\"}'", "driver" },
    { "-device '{}'", "driver" },
    { "-device '[\"edu\"]'", "-device" },
    { "-device '{\"driver\":\"nosuch\"}'", "'nosuch'" },
    { "-device nosuch,help", "-device nosuch,help" },
    /* -global */
    { "-global foo", "-global foo" },
    { "-global edu.dma_mask", "-global edu.dma_mask" },
    { "-global .dma_mask=1", "-global .dma_mask=1" },
    { "-global edu.=1", "-global edu.=1" },
    { "-global nosuch.x=1", "-global nosuch.x" },
    { "-global container.x=1", "-global container.x" },
    { "-global edu.nosuch=1", "-global edu.nosuch" },
    { "-global edu.dma_mask=zz", "-global edu.dma_mask=zz" },
    { "-global spapr-pci-host-bridge.ddw=maybe", "-global spapr-pci-host-bridge.ddw" },
    { "-global spapr-pci-host-bridge.index=-1", "-global spapr-pci-host-bridge.index" },
    /* -object */
    { "-object nosuch,id=x", "-object" },
    { "-object memory-backend,id=x,size=1G", "-object" },
    { "-object edu,id=x", "-object" },
    { "-object memory-backend-ram,size=1G", "'id'" },
    { "-object memory-backend-ram,id=1m,size=1G", "'id'" },
    { "-object memory-backend-ram,id=m,size=1G "
      "-object memory-backend-ram,id=m,size=1G", "'m'" },
    { "-object memory-backend-ram,id=m", "size" },
    { "-object memory-backend-ram,id=m,size=0", "size" },
    { "-object memory-backend-ram,id=m,size=zz", "size" },
    { "-object memory-backend-ram,id=m,size=1G,foo=1", "foo" },
    { "-object memory-backend-ram,id=m,size=1G,share=maybe", "share" },
    { "-object memory-backend-file,id=m,size=1G", "mem-path" },
    { "-object memory-backend-file,id=m,size=1G,mem-path=/nonexistent/dir/f",
      "/nonexistent/dir/f" },
    { "-object id=m,size=1G", "qom-type" },
    { "-object secret,id=s", "data" },
    { "-object secret,id=s,data=x,file=/etc/hostname", "data" },
    { "-object secret,id=s,file=/nonexistent/dir/key", "/nonexistent/dir/key" },
    { "-object secret,id=s,data=x,format=hex", "format" },
    { "-object secret,id=s,data=x,keyid=k,iv=AAAA", "keyid" },
    { "-object '{\"qom-type\":\"secret\",\"id\":\"s\"}'", "data" },
    { "-object '{\"qom-type\":\"secret\",\"id\":\"s\",\"data\":[1]}'",
      "data" },
    { "-object memory-backend-ram,id=m,size=1G -M pseries,memory-backend=m",
      "memory-backend=m" },
    { "-object memory-backend-ram,id=m,size=4G -M pseries,memory-backend=m "
      "-mem-path /tmp", "-mem-path" },
    /* accelerators and displays */
    { "-accel kvm", "-accel kvm" },
    { "-accel tcg,thread=many", "-accel tcg,thread=many" },
    { "-accel tcg,foo=1", "'foo'" },
    { "-M pseries,accel=kvm", "accel=kvm" },
    { "-accel tcg -M pseries,accel=tcg", "-accel" },
    { "-accel kvm:tcg", "-accel kvm:tcg" },
    { "-enable-kvm", "-enable-kvm" },
    { "-display sdl", "-display sdl" },
    { "-display gtk", "-display gtk" },
    /* process and identity options (libvirt's command line) */
    { "-pidfile", "-pidfile" },
    { "-pidfile /nonexistent/dir/pid", "-pidfile /nonexistent/dir/pid" },
    { "-daemonize -qmp stdio", "-daemonize" },
    { "-uuid zz", "-uuid zz" },
    { "-uuid 12345678-1234-1234-1234-1234567890ab0", "-uuid" },
    { "-name guest=a,foo=1", "'foo'" },
    { "-name guest=a,debug-threads=maybe", "debug-threads" },
    { "-overcommit mem-lock=maybe", "mem-lock" },
    { "-overcommit cpu-pm=on", "cpu-pm" },
    { "-overcommit foo=1", "'foo'" },
    { "-smp 0", "-smp" },
    { "-smp zz", "-smp" },
    { "-smp 2000", "-smp" },
    { "-smp 4,sockets=3,cores=1,threads=1", "-smp" },
    { "-smp 2,maxcpus=1", "-smp" },
    { "-smp 1,foo=2", "'foo'" },
    { "-cpu POWER9", "-cpu POWER9" },
    { "-cpu host", "-cpu host" },
    { "-cpu power9_v2.0", "-cpu power9_v2.0" },
    { "-rtc base=garbage", "-rtc base=garbage" },
    { "-rtc base=2006-13-45", "-rtc base=2006-13-45" },
    { "-rtc clock=foo", "-rtc clock=foo" },
    { "-rtc driftfix=x", "-rtc driftfix=x" },
    { "-rtc foo=1", "'foo'" },
    { "-boot order=z", "-boot" },
    { "-boot menu=maybe", "-boot" },
    { "-boot foo=1", "'foo'" },
    { "-audiodev pa,id=a", "-audiodev" },
    { "-audiodev none", "'id'" },
    { "-audiodev none,id=a -audiodev none,id=a", "'a'" },
    { "-audiodev '{\"id\":\"a\",\"driver\":\"alsa\"}'", "-audiodev" },
    { "-msg timestamp=maybe", "-msg" },
    { "-msg foo=on", "'foo'" },
    { "-M pseries,usb=on", "usb=on" },
    { "-M pseries,dump-guest-core=maybe", "dump-guest-core" },
    { "-vga std", "std" },
    { "-serial stdio", "stdio" },
    { "-chardev socket,id=c,fd=99", "fd=99" },
    { "-chardev socket,id=c,fd=zz", "fd=zz" },
    { "-chardev socket,id=c,fd=-1", "fd=-1" },
    { "-mon chardev=c,id=m,foo=1", "'foo'" },
    { "-sandbox maybe", "-sandbox" },
    { "-sandbox on,spawn=maybe", "-sandbox" },
    { "-sandbox on,elevateprivileges=x", "-sandbox" },
    { "-sandbox on,foo=1", "'foo'" },
    /* tracing and logging */
    { "-trace nosuch_event", "-trace" },
    { "-trace enable=nosuch_event", "nosuch_event" },
    { "-trace enable=", "-trace" },
    { "-trace foo=bar", "-trace" },
    { "-trace file=/nonexistent/dir/log", "-trace" },
    { "-trace events=/nonexistent/dir/events", "-trace events=" },
    { "-d nosuch", "-d" },
    { "-d guest_errors,bogus", "'bogus'" },
    { "-D /nonexistent/dir/log", "-D" },
    { "-D /", "-D" },
    /* qtest */
    { "-qtest bogus", "-qtest" },
    { "-qtest tcp:nohost", "-qtest" },
    { "-qtest unix:/nonexistent/dir/sock", "-qtest" },
    { "-qtest file:/nonexistent/dir/x", "-qtest" },
    { "-qtest stdio -qtest-log /nonexistent/dir/log", "-qtest-log" },
    /* -mem-path */
    { "-mem-path /nonexistent/dir", "mem-path '/nonexistent/dir'" },
    { "-mem-path /proc/self/stat", "mem-path" },
    /* PHB realize errors */
    { "-device spapr-pci-host-bridge", "\"index\"" },
    { "-device spapr-pci-host-bridge,index=256", "\"index\"" },
    { "-M pseries-7.2 -device spapr-pci-host-bridge,index=31",
      "\"index\" for PAPR PHB is too large (max 30)" },
    { "-device spapr-pci-host-bridge,index=0", "index 0" },
    { "-device spapr-pci-host-bridge,index=1 "
      "-device spapr-pci-host-bridge,index=1", "index 1" },
    { "-device spapr-pci-host-bridge,index=1,pgsz=0", "pgsz" },
    { "-device spapr-pci-host-bridge,index=1,pgsz=0x1", "pgsz" },
    { "-device spapr-pci-host-bridge,index=1,pgsz=0x3000", "pgsz" },
    { "-device spapr-pci-host-bridge,index=1,dma64_win_addr=0x1000",
      "dma64_win_addr" },
    { "-device spapr-pci-host-bridge,index=1,pgsz=0x1001000,"
      "dma64_win_addr=0x800000000010000", "dma64_win_addr" },
    { "-device spapr-pci-host-bridge,index=1,dma_win_addr=0x1001",
      "dma_win_addr" },
    { "-device spapr-pci-host-bridge,index=1,dma_win_size=0", "dma_win_size" },
    { "-device spapr-pci-host-bridge,index=1,dma_win_size=0x1800",
      "dma_win_size" },
    { "-device spapr-pci-host-bridge,index=1,dma_win_size=0x100000000000000",
      "dma_win_size" },
    { "-device spapr-pci-host-bridge,index=1,dma_win_addr=0xfffffffffffff000",
      "dma_win_addr" },
    { "-device spapr-pci-host-bridge,index=1,dma_win_addr=0x800000000000000",
      "overlaps" },
    { "-device spapr-pci-host-bridge,index=1,dma64_win_addr=0x20000000",
      "overlaps" },
    { "-device spapr-pci-host-bridge,index=1,numa_node=128", "numa_node" },
    { "-device spapr-pci-host-bridge,index=1,numa_node=-2", "numa_node" },
    { "-device spapr-pci-host-bridge,index=1,numa_node=99999999999",
      "numa_node" },
};

static void test_bad_cmdline(gconstpointer data)
{
    const BadCmdline *c = data;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int rc = qtest_run_cmdline(c->args, &out, &err);

    if (rc != 1 || !strstr(err, c->names) ||
        !g_str_has_prefix(err, "spapr-ddw: ")) {
        g_error("'%s': exit %d, stderr '%s' (expected exit 1 and '%s')",
                c->args, rc, err, c->names);
    }
    /* One line on stderr, nothing on stdout. */
    g_assert_cmpstr(out, ==, "");
    g_assert_true(g_str_has_suffix(err, "\n"));
    g_assert_true(strchr(err, '\n') == err + strlen(err) - 1);
}

static char *run_ok(const char *args)
{
    char *out = NULL;
    g_autofree char *err = NULL;
    int rc = qtest_run_cmdline(args, &out, &err);

    if (rc != 0) {
        g_error("'%s': exit %d, stderr '%s'", args, rc, err);
    }
    return out;
}

static void test_help(void)
{
    g_autofree char *version = run_ok("-version");
    g_autofree char *version2 = run_ok("--version -foo");
    g_autofree char *help = run_ok("-help");
    g_autofree char *h = run_ok("-h");
    g_autofree char *machines = run_ok("-machine help");
    g_autofree char *machines2 = run_ok("-M ?");
    g_autofree char *devices = run_ok("-device help");
    g_autofree char *edu = run_ok("-device edu,help");
    g_autofree char *phb = run_ok("-device spapr-pci-host-bridge,?");
    g_autofree char *traces = run_ok("-trace help");

    g_assert_true(g_str_has_prefix(version, "spapr-ddw version "));
    g_assert_cmpstr(version, ==, version2);
    g_assert_nonnull(strstr(help, "usage:"));
    g_assert_nonnull(strstr(help, "-device"));
    g_assert_cmpstr(help, ==, h);

    g_assert_nonnull(strstr(machines, "pseries-2.7 "));
    g_assert_nonnull(strstr(machines, "pseries-2.6 "));
    g_assert_nonnull(strstr(machines, "(default)"));
    g_assert_nonnull(strstr(machines, "alias of pseries-7.2"));
    g_assert_cmpstr(machines, ==, machines2);

    g_assert_nonnull(strstr(devices, "name \"edu\", bus PCI"));
    g_assert_nonnull(strstr(devices,
                            "name \"spapr-pci-host-bridge\", bus System"));
    /* Internal types are not offered. */
    g_assert_null(strstr(devices, "spapr-tce-table"));
    g_assert_null(strstr(devices, "pci-device"));

    g_assert_nonnull(strstr(edu, "  dma_mask=<uint64>      -  (default: "
                            "268435455)\n"));
    /* QEMU 7.2's format: sorted, defaults as JSON values. */
    g_assert_true(g_str_has_prefix(edu, "edu options:\n  addr=<int32>"));
    g_assert_nonnull(strstr(edu, "addr=<int32>           -  (default: -1)"));
    g_assert_nonnull(strstr(phb, "index=<uint32>         -  (default: "
                            "4294967295)\n"));
    g_assert_nonnull(strstr(phb, "ddw=<bool>             -  (default: "
                            "true)\n"));
    g_assert_nonnull(strstr(phb, "pgsz=<uint64>          -  (default: "));
    g_assert_nonnull(strstr(phb, "numa_node=<int32>      -  (default: "
                            "-1)\n"));

    g_assert_nonnull(strstr(traces, "spapr_iommu_put\n"));
    g_assert_nonnull(strstr(traces, "pci_cfg_write\n"));
}

/* Options accepted for compatibility with QEMU command lines. */
static void test_accepted_options(void)
{
    QTestState *s = qtest_init("-nographic -no-user-config -no-reboot "
                               "-no-shutdown -vga none -serial none "
                               "-smp 1 -cpu POWER8 -name guest1 "
                               "-accel qtest,thread=single --nodefaults "
                               "-display none -S");

    qtest_writel(s, 0x1000, 1);
    g_assert_cmphex(qtest_readl(s, 0x1000), ==, 1);
    qtest_quit(s);
    /* QEMU's machine-none test names this POWER8 family member */
    s = qtest_init("-machine none -cpu power8e_v2.1");
    qtest_quit(s);
}
/* {"driver":...} is the same as driver=...,... */
static void test_json_device(void)
{
    QTestState *s = qtest_init("-device '{\"driver\":\"edu\",\"id\":\"e0\","
                               "\"addr\":\"3.0\"}' "
                               "-device '{\"driver\": \"edu\", \"addr\": 5, "
                               "\"dma_mask\": 65535}' "
                               "-device edu,id=e1,addr=4.0");
    uint32_t v;

    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x1800, 4, &v), ==,
                    0);
    g_assert_cmphex(v, ==, 0x11e81234);
    /* A JSON integer for addr is a slot number. */
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x2800, 4, &v), ==,
                    0);
    g_assert_cmphex(v, ==, 0x11e81234);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x2000, 4, &v), ==,
                    0);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x0000, 4, &v), ==,
                    RTAS_HW_ERROR);
    qtest_quit(s);

    /* The JSON id and a later keyval id share one namespace. */
    {
        g_autofree char *err = NULL;

        g_assert_cmpint(qtest_run_cmdline(
            "-device '{\"driver\":\"edu\",\"id\":\"e0\"}' -device edu,id=e0",
            NULL, &err), ==, 1);
        g_assert_nonnull(strstr(err, "Duplicate device ID 'e0'"));
    }
}

/*
 * issue 13: the JSON form takes integers up to 2^64 - 1 exactly (as QMP
 * does), refuses one beyond, and refuses a member given twice.
 */
static void test_json_uint64(void)
{
    static const char *const values[] = {
        "9223372036854775808", "9223372036854775809", "18446744073709551615",
    };
    static const char *const bad[][2] = {
        { "18446744073709551616", "'memlock-limit'" },
        { "1, \"id\": \"h1\"", "duplicate key" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
        QTestState *s;
        QMPClient *c = qmp_test_start(&s,
            "-object '{\"qom-type\": \"vfio-spapr-host-emu\", \"id\": "
            "\"h0\", \"memlock-limit\": %s}'", values[i]);
        g_autofree char *want = g_strdup_printf("{\"return\":%s}", values[i]);
        g_autofree char *got = NULL;
        const char *get = "{\"execute\": \"qom-get\", \"arguments\": "
                          "{\"path\": \"/objects/h0\", "
                          "\"property\": \"memlock-limit\"}}\n";

        qmp_send_raw(c, get, strlen(get));
        got = qmp_receive_line(c);
        g_assert_cmpstr(got, ==, want);
        qmp_test_end(s, c);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *args = g_strdup_printf(
            "-machine none -object '{\"qom-type\": \"vfio-spapr-host-emu\", "
            "\"id\": \"h0\", \"memlock-limit\": %s}'", bad[i][0]);
        g_autofree char *err = NULL;

        g_assert_cmpint(qtest_run_cmdline(args, NULL, &err), ==, 1);
        g_assert_true(g_str_has_prefix(err, "spapr-ddw: -object {"));
        g_assert_nonnull(strstr(err, bad[i][1]));
    }
}

/* ",," is a literal comma in option values. */
static void test_comma_escape(void)
{
    g_autofree char *dir = g_dir_make_tmp("spapr-ddw-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "a,b.dtb", NULL);
    g_autofree char *escaped = g_strdup_printf("%s/a,,b.dtb", dir);
    g_autofree char *args = g_strdup_printf("-M pseries,dumpdtb=%s",
                                            escaped);
    g_autofree char *out = run_ok(args);

    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    g_unlink(path);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(bad_cmdlines); i++) {
        g_autofree char *name = g_strdup_printf("/cmdline/bad/%02zu", i);

        g_test_add_data_func(name, &bad_cmdlines[i], test_bad_cmdline);
    }
    g_test_add_func("/cmdline/help", test_help);
    g_test_add_func("/cmdline/accepted-options", test_accepted_options);
    g_test_add_func("/cmdline/json-device", test_json_device);
    g_test_add_func("/cmdline/json-uint64", test_json_uint64);
    g_test_add_func("/cmdline/comma-escape", test_comma_escape);
    return g_test_run();
}
