/*
 * QMP: the handshake, every command's success and error shapes, malformed
 * and oversized input, events, the command line options, the human
 * monitor, and a DDW bring-up driven over qtest and observed over QMP.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "libqtest.h"
#include "libqos/qmp.h"
#include "libqos/rtas.h"

#define EDU_ARGS "-device edu,id=e1"

static void assert_error_desc(QMPClient *c, const char *cls,
                              const char *desc, const char *cmd)
{
    g_autofree char *got = qmp_cmd_err(c, cls, "%s", cmd);

    g_assert_cmpstr(got, ==, desc);
}

static void assert_contains_text(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle)) {
        g_error("'%s' not found in:\n%s", needle, haystack);
    }
}

/* Handshake */

static char *socket_path_new(char **dir)
{
    *dir = g_dir_make_tmp("qmp-test-XXXXXX", NULL);
    g_assert_nonnull(*dir);
    return g_build_filename(*dir, "qmp.sock", NULL);
}

static void socket_path_free(char *dir, char *path)
{
    unlink(path);
    rmdir(dir);
    g_free(path);
    g_free(dir);
}

static void test_greeting(void)
{
    char *dir, *path = socket_path_new(&dir);
    QTestState *s = qtest_initf("-qmp unix:%s,server=on,wait=off", path);
    QMPClient *c = qmp_client_connect(path);
    JsonObject *qmp = json_object_get_object_member(qmp_client_greeting(c),
                                                    "QMP");
    JsonObject *ver = json_object_get_object_member(qmp, "version");
    JsonObject *qemu = json_object_get_object_member(ver, "qemu");
    JsonArray *caps = json_object_get_array_member(qmp, "capabilities");

    g_assert_cmpint(json_object_get_int_member(qemu, "major"), ==, 7);
    g_assert_cmpint(json_object_get_int_member(qemu, "minor"), ==, 2);
    g_assert_true(json_object_has_member(qemu, "micro"));
    g_assert_cmpstr(json_object_get_string_member(ver, "package"), ==, "");
    g_assert_cmpuint(json_array_get_length(caps), ==, 1);
    g_assert_cmpstr(json_array_get_string_element(caps, 0), ==, "oob");
    qmp_client_close(c);
    qtest_quit(s);
    socket_path_free(dir, path);
}

static void test_negotiation(void)
{
    char *dir, *path = socket_path_new(&dir);
    QTestState *s = qtest_initf("-qmp unix:%s,server=on,wait=off", path);
    QMPClient *c = qmp_client_connect(path);
    JsonObject *r;

    assert_error_desc(c, "CommandNotFound", "Expecting capabilities "
                      "negotiation with 'qmp_capabilities'",
                      "{\"execute\": \"query-status\"}");
    r = qmp_cmd(c, "{\"execute\": \"qmp_capabilities\", \"id\": \"neg-1\"}");
    g_assert_true(json_object_has_member(r, "return"));
    g_assert_cmpstr(json_object_get_string_member(r, "id"), ==, "neg-1");
    json_object_unref(r);
    assert_error_desc(c, "CommandNotFound", "Capabilities negotiation is "
                      "already complete, command ignored",
                      "{\"execute\": \"qmp_capabilities\"}");
    qmp_client_close(c);

    /* A new client starts a new session: negotiation again. */
    c = qmp_client_connect(path);
    assert_error_desc(c, "CommandNotFound", "Expecting capabilities "
                      "negotiation with 'qmp_capabilities'",
                      "{\"execute\": \"query-status\"}");
    qmp_client_negotiate(c);
    qmp_client_close(c);
    qtest_quit(s);
    socket_path_free(dir, path);
}

static void test_capabilities_enable(void)
{
    char *dir, *path = socket_path_new(&dir);
    QTestState *s = qtest_initf("-qmp unix:%s,server=on,wait=off", path);
    QMPClient *c = qmp_client_connect(path);
    g_autofree char *desc = NULL;
    g_autoptr(JsonNode) ret = NULL;

    desc = qmp_cmd_err(c, "GenericError", "{\"execute\": \"qmp_capabilities\","
                       " \"arguments\": {\"enable\": [\"bogus\"]}}");
    ret = qmp_cmd_ok(c, "{\"execute\": \"qmp_capabilities\", "
                     "\"arguments\": {\"enable\": [\"oob\"]}}");
    qmp_client_close(c);
    qtest_quit(s);
    socket_path_free(dir, path);
}

/* Malformed input */

