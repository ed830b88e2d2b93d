/*
 * Termination signals: SIGTERM, SIGINT and SIGHUP end the process through
 * its main loop with a SHUTDOWN host-signal event, a log line naming the
 * signal and its sender, and exit status 0 (libvirt's destroy, libqtest).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "libqtest.h"
#include "libqos/qmp.h"
#include "libqos/rtas.h"

static void assert_contains_text(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle)) {
        g_error("'%s' not found in:\n%s", needle, haystack);
    }
}

static void test_terminating_signal(gconstpointer data)
{
    int sig = GPOINTER_TO_INT(data);
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autofree char *line = g_strdup_printf("terminating on signal %d from "
                                            "pid %d", sig, (int)getpid());
    g_autofree char *err = NULL;
    JsonObject *ev, *evdata;

    g_assert_cmpint(kill(qtest_pid(s), sig), ==, 0);
    ev = qmp_event_wait(c, "SHUTDOWN");
    evdata = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(evdata, "guest"));
    g_assert_cmpstr(json_object_get_string_member(evdata, "reason"), ==,
                    "host-signal");
    json_object_unref(ev);
    /* the report precedes the event; stderr is unbuffered */
    err = qtest_stderr(s);
    assert_contains_text(err, line);
    /* qtest_quit() asserts exit status 0 */
    qmp_test_end(s, c);
}

static void test_quit_event(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": \"quit\"}");
    JsonObject *ev = qmp_event_wait(c, "SHUTDOWN");
    JsonObject *evdata = json_object_get_object_member(ev, "data");

    g_assert_cmpstr(json_object_get_string_member(evdata, "reason"), ==,
                    "host-qmp-quit");
    json_object_unref(ev);
    qmp_test_end(s, c);
}

/* -no-shutdown does not keep a signalled process alive (as in QEMU). */
static void test_signal_no_shutdown(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "-no-shutdown");
    JsonObject *ev;

    g_assert_cmpint(kill(qtest_pid(s), SIGINT), ==, 0);
    ev = qmp_event_wait(c, "SHUTDOWN");
    json_object_unref(ev);
    qmp_test_end(s, c);
}

/* A guest power-off under -no-shutdown stops the machine instead. */
static void test_guest_poweroff_no_shutdown(void)
{
    static const uint32_t args[2] = { 0, 0 };
    uint32_t rets[1];
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "-no-shutdown");
    g_autoptr(JsonNode) st = NULL;
    JsonObject *ev, *evdata;

    g_assert_cmpuint(qrtas_call(s, "power-off", 2, args, 1, rets), ==, 0);
    g_assert_cmpint((int32_t)rets[0], ==, RTAS_SUCCESS);
    ev = qmp_event_wait(c, "SHUTDOWN");
    evdata = json_object_get_object_member(ev, "data");
    g_assert_true(json_object_get_boolean_member(evdata, "guest"));
    g_assert_cmpstr(json_object_get_string_member(evdata, "reason"), ==,
                    "guest-shutdown");
    json_object_unref(ev);
    st = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(st),
                                                  "status"), ==, "shutdown");
    qmp_test_end(s, c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_data_func("/signal/sigterm", GINT_TO_POINTER(SIGTERM),
                         test_terminating_signal);
    g_test_add_data_func("/signal/sigint", GINT_TO_POINTER(SIGINT),
                         test_terminating_signal);
    g_test_add_data_func("/signal/sighup", GINT_TO_POINTER(SIGHUP),
                         test_terminating_signal);
    g_test_add_func("/signal/no-shutdown", test_signal_no_shutdown);
    g_test_add_func("/signal/guest-poweroff-no-shutdown",
                    test_guest_poweroff_no_shutdown);
    g_test_add_func("/signal/quit-event", test_quit_event);
    return g_test_run();
}
