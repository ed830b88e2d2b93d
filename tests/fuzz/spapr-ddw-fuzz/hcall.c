/*
 * The DDW fuzzer's hcall side: H_PUT_TCE, H_GET_TCE, H_STUFF_TCE and
 * H_PUT_TCE_INDIRECT with hostile arguments, each return predicted from
 * the shadow tables and the TCE budget (the machine's tce-budget, which
 * op_budget tightens now and then: H_NO_MEM exactly when a write could
 * take the tables past it, and then nothing changed).
 *
 * Long calls: H_STUFF_TCE of up to a whole window, zero or a constant.
 * A constant without permission is stored as one extent however long;
 * a mapped one, with the notifier listening, is one host map per entry
 * and runs as a job of SPAPR_TCE_JOB_SLICE entries per main-loop
 * iteration (hw/ppc/spapr_iommu_job.c): issued through
 * spapr_hypercall_async, the loop here turns the main loop until the
 * answer comes and checks it took more than one iteration.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/ppc/spapr_tce_store.h"
#include "hw/ppc/spapr_iommu_internal.h"
#include "tests/fuzz/spapr-ddw-fuzz/fuzz.h"

uint32_t rnd_liobn32(void)
{
    if (chance(85)) {
        return fz.t[rnd_below(fz.ntables)].tcet->liobn;
    }
    return chance(50) ? SPAPR_PCI_LIOBN(rnd_below(4), rnd_below(3)) :
                        (uint32_t)rnd_edge64();
}

static uint64_t rnd_liobn(void)
{
    uint64_t l = rnd_liobn32();

    return chance(3) ? l | rnd() << 32 : l;
}


/* Hypercalls, predicted from the shadow */

/* Entries of n from ioba that fit the window; 0 if none. */
uint64_t model_fit(FuzzTable *t, uint64_t ioba, uint64_t n, uint64_t *idx)
{
    SpaprTceTable *tc = t->tcet;

    if (!tc->nb_table) {
        return 0;
    }
    ioba &= ~((1ULL << tc->page_shift) - 1);
    if (ioba < tc->bus_offset) {
        return 0;
    }
    *idx = (ioba - tc->bus_offset) >> tc->page_shift;
    return *idx < tc->nb_table ? MIN(n, tc->nb_table - *idx) : 0;
}

uint64_t rnd_ioba(FuzzTable *t)
{
    SpaprTceTable *tc = t ? t->tcet : NULL;

    if (!tc || !tc->nb_table || chance(10)) {
        return chance(50) ? rnd_edge64() : rnd_below(1ULL << 40);
    }
    if (chance(15)) {
        /* around the ends of the window */
        uint64_t end = tc->bus_offset + ((uint64_t)tc->nb_table <<
                                         tc->page_shift);
        return (chance(50) ? tc->bus_offset : end) + rnd_below(0x40000) -
               0x20000;
    }
    return tc->bus_offset + (rnd_below(chance(50) ? 4096 : tc->nb_table) <<
                             tc->page_shift) + rnd_below(1ULL <<
                                                          tc->page_shift);
}

uint64_t rnd_tce(void)
{
    if (fz.host) {
        /* The VFIO mode: mostly in guest RAM, which the host can map */
        if (chance(2)) {
            return ((RAM_SIZE + rnd_below(RAM_SIZE)) & ~0xfffULL) |
                   (1 + rnd_below(3));
        }
        return chance(20) ? 0 : (rnd_below(RAM_SIZE) & ~0xfffULL) |
                                rnd_below(4);
    }
    switch (rnd_below(5)) {
    case 0:
        return 0;
    case 1:
        return rnd_edge64();
    default:
        return (rnd_below(RAM_SIZE) & ~0xfffULL) | rnd_below(4);
    }
}

/* The TCE budget: H_NO_MEM when a write could take tables past it. */

static uint64_t tables_bytes(void)
{
    uint64_t used = 0;

    for (int i = 0; i < fz.ntables; i++) {
        used += spapr_tce_table_bytes(fz.t[i].tcet);
    }
    return used;
}

