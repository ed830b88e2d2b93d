/*
 * The pseries qtest verbs: rtas (as in QEMU) and hcall (our extension:
 * there is no CPU to execute "sc 1").
 *
 *   rtas NAME NARGS ARGS NRET RETS  -> OK 0 (status in RETS[0]), or
 *                                      OK 18446744073709551612 (H_PARAMETER)
 *                                      when NAME is not a registered call
 *   hcall OPCODE [ARG...]           -> OK R3 R4 R5 R6 R7 R8 R9 R10 R11
 *
 * hcall takes up to 9 arguments (r4-r12); r3 is the return code and r4 on
 * hold the handler's outputs, or the inputs it left alone.  A long call
 * (see "DOC: long TCE hypercalls") answers when it completes; monitors
 * are served meanwhile.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/ppc/spapr.h"
#include "sysemu/qtest.h"

static void qtest_rtas(QTestReply *r, char **w)
{
    uint64_t nargs, args, nret, rets;
    SpaprRtasArgs a;

    if (!w[1] || !qtest_parse_u64(w[2], &nargs) ||
        !qtest_parse_u64(w[3], &args) || !qtest_parse_u64(w[4], &nret) ||
        !qtest_parse_u64(w[5], &rets) || w[6] || nargs > UINT32_MAX ||
        nret > UINT32_MAX) {
        qtest_reply_err(r, "rtas: expected NAME NARGS ARGS NRET RETS");
        return;
    }
    a = (SpaprRtasArgs) { .nargs = nargs, .args = args, .nret = nret,
                          .rets = rets };
    if (!spapr_rtas_call_by_name(spapr_machine_get(), w[1], &a)) {
        qtest_reply_ok(r, "%" PRIu64, (uint64_t)(int64_t)H_PARAMETER);
        return;
    }
    qtest_reply_ok(r, "0");
}

#define HCALL_REPLY_FMT "0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" \
    PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" \
    PRIx64

/* The inputs of the call in flight: a long call leaves them alone. */
static target_ulong pending_args[SPAPR_HCALL_NARGS];

static void qtest_hcall_done(target_ulong ret)
{
    target_ulong *a = pending_args;

    qtest_reply_later(HCALL_REPLY_FMT, ret, a[0], a[1], a[2], a[3], a[4],
                      a[5], a[6], a[7]);
}

static void qtest_hcall(QTestReply *r, char **w)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { 0 };
    uint64_t opcode;
    target_ulong ret;
    int n = 0;

    if (!qtest_parse_u64(w[1], &opcode)) {
        qtest_reply_err(r, "hcall: expected OPCODE [ARG...]");
        return;
    }
    for (char **p = &w[2]; *p; p++, n++) {
        if (n == SPAPR_HCALL_NARGS || !qtest_parse_u64(*p, &args[n])) {
            qtest_reply_err(r, "hcall: at most %d numeric arguments",
                            SPAPR_HCALL_NARGS);
            return;
        }
    }
    memcpy(pending_args, args, sizeof(args));
    if (!spapr_hypercall_async(spapr_machine_get(), opcode, args, &ret,
                               qtest_hcall_done)) {
        qtest_reply_defer(r);
        return;
    }
    qtest_reply_ok(r, HCALL_REPLY_FMT, ret, args[0], args[1], args[2],
                   args[3], args[4], args[5], args[6], args[7]);
}

static bool spapr_qtest_callback(QTestReply *r, char **words)
{
    if (!strcmp(words[0], "rtas")) {
        qtest_rtas(r, words);
    } else if (!strcmp(words[0], "hcall")) {
        qtest_hcall(r, words);
    } else {
        return false;
    }
    return true;
}

void spapr_qtest_init(void)
{
    qtest_set_command_cb(spapr_qtest_callback);
}