static const struct {
    const char *input;
    const char *desc;
} bad_requests[] = {
    { "[1, 2]", "QMP input must be a JSON object" },
    { "42", "QMP input must be a JSON object" },
    { "\"str\"", "QMP input must be a JSON object" },
    { "{}", "QMP input lacks member 'execute'" },
    { "{\"execute\": 1}", "QMP input member 'execute' must be a string" },
    { "{\"execute\": \"stop\", \"arguments\": []}",
      "QMP input member 'arguments' must be an object" },
    { "{\"execute\": \"stop\", \"bogus\": 1}",
      "QMP input member 'bogus' is unexpected" },
    { "{\"execute\": \"stop\", \"arguments\": {\"x\": 1}}",
      "Parameter 'x' is unexpected" },
    { "{\"execute\": \"migrate\"}", "Parameter 'uri' is missing" },
    { "{\"execute\": \"migrate\", \"arguments\": {\"uri\": 1}}",
      "Invalid parameter type for 'uri', expected: string" },
    { "{\"execute\": \"device_del\", \"arguments\": {\"id\": true}}",
      "Invalid parameter type for 'id', expected: string" },
};

static void test_malformed(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");

    for (size_t i = 0; i < G_N_ELEMENTS(bad_requests); i++) {
        assert_error_desc(c, "GenericError", bad_requests[i].desc,
                          bad_requests[i].input);
    }
    qmp_test_end(s, c);
}

static void assert_next_error(QMPClient *c, const char *desc_prefix)
{
    JsonObject *r = qmp_receive(c);
    JsonObject *err = json_object_get_object_member(r, "error");

    g_assert_nonnull(err);
    g_assert_cmpstr(json_object_get_string_member(err, "class"), ==,
                    "GenericError");
    g_assert_true(g_str_has_prefix(json_object_get_string_member(err, "desc"),
                                   desc_prefix));
    json_object_unref(r);
}

static void assert_still_serving(QMPClient *c)
{
    g_autoptr(JsonNode) ret =
        qmp_cmd_ok(c, "{\"execute\": \"query-status\", \"id\": 7}");

    g_assert_true(json_object_has_member(qmp_ret_object(ret), "status"));
}

static void test_parse_errors(void)
{
    /* invalid UTF-8 that is no lexical error: the text fails as a whole */
    static const char not_utf8[] = "{\"execute\": \"st\xc3\x28op\"}\n";
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");

    qmp_send_raw(c, "xx yy\n", 6);
    assert_next_error(c, "JSON parse error, ");
    assert_next_error(c, "JSON parse error, ");
    qmp_send_raw(c, "{\"execute\": }\n", 14);
    assert_next_error(c, "JSON parse error, ");
    qmp_send_raw(c, "}\n", 2);
    assert_next_error(c, "JSON parse error, ");
    qmp_send_raw(c, not_utf8, strlen(not_utf8));
    assert_next_error(c, "JSON parse error, ");
    assert_still_serving(c);
    qmp_test_end(s, c);
}

static void assert_recovered(QMPClient *c)
{
    g_autofree char *e = qmp_cmd_err(c, "CommandNotFound",
                                     "{\"execute\": \"no-such-cmd\"}");
}

/*
 * Lexical errors (issue 14), QEMU 7.2 qmp-test's protocol cases: each
 * gets one error, then the stream recovers.  Before and after
 * negotiation.
 */
static void test_lexical_recovery(void)
{
    static const char *const inputs[] = {
        "{]\n", "{\xFF", "{\x01", "{'bad \xFF",
        "{'execute': 'nonexistent', 'id':'\n", "%%p", "}",
    };
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");

    for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
        qmp_send_raw(c, inputs[i], strlen(inputs[i]));
        assert_next_error(c, "JSON parse error, ");
        assert_recovered(c);
    }
    qmp_test_end(s, c);
}

/* issue 13 items 14, 15: duplicate members refused, ids echoed exactly */
static void test_strict_json(void)
{
    static const char *const ids[] = {
        "1e308", "18446744073709551615", "-9223372036854775809", "2.50",
        "{\"a\":[1,\"\\u00e9\"]}", "\"caf\u00e9 \\\"x\\\"\"",
    };
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    const char *dup = "{\"execute\": \"query-status\", "
                      "\"execute\": \"quit\"}\n";
    const char *dup2 = "{\"execute\": \"query-status\", \"arguments\": "
                       "{\"a\": 1, \"\\u0061\": 2}}\n";

    qmp_send_raw(c, dup, strlen(dup));
    assert_next_error(c, "JSON parse error, duplicate key");
    qmp_send_raw(c, dup2, strlen(dup2));
    assert_next_error(c, "JSON parse error, duplicate key");
    assert_still_serving(c);
    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_autofree char *cmd = g_strdup_printf(
            "{\"execute\": \"query-status\", \"id\": %s}\n", ids[i]);
        g_autofree char *want = g_strdup_printf(",\"id\":%s}", ids[i]);
        g_autofree char *line = NULL;

        qmp_send_raw(c, cmd, strlen(cmd));
        line = qmp_receive_line(c);
        g_assert_true(g_str_has_suffix(line, want));
    }
    qmp_test_end(s, c);
}

