/*
 * sPAPR Dynamic DMA Windows: the four RTAS calls.
 *
 * DOC: Dynamic DMA Windows
 *
 * A PHB is one partitionable endpoint with up to two DMA windows, each a
 * TCE table (LIOBN).  At reset only the default 32-bit window exists.
 *
 *   ibm,query-pe-dma-window (cfg, buid hi, buid lo) -> status, windows
 *       available, largest block in TCEs (one cell with 5 outputs, two
 *       with 6), page sizes (LoPAR bit mask), migration mask (0)
 *   ibm,create-pe-dma-window (cfg, buid hi, buid lo, page shift, window
 *       shift) -> status, LIOBN, bus address hi, lo
 *   ibm,remove-pe-dma-window (LIOBN) -> status
 *   ibm,reset-pe-dma-window (cfg, buid hi, buid lo) -> status
 *
 * Status codes follow QEMU 7.2 exactly: -3 for malformed calls, unknown
 * PHBs or LIOBNs, DDW off, unsupported page sizes and windows smaller than
 * a page; -1 when no window slot is free or the window cannot be built
 * (larger than the 2^31 TCEs a 32-bit count allows, past the end of the
 * bus, or refused by a host IOMMU).  A new window goes to dma_win_addr when
 * no window is active and to dma64_win_addr otherwise (unless that would
 * overlap an active window: then to the other base).  Removing the last
 * window restores the default one unless the removed window was in the
 * default slot (LIOBN 0), as QEMU 7.2 does.  Where QEMU aborts (shifts of
 * 64 and more, 2^32 TCEs, a non-PHB LIOBN) we answer -1 or -3 and go on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/spapr_tce_store.h"
#include "trace.h"

/* Largest window the 5-output query advertises: a 32-bit TCE count. */
#define DDW_MAX_TCES_5      SPAPR_TCE_MAX_ENTRIES
/* With 6 outputs, 2^37 TCEs: a 2^58-byte window of 2M pages. */
#define DDW_MAX_TCES_6      (1ULL << 37)

/* LoPAR "IO Page Sizes": the page size bits of the query's output 4. */
#define DDW_PGSIZE_4K       0x001
#define DDW_PGSIZE_64K      0x002
#define DDW_PGSIZE_16M      0x004
#define DDW_PGSIZE_32M      0x008
#define DDW_PGSIZE_64M      0x010
#define DDW_PGSIZE_128M     0x020
#define DDW_PGSIZE_256M     0x040
#define DDW_PGSIZE_16G      0x080
#define DDW_PGSIZE_2M       0x100

/* The query's page size bits for the sizes in a pgsz mask. */
static uint32_t spapr_page_mask_to_query_mask(uint64_t page_mask)
{
    static const struct {
        uint64_t size;
        uint32_t bit;
    } masks[] = {
        { 1ULL << 12, DDW_PGSIZE_4K },   { 1ULL << 16, DDW_PGSIZE_64K },
        { 1ULL << 24, DDW_PGSIZE_16M },  { 1ULL << 25, DDW_PGSIZE_32M },
        { 1ULL << 26, DDW_PGSIZE_64M },  { 1ULL << 27, DDW_PGSIZE_128M },
        { 1ULL << 28, DDW_PGSIZE_256M }, { 1ULL << 34, DDW_PGSIZE_16G },
        { 1ULL << 21, DDW_PGSIZE_2M },
    };
    uint32_t mask = 0;

    for (size_t i = 0; i < ARRAY_SIZE(masks); i++) {
        if (page_mask & masks[i].size) {
            mask |= masks[i].bit;
        }
    }
    return mask;
}

static uint64_t rtas_buid(const SpaprRtasArgs *a)
{
    return (uint64_t)rtas_ld(a, 1) << 32 | rtas_ld(a, 2);
}

