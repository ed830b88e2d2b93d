/*
 * Hypercall dispatch: a table of handlers indexed by opcode, filled by the
 * files that own the calls (spapr_iommu.c registers the TCE family).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/ppc/spapr.h"
#include "sysemu/guest-call.h"
#include "trace.h"

/* Long hypercalls: the caller that can wait, and the job's caller */
static SpaprHcallDone *async_done;
static SpaprHcallDone *job_done;
static bool async_pending;
static SpaprHcallFn *papr_hypercall_table[(MAX_HCALL_OPCODE / 4) + 1];
static SpaprHcallFn *kvmppc_hypercall_table[KVMPPC_HCALL_MAX -
                                            KVMPPC_HCALL_BASE + 1];

void spapr_register_hypercall(target_ulong opcode, SpaprHcallFn *fn)
{
    SpaprHcallFn **slot;

    if (opcode <= MAX_HCALL_OPCODE) {
        g_assert((opcode & 0x3) == 0);
        slot = &papr_hypercall_table[opcode / 4];
    } else {
        g_assert(opcode >= KVMPPC_HCALL_BASE && opcode <= KVMPPC_HCALL_MAX);
        slot = &kvmppc_hypercall_table[opcode - KVMPPC_HCALL_BASE];
    }
    g_assert(!*slot || *slot == fn);
    *slot = fn;
}

target_ulong spapr_hypercall(SpaprMachineState *spapr, target_ulong opcode,
                             target_ulong *args)
{
    SpaprHcallFn *fn = NULL;
    target_ulong ret;

    if (opcode <= MAX_HCALL_OPCODE && !(opcode & 0x3)) {
        fn = papr_hypercall_table[opcode / 4];
    } else if (opcode >= KVMPPC_HCALL_BASE && opcode <= KVMPPC_HCALL_MAX) {
        fn = kvmppc_hypercall_table[opcode - KVMPPC_HCALL_BASE];
    }
    if (!fn) {
        qemu_log_mask(LOG_UNIMP, "Unimplemented SPAPR hcall 0x%" PRIx64 "\n",
                      opcode);
        ret = H_FUNCTION;
    } else {
        ret = fn(spapr, opcode, args);
    }
    if (!async_pending) {
        trace_spapr_hcall(opcode, ret);     /* a job traces its end */
    }
    return ret;
}

/* Long hypercalls */


static bool spapr_hcall_job_step(void *opaque)
{
    SpaprHcallJob *job = opaque;

    return job->step(job);
}

static void spapr_hcall_job_finish(void *opaque)
{
    SpaprHcallJob *job = opaque;
    SpaprHcallDone *done = job_done;
    target_ulong ret = job->ret;

    trace_spapr_hcall(job->opcode, ret);
    job_done = NULL;
    job->free(job);
    done(ret);
}

static void spapr_hcall_job_abandon(void *opaque)
{
    SpaprHcallJob *job = opaque;

    trace_spapr_hcall_abandoned(job->opcode);
    job_done = NULL;
    job->free(job);
}

static const GuestCallOps spapr_hcall_job_ops = {
    .step = spapr_hcall_job_step,
    .finish = spapr_hcall_job_finish,
    .abandon = spapr_hcall_job_abandon,
};

bool spapr_hcall_continue(SpaprHcallJob *job)
{
    if (!async_done || guest_call_in_flight()) {
        return false;
    }
    job_done = async_done;
    async_done = NULL;
    async_pending = true;
    guest_call_start(&spapr_hcall_job_ops, job);
    return true;
}

target_ulong spapr_hcall_job_run(SpaprHcallJob *job)
{
    target_ulong ret;

    while (!job->step(job)) {
        continue;
    }
    ret = job->ret;
    job->free(job);
    return ret;
}

bool spapr_hypercall_async(SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args, target_ulong *ret,
                           SpaprHcallDone *done)
{
    bool pending;

    async_done = done;
    *ret = spapr_hypercall(spapr, opcode, args);
    pending = async_pending;
    async_done = NULL;
    async_pending = false;
    return !pending;
}
