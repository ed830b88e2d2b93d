/*
 * QMP on the machine: device_add/device_del of edu and of a PHB, QOM
 * access, query-pci, the human monitor's views, the migration commands'
 * argument checks, and a DDW bring-up driven over qtest (RTAS, H_PUT_TCE)
 * and observed with query-spapr-dma-windows and "info spapr-dma".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "libqtest.h"
#include "libqos/qmp.h"
#include "libqos/rtas.h"

#define TCE_RW 3ULL

static char *hmp(QMPClient *c, const char *line)
{
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": "
        "\"human-monitor-command\", \"arguments\": {\"command-line\": "
        "\"%s\"}}", line);

    g_assert_cmpint(json_node_get_value_type(ret), ==, G_TYPE_STRING);
    return g_strdup(json_node_get_string(ret));
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle)) {
        g_error("'%s' not found in:\n%s", needle, haystack);
    }
}

/* Devices visible in query-pci, as "qdev_id" strings joined by ','. */
static char *pci_ids(QMPClient *c)
{
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": \"query-pci\"}");
    JsonArray *buses = qmp_ret_array(ret);
    GString *ids = g_string_new(NULL);

    for (guint b = 0; b < json_array_get_length(buses); b++) {
        JsonObject *bus = json_array_get_object_element(buses, b);
        JsonArray *devs = json_object_get_array_member(bus, "devices");

        g_assert_cmpint(json_object_get_int_member(bus, "bus"), ==, 0);
        for (guint d = 0; d < json_array_get_length(devs); d++) {
            JsonObject *dev = json_array_get_object_element(devs, d);

            g_string_append_printf(ids, "%s,",
                json_object_get_string_member(dev, "qdev_id"));
        }
    }
    return g_string_free(ids, false);
}

/* e1 at slot 3 as query-pci shows it. */
static void check_edu_pci_entry(QMPClient *c)
{
    g_autoptr(JsonNode) pci = qmp_cmd_ok(c, "{\"execute\": \"query-pci\"}");
    JsonObject *dev, *id, *region;

    dev = json_array_get_object_element(json_object_get_array_member(
        json_array_get_object_element(qmp_ret_array(pci), 0), "devices"), 0);
    g_assert_cmpint(json_object_get_int_member(dev, "slot"), ==, 3);
    g_assert_cmpint(json_object_get_int_member(dev, "function"), ==, 0);
    id = json_object_get_object_member(dev, "id");
    g_assert_cmphex(json_object_get_int_member(id, "vendor"), ==, 0x1234);
    g_assert_cmphex(json_object_get_int_member(id, "device"), ==, 0x11e8);
    g_assert_true(json_object_has_member(dev, "class_info"));
    region = json_array_get_object_element(
        json_object_get_array_member(dev, "regions"), 0);
    g_assert_cmpint(json_object_get_int_member(region, "bar"), ==, 0);
    g_assert_cmpint(json_object_get_int_member(region, "size"), ==, 1 << 20);
    g_assert_cmpint(json_object_get_int_member(region, "address"), ==, -1);
}

static void check_device_add_errors(QMPClient *c)
{
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;

    e1 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"device_add\", "
                     "\"arguments\": {\"driver\": \"edu\", \"id\": \"e1\"}}");
    assert_contains(e1, "Duplicate device ID 'e1'");
    e2 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"device_add\", "
                     "\"arguments\": {\"driver\": \"no-such-device\"}}");
    assert_contains(e2, "'no-such-device' is not a valid device model name");
    e3 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"device_add\", "
                     "\"arguments\": {\"driver\": \"edu\", \"id\": \"e2\", "
                     "\"bogus\": 1}}");
    assert_contains(e3, "bogus");
    e4 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"device_add\", "
                     "\"arguments\": {\"driver\": \"edu\", \"id\": \"e2\", "
                     "\"dma_mask\": [1]}}");
    assert_contains(e4, "dma_mask");
}

