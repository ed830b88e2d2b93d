/*
 * The emulated POWER host for VFIO: "-object vfio-spapr-host-emu,id=ID".
 *
 * One IOMMU group holding one edu-compatible PCI function behind a PHB3-like
 * IOMMU, reached through the VFIOHostOps of hw/vfio/vfio-host.h with the
 * real <linux/vfio.h> requests.  It answers as Linux 6.12's SPAPR TCE v2
 * IOMMU does, except where the kernel departs from its documented API
 * (docs/devel/spapr-tce-v2-host.md, rows marked (!)): there it
 * answers as documented.
 *
 * The inspection functions below let tests compare the host's TCE tables
 * with the guest's; they look at the container the group is attached to.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VFIO_HOST_EMU_H
#define HW_VFIO_HOST_EMU_H

#include "hw/vfio/vfio-host.h"
#include "qapi/error.h"

#define TYPE_VFIO_SPAPR_HOST_EMU "vfio-spapr-host-emu"

/* The group's only device, as VFIO_GROUP_GET_DEVICE_FD wants it. */
#define VFIO_HOST_EMU_DEVICE_NAME   "0000:00:01.0"

/* Defaults: a POWER8 PHB3 (4K 64K 16M 256M IOMMU pages, 5 levels). */
#define VFIO_HOST_EMU_PGSIZES       0x11011000ULL
#define VFIO_HOST_EMU_MAX_LEVELS    5
/* Unlimited unless memlock-limit says otherwise (like ulimit -l). */
#define VFIO_HOST_EMU_MEMLOCK       UINT64_MAX
#define VFIO_HOST_EMU_DMA32_START   0x0ULL
#define VFIO_HOST_EMU_DMA32_SIZE    0x80000000ULL
#define VFIO_HOST_EMU_DMA64_START   (1ULL << 59)

/* TCE permission bits as the tables store them. */
#define VFIO_HOST_EMU_TCE_READ      1
#define VFIO_HOST_EMU_TCE_WRITE     2

typedef struct VFIOHostEmuWindow {
    unsigned slot;              /* 0 or 1 */
    uint64_t start;             /* bus address */
    uint64_t size;
    unsigned page_shift;
    unsigned levels;
    uint64_t mapped_pages;      /* valid TCEs */
    uint64_t level_pages;       /* table pages allocated so far */
    uint64_t charged;           /* bytes charged to memlock */
} VFIOHostEmuWindow;

typedef struct VFIOHostEmuPrereg {
    uint64_t vaddr;
    uint64_t size;
    unsigned page_shift;        /* the largest IOMMU page it can back */
    uint64_t mapped;            /* TCEs pointing into it */
} VFIOHostEmuPrereg;

/* Called for every valid TCE, in bus address order; false stops. */
typedef bool VFIOHostEmuTceFn(uint64_t iova, uint64_t vaddr, int perm,
                              unsigned page_shift, void *opaque);

/*
 * The VFIOHost of the -object with that id, or NULL with errp set.  A user
 * that keeps it (a vfio-pci device) holds a reference meanwhile, so that
 * object-del is refused while the host is in use.
 */
VFIOHost *vfio_host_emu_find(const char *id, Error **errp);
void vfio_host_emu_ref(VFIOHost *h);
void vfio_host_emu_unref(VFIOHost *h);

/* The TCE covering iova: false when none is valid there. */
bool vfio_host_emu_lookup(VFIOHost *h, uint64_t iova, uint64_t *vaddr,
                          int *perm);
/* Fills up to max windows; returns how many exist. */
unsigned vfio_host_emu_windows(VFIOHost *h, VFIOHostEmuWindow *w,
                               unsigned max);
bool vfio_host_emu_default_window_pending(VFIOHost *h);
/* Fills up to max preregistered regions; returns how many exist. */
unsigned vfio_host_emu_preregs(VFIOHost *h, VFIOHostEmuPrereg *p,
                               unsigned max);
/* False if fn stopped the walk. */
bool vfio_host_emu_foreach_tce(VFIOHost *h, VFIOHostEmuTceFn *fn,
                               void *opaque);
uint64_t vfio_host_emu_memlock_used(VFIOHost *h);
/* How many times a request was issued (any fd, any result). */
uint64_t vfio_host_emu_ioctl_count(VFIOHost *h, unsigned long request);
/* The "iommu" of the group's container: NULL, "spapr-tce-v1" or "-v2". */
const char *vfio_host_emu_iommu(VFIOHost *h);

#endif