static void test_framing(void)
{
    static const char two[] = "{\"execute\": \"query-status\", \"id\": 1}"
                              "{\"execute\": \"query-version\", \"id\": 2}";
    static const char split[] = "{\"execute\":\n \"query-status\",\n"
                                " \"id\": \"}{\\\"\"}";
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    JsonObject *r;

    qmp_send_raw(c, two, strlen(two));
    r = qmp_receive(c);
    g_assert_cmpint(json_object_get_int_member(r, "id"), ==, 1);
    json_object_unref(r);
    r = qmp_receive(c);
    g_assert_cmpint(json_object_get_int_member(r, "id"), ==, 2);
    json_object_unref(r);
    for (size_t i = 0; i < strlen(split); i++) {
        qmp_send_raw(c, split + i, 1);      /* one byte at a time */
    }
    r = qmp_receive(c);
    g_assert_cmpstr(json_object_get_string_member(r, "id"), ==, "}{\"");
    g_assert_true(json_object_has_member(r, "return"));
    json_object_unref(r);
    qmp_test_end(s, c);
}

static void test_huge_input(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    size_t len = 3 << 20;
    g_autofree char *big = g_malloc(len);
    g_autofree char *deep = g_malloc(4096);

    /* 3 MiB inside one string of one object: one error, then service. */
    memset(big, 'a', len);
    memcpy(big, "{\"execute\": \"", 13);
    memcpy(big + len - 3, "\"}\n", 3);
    qmp_send_raw(c, big, len);
    assert_next_error(c, "JSON parse error, message too large");
    assert_still_serving(c);

    /* Nesting beyond the bound: one error, the rest dropped. */
    memset(deep, '[', 2048);
    memset(deep + 2048, ']', 2048);
    qmp_send_raw(c, deep, 4096);
    assert_next_error(c, "JSON parse error, nesting too deep");
    assert_still_serving(c);
    qmp_test_end(s, c);
}

/* Run state and events */

static const char *query_status(QMPClient *c, bool *running)
{
    static char status[32];
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    JsonObject *o = qmp_ret_object(ret);

    *running = json_object_get_boolean_member(o, "running");
    g_assert_false(json_object_get_boolean_member(o, "singlestep"));
    g_strlcpy(status, json_object_get_string_member(o, "status"),
              sizeof(status));
    return status;
}

static void assert_event_shape(JsonObject *ev, bool has_data)
{
    JsonObject *ts = json_object_get_object_member(ev, "timestamp");

    g_assert_nonnull(ts);
    g_assert_cmpint(json_object_get_int_member(ts, "seconds"), >, 0);
    g_assert_cmpint(json_object_get_int_member(ts, "microseconds"), >=, 0);
    g_assert_cmpint(json_object_get_int_member(ts, "microseconds"), <,
                    1000000);
    g_assert_cmpint(json_object_has_member(ev, "data"), ==, has_data);
}

static void test_stop_cont(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
    JsonObject *ev;
    bool running;

    g_assert_cmpstr(query_status(c, &running), ==, "prelaunch");
    g_assert_false(running);
    r1 = qmp_cmd_ok(c, "{\"execute\": \"cont\"}");
    ev = qmp_event_wait(c, "RESUME");
    assert_event_shape(ev, false);
    json_object_unref(ev);
    g_assert_cmpstr(query_status(c, &running), ==, "running");
    g_assert_true(running);
    r2 = qmp_cmd_ok(c, "{\"execute\": \"stop\"}");
    ev = qmp_event_wait(c, "STOP");
    assert_event_shape(ev, false);
    json_object_unref(ev);
    g_assert_cmpstr(query_status(c, &running), ==, "paused");
    g_assert_false(running);

    /* Already paused: no second STOP. */
    r3 = qmp_cmd_ok(c, "{\"execute\": \"stop\"}");
    r4 = qmp_cmd_ok(c, "{\"execute\": \"system_reset\"}");
    ev = qmp_event_wait(c, "RESET");
    assert_event_shape(ev, true);
    g_assert_false(json_object_get_boolean_member(
        json_object_get_object_member(ev, "data"), "guest"));
    json_object_unref(ev);
    g_assert_cmpuint(qmp_event_count(c, "STOP"), ==, 0);
    qmp_test_end(s, c);
}

