/*
 * The VFIO SPAPR TCE v2 errno table, the only one: see the DOC block in
 * vfio-errno-table.h.  Kernel results were measured on Debian's 6.12.107
 * ppc64el kernels booted as PowerNV hosts (powernv8 and powernv9, 4K and
 * 64K pages); the API column follows Documentation/driver-api/vfio.rst
 * and the uAPI header comments.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <linux/vfio.h>

#include "vfio-errno-table.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)
/* An IOVA no window of a PowerNV PHB or a pseries PHB covers */
#define FAR_IOVA 0x100000000000ULL
/* Where the second DMA window opens on both PHB3/PHB4 and pseries */
#define DDW64_START (1ULL << 59)

#define SAME(r) .kernel = (r), .kernel_64k = (r), .api = (r)

const VfioErrnoRow vfio_errno_table[] = {
    /* Capabilities of a container with no IOMMU driver set yet */
    { "CHECK_EXTENSION(SPAPR_TCE_IOMMU)", VE_OP_CHECK_EXTENSION,
      .size = VFIO_SPAPR_TCE_IOMMU, SAME(1) },
    { "CHECK_EXTENSION(SPAPR_TCE_v2_IOMMU)", VE_OP_CHECK_EXTENSION,
      .size = VFIO_SPAPR_TCE_v2_IOMMU, SAME(1) },
    { "CHECK_EXTENSION(EEH)", VE_OP_CHECK_EXTENSION,
      .size = VFIO_EEH, SAME(1) },
    { "CHECK_EXTENSION(TYPE1_IOMMU)", VE_OP_CHECK_EXTENSION,
      .size = VFIO_TYPE1_IOMMU, SAME(0) },
    { "CHECK_EXTENSION(TYPE1v2_IOMMU)", VE_OP_CHECK_EXTENSION,
      .size = VFIO_TYPE1v2_IOMMU, SAME(0) },
    /* v2 containers are enabled by the first REGISTER_MEMORY */
    { "ENABLE on a v2 container", VE_OP_ENABLE, SAME(-ENOTTY) },
    { "EEH_PE_OP(GET_STATE)", VE_OP_EEH_GET_STATE, SAME(0) },
    { "MAP before any REGISTER_MEMORY", VE_OP_MAP, VE_BUF_UNREG, 0,
      VE_BASE_DEF, MiB, 64 * KiB, SAME(-EPERM) },

    /* Preregistration */
    { "REGISTER 1 MiB", VE_OP_REGISTER, VE_BUF_MAIN, 0, .size = MiB,
      SAME(0) },
    { "REGISTER the same range again", VE_OP_REGISTER, VE_BUF_MAIN, 0,
      .size = MiB, SAME(-EBUSY) },
    { "REGISTER an overlapping range", VE_OP_REGISTER, VE_BUF_MAIN,
      512 * KiB, .size = MiB, SAME(-EINVAL) },
    { "REGISTER unaligned vaddr", VE_OP_REGISTER, VE_BUF_MAIN, 1,
      .size = 64 * KiB, SAME(-EINVAL) },
    { "REGISTER unaligned size", VE_OP_REGISTER, VE_BUF_UNREG, 0,
      .size = 64 * KiB + 1, SAME(-EINVAL) },
    /* mm_iommu_do_alloc() returns the partial pin count */
    { "REGISTER a range whose last page is unmapped", VE_OP_REGISTER,
      VE_BUF_HOLE, 0, .kernel = 1, .kernel_64k = 1, .api = -EFAULT,
      .flags = VE_KERNEL_BUG | VE_WHOLE_BUF },
    /* vzalloc(0) fails with a WARN instead of a size check */
    { "REGISTER size 0", VE_OP_REGISTER, VE_BUF_UNREG, 0, .size = 0,
      .kernel = -ENOMEM, .kernel_64k = -ENOMEM, .api = -EINVAL,
      .flags = VE_KERNEL_BUG | VE_KERNEL_WARN },

    /* The default 32-bit window */
    { "MAP 64 KiB into the default window", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_DEF, MiB, 64 * KiB, SAME(0) },
    { "MAP the same IOVA again (v2 replaces)", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_DEF, MiB, 64 * KiB, SAME(0) },
    { "MAP unregistered memory", VE_OP_MAP, VE_BUF_UNREG, 0,
      VE_BASE_DEF, MiB + 64 * KiB, 64 * KiB, SAME(-EINVAL) },
    /* The same at IOVA 0 never returns on powernv8 (soft lockup) */
    { "MAP unregistered memory at IOVA 0", VE_OP_MAP, VE_BUF_UNREG, 0,
      VE_BASE_DEF, 0, 64 * KiB, SAME(-EINVAL), .flags = VE_DESTRUCTIVE },
    { "MAP half-registered memory", VE_OP_MAP, VE_BUF_MAIN, MiB - 32 * KiB,
      VE_BASE_DEF, MiB + 64 * KiB, 64 * KiB, SAME(-EINVAL) },
    { "MAP an IOVA outside every window", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_ABS, FAR_IOVA, 64 * KiB, SAME(-ENXIO) },
    /* iommu_tce_put_param_check() is a || expression */
    { "MAP unaligned IOVA", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_DEF, MiB + 0x800, 4 * KiB, .kernel = 1, .kernel_64k = 1,
      .api = -EINVAL, .flags = VE_KERNEL_BUG },
    { "MAP unaligned size", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_DEF, MiB + 128 * KiB, 0x800, SAME(-EINVAL) },
    { "MAP unaligned vaddr", VE_OP_MAP, VE_BUF_MAIN, 0x800,
      VE_BASE_DEF, MiB + 128 * KiB, 4 * KiB, SAME(-EINVAL) },
    { "DMA through the default window", VE_OP_DMA, VE_BUF_MAIN, 0,
      VE_BASE_DEF, MiB, 0x2000, SAME(0), .flags = VE_DEVICE },
    { "DMA to an unmapped IOVA of the default window", VE_OP_DMA,
      VE_BUF_MAIN, 0, VE_BASE_DEF, MiB, 0x40000, SAME(-EIO),
      .flags = VE_DEVICE },
    { "UNREGISTER with the wrong size", VE_OP_UNREGISTER, VE_BUF_MAIN, 0,
      .size = 512 * KiB, SAME(-ENOENT) },
    { "UNREGISTER never-registered memory", VE_OP_UNREGISTER, VE_BUF_UNREG,
      0, .size = MiB, SAME(-ENOENT) },
    { "UNREGISTER unaligned", VE_OP_UNREGISTER, VE_BUF_MAIN, 1,
      .size = MiB, SAME(-EINVAL) },
    /*
     * Linux drops the container's entry although TCEs still point into
     * it (the mm-level region stays pinned).  The three rows after it
     * follow from that: the API keeps the registration.
     */
    { "UNREGISTER while mapped", VE_OP_UNREGISTER, VE_BUF_MAIN, 0,
      .size = MiB, .kernel = 0, .kernel_64k = 0, .api = -EBUSY,
      .flags = VE_KERNEL_BUG | VE_KERNEL_WARN },
    { "  MAP after that UNREGISTER", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_DEF, MiB + 64 * KiB, 64 * KiB, SAME(0) },
    { "  UNREGISTER again", VE_OP_UNREGISTER, VE_BUF_MAIN, 0,
      .size = MiB, .kernel = -ENOENT, .kernel_64k = -ENOENT, .api = -EBUSY,
      .flags = VE_KERNEL_BUG },
    { "  REGISTER it again", VE_OP_REGISTER, VE_BUF_MAIN, 0, .size = MiB,
      .kernel = 0, .kernel_64k = 0, .api = -EBUSY, .flags = VE_KERNEL_BUG },
    { "UNMAP both 64 KiB maps", VE_OP_UNMAP, .base = VE_BASE_DEF,
      .ioff = MiB, .size = 128 * KiB, SAME(0) },
    { "UNMAP an already clear range", VE_OP_UNMAP, .base = VE_BASE_DEF,
      .ioff = MiB, .size = 64 * KiB, SAME(0) },
    /* iommu_tce_clear_param_check() is a || expression too */
    { "UNMAP unaligned IOVA", VE_OP_UNMAP, .base = VE_BASE_DEF,
      .ioff = MiB + 0x800, .size = 4 * KiB, .kernel = 1, .kernel_64k = 1,
      .api = -EINVAL, .flags = VE_KERNEL_BUG },
    /* Like MAP, only the first page is checked against the window */
    { "UNMAP across the end of the default window", VE_OP_UNMAP,
      .base = VE_BASE_DEF_END, .ioff = 32 * KiB, .size = 64 * KiB,
      .kernel = 0, .kernel_64k = 0, .api = -EINVAL,
      .flags = VE_KERNEL_BUG | VE_DESTRUCTIVE },
    { "UNMAP outside every window", VE_OP_UNMAP, .base = VE_BASE_ABS,
      .ioff = FAR_IOVA, .size = 4 * KiB, SAME(-ENXIO) },

    /* A dynamic 64-bit window next to the default one */
    { "CREATE page shift 13", VE_OP_CREATE, .size = GiB, .page_shift = 13,
      .levels = 1, SAME(-EINVAL) },
    { "CREATE 0 levels", VE_OP_CREATE, .size = GiB, .page_shift = 12,
      .levels = 0, SAME(-EINVAL) },
    { "CREATE more levels than GET_INFO allows", VE_OP_CREATE, .size = GiB,
      .page_shift = 12, SAME(-EINVAL), .flags = VE_LEVELS_MAX1 },
    { "CREATE a 3 GiB (not power of 2) window", VE_OP_CREATE,
      .size = 3 * GiB, .page_shift = 12, .levels = 1, SAME(-EINVAL) },
    /* 64K kernels: (level_shift - 3) * levels + page_shift >= 55 */
    { "CREATE 1 TiB, 64 KiB pages, 3 levels", VE_OP_CREATE, .size = TiB,
      .page_shift = 16, .levels = 3, .kernel = 0, .kernel_64k = -EINVAL,
      .api = 0, .flags = VE_PAGE_SIZE },
    { "REMOVE it", VE_OP_REMOVE, .base = VE_BASE_W0, SAME(0),
      .flags = VE_IF_CREATED },
    /* (16 - 3) * 2 + 16 < 55 on both: level pages of 64K entries fit */
    { "CREATE 1 TiB, 64 KiB pages, 2 levels", VE_OP_CREATE, .size = TiB,
      .page_shift = 16, .levels = 2, SAME(0) },
    { "REMOVE it", VE_OP_REMOVE, .base = VE_BASE_W0, SAME(0),
      .flags = VE_IF_CREATED },
    { "CREATE 4 GiB, 4 KiB pages, 1 level", VE_OP_CREATE, .size = 4 * GiB,
      .page_shift = 12, .levels = 1, .ioff = DDW64_START, SAME(0),
      .flags = VE_CHECK_START },
    { "CREATE a third window", VE_OP_CREATE, .size = GiB, .page_shift = 12,
      .levels = 1, .slot = 1, SAME(-ENOSPC) },
    { "MAP 64 KiB at 2 GiB into the new window", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_W0, 2 * GiB, 64 * KiB, SAME(0) },
    { "MAP just past the end of the new window", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_W0_END, 0, 64 * KiB, SAME(-ENXIO) },
    { "DMA through the 64-bit window", VE_OP_DMA, VE_BUF_MAIN, 0,
      VE_BASE_W0, 2 * GiB, 0x3000, SAME(0), .flags = VE_DEVICE },
    { "UNMAP it", VE_OP_UNMAP, .base = VE_BASE_W0, .ioff = 2 * GiB,
      .size = 64 * KiB, SAME(0) },
    { "REMOVE the 64-bit window", VE_OP_REMOVE, .base = VE_BASE_W0,
      SAME(0) },
    { "REMOVE it again", VE_OP_REMOVE, .base = VE_BASE_W0, SAME(-EINVAL) },
    { "REMOVE a start outside every window", VE_OP_REMOVE,
      .base = VE_BASE_ABS, .ioff = FAR_IOVA, SAME(-EINVAL) },

    /* What QEMU does for a DDW guest: drop the default window first */
    { "REMOVE the default window by an address inside it", VE_OP_REMOVE,
      .base = VE_BASE_DEF, .ioff = 0x1234000, .kernel = 0, .kernel_64k = 0,
      .api = -EINVAL, .flags = VE_KERNEL_BUG },
    { "  REMOVE the default window by its start", VE_OP_REMOVE,
      .base = VE_BASE_DEF, .kernel = -EINVAL, .kernel_64k = -EINVAL,
      .api = 0, .flags = VE_KERNEL_BUG },
    { "MAP into the removed default window", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_DEF, MiB, 64 * KiB, SAME(-ENXIO) },
    { "CREATE 16 GiB, 4 KiB pages, 2 levels (slot 0)", VE_OP_CREATE,
      .size = 16 * GiB, .page_shift = 12, .levels = 2, .ioff = 0, SAME(0),
      .flags = VE_CHECK_START },
    { "CREATE 4 GiB, 64 KiB pages, 1 level (slot 1)", VE_OP_CREATE,
      .size = 4 * GiB, .page_shift = 16, .levels = 1, .slot = 1,
      .ioff = DDW64_START, SAME(0), .flags = VE_CHECK_START },
    { "MAP into the 2-level window", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_W0, 64 * KiB, 64 * KiB, SAME(0) },
    { "DMA through the 2-level window", VE_OP_DMA, VE_BUF_MAIN, 0,
      VE_BASE_W0, 64 * KiB, 0x1000, SAME(0), .flags = VE_DEVICE },
    { "UNMAP it", VE_OP_UNMAP, .base = VE_BASE_W0, .ioff = 64 * KiB,
      .size = 64 * KiB, SAME(0) },
    /* An IOMMU page may not be larger than the backing page */
    { "MAP 4K-backed memory into a 64 KiB-page window", VE_OP_MAP,
      VE_BUF_MAIN, 0, VE_BASE_W1, 64 * KiB, 64 * KiB, .kernel = -EINVAL,
      .kernel_64k = 0, .api = -EINVAL, .flags = VE_PAGE_SIZE },
    { "REMOVE the 2-level window", VE_OP_REMOVE, .base = VE_BASE_W0,
      SAME(0) },
    { "REMOVE the 64 KiB-page window", VE_OP_REMOVE, .base = VE_BASE_W1,
      SAME(0) },

    /* Last, as Linux writes TCEs past the table here (opt-in) */
    { "CREATE 2 GiB, 4 KiB pages, 1 level", VE_OP_CREATE, .size = 2 * GiB,
      .page_shift = 12, .levels = 1, SAME(0) },
    { "MAP across the end of a window", VE_OP_MAP, VE_BUF_MAIN, 0,
      VE_BASE_W0_END, 32 * KiB, 64 * KiB, .kernel = 0, .kernel_64k = 0,
      .api = -EINVAL, .flags = VE_KERNEL_BUG | VE_DESTRUCTIVE },
    { "UNMAP across the end of a window", VE_OP_UNMAP,
      .base = VE_BASE_W0_END, .ioff = 32 * KiB, .size = 64 * KiB,
      .kernel = 0, .kernel_64k = 0, .api = -EINVAL,
      .flags = VE_KERNEL_BUG | VE_DESTRUCTIVE },
    { "UNMAP its in-window part", VE_OP_UNMAP, .base = VE_BASE_W0_END,
      .ioff = 32 * KiB, .size = 32 * KiB, SAME(0) },
    { "REMOVE the 2 GiB window", VE_OP_REMOVE, .base = VE_BASE_W0,
      SAME(0) },
    { "UNREGISTER 1 MiB", VE_OP_UNREGISTER, VE_BUF_MAIN, 0, .size = MiB,
      SAME(0) },
    { "UNREGISTER it again", VE_OP_UNREGISTER, VE_BUF_MAIN, 0,
      .size = MiB, SAME(-ENOENT) },
    { "UNSET_CONTAINER with the device open", VE_OP_UNSET_CONTAINER,
      SAME(-EBUSY), .flags = VE_DEVICE },
};

