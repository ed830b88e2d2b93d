/*
 * A long H_STUFF_TCE (a mapped constant over 2^19 entries while the
 * emulated POWER host's VFIO container maps each one) goes on in slices:
 * QMP answers while it is in flight, what would pause vCPUs waits for it
 * (other monitors still answer), quit drops it cleanly, and afterwards
 * the guest's table, the host's mappings (device DMA) and a migrated
 * copy all agree.
 *
 * No timing: the assertions are about order (which answer had arrived
 * when another was read).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libqtest.h"
#include "libqos/edu.h"
#include "libqos/migrate.h"
#include "libqos/qmp.h"
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

/*
 * One try: system_reset on monitor A waits for the call while monitor B
 * answers query-status; true if B answered while the call was in
 * flight.  A's answer always comes after the hypercall's.
 */
static bool reset_waits_once(MigVm *vm, QMPClient *a, QMPClient *b)
{
    g_autoptr(JsonNode) st = NULL;
    static const char reset[] = "{\"execute\": \"system_reset\"}\n";
    JsonObject *ra;
    uint64_t start, tce;
    uint32_t liobn = make_window(vm->qts, &start);
    bool in_flight;

    stuff_send(vm->qts, liobn, start, STUFF_TCE);
    qmp_send_raw(a, reset, strlen(reset));
    st = qmp_cmd_ok(b, "{\"execute\": \"query-status\"}");
    in_flight = !qtest_answer_arrived(vm->qts);
    ra = qmp_receive(a);
    g_assert_true(json_object_has_member(ra, "return"));
    json_object_unref(ra);
    g_assert_true(qtest_answer_arrived(vm->qts));
    stuff_receive(vm->qts);
    /* the reset came after the call: it removed the filled window */
    g_assert_cmphex(qh_get_tce(vm->qts, liobn, start, &tce), ==,
                    H_PARAMETER_U);
    return in_flight;
}

static void test_reset_waits_others_answer(void)
{
    char *dir = mig_tmp_dir();
    g_autofree char *pa = g_strdup_printf("%s/a.qmp", dir);
    g_autofree char *pb = g_strdup_printf("%s/b.qmp", dir);
    g_autofree char *extra = g_strdup_printf(
        VFIO_ARGS " -qmp unix:%s,server=on,wait=off "
        "-qmp unix:%s,server=on,wait=off", pa, pb);
    MigVm *vm = mig_vm_start(dir, "src", "pseries-2.7", extra);
    QMPClient *a = qmp_client_connect(pa), *b = qmp_client_connect(pb);
    uint8_t pattern[PAGE];
    bool seen = false;

    qmp_client_negotiate(a);
    qmp_client_negotiate(b);
    mig_fill_pattern(pattern, 41);
    qtest_memwrite(vm->qts, DMA_RAM, pattern, sizeof(pattern));
    for (int i = 0; i < INFLIGHT_TRIES && !seen; i++) {
        seen = reset_waits_once(vm, a, b);
    }
    g_assert_true(seen);
    qmp_client_close(a);
    qmp_client_close(b);
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

/* A client of a -qtest unix: server, once the server takes it. */
static QTestState *connect_when_served(const char *path)
{
    for (int i = 0; i < WAIT_TRIES; i++) {
        QTestState *s;
        g_autofree char *ans = NULL;

        if (g_file_test(path, G_FILE_TEST_EXISTS)) {
            s = qtest_connect(path);
            qtest_send_line(s, "endianness");
            /* turned away while the last client is not gone yet */
            if (qtest_peek_line(s, &ans)) {
                g_assert_cmpstr(ans, ==, "OK big");
                return s;
            }
            qtest_quit(s);
        }
        g_usleep(10000);
    }
    g_assert_not_reached();
}

/*
 * The client that made the call leaves before its answer: the answer is
 * dropped, the next client gets answers to its own lines only.
 */
static void test_orphaned_answer(void)
{
    char *dir = mig_tmp_dir();
    g_autofree char *path = g_build_filename(dir, "qtest.sock", NULL);
    g_autofree char *args = g_strdup_printf(
        "%s -qtest unix:%s,server=on,wait=off -M pseries-2.7 " MACHINE_ARGS
        VFIO_ARGS " -S", qtest_binary(), path);
    g_auto(GStrv) argv = NULL;
    QTestState *s;
    uint64_t start;
    uint32_t liobn;
    GPid pid;
    int status;

    g_assert_true(g_shell_parse_argv(args, NULL, &argv, NULL));
    g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                qtest_child_setup, GINT_TO_POINTER(getpid()),
                                &pid, NULL));
    s = connect_when_served(path);
    liobn = make_window(s, &start);
    stuff_send(s, liobn, start, STUFF_TCE);
    qtest_quit(s);
    s = connect_when_served(path);
    g_assert_cmphex(qtest_readl(s, 0x1000), ==, 0);
    qtest_quit(s);
    g_assert_cmpint(kill(pid, SIGTERM), ==, 0);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_spawn_close_pid(pid);
    mig_rm_dir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/spapr-long-hcall/qmp-in-flight-then-migrate",
                   test_qmp_in_flight_then_migrate);
    g_test_add_func("/spapr-long-hcall/reset-waits", test_reset_waits);
    g_test_add_func("/spapr-long-hcall/reset-waits-others-answer",
                    test_reset_waits_others_answer);
    g_test_add_func("/spapr-long-hcall/quit-in-flight", test_quit_in_flight);
    g_test_add_func("/spapr-long-hcall/orphaned-answer",
                    test_orphaned_answer);
    return g_test_run();
}
