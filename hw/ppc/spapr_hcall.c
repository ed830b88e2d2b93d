/*
 * Hypercall dispatch: a table of handlers indexed by opcode, filled by the
 * files that own the calls (spapr_iommu.c registers the TCE family).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/ppc/spapr.h"
#include "trace.h"

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
    trace_spapr_hcall(opcode, ret);
    return ret;
}
