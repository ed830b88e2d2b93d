/*
 * device_del follows QEMU 7.2's order of events on pseries: the unplug
 * request, its completion at a machine reset (no guest answers it), then
 * DEVICE_DELETED; a device added in prelaunch goes at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "libqtest.h"
#include "libqos/qmp.h"

static void del_ok(QMPClient *c, const char *id)
{
    g_autoptr(JsonNode) ret = qmp_cmd_ok(c, "{\"execute\": \"device_del\", "
                                         "\"arguments\": {\"id\": \"%s\"}}",
                                         id);
}

/* Waits for DEVICE_DELETED of id, skipping those of the devices on it. */
static void wait_deleted(QMPClient *c, const char *id)
{
    for (int i = 0; i < 16; i++) {
        JsonObject *ev = qmp_event_wait(c, "DEVICE_DELETED");
        JsonObject *data = json_object_get_object_member(ev, "data");
        bool match = json_object_has_member(data, "device") &&
            !strcmp(json_object_get_string_member(data, "device"), id);

        json_object_unref(ev);
        if (match) {
            return;
        }
    }
    g_assert_not_reached();
}

static void check_pending(const char *device, const char *id,
                          const char *kind)
{
    QTestState *qts;
    QMPClient *c = qmp_test_start(&qts, "-device %s,id=%s", device, id);
    g_autofree char *again = NULL;
    g_autofree char *want = g_strdup_printf("%s unplug already in progress "
                                            "for device %s", kind, id);
    g_autoptr(JsonNode) status = NULL, reset = NULL;

    del_ok(c, id);
    /* Nothing until a reset: a query in between sees no event. */
    status = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    g_assert_cmpuint(qmp_event_count(c, "DEVICE_DELETED"), ==, 0);
    again = qmp_cmd_err(c, "GenericError", "{\"execute\": \"device_del\", "
                        "\"arguments\": {\"id\": \"%s\"}}", id);
    g_assert_cmpstr(again, ==, want);
    reset = qmp_cmd_ok(c, "{\"execute\": \"system_reset\"}");
    json_object_unref(qmp_event_wait(c, "RESET"));
    wait_deleted(c, id);
    qmp_test_end(qts, c);
}

static void test_phb_pending(void)
{
    check_pending("spapr-pci-host-bridge,index=1", "phb1", "PCI Host Bridge");
}

static void test_edu_pending(void)
{
    check_pending("edu", "e1", "PCI device");
}

static void test_prelaunch_hotplug(void)
{
    QTestState *qts;
    QMPClient *c = qmp_test_start(&qts, "%s", "");
    g_autoptr(JsonNode) add = qmp_cmd_ok(c, "{\"execute\": \"device_add\", "
                                         "\"arguments\": {\"driver\": \"edu\","
                                         " \"id\": \"e2\"}}");

    del_ok(c, "e2");
    wait_deleted(c, "e2");
    qmp_test_end(qts, c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/device-unplug/phb-waits-for-reset", test_phb_pending);
    g_test_add_func("/device-unplug/edu-waits-for-reset", test_edu_pending);
    g_test_add_func("/device-unplug/prelaunch-hotplug", test_prelaunch_hotplug);
    return g_test_run();
}
