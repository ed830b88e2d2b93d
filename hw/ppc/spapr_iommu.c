/*
 * sPAPR TCE tables: one per DMA window of a PHB.
 *
 * A table is a QOM child of its PHB, created at realize for every window
 * the PHB supports and then only enabled and disabled (migration needs the
 * objects to exist on both sides).  An enabled table maps its IOMMU region
 * into the PHB's DMA address space at the window's bus offset; devices
 * DMA through translate(), and every change of entries is announced to
 * IOMMU notifiers (VFIO) as runs of pages that are contiguous on both
 * sides, so one hypercall that maps 512 consecutive pages is one event.
 *
 * TCE format: bits 0-1 are permissions (1: device may read, 2: device may
 * write), the rest is the guest real address of the page.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/spapr_tce_store.h"
#include "hw/ppc/spapr_tce_source.h"
#include "migration/vmstate.h"
#include "spapr_iommu_internal.h"
#include "sysemu/guest-call.h"
#include "trace.h"

#define TCE_INDIRECT_MAX        512
#define TCE_LIST_ALIGN          4096

static GHashTable *tce_tables;      /* liobn -> SpaprTceTable */

SpaprTceTable *spapr_tce_find_by_liobn(target_ulong liobn)
{
    if (liobn > UINT32_MAX || !tce_tables) {
        return NULL;
    }
    return g_hash_table_lookup(tce_tables, GUINT_TO_POINTER(liobn));
}

/* Translation for emulated DMA; addr is the offset within the window. */
static IOMMUTLBEntry spapr_tce_translate(MemoryRegion *iommu, hwaddr addr,
                                         IOMMUAccessFlags flag)
{
    SpaprTceTable *tcet = iommu->iommu_opaque;
    uint64_t page_mask = tce_page_size(tcet) - 1;
    IOMMUTLBEntry ret = {
        .target_as = &address_space_memory,
        .iova = addr & ~page_mask,
        .addr_mask = page_mask,
        .perm = IOMMU_NONE,
    };
    uint64_t index = addr >> tcet->page_shift;

    if (tcet->store && index < tcet->nb_table) {
        uint64_t tce = spapr_tce_store_get(tcet->store, index);

        ret.translated_addr = tce & ~page_mask;
        ret.perm = tce & TCE_PERM_MASK;
    }
    return ret;
}

static uint64_t spapr_tce_get_min_page_size(MemoryRegion *iommu)
{
    SpaprTceTable *tcet = iommu->iommu_opaque;

    return tce_page_size(tcet);
}

static bool tce_replay_run(const SpaprTceRun *run, void *opaque)
{
    TceEvent *r = opaque;

    if (!tce_perm_valid(run->first)) {
        return spapr_tce_event_flush(r);
    }
    return spapr_tce_event_add_run(r, run);
}

/*
 * Sends the valid entries to a new notifier: the store's runs, so an
 * empty 2^31-entry window replays in microseconds and a direct map of
 * all RAM is one event per extent.
 */
static bool spapr_tce_replay(MemoryRegion *iommu, IOMMUNotifier *n)
{
    SpaprTceTable *tcet = iommu->iommu_opaque;
    TceEvent r = { .tcet = tcet, .only = n };
    uint64_t first = n->start >> tcet->page_shift;
    uint64_t last = n->end >> tcet->page_shift;

    if (!tcet->store || !(n->flags & IOMMU_NOTIFIER_MAP) ||
        first >= tcet->nb_table) {
        return true;
    }
    trace_spapr_iommu_replay(tcet->liobn, spapr_tce_store_valid(tcet->store));
    last = MIN(last, (uint64_t)tcet->nb_table - 1);
    /* A failed notifier stops the replay; the listener reports it */
    return spapr_tce_store_foreach_run(tcet->store, first, last + 1,
                                       tce_replay_run, &r) &&
           spapr_tce_event_flush(&r);
}

static const IOMMUMemoryRegionOps spapr_iommu_ops = {
    .translate = spapr_tce_translate,
    .get_min_page_size = spapr_tce_get_min_page_size,
    .replay = spapr_tce_replay,
};

MemoryRegion *spapr_tce_get_iommu(SpaprTceTable *tcet)
{
    return &tcet->iommu;
}

uint64_t spapr_tce_get_entry(SpaprTceTable *tcet, uint64_t index)
{
    return tcet->store && index < tcet->nb_table ?
           spapr_tce_store_get(tcet->store, index) : 0;
}

