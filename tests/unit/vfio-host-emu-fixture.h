/*
 * What the emulated POWER host's unit tests share: an Emu (the object,
 * its container, group and device fds), made and closed with the checks
 * every test wants, the ioctls they issue, and edu DMA through it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_UNIT_VFIO_HOST_EMU_FIXTURE_H
#define TESTS_UNIT_VFIO_HOST_EMU_FIXTURE_H

#include <linux/vfio.h>
#include "hw/vfio/host-emu.h"

#define KiB     (1ULL << 10)
#define MiB     (1ULL << 20)
#define GiB     (1ULL << 30)
#define DMA64   (1ULL << 59)
#define BAR0    ((uint64_t)VFIO_PCI_BAR0_REGION_INDEX << 40)
#define CFG     ((uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40)

typedef struct Emu {
    VFIOHost *h;
    int container, group, device;
} Emu;

VFIOHost *vhe_create(const char *id, const char *const *props, Error **errp);
/* Creates the object; any error fails the test with its message. */
VFIOHost *vhe_create_ok(const char *id, const char *const *props);
int vhe_ioctl(Emu *e, int fd, unsigned long req, void *arg);
int vhe_ioctl_int(Emu *e, int fd, unsigned long req, uintptr_t v);
/* A container with the group attached and, unless 0, the IOMMU type set. */
void vhe_open(Emu *e, const char *const *props, uint32_t iommu);
/* The device fd, with memory decode and bus mastering on. */
void vhe_open_device(Emu *e);
/* Closes every fd: everything charged must be given back. */
void vhe_close(Emu *e);
int vhe_register(Emu *e, void *p, uint64_t size);
int vhe_map(Emu *e, uint64_t iova, void *p, uint64_t size, uint32_t flags);
int vhe_create_window(Emu *e, unsigned shift, uint64_t size,
                      unsigned levels, uint64_t *start);
/* Lets a started edu DMA complete (virtual time). */
void vhe_wait_dma(void *opaque);
/* One edu transfer: to_memory moves the edu buffer to iova. */
void vhe_edu_dma(Emu *e, uint64_t iova, uint64_t len, bool to_memory);

#endif
