/*
 * The QMP commands libvirt 9.0 sends, with their bad inputs: the probe's
 * queries, start-up's queries, system_powerdown, getfd/closefd, migration
 * capabilities and parameters, and a migration the way libvirt drives it
 * (fd:NAME from getfd, tcp:[::]:PORT, events, return-path,
 * pause-before-switchover with migrate-continue).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "libqtest.h"
#include "libqos/qmp.h"

static void assert_err(QMPClient *c, const char *needle, const char *cmd)
{
    g_autofree char *desc = qmp_cmd_err(c, "GenericError", "%s", cmd);

    if (!strstr(desc, needle)) {
        g_error("'%s': error '%s' lacks '%s'", cmd, desc, needle);
    }
}

static void assert_empty_list(QMPClient *c, const char *cmd)
{
    g_autoptr(JsonNode) r = qmp_cmd_ok(c, "%s", cmd);

    g_assert_cmpuint(json_array_get_length(qmp_ret_array(r)), ==, 0);
}

/* What libvirt's capability probe asks, on -machine none as it runs it. */
static void test_probe_queries(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "-machine none");
    g_autoptr(JsonNode) t = qmp_cmd_ok(c, "{\"execute\": \"query-target\"}");
    g_autoptr(JsonNode) k = qmp_cmd_ok(c, "{\"execute\": \"query-kvm\"}");
    g_autoptr(JsonNode) d = qmp_cmd_ok(c, "{\"execute\": "
                                       "\"query-cpu-definitions\"}");
    g_autoptr(JsonNode) o = qmp_cmd_ok(c, "{\"execute\": "
                                       "\"query-command-line-options\"}");
    g_autoptr(JsonNode) sb = qmp_cmd_ok(c, "{\"execute\": "
                                        "\"query-command-line-options\", "
                                        "\"arguments\": {\"option\": "
                                        "\"sandbox\"}}");
    g_autoptr(JsonNode) types = qmp_cmd_ok(c, "{\"execute\": "
                                           "\"qom-list-types\"}");
    g_autofree char *types_text = json_to_string(types, false);
    JsonObject *def;

    g_assert_cmpstr(json_object_get_string_member(qmp_ret_object(t),
                                                  "arch"), ==,
                    "ppc64");
    g_assert_false(json_object_get_boolean_member(qmp_ret_object(k),
                                                  "present"));
    g_assert_false(json_object_get_boolean_member(qmp_ret_object(k),
                                                  "enabled"));
    /* the POWER8 family, as QEMU names it (the first: the device tree's) */
    g_assert_cmpuint(json_array_get_length(qmp_ret_array(d)), ==, 4);
    def = json_array_get_object_element(qmp_ret_array(d), 0);
    g_assert_cmpstr(json_object_get_string_member(def, "name"), ==, "POWER8");
    g_assert_cmpuint(json_array_get_length(qmp_ret_array(o)), >, 10);
    g_assert_cmpuint(json_array_get_length(qmp_ret_array(sb)), ==, 1);
    g_assert_nonnull(strstr(types_text, "\"tcg-accel\""));
    assert_err(c, "Invalid parameter 'nosuch'", "{\"execute\": "
               "\"query-command-line-options\", \"arguments\": "
               "{\"option\": \"nosuch\"}}");
    assert_err(c, "option", "{\"execute\": \"query-command-line-options\", "
               "\"arguments\": {\"option\": 1}}");
    /* none has no CPU to hot-plug, and says so as QEMU does */
    assert_err(c, "does not support hot-plugging CPUs",
               "{\"execute\": \"query-hotpluggable-cpus\"}");
    assert_err(c, "'x'", "{\"execute\": \"query-kvm\", \"arguments\": "
               "{\"x\": 1}}");
    qmp_test_end(s, c);
}

/* The machine options libvirt looks for are in the parser's own table. */
static void test_command_line_options_machine(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) r = qmp_cmd_ok(c, "{\"execute\": "
                                       "\"query-command-line-options\", "
                                       "\"arguments\": {\"option\": "
                                       "\"machine\"}}");
    g_autofree char *text = json_to_string(r, false);

    g_assert_nonnull(strstr(text, "\"name\":\"dump-guest-core\","
                                  "\"type\":\"boolean\""));
    g_assert_nonnull(strstr(text, "\"name\":\"usb\""));
    qmp_test_end(s, c);
}

