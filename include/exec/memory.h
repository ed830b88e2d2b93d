/*
 * The memory layer: regions (RAM, MMIO, containers, aliases, IOMMU),
 * address spaces flattened into sorted ranges, listeners told about
 * sections appearing and disappearing, and IOMMU notifiers.
 *
 * Sizes are uint64_t; a size of UINT64_MAX means the whole 2^64 space.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EXEC_MEMORY_H
#define EXEC_MEMORY_H

#include "qom/object.h"

typedef struct MemoryRegion MemoryRegion;
typedef struct AddressSpace AddressSpace;
typedef struct FlatView FlatView;
typedef struct MemoryListener MemoryListener;
typedef struct IOMMUNotifier IOMMUNotifier;

typedef uint32_t MemTxResult;
#define MEMTX_OK            0
#define MEMTX_ERROR         (1U << 0)
#define MEMTX_DECODE_ERROR  (1U << 1)

typedef struct MemTxAttrs {
    unsigned unspecified:1;
} MemTxAttrs;
#define MEMTXATTRS_UNSPECIFIED ((MemTxAttrs) { .unspecified = 1 })

enum device_endian {
    DEVICE_NATIVE_ENDIAN,       /* the target's: big-endian on pseries */
    DEVICE_BIG_ENDIAN,
    DEVICE_LITTLE_ENDIAN,
};

typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t data, unsigned size);
    enum device_endian endianness;
    struct {
        unsigned min_access_size;   /* 0 means 1 */
        unsigned max_access_size;   /* 0 means 4 */
        bool unaligned;
    } valid;
} MemoryRegionOps;

typedef enum {
    IOMMU_NONE = 0,
    IOMMU_RO = 1,
    IOMMU_WO = 2,
    IOMMU_RW = 3,
} IOMMUAccessFlags;

/* The result of translating one address: a page with permissions. */
typedef struct IOMMUTLBEntry {
    AddressSpace *target_as;
    hwaddr iova;
    hwaddr translated_addr;
    hwaddr addr_mask;           /* page size - 1 */
    IOMMUAccessFlags perm;
} IOMMUTLBEntry;

typedef enum {
    IOMMU_NOTIFIER_NONE = 0,
    IOMMU_NOTIFIER_UNMAP = 1,
    IOMMU_NOTIFIER_MAP = 2,
    IOMMU_NOTIFIER_ALL = 3,
} IOMMUNotifierFlag;

/*
 * A change to an IOMMU's mappings.  One event covers a run of pages that
 * changed together and are contiguous on both sides: bus addresses
 * [iova, iova + size) now point at [translated_addr, + size) with perm
 * (MAP), or no longer point anywhere (UNMAP, perm IOMMU_NONE).
 */
typedef struct IOMMUTLBEvent {
    IOMMUNotifierFlag type;
    hwaddr iova;
    hwaddr size;
    hwaddr translated_addr;
    IOMMUAccessFlags perm;
    hwaddr page_size;
} IOMMUTLBEvent;

/*
 * Returns false when the listener could not follow the change (a host
 * IOMMU refused a MAP); the IOMMU's owner then undoes the change.
 */
typedef bool IOMMUNotify(IOMMUNotifier *n, const IOMMUTLBEvent *ev);

struct IOMMUNotifier {
    IOMMUNotify *notify;
    IOMMUNotifierFlag flags;
    hwaddr start, end;          /* inclusive range within the region */
    MemoryRegion *mr;
};

typedef struct IOMMUMemoryRegionOps {
    IOMMUTLBEntry (*translate)(MemoryRegion *iommu, hwaddr addr,
                               IOMMUAccessFlags flag);
    uint64_t (*get_min_page_size)(MemoryRegion *iommu);
    /* Told when the union of notifier flags changes; may refuse. */
    bool (*notify_flag_changed)(MemoryRegion *iommu, IOMMUNotifierFlag old,
                                IOMMUNotifierFlag new, Error **errp);
    /*
     * Sends MAP events for every valid mapping, coalesced into runs;
     * false if the notifier failed one (the replay stops there).
     */
    bool (*replay)(MemoryRegion *iommu, IOMMUNotifier *n);
} IOMMUMemoryRegionOps;

typedef enum {
    MR_CONTAINER,
    MR_RAM,
    MR_IO,
    MR_ALIAS,
    MR_IOMMU,
} MemoryRegionKind;

struct MemoryRegion {
    char *name;
    Object *owner;
    MemoryRegionKind kind;
    uint64_t size;
    bool enabled;
    bool readonly;
    bool ram_device;            /* RAM-like but device memory: never DMA'd */

    /* RAM */
    uint8_t *ram_ptr;
    uint64_t ram_page_size;     /* the backing's page size (hugepages) */
    int ram_fd;
    unsigned long *dirty_bitmap; /* per 4 KiB page, while logging */

    /* MMIO */
    const MemoryRegionOps *ops;
    void *opaque;

    /* alias */
    MemoryRegion *alias;
    hwaddr alias_offset;

    /* IOMMU */
    const IOMMUMemoryRegionOps *iommu_ops;
    void *iommu_opaque;
    GList *iommu_notifiers;
    IOMMUNotifierFlag iommu_notify_flags;

    /* placement */
    MemoryRegion *container;
    hwaddr addr;
    int priority;
    GList *subregions;          /* highest priority first */
};

typedef struct MemoryRegionSection {
    MemoryRegion *mr;
    AddressSpace *as;
    hwaddr offset_within_region;
    hwaddr offset_within_address_space;
    uint64_t size;              /* UINT64_MAX: up to the end of the space */
    bool readonly;
} MemoryRegionSection;

