/*
 * A long H_STUFF_TCE (a mapped constant over 2^19 entries while the
 * emulated POWER host's VFIO container maps each one) goes on in slices:
 * QMP answers while it is in flight, what would pause vCPUs waits for it,
 * quit drops it cleanly, and afterwards the guest's table, the host's
 * mappings (device DMA) and a migrated copy all agree.
 *
 * No timing: the assertions are about order (which answer had arrived
 * when another was read).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include "libqtest.h"
#include "libqos/edu.h"
#include "libqos/migrate.h"
#include "libqos/rtas.h"

#define STUFF_SHIFT     12
#define STUFF_WIN_SHIFT 31
#define STUFF_ENTRIES   (1ULL << (STUFF_WIN_SHIFT - STUFF_SHIFT))
#define STUFF_TCE       (DMA_RAM | 3)
#define H_STUFF_TCE     0x138
/* Attempts at catching the call in flight (each takes 128 slices). */
#define INFLIGHT_TRIES  3

static uint32_t make_window(QTestState *qts, uint64_t *start)
{
    uint32_t liobn;

    g_assert_cmpint(qrtas_create(qts, BUID0, STUFF_SHIFT, STUFF_WIN_SHIFT,
                                 &liobn, start), ==, RTAS_SUCCESS);
    return liobn;
}

static void stuff_send(QTestState *qts, uint32_t liobn, uint64_t start,
                       uint64_t tce)
{
    g_autofree char *line = g_strdup_printf(
        "hcall 0x%x 0x%x 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64,
        H_STUFF_TCE, liobn, start, tce, (uint64_t)STUFF_ENTRIES);

    qtest_send_line(qts, line);
}

static void stuff_receive(QTestState *qts)
{
    g_autofree char *ans = qtest_receive_line(qts);

    g_assert_true(g_str_has_prefix(ans, "OK 0x0 "));
}

/*
 * Sends the stuff, then query-status: true if the QMP answer came while
 * the hypercall's had not (the old synchronous call always answered
 * first).
 */
static bool qmp_answers_in_flight(MigVm *vm, uint32_t liobn, uint64_t start,
                                  uint64_t tce)
{
    g_autofree char *st = NULL;
    bool in_flight;

    stuff_send(vm->qts, liobn, start, tce);
    st = mig_run_status(vm);
    in_flight = !qtest_answer_arrived(vm->qts);
    g_assert_cmpstr(st, ==, "prelaunch");
    stuff_receive(vm->qts);
    return in_flight;
}

static void check_entries(QTestState *qts, uint32_t liobn, uint64_t start)
{
    static const uint64_t idx[] = { 0, 1, STUFF_ENTRIES / 2,
                                    STUFF_ENTRIES - 1 };
    uint64_t tce;

    for (size_t i = 0; i < G_N_ELEMENTS(idx); i++) {
        g_assert_cmphex(qh_get_tce(qts, liobn, start + (idx[i] << 12), &tce),
                        ==, H_SUCCESS_U);
        g_assert_cmphex(tce, ==, STUFF_TCE);
    }
}

/*
 * The host maps every entry to the same page: the device reads the
 * pattern through entry k and writes it back through entry k too.
 */
static void check_host(QTestState *qts, uint64_t start, uint64_t seed)
{
    static const uint64_t idx[] = { 0, STUFF_ENTRIES / 3,
                                    STUFF_ENTRIES - 1 };
    uint8_t want[PAGE], got[64];
    QEdu e;

    mig_fill_pattern(want, seed);
    qedu_init(&e, qts, BUID0, 0, PHB0_MMIO32_CPU);
    for (size_t i = 0; i < G_N_ELEMENTS(idx); i++) {
        uint64_t ioba = start + (idx[i] << STUFF_SHIFT);

        qtest_memset(qts, DMA_RAM + 0x800, 0, sizeof(got));
        g_assert_true(qedu_dma(&e, ioba, EDU_BUF, 64, false));
        g_assert_true(qedu_dma(&e, EDU_BUF, ioba + 0x800, 64, true));
        qtest_memread(qts, DMA_RAM + 0x800, got, sizeof(got));
        g_assert_cmpmem(got, sizeof(got), want, sizeof(got));
    }
}

