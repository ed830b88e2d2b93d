/*
 * Introspection as QEMU 7.2 answers it: query-machines, qom-list-types,
 * qom-list-properties, device-list-properties, object-add/-del,
 * query-qmp-schema, and the human monitor's device_add help, help info
 * and info qom-tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "libqtest.h"
#include "libqos/qmp.h"

static JsonObject *find_named(JsonArray *arr, const char *name)
{
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *o = json_array_get_object_element(arr, i);

        if (!g_strcmp0(json_object_get_string_member(o, "name"), name)) {
            return o;
        }
    }
    return NULL;
}

static char *hmp(QMPClient *c, const char *line)
{
    g_autofree char *cmd = g_strdup_printf(
        "{\"execute\": \"human-monitor-command\", \"arguments\": "
        "{\"command-line\": \"%s\"}}", line);
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "%s", cmd);

    return g_strdup(json_node_get_string(ret));
}

static void test_query_machines(void)
{
    QTestState *qts;
    QMPClient *c = qmp_test_start(&qts, "-machine none");
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": "
                                         "\"query-machines\"}");
    JsonArray *arr = json_node_get_array(ret);
    JsonObject *none = find_named(arr, "none");
    JsonObject *p27 = find_named(arr, "pseries-2.7");

    g_assert_nonnull(none);
    g_assert_cmpint(json_object_get_int_member(none, "cpu-max"), ==, 1);
    g_assert_cmpstr(json_object_get_string_member(none, "default-ram-id"),
                    ==, "ram");
    g_assert_false(json_object_has_member(none, "is-default"));
    g_assert_false(json_object_get_boolean_member(none, "hotpluggable-cpus"));
    g_assert_false(json_object_get_boolean_member(none, "deprecated"));
    g_assert_false(json_object_has_member(none, "default-cpu-type"));
    g_assert_nonnull(p27);
    g_assert_cmpstr(json_object_get_string_member(p27, "default-ram-id"),
                    ==, "ppc_spapr.ram");
    g_assert_nonnull(json_object_get_string_member(p27, "default-cpu-type"));
    qmp_test_end(qts, c);
}

/* Every listed type reaches "object" through listed parents. */
static void test_qom_list_types(void)
{
    QTestState *qts;
    QMPClient *c = qmp_test_start(&qts, "-machine none");
    g_autoptr(JsonNode) all = qmp_cmd_ok(c, "{\"execute\": \"qom-list-types\","
                                         " \"arguments\": {\"abstract\": true}}");
    g_autoptr(JsonNode) dev = qmp_cmd_ok(c, "{\"execute\": \"qom-list-types\","
                                         " \"arguments\": {\"implements\": "
                                         "\"device\"}}");
    g_autoptr(JsonNode) none = qmp_cmd_ok(c, "{\"execute\": \"qom-list-types\","
                                          " \"arguments\": {\"implements\": "
                                          "\"no-such-type\"}}");
    JsonArray *arr = json_node_get_array(all);

    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *t = json_array_get_object_element(arr, i);
        int hops = 0;

        while (json_object_has_member(t, "parent")) {
            t = find_named(arr, json_object_get_string_member(t, "parent"));
            g_assert_nonnull(t);
            g_assert_cmpint(++hops, <, 32);
        }
        g_assert_cmpstr(json_object_get_string_member(t, "name"), ==,
                        "object");
    }
    g_assert_true(json_object_get_boolean_member(find_named(arr, "device"),
                                                 "abstract"));
    g_assert_nonnull(find_named(arr, "none-machine"));
    g_assert_nonnull(find_named(json_node_get_array(dev), "edu"));
    g_assert_null(find_named(json_node_get_array(dev), "device"));
    g_assert_cmpuint(json_array_get_length(json_node_get_array(none)), ==, 0);
    qmp_test_end(qts, c);
}

static void test_properties(void)
{
    QTestState *qts;
    QMPClient *c = qmp_test_start(&qts, "-machine none");
    g_autoptr(JsonNode) edu = qmp_cmd_ok(c, "{\"execute\": "
        "\"device-list-properties\", \"arguments\": {\"typename\": \"edu\"}}");
    g_autoptr(JsonNode) mach = qmp_cmd_ok(c, "{\"execute\": "
        "\"qom-list-properties\", \"arguments\": "
        "{\"typename\": \"none-machine\"}}");
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL;
    JsonObject *mask = find_named(json_node_get_array(edu), "dma_mask");

    g_assert_nonnull(mask);
    g_assert_cmpstr(json_object_get_string_member(mask, "type"), ==, "uint64");
    g_assert_cmpint(json_object_get_int_member(mask, "default-value"), ==,
                    0xfffffff);
    g_assert_nonnull(find_named(json_node_get_array(mach), "memory-backend"));
    e1 = qmp_cmd_err(c, "DeviceNotFound", "{\"execute\": "
                     "\"device-list-properties\", \"arguments\": "
                     "{\"typename\": \"nosuch\"}}");
    e2 = qmp_cmd_err(c, "GenericError", "{\"execute\": "
                     "\"device-list-properties\", \"arguments\": "
                     "{\"typename\": \"pci-device\"}}");
    e3 = qmp_cmd_err(c, "DeviceNotFound", "{\"execute\": "
                     "\"qom-list-properties\", \"arguments\": "
                     "{\"typename\": \"nosuch\"}}");
    g_assert_cmpstr(e1, ==, "Device 'nosuch' not found");
    g_assert_cmpstr(e3, ==, "Class 'nosuch' not found");
    qmp_test_end(qts, c);
}