/* What libvirt asks at start-up; no CPU, thread or block device exists. */
static void test_startup_queries(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "-name guest=vm1,debug-threads=on "
                                  "-uuid 1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    g_autoptr(JsonNode) u = qmp_cmd_ok(c, "{\"execute\": \"query-uuid\"}");
    g_autoptr(JsonNode) n = qmp_cmd_ok(c, "{\"execute\": \"query-name\"}");
    g_autoptr(JsonNode) ch = qmp_cmd_ok(c, "{\"execute\": \"query-chardev\"}");
    g_autoptr(JsonNode) p = qmp_cmd_ok(c, "{\"execute\": \"qom-list\", "
                                       "\"arguments\": {\"path\": "
                                       "\"/machine/peripheral\"}}");
    g_autoptr(JsonNode) un = qmp_cmd_ok(c, "{\"execute\": \"qom-list\", "
                                        "\"arguments\": {\"path\": "
                                        "\"/machine/unattached\"}}");
    JsonObject *chr;

    g_assert_cmpstr(json_object_get_string_member(qmp_ret_object(u),
                                                  "UUID"), ==,
                    "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    g_assert_cmpstr(json_object_get_string_member(qmp_ret_object(n),
                                                  "name"), ==,
                    "vm1");
    chr = json_array_get_object_element(qmp_ret_array(ch), 0);
    g_assert_cmpstr(json_object_get_string_member(chr, "label"), ==,
                    "compat_monitor0");
    g_assert_true(json_object_get_boolean_member(chr, "frontend-open"));
    assert_empty_list(c, "{\"execute\": \"query-hotpluggable-cpus\"}");
    assert_empty_list(c, "{\"execute\": \"query-cpus-fast\"}");
    assert_empty_list(c, "{\"execute\": \"query-iothreads\"}");
    assert_empty_list(c, "{\"execute\": \"query-named-block-nodes\", "
                      "\"arguments\": {\"flat\": true}}");
    assert_empty_list(c, "{\"execute\": \"query-block\"}");
    assert_err(c, "flat", "{\"execute\": \"query-named-block-nodes\", "
               "\"arguments\": {\"flat\": \"yes\"}}");
    qmp_test_end(s, c);
}

/* Without -name and -uuid: no name member, the nil UUID. */
static void test_identity_defaults(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) u = qmp_cmd_ok(c, "{\"execute\": \"query-uuid\"}");
    g_autoptr(JsonNode) n = qmp_cmd_ok(c, "{\"execute\": \"query-name\"}");

    g_assert_cmpstr(json_object_get_string_member(qmp_ret_object(u),
                                                  "UUID"), ==,
                    "00000000-0000-0000-0000-000000000000");
    g_assert_false(json_object_has_member(qmp_ret_object(n), "name"));
    qmp_test_end(s, c);
}

/* virsh shutdown: POWERDOWN; the guest decides, the machine runs on. */
static void test_system_powerdown(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) r = qmp_cmd_ok(c, "{\"execute\": \"cont\"}");
    g_autoptr(JsonNode) p = qmp_cmd_ok(c, "{\"execute\": "
                                       "\"system_powerdown\"}");
    g_autoptr(JsonNode) st = NULL;

    json_object_unref(qmp_event_wait(c, "POWERDOWN"));
    st = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    g_assert_cmpstr(json_object_get_string_member(qmp_ret_object(st), "status"),
                    ==, "running");
    qmp_test_end(s, c);
}

static void test_getfd(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    int sv[2];
    g_autoptr(JsonObject) r = NULL;

    assert_err(c, "No file descriptor supplied via SCM_RIGHTS",
               "{\"execute\": \"getfd\", \"arguments\": "
               "{\"fdname\": \"migrate\"}}");
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    qmp_send_with_fd(c, sv[0], "{\"execute\": \"getfd\", \"arguments\": "
                     "{\"fdname\": \"1bad\"}}\n");
    r = qmp_receive(c);
    g_assert_true(json_object_has_member(r, "error"));
    qmp_send_with_fd(c, sv[0], "{\"execute\": \"getfd\", \"arguments\": "
                     "{\"fdname\": \"migrate\"}}\n");
    json_object_unref(qmp_receive(c));
    json_node_unref(qmp_cmd_ok(c, "{\"execute\": \"closefd\", \"arguments\": "
                               "{\"fdname\": \"migrate\"}}"));
    assert_err(c, "not found", "{\"execute\": \"closefd\", \"arguments\": "
               "{\"fdname\": \"migrate\"}}");
    assert_err(c, "fdname", "{\"execute\": \"getfd\", \"arguments\": "
               "{\"fdname\": 7}}");
    assert_err(c, "nosuch", "{\"execute\": \"migrate\", \"arguments\": "
               "{\"uri\": \"fd:nosuch\"}}");
    close(sv[0]);
    close(sv[1]);
    qmp_test_end(s, c);
}

