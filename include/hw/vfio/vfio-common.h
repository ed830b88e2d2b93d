/*
 * VFIO containers and groups for sPAPR PHBs.
 *
 * One container serves one guest DMA address space (one PHB): every
 * assigned device behind that PHB puts its IOMMU group into it.  The
 * container follows two address spaces with memory listeners:
 *   - system memory: each RAM section is preregistered with the host
 *     (SPAPR TCE v2) before anything is mapped;
 *   - the PHB's DMA space: each enabled TCE table is an IOMMU section,
 *     i.e. a guest DMA window, mirrored by a host window; an IOMMU
 *     notifier then turns guest TCE changes into MAP_DMA/UNMAP_DMA.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VFIO_VFIO_COMMON_H
#define HW_VFIO_VFIO_COMMON_H

#include "exec/memory.h"
#include "hw/vfio/vfio-host.h"
#include "hw/vfio/vfio-spapr-info.h"

#define VFIO_SPAPR_MAX_WINDOWS  2
/* The kernel's bound on TCE table levels (VFIO_IOMMU_SPAPR_TCE_CREATE). */
#define VFIO_SPAPR_MAX_LEVELS   5

typedef struct VFIOContainer VFIOContainer;

/* A host window: [min_iova, max_iova] in 2^page_shift pages. */
typedef struct VFIOHostDMAWindow {
    hwaddr min_iova;
    hwaddr max_iova;
    uint32_t page_shift;
    uint32_t levels;
} VFIOHostDMAWindow;

/* One guest window followed through its IOMMU notifier. */
typedef struct VFIOGuestIOMMU {
    VFIOContainer *container;
    MemoryRegion *iommu_mr;
    hwaddr iommu_offset;        /* bus address of the region's offset 0 */
    IOMMUNotifier n;
} VFIOGuestIOMMU;

/* A preregistered range of process memory. */
typedef struct VFIOPrereg {
    uint64_t vaddr;
    uint64_t size;
    unsigned refs;              /* sections (aliases) that share it */
} VFIOPrereg;

struct VFIOContainer {
    AddressSpace *space;        /* the PHB's DMA address space */
    VFIOHost *host;             /* transport of the group that opened it */
    int fd;
    bool v2;                    /* SPAPR TCE v2 (else v1, no DDW) */
    bool prereg_active;
    bool listener_active;
    MemoryListener listener;
    MemoryListener prereg_listener;
    uint64_t pgsizes;           /* host IOMMU page sizes */
    uint32_t max_levels;        /* host-reported TCE table levels */
    uint32_t max_windows;
    VFIOHostDMAWindow hostwin[VFIO_SPAPR_MAX_WINDOWS];
    unsigned nr_hostwin;
    GList *giommus;             /* VFIOGuestIOMMU */
    GList *preregs;             /* VFIOPrereg */
    GList *groups;              /* VFIOGroup */
    uint64_t prereg_bytes;
    uint64_t map_ioctls;
    uint64_t unmap_ioctls;
};

typedef struct VFIOGroup {
    VFIOHost *host;
    int fd;
    VFIOContainer *container;
} VFIOGroup;

/* common.c */
/*
 * Transports by name for host-emu=ID: those registered here (h NULL
 * unregisters), then the emulated hosts' -object ids.
 */
void vfio_host_register(const char *id, VFIOHost *h);
VFIOHost *vfio_host_lookup(const char *id, Error **errp);
/*
 * Opens the IOMMU group of host and puts it into the container of as,
 * creating the container (and mirroring every existing window and
 * mapping into it) for the first group.
 */
VFIOGroup *vfio_group_get(VFIOHost *host, AddressSpace *as, Error **errp);
/* Releases a group; the last one tears its container down. */
void vfio_group_put(VFIOGroup *group);
VFIOContainer *vfio_container_find(AddressSpace *as);
int vfio_container_ioctl(VFIOContainer *c, unsigned long req, void *arg);
/*
 * Splits [gpa, gpa + size) into pieces contiguous in the process (one per
 * RAM block); calls fn for each with its host address.  False when a
 * piece is not RAM or fn fails.
 */
bool vfio_ram_foreach_piece(hwaddr gpa, uint64_t size,
                            bool (*fn)(void *host, hwaddr gpa, uint64_t len,
                                       bool readonly, void *opaque),
                            void *opaque);

/* spapr.c */
bool vfio_spapr_container_init(VFIOContainer *c, Error **errp);
void vfio_spapr_container_fini(VFIOContainer *c);
/* Creates the host window mirroring a guest IOMMU section. */
bool vfio_spapr_create_window(VFIOContainer *c, MemoryRegionSection *s,
                              Error **errp);
void vfio_spapr_remove_window(VFIOContainer *c, hwaddr offset_within_as);
VFIOHostDMAWindow *vfio_spapr_find_window(VFIOContainer *c, hwaddr iova);
/*
 * Pure helpers (unit-tested): TCE table levels for a window as QEMU 4.0+
 * computes them, and the largest host page size usable for an IOMMU page
 * size (0 if none).
 */
uint32_t vfio_spapr_levels(uint64_t window_size, uint32_t page_shift,
                           uint64_t host_page_size);
uint32_t vfio_spapr_max_levels(uint32_t page_shift, uint64_t host_page_size,
                               uint32_t host_levels);
uint64_t vfio_spapr_pick_pagesize(uint64_t iommu_pgsize, uint64_t host_pgsizes);

/* host-linux.c: the /dev/vfio transport. */
VFIOHost *vfio_host_linux_new(const char *host, const char *sysfsdev,
                              Error **errp);
void vfio_host_linux_free(VFIOHost *h);
/* "DDDD:BB:DD.F" or "BB:DD.F" -> canonical "dddd:bb:dd.f" */
char *vfio_linux_parse_host(const char *host, Error **errp);
/* /dev/vfio/N for the device directory sysfsdev (its iommu_group link). */
char *vfio_linux_group_path(const char *sysfsdev, Error **errp);

#endif
