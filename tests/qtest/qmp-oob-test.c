/*
 * QMP out-of-band execution, as QEMU 7.2 answers it: the greeting
 * offers "oob"; exec-oob is refused until qmp_capabilities enabled it,
 * then accepted for allow-oob commands only (migrate-pause,
 * migrate-recover), with QEMU's errors otherwise; the schema marks them;
 * and an out-of-band request overtakes in-band requests held while a
 * long guest call runs (H_STUFF_TCE over a VFIO container, as
 * spapr-long-hcall-test), while the in-band replies keep their order and
 * a malformed in-band request still fails in band.
 *
 * No timing: the assertions are about order (which reply came first).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include "libqtest.h"
#include "libqos/migrate.h"
#include "libqos/qmp.h"
#include "libqos/rtas.h"

#define STUFF_SHIFT     12
#define STUFF_WIN_SHIFT 31
#define STUFF_ENTRIES   (1ULL << (STUFF_WIN_SHIFT - STUFF_SHIFT))
#define STUFF_TCE       (DMA_RAM | 3)
/* Attempts at catching the call in flight (each takes 128 slices). */
#define INFLIGHT_TRIES  5
/* In-band requests of one try: fewer, or more, than the monitor holds */
#define FEW_REQS        6
#define MANY_REQS       11

#define PAUSE_DESC \
    "migrate-pause is currently only supported during postcopy-active state"
#define RECOVER_DESC "Migrate recover can only be run when postcopy is paused."

typedef struct OobVm {
    QTestState *qts;
    QMPClient *c;
    char *dir;
    char *path;
} OobVm;

static OobVm *oob_vm_start(const char *extra)
{
    OobVm *vm = g_new0(OobVm, 1);

    vm->dir = g_dir_make_tmp("qmp-oob-XXXXXX", NULL);
    g_assert_nonnull(vm->dir);
    vm->path = g_build_filename(vm->dir, "qmp.sock", NULL);
    vm->qts = qtest_initf("-qmp unix:%s,server=on,wait=off %s", vm->path,
                          extra);
    vm->c = qmp_client_connect(vm->path);
    return vm;
}

static void oob_vm_end(OobVm *vm)
{
    qmp_client_close(vm->c);
    qtest_quit(vm->qts);
    unlink(vm->path);
    rmdir(vm->dir);
    g_free(vm->path);
    g_free(vm->dir);
    g_free(vm);
}

static void negotiate_oob(QMPClient *c)
{
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": "
        "\"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}");
}

static void assert_err(QMPClient *c, const char *cls, const char *desc,
                       const char *req)
{
    g_autofree char *got = qmp_cmd_err(c, cls, "%s", req);

    g_assert_cmpstr(got, ==, desc);
}

static void test_greeting(void)
{
    OobVm *vm = oob_vm_start("");
    JsonObject *qmp = json_object_get_object_member(
        qmp_client_greeting(vm->c), "QMP");
    JsonArray *caps = json_object_get_array_member(qmp, "capabilities");

    g_assert_cmpuint(json_array_get_length(caps), ==, 1);
    g_assert_cmpstr(json_array_get_string_element(caps, 0), ==, "oob");
    oob_vm_end(vm);
}

/* Refusals during negotiation leave the session unnegotiated. */
static void test_negotiation_errors(void)
{
    OobVm *vm = oob_vm_start("");
    QMPClient *c = vm->c;

    assert_err(c, "GenericError", "QMP input member 'exec-oob' is unexpected",
               "{\"exec-oob\": \"migrate-pause\"}");
    assert_err(c, "GenericError", "Parameter 'null' does not accept value "
               "'cap-does-not-exist'", "{\"execute\": \"qmp_capabilities\", "
               "\"arguments\": {\"enable\": [\"cap-does-not-exist\"]}}");
    assert_err(c, "GenericError", "Invalid parameter type for 'enable', "
               "expected: array", "{\"execute\": \"qmp_capabilities\", "
               "\"arguments\": {\"enable\": \"oob\"}}");
    assert_err(c, "GenericError", "Invalid parameter type for 'enable[1]', "
               "expected: string", "{\"execute\": \"qmp_capabilities\", "
               "\"arguments\": {\"enable\": [\"oob\", 1]}}");
    assert_err(c, "CommandNotFound", "Expecting capabilities negotiation "
               "with 'qmp_capabilities'", "{\"execute\": \"query-status\"}");
    qmp_client_negotiate(c);
    /* negotiated without oob: exec-oob stays refused */
    assert_err(c, "GenericError", "QMP input member 'exec-oob' is unexpected",
               "{\"exec-oob\": \"migrate-pause\", \"id\": 1}");
    /* a second negotiation checks its arguments, then is refused */
    assert_err(c, "GenericError", "Invalid parameter type for 'enable', "
               "expected: array", "{\"execute\": \"qmp_capabilities\", "
               "\"arguments\": {\"enable\": \"oob\"}}");
    assert_err(c, "CommandNotFound", "Capabilities negotiation is already "
               "complete, command ignored", "{\"execute\": "
               "\"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}");
    assert_err(c, "GenericError", "QMP input member 'exec-oob' is unexpected",
               "{\"exec-oob\": \"migrate-pause\"}");
    oob_vm_end(vm);
}