static void test_not_paused_at_start(void)
{
    char *dir, *path = socket_path_new(&dir);
    g_autofree char *args = g_strdup_printf(
        "-M pseries-2.7 -m 4G -accel qtest -display none -nodefaults "
        "-qmp unix:%s,server=on,wait=off", path);
    QTestState *s = qtest_init_bare(args);
    QMPClient *c = qmp_client_connect(path);
    bool running;

    qmp_client_negotiate(c);
    g_assert_cmpstr(query_status(c, &running), ==, "running");
    g_assert_true(running);
    qmp_client_close(c);
    qtest_quit(s);
    socket_path_free(dir, path);
}

static void test_version_commands(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) ver = qmp_cmd_ok(c, "{\"execute\": \"query-version\"}");
    g_autoptr(JsonNode) cmds = NULL;
    JsonArray *arr;
    static const char *const expected[] = {
        "qmp_capabilities", "query-version", "query-status",
        "query-commands", "stop", "cont", "quit", "system_reset",
        "device_add", "device_del", "qom-list", "qom-get", "qom-set",
        "query-pci", "human-monitor-command", "migrate", "migrate-incoming",
        "query-migrate", "migrate-set-parameters",
        "query-spapr-dma-windows",
    };

    g_assert_cmpint(json_object_get_int_member(
        json_object_get_object_member(qmp_ret_object(ver), "qemu"), "major"),
        ==, 7);
    cmds = qmp_cmd_ok(c, "{\"execute\": \"query-commands\"}");
    arr = qmp_ret_array(cmds);
    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++) {
        bool found = false;

        for (guint j = 0; j < json_array_get_length(arr); j++) {
            JsonObject *o = json_array_get_object_element(arr, j);

            found |= !strcmp(json_object_get_string_member(o, "name"),
                             expected[i]);
        }
        g_assert_true(found);
    }
    assert_error_desc(c, "CommandNotFound",
                      "The command no-such-command has not been found",
                      "{\"execute\": \"no-such-command\", \"id\": 3}");
    qmp_test_end(s, c);
}

static void test_quit(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": \"quit\"}");
    JsonObject *ev;

    /* As in QEMU 7.2, SHUTDOWN is read before quit's return. */
    g_assert_cmpuint(qmp_event_count(c, "SHUTDOWN"), ==, 1);
    ev = qmp_event_wait(c, "SHUTDOWN");

    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "reason"), ==,
        "host-qmp-quit");
    json_object_unref(ev);
    qmp_test_end(s, c);         /* asserts exit status 0 */
}


/*
 * A client that stops reading must not stall the machine: its replies
 * queue while qtest keeps being served, and all arrive later, in order.
 */
static void test_slow_reader(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "-device edu,id=e1");
    const int n = 1000;
    size_t total = 0;

    for (int i = 0; i < n; i++) {
        g_autofree char *cmd = g_strdup_printf(
            "{\"execute\": \"human-monitor-command\", \"arguments\": "
            "{\"command-line\": \"info mtree\"}, \"id\": %d}\n", i);

        qmp_send_raw(c, cmd, strlen(cmd));
    }
    g_assert_cmpint(qtest_clock_step(s, 1000), >, 0);
    for (int i = 0; i < n; i++) {
        JsonObject *r = qmp_receive(c);

        g_assert_cmpint(json_object_get_int_member(r, "id"), ==, i);
        total += strlen(json_object_get_string_member(r, "return"));
        json_object_unref(r);
    }
    g_assert_cmpuint(total, >, 512 * 1024);     /* beyond socket buffers */
    qmp_test_end(s, c);
}

/* Command line */

static void test_chardev_mon_control(void)
{
    char *dir, *path = socket_path_new(&dir);
    QTestState *s = qtest_initf("-chardev socket,id=mon0,path=%s,server=on,"
                                "wait=off -mon chardev=mon0,mode=control",
                                path);
    QMPClient *c = qmp_client_connect(path);
    bool running;

    qmp_client_negotiate(c);
    g_assert_cmpstr(query_status(c, &running), ==, "prelaunch");
    qmp_client_close(c);
    qtest_quit(s);
    socket_path_free(dir, path);
}