static void test_migrate_caps_params(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "");
    g_autoptr(JsonNode) caps = qmp_cmd_ok(c, "{\"execute\": "
                                          "\"query-migrate-capabilities\"}");
    g_autoptr(JsonNode) params = NULL;
    g_autofree char *text = json_to_string(caps, false);

    g_assert_nonnull(strstr(text, "\"capability\":\"events\""));
    g_assert_nonnull(strstr(text, "\"capability\":\"return-path\""));
    g_assert_nonnull(strstr(text, "\"pause-before-switchover\""));
    json_node_unref(qmp_cmd_ok(c, "{\"execute\": \"migrate-set-parameters\", "
                               "\"arguments\": {\"tls-creds\": \"\", "
                               "\"tls-hostname\": \"\", \"max-bandwidth\": "
                               "9223372036853727232}}"));
    params = qmp_cmd_ok(c, "{\"execute\": \"query-migrate-parameters\"}");
    g_assert_cmpstr(json_object_get_string_member(qmp_ret_object(params),
                                                  "tls-creds"), ==, "");
    g_assert_cmpint(json_object_get_int_member(qmp_ret_object(params),
                                               "max-bandwidth"), ==,
                    9223372036853727232LL);
    assert_err(c, "TLS", "{\"execute\": \"migrate-set-parameters\", "
               "\"arguments\": {\"tls-creds\": \"tls0\"}}");
    assert_err(c, "capability", "{\"execute\": \"migrate-set-capabilities\", "
               "\"arguments\": {\"capabilities\": [{\"capability\": "
               "\"postcopy-ram\", \"state\": true}]}}");
    assert_err(c, "Migration not in expected state", "{\"execute\": "
               "\"migrate-continue\", \"arguments\": {\"state\": "
               "\"pre-switchover\"}}");
    qmp_test_end(s, c);
}

static void set_caps(QMPClient *c, const char *caps)
{
    json_node_unref(qmp_cmd_ok(c, "{\"execute\": \"migrate-set-capabilities\","
                               " \"arguments\": {\"capabilities\": [%s]}}",
                               caps));
}

static const char *wait_migration(QMPClient *c)
{
    static char status[32];
    JsonObject *ev = qmp_event_wait(c, "MIGRATION");

    g_strlcpy(status, json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "status"),
        sizeof(status));
    json_object_unref(ev);
    return status;
}

static int free_tcp_port(void)
{
    struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    int port;

    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sa, &len), ==, 0);
    port = ntohs(sa.sin6_port);
    close(fd);
    return port;
}

static int tcp_connect_local(int port)
{
    struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
                               .sin6_port = htons(port),
                               .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    int fd = socket(AF_INET6, SOCK_STREAM, 0);

    for (int i = 0; i < 500; i++) {
        if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
            return fd;
        }
        g_usleep(10000);
    }
    g_error("cannot connect to [::1]:%d", port);
}

static const char *const libvirt_caps =
    "{\"capability\": \"events\", \"state\": true}, "
    "{\"capability\": \"return-path\", \"state\": true}";

/*
 * libvirt's live migration: destination on tcp:[::]:PORT from
 * -incoming defer; source through the socket libvirt connected and
 * passed with getfd, paused before switchover until migrate-continue.
 */