/* With oob enabled: which requests exec-oob takes, and QEMU's errors. */
static void test_exec_oob(void)
{
    OobVm *vm = oob_vm_start("");
    QMPClient *c = vm->c;
    g_autoptr(JsonNode) st = NULL;
    JsonObject *r;

    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": "
        "\"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\", "
        "\"oob\"]}}");
    /* in-band requests need no "id" */
    st = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    assert_err(c, "GenericError", "The command query-status does not "
               "support OOB", "{\"exec-oob\": \"query-status\"}");
    assert_err(c, "GenericError", "The command qmp_capabilities does not "
               "support OOB", "{\"exec-oob\": \"qmp_capabilities\"}");
    assert_err(c, "CommandNotFound", "The command x-oob-test has not been "
               "found", "{\"exec-oob\": \"x-oob-test\", \"arguments\": "
               "{\"lock\": false}}");
    assert_err(c, "GenericError", "QMP input member 'execute' clashes with "
               "'exec-oob'", "{\"execute\": \"migrate-pause\", "
               "\"exec-oob\": \"migrate-pause\"}");
    assert_err(c, "GenericError", "QMP input member 'exec-oob' must be a "
               "string", "{\"exec-oob\": 1}");
    assert_err(c, "GenericError", "QMP input member 'control' is "
               "unexpected", "{\"exec-oob\": \"migrate-pause\", "
               "\"control\": {}}");
    assert_err(c, "GenericError", "Parameter 'uri' is missing",
               "{\"exec-oob\": \"migrate-recover\"}");
    assert_err(c, "GenericError", RECOVER_DESC, "{\"exec-oob\": "
               "\"migrate-recover\", \"arguments\": {\"uri\": \"tcp:x:1\"}}");
    assert_err(c, "GenericError", PAUSE_DESC, "{\"execute\": "
               "\"migrate-pause\"}");
    r = qmp_cmd(c, "{\"exec-oob\": \"migrate-pause\", \"id\": \"oob-1\"}");
    g_assert_cmpstr(json_object_get_string_member(r, "id"), ==, "oob-1");
    g_assert_true(json_object_has_member(r, "error"));
    json_object_unref(r);
    oob_vm_end(vm);
}

/* query-qmp-schema marks exactly the allow-oob commands; no x-oob-test. */
static void test_schema(void)
{
    OobVm *vm = oob_vm_start("");
    g_autoptr(JsonNode) ret = NULL;
    JsonArray *schema;
    unsigned oob = 0;

    qmp_client_negotiate(vm->c);
    ret = qmp_cmd_ok(vm->c, "{\"execute\": \"query-qmp-schema\"}");
    schema = qmp_ret_array(ret);
    for (guint i = 0; i < json_array_get_length(schema); i++) {
        JsonObject *e = json_array_get_object_element(schema, i);
        const char *name = json_object_get_string_member(e, "name");

        g_assert_cmpstr(name, !=, "x-oob-test");
        if (json_object_has_member(e, "allow-oob")) {
            g_assert_true(json_object_get_boolean_member(e, "allow-oob"));
            g_assert_cmpstr(json_object_get_string_member(e, "meta-type"),
                            ==, "command");
            g_assert_true(!strcmp(name, "migrate-pause") ||
                          !strcmp(name, "migrate-recover"));
            oob++;
        }
    }
    g_assert_cmpuint(oob, ==, 2);
    assert_err(vm->c, "CommandNotFound", "The command x-oob-test has not "
               "been found", "{\"execute\": \"x-oob-test\", \"arguments\": "
               "{\"lock\": true}}");
    oob_vm_end(vm);
}

