/*
 * The shared errno table (tests/unit/vfio-errno-table.c, which the
 * emulated host's unit test runs with the documented answers) run against
 * the real Linux kernel of a PowerNV host, through the project's own
 * linux transport (hw/vfio/host-linux.c), expecting Linux 6.12's answers.
 *
 *   vfio-errno-kernel DDDD:BB:DD.F
 *
 * Output: one "VS-ROW NAME PASS|FAIL|XFAIL|SKIP detail" line per row, then
 * "VS-SUMMARY passed=N failed=N xfail=N skipped=N".  XFAIL rows are the
 * ones the shared table cannot express for this host (listed below with
 * why); tests/powernv/vfio-errno-test.c covers their operations directly.
 * Rows that corrupt kernel memory are skipped unless
 * VFIO_ERRNO_DESTRUCTIVE=1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/vfio/vfio-common.h"
#include "../unit/vfio-errno-table.h"

typedef enum ErrnoXfailMode {
    XF_FAIL,                /* run; the answer is known to differ */
    XF_SKIP,                /* not run */
    XF_DESTRUCTIVE,         /* not run without VFIO_ERRNO_DESTRUCTIVE */
} ErrnoXfailMode;

typedef struct ErrnoXfail {
    const char *row;
    ErrnoXfailMode mode;
    long page_size;         /* only with this system page size; 0: any */
    const char *machine;    /* only on this machine ("powernv9"); or NULL */
    const char *why;
} ErrnoXfail;

#define NO_EDU_BUF "DMA steps move data through the edu buffer in BAR0, " \
    "which QEMU's edu does not decode"

static const ErrnoXfail errno_xfails[] = {
    { "map-crossing-end", XF_DESTRUCTIVE, 0, NULL, "Linux writes TCEs past "
      "the end of the default window's table: kernel memory corruption" },
    { "map-unregistered", XF_DESTRUCTIVE, 0, NULL, "a MAP_DMA at IOVA 0 "
      "whose first page is unregistered hangs a powernv8 host (soft "
      "lockup, every run); at other IOVAs it is EINVAL" },
    { "map-default-window", XF_SKIP, 0, NULL, NO_EDU_BUF },
    { "map-same-iova", XF_SKIP, 0, NULL, NO_EDU_BUF },
    { "create-4g", XF_SKIP, 0, NULL, NO_EDU_BUF },
    { "remove-default-create-twice", XF_SKIP, 0, NULL, NO_EDU_BUF },
    { "register-unmapped-tail", XF_FAIL, 4096, NULL, "the leaked return "
      "is the number of pages pinned: 1 with 64K pages, 16 with 4K pages" },
    { "get-info", XF_FAIL, 0, "powernv9", "the row holds PHB3's page "
      "sizes; PHB4 offers 4K 64K 2M 1G" },
};

static const ErrnoXfail *errno_xfail(const VFIOErrnoRow *row,
                                     const char *machine)
{
    for (size_t i = 0; i < G_N_ELEMENTS(errno_xfails); i++) {
        const ErrnoXfail *x = &errno_xfails[i];

        if (!strcmp(x->row, row->name) &&
            (!x->page_size || x->page_size == getpagesize()) &&
            (!x->machine || !g_strcmp0(x->machine, machine))) {
            return x;
        }
    }
    return NULL;
}

static void errno_wait_dma(void *opaque)
{
    g_usleep(100 * 1000);
}

int main(int argc, char **argv)
{
    Error *err = NULL;
    VFIOErrnoEnv env = { .kernel = true, .wait_dma = errno_wait_dma };
    const char *machine = g_getenv("PNV_MACHINE");
    bool destructive = g_getenv("VFIO_ERRNO_DESTRUCTIVE") != NULL;
    g_auto(GStrv) skip = g_getenv("VFIO_ERRNO_SKIP") ?
        g_strsplit(g_getenv("VFIO_ERRNO_SKIP"), ",", -1) : NULL;
    unsigned n[4] = { 0, 0, 0, 0 };     /* passed, failed, xfail, skipped */

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
    for (size_t i = 0; i < vfio_errno_nr_rows; i++) {
        const VFIOErrnoRow *row = &vfio_errno_rows[i];
        const ErrnoXfail *x = errno_xfail(row, machine);
        g_autofree char *msg = NULL;
        bool ok;

        if (x && (x->mode == XF_SKIP ||
                  (x->mode == XF_DESTRUCTIVE && !destructive))) {
            n[3]++;
            printf("VS-ROW %s SKIP not run (%s)\n", row->name, x->why);
            continue;
        }
        if (skip && g_strv_contains((const char * const *)skip, row->name)) {
            n[3]++;
            printf("VS-ROW %s SKIP not run (VFIO_ERRNO_SKIP)\n", row->name);
            continue;
        }
        /* A row that hangs the kernel is then named on the console */
        printf("VS-START %s\n", row->name);
        ok = vfio_errno_run_row(&env, row, &msg);
        if (x) {
            n[2]++;
            printf("VS-ROW %s XFAIL %s (%s)\n", row->name,
                   ok ? "passed anyway" : msg, x->why);
        } else {
            n[ok ? 0 : 1]++;
            printf("VS-ROW %s %s %s\n", row->name, ok ? "PASS" : "FAIL",
                   ok ? row->doc : msg);
        }
    }
    printf("VS-SUMMARY passed=%u failed=%u xfail=%u skipped=%u\n", n[0],
           n[1], n[2], n[3]);
    vfio_host_linux_free(env.host);
    return n[1] ? 3 : 0;
}
