/*
 * QMP dispatch in-process: argument validation against args_type for
 * every type, error classes, "id" echo, and event shapes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/monitor-internal.h"
#include "monitor/hmp.h"

static JsonNode *test_echo(JsonObject *args, Error **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "s", qmp_arg_str(args, "s"));
    json_object_set_boolean_member(o, "b", qmp_arg_bool(args, "b", false));
    json_object_set_int_member(o, "i", qmp_arg_int(args, "i", -1));
    return qmp_node_object(o);
}

/* Echoes its uint64 argument u through qmp_object_set_uint(). */
static JsonNode *test_uint(JsonObject *args, Error **errp)
{
    JsonObject *o = json_object_new();
    uint64_t u = 0;

    g_assert_true(qmp_node_get_uint(json_object_get_member(args, "u"), &u));
    qmp_object_set_uint(o, "u", u);
    return qmp_node_object(o);
}

static bool test_fail_inner(Error **errp)
{
    error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
              "y");
    return false;
}

/* A classed error passed up through a local Error and a prefix. */
static void test_fail_wrapped(Error **errp)
{
    Error *local = NULL;

    if (!test_fail_inner(&local)) {
        error_prepend(&local, "wrapped: ");
        error_propagate(errp, local);
    }
}

static JsonNode *test_fail(JsonObject *args, Error **errp)
{
    if (qmp_arg_bool(args, "wrapped", false)) {
        test_fail_wrapped(errp);
    } else if (qmp_arg_bool(args, "classed", false)) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not "
                  "found", "x");
    } else {
        error_setg(errp, "plain failure");
    }
    return NULL;
}

static char *handle(QmpSession *sess, const char *text)
{
    return qmp_session_handle(sess, text, strlen(text), NULL);
}

static void assert_reply(QmpSession *sess, const char *req,
                         const char *expected)
{
    g_autofree char *reply = handle(sess, req);

    g_assert_cmpstr(reply, ==, expected);
}

static void test_negotiate(void)
{
    QmpSession sess = { 0 };

    assert_reply(&sess, "{\"execute\": \"test-echo\"}",
                 "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":"
                 "\"Expecting capabilities negotiation with "
                 "'qmp_capabilities'\"}}");
    g_assert_false(sess.negotiated);
    assert_reply(&sess, "{\"execute\": \"qmp_capabilities\", \"id\": "
                 "{\"n\": [1, \"two\"]}}",
                 "{\"return\":{},\"id\":{\"n\":[1,\"two\"]}}");
    g_assert_true(sess.negotiated);
}

static void test_args(void)
{
    QmpSession sess = { .negotiated = true };

    assert_reply(&sess, "{\"execute\": \"test-echo\", \"arguments\": "
                 "{\"s\": \"x\", \"b\": true, \"i\": -5}}",
                 "{\"return\":{\"s\":\"x\",\"b\":true,\"i\":-5}}");
    assert_reply(&sess, "{\"execute\": \"test-echo\", \"arguments\": "
                 "{\"s\": \"x\"}}",
                 "{\"return\":{\"s\":\"x\",\"b\":false,\"i\":-1}}");
    assert_reply(&sess, "{\"execute\": \"test-echo\"}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                 "\"Parameter 's' is missing\"}}");
    assert_reply(&sess, "{\"execute\": \"test-echo\", \"arguments\": "
                 "{\"s\": \"x\", \"b\": 1}}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                 "\"Invalid parameter type for 'b', expected: boolean\"}}");
    assert_reply(&sess, "{\"execute\": \"test-echo\", \"arguments\": "
                 "{\"s\": \"x\", \"i\": 1.5}}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                 "\"Invalid parameter type for 'i', expected: integer\"}}");
    assert_reply(&sess, "{\"execute\": \"test-echo\", \"arguments\": "
                 "{\"s\": null}}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                 "\"Invalid parameter type for 's', expected: string\"}}");
    assert_reply(&sess, "{\"execute\": \"test-echo\", \"arguments\": "
                 "{\"s\": \"x\", \"o\": []}}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                 "\"Invalid parameter type for 'o', expected: object\"}}");
    assert_reply(&sess, "{\"execute\": \"test-echo\", \"arguments\": "
                 "{\"s\": \"x\", \"o\": {}, \"a\": [null]}}",
                 "{\"return\":{\"s\":\"x\",\"b\":false,\"i\":-1}}");
    assert_reply(&sess, "{\"execute\": \"test-echo\", \"arguments\": "
                 "{\"s\": \"x\", \"zz\": 0}}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                 "\"Parameter 'zz' is unexpected\"}}");
}