/* Whether writing count entries (a list, or val repeated) is refused. */
static bool model_over_budget(uint64_t count, bool list, uint64_t val)
{
    uint64_t budget = spapr_machine_get()->tce_budget, used = tables_bytes();
    SpaprTceRun run = { 0, count, list ? 1 : val, list ? 1 : 0 };
    uint64_t cost = spapr_tce_store_run_cost(&run);

    return count && (used > budget || cost > budget - used);
}

/* Now and then a budget just above what the tables hold, or back. */
void op_budget(void)
{
    spapr_machine_get()->tce_budget = chance(75) ? FUZZ_BUDGET :
                                      tables_bytes() + rnd_below(32768);
}

/*
 * A call the notifier refused a run of: entries before that run are
 * applied, the run is cleared, later ones are untouched.  Each entry
 * must be one of those three; the shadow takes what the table holds.
 */
static void hcall_refused(FuzzTable *t, uint64_t idx, uint64_t fit,
                          const uint64_t *list, uint64_t val)
{
    g_autofree uint64_t *now = g_new(uint64_t, fit);
    uint64_t i, j;

    g_assert_cmpuint(fit, <=, FUZZ_LONG_MAX);
    for (i = 0; i < fit; i++) {
        now[i] = spapr_tce_get_entry(t->tcet, idx + i);
        g_assert_true(now[i] == (list ? list[i] : val) || now[i] == 0 ||
                      now[i] == shadow_get(t, idx + i));
    }
    for (i = 0; i < fit; i = j) {
        for (j = i + 1; j < fit && now[j] == now[i]; j++) {
            continue;
        }
        shadow_set_range(t, idx + i, j - i, now[i]);
    }
}

/*
 * After a TCE hcall that stored over [idx, idx + fit) (list, or val when
 * list is NULL): the shadow takes the new values, or on H_HARDWARE what
 * hcall_refused allows, and the host mirror must agree with it.
 */
static void hcall_done(FuzzTable *t, target_ulong ret, target_ulong want,
                       uint64_t idx, uint64_t fit, const uint64_t *list,
                       uint64_t val)
{
    bool refused = fz.refused != fz.refused_at_op, host_refuses;

    if (want == (target_ulong)H_NO_MEM) {
        /* Refused before anything changed, even what the host would map */
        fz.no_mem++;
        g_assert_cmpint(ret, ==, want);
        g_assert_false(refused);
        check_touched(t, idx, fit);
        return;
    }

    /* The VFIO mode's host refuses TCEs past guest RAM (vfio.c) */
    host_refuses = vfio_refuses(t, fit, list, val);
    refused |= host_refuses;
    /* H_HARDWARE exactly when the notifier refused a MAP of this call */
    g_assert_cmpint(ret == (target_ulong)H_HARDWARE, ==, refused);
    if (refused) {
        fz.hw_errors++;
        g_assert_true((fz.refusing || host_refuses) && fit);
        hcall_refused(t, idx, fit, list, val);
    } else if (list) {
        g_assert_cmpint(ret, ==, want);
        for (uint64_t i = 0; i < fit; i++) {
            shadow_set(t, idx + i, list[i]);
        }
    } else {
        g_assert_cmpint(ret, ==, want);
        if (fit) {
            shadow_set_range(t, idx, fit, val);
        }
    }
    if (fit) {
        check_touched(t, idx, fit);
        vfio_check_touched(t, idx, fit);
    }
}

void op_put_get(bool put)
{
    uint64_t liobn = rnd_liobn(), idx = 0, fit;
    FuzzTable *t = liobn <= UINT32_MAX ? table_by_liobn(liobn) : NULL;
    target_ulong args[SPAPR_HCALL_NARGS] = { liobn, rnd_ioba(t), rnd_tce() };
    target_ulong want = H_PARAMETER, ret;
    uint64_t tce = args[2], ioba = args[1];

    fit = t ? model_fit(t, ioba, 1, &idx) : 0;
    want = fit ? H_SUCCESS : H_PARAMETER;
    if (put && fit && model_over_budget(1, false, tce)) {
        want = H_NO_MEM;
    }
    ret = spapr_hypercall(spapr_machine_get(), put ? H_PUT_TCE : H_GET_TCE,
                          args);
    fz.hcalls++;
    if (put) {
        hcall_done(t, ret, want, idx, fit, NULL, tce);
        return;
    }
    g_assert_cmpint(ret, ==, want);
    /* r4: the entry, or untouched */
    g_assert_cmphex(args[0], ==, fit ? shadow_get(t, idx) : liobn);
}

