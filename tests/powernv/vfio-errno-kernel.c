/*
 * The errno table (tests/unit/vfio-errno-table.c, which the emulated
 * host's unit test runs with the documented answers, and
 * vfio-errno-test.c with raw ioctls) run against the real Linux kernel of
 * a PowerNV host through the project's own linux transport
 * (hw/vfio/host-linux.c, by tests/unit/vfio-errno-run.c), expecting Linux
 * 6.12's answers: the same rows, so a transport bug shows as a row that
 * passes in one and fails in the other.
 *
 *   vfio-errno-kernel DDDD:BB:DD.F
 *
 * Output: one "VS-ROW N PASS|FAIL|SKIP detail NAME" line per row, then
 * "VS-SUMMARY passed=N failed=N xfail=0 skipped=N".  Rows that corrupt
 * kernel memory are skipped unless VFIO_ERRNO_DESTRUCTIVE=1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/vfio/vfio-common.h"
#include "../unit/vfio-errno-run.h"

static void errno_wait_dma(void *opaque)
{
    g_usleep(100 * 1000);
}

static void errno_report(void *opaque, unsigned i, const VfioErrnoRow *row,
                         bool ran, int got, int want)
{
    g_autofree char *g = g_strdup(vfio_errno_result_str(got));

    if (!ran) {
        printf("VS-ROW %02u SKIP not run (%s) %s\n", i,
               (row->flags & VE_DESTRUCTIVE) ? "destructive" :
               (row->flags & VE_DEVICE) ? "no device" : "no such window",
               row->name);
        return;
    }
    printf("VS-ROW %02u %s op=%s got=%s kernel=%s %s\n", i,
           got == want ? "PASS" : "FAIL", vfio_errno_op_name(row->op), g,
           vfio_errno_result_str(want), row->name);
}

int main(int argc, char **argv)
{
    Error *err = NULL;
    VfioErrnoRunEnv env = {
        .kernel = true, .wait_dma = errno_wait_dma, .report = errno_report,
        .destructive = g_getenv("VFIO_ERRNO_DESTRUCTIVE") != NULL,
    };
    VfioErrnoCounts n;
    g_autofree char *msg = NULL;
    bool ok;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DDDD:BB:DD.F\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    env.host = vfio_host_linux_new(argv[1], NULL, &err);
    if (!env.host) {
        printf("VS-ERROR %s\n", error_get_pretty(err));
        error_free(err);
        return 1;
    }
    ok = vfio_errno_run(&env, &n, &msg);
    if (!ok) {
        printf("VS-ERROR %s\n", msg);
    }
    printf("VS-SUMMARY passed=%u failed=%u xfail=0 skipped=%u\n", n.passed,
           n.failed + !ok, n.skipped);
    vfio_host_linux_free(env.host);
    return ok && !n.failed ? 0 : 3;
}
