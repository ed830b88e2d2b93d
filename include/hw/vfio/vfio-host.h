/*
 * VFIO host transports: how the container code reaches a host IOMMU.
 *
 * One container code path (hw/vfio/common.c, hw/vfio/spapr.c) talks to
 * the host only through these operations, with the real kernel UAPI
 * requests and structs of <linux/vfio.h>.  Two transports implement them:
 *   - linux (hw/vfio/host-linux.c): /dev/vfio, real ioctl(2), pread(2);
 *   - emu (hw/vfio/host-emu/): an emulated POWER host, "-object
 *     vfio-spapr-host-emu,id=ID", answering each request as a Linux 6.12
 *     SPAPR TCE v2 IOMMU does (docs/devel/spapr-tce-v2-host.md).
 *
 * Convention: every operation returns >= 0 on success and -errno on
 * failure (kernel-facing layer).  A positive ioctl return is passed up as
 * the kernel gave it (some kernel bugs return +1; callers must cope).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VFIO_VFIO_HOST_H
#define HW_VFIO_VFIO_HOST_H

#include <sys/types.h>

typedef struct VFIOHost VFIOHost;

typedef struct VFIOHostOps {
    const char *name;                       /* "linux" or "emu" */
    /* Opens a new container (/dev/vfio/vfio); fd or -errno. */
    int (*open_container)(VFIOHost *h);
    /* Opens the IOMMU group holding the host device; fd or -errno. */
    int (*open_group)(VFIOHost *h);
    /* Any VFIO ioctl on a container, group or device fd. */
    int (*ioctl)(VFIOHost *h, int fd, unsigned long request, void *arg);
    /* Region access on a device fd at a VFIO region offset. */
    ssize_t (*pread)(VFIOHost *h, int fd, void *buf, size_t len,
                     off_t offset);
    ssize_t (*pwrite)(VFIOHost *h, int fd, const void *buf, size_t len,
                      off_t offset);
    void (*close)(VFIOHost *h, int fd);
    /*
     * The host kernel's base page size: what REGISTER_MEMORY aligns to and
     * the smallest page backing ordinary memory (64K on most POWER hosts).
     */
    uint64_t (*host_page_size)(VFIOHost *h);
    /*
     * Optional: a device holds the host it found by id while it uses it
     * (the -object cannot be deleted meanwhile), and releases it.
     */
    void (*hold)(VFIOHost *h);
    void (*release)(VFIOHost *h);
} VFIOHostOps;


struct VFIOHost {
    const VFIOHostOps *ops;
    /* The device name for VFIO_GROUP_GET_DEVICE_FD ("0000:00:01.0"). */
    char *device_name;
    void *opaque;
};

static inline uint64_t vfio_host_page_size(VFIOHost *h)
{
    return h && h->ops->host_page_size ? h->ops->host_page_size(h)
                                       : (uint64_t)getpagesize();
}

#endif
