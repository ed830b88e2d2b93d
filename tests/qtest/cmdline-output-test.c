/*
 * The command line's outputs: tracing to a file and from an events file,
 * -d guest_errors, the qtest log, output files never written through
 * symbolic links, and -qtest on a unix socket server.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "libqtest.h"
#include "libqos/qmp.h"
#include "libqos/rtas.h"

static char *tmp_file(const char *name)
{
    g_autofree char *dir = g_dir_make_tmp("spapr-ddw-XXXXXX", NULL);

    return g_build_filename(dir, name, NULL);
}

static void rm_tmp_file(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);

    g_unlink(path);
    g_rmdir(dir);
}

static void test_trace_to_file(void)
{
    g_autofree char *log = tmp_file("trace.log");
    QTestState *s = qtest_initf("-trace enable=spapr_iommu_* -D %s", log);
    g_autofree char *text = NULL;

    g_assert_cmphex(qh_put_tce(s, LIOBN_PHB(0, 0), 0x5000, 0x100003), ==,
                    H_SUCCESS_U);
    qtest_quit(s);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    /* The reset enabled the default window, then our H_PUT_TCE. */
    g_assert_nonnull(strstr(text, ":spapr_iommu_enable liobn=0x80000000 "));
    g_assert_nonnull(strstr(text, ":spapr_iommu_put liobn=0x80000000 "
                            "ioba=0x5000 tce=0x100003 ret=0"));
    /* Only the events asked for. */
    g_assert_null(strstr(text, "spapr_hcall"));
    g_assert_null(strstr(text, "pci_cfg"));
    rm_tmp_file(log);
}

/* events=FILE (patterns, comments, '-' to disable) and file=FILE. */
static void test_trace_events_file(void)
{
    g_autofree char *log = tmp_file("trace.log");
    g_autofree char *events = tmp_file("events");
    g_autofree char *text = NULL;
    QTestState *s;

    g_assert_true(g_file_set_contents(events, "# comment\n\n  spapr_hcall\n"
                                      "spapr_rtas_*\n-spapr_rtas_call\n"
                                      "pci_cfg_read\n", -1, NULL));
    s = qtest_initf("-trace events=%s,file=%s -device edu", events, log);
    qh_put_tce(s, LIOBN_PHB(0, 0), 0, 0);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0, 4, NULL), ==,
                    0);
    qtest_quit(s);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, ":spapr_hcall opcode=0x20 ret=0"));
    g_assert_nonnull(strstr(text, ":pci_cfg_read edu [0x0] len=4 "
                            "-> 0x11e81234"));
    g_assert_null(strstr(text, "spapr_rtas_call"));
    g_assert_null(strstr(text, "pci_cfg_write"));
    rm_tmp_file(log);
    rm_tmp_file(events);
}

/* -d guest_errors logs what a guest did wrong; the machine goes on. */
static void test_guest_errors_log(void)
{
    g_autofree char *log = tmp_file("log");
    QTestState *s = qtest_initf("-d guest_errors,unimp -D %s", log);
    g_autofree char *text = NULL;

    g_assert_cmphex(qh_put_tce(s, 0x1234, 0, 0), ==, H_PARAMETER_U);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(7), 0, 4, NULL), ==,
                    RTAS_HW_ERROR);
    qtest_hcall(s, 0x8, 0, NULL, (uint64_t[9]){ 0 });
    qtest_quit(s);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "H_PUT_TCE: unknown LIOBN 0x1234"));
    g_assert_nonnull(strstr(text, "read-pci-config: buid 0x800000020000007"));
    g_assert_nonnull(strstr(text, "Unimplemented SPAPR hcall 0x8"));
    rm_tmp_file(log);
}

/*
 * issue 13: output files are not written through symbolic links: the
 * file a link points to is left alone, and the option is named.
 */
static void test_output_symlinks(void)
{
    static const char *const opts[] = {
        "-D %s -d guest_errors", "-qtest-log %s",
        "-chardev file,id=c0,path=%s",
    };
    g_autofree char *target = tmp_file("precious");
    g_autofree char *link = tmp_file("link");

    g_assert_true(g_file_set_contents(target, "keep me", -1, NULL));
    g_assert_cmpint(symlink(target, link), ==, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(opts); i++) {
        g_autofree char *fmt = g_strdup_printf("-M pseries-2.7 -display none "
                                               "-nodefaults -qtest stdio %s", opts[i]);
        g_autofree char *args = g_strdup_printf(fmt, link);
        g_autofree char *err = NULL, *text = NULL;
        int st = qtest_run_cmdline(args, NULL, &err);

        g_test_message("%s: %d %s", opts[i], st, err);
        /* (-qtest stdio on /dev/null would end it at once otherwise) */
        g_assert_cmpint(st, ==, 1);
        g_assert_nonnull(strstr(err, "symbolic link"));
        g_assert_true(g_file_get_contents(target, &text, NULL, NULL));
        g_assert_cmpstr(text, ==, "keep me");
    }
    unlink(link);
    rm_tmp_file(target);
}