static void test_edu_plug(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) r1 = NULL, r2 = NULL;
    g_autofree char *ids0 = pci_ids(c), *ids1 = NULL, *ids2 = NULL;
    JsonObject *ev, *data;

    g_assert_cmpstr(ids0, ==, "");
    r1 = qmp_cmd_ok(c, "{\"execute\": \"device_add\", \"arguments\": "
                    "{\"driver\": \"edu\", \"id\": \"e1\", \"addr\": \"3.0\","
                    " \"dma_mask\": 4294967295}}");
    ids1 = pci_ids(c);
    g_assert_cmpstr(ids1, ==, "e1,");
    check_edu_pci_entry(c);
    check_device_add_errors(c);

    r2 = qmp_cmd_ok(c, "{\"execute\": \"device_del\", \"arguments\": "
                    "{\"id\": \"e1\"}}");
    ev = qmp_event_wait(c, "DEVICE_DELETED");
    data = json_object_get_object_member(ev, "data");
    g_assert_cmpstr(json_object_get_string_member(data, "device"), ==, "e1");
    g_assert_cmpstr(json_object_get_string_member(data, "path"), ==,
                    "/machine/peripheral/e1");
    json_object_unref(ev);
    ids2 = pci_ids(c);
    g_assert_cmpstr(ids2, ==, "");
    qmp_test_end(s, c);
}

static void test_device_del_errors(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autofree char *e1 = NULL, *e2 = NULL;

    e1 = qmp_cmd_err(c, "DeviceNotFound", "{\"execute\": \"device_del\", "
                     "\"arguments\": {\"id\": \"nope\"}}");
    g_assert_cmpstr(e1, ==, "Device 'nope' not found");
    e2 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"device_del\"}");
    g_assert_cmpstr(e2, ==, "Parameter 'id' is missing");
    g_assert_cmpuint(qmp_event_count(c, "DEVICE_DELETED"), ==, 0);
    qmp_test_end(s, c);
}

/* QOM */

static JsonNode *qom_get(QMPClient *c, const char *path, const char *prop)
{
    return qmp_cmd_ok(c, "{\"execute\": \"qom-get\", \"arguments\": "
                      "{\"path\": \"%s\", \"property\": \"%s\"}}", path, prop);
}

static void test_qom(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "-device edu,id=e1");
    g_autoptr(JsonNode) list = NULL, mask = NULL, ddw = NULL, set = NULL;
    g_autoptr(JsonNode) child = NULL;
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;
    bool found = false;

    list = qmp_cmd_ok(c, "{\"execute\": \"qom-list\", \"arguments\": "
                      "{\"path\": \"/machine/peripheral/e1\"}}");
    for (guint i = 0; i < json_array_get_length(qmp_ret_array(list)); i++) {
        JsonObject *p = json_array_get_object_element(qmp_ret_array(list), i);

        if (!strcmp(json_object_get_string_member(p, "name"), "dma_mask")) {
            g_assert_cmpstr(json_object_get_string_member(p, "type"), ==,
                            "uint64");
            found = true;
        }
    }
    g_assert_true(found);
    mask = qom_get(c, "/machine/peripheral/e1", "dma_mask");
    g_assert_cmphex(json_node_get_int(mask), ==, (1 << 28) - 1);
    ddw = qom_get(c, "/machine/unattached/device[0]", "ddw");
    g_assert_cmpint(json_node_get_value_type(ddw), ==, G_TYPE_BOOLEAN);
    g_assert_true(json_node_get_boolean(ddw));
    child = qom_get(c, "/machine", "peripheral");
    g_assert_cmpstr(json_node_get_string(child), ==, "/machine/peripheral");

    e1 = qmp_cmd_err(c, "DeviceNotFound", "{\"execute\": \"qom-get\", "
                     "\"arguments\": {\"path\": \"/nope\", \"property\": "
                     "\"x\"}}");
    g_assert_cmpstr(e1, ==, "Device '/nope' not found");
    e2 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"qom-get\", "
                     "\"arguments\": {\"path\": \"/machine/peripheral/e1\", "
                     "\"property\": \"nope\"}}");
    g_assert_cmpstr(e2, ==, "Property 'edu.nope' not found");
    /* Static properties are fixed once the device is realized. */
    e3 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"qom-set\", "
                     "\"arguments\": {\"path\": \"/machine/peripheral/e1\", "
                     "\"property\": \"dma_mask\", \"value\": 4095}}");
    assert_contains(e3, "after it was realized");
    e4 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"qom-set\", "
                     "\"arguments\": {\"path\": \"/machine/peripheral/e1\", "
                     "\"property\": \"dma_mask\", \"value\": {}}}");
    assert_contains(e4, "'value'");
    qmp_test_end(s, c);
}

