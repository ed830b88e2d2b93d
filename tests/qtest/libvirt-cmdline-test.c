/*
 * The options libvirt's command line uses, each doing what it promises:
 * -pidfile, -daemonize, -chardev socket,fd=, -name, -uuid, -smp, -boot,
 * -rtc, -msg timestamp=on, -overcommit mem-lock, -machine
 * dump-guest-core=off, -sandbox.  (Their bad inputs are in cmdline-test.)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <fcntl.h>
#include <libfdt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "libqtest.h"
#include "libqos/qmp.h"
#include "libqos/rtas.h"

static void assert_contains_text(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle)) {
        g_error("'%s' not found in:\n%s", needle, haystack);
    }
}

static char *proc_file(pid_t pid, const char *name)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/%s", (int)pid, name);
    char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static bool wait_for_gone(const char *path)
{
    for (int i = 0; i < 1000; i++) {
        if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
            return true;
        }
        g_usleep(10 * 1000);
    }
    return false;
}

/* Pid file: our pid once ready, locked against a second user, removed. */
static void test_pidfile(void)
{
    g_autofree char *dir = g_dir_make_tmp("pidfile-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "vm.pid", NULL);
    g_autofree char *args = g_strdup_printf("-pidfile %s", path);
    g_autofree char *two = g_strdup_printf("-M pseries -m 1G -display none "
                                           "-pidfile %s", path);
    QTestState *s = qtest_init(args);
    g_autofree char *text = NULL;
    g_autofree char *want = NULL;
    g_autofree char *err = NULL;

    qtest_writel(s, 0x1000, 1);         /* a round trip: we are ready */
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    want = g_strdup_printf("%d\n", (int)qtest_pid(s));
    g_assert_cmpstr(text, ==, want);
    g_assert_cmpint(qtest_run_cmdline(two, NULL, &err), ==, 1);
    assert_contains_text(err, "-pidfile");
    assert_contains_text(err, "lock");
    qtest_quit(s);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_rmdir(dir);
}

/* A stale pid file (no process holds its lock) is taken over. */
static void test_pidfile_stale(void)
{
    g_autofree char *dir = g_dir_make_tmp("pidfile-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "vm.pid", NULL);
    g_autofree char *args = g_strdup_printf("-pidfile %s", path);
    QTestState *s;

    g_assert_true(g_file_set_contents(path, "999999\n", -1, NULL));
    s = qtest_init(args);
    qtest_writel(s, 0x1000, 1);
    qtest_quit(s);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_rmdir(dir);
}

/*
 * libvirt's probe: the parent exits 0 once the child serves QMP, and the
 * child holds none of the caller's pipes (EOF on them at once).
 */
static void test_daemonize(void)
{
    g_autofree char *dir = g_dir_make_tmp("daemon-XXXXXX", NULL);
    g_autofree char *pid_path = g_build_filename(dir, "qmp.pid", NULL);
    g_autofree char *sock = g_build_filename(dir, "qmp.monitor", NULL);
    g_autofree char *cmd = g_strdup_printf(
        "%s -S -no-user-config -nodefaults -nographic -M pseries -m 1G "
        "-accel tcg -qmp unix:%s,server=on,wait=off -pidfile %s -daemonize",
        qtest_binary(), sock, pid_path);
    g_auto(GStrv) argv = NULL;
    g_autofree char *pidtext = NULL;
    int out_fd, status;
    GPid parent;
    struct pollfd pfd;
    char c;
    QMPClient *qc;
    g_autoptr(JsonNode) ret = NULL;
    pid_t child;

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    g_assert_true(g_spawn_async_with_pipes(NULL, argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                           NULL, &parent, NULL, &out_fd,
                                           NULL, NULL));
    g_assert_cmpint(waitpid(parent, &status, 0), ==, parent);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    pfd = (struct pollfd){ .fd = out_fd, .events = POLLIN };
    g_assert_cmpint(poll(&pfd, 1, 10000), ==, 1);
    g_assert_cmpint(read(out_fd, &c, 1), ==, 0);    /* EOF: nobody holds it */
    close(out_fd);
    g_assert_true(g_file_get_contents(pid_path, &pidtext, NULL, NULL));
    child = atoi(pidtext);
    g_assert_cmpint(child, >, 0);
    g_assert_cmpint(child, !=, parent);
    qc = qmp_client_connect(sock);
    qmp_client_negotiate(qc);
    ret = qmp_cmd_ok(qc, "{\"execute\": \"query-status\"}");
    qmp_client_close(qc);
    /* a clean end removes the pid file (libvirt's probe uses SIGKILL) */
    g_assert_cmpint(kill(child, SIGTERM), ==, 0);
    g_assert_true(wait_for_gone(pid_path));
    g_unlink(sock);
    g_rmdir(dir);
}

/* A daemon whose start-up fails makes the parent exit 1 with the reason. */
static void test_daemonize_failure(void)
{
    g_autofree char *err = NULL;

    g_assert_cmpint(qtest_run_cmdline("-M pseries -m 1G -daemonize "
                                      "-device nosuch", NULL, &err), ==, 1);
    assert_contains_text(err, "nosuch");
}

/* -chardev socket,fd=N with a listening socket libvirt made for us. */
static void test_chardev_listen_fd(void)
{
    g_autofree char *dir = g_dir_make_tmp("chrfd-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "mon.sock", NULL);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);     /* inherited: no CLOEXEC */
    QTestState *s;
    QMPClient *c;
    g_autoptr(JsonNode) ret = NULL;

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    s = qtest_initf("-chardev socket,id=charmonitor,fd=%d,server=on,wait=off "
                    "-mon chardev=charmonitor,id=monitor,mode=control", fd);
    close(fd);
    c = qmp_client_connect(path);
    qmp_client_negotiate(c);
    ret = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    qmp_client_close(c);
    qtest_quit(s);
    g_unlink(path);
    g_rmdir(dir);
}

/* ... and with an already connected one. */
static void test_chardev_connected_fd(void)
{
    int sv[2];
    QTestState *s;
    QMPClient *c;
    g_autoptr(JsonNode) ret = NULL;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    fcntl(sv[0], F_SETFD, FD_CLOEXEC);
    s = qtest_initf("-chardev socket,id=c,fd=%d -mon chardev=c,mode=control",
                    sv[1]);
    close(sv[1]);
    c = qmp_client_from_fd(sv[0]);
    qmp_client_negotiate(c);
    ret = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    qmp_client_close(c);
    qtest_quit(s);
}

/* An fd that is open but not a socket is refused by name. */
static void test_chardev_bad_fd(void)
{
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint(qtest_run_cmdline("-M pseries -m 1G -chardev "
                                      "socket,id=c,fd=0", &out, &err), ==, 1);
    assert_contains_text(err, "fd=0");
    assert_contains_text(err, "not an open socket");
}

static void *dump_tree(const char *args)
{
    g_autofree char *dir = g_dir_make_tmp("dtb-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "t.dtb", NULL);
    g_autofree char *cmd = g_strdup_printf("-M pseries,dumpdtb=%s -m 1G %s",
                                           path, args);
    g_autofree char *err = NULL;
    char *blob = NULL;

    g_assert_cmpint(qtest_run_cmdline(cmd, NULL, &err), ==, 0);
    g_assert_true(g_file_get_contents(path, &blob, NULL, NULL));
    g_assert_cmpint(fdt_check_header(blob), ==, 0);
    g_unlink(path);
    g_rmdir(dir);
    return blob;
}

/* -uuid, -name, -boot and -smp reach the device tree as QEMU puts them. */
static void test_identity_in_tree(void)
{
    g_autofree void *fdt = dump_tree(
        "-uuid 5E1B3E2A-0000-4000-8000-00000000ABCD -name guest=vm1 "
        "-boot order=cd,menu=on -smp 4,sockets=1,cores=2,threads=2 "
        "-cpu POWER8");
    int chosen = fdt_path_offset(fdt, "/chosen");
    int len;

    g_assert_cmpstr(fdt_getprop(fdt, 0, "vm,uuid", NULL), ==,
                    "5e1b3e2a-0000-4000-8000-00000000abcd");
    g_assert_cmpstr(fdt_getprop(fdt, 0, "ibm,partition-name", NULL), ==,
                    "vm1");
    g_assert_cmpstr(fdt_getprop(fdt, chosen, "qemu,boot-device", NULL), ==,
                    "cd");
    g_assert_nonnull(fdt_getprop(fdt, chosen, "qemu,boot-menu", NULL));
    g_assert_cmpint(fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@0"), >=, 0);
    g_assert_cmpint(fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@2"), >=, 0);
    g_assert_cmpint(fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@4"), <, 0);
    g_assert_nonnull(fdt_getprop(fdt,
                                 fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@2"),
                                 "ibm,ppc-interrupt-server#s", &len));
    g_assert_cmpint(len, ==, 8);
}

/* -rtc base=DATE,clock=vm: the guest's clock starts there, moves by qtest. */
static void test_rtc_base_vm_clock(void)
{
    QTestState *s = qtest_init("-rtc base=2006-06-17T16:01:21,clock=vm");
    uint32_t rets[8];

    g_assert_cmpuint(qrtas_call(s, "get-time-of-day", 0, NULL, 8, rets), ==,
                     0);
    g_assert_cmpint(rets[0], ==, 0);
    g_assert_cmpuint(rets[1], ==, 2006);
    g_assert_cmpuint(rets[2], ==, 6);
    g_assert_cmpuint(rets[3], ==, 17);
    g_assert_cmpuint(rets[4], ==, 16);
    g_assert_cmpuint(rets[5], ==, 1);
    g_assert_cmpuint(rets[6], <=, 23);
    qtest_clock_step(s, 3600LL * 1000000000LL);
    g_assert_cmpuint(qrtas_call(s, "get-time-of-day", 0, NULL, 8, rets), ==,
                     0);
    g_assert_cmpuint(rets[4], ==, 17);
    g_assert_cmpuint(rets[5], ==, 1);
    qtest_quit(s);
}

static bool is_timestamped(const char *line)
{
    return g_regex_match_simple("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"
                                "\\.\\d{6}Z spapr-ddw: ", line, 0, 0);
}

/* -msg timestamp=on: error lines and debug-log lines carry the time. */
static void test_msg_timestamp(void)
{
    g_autofree char *dir = g_dir_make_tmp("msg-XXXXXX", NULL);
    g_autofree char *log = g_build_filename(dir, "log", NULL);
    g_autofree char *err = NULL;
    g_autofree char *text = NULL;
    g_autofree char *args = g_strdup_printf("-msg timestamp=on "
                                            "-trace enable=spapr_rtas_call "
                                            "-D %s", log);
    uint32_t rets[8];
    QTestState *s;

    g_assert_cmpint(qtest_run_cmdline("-msg timestamp=on -M pseries -m 1G "
                                      "-device nosuch", NULL, &err), ==, 1);
    g_assert_true(is_timestamped(err));
    s = qtest_init(args);
    qrtas_call(s, "get-time-of-day", 0, NULL, 8, rets);
    qtest_quit(s);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    assert_contains_text(text, "spapr_rtas_call");
    g_assert_true(g_regex_match_simple("^\\d{4}-\\d\\d-\\d\\dT", text, 0, 0));
    g_unlink(log);
    g_rmdir(dir);
}

/* -name process=, -overcommit mem-lock=on, dump-guest-core=off, -sandbox */
static void test_process_effects(void)
{
    QTestState *s = qtest_init("-m 256M -name guest=g,process=ddw-proc "
                               "-overcommit mem-lock=on "
                               "-machine dump-guest-core=off "
                               "-sandbox on,obsolete=deny,"
                               "elevateprivileges=deny,spawn=deny,"
                               "resourcecontrol=deny");
    g_autofree char *comm = NULL;
    g_autofree char *status = NULL;
    g_autofree char *smaps = NULL;

    qtest_writel(s, 0x1000, 1);
    comm = proc_file(qtest_pid(s), "comm");
    status = proc_file(qtest_pid(s), "status");
    smaps = proc_file(qtest_pid(s), "smaps");
    g_assert_cmpstr(comm, ==, "ddw-proc\n");
    g_assert_true(g_regex_match_simple("^Seccomp:\\s+2$", status,
                                       G_REGEX_MULTILINE, 0));
#ifndef __SANITIZE_ADDRESS__
    /* ASAN turns mlockall() into a no-op: check only in plain builds */
    g_assert_false(g_regex_match_simple("^VmLck:\\s+0 kB$", status,
                                        G_REGEX_MULTILINE, 0));
#endif
    /* the 256 MiB of guest RAM: not in core dumps */
    g_assert_true(g_regex_match_simple("^Size:\\s+262144 kB$(.|\\n)*?"
                                       "^VmFlags:.* dd", smaps,
                                       G_REGEX_MULTILINE, 0));
    qtest_quit(s);
}

/* libvirt's own start-up line, JSON -object secret and memory backend */
static void test_libvirt_command_line(void)
{
    g_autofree char *dir = g_dir_make_tmp("lvcmd-XXXXXX", NULL);
    g_autofree char *key = g_build_filename(dir, "master-key.aes", NULL);
    g_autofree char *args = NULL;
    QTestState *s;

    g_assert_true(g_file_set_contents(key, "0123456789abcdef0123456789abcdef",
                                      -1, NULL));
    args = g_strdup_printf(
        "-name guest=ddw1,debug-threads=on -S "
        "-object '{\"qom-type\":\"secret\",\"id\":\"masterKey0\","
        "\"format\":\"raw\",\"file\":\"%s\"}' "
        "-machine pseries-2.7,usb=off,dump-guest-core=off,"
        "memory-backend=ppc_spapr.ram -accel tcg -cpu POWER8 -m 1024 "
        "-object '{\"qom-type\":\"memory-backend-ram\","
        "\"id\":\"ppc_spapr.ram\",\"size\":1073741824}' "
        "-overcommit mem-lock=off -smp 1,sockets=1,cores=1,threads=1 "
        "-uuid 5e1b3e2a-0d0e-4d0e-9d0e-00000000dd01 -display none "
        "-no-user-config -nodefaults -rtc base=utc -no-shutdown "
        "-boot strict=on "
        "-device '{\"driver\":\"spapr-pci-host-bridge\",\"index\":1,"
        "\"id\":\"pci.1\"}' "
        "-audiodev '{\"id\":\"audio1\",\"driver\":\"none\"}' "
        "-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
        "resourcecontrol=deny -msg timestamp=on", key);
    s = qtest_init_bare(args);
    qtest_writel(s, 0x1000, 0x5a5a);
    g_assert_cmphex(qtest_readl(s, 0x1000), ==, 0x5a5a);
    qtest_quit(s);
    g_unlink(key);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/libvirt-cmdline/pidfile", test_pidfile);
    g_test_add_func("/libvirt-cmdline/pidfile-stale", test_pidfile_stale);
    g_test_add_func("/libvirt-cmdline/daemonize", test_daemonize);
    g_test_add_func("/libvirt-cmdline/daemonize-failure",
                    test_daemonize_failure);
    g_test_add_func("/libvirt-cmdline/chardev-fd/listening",
                    test_chardev_listen_fd);
    g_test_add_func("/libvirt-cmdline/chardev-fd/connected",
                    test_chardev_connected_fd);
    g_test_add_func("/libvirt-cmdline/chardev-fd/bad", test_chardev_bad_fd);
    g_test_add_func("/libvirt-cmdline/identity-in-tree",
                    test_identity_in_tree);
    g_test_add_func("/libvirt-cmdline/rtc", test_rtc_base_vm_clock);
    g_test_add_func("/libvirt-cmdline/msg-timestamp", test_msg_timestamp);
    g_test_add_func("/libvirt-cmdline/process-effects", test_process_effects);
    g_test_add_func("/libvirt-cmdline/libvirt-line", test_libvirt_command_line);
    return g_test_run();
}
