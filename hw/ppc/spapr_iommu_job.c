/*
 * sPAPR TCE tables: H_STUFF_TCE over a long range, in slices.
 *
 * DOC: long TCE hypercalls
 *
 * H_STUFF_TCE takes up to a window's worth of entries (2^31), not 512.
 * Zero, or any value while nobody listens, is stored as one extent: the
 * call costs O(runs).  A mapped constant while a VFIO container listens
 * is one host map per entry (each maps the same page; MAP_DMA needs
 * contiguous addresses, so nothing merges), as in QEMU 7.2: minutes for
 * 2^31 entries.  Such a call goes on as a job of SPAPR_TCE_JOB_SLICE
 * entries per main-loop iteration ("DOC: long guest calls"), so QMP is
 * served meanwhile, and its status reaches the guest at the end.
 *
 * What the guest sees does not change: the budget is checked once for
 * the whole range before anything is written (a constant joins one
 * extent, slice after slice), a host refusal clears the refused entry
 * and ends the call with H_HARDWARE, entries past the window give
 * H_PARAMETER after the rest is written.  The emulated host's own table
 * memory is charged in full when the window is created (as the kernel
 * charges locked_vm), so a long stuff allocates nothing unbounded there.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/ppc/spapr.h"
#include "hw/pci-host/spapr.h"
#include "spapr_iommu_internal.h"
#include "trace.h"

typedef struct SpaprTceStuffJob {
    SpaprHcallJob job;
    SpaprTceTable *tcet;
    uint64_t index;             /* first entry */
    uint64_t fit;               /* entries inside the window */
    uint64_t done;
    uint64_t tce;
    uint64_t npages;            /* what the guest asked for */
    uint64_t ioba;
} SpaprTceStuffJob;

/* The end of the call, traced as a short one is. */
static bool tce_stuff_end(SpaprTceStuffJob *s, target_ulong ret)
{
    s->job.ret = ret;
    trace_spapr_iommu_stuff(s->tcet->liobn, s->ioba, s->tce, s->npages, ret);
    return true;
}

bool spapr_tce_stuff_is_long(SpaprTceTable *tcet, uint64_t tce, uint64_t n)
{
    return n > SPAPR_TCE_JOB_SLICE && tce_perm_valid(tce) &&
           tcet->iommu.iommu_notifiers;
}

static bool tce_stuff_step(SpaprHcallJob *job)
{
    SpaprTceStuffJob *s = container_of(job, SpaprTceStuffJob, job);
    uint64_t n = MIN(SPAPR_TCE_JOB_SLICE, s->fit - s->done);
    SpaprTceSource src;
    Error *err = NULL;

    spapr_tce_source_const(&src, s->tce, n, tce_page_size(s->tcet));
    trace_spapr_iommu_stuff_slice(s->tcet->liobn, s->index + s->done, n,
                                  s->fit - s->done - n);
    if (!spapr_tce_write_unbudgeted(s->tcet, s->index + s->done, &src,
                                    &err)) {
        error_free(err);        /* logged by spapr_tce_undo_event */
        return tce_stuff_end(s, H_HARDWARE);
    }
    s->done += n;
    if (s->done < s->fit) {
        return false;
    }
    return tce_stuff_end(s, s->fit < s->npages ? H_PARAMETER : H_SUCCESS);
}

static void tce_stuff_free(SpaprHcallJob *job)
{
    g_free(container_of(job, SpaprTceStuffJob, job));
}

target_ulong spapr_tce_stuff_long(SpaprTceTable *tcet, uint64_t index,
                                  uint64_t fit, uint64_t tce,
                                  uint64_t npages, uint64_t ioba)
{
    SpaprTceStuffJob *s;
    SpaprTceSource whole;
    Error *err = NULL;

    spapr_tce_source_const(&whole, tce, fit, tce_page_size(tcet));
    if (!spapr_tce_write_fits(tcet, index, &whole, &err) ||
        !spapr_tce_budget_allows(tcet, &whole, &err)) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_STUFF_TCE: %s\n",
                      error_get_pretty(err));
        error_free(err);
        trace_spapr_iommu_stuff(tcet->liobn, ioba, tce, npages, H_NO_MEM);
        return H_NO_MEM;
    }
    s = g_new0(SpaprTceStuffJob, 1);
    *s = (SpaprTceStuffJob) {
        .job = { .step = tce_stuff_step, .free = tce_stuff_free,
                 .opcode = H_STUFF_TCE },
        .tcet = tcet, .index = index, .fit = fit, .tce = tce,
        .npages = npages, .ioba = ioba,
    };
    if (spapr_hcall_continue(&s->job)) {
        trace_spapr_iommu_stuff_job(tcet->liobn, index, fit);
        return H_SUCCESS;       /* ignored: the job answers */
    }
    return spapr_hcall_job_run(&s->job);
}