/*
 * issue 13 item 4: a vfio-spapr-host-emu's geometry is fixed once it is
 * created (page-size 0 used to divide by zero at reset / device_del).
 */
static void test_host_emu_props_fixed(void)
{
    static const char *const props[][2] = {
        { "page-size", "0" }, { "page-size", "3" }, { "max-levels", "0" },
        { "iommu-pgsizes", "0" },
    };
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s",
                                  "-object vfio-spapr-host-emu,id=h0 "
                                  "-device vfio-pci,host-emu=h0,addr=0,"
                                  "id=v0");
    g_autoptr(JsonNode) ml = NULL, r1 = NULL, r2 = NULL, ps = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(props); i++) {
        g_autofree char *cmd = g_strdup_printf(
            "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
            "\"/objects/h0\", \"property\": \"%s\", \"value\": %s}}",
            props[i][0], props[i][1]);
        g_autofree char *e = qmp_cmd_err(c, "GenericError", cmd);

        assert_contains(e, "cannot be changed");
    }
    ps = qom_get(c, "/objects/h0", "page-size");
    g_assert_cmpint(json_node_get_int(ps), ==, 65536);
    ml = qmp_cmd_ok(c, "{\"execute\": \"qom-set\", \"arguments\": "
                    "{\"path\": \"/objects/h0\", \"property\": "
                    "\"memlock-limit\", \"value\": 1073741824}}");
    /* An unplug request, completed by the reset (QEMU 7.2's order). */
    r2 = qmp_cmd_ok(c, "{\"execute\": \"device_del\", \"arguments\": "
                    "{\"id\": \"v0\"}}");
    r1 = qmp_cmd_ok(c, "{\"execute\": \"system_reset\"}");
    json_object_unref(qmp_event_wait(c, "DEVICE_DELETED"));
    qmp_test_end(s, c);
}

/* The reply's text to cmd (json-glib would wrap what we check). */
static char *raw_reply(QMPClient *c, const char *cmd)
{
    qmp_send_raw(c, cmd, strlen(cmd));
    return qmp_receive_line(c);
}

/*
 * issue 13: a uint64 property set to 2^63 + 1 or 2^64 - 1 reads back
 * exactly; ids echo exactly; an integer past 2^64 - 1 is refused.
 */
static void test_uint64_exact(void)
{
    static const char *const values[] = {
        "9223372036854775809", "18446744073709551615", "9223372036854775807",
    };
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s",
                                  "-object vfio-spapr-host-emu,id=h0");
    g_autofree char *big = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(values); i++) {
        g_autofree char *set = g_strdup_printf(
            "{\"execute\": \"qom-set\", \"arguments\": {\"path\": "
            "\"/objects/h0\", \"property\": \"memlock-limit\", "
            "\"value\": %s}, \"id\": %s}\n", values[i], values[i]);
        g_autofree char *want_set = g_strdup_printf(
            "{\"return\":{},\"id\":%s}", values[i]);
        g_autofree char *want_get = g_strdup_printf(
            "{\"return\":%s}", values[i]);
        g_autofree char *r1 = raw_reply(c, set);
        g_autofree char *r2 = raw_reply(c,
            "{\"execute\": \"qom-get\", \"arguments\": {\"path\": "
            "\"/objects/h0\", \"property\": \"memlock-limit\"}}\n");

        g_assert_cmpstr(r1, ==, want_set);
        g_assert_cmpstr(r2, ==, want_get);
    }
    big = qmp_cmd_err(c, "GenericError", "{\"execute\": \"qom-set\", "
                      "\"arguments\": {\"path\": \"/objects/h0\", "
                      "\"property\": \"memlock-limit\", \"value\": "
                      "18446744073709551616}}");
    g_assert_cmpstr(big, ==, "Invalid parameter type for 'value', "
                    "expected: integer");
    qmp_test_end(s, c);
}