uint64_t spapr_tce_table_mapped(SpaprTceTable *tcet)
{
    return tcet->store ? spapr_tce_store_valid(tcet->store) : 0;
}

uint64_t spapr_tce_table_bytes(const SpaprTceTable *tcet)
{
    return tcet->store ? spapr_tce_store_bytes(tcet->store) : 0;
}

uint64_t spapr_tce_tables_bytes(void)
{
    GHashTableIter it;
    gpointer tcet;
    uint64_t sum = 0;

    if (!tce_tables) {
        return 0;
    }
    g_hash_table_iter_init(&it, tce_tables);
    while (g_hash_table_iter_next(&it, NULL, &tcet)) {
        sum += spapr_tce_table_bytes(tcet);
    }
    return sum;
}

/*
 * How many of n entries starting at ioba fit in the window; *index is the
 * first entry.
 */
static uint64_t spapr_tce_fit(SpaprTceTable *tcet, uint64_t ioba, uint64_t n,
                              uint64_t *index)
{
    if (!tcet->store || ioba < tcet->bus_offset) {
        return 0;
    }
    *index = (ioba - tcet->bus_offset) >> tcet->page_shift;
    if (*index >= tcet->nb_table) {
        return 0;
    }
    return MIN(n, tcet->nb_table - *index);
}

/* Writes src at index from a hypercall: the status for the guest. */
static target_ulong spapr_tce_hcall_write(SpaprTceTable *tcet, uint64_t index,
                                          SpaprTceSource *src)
{
    Error *err = NULL;

    if (!spapr_tce_write_fits(tcet, index, src, &err)) {
        error_free(err);        /* callers checked: cannot happen */
        return H_PARAMETER;
    }
    if (!spapr_tce_budget_allows(tcet, src, &err)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s\n", error_get_pretty(err));
        error_free(err);
        return H_NO_MEM;
    }
    if (!spapr_tce_write_unbudgeted(tcet, index, src, &err)) {
        error_free(err);        /* logged by spapr_tce_undo_event */
        return H_HARDWARE;
    }
    return H_SUCCESS;
}

target_ulong spapr_tce_put(SpaprTceTable *tcet, uint64_t ioba, uint64_t tce)
{
    SpaprTceSource src;
    uint64_t index = 0;

    if (!spapr_tce_fit(tcet, ioba, 1, &index)) {
        return H_PARAMETER;
    }
    spapr_tce_source_const(&src, tce, 1, tce_page_size(tcet));
    return spapr_tce_hcall_write(tcet, index, &src);
}

static inline uint64_t tce_page_mask(SpaprTceTable *tcet)
{
    return ~(tce_page_size(tcet) - 1);
}

static target_ulong h_put_tce(SpaprMachineState *spapr, target_ulong opcode,
                              target_ulong *args)
{
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(args[0]);
    target_ulong ret = H_PARAMETER;

    if (tcet) {
        /* The low bits of ioba are ignored, as in QEMU (KVM rejects). */
        ret = spapr_tce_put(tcet, args[1] & tce_page_mask(tcet), args[2]);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "H_PUT_TCE: unknown LIOBN 0x%"
                      PRIx64 "\n", args[0]);
    }
    trace_spapr_iommu_put(args[0], args[1], args[2], ret);
    return ret;
}

static target_ulong h_get_tce(SpaprMachineState *spapr, target_ulong opcode,
                              target_ulong *args)
{
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(args[0]);
    target_ulong liobn = args[0], ioba = args[1];
    uint64_t index = 0;

    if (!tcet || !spapr_tce_fit(tcet, ioba & tce_page_mask(tcet), 1,
                                &index)) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_GET_TCE: LIOBN 0x%" PRIx64
                      " ioba 0x%" PRIx64 " outside every window\n",
                      liobn, ioba);
        trace_spapr_iommu_get(liobn, ioba, H_PARAMETER, 0);
        return H_PARAMETER;     /* r4 keeps its input, as in QEMU */
    }
    args[0] = spapr_tce_store_get(tcet->store, index);
    trace_spapr_iommu_get(liobn, ioba, H_SUCCESS, args[0]);
    return H_SUCCESS;
}