static MigVm *start_src(const char *dir, uint32_t *liobn, uint64_t *start)
{
    MigVm *vm = mig_vm_start(dir, "src", "pseries-2.7", VFIO_ARGS);
    uint8_t pattern[PAGE];

    mig_fill_pattern(pattern, 41);
    qtest_memwrite(vm->qts, DMA_RAM, pattern, sizeof(pattern));
    *liobn = make_window(vm->qts, start);
    return vm;
}

/*
 * QMP answers while the call is in flight; then the table, the host's
 * mappings and the migrated destination agree.
 */
static void test_qmp_in_flight_then_migrate(void)
{
    char *dir = mig_tmp_dir();
    g_autofree char *path = NULL, *incoming = NULL, *st = NULL;
    uint64_t start, tce;
    uint32_t liobn;
    MigVm *src = start_src(dir, &liobn, &start), *dst;
    bool seen = false;

    /* Stuffing the same value again maps every entry again. */
    for (int i = 0; i < INFLIGHT_TRIES && !seen; i++) {
        seen = qmp_answers_in_flight(src, liobn, start, STUFF_TCE);
    }
    g_assert_true(seen);
    check_entries(src->qts, liobn, start);
    g_assert_cmphex(qh_get_tce(src->qts, liobn, start + (STUFF_ENTRIES << 12),
                               &tce), ==, H_PARAMETER_U);
    check_host(src->qts, start, 41);

    path = mig_save_stream(src, dir, "long.mig");
    incoming = g_strdup_printf("-incoming 'exec:cat %s' " VFIO_ARGS, path);
    dst = mig_vm_start(dir, "dst", "pseries-2.7", incoming);
    st = mig_wait_end(dst);
    g_assert_cmpstr(st, ==, "completed");
    check_entries(dst->qts, liobn, start);
    check_host(dst->qts, start, 41);
    mig_vm_quit(src);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

/*
 * system_reset waits for the call (its vCPU would pause first): by the
 * time the reset is answered, the hypercall's success had arrived, and
 * the reset then removed the window it filled.
 */
static void test_reset_waits(void)
{
    char *dir = mig_tmp_dir();
    uint64_t start, tce;
    uint32_t liobn;
    MigVm *vm = start_src(dir, &liobn, &start);

    stuff_send(vm->qts, liobn, start, STUFF_TCE);
    mig_qmp_ok(vm->qmp, "{\"execute\": \"system_reset\"}");
    g_assert_true(qtest_answer_arrived(vm->qts));
    stuff_receive(vm->qts);
    g_assert_cmphex(qh_get_tce(vm->qts, liobn, start, &tce), ==,
                    H_PARAMETER_U);
    mig_vm_quit(vm);
    mig_rm_dir(dir);
}

/* quit while the call is in flight: the process ends cleanly (status 0). */
static void test_quit_in_flight(void)
{
    char *dir = mig_tmp_dir();
    uint64_t start;
    uint32_t liobn;
    MigVm *vm = start_src(dir, &liobn, &start);

    stuff_send(vm->qts, liobn, start, STUFF_TCE);
    mig_qmp_ok(vm->qmp, "{\"execute\": \"quit\"}");
    mig_vm_quit(vm);
    mig_rm_dir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-long-hcall/qmp-in-flight-then-migrate",
                   test_qmp_in_flight_then_migrate);
    g_test_add_func("/spapr-long-hcall/reset-waits", test_reset_waits);
    g_test_add_func("/spapr-long-hcall/quit-in-flight", test_quit_in_flight);
    return g_test_run();
}