static uint64_t rnd_npages(FuzzTable *t, bool stuff)
{
    uint64_t nb = t && t->tcet->nb_table ? t->tcet->nb_table : 1;

    switch (rnd_below(10)) {
    case 0:
        return rnd_edge64();
    case 1:
        return chance(50) ? 512 : 513;
    case 2:
        return stuff ? nb + rnd_below(2) : 0;
    default:
        return 1 + rnd_below(chance(80) ? 16 : 600);
    }
}

/* Long calls: the answer, given from the main loop */

static uint64_t slices(uint64_t n)
{
    return (n + SPAPR_TCE_JOB_SLICE - 1) / SPAPR_TCE_JOB_SLICE;
}

static target_ulong async_ret;
static bool async_answered;

static void stuff_answered(target_ulong ret)
{
    async_ret = ret;
    async_answered = true;
}

/*
 * H_STUFF_TCE as a vCPU's hcall is made: a long one answers from the
 * main loop, which turns here until it does (*iterations of it; 0 when
 * the call answered at once).  Until it answers, the last entry is what
 * it was (slices go in order) and the first is that or val.
 */
static target_ulong stuff_async(FuzzTable *t, target_ulong *args,
                                uint64_t idx, uint64_t fit,
                                uint64_t *iterations)
{
    uint64_t first = fit ? shadow_get(t, idx) : 0;
    uint64_t last = fit ? shadow_get(t, idx + fit - 1) : 0, now;
    target_ulong ret;

    async_answered = false;
    *iterations = 0;
    if (spapr_hypercall_async(spapr_machine_get(), H_STUFF_TCE, args, &ret,
                              stuff_answered)) {
        g_assert_false(async_answered);
        return ret;
    }
    g_assert_cmpuint(fit, >, SPAPR_TCE_JOB_SLICE);
    while (!async_answered) {
        g_main_context_iteration(NULL, false);
        ++*iterations;
        if (!async_answered && fz.refused == fz.refused_at_op &&
            !vfio_refuses(t, fit, NULL, args[2])) {
            now = spapr_tce_get_entry(t->tcet, idx);
            g_assert_true(now == first || now == args[2]);
            g_assert_cmphex(spapr_tce_get_entry(t->tcet, idx + fit - 1), ==,
                            last);
        }
        /* cannot hang: each iteration runs a slice or another source */
        g_assert_cmpuint(*iterations, <=,
                         4 * slices(fit) + 64);
    }
    return async_ret;
}

/*
 * Up to a whole window; a mapped constant (one host map per entry) at
 * most FUZZ_LONG_MAX entries, often more than one slice.
 */
static uint64_t rnd_stuff_npages(FuzzTable *t, uint64_t val)
{
    uint64_t nb = t ? t->tcet->nb_table : 0;
    uint64_t n = chance(10) ? SPAPR_TCE_JOB_SLICE + 1 +
                              rnd_below(FUZZ_LONG_MAX - SPAPR_TCE_JOB_SLICE)
                            : rnd_npages(t, true);

    if ((val & TCE_VALID_BITS) && n > FUZZ_LONG_MAX && n <= nb) {
        n = 1 + rnd_below(FUZZ_LONG_MAX);
    }
    return n;
}