/* Reads until the "(qemu) " prompt; returns what came before it. */
static char *hmp_read_prompt(int fd)
{
    GString *in = g_string_new(NULL);
    char ch;

    while (!g_str_has_suffix(in->str, "(qemu) ")) {
        g_assert_cmpint(read(fd, &ch, 1), ==, 1);
        g_string_append_c(in, ch);
    }
    g_string_truncate(in, in->len - strlen("(qemu) "));
    return g_string_free(in, false);
}

static void test_mon_readline(void)
{
    char *dir, *path = socket_path_new(&dir);
    QTestState *s = qtest_initf("-chardev socket,id=hmp0,path=%s,server=on,"
                                "wait=off -mon chardev=hmp0", path);
    int fd = qtest_unix_connect(path);
    g_autofree char *banner = hmp_read_prompt(fd);
    g_autofree char *status = NULL, *bad = NULL, *long_line = NULL;
    g_autofree char *huge = g_strnfill(10000, 'x');

    assert_contains_text(banner, "monitor - type 'help'");
    g_assert_cmpint(write(fd, "info status\n", 12), ==, 12);
    status = hmp_read_prompt(fd);
    g_assert_cmpstr(status, ==, "VM status: paused (prelaunch)\r\n");
    g_assert_cmpint(write(fd, "frobnicate\n", 11), ==, 11);
    bad = hmp_read_prompt(fd);
    g_assert_cmpstr(bad, ==, "unknown command: 'frobnicate'\r\n");
    /* An overlong line is dropped whole, and the monitor carries on. */
    g_assert_cmpint(write(fd, huge, 10000), ==, 10000);
    g_assert_cmpint(write(fd, "\n", 1), ==, 1);
    long_line = hmp_read_prompt(fd);
    g_assert_cmpstr(long_line, ==, "");
    close(fd);
    qtest_quit(s);
    socket_path_free(dir, path);
}

static const struct {
    const char *args;
    const char *message;
} bad_cmdlines[] = {
    { "-qmp bogus", "-qmp bogus: " },
    { "-qmp unix:", "-qmp unix:: " },
    { "-mon chardev=nope,mode=control", "chardev \"nope\" not found" },
    { "-mon mode=control", "parameter 'chardev' is missing" },
    { "-chardev socket,path=/nonexistent/x", "parameter 'id' is missing" },
    { "-chardev serial,id=s0", "unsupported backend 'serial'" },
    { "-chardev stdio,id=s0 -mon chardev=s0,mode=weird",
      "mode must be 'control' or 'readline'" },
    { "-chardev stdio,id=s0 -mon chardev=s0,colour=red",
      "invalid parameter 'colour'" },
    { "-chardev stdio,id=s0 -mon chardev=s0 -mon chardev=s0,mode=control",
      "chardev \"s0\" is already in use" },
    { "-chardev stdio,id=s0 -chardev stdio,id=s0",
      "duplicate chardev id 's0'" },
};

static void test_bad_cmdlines(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_cmdlines); i++) {
        g_autofree char *args = g_strdup_printf(
            "-M pseries-2.7 -accel qtest -display none -S %s",
            bad_cmdlines[i].args);
        g_autofree char *out = NULL, *err = NULL;

        g_assert_cmpint(qtest_run_cmdline(args, &out, &err), ==, 1);
        assert_contains_text(err, bad_cmdlines[i].message);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/greeting", test_greeting);
    g_test_add_func("/qmp/negotiation", test_negotiation);
    g_test_add_func("/qmp/capabilities-enable", test_capabilities_enable);
    g_test_add_func("/qmp/malformed", test_malformed);
    g_test_add_func("/qmp/parse-errors", test_parse_errors);
    g_test_add_func("/qmp/lexical-recovery", test_lexical_recovery);
    g_test_add_func("/qmp/strict-json", test_strict_json);
    g_test_add_func("/qmp/framing", test_framing);
    g_test_add_func("/qmp/huge-input", test_huge_input);
    g_test_add_func("/qmp/stop-cont", test_stop_cont);
    g_test_add_func("/qmp/running-at-start", test_not_paused_at_start);
    g_test_add_func("/qmp/version-commands", test_version_commands);
    g_test_add_func("/qmp/quit", test_quit);
    g_test_add_func("/qmp/slow-reader", test_slow_reader);
    g_test_add_func("/qmp/cmdline/chardev-mon", test_chardev_mon_control);
    g_test_add_func("/qmp/cmdline/readline", test_mon_readline);
    g_test_add_func("/qmp/cmdline/errors", test_bad_cmdlines);
    return g_test_run();
}