struct MemoryListener {
    const char *name;
    /* Returning false (with errp set) fails the topology change's commit. */
    bool (*region_add)(MemoryListener *l, MemoryRegionSection *s,
                       Error **errp);
    void (*region_del)(MemoryListener *l, MemoryRegionSection *s);
    AddressSpace *as;
};

struct AddressSpace {
    char *name;
    MemoryRegion *root;
    FlatView *current_map;
    GList *listeners;
};

/* Regions */
void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size);
void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
bool memory_region_init_ram(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp);
bool memory_region_init_ram_from_file(MemoryRegion *mr, Object *owner,
                                      const char *name, uint64_t size,
                                      const char *path, bool share,
                                      Error **errp);
void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size);
void memory_region_init_iommu(MemoryRegion *mr, Object *owner,
                              const IOMMUMemoryRegionOps *ops, void *opaque,
                              const char *name, uint64_t size);
void memory_region_finalize(MemoryRegion *mr);

void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion);
void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion,
                                         int priority);
void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_address(MemoryRegion *mr, hwaddr addr);
void memory_region_set_size(MemoryRegion *mr, uint64_t size);
void memory_region_set_alias_offset(MemoryRegion *mr, hwaddr offset);
bool memory_region_is_ram(MemoryRegion *mr);
bool memory_region_is_iommu(MemoryRegion *mr);
void *memory_region_get_ram_ptr(MemoryRegion *mr);
uint64_t memory_region_size(MemoryRegion *mr);
uint64_t ram_backing_page_size(uint64_t host, uint64_t size,
                               uint64_t *covered);

/*
 * Topology changes between begin and commit are applied at commit.
 * commit_checked reports the first listener failure; plain commit only
 * warns about one.
 */
void memory_region_transaction_begin(void);
void memory_region_transaction_commit(void);
bool memory_region_transaction_commit_checked(Error **errp);

/* IOMMU */
bool memory_region_register_iommu_notifier(MemoryRegion *mr,
                                           IOMMUNotifier *n, Error **errp);
void memory_region_unregister_iommu_notifier(MemoryRegion *mr,
                                             IOMMUNotifier *n);
/* Tells every interested notifier; false if any of them failed. */
bool memory_region_notify_iommu(MemoryRegion *mr, const IOMMUTLBEvent *ev);
bool memory_region_iommu_replay(MemoryRegion *mr, IOMMUNotifier *n);
uint64_t memory_region_iommu_get_min_page_size(MemoryRegion *mr);
static inline void iommu_notifier_init(IOMMUNotifier *n, IOMMUNotify *fn,
                                       IOMMUNotifierFlag flags,
                                       hwaddr start, hwaddr end)
{
    n->notify = fn;
    n->flags = flags;
    n->start = start;
    n->end = end;
    n->mr = NULL;
}

/* Address spaces */
void address_space_init(AddressSpace *as, MemoryRegion *root,
                        const char *name);
void address_space_destroy(AddressSpace *as);
/* Every address space, in creation order (info mtree). */
void address_space_foreach(void (*fn)(AddressSpace *as, void *opaque),
                           void *opaque);
bool memory_listener_register(MemoryListener *l, AddressSpace *as,
                              Error **errp);
void memory_listener_unregister(MemoryListener *l);
/* Calls fn for every section of the current flat view, in address order. */
void address_space_foreach_section(AddressSpace *as,
                                   void (*fn)(MemoryRegionSection *s,
                                              void *opaque),
                                   void *opaque);

/* Access, with bus semantics: failed reads give zeros, writes drop. */
MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                             void *buf, hwaddr len, bool is_write);
MemTxResult address_space_read(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, void *buf, hwaddr len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                MemTxAttrs attrs, const void *buf,
                                hwaddr len);
MemTxResult address_space_set(AddressSpace *as, hwaddr addr, uint8_t c,
                              hwaddr len, MemTxAttrs attrs);
uint32_t address_space_ldl_be(AddressSpace *as, hwaddr addr,
                              MemTxResult *res);
uint64_t address_space_ldq_be(AddressSpace *as, hwaddr addr,
                              MemTxResult *res);
void address_space_stl_be(AddressSpace *as, hwaddr addr, uint32_t val,
                          MemTxResult *res);
/*
 * The host pointer for RAM at addr in as (no IOMMU crossing), with the
 * length that stays within the same RAM block in *plen; NULL if not RAM.
 */
void *address_space_get_ram_ptr(AddressSpace *as, hwaddr addr, hwaddr *plen,
                                MemoryRegion **pmr);

/* Dirty logging of RAM written through the memory API (migration). */
void memory_region_set_dirty_logging(MemoryRegion *mr, bool on);
void memory_region_set_dirty(MemoryRegion *mr, hwaddr offset, hwaddr len);

/*
 * Told of every write to guest RAM made through an address space or by a
 * device's DMA by host address (system/physmem.c), after it landed:
 * [offset, offset + len) of RAM region mr.  The incoming migration
 * registers one while a stream's pages may still be taken back, so that
 * a later write survives a refusal.  No notifier, no cost.
 */
typedef struct RamWriteNotifier RamWriteNotifier;
struct RamWriteNotifier {
    void (*notify)(RamWriteNotifier *n, MemoryRegion *mr, hwaddr offset,
                   hwaddr len);
    RamWriteNotifier *next;     /* private to system/physmem.c */
};
void ram_write_notifier_add(RamWriteNotifier *n);
void ram_write_notifier_remove(RamWriteNotifier *n);
/* A device wrote [host, host + len) directly (DMA by host address). */
void ram_host_written(const void *host, uint64_t len);

AddressSpace *address_space_memory_get(void);
MemoryRegion *get_system_memory(void);
#define address_space_memory (*address_space_memory_get())

#endif