/* Long guest calls */

static void stuff_send(QTestState *qts, uint32_t liobn, uint64_t start)
{
    g_autofree char *line = g_strdup_printf(
        "hcall 0x%x 0x%x 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64,
        H_STUFF_TCE, liobn, start, (uint64_t)STUFF_TCE,
        (uint64_t)STUFF_ENTRIES);

    qtest_send_line(qts, line);
}

static void stuff_receive(QTestState *qts)
{
    g_autofree char *ans = qtest_receive_line(qts);

    g_assert_true(g_str_has_prefix(ans, "OK 0x0 "));
}

/*
 * stop (which waits for the call), query-status requests, a request
 * without "execute", then exec-oob migrate-pause "oob-1": one write.
 */
static void send_batch(QMPClient *c, int nreqs)
{
    GString *s = g_string_new("{\"execute\": \"stop\", \"id\": 0}");

    for (int i = 1; i < nreqs - 1; i++) {
        g_string_append_printf(s, "{\"execute\": \"query-status\", "
                               "\"id\": %d}", i);
    }
    g_string_append_printf(s, "{\"id\": %d}", nreqs - 1);
    g_string_append(s, "{\"exec-oob\": \"migrate-pause\", "
                    "\"id\": \"oob-1\"}");
    qmp_send_raw(c, s->str, s->len);
    g_string_free(s, true);
}

static void send_oob2(QMPClient *c)
{
    static const char req[] =
        "{\"exec-oob\": \"migrate-pause\", \"id\": \"oob-2\"}";

    qmp_send_raw(c, req, strlen(req));
}

static void check_inband_reply(JsonObject *r, int n, int nreqs)
{
    JsonObject *err;

    g_assert_cmpint(json_object_get_int_member(r, "id"), ==, n);
    if (n < nreqs - 1) {
        g_assert_true(json_object_has_member(r, "return"));
        return;
    }
    /* malformed, yet answered in band, in its place */
    err = json_object_get_object_member(r, "error");
    g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==,
                    "QMP input lacks member 'execute'");
}

/* The out-of-band reply's number (1 or 2), or 0 for an in-band one. */
static int oob_reply(JsonObject *r, const char *desc)
{
    JsonNode *id = json_object_get_member(r, "id");
    JsonObject *err;

    if (!JSON_NODE_HOLDS_VALUE(id) ||
        json_node_get_value_type(id) != G_TYPE_STRING) {
        return 0;
    }
    err = json_object_get_object_member(r, "error");
    g_assert_cmpstr(json_object_get_string_member(err, "desc"), ==, desc);
    g_assert_true(g_str_has_prefix(json_node_get_string(id), "oob-"));
    return atoi(json_node_get_string(id) + 4);
}

typedef struct OobTry {
    int nreqs;                  /* in-band requests sent */
    int oob_at[3];              /* reply position of oob-1, oob-2 */
    int inband;                 /* in-band replies read so far */
    int n;                      /* replies read so far */
} OobTry;

static void read_reply(QTestState *qts, QMPClient *c, OobTry *t,
                       const char *desc)
{
    JsonObject *r = qmp_receive(c);
    int k = oob_reply(r, desc);

    if (k) {
        g_assert_cmpint(t->oob_at[k], ==, -1);
        t->oob_at[k] = t->n;
    } else {
        check_inband_reply(r, t->inband++, t->nreqs);
        if (t->inband == 1 && t->oob_at[1] == 0) {
            /* the stop waited for the call */
            g_assert_true(qtest_answer_arrived(qts));
        }
    }
    t->n++;
    json_object_unref(r);
}

/*
 * One try with nreqs in-band requests.  In-band replies come in order.
 * oob-1 comes either first (the stop was held) or in its place, last.
 * Once oob-1 came first, oob-2 is sent: it comes before the in-band
 * replies if the monitor read on while it held them and the call was
 * still running (else after them).  Returns oob-2's reply position
 * (-1: not sent).
 */