static void test_object_add(void)
{
    QTestState *qts;
    QMPClient *c = qmp_test_start(&qts, "-machine none");
    g_autoptr(JsonNode) ok = NULL, del = NULL;
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;

    e1 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"object-add\", "
                     "\"arguments\": {\"qom-type\": \"memory-backend-ram\", "
                     "\"id\": \"m\", \"size\": \"1048576\"}}");
    e2 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"object-add\", "
                     "\"arguments\": {\"qom-type\": \"memory-backend-ram\", "
                     "\"id\": \"m\", \"sized\": 1048576}}");
    ok = qmp_cmd_ok(c, "{\"execute\": \"object-add\", \"arguments\": "
                    "{\"qom-type\": \"memory-backend-ram\", \"id\": \"m\", "
                    "\"size\": 1048576}}");
    e3 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"object-add\", "
                     "\"arguments\": {\"qom-type\": \"memory-backend-ram\", "
                     "\"id\": \"m\", \"size\": 1048576}}");
    del = qmp_cmd_ok(c, "{\"execute\": \"object-del\", \"arguments\": "
                     "{\"id\": \"m\"}}");
    e4 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"object-del\", "
                     "\"arguments\": {\"id\": \"m\"}}");
    g_assert_cmpstr(e2, ==, "Property 'memory-backend-ram.sized' not found");
    qmp_test_end(qts, c);
}

/* Every type the schema names is in it: the walk is closed. */
static void test_schema(void)
{
    QTestState *qts;
    QMPClient *c = qmp_test_start(&qts, "-machine none");
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": "
                                         "\"query-qmp-schema\"}");
    g_autoptr(JsonNode) cmds = qmp_cmd_ok(c, "{\"execute\": "
                                          "\"query-commands\"}");
    JsonArray *arr = json_node_get_array(ret);
    JsonArray *ca = json_node_get_array(cmds);

    for (guint i = 0; i < json_array_get_length(ca); i++) {
        const char *name = json_object_get_string_member(
            json_array_get_object_element(ca, i), "name");
        JsonObject *e = find_named(arr, name);

        g_assert_nonnull(e);
        g_assert_cmpstr(json_object_get_string_member(e, "meta-type"), ==,
                        "command");
        g_assert_nonnull(find_named(arr, json_object_get_string_member(
            e, "arg-type")));
        g_assert_nonnull(find_named(arr, json_object_get_string_member(
            e, "ret-type")));
    }
    g_assert_nonnull(find_named(arr, "DEVICE_DELETED"));
    qmp_test_end(qts, c);
}

static void test_hmp_views(void)
{
    QTestState *qts;
    QMPClient *c = qmp_test_start(&qts, "-machine none");
    g_autofree char *info = hmp(c, "help info");
    g_autofree char *tree = hmp(c, "info qom-tree");
    g_autofree char *list = hmp(c, "device_add help");
    g_autofree char *edu = hmp(c, "device_add \\\"edu,help\\\"");
    g_autofree char *bad = hmp(c, "device_add nosuch,help");
    g_auto(GStrv) lines = g_strsplit(info, "\r\n", -1);

    for (char **l = lines; *l && **l; l++) {
        g_assert_true(g_str_has_prefix(*l, "info "));
    }
    g_assert_nonnull(strstr(info, "info qom-tree"));
    g_assert_true(g_str_has_prefix(tree, "/machine (none-machine)\r\n"));
    g_assert_nonnull(strstr(list, "name \"edu\", bus PCI"));
    g_assert_true(g_str_has_prefix(edu, "edu options:\r\n"));
    g_assert_cmpstr(bad, ==, "Error: Device 'nosuch' not found\r\n");
    qmp_test_end(qts, c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-introspect/query-machines", test_query_machines);
    g_test_add_func("/qmp-introspect/qom-list-types", test_qom_list_types);
    g_test_add_func("/qmp-introspect/properties", test_properties);
    g_test_add_func("/qmp-introspect/object-add", test_object_add);
    g_test_add_func("/qmp-introspect/schema", test_schema);
    g_test_add_func("/qmp-introspect/hmp-views", test_hmp_views);
    return g_test_run();
}
