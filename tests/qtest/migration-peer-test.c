/*
 * Migration peers that misbehave, and a destination that cannot take
 * the state it is sent (issue 13):
 * - an exec: command that fails makes the outgoing migration fail (and
 *   the source goes on), never "completed";
 * - a peer that connects and sends nothing is dropped after
 *   x-incoming-timeout, and the destination can be migrated into again;
 * - a VFIO destination whose host refuses the incoming DDW window (its
 *   memlock limit) refuses the stream at its end: RAM written on arrival
 *   is discarded and the default window is as it was.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "libqos/migrate.h"
#include "libqos/rtas.h"

static char *error_desc(MigVm *vm)
{
    return mig_qmp_get_str(vm->qmp, "{\"execute\": \"query-migrate\"}",
                           "error-desc");
}

/* issue 13 item 13: it stops reading at once, or reads all then fails */
static void exec_fails(const char *uri)
{
    char *dir = mig_tmp_dir();
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.7", NULL);
    g_autofree char *st = NULL, *err = NULL, *rs = NULL;

    mig_populate_ram(src->qts);
    mig_migrate(src, uri);
    st = mig_wait_end(src);
    g_assert_cmpstr(st, ==, "failed");
    err = error_desc(src);
    g_test_message("%s", err);
    g_assert_nonnull(strstr(err, "exec"));
    rs = mig_run_status(src);
    g_assert_cmpstr(rs, ==, "prelaunch");   /* as before: started with -S */
    mig_check_ram(src->qts, true);
    mig_vm_quit(src);
    mig_rm_dir(dir);
}

static void test_exec_command_fails(void)
{
    exec_fails("exec:cat > /nonexistent/dir/f");
    exec_fails("exec:cat > /dev/null; exit 3");
}

/* issue 13 item 10: a silent peer gives the incoming slot back. */
static void test_silent_peer(void)
{
    char *dir = mig_tmp_dir();
    g_autofree char *sock = g_strdup_printf("%s/in.sock", dir);
    g_autofree char *cmd = g_strdup_printf(
        "{\"execute\": \"migrate-incoming\", \"arguments\": "
        "{\"uri\": \"unix:%s\"}}", sock);
    g_autofree char *st = NULL, *err = NULL, *st2 = NULL, *rs = NULL;
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    MigVm *src, *dst = mig_vm_start(dir, "dst", "pseries-2.7",
                                    "-incoming defer");
    int fd;

    mig_qmp_ok(dst->qmp, "{\"execute\": \"migrate-set-parameters\", "
               "\"arguments\": {\"x-incoming-timeout\": 1}}");
    mig_qmp_ok(dst->qmp, cmd);
    fd = qtest_unix_connect(sock);
    g_assert_cmpint(write(fd, "SDDW", 4), ==, 4);   /* then nothing */
    st = mig_wait_end(dst);
    g_assert_cmpstr(st, ==, "failed");
    err = error_desc(dst);
    g_assert_nonnull(strstr(err, "x-incoming-timeout"));
    close(fd);

    /* the slot is free: a real migration now goes through */
    src = mig_vm_start(dir, "src", "pseries-2.7", NULL);
    mig_populate_ram(src->qts);
    mig_qmp_ok(dst->qmp, cmd);
    mig_migrate(src, uri);
    st2 = mig_wait_end(dst);
    g_assert_cmpstr(st2, ==, "completed");
    mig_check_ram(dst->qts, true);
    rs = mig_run_status(dst);
    g_assert_cmpstr(rs, !=, "inmigrate");
    mig_vm_quit(src);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

/* issue 13 item 11: the host refuses the DDW window at the very end. */
static void test_vfio_refuses_window(void)
{
    char *dir = mig_tmp_dir();
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.7", VFIO_ARGS);
    g_autofree char *path = NULL, *incoming = NULL, *st = NULL, *err = NULL;
    MigVm *dst;

    mig_populate_ram(src->qts);
    mig_populate_tces(src->qts, true);
    path = mig_save_stream(src, dir, "vfio.mig");
    mig_vm_quit(src);

    /* RAM and the default window's table fit, the DDW table does not */
    incoming = g_strdup_printf(
        "-object vfio-spapr-host-emu,id=h0,memlock-limit=%s "
        "-device vfio-pci,host-emu=h0,addr=0 -incoming 'exec:cat %s'",
        "0x20030000", path);
    dst = mig_vm_start(dir, "dst", "pseries-2.7", incoming);
    st = mig_wait_end(dst);
    g_assert_cmpstr(st, ==, "failed");
    err = error_desc(dst);
    g_test_message("%s", err);
    g_assert_nonnull(strstr(err, "could not create a DMA window"));
    mig_check_dst_unchanged(dst);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/migration/peer/exec-command-fails",
                    test_exec_command_fails);
    g_test_add_func("/migration/peer/silent-peer", test_silent_peer);
    g_test_add_func("/migration/peer/vfio-refuses-window",
                    test_vfio_refuses_window);
    return g_test_run();
}