/* The PHB named by the BUID arguments, if it does DDW. */
static SpaprPhbState *ddw_phb(const SpaprRtasArgs *a, const char *call)
{
    SpaprPhbState *sphb = spapr_pci_find_phb(rtas_buid(a));

    if (!sphb || !sphb->ddw_enabled) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: BUID 0x%" PRIx64 " is %s\n", call,
                      rtas_buid(a), sphb ? "a PHB without DDW" : "unknown");
        return NULL;
    }
    return sphb;
}

static void rtas_ibm_query_pe_dma_window(SpaprMachineState *spapr,
                                         uint32_t token,
                                         const SpaprRtasArgs *a)
{
    SpaprPhbState *sphb;
    uint32_t avail, pgmask;

    if (a->nargs != 3 || (a->nret != 5 && a->nret != 6)) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,query-pe-dma-window: nargs %u "
                      "nret %u (want 3 and 5 or 6)\n", a->nargs, a->nret);
        goto param_error_exit;
    }
    sphb = ddw_phb(a, "ibm,query-pe-dma-window");
    if (!sphb) {
        goto param_error_exit;
    }
    avail = SPAPR_PCI_DMA_MAX_WINDOWS - spapr_phb_get_active_win_num(sphb);
    pgmask = spapr_page_mask_to_query_mask(sphb->page_size_mask);
    rtas_st(a, 0, RTAS_OUT_SUCCESS);
    rtas_st(a, 1, avail);
    if (a->nret == 6) {
        rtas_st(a, 2, DDW_MAX_TCES_6 >> 32);
        rtas_st(a, 3, (uint32_t)DDW_MAX_TCES_6);
        rtas_st(a, 4, pgmask);
        rtas_st(a, 5, 0);   /* DMA migration mask: not supported */
    } else {
        rtas_st(a, 2, DDW_MAX_TCES_5);
        rtas_st(a, 3, pgmask);
        rtas_st(a, 4, 0);
    }
    trace_spapr_iommu_ddw_query(sphb->buid, rtas_ld(a, 0), avail,
                                a->nret == 6 ? DDW_MAX_TCES_6 : DDW_MAX_TCES_5,
                                pgmask);
    return;

param_error_exit:
    trace_spapr_iommu_ddw_query_error(rtas_buid(a), RTAS_OUT_PARAM_ERROR);
    rtas_st(a, 0, RTAS_OUT_PARAM_ERROR);
}

/* -3 for requests that can never work, -1 for ones this PHB can't serve. */
static int ddw_check_shifts(SpaprPhbState *sphb, uint32_t page_shift,
                            uint32_t window_shift)
{
    if (page_shift >= 64 || !(sphb->page_size_mask & (1ULL << page_shift)) ||
        window_shift < page_shift) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,create-pe-dma-window: page shift "
                      "%u not offered or window shift %u below it\n",
                      page_shift, window_shift);
        return RTAS_OUT_PARAM_ERROR;
    }
    if (window_shift - page_shift > SPAPR_TCE_MAX_ENTRIES_SHIFT) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,create-pe-dma-window: 2^%u TCEs "
                      "exceed the 2^%d a window can hold\n",
                      window_shift - page_shift, SPAPR_TCE_MAX_ENTRIES_SHIFT);
        return RTAS_OUT_HW_ERROR;
    }
    return RTAS_OUT_SUCCESS;
}

/* Whether a window of 2^window_shift bytes at addr overlaps an active one. */
static bool ddw_overlaps_active(SpaprPhbState *sphb, uint64_t addr,
                                uint32_t window_shift)
{
    uint64_t size = 1ULL << window_shift;

    for (int i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        SpaprTceTable *t = sphb->tcet[i];

        if (t && t->nb_table &&
            ranges_overlap(addr, size, t->bus_offset,
                           (uint64_t)t->nb_table << t->page_shift)) {
            return true;
        }
    }
    return false;
}