static void test_qom_set_types(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) set = NULL, got = NULL;
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL;

    set = qmp_cmd_ok(c, "{\"execute\": \"qom-set\", \"arguments\": "
                     "{\"path\": \"/machine\", \"property\": \"dumpdtb\", "
                     "\"value\": \"/tmp/never-written.dtb\"}}");
    got = qom_get(c, "/machine", "dumpdtb");
    g_assert_cmpstr(json_node_get_string(got), ==, "/tmp/never-written.dtb");
    e1 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"qom-set\", "
                     "\"arguments\": {\"path\": \"/machine\", \"property\": "
                     "\"dumpdtb\", \"value\": true}}");
    g_assert_cmpstr(e1, ==, "Invalid parameter type for 'value', expected: "
                    "string");
    e2 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"qom-set\", "
                     "\"arguments\": {\"path\": "
                     "\"/machine/unattached/device[0]\", \"property\": "
                     "\"ddw\", \"value\": \"off\"}}");
    g_assert_cmpstr(e2, ==, "Invalid parameter type for 'value', expected: "
                    "boolean");
    e3 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"qom-set\", "
                     "\"arguments\": {\"path\": "
                     "\"/machine/unattached/device[0]\", \"property\": "
                     "\"pgsz\", \"value\": \"0x11000\"}}");
    g_assert_cmpstr(e3, ==, "Invalid parameter type for 'value', expected: "
                    "integer");
    qmp_test_end(s, c);
}

/* The DDW bring-up */

typedef struct DmaWindow {
    uint32_t liobn;
    uint64_t bus_offset, size, mapped;
    int64_t page_shift;
    bool enabled;
} DmaWindow;

/* Reads PHB index's window n from query-spapr-dma-windows. */
static bool dma_window(QMPClient *c, int index, int n, DmaWindow *w,
                       unsigned *nr_phbs)
{
    g_autoptr(JsonNode) ret =
        qmp_cmd_ok(c, "{\"execute\": \"query-spapr-dma-windows\"}");
    JsonArray *phbs = qmp_ret_array(ret);

    *nr_phbs = json_array_get_length(phbs);
    for (guint i = 0; i < *nr_phbs; i++) {
        JsonObject *phb = json_array_get_object_element(phbs, i);
        JsonArray *wins = json_object_get_array_member(phb, "windows");
        JsonObject *o;

        if (json_object_get_int_member(phb, "index") != index) {
            continue;
        }
        g_assert_cmphex(json_object_get_int_member(phb, "buid"), ==,
                        BUID_PHB(index));
        g_assert_true(json_object_get_null_member(phb, "vfio"));
        g_assert_cmpuint(json_array_get_length(wins), ==, 2);
        o = json_array_get_object_element(wins, n);
        w->liobn = json_object_get_int_member(o, "liobn");
        w->bus_offset = json_object_get_int_member(o, "bus-offset");
        w->page_shift = json_object_get_int_member(o, "page-shift");
        w->size = json_object_get_int_member(o, "size");
        w->enabled = json_object_get_boolean_member(o, "enabled");
        w->mapped = json_object_get_int_member(o, "mapped-tces");
        return true;
    }
    return false;
}

static void plug_phb1(QMPClient *c)
{
    g_autoptr(JsonNode) r = NULL, ddw = NULL, pgsz = NULL;

    r = qmp_cmd_ok(c, "{\"execute\": \"device_add\", \"arguments\": "
                   "{\"driver\": \"spapr-pci-host-bridge\", \"index\": 1, "
                   "\"id\": \"phb1\"}}");
    ddw = qom_get(c, "/machine/peripheral/phb1", "ddw");
    g_assert_true(json_node_get_boolean(ddw));
    pgsz = qom_get(c, "/machine/peripheral/phb1", "pgsz");
    g_assert_cmphex(json_node_get_int(pgsz), ==, 0x11000);
}

static void check_default_windows(QMPClient *c)
{
    DmaWindow w;
    unsigned nr;

    g_assert_true(dma_window(c, 1, 0, &w, &nr));
    g_assert_cmpuint(nr, ==, 2);
    g_assert_cmphex(w.liobn, ==, LIOBN_PHB(1, 0));
    g_assert_true(w.enabled);
    g_assert_cmphex(w.bus_offset, ==, 0);
    g_assert_cmpint(w.page_shift, ==, 12);
    g_assert_cmphex(w.size, ==, 1ULL << 30);
    g_assert_cmpuint(w.mapped, ==, 0);
    g_assert_true(dma_window(c, 1, 1, &w, &nr));
    g_assert_cmphex(w.liobn, ==, LIOBN_PHB(1, 1));
    g_assert_false(w.enabled);
    g_assert_cmpuint(w.size, ==, 0);
}

