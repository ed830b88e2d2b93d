/*
 * The SPAPR TCE v2 errno table: every row of
 * docs/devel/spapr-tce-v2-host.md as a little program of VFIO
 * requests with the answer each step must get, runnable on any VFIOHost
 * transport (the emulated host in tests/unit/test-vfio-host-emu.c, or the
 * real /dev/vfio of a PowerNV host with hw/vfio/host-linux.c).
 *
 * Each step carries the answer the documented API gives (which the
 * emulated host implements) and, where Linux 6.12 departs from it (rows
 * marked (!) in the table, or platform differences), the kernel's answer
 * as measured on the Debian ppc64el (64K page) kernel; VFIOErrnoEnv.kernel
 * picks which one to expect.
 *
 * Rows run on a fresh container with the group attached, and with the
 * IOMMU type of the row set.  Memory steps use offsets into a buffer the
 * runner maps (VFIO_ERRNO_BUF_SIZE bytes, small pages, followed by an
 * unmapped hole).  DMA steps drive the edu device behind the group (its
 * dma_mask must cover 1 << 59 on a real host: -device edu,dma_mask=-1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_VFIO_ERRNO_TABLE_H
#define TESTS_UNIT_VFIO_ERRNO_TABLE_H

#include "hw/vfio/vfio-host.h"

#define VFIO_ERRNO_BUF_SIZE     (16ULL << 20)
#define VFIO_ERRNO_HOLE_SIZE    (1ULL << 20)
#define VFIO_ERRNO_MAX_STEPS    8
/* Expected: 0 if the buffer's pages are >= 1 << d bytes, else -EINVAL. */
#define VFIO_ERRNO_BACKING      (INT_MIN + 1)
/*
 * Expected of a TCE_CREATE (page shift a, size b, levels c) on a kernel
 * with this process's page size: -EINVAL when its level pages cannot
 * cover the window ((level_shift - 3) * levels + page_shift >= 55), else 0.
 */
#define VFIO_ERRNO_LEVEL_LIMIT  (INT_MIN + 2)

typedef enum VFIOErrnoOp {
    VEO_END = 0,
    VEO_CHECK_EXTENSION,    /* a: extension; the answer is the result */
    VEO_ENABLE,
    VEO_GET_INFO,           /* checks DDW, pgsizes == a, levels == b */
    VEO_REGISTER,           /* buffer offset a, size b */
    VEO_UNREGISTER,         /* buffer offset a, size b */
    VEO_MAP,                /* iova a, size b, buffer offset c, read+write */
    VEO_UNMAP,              /* iova a, size b; size must come back as b */
    VEO_CREATE,             /* page shift a, size b, levels c; start == d */
    VEO_REMOVE,             /* start a */
    VEO_OPEN_DEVICE,
    VEO_UNSET_CONTAINER,
    VEO_EEH_GET_STATE,
    VEO_DMA_READ,           /* device reads b bytes at iova a: buffer c */
    VEO_DMA_WRITE,          /* device writes b bytes to iova a: buffer c */
} VFIOErrnoOp;

typedef struct VFIOErrnoStep {
    VFIOErrnoOp op;
    uint64_t a, b, c, d;
    int expect;             /* documented API: >= 0 result or -errno */
    bool kernel_differs;
    int kernel;             /* Linux 6.12 when kernel_differs */
} VFIOErrnoStep;

typedef struct VFIOErrnoRow {
    const char *name;       /* short, for test paths */
    const char *doc;        /* the operation, as the table words it */
    const char *note;       /* why the kernel differs, or NULL */
    uint32_t iommu;         /* VFIO_SPAPR_TCE_v2_IOMMU, ..., or 0: unset */
    VFIOErrnoStep steps[VFIO_ERRNO_MAX_STEPS];
} VFIOErrnoRow;

typedef struct VFIOErrnoEnv {
    VFIOHost *host;
    bool kernel;            /* expect Linux 6.12's answers */
    /* Lets an edu DMA (100 ms) complete. */
    void (*wait_dma)(void *opaque);
    void *opaque;
} VFIOErrnoEnv;

extern const VFIOErrnoRow vfio_errno_rows[];
extern const size_t vfio_errno_nr_rows;

/*
 * The answer a step must get, documented or (kernel) Linux 6.12's, from a
 * kernel with base pages of kernel_page bytes (4K or 64K).
 */
int vfio_errno_expected(const VFIOErrnoStep *s, bool kernel,
                        uint64_t kernel_page);

/*
 * Runs one row on a fresh container and closes everything after it.
 * False, with *msg (g_free it) naming the step, on the first answer that
 * is not the expected one.
 */
bool vfio_errno_run_row(const VFIOErrnoEnv *env, const VFIOErrnoRow *row,
                        char **msg);

#endif
