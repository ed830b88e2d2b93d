/*
 * VFIO SPAPR TCE v2 container: operation -> expected result, row by row.
 *
 * DOC: the errno table
 *
 * One scenario, run top to bottom against a fresh v2 container with one
 * group attached: every row is one ioctl (or one device DMA) whose
 * arguments are symbolic, so the same rows drive every host.  This is the
 * one table: a kernel finding goes here and nowhere else.  It runs
 *
 *  - on the emulated host, expecting @api (tests/unit/test-vfio-host-emu.c
 *    through vfio-errno-run.c and the VFIOHostOps);
 *  - on the real Linux 6.12 kernel of a PowerNV host (make check-powernv),
 *    expecting @kernel, twice: with raw ioctls from a static program
 *    (tests/powernv/vfio-errno-test.c) and through the project's own
 *    linux transport (tests/powernv/vfio-errno-kernel.c, vfio-errno-run.c
 *    over hw/vfio/host-linux.c).
 *
 * Each row carries two expected results:
 *
 *  - @kernel: what Linux 6.12 answers (measured; @kernel_64k when the
 *    host runs with 64K pages and the row has VE_PAGE_SIZE);
 *  - @api: what the documented uAPI says.  They differ only on the rows
 *    flagged VE_KERNEL_BUG (the "(!)" rows of the design note), where an
 *    emulated host is expected to answer like @api.
 *
 * Results are encoded as the ioctl returns them: 0, a negative errno, or
 * the positive value a buggy path leaks out.  For VE_OP_DMA rows 0 means
 * "the bytes arrived" and -EIO "they did not".
 *
 * Buffers (vaddr side): VE_BUF_MAIN is 1 MiB, 64 KiB aligned, populated,
 * with 1 MiB of populated memory after it; VE_BUF_UNREG is populated and
 * never registered; VE_BUF_HOLE is two system pages whose second page is
 * unmapped.  IOVA side: an offset from a base (absolute, the default
 * 32-bit window, or a window a VE_OP_CREATE row stored in a slot).
 *
 * This file and vfio-errno-table.c need libc and <linux/vfio.h> only (no
 * glib, no qemu/osdep.h): the static PowerNV program is built from them
 * with a bare cross compiler.
 */
#ifndef TESTS_UNIT_VFIO_ERRNO_TABLE_H
#define TESTS_UNIT_VFIO_ERRNO_TABLE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum VfioErrnoOp {
    VE_OP_CHECK_EXTENSION,  /* size = extension id; result = return value */
    VE_OP_ENABLE,           /* VFIO_IOMMU_ENABLE */
    VE_OP_EEH_GET_STATE,    /* VFIO_EEH_PE_OP(GET_STATE) */
    VE_OP_REGISTER,         /* VFIO_IOMMU_SPAPR_REGISTER_MEMORY */
    VE_OP_UNREGISTER,       /* VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY */
    VE_OP_MAP,              /* VFIO_IOMMU_MAP_DMA, read + write */
    VE_OP_UNMAP,            /* VFIO_IOMMU_UNMAP_DMA */
    VE_OP_CREATE,           /* VFIO_IOMMU_SPAPR_TCE_CREATE, start -> slot */
    VE_OP_REMOVE,           /* VFIO_IOMMU_SPAPR_TCE_REMOVE */
    VE_OP_DMA,              /* edu: 256 bytes iova -> edu -> iova + size */
    VE_OP_UNSET_CONTAINER,  /* VFIO_GROUP_UNSET_CONTAINER, device fd open */
} VfioErrnoOp;

typedef enum VfioErrnoBuf {
    VE_BUF_MAIN,
    VE_BUF_UNREG,
    VE_BUF_HOLE,
} VfioErrnoBuf;

typedef enum VfioErrnoBase {
    VE_BASE_ABS,            /* ioff is the IOVA */
    VE_BASE_DEF,            /* default window start + ioff */
    VE_BASE_DEF_END,        /* default window end - ioff */
    VE_BASE_W0,             /* window slot 0 start + ioff */
    VE_BASE_W0_END,         /* window slot 0 end - ioff */
    VE_BASE_W1,
    VE_BASE_W1_END,
} VfioErrnoBase;

enum {
    VE_KERNEL_BUG = 1 << 0,  /* Linux departs from the documented API */
    VE_PAGE_SIZE = 1 << 1,   /* result depends on the system page size */
    VE_WHOLE_BUF = 1 << 2,   /* size = the whole buffer */
    VE_LEVELS_MAX1 = 1 << 3, /* levels = GET_INFO levels + 1 */
    VE_CHECK_START = 1 << 4, /* CREATE: start_addr must equal @ioff */
    VE_IF_CREATED = 1 << 5,  /* skip unless the slot holds a window */
    VE_DEVICE = 1 << 6,      /* needs the edu device (DMA, device fd) */
    VE_KERNEL_WARN = 1 << 7, /* Linux WARNs (now or at process exit) */
    /*
     * Linux writes TCEs past the end of the window's table (kernel memory
     * corruption: an Oops was seen) or hangs.  Runners on a real kernel
     * skip these rows unless asked (VFIO_ERRNO_DESTRUCTIVE=1).
     */
    VE_DESTRUCTIVE = 1 << 8,
};

typedef struct VfioErrnoRow {
    const char *name;
    VfioErrnoOp op;
    VfioErrnoBuf buf;
    uint64_t voff;          /* vaddr = buffer + voff */
    VfioErrnoBase base;
    uint64_t ioff;          /* IOVA (or window start) relative to base */
    uint64_t size;          /* bytes; CREATE: window size */
    uint32_t page_shift;    /* CREATE */
    uint32_t levels;        /* CREATE */
    unsigned slot;          /* CREATE: slot that receives start_addr */
    int kernel;             /* Linux 6.12, 4K pages */
    int kernel_64k;         /* Linux 6.12, 64K pages (VE_PAGE_SIZE rows) */
    int api;                /* documented uAPI, 4K host pages */
    unsigned flags;
} VfioErrnoRow;

extern const VfioErrnoRow vfio_errno_table[];
extern const unsigned vfio_errno_table_len;

/* Expected result of @row on Linux with @page_size-byte system pages. */
int vfio_errno_row_kernel(const VfioErrnoRow *row, long page_size);
/* Name of @op, for logs ("MAP_DMA", ...). */
const char *vfio_errno_op_name(VfioErrnoOp op);
/* "0", "-EINVAL", "+1": a result as the table writes it (static buffer). */
const char *vfio_errno_result_str(int result);

#endif