static target_ulong h_put_tce_indirect(SpaprMachineState *spapr,
                                       target_ulong opcode,
                                       target_ulong *args)
{
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(args[0]);
    target_ulong ioba = args[1], tce_list = args[2], npages = args[3];
    uint64_t list[TCE_INDIRECT_MAX];
    uint64_t index = 0, fit;
    SpaprTceSource src;
    target_ulong ret = H_SUCCESS;

    /* npages == 0 is a parameter error too: QEMU returns its initial -4. */
    if (!tcet || npages == 0 || npages > TCE_INDIRECT_MAX ||
        (tce_list & (TCE_LIST_ALIGN - 1))) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_PUT_TCE_INDIRECT: bad LIOBN 0x%"
                      PRIx64 ", npages %" PRIu64 " or list 0x%" PRIx64 "\n",
                      args[0], npages, tce_list);
        trace_spapr_iommu_indirect(args[0], ioba, tce_list, npages,
                                   H_PARAMETER);
        return H_PARAMETER;
    }
    fit = spapr_tce_fit(tcet, ioba & tce_page_mask(tcet), npages, &index);
    if (fit) {
        /*
         * Copied once: a guest changing the list meanwhile changes
         * nothing.  What lies beyond RAM reads as zeros.
         */
        if (address_space_read(&address_space_memory, tce_list,
                               MEMTXATTRS_UNSPECIFIED, list, fit * 8)) {
            memset(list, 0, fit * 8);
            address_space_read(&address_space_memory, tce_list,
                               MEMTXATTRS_UNSPECIFIED, list, fit * 8);
        }
        spapr_tce_source_list_be(&src, (const uint8_t *)list, fit,
                                 tce_page_size(tcet));
        ret = spapr_tce_hcall_write(tcet, index, &src);
    }
    if (ret == H_SUCCESS && fit < npages) {
        ret = H_PARAMETER;
    }
    trace_spapr_iommu_indirect(args[0], ioba, tce_list, npages, ret);
    return ret;
}

static target_ulong h_stuff_tce(SpaprMachineState *spapr, target_ulong opcode,
                                target_ulong *args)
{
    SpaprTceTable *tcet = spapr_tce_find_by_liobn(args[0]);
    target_ulong ioba = args[1], tce_value = args[2], npages = args[3];
    target_ulong ret = H_SUCCESS;
    uint64_t index = 0, fit;
    SpaprTceSource src;

    /* Bounded by the window size, not 512, as in QEMU. */
    if (!tcet || npages == 0 || npages > tcet->nb_table) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_STUFF_TCE: bad LIOBN 0x%" PRIx64
                      " or npages %" PRIu64 "\n", args[0], npages);
        trace_spapr_iommu_stuff(args[0], ioba, tce_value, npages,
                                H_PARAMETER);
        return H_PARAMETER;
    }
    fit = spapr_tce_fit(tcet, ioba & tce_page_mask(tcet), npages, &index);
    if (fit && spapr_tce_stuff_is_long(tcet, tce_value, fit)) {
        /* traced per slice and at its end (spapr_hcall) */
        return spapr_tce_stuff_long(tcet, index, fit, tce_value, npages,
                                    ioba);
    }
    if (fit) {
        spapr_tce_source_const(&src, tce_value, fit, tce_page_size(tcet));
        ret = spapr_tce_hcall_write(tcet, index, &src);
    }
    if (ret == H_SUCCESS && fit < npages) {
        ret = H_PARAMETER;
    }
    trace_spapr_iommu_stuff(args[0], ioba, tce_value, npages, ret);
    return ret;
}

/* Window lifecycle */

bool spapr_tce_table_enable(SpaprTceTable *tcet, uint32_t page_shift,
                            uint64_t bus_offset, uint32_t nb_table,
                            Error **errp)
{
    uint64_t size;
    Error *local_err = NULL;

    guest_call_drain();         /* a long H_STUFF_TCE ends first */
    if (tcet->nb_table) {
        error_setg(errp, "TCE table 0x%x is already enabled", tcet->liobn);
        return false;
    }
    if (!nb_table || page_shift < SPAPR_TCE_PAGE_SHIFT || page_shift > 34 ||
        uadd64_overflow(bus_offset, ((uint64_t)nb_table << page_shift) - 1,
                        &size)) {
        error_setg(errp, "TCE table 0x%x: window of %u entries of 2^%u bytes "
                   "at 0x%" PRIx64 " does not fit the bus", tcet->liobn,
                   nb_table, page_shift, bus_offset);
        return false;
    }
    tcet->store = spapr_tce_store_new(nb_table, 1ULL << page_shift);
    tcet->page_shift = page_shift;
    tcet->bus_offset = bus_offset;
    tcet->nb_table = nb_table;
    size = (uint64_t)nb_table << page_shift;
    memory_region_transaction_begin();
    memory_region_set_size(&tcet->iommu, size);
    memory_region_add_subregion(&tcet->root, bus_offset, &tcet->iommu);
    if (!memory_region_transaction_commit_checked(&local_err)) {
        /* A listener (a VFIO container) refused: leave nothing behind. */
        spapr_tce_table_disable(tcet);
        error_propagate(errp, local_err);
        return false;
    }
    trace_spapr_iommu_enable(tcet->liobn, page_shift, bus_offset, nb_table);
    return true;
}