static void test_number_range(void)
{
    QmpSession sess = { .negotiated = true };
    static const char *const inputs[] = {
        "{\"execute\": \"test-echo\", \"id\": 1e400}",
        "{\"execute\": \"test-echo\", \"id\": [{\"x\": -1e999}]}",
        "{\"execute\": \"test-echo\", \"arguments\": {\"a\": 1e309}}",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
        assert_reply(&sess, inputs[i], "{\"error\":{\"class\":"
                     "\"GenericError\",\"desc\":\"JSON parse error, "
                     "number out of range\"}}");
    }
    assert_reply(&sess, "{\"execute\": \"test-echo\", \"arguments\": "
                 "{\"s\": \"x\"}, \"id\": 0.5}",
                 "{\"return\":{\"s\":\"x\",\"b\":false,\"i\":-1},"
                 "\"id\":0.5}");
}

/* issue 13: integers up to 2^64 - 1 in and out exactly, ids too */
static void test_uint64(void)
{
    QmpSession sess = { .negotiated = true };
    static const char *const exact[] = {
        "9223372036854775807", "9223372036854775808", "9223372036854775809",
        "18446744073709549568", "18446744073709551615", "0",
    };
    static const char *const refused[][2] = {
        { "u", "18446744073709551616" }, { "u", "-1" }, { "u", "1.5" },
        { "i", "9223372036854775808" }, { "o", "18446744073709551615" },
        { "i", "-9223372036854775809" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(exact); i++) {
        g_autofree char *req = g_strdup_printf(
            "{\"execute\": \"test-uint\", \"arguments\": {\"u\": %s}, "
            "\"id\": %s}", exact[i], exact[i]);
        g_autofree char *want = g_strdup_printf(
            "{\"return\":{\"u\":%s},\"id\":%s}", exact[i], exact[i]);

        assert_reply(&sess, req, want);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(refused); i++) {
        g_autofree char *req = g_strdup_printf(
            "{\"execute\": \"test-uint\", \"arguments\": {\"u\": 1, "
            "\"%s\": %s}}", refused[i][0], refused[i][1]);
        g_autofree char *want = g_strdup_printf(
            "{\"error\":{\"class\":\"GenericError\",\"desc\":"
            "\"Invalid parameter type for '%s', expected: %s\"}}",
            refused[i][0], refused[i][0][0] == 'o' ? "object" : "integer");

        if (!strcmp(refused[i][0], "u")) {
            g_free(req);
            req = g_strdup_printf("{\"execute\": \"test-uint\", "
                                  "\"arguments\": {\"u\": %s}}",
                                  refused[i][1]);
        }
        assert_reply(&sess, req, want);
    }
    /* Nested, in an "any" argument, and a key no tag can be forged with */
    assert_reply(&sess, "{\"execute\": \"test-uint\", \"arguments\": "
                 "{\"u\": 5, \"a\": [18446744073709551615, {\"x\": "
                 "9223372036854775809}], \"o\": {\"\\u00ffuint64\": "
                 "\"7\"}}, \"id\": [18446744073709551615]}",
                 "{\"return\":{\"u\":5},\"id\":[18446744073709551615]}");
}

static void test_error_class(void)
{
    QmpSession sess = { .negotiated = true };

    assert_reply(&sess, "{\"execute\": \"test-fail\", \"arguments\": "
                 "{\"classed\": true}, \"id\": 9}",
                 "{\"error\":{\"class\":\"DeviceNotFound\",\"desc\":"
                 "\"Device 'x' not found\"},\"id\":9}");
    assert_reply(&sess, "{\"execute\": \"test-fail\"}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                 "\"plain failure\"}}");
    assert_reply(&sess, "{\"execute\": \"test-fail\", \"arguments\": "
                 "{\"wrapped\": true}}",
                 "{\"error\":{\"class\":\"DeviceNotFound\",\"desc\":"
                 "\"wrapped: Device 'y' not found\"}}");
}

static void test_error_class_api(void)
{
    Error *err = NULL;
    Error *second = NULL;

    error_set(&err, ERROR_CLASS_COMMAND_NOT_FOUND, "no %s", "frob");
    error_prepend(&err, "%s", "outer: ");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_COMMAND_NOT_FOUND);
    g_assert_cmpstr(error_get_pretty(err), ==, "outer: no frob");
    /* A second error into a set errp is dropped; the first keeps its class. */
    error_setg(&second, "generic");
    error_propagate(&err, second);
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_COMMAND_NOT_FOUND);
    g_assert_cmpstr(ErrorClass_str(error_get_class(err)), ==,
                    "CommandNotFound");
    error_free(err);
    err = NULL;
    error_setg_errno(&err, ENOENT, "open %s", "x");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_GENERIC_ERROR);
    g_assert_cmpstr(ErrorClass_str(ERROR_CLASS__MAX), ==, "GenericError");
    error_free(err);
}