void op_stuff(void)
{
    uint64_t liobn = rnd_liobn(), idx = 0, fit = 0, val = rnd_tce();
    FuzzTable *t = liobn <= UINT32_MAX ? table_by_liobn(liobn) : NULL;
    uint64_t npages = rnd_stuff_npages(t, val), iterations = 0;
    target_ulong args[SPAPR_HCALL_NARGS] = { liobn, rnd_ioba(t), val, npages };
    target_ulong want = H_PARAMETER, ret;
    bool is_long;

    if (t && npages && npages <= t->tcet->nb_table) {
        fit = model_fit(t, args[1], npages, &idx);
        want = fit == npages ? H_SUCCESS : H_PARAMETER;
        if (model_over_budget(fit, false, val)) {
            want = H_NO_MEM;
        }
    }
    /* Every table has a listener: a mapped constant over a slice is long */
    is_long = fit > SPAPR_TCE_JOB_SLICE && (val & TCE_VALID_BITS) &&
              want != (target_ulong)H_NO_MEM;
    fz.huge_stuffs += fit > FUZZ_LONG_MAX;
    if (chance(50)) {
        ret = stuff_async(t, args, idx, fit, &iterations);
        g_assert_cmpint(iterations != 0, ==, is_long);
        if (is_long && ret != (target_ulong)H_HARDWARE) {
            g_assert_cmpuint(iterations, >=,
                             slices(fit));
        }
        fz.long_calls += is_long;
        fz.long_slices += iterations;
    } else {
        ret = spapr_hypercall(spapr_machine_get(), H_STUFF_TCE, args);
    }
    fz.hcalls++;
    hcall_done(t, ret, want, idx, fit, NULL, val);
}

void op_indirect(void)
{
    uint64_t liobn = rnd_liobn(), idx = 0, fit = 0;
    FuzzTable *t = liobn <= UINT32_MAX ? table_by_liobn(liobn) : NULL;
    uint64_t npages = rnd_npages(t, false), list[512];
    uint64_t list_addr = LIST_AREA + rnd_below(16) * 0x1000;
    target_ulong args[SPAPR_HCALL_NARGS], want = H_PARAMETER, ret;
    unsigned n = MIN(npages, 512);

    if (chance(40)) {
        /* A Linux-style map: a progression, now and then a stray entry */
        uint64_t ps = t && t->tcet->nb_table ? 1ULL << t->tcet->page_shift
                                             : 4096;
        uint64_t base = (rnd_below(RAM_SIZE) & ~(ps - 1)) | (1 + rnd_below(3));

        for (unsigned i = 0; i < n; i++) {
            list[i] = GUINT64_TO_BE(chance(2) ? rnd_tce() : base + i * ps);
        }
    } else {
        for (unsigned i = 0; i < n; i++) {
            list[i] = GUINT64_TO_BE(rnd_tce());
        }
    }
    address_space_write(&address_space_memory, list_addr,
                        MEMTXATTRS_UNSPECIFIED, list, n * 8);
    if (chance(5)) {
        list_addr = chance(50) ? rnd_edge64() : list_addr + rnd_below(4096);
    } else if (chance(3)) {
        list_addr = RAM_SIZE - 0x1000 * rnd_below(2);   /* runs off RAM */
    }
    args[0] = liobn;
    args[1] = rnd_ioba(t);
    args[2] = list_addr;
    args[3] = npages;
    if (t && npages && npages <= 512 && !(list_addr & 0xfff)) {
        fit = model_fit(t, args[1], npages, &idx);
        want = fit == npages ? H_SUCCESS : H_PARAMETER;
        if (model_over_budget(fit, true, 0)) {
            want = H_NO_MEM;
        }
        /* What the guest's list holds (zeros past RAM) */
        memset(list, 0, sizeof(list));
        address_space_read(&address_space_memory, list_addr,
                           MEMTXATTRS_UNSPECIFIED, list, fit * 8);
    }
    ret = spapr_hypercall(spapr_machine_get(), H_PUT_TCE_INDIRECT, args);
    fz.hcalls++;
    for (uint64_t i = 0; i < fit; i++) {
        list[i] = GUINT64_FROM_BE(list[i]);
    }
    hcall_done(t, ret, want, idx, fit, list, 0);
}

static bool is_tce_hcall(uint64_t op)
{
    return op == H_PUT_TCE || op == H_GET_TCE || op == H_STUFF_TCE ||
           op == H_PUT_TCE_INDIRECT;
}

/* Any other hcall number, with any arguments: must just be refused. */
void op_random_hcall(void)
{
    target_ulong args[SPAPR_HCALL_NARGS];
    uint64_t op;

    do {
        op = chance(50) ? rnd_edge64() : rnd_below(0x500) & ~3ULL;
    } while (is_tce_hcall(op));
    for (int i = 0; i < SPAPR_HCALL_NARGS; i++) {
        args[i] = rnd_edge64();
    }
    g_assert_cmpint(spapr_hypercall(spapr_machine_get(), op, args), ==,
                    H_FUNCTION);
}