static void test_libvirt_migration(void)
{
    int port = free_tcp_port(), fd;
    QTestState *src, *dst;
    QMPClient *d = qmp_test_start(&dst, "%s", "-m 512M -incoming defer");
    QMPClient *c = qmp_test_start(&src, "%s", "-m 512M");
    g_autoptr(JsonNode) st = NULL;

    set_caps(d, libvirt_caps);
    json_node_unref(qmp_cmd_ok(d, "{\"execute\": \"migrate-incoming\", "
                               "\"arguments\": {\"uri\": \"tcp:[::]:%d\"}}",
                               port));
    qtest_memset(src, 0x200000, 0x5a, 8192);
    set_caps(c, "{\"capability\": \"events\", \"state\": true}, "
             "{\"capability\": \"return-path\", \"state\": true}, "
             "{\"capability\": \"pause-before-switchover\", \"state\": true}");
    fd = tcp_connect_local(port);
    qmp_send_with_fd(c, fd, "{\"execute\": \"getfd\", \"arguments\": "
                     "{\"fdname\": \"migrate\"}}\n");
    json_object_unref(qmp_receive(c));
    close(fd);
    json_node_unref(qmp_cmd_ok(c, "{\"execute\": \"migrate\", \"arguments\": "
                               "{\"uri\": \"fd:migrate\", \"detach\": true}}"));
    while (strcmp(wait_migration(c), "pre-switchover")) {
    }
    json_node_unref(qmp_cmd_ok(c, "{\"execute\": \"migrate-continue\", "
                               "\"arguments\": {\"state\": "
                               "\"pre-switchover\"}}"));
    g_assert_cmpstr(wait_migration(c), ==, "device");
    g_assert_cmpstr(wait_migration(c), ==, "completed");
    while (strcmp(wait_migration(d), "completed")) {
    }
    g_assert_cmphex(qtest_readb(dst, 0x201fff), ==, 0x5a);
    st = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    g_assert_cmpstr(json_object_get_string_member(qmp_ret_object(st), "status"),
                    ==, "postmigrate");
    qmp_test_end(src, c);
    qmp_test_end(dst, d);
}

/* return-path: a destination that cannot load leaves the guest here. */
static void test_return_path_failure(void)
{
    int port = free_tcp_port();
    QTestState *src, *dst;
    QMPClient *d = qmp_test_start(&dst, "%s", "-m 256M -incoming defer");
    QMPClient *c = qmp_test_start(&src, "%s", "-m 512M");
    g_autoptr(JsonNode) cont = qmp_cmd_ok(c, "{\"execute\": \"cont\"}");
    g_autoptr(JsonNode) st = NULL;

    set_caps(d, libvirt_caps);
    json_node_unref(qmp_cmd_ok(d, "{\"execute\": \"migrate-incoming\", "
                               "\"arguments\": {\"uri\": \"tcp:[::]:%d\"}}",
                               port));
    set_caps(c, libvirt_caps);
    json_node_unref(qmp_cmd_ok(c, "{\"execute\": \"migrate\", \"arguments\": "
                               "{\"uri\": \"tcp:[::1]:%d\"}}", port));
    while (strcmp(wait_migration(c), "failed")) {
    }
    st = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    g_assert_cmpstr(json_object_get_string_member(qmp_ret_object(st), "status"),
                    ==, "running");
    qmp_test_end(src, c);
    qmp_test_end(dst, d);
}

/* -sandbox spawn=deny: exec: migration is refused, the VM lives on. */
static void test_sandbox_exec_refused(void)
{
    QTestState *s;
    QMPClient *c = qmp_test_start(&s, "%s", "-sandbox on,obsolete=deny,"
                                  "elevateprivileges=deny,spawn=deny,"
                                  "resourcecontrol=deny");
    g_autoptr(JsonNode) st = NULL;

    assert_err(c, "spawn=deny", "{\"execute\": \"migrate\", \"arguments\": "
               "{\"uri\": \"exec:cat > /dev/null\"}}");
    st = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    qmp_test_end(s, c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/libvirt-qmp/probe", test_probe_queries);
    g_test_add_func("/libvirt-qmp/command-line-options/machine",
                    test_command_line_options_machine);
    g_test_add_func("/libvirt-qmp/startup", test_startup_queries);
    g_test_add_func("/libvirt-qmp/identity-defaults", test_identity_defaults);
    g_test_add_func("/libvirt-qmp/system-powerdown", test_system_powerdown);
    g_test_add_func("/libvirt-qmp/getfd", test_getfd);
    g_test_add_func("/libvirt-qmp/migrate/caps-params",
                    test_migrate_caps_params);
    g_test_add_func("/libvirt-qmp/migrate/libvirt", test_libvirt_migration);
    g_test_add_func("/libvirt-qmp/migrate/return-path-failure",
                    test_return_path_failure);
    g_test_add_func("/libvirt-qmp/sandbox-exec-refused",
                    test_sandbox_exec_refused);
    return g_test_run();
}