/* Every table's types resolve; the schema describes what is dispatched. */
static void test_schema(void)
{
    g_autoptr(Error) err = NULL;
    g_autoptr(JsonArray) schema = NULL;
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    QmpSession sess = { .negotiated = true };
    JsonObject *cmd;

    g_assert_true(qmp_schema_check_tables(&err));
    schema = qmp_schema_build();
    for (guint i = 0; i < json_array_get_length(schema); i++) {
        JsonObject *e = json_array_get_object_element(schema, i);

        /* Each entity once, by name. */
        g_assert_true(g_hash_table_insert(names, (char *)
            json_object_get_string_member(e, "name"), e));
    }
    cmd = g_hash_table_lookup(names, "test-enum");
    g_assert_nonnull(cmd);
    g_assert_cmpstr(json_object_get_string_member(cmd, "meta-type"), ==,
                    "command");
    g_assert_nonnull(g_hash_table_lookup(names,
        json_object_get_string_member(cmd, "arg-type")));
    g_assert_nonnull(g_hash_table_lookup(names, "SHUTDOWN"));
    g_assert_cmpstr(json_object_get_string_member(
        g_hash_table_lookup(names, "0"), "meta-type"), ==, "object");
    /* Enumerations and arrays of objects are checked member by member. */
    assert_reply(&sess, "{\"execute\": \"test-enum\", \"arguments\": "
                 "{\"caps\": [{\"capability\": \"events\", \"state\": 1}]}}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                 "\"Invalid parameter type for 'caps[0].state', expected: "
                 "boolean\"}}");
    assert_reply(&sess, "{\"execute\": \"test-enum\", \"arguments\": "
                 "{\"status\": \"bogus\"}}",
                 "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                 "\"Parameter 'status' does not accept value 'bogus'\"}}");
    assert_reply(&sess, "{\"execute\": \"test-enum\", \"arguments\": "
                 "{\"status\": \"running\", \"caps\": []}}",
                 "{\"return\":{}}");
}

static JsonNode *test_enum(JsonObject *args, Error **errp)
{
    return qmp_return_empty();
}

static const QmpCommandInfo test_commands[] = {
    { "test-enum", test_enum,
      "status:RunState?,caps:[MigrationCapabilityStatus]?" },
};

QMP_COMMANDS(test_commands)

static void test_stream_error(void)
{
    QmpSession sess = { .negotiated = true };
    g_autofree char *reply = qmp_session_handle(&sess, NULL, 0,
                                                "message too large");

    g_assert_cmpstr(reply, ==, "{\"error\":{\"class\":\"GenericError\","
                    "\"desc\":\"JSON parse error, message too large\"}}");
}

static void observe(const char *json, void *opaque)
{
    g_ptr_array_add(opaque, g_strdup(json));
}

static void test_events(void)
{
    g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
    JsonObject *data = json_object_new();

    qmp_event_add_observer(observe, seen);
    qmp_event_emit("STOP", NULL);
    json_object_set_string_member(data, "status", "setup");
    qmp_event_emit("MIGRATION", data);
    qmp_event_remove_observer(observe, seen);
    qmp_event_emit("RESUME", NULL);
    g_assert_cmpuint(seen->len, ==, 2);
    g_assert_true(g_str_has_prefix(g_ptr_array_index(seen, 0),
                                   "{\"timestamp\":{\"seconds\":"));
    g_assert_true(g_str_has_suffix(g_ptr_array_index(seen, 0),
                                   "},\"event\":\"STOP\"}"));
    g_assert_true(g_str_has_suffix(g_ptr_array_index(seen, 1),
                                   "\"event\":\"MIGRATION\",\"data\":"
                                   "{\"status\":\"setup\"}}"));
}

static void test_hmp_lines(void)
{
    g_autofree char *empty = hmp_run_command("   ");
    g_autofree char *unknown = hmp_run_command("frob 1 2");
    g_autofree char *ver = hmp_run_command("  info   version ");

    g_assert_cmpstr(empty, ==, "");
    g_assert_cmpstr(unknown, ==, "unknown command: 'frob 1 2'\r\n");
    g_assert_cmpstr(ver, ==, "7.2.50\r\n");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qmp_register_command("test-echo", "s:s,b:b?,i:i?,o:o?,a:a?", test_echo);
    qmp_register_command("test-uint", "u:uint64,i:int?,o:o?,a:a?",
                         test_uint);
    qmp_register_command("test-fail", "classed:b?,wrapped:b?", test_fail);
    g_test_add_func("/qmp-dispatch/negotiate", test_negotiate);
    g_test_add_func("/qmp-dispatch/args", test_args);
    g_test_add_func("/qmp-dispatch/error-class", test_error_class);
    g_test_add_func("/qmp-dispatch/error-class-api", test_error_class_api);
    g_test_add_func("/qmp-dispatch/number-range", test_number_range);
    g_test_add_func("/qmp-dispatch/stream-error", test_stream_error);
    g_test_add_func("/qmp-dispatch/schema", test_schema);
    g_test_add_func("/qmp-dispatch/uint64", test_uint64);
    g_test_add_func("/qmp-dispatch/events", test_events);
    g_test_add_func("/qmp-dispatch/hmp-lines", test_hmp_lines);
    return g_test_run();
}
