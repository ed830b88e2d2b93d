/*
 * The errno table (vfio-errno-table.c) run on any VFIOHost transport: the
 * emulated host (tests/unit/test-vfio-host-emu.c) or a real /dev/vfio
 * through hw/vfio/host-linux.c (tests/powernv/vfio-errno-kernel.c).
 *
 * The scenario is the table's, top to bottom on one container: the
 * CHECK_EXTENSION rows before any group is attached, then the group is
 * attached to a SPAPR TCE v2 container, its device opened (memory decode
 * and bus mastering on) and every other row run in order.  Device DMA
 * moves bytes iova -> edu buffer -> iova + size with the edu's registers
 * only, so it works on QEMU's real edu as on the emulated one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_VFIO_ERRNO_RUN_H
#define TESTS_UNIT_VFIO_ERRNO_RUN_H

#include <linux/vfio.h>
#include "hw/vfio/vfio-host.h"
#include "vfio-errno-table.h"

typedef struct VfioErrnoRunEnv {
    VFIOHost *host;
    bool kernel;            /* expect Linux 6.12's answers, else the API's */
    bool destructive;       /* also the VE_DESTRUCTIVE rows */
    /* Lets an edu DMA (100 ms) complete. */
    void (*wait_dma)(void *opaque);
    /* Each row: ran (false: skipped), its answer and the expected one. */
    void (*report)(void *opaque, unsigned i, const VfioErrnoRow *row,
                   bool ran, int got, int want);
    void *opaque;
    /* Out: GET_INFO of the attached container */
    struct vfio_iommu_spapr_tce_info info;
} VfioErrnoRunEnv;

/* What a run found: rows passed, failed, skipped. */
typedef struct VfioErrnoCounts {
    unsigned passed, failed, skipped;
} VfioErrnoCounts;

/*
 * Runs the whole table and closes everything it opened.  False, with
 * *msg (g_free it), when the scenario could not be set up (the rows
 * counted so far stand); a row with another answer than the expected
 * one is counted failed, not an error.
 */
bool vfio_errno_run(VfioErrnoRunEnv *env, VfioErrnoCounts *n, char **msg);

#endif