static void put_tces(QTestState *s, uint32_t liobn, uint64_t start,
                     unsigned shift, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        uint64_t ioba = start + ((uint64_t)i << shift);
        uint64_t ram = 0x20000000ULL + ((uint64_t)i << shift);

        g_assert_cmphex(qh_put_tce(s, liobn, ioba, ram | TCE_RW), ==,
                        H_SUCCESS_U);
    }
}

static void check_hmp_spapr_dma(QMPClient *c)
{
    g_autofree char *out = hmp(c, "info spapr-dma");

    assert_contains(out, "PHB 0 buid 0x800000020000000 ddw on");
    assert_contains(out, "PHB 1 buid 0x800000020000001 ddw on");
    assert_contains(out, "  0x80000100  0x0000000000000000     12  "
                    "0x0000000040000000  yes      3\r\n");
    assert_contains(out, "  0x80000101  0x0800000000000000     16  "
                    "0x0000000040000000  yes      5\r\n");
    assert_contains(out, "vfio: none");
}

/* A 1 GiB window of 64 KiB pages next to the default one, 5 pages mapped. */
static uint32_t create_and_map_ddw(QTestState *s, QMPClient *c)
{
    uint32_t liobn = 0;
    uint64_t start = 0;
    DmaWindow w;
    unsigned nr;

    g_assert_cmpint(qrtas_create(s, BUID_PHB(1), 16, 30, &liobn, &start),
                    ==, RTAS_SUCCESS);
    g_assert_cmphex(liobn, ==, LIOBN_PHB(1, 1));
    g_assert_true(dma_window(c, 1, 1, &w, &nr));
    g_assert_true(w.enabled);
    g_assert_cmphex(w.bus_offset, ==, start);
    g_assert_cmphex(w.bus_offset, ==, 1ULL << 59);
    g_assert_cmpint(w.page_shift, ==, 16);
    g_assert_cmphex(w.size, ==, 1ULL << 30);
    g_assert_cmpuint(w.mapped, ==, 0);
    put_tces(s, liobn, start, 16, 5);
    g_assert_true(dma_window(c, 1, 1, &w, &nr));
    g_assert_cmpuint(w.mapped, ==, 5);
    return liobn;
}

static void test_ddw_bringup(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) del = NULL;
    uint32_t liobn;
    DmaWindow w;
    unsigned nr;
    JsonObject *ev;

    plug_phb1(c);
    check_default_windows(c);
    put_tces(s, LIOBN_PHB(1, 0), 0, 12, 3);
    g_assert_true(dma_window(c, 1, 0, &w, &nr));
    g_assert_cmpuint(w.mapped, ==, 3);
    liobn = create_and_map_ddw(s, c);
    g_assert_true(dma_window(c, 0, 0, &w, &nr));
    g_assert_cmpuint(w.mapped, ==, 0);      /* PHB 0 is untouched */
    check_hmp_spapr_dma(c);

    g_assert_cmpint(qrtas_remove(s, liobn), ==, RTAS_SUCCESS);
    g_assert_true(dma_window(c, 1, 1, &w, &nr));
    g_assert_false(w.enabled);
    g_assert_cmpuint(w.mapped, ==, 0);

    del = qmp_cmd_ok(c, "{\"execute\": \"device_del\", \"arguments\": "
                     "{\"id\": \"phb1\"}}");
    ev = qmp_event_wait(c, "DEVICE_DELETED");
    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "path"), ==,
        "/machine/peripheral/phb1");
    json_object_unref(ev);
    g_assert_false(dma_window(c, 1, 0, &w, &nr));
    g_assert_cmpuint(nr, ==, 1);
    qmp_test_end(s, c);
}

