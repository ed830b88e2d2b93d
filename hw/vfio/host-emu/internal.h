/*
 * The emulated POWER host for VFIO: state shared by emu.c (object,
 * fds, container and group requests), prereg.c (memlock and
 * preregistration), tce.c (windows, MAP/UNMAP), table.c (the TCE tables'
 * levels) and dev.c (the edu function).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_VFIO_HOST_EMU_INTERNAL_H
#define HW_VFIO_HOST_EMU_INTERNAL_H

#include <linux/vfio.h>
#include "qom/object.h"
#include "hw/misc/edu.h"
#include "qemu/slab.h"
#include "hw/vfio/host-emu.h"

/*
 * 4 KiB: the IOMMU page of the host's default 32-bit window, and the
 * smallest unit a TCE table is allocated in.  The kernel's own base page
 * size is VFIOHostEmu.page_size (page-size=, 4K or 64K).
 */
#define EMU_PAGE_SHIFT          12
#define EMU_PAGE_SIZE           (1ULL << EMU_PAGE_SHIFT)
#define EMU_MAX_WINDOWS         2
/* Bounds what a caller can make the host allocate or walk. */
#define EMU_MAX_PREREG          1024
#define EMU_MAX_FILES           256
/* Emulated fds stay clear of real ones: a misrouted close() gets EBADF. */
#define EMU_FD_BASE             0x100000
#define EMU_IOCTL_SLOTS         32
#define EMU_CFG_SIZE            256
#define EMU_REGION_SHIFT        40

typedef struct VFIOHostEmu VFIOHostEmu;

typedef struct EmuTceTable {
    unsigned slot;
    uint64_t start;             /* bus address of entry 0 */
    uint64_t size;
    unsigned page_shift;
    unsigned levels;
    unsigned level_bits;        /* log2 of the entries in one level page */
    uint64_t entries;
    uint64_t charged;           /* memlock bytes */
    uint64_t mapped;            /* valid TCEs */
    uint64_t level_pages;       /* level pages allocated */
    uint64_t *root;
    bool slab_pages;            /* level pages below the root from slab */
    QemuSlab slab;
} EmuTceTable;

typedef struct EmuPrereg {
    uint64_t ua;
    uint64_t size;
    unsigned page_shift;
    uint64_t mapped;
} EmuPrereg;

typedef enum EmuIommu {
    EMU_IOMMU_NONE,
    EMU_IOMMU_V1,
    EMU_IOMMU_V2,
} EmuIommu;

typedef struct EmuContainer {
    VFIOHostEmu *host;
    bool fd_open;
    bool has_group;
    EmuIommu iommu;
    bool enabled;               /* v1: ENABLE; v2: first REGISTER */
    bool def_window_pending;
    uint64_t v1_charged;
    EmuTceTable *tables[EMU_MAX_WINDOWS];
    GPtrArray *prereg;          /* EmuPrereg */
} EmuContainer;

typedef enum EmuFileKind {
    EMU_FILE_CONTAINER,
    EMU_FILE_GROUP,
    EMU_FILE_DEVICE,
} EmuFileKind;

typedef struct EmuFile {
    EmuFileKind kind;
    EmuContainer *container;    /* EMU_FILE_CONTAINER */
} EmuFile;

typedef struct EmuDevice {
    uint8_t config[EMU_CFG_SIZE];
    uint8_t wmask[EMU_CFG_SIZE];
    unsigned open_count;
    EduEngine engine;
} EmuDevice;

struct VFIOHostEmu {
    Object parent_obj;

    uint64_t iommu_pgsizes;
    uint64_t max_levels;
    uint64_t memlock_limit;
    uint64_t page_size;         /* the emulated kernel's base page size */
    /* What backs process memory (ram_backing_page_size's contract). */
    uint64_t (*backing_page_size)(uint64_t ua, uint64_t size,
                                  uint64_t *covered);

    VFIOHost host;
    GHashTable *files;          /* fd -> EmuFile */
    int next_fd;
    bool group_open;
    EmuContainer *group_container;
    EmuDevice dev;
    uint64_t memlock_used;
    uint64_t ioctls[EMU_IOCTL_SLOTS];
};

VFIOHostEmu *vfio_host_emu_from(VFIOHost *h);

/* Traces why a request is refused; returns -err. */
int emu_refuse(const char *req, int err, const char *why);

/* prereg.c: memlock and preregistration */
int emu_memlock_charge(VFIOHostEmu *s, uint64_t bytes);
void emu_memlock_uncharge(VFIOHostEmu *s, uint64_t bytes);
unsigned emu_backing_shift(VFIOHostEmu *s, uint64_t ua, uint64_t size);
bool emu_range_mapped(uint64_t ua, uint64_t size);
EmuPrereg *emu_prereg_find(EmuContainer *c, uint64_t ua, uint64_t size);
int emu_register(EmuContainer *c,
                 struct vfio_iommu_spapr_register_memory *r);
int emu_unregister(EmuContainer *c,
                   struct vfio_iommu_spapr_register_memory *r);

/* table.c: multi-level TCE tables */
#define TCE_PERM_MASK           3ULL
uint64_t emu_table_size(unsigned page_shift, uint64_t window_size,
                        unsigned levels, unsigned *level_bits);
EmuTceTable *emu_table_new(unsigned slot, unsigned page_shift,
                           uint64_t window_size, unsigned levels,
                           unsigned level_bits);
void emu_table_destroy(EmuTceTable *t);
uint64_t *emu_table_entry(EmuTceTable *t, uint64_t idx, bool alloc,
                          bool *fresh);
void emu_table_fill_fresh(uint64_t *e, uint64_t n, uint64_t tce,
                          uint64_t ps);
bool emu_table_walk(EmuTceTable *t, VFIOHostEmuTceFn *fn, void *opaque);

/* tce.c: windows and TCEs */
int emu_container_tce_ioctl(EmuContainer *c, unsigned long req, void *arg);
void emu_container_release_iommu(EmuContainer *c);
void emu_container_attach_iommu(EmuContainer *c);
bool emu_tce_lookup(EmuContainer *c, uint64_t iova, uint64_t *ua, int *perm,
                    unsigned *page_shift);
bool emu_tce_foreach(EmuContainer *c, VFIOHostEmuTceFn *fn, void *opaque);
unsigned emu_windows(EmuContainer *c, VFIOHostEmuWindow *w, unsigned max);

/* dev.c: the edu function behind the device fd */
void emu_dev_init(VFIOHostEmu *s);
void emu_dev_finalize(VFIOHostEmu *s);
void emu_dev_reset(VFIOHostEmu *s);
int emu_dev_ioctl(VFIOHostEmu *s, unsigned long req, void *arg);
ssize_t emu_dev_rw(VFIOHostEmu *s, void *buf, size_t len, off_t offset,
                   bool write);

#endif
