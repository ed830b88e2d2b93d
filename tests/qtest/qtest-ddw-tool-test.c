/*
 * tools/qtest-ddw (the DDW bring-up that check-libvirt runs over a
 * domain's qtest socket) against a machine started as libvirt starts it:
 * edu on PHB 1, on the 2.7 PHB placement and on the one of 2.8 and
 * later, which the tool finds by probing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>
#include <stdio.h>
#include <signal.h>
#include <sys/wait.h>
#include "libqtest.h"

static char *tool_path(void)
{
    g_autofree char *dir = g_path_get_dirname(qtest_binary());

    return g_build_filename(dir, "tools", "qtest-ddw", NULL);
}

/* The machine, with its qtest socket at path; it dies with the test. */
static GPid start_machine(const char *machine, const char *path)
{
    g_autofree char *qtest = g_strdup_printf("unix:%s,server=on,wait=off",
                                             path);
    const char *argv[] = {
        qtest_binary(), "-M", machine, "-m", "512", "-display", "none",
        "-device", "spapr-pci-host-bridge,index=1",
        "-device", "edu,bus=pci.1,dma_mask=0xffffffffffffffff",
        "-qtest", qtest, NULL,
    };
    GPid pid;
    g_autoptr(GError) err = NULL;

    g_assert_true(g_spawn_async(NULL, (char **)argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD |
                                G_SPAWN_STDOUT_TO_DEV_NULL,
                                qtest_child_setup,
                                GINT_TO_POINTER(getpid()), &pid, &err));
    return pid;
}

static void run_tool(const char *sock, const char *step, const char *expect)
{
    g_autofree char *tool = tool_path();
    const char *argv[] = { tool, sock, step, "512", NULL };
    g_autofree char *out = NULL, *errout = NULL;
    g_autoptr(GError) err = NULL;
    int status;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0,
                               qtest_child_setup, GINT_TO_POINTER(getpid()),
                               &out, &errout, &status, &err));
    if (!g_spawn_check_wait_status(status, NULL)) {
        fprintf(stderr, "qtest-ddw %s: %s%s", step, out, errout);
    }
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(out, expect));
}

static void test_tool(gconstpointer data)
{
    const char *machine = data;
    g_autofree char *dir = g_dir_make_tmp("qtest-ddw-XXXXXX", NULL);
    g_autofree char *sock = g_build_filename(dir, "qtest.sock", NULL);
    GPid pid = start_machine(machine, sock);
    int status;

    /* the tool connects with qtest_connect(), which waits for the socket */
    run_tool(sock, "bringup", "edu DMA through the window: 256 bytes");
    run_tool(sock, "verify", "guest RAM holds the DMA'd bytes");
    kill(pid, SIGTERM);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_spawn_close_pid(pid);
    unlink(sock);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/ppc64/tools/qtest-ddw/pseries-2.7", "pseries-2.7",
                         test_tool);
    g_test_add_data_func("/ppc64/tools/qtest-ddw/pseries-7.2", "pseries-7.2",
                         test_tool);
    return g_test_run();
}