void spapr_tce_table_disable(SpaprTceTable *tcet)
{
    guest_call_drain();
    if (!tcet->nb_table) {
        return;
    }
    memory_region_transaction_begin();
    memory_region_del_subregion(&tcet->root, &tcet->iommu);
    memory_region_set_size(&tcet->iommu, 0);
    memory_region_transaction_commit();
    spapr_tce_store_free(tcet->store);
    trace_spapr_iommu_disable(tcet->liobn);
    tcet->store = NULL;
    tcet->bus_offset = 0;
    tcet->page_shift = 0;
    tcet->nb_table = 0;
    /*
     * def_win stays: QEMU 7.2 marks LIOBN 0 as the default window at DMA
     * reset and never clears the mark, so removing a window the guest
     * re-created in that slot does not restore the default.  The oracle
     * shows this and guests see it, so we keep it.
     */
}

static void spapr_tce_table_realize(DeviceState *dev, Error **errp)
{
    SpaprTceTable *tcet = SPAPR_TCE_TABLE(dev);
    g_autofree char *name = g_strdup_printf("iommu-spapr-%x", tcet->liobn);

    if (spapr_tce_find_by_liobn(tcet->liobn)) {
        error_setg(errp, "TCE table with LIOBN 0x%x already exists",
                   tcet->liobn);
        return;
    }
    memory_region_init(&tcet->root, OBJECT(tcet), "iommu-spapr-root",
                       UINT64_MAX);
    memory_region_init_iommu(&tcet->iommu, OBJECT(tcet), &spapr_iommu_ops,
                             tcet, name, 0);
    if (!tce_tables) {
        tce_tables = g_hash_table_new(NULL, NULL);
    }
    g_hash_table_insert(tce_tables, GUINT_TO_POINTER(tcet->liobn), tcet);
    vmstate_register(tcet->liobn, &vmstate_spapr_tce_table, tcet);
}

static void spapr_tce_table_unrealize(DeviceState *dev)
{
    SpaprTceTable *tcet = SPAPR_TCE_TABLE(dev);

    vmstate_unregister(&vmstate_spapr_tce_table, tcet);
    spapr_tce_table_disable(tcet);
    g_hash_table_remove(tce_tables, GUINT_TO_POINTER(tcet->liobn));
    memory_region_finalize(&tcet->iommu);
    memory_region_finalize(&tcet->root);
}

SpaprTceTable *spapr_tce_new_table(DeviceState *owner, uint32_t liobn,
                                   unsigned slot, Error **errp)
{
    SpaprTceTable *tcet = SPAPR_TCE_TABLE(object_new(TYPE_SPAPR_TCE_TABLE));
    g_autofree char *name = g_strdup_printf("tce-table-%x", liobn);

    tcet->liobn = liobn;
    tcet->slot = slot;
    object_property_add_child(OBJECT(owner), name, OBJECT(tcet));
    object_unref(OBJECT(tcet));
    if (!qdev_realize(DEVICE(tcet), NULL, errp)) {
        object_unparent(OBJECT(tcet));
        return NULL;
    }
    return tcet;
}

static void spapr_tce_table_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = spapr_tce_table_realize;
    dc->unrealize = spapr_tce_table_unrealize;
}

static const TypeInfo spapr_tce_table_info = {
    .name = TYPE_SPAPR_TCE_TABLE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(SpaprTceTable),
    .class_init = spapr_tce_table_class_init,
};

static void spapr_iommu_register(void)
{
    type_register_static(&spapr_tce_table_info);
    spapr_register_hypercall(H_PUT_TCE, h_put_tce);
    spapr_register_hypercall(H_GET_TCE, h_get_tce);
    spapr_register_hypercall(H_PUT_TCE_INDIRECT, h_put_tce_indirect);
    spapr_register_hypercall(H_STUFF_TCE, h_stuff_tce);
}

type_init(spapr_iommu_register)