static void test_qtest_log(void)
{
    g_autofree char *log = tmp_file("qtest.log");
    QTestState *s = qtest_initf("-qtest-log %s", log);
    g_autofree char *text = NULL;
    g_autofree char *ans = NULL;

    qtest_writel(s, 0x2000, 0xfeedf00d);
    g_assert_cmphex(qtest_readl(s, 0x2000), ==, 0xfeedf00d);
    ans = qtest_raw(s, "bogus 1");
    qtest_clock_step(s, 1234);
    qtest_readb(s, 0x2000);
    qtest_quit(s);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    /* Each line in, each answer out, with the virtual time. */
    g_assert_nonnull(strstr(text, "[R +0] writel 0x2000 0xfeedf00d\n"
                                  "[S +0] OK\n"
                                  "[R +0] readl 0x2000\n"
                                  "[S +0] OK 0x00000000feedf00d\n"
                                  "[R +0] bogus 1\n"
                                  "[S +0] FAIL Unknown command 'bogus'\n"
                                  "[R +0] clock_step 1234\n"
                                  "[S +1234] OK 1234\n"
                                  "[R +1234] readb 0x2000\n"));
    rm_tmp_file(log);
}

/*
 * -qtest on a unix socket server, with wait=off and with the default
 * wait=on: one client at a time; when it leaves, the process exits 0 and
 * removes the socket.
 */
static void run_socket_qtest(const char *opts)
{
    g_autofree char *dir = g_dir_make_tmp("spapr-ddw-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "qtest.sock", NULL);
    g_autofree char *args = g_strdup_printf(
        "%s -qtest unix:%s%s -display none -nodefaults -S", qtest_binary(),
        path, opts);
    g_auto(GStrv) argv = NULL;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    GPid pid;
    int fd, fd2, status;
    FILE *f;
    char line[256];

    g_assert_true(g_shell_parse_argv(args, NULL, &argv, NULL));
    g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                qtest_child_setup, GINT_TO_POINTER(getpid()),
                                &pid, NULL));
    for (int i = 0; i < 500 && !g_file_test(path, G_FILE_TEST_EXISTS); i++) {
        g_usleep(10000);
    }
    g_assert_cmpuint(strlen(path), <, sizeof(sa.sun_path));
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    f = fdopen(fd, "r+");
    fputs("writel 0x1000 0xabcd\nreadl 0x1000\nnope\n", f);
    fflush(f);
    g_assert_nonnull(fgets(line, sizeof(line), f));
    g_assert_cmpstr(line, ==, "OK\n");
    g_assert_nonnull(fgets(line, sizeof(line), f));
    g_assert_cmpstr(line, ==, "OK 0x000000000000abcd\n");
    g_assert_nonnull(fgets(line, sizeof(line), f));
    g_assert_cmpstr(line, ==, "FAIL Unknown command 'nope'\n");

    /* A second client is turned away; the first one carries on. */
    fd2 = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(connect(fd2, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(read(fd2, line, 1), ==, 0);
    close(fd2);
    fputs("readl 0x1000\n", f);
    fflush(f);
    g_assert_nonnull(fgets(line, sizeof(line), f));
    g_assert_cmpstr(line, ==, "OK 0x000000000000abcd\n");

    fclose(f);

    /*
     * The VM outlives its client, as QEMU's (libvirt's qtest harness may
     * come back): only a signal ends it.
     */
    g_assert_cmpint(kill(pid, SIGTERM), ==, 0);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    g_spawn_close_pid(pid);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_rmdir(dir);
}

static void test_qtest_socket(void)
{
    run_socket_qtest(",server=on,wait=off");
    run_socket_qtest(",server=on");
    run_socket_qtest(",server,nowait");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cmdline/trace/to-file", test_trace_to_file);
    g_test_add_func("/cmdline/trace/events-file", test_trace_events_file);
    g_test_add_func("/cmdline/log/guest-errors", test_guest_errors_log);
    g_test_add_func("/cmdline/qtest-log", test_qtest_log);
    g_test_add_func("/cmdline/output-symlinks", test_output_symlinks);
    g_test_add_func("/cmdline/qtest-socket", test_qtest_socket);
    return g_test_run();
}