static void test_phb_with_edu(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) r1 = NULL, r2 = NULL;
    g_autofree char *ids = NULL, *qtree = NULL;
    JsonObject *ev;

    plug_phb1(c);
    r1 = qmp_cmd_ok(c, "{\"execute\": \"device_add\", \"arguments\": "
                    "{\"driver\": \"edu\", \"id\": \"e9\", \"bus\": "
                    "\"phb1.0\"}}");
    ids = pci_ids(c);
    g_assert_cmpstr(ids, ==, "e9,");
    qtree = hmp(c, "info qtree");
    assert_contains(qtree, "dev: spapr-pci-host-bridge, id \"phb1\"");
    assert_contains(qtree, "bus: phb1.0");
    assert_contains(qtree, "dev: edu, id \"e9\"");

    /* Removing the PHB takes the device on its bus along: e9 goes first. */
    r2 = qmp_cmd_ok(c, "{\"execute\": \"device_del\", \"arguments\": "
                    "{\"id\": \"phb1\"}}");
    ev = qmp_event_wait(c, "DEVICE_DELETED");
    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "device"), ==, "e9");
    json_object_unref(ev);
    ev = qmp_event_wait(c, "DEVICE_DELETED");
    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "device"), ==, "phb1");
    json_object_unref(ev);
    g_free(ids);
    ids = pci_ids(c);
    g_assert_cmpstr(ids, ==, "");
    qmp_test_end(s, c);
}

/* Human monitor */

static void test_hmp(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "-device edu,id=e1");
    g_autofree char *mtree = hmp(c, "info mtree");
    g_autofree char *qtree = hmp(c, "info qtree");
    g_autofree char *unknown = hmp(c, "info bogus");
    g_autofree char *status = hmp(c, "info status");
    g_autofree char *help = hmp(c, "help");
    g_autofree char *err = NULL;

    assert_contains(mtree, "address-space: memory\r\n");
    assert_contains(mtree, "  0000000000000000-ffffffffffffffff (prio 0, "
                    "i/o): system\r\n");
    assert_contains(mtree, "    0000000000000000-00000000ffffffff (prio 0, "
                    "ram): ppc_spapr.ram\r\n");
    assert_contains(mtree, "address-space: iommu-root-0");
    assert_contains(qtree, "bus: main-system-bus\r\n");
    assert_contains(qtree, "dev: spapr-pci-host-bridge, id \"\"");
    assert_contains(qtree, "pgsz = 69632 (0x11000)");
    assert_contains(qtree, "dev: edu, id \"e1\"");
    g_assert_cmpstr(unknown, ==, "unknown command: 'info bogus'\r\n");
    g_assert_cmpstr(status, ==, "VM status: paused (prelaunch)\r\n");
    assert_contains(help, "info spapr-dma");
    err = qmp_cmd_err(c, "GenericError", "{\"execute\": "
                      "\"human-monitor-command\", \"arguments\": {}}");
    g_assert_cmpstr(err, ==, "Parameter 'command-line' is missing");
    qmp_test_end(s, c);
}

/* Migration commands: argument checks that hold with or without a peer. */

static void test_migration_commands(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) q = qmp_cmd_ok(c, "{\"execute\": \"query-migrate\"}");
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;

    g_assert_true(JSON_NODE_HOLDS_OBJECT(q));
    g_assert_false(json_object_has_member(qmp_ret_object(q), "status"));
    e1 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"migrate\", "
                     "\"arguments\": {\"uri\": \"bogus:nowhere\"}}");
    e2 = qmp_cmd_err(c, "GenericError", "{\"execute\": \"migrate\", "
                     "\"arguments\": {\"uri\": \"tcp:1:1\", \"speed\": 1}}");
    g_assert_cmpstr(e2, ==, "Parameter 'speed' is unexpected");
    e3 = qmp_cmd_err(c, "GenericError", "{\"execute\": "
                     "\"migrate-set-parameters\", \"arguments\": "
                     "{\"no-such-parameter\": 1}}");
    e4 = qmp_cmd_err(c, "GenericError", "{\"execute\": "
                     "\"migrate-set-capabilities\", \"arguments\": "
                     "{\"capabilities\": 1}}");
    qmp_test_end(s, c);
}

static bool status_is(QMPClient *c, const char *status)
{
    g_autoptr(JsonNode) r = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");

    return !strcmp(json_object_get_string_member(qmp_ret_object(r), "status"),
                   status);
}

/*
 * A migration between two processes, seen over QMP: MIGRATION events on
 * the source up to "completed", STOP as it hands over, query-migrate and
 * query-status on both sides.
 */