/*
 * QEMU 7.2 puts a new window at dma_win_addr when no window is active and
 * at dma64_win_addr otherwise.  After "remove the default window while a
 * DDW exists", that stacks the new window on the DDW: two IOMMU regions at
 * one bus address, of which DMA (and a VFIO host) sees only one.  There we
 * use the other base, which the removed default window left free; if both
 * are taken the request fails (-1) rather than alias two windows.
 */
static bool ddw_pick_address(SpaprPhbState *sphb, uint32_t window_shift,
                             uint64_t *addr)
{
    bool active = spapr_phb_get_active_win_num(sphb);
    uint64_t first = active ? sphb->dma64_win_addr : sphb->dma_win_addr;
    uint64_t other = active ? sphb->dma_win_addr : sphb->dma64_win_addr;

    if (!ddw_overlaps_active(sphb, first, window_shift)) {
        *addr = first;
        return true;
    }
    if (!ddw_overlaps_active(sphb, other, window_shift)) {
        *addr = other;
        return true;
    }
    return false;
}

static void rtas_ibm_create_pe_dma_window(SpaprMachineState *spapr,
                                          uint32_t token,
                                          const SpaprRtasArgs *a)
{
    SpaprPhbState *sphb;
    SpaprTceTable *tcet;
    uint32_t page_shift, window_shift;
    uint64_t win_addr;
    Error *err = NULL;
    int status;

    if (a->nargs != 5 || a->nret != 4) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,create-pe-dma-window: nargs %u "
                      "nret %u (want 5 and 4)\n", a->nargs, a->nret);
        status = RTAS_OUT_PARAM_ERROR;
        goto error_exit;
    }
    sphb = ddw_phb(a, "ibm,create-pe-dma-window");
    if (!sphb) {
        status = RTAS_OUT_PARAM_ERROR;
        goto error_exit;
    }
    page_shift = rtas_ld(a, 3);
    window_shift = rtas_ld(a, 4);
    status = ddw_check_shifts(sphb, page_shift, window_shift);
    if (status != RTAS_OUT_SUCCESS) {
        goto error_exit;
    }
    /* No slot left is a hardware error, as in QEMU (LoPAR would say -3). */
    tcet = spapr_phb_get_free_table(sphb);
    if (!tcet) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,create-pe-dma-window: both "
                      "windows of PHB 0x%" PRIx64 " are in use\n", sphb->buid);
        status = RTAS_OUT_HW_ERROR;
        goto error_exit;
    }
    /* The address depends on how many windows exist, not on the slot. */
    if (!ddw_pick_address(sphb, window_shift, &win_addr)) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,create-pe-dma-window: a 2^%u "
                      "byte window would overlap an active window at both "
                      "base addresses\n", window_shift);
        status = RTAS_OUT_HW_ERROR;
        goto error_exit;
    }
    if (!spapr_tce_table_enable(tcet, page_shift, win_addr,
                                1U << (window_shift - page_shift), &err)) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,create-pe-dma-window: %s\n",
                      error_get_pretty(err));
        error_free(err);
        status = RTAS_OUT_HW_ERROR;
        goto error_exit;
    }
    rtas_st(a, 0, RTAS_OUT_SUCCESS);
    rtas_st(a, 1, tcet->liobn);
    rtas_st(a, 2, win_addr >> 32);
    rtas_st(a, 3, (uint32_t)win_addr);
    trace_spapr_iommu_ddw_create(sphb->buid, rtas_ld(a, 0),
                                 1ULL << page_shift, 1ULL << window_shift,
                                 tcet->bus_offset, tcet->liobn);
    return;

error_exit:
    trace_spapr_iommu_ddw_create_error(rtas_buid(a), rtas_ld(a, 3),
                                       rtas_ld(a, 4), status);
    rtas_st(a, 0, status);
}

