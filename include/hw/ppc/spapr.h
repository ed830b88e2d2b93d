/*
 * The pseries (sPAPR) machine: RTAS and hypercall dispatch, status codes,
 * and the machine state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PPC_SPAPR_H
#define HW_PPC_SPAPR_H

#include "hw/boards.h"

typedef uint64_t target_ulong;

#define TYPE_SPAPR_MACHINE "spapr-machine"

/* 256 MiB: the LMB size; guest RAM is a whole number of them. */
#define SPAPR_MEMORY_BLOCK_SIZE (1ULL << 28)

OBJECT_DECLARE_TYPE(SpaprMachineState, SpaprMachineClass, SPAPR_MACHINE)

struct SpaprMachineClass {
    MachineClass parent_class;

    /* pseries-2.7 and older place PHBs with the legacy layout. */
    bool legacy_phb_placement;
};

struct SpaprMachineState {
    MachineState parent_obj;

    void *fdt_blob;             /* the tree built at the last reset */
    size_t fdt_size;
    uint64_t tce_budget;        /* bytes for all TCE tables; 0: default */
    /*
     * -machine x-vof=on: QEMU boots with Virtual Open Firmware instead of
     * SLOF.  No firmware runs here either way (there is no CPU); the
     * property is accepted so QEMU's command lines and qtests work.
     */
    bool vof;
};

/* Hypercall numbers (PAPR) and return codes */
#define H_SUCCESS         0
#define H_HARDWARE        -1
#define H_FUNCTION        -2
#define H_PRIVILEGE       -3
#define H_PARAMETER       -4
#define H_NO_MEM          -9
#define H_P2              -55
#define H_P3              -56
#define H_P4              -57

#define H_GET_TCE               0x1C
#define H_PUT_TCE               0x20
#define H_STUFF_TCE             0x138
#define H_PUT_TCE_INDIRECT      0x13C
#define MAX_HCALL_OPCODE        0x450
#define KVMPPC_HCALL_BASE       0xf000
#define KVMPPC_HCALL_MAX        0xf003

/* RTAS status codes */
#define RTAS_OUT_SUCCESS            0
#define RTAS_OUT_NO_ERRORS_FOUND    1
#define RTAS_OUT_HW_ERROR           -1
#define RTAS_OUT_BUSY               -2
#define RTAS_OUT_PARAM_ERROR        -3
#define RTAS_OUT_NOT_SUPPORTED      -3
#define RTAS_OUT_NOT_AUTHORIZED     -9002

/* RTAS tokens: QEMU's private numbering, published in /rtas. */
#define RTAS_TOKEN_BASE                 0x2000
#define RTAS_DISPLAY_CHARACTER          (RTAS_TOKEN_BASE + 0x00)
#define RTAS_GET_TIME_OF_DAY            (RTAS_TOKEN_BASE + 0x01)
#define RTAS_POWER_OFF                  (RTAS_TOKEN_BASE + 0x03)
#define RTAS_SYSTEM_REBOOT              (RTAS_TOKEN_BASE + 0x04)
#define RTAS_READ_PCI_CONFIG            (RTAS_TOKEN_BASE + 0x14)
#define RTAS_WRITE_PCI_CONFIG           (RTAS_TOKEN_BASE + 0x15)
#define RTAS_IBM_READ_PCI_CONFIG        (RTAS_TOKEN_BASE + 0x16)
#define RTAS_IBM_WRITE_PCI_CONFIG       (RTAS_TOKEN_BASE + 0x17)
#define RTAS_IBM_QUERY_PE_DMA_WINDOW    (RTAS_TOKEN_BASE + 0x26)
#define RTAS_IBM_CREATE_PE_DMA_WINDOW   (RTAS_TOKEN_BASE + 0x27)
#define RTAS_IBM_REMOVE_PE_DMA_WINDOW   (RTAS_TOKEN_BASE + 0x28)
#define RTAS_IBM_RESET_PE_DMA_WINDOW    (RTAS_TOKEN_BASE + 0x29)
#define RTAS_TOKEN_MAX                  (RTAS_TOKEN_BASE + 0x2D)

/*
 * RTAS arguments and results are arrays of big-endian 32-bit cells in
 * guest memory.  Handlers check nargs/nret before touching either; the
 * helpers bound the index again so a handler bug cannot read past them.
 */
typedef struct SpaprRtasArgs {
    uint32_t nargs;
    hwaddr args;
    uint32_t nret;
    hwaddr rets;
} SpaprRtasArgs;

uint32_t rtas_ld(const SpaprRtasArgs *a, unsigned n);
void rtas_st(const SpaprRtasArgs *a, unsigned n, uint32_t val);

typedef void SpaprRtasFn(SpaprMachineState *spapr, uint32_t token,
                         const SpaprRtasArgs *a);

void spapr_rtas_register(int token, const char *name, SpaprRtasFn *fn);
/* Runs the call registered under name; false if there is none. */
bool spapr_rtas_call_by_name(SpaprMachineState *spapr, const char *name,
                             const SpaprRtasArgs *a);
void spapr_rtas_foreach(void (*fn)(const char *name, uint32_t token,
                                   void *opaque), void *opaque);

/*
 * Hypercalls: args[0..8] are r4..r12 on entry and the handler writes its
 * outputs over them (r4 up), returning r3.
 */
#define SPAPR_HCALL_NARGS 9
typedef target_ulong SpaprHcallFn(SpaprMachineState *spapr,
                                  target_ulong opcode, target_ulong *args);

void spapr_register_hypercall(target_ulong opcode, SpaprHcallFn *fn);
target_ulong spapr_hypercall(SpaprMachineState *spapr, target_ulong opcode,
                             target_ulong *args);

/*
 * A long hypercall continues as a job, one bounded slice per main-loop
 * iteration (see "DOC: long guest calls"), when its caller can wait.
 */
typedef struct SpaprHcallJob SpaprHcallJob;
struct SpaprHcallJob {
    /* One slice; true when the call is over, with ret set. */
    bool (*step)(SpaprHcallJob *job);
    void (*free)(SpaprHcallJob *job);
    target_ulong opcode;
    target_ulong ret;
};
/*
 * From a handler: true if the call goes on as job (the handler's return
 * value is then ignored); false if the caller cannot wait, and the
 * handler runs the job to its end itself (spapr_hcall_job_run).
 */
bool spapr_hcall_continue(SpaprHcallJob *job);
target_ulong spapr_hcall_job_run(SpaprHcallJob *job);
/* The call's status once a job ends, or when it was never pending. */
typedef void SpaprHcallDone(target_ulong ret);
/*
 * spapr_hypercall() for a caller that can wait (qtest's hcall verb): true
 * with *ret set when the call completed now; false when it went on as a
 * job and done() will get the status (args then hold the inputs, which
 * such calls leave alone).
 */
bool spapr_hypercall_async(SpaprMachineState *spapr, target_ulong opcode,
                           target_ulong *args, target_ulong *ret,
                           SpaprHcallDone *done);

SpaprMachineState *spapr_machine_get(void);
void spapr_qtest_init(void);

/* Device tree */
void *spapr_build_fdt(SpaprMachineState *spapr, size_t *size, Error **errp);

#endif