static void test_migration_events(void)
{
    g_autofree char *dir = g_dir_make_tmp("qmp-mig-XXXXXX", NULL);
    g_autofree char *mig = g_build_filename(dir, "mig.sock", NULL);
    g_autofree char *dqmp = g_build_filename(dir, "dst.qmp", NULL);
    g_autofree char *uri = g_strdup_printf("unix:%s", mig);
    QTestState *src, *dst = qtest_initf("-m 512M -incoming %s -qmp unix:%s,"
                                        "server=on,wait=off", uri, dqmp);
    QMPClient *d = qmp_client_connect(dqmp);
    QMPClient *c = qmp_test_start(&src, "%s", "-m 512M");
    g_autoptr(JsonNode) r0 = NULL, rd = NULL, r = NULL, q = NULL;
    JsonObject *ev;
    bool completed = false;

    qmp_client_negotiate(d);
    g_assert_true(status_is(d, "inmigrate"));
    /* cont while a migration comes in: run once loaded (QEMU autostart) */
    r0 = qmp_cmd_ok(d, "{\"execute\": \"cont\"}");
    g_assert_true(status_is(d, "inmigrate"));
    qtest_memset(src, 0x100000, 0xab, 4096);
    /* A PHB plugged and gone again leaves nothing in the stream. */
    plug_phb1(c);
    rd = qmp_cmd_ok(c, "{\"execute\": \"device_del\", \"arguments\": "
                    "{\"id\": \"phb1\"}}");
    /* MIGRATION events come with the "events" capability, as in QEMU */
    json_node_unref(qmp_cmd_ok(c, "{\"execute\": \"migrate-set-capabilities\","
                               " \"arguments\": {\"capabilities\": [{"
                               "\"capability\": \"events\", \"state\": "
                               "true}]}}"));
    r = qmp_cmd_ok(c, "{\"execute\": \"migrate\", \"arguments\": "
                   "{\"uri\": \"%s\"}}", uri);
    while (!completed) {
        const char *st;

        ev = qmp_event_wait(c, "MIGRATION");
        st = json_object_get_string_member(
            json_object_get_object_member(ev, "data"), "status");
        g_assert_true(!strcmp(st, "setup") || !strcmp(st, "active") ||
                      !strcmp(st, "completed"));
        completed = !strcmp(st, "completed");
        json_object_unref(ev);
    }
    q = qmp_cmd_ok(c, "{\"execute\": \"query-migrate\"}");
    g_assert_cmpstr(json_object_get_string_member(qmp_ret_object(q), "status"),
                    ==, "completed");
    {
        JsonObject *ram = json_object_get_object_member(qmp_ret_object(q),
                                                        "ram");

        /* libvirt requires transferred, remaining and total */
        g_assert_cmpint(json_object_get_int_member(ram, "transferred"), >=,
                        4096);
        g_assert_cmpint(json_object_get_int_member(ram, "remaining"), ==, 0);
        g_assert_cmpint(json_object_get_int_member(ram, "total"), ==,
                        512 << 20);
    }
    /* The destination leaves inmigrate once it has loaded everything. */
    for (int i = 0; status_is(d, "inmigrate"); i++) {
        g_assert_cmpint(i, <, 3000);    /* x 10 ms: a bound, not a timing */
        g_usleep(10 * 1000);
    }
    g_assert_true(status_is(d, "running"));
    json_object_unref(qmp_event_wait(d, "RESUME"));
    g_assert_true(status_is(c, "postmigrate"));
    g_assert_cmphex(qtest_readb(dst, 0x100fff), ==, 0xab);
    qmp_client_close(d);
    qmp_test_end(src, c);
    qtest_quit(dst);
    unlink(mig);
    unlink(dqmp);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-ddw/edu-plug", test_edu_plug);
    g_test_add_func("/qmp-ddw/device-del-errors", test_device_del_errors);
    g_test_add_func("/qmp-ddw/qom", test_qom);
    g_test_add_func("/qmp-ddw/qom-set-types", test_qom_set_types);
    g_test_add_func("/qmp-ddw/uint64-exact", test_uint64_exact);
    g_test_add_func("/qmp-ddw/host-emu-props-fixed",
                    test_host_emu_props_fixed);
    g_test_add_func("/qmp-ddw/bringup", test_ddw_bringup);
    g_test_add_func("/qmp-ddw/phb-with-edu", test_phb_with_edu);
    g_test_add_func("/qmp-ddw/hmp", test_hmp);
    g_test_add_func("/qmp-ddw/migration-commands", test_migration_commands);
    g_test_add_func("/qmp-ddw/migration-events", test_migration_events);
    return g_test_run();
}