/* The PHB owning a table, found without asserting casts (VIO LIOBNs). */
static SpaprPhbState *tce_owner_phb(SpaprTceTable *tcet)
{
    Object *parent = OBJECT(tcet)->parent;

    return (SpaprPhbState *)object_dynamic_cast(parent,
                                                TYPE_SPAPR_PCI_HOST_BRIDGE);
}

static void rtas_ibm_remove_pe_dma_window(SpaprMachineState *spapr,
                                          uint32_t token,
                                          const SpaprRtasArgs *a)
{
    SpaprPhbState *sphb;
    SpaprTceTable *tcet;
    uint32_t liobn = rtas_ld(a, 0);
    bool def_win;

    if (a->nargs != 1 || a->nret != 1) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,remove-pe-dma-window: nargs %u "
                      "nret %u (want 1 and 1)\n", a->nargs, a->nret);
        goto param_error_exit;
    }
    tcet = spapr_tce_find_by_liobn(liobn);
    sphb = tcet ? tce_owner_phb(tcet) : NULL;
    if (!sphb || !sphb->ddw_enabled || !tcet->nb_table) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,remove-pe-dma-window: LIOBN 0x%x "
                      "is not an active DDW-capable window\n", liobn);
        goto param_error_exit;
    }
    def_win = tcet->def_win;
    spapr_tce_table_disable(tcet);
    trace_spapr_iommu_ddw_remove(liobn);
    /*
     * LoPAR: removing the last window restores the default one (QEMU 7.1+),
     * unless it is the default window itself that goes.
     */
    if (spapr_phb_get_active_win_num(sphb) == 0 && !def_win) {
        spapr_phb_dma_reset(sphb);
    }
    rtas_st(a, 0, RTAS_OUT_SUCCESS);
    return;

param_error_exit:
    trace_spapr_iommu_ddw_remove_error(liobn, RTAS_OUT_PARAM_ERROR);
    rtas_st(a, 0, RTAS_OUT_PARAM_ERROR);
}

static void rtas_ibm_reset_pe_dma_window(SpaprMachineState *spapr,
                                         uint32_t token,
                                         const SpaprRtasArgs *a)
{
    SpaprPhbState *sphb;

    /* LoPAR 2.13's 4-argument form (limited addressing) is not offered. */
    if (a->nargs != 3 || a->nret != 1) {
        qemu_log_mask(LOG_GUEST_ERROR, "ibm,reset-pe-dma-window: nargs %u "
                      "nret %u (want 3 and 1)\n", a->nargs, a->nret);
        goto param_error_exit;
    }
    sphb = ddw_phb(a, "ibm,reset-pe-dma-window");
    if (!sphb) {
        goto param_error_exit;
    }
    spapr_phb_dma_reset(sphb);
    trace_spapr_iommu_ddw_reset(sphb->buid, rtas_ld(a, 0));
    rtas_st(a, 0, RTAS_OUT_SUCCESS);
    return;

param_error_exit:
    trace_spapr_iommu_ddw_reset_error(rtas_buid(a), RTAS_OUT_PARAM_ERROR);
    rtas_st(a, 0, RTAS_OUT_PARAM_ERROR);
}

static void spapr_rtas_ddw_init(void)
{
    spapr_rtas_register(RTAS_IBM_QUERY_PE_DMA_WINDOW,
                        "ibm,query-pe-dma-window",
                        rtas_ibm_query_pe_dma_window);
    spapr_rtas_register(RTAS_IBM_CREATE_PE_DMA_WINDOW,
                        "ibm,create-pe-dma-window",
                        rtas_ibm_create_pe_dma_window);
    spapr_rtas_register(RTAS_IBM_REMOVE_PE_DMA_WINDOW,
                        "ibm,remove-pe-dma-window",
                        rtas_ibm_remove_pe_dma_window);
    spapr_rtas_register(RTAS_IBM_RESET_PE_DMA_WINDOW,
                        "ibm,reset-pe-dma-window",
                        rtas_ibm_reset_pe_dma_window);
}

type_init(spapr_rtas_ddw_init)