const unsigned vfio_errno_table_len =
    sizeof(vfio_errno_table) / sizeof(vfio_errno_table[0]);

int vfio_errno_row_kernel(const VfioErrnoRow *row, long page_size)
{
    if ((row->flags & VE_PAGE_SIZE) && page_size >= 65536) {
        return row->kernel_64k;
    }
    return row->kernel;
}

const char *vfio_errno_op_name(VfioErrnoOp op)
{
    static const char *const names[] = {
        [VE_OP_CHECK_EXTENSION] = "CHECK_EXTENSION",
        [VE_OP_ENABLE] = "ENABLE",
        [VE_OP_EEH_GET_STATE] = "EEH_PE_OP",
        [VE_OP_REGISTER] = "REGISTER_MEMORY",
        [VE_OP_UNREGISTER] = "UNREGISTER_MEMORY",
        [VE_OP_MAP] = "MAP_DMA",
        [VE_OP_UNMAP] = "UNMAP_DMA",
        [VE_OP_CREATE] = "TCE_CREATE",
        [VE_OP_REMOVE] = "TCE_REMOVE",
        [VE_OP_DMA] = "EDU_DMA",
        [VE_OP_UNSET_CONTAINER] = "UNSET_CONTAINER",
    };

    if ((unsigned)op >= sizeof(names) / sizeof(names[0]) || !names[op]) {
        return "?";
    }
    return names[op];
}

static const char *errno_name(int e)
{
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ENOSPC: return "ENOSPC";
    case ENOTTY: return "ENOTTY";
    case ENOSYS: return "ENOSYS";
    default: return NULL;
    }
}

const char *vfio_errno_result_str(int result)
{
    static char buf[24];
    const char *name = result < 0 ? errno_name(-result) : NULL;

    if (name) {
        snprintf(buf, sizeof(buf), "-%s", name);
    } else if (result > 0) {
        snprintf(buf, sizeof(buf), "+%d", result);
    } else {
        snprintf(buf, sizeof(buf), "%d", result);
    }
    return buf;
}