static int oob_overtakes_once(QTestState *qts, QMPClient *c,
                              uint32_t liobn, uint64_t start, int nreqs,
                              const char *desc)
{
    g_autoptr(JsonNode) st = NULL;
    OobTry t = { .nreqs = nreqs, .oob_at = { -1, -1, -1 } };
    int total = nreqs + 1;

    stuff_send(qts, liobn, start);
    st = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    send_batch(c, nreqs);
    read_reply(qts, c, &t, desc);
    if (t.oob_at[1] == 0) {
        send_oob2(c);
        total++;
    }
    while (t.n < total) {
        read_reply(qts, c, &t, desc);
    }
    g_assert_cmpint(t.inband, ==, nreqs);
    g_assert_true(t.oob_at[1] == 0 || t.oob_at[1] == nreqs);
    g_assert_true(t.oob_at[2] == -1 || t.oob_at[2] == 1 ||
                  t.oob_at[2] == nreqs + 1);
    stuff_receive(qts);
    return t.oob_at[2];
}

static OobVm *hcall_vm_start(uint32_t *liobn, uint64_t *start)
{
    OobVm *vm = oob_vm_start("-M pseries-2.7 -m 512M -S " MACHINE_ARGS
                             VFIO_ARGS);

    g_assert_cmpint(qrtas_create(vm->qts, BUID0, STUFF_SHIFT,
                                 STUFF_WIN_SHIFT, liobn, start), ==,
                    RTAS_SUCCESS);
    return vm;
}

/*
 * exec-oob overtakes in-band requests held for a long guest call, also
 * when sent after they were held (the monitor reads on).
 */
static void test_overtakes_held(void)
{
    uint64_t start, tce;
    uint32_t liobn;
    OobVm *vm = hcall_vm_start(&liobn, &start);
    bool seen = false;

    negotiate_oob(vm->c);
    for (int i = 0; i < INFLIGHT_TRIES && !seen; i++) {
        seen = oob_overtakes_once(vm->qts, vm->c, liobn, start, FEW_REQS,
                                  PAUSE_DESC) == 1;
    }
    g_assert_true(seen);
    g_assert_cmphex(qh_get_tce(vm->qts, liobn, start, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, STUFF_TCE);
    oob_vm_end(vm);
}

/*
 * Past 8 held requests the monitor stops reading, as QEMU: what was read
 * with them still runs (oob-1), a later exec-oob waits for the in-band
 * replies; their order holds throughout.
 */
static void test_held_queue_full(void)
{
    uint64_t start;
    uint32_t liobn;
    OobVm *vm = hcall_vm_start(&liobn, &start);
    bool held = false;

    negotiate_oob(vm->c);
    for (int i = 0; i < INFLIGHT_TRIES && !held; i++) {
        int at = oob_overtakes_once(vm->qts, vm->c, liobn, start, MANY_REQS,
                                    PAUSE_DESC);

        g_assert_cmpint(at, !=, 1);
        held = at == MANY_REQS + 1;
    }
    g_assert_true(held);
    oob_vm_end(vm);
}

/*
 * Without oob the same requests keep their order in band, and exec-oob
 * is refused (at once, as QEMU: it is never queued).
 */
static void test_held_without_oob(void)
{
    uint64_t start;
    uint32_t liobn;
    OobVm *vm = hcall_vm_start(&liobn, &start);

    qmp_client_negotiate(vm->c);
    for (int i = 0; i < 2; i++) {
        g_assert_cmpint(oob_overtakes_once(vm->qts, vm->c, liobn, start,
                        FEW_REQS, "QMP input member 'exec-oob' is "
                        "unexpected"), !=, 1);
    }
    oob_vm_end(vm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-oob/greeting", test_greeting);
    g_test_add_func("/qmp-oob/negotiation-errors", test_negotiation_errors);
    g_test_add_func("/qmp-oob/exec-oob", test_exec_oob);
    g_test_add_func("/qmp-oob/schema", test_schema);
    g_test_add_func("/qmp-oob/overtakes-held", test_overtakes_held);
    g_test_add_func("/qmp-oob/held-queue-full", test_held_queue_full);
    g_test_add_func("/qmp-oob/held-without-oob", test_held_without_oob);
    return g_test_run();
}
