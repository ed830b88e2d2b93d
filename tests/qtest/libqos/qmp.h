/*
 * A QMP client for qtests: connects to the process's QMP unix socket,
 * reads the greeting, negotiates capabilities, sends commands and reads
 * their responses, and queues the events that arrive in between.
 *
 * Every helper fails the current GLib test when the server answers
 * something unexpected, closes the connection, or stays silent for
 * QMP_CLIENT_TIMEOUT_MS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef LIBQOS_QMP_H
#define LIBQOS_QMP_H

#include <json-glib/json-glib.h>
#include "libqtest.h"

#define QMP_CLIENT_TIMEOUT_MS 10000

typedef struct QMPClient QMPClient;

/* Connects (retrying while the socket appears) and reads the greeting. */
QMPClient *qmp_client_connect(const char *path);
/* The same on a connected socket (reads the greeting; takes the fd). */
QMPClient *qmp_client_from_fd(int fd);
void qmp_client_close(QMPClient *c);
/* The greeting object (owned by the client). */
JsonObject *qmp_client_greeting(QMPClient *c);
/* Runs qmp_capabilities and asserts it succeeded. */
void qmp_client_negotiate(QMPClient *c);

/* Sends text with fd attached (SCM_RIGHTS), as libvirt's getfd does. */
void qmp_send_with_fd(QMPClient *c, int fd, const char *text);
/* Sends raw bytes as they are. */
void qmp_send_raw(QMPClient *c, const void *buf, size_t len);
/* Reads the next response (events are queued); json_object_unref it. */
JsonObject *qmp_receive(QMPClient *c);
/* The next response's text as sent (events are queued); g_free it. */
char *qmp_receive_line(QMPClient *c);
/* Sends a printf-formatted JSON text and returns its response. */
JsonObject *qmp_cmd(QMPClient *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* ... asserting success: returns the "return" value (json_node_unref). */
JsonNode *qmp_cmd_ok(QMPClient *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A "return" value that must be an object / an array. */
JsonObject *qmp_ret_object(JsonNode *ret);
JsonArray *qmp_ret_array(JsonNode *ret);
/* ... asserting an error of class cls: returns its "desc" (g_free). */
char *qmp_cmd_err(QMPClient *c, const char *cls, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Takes the first queued event called name, reading until it arrives. */
JsonObject *qmp_event_wait(QMPClient *c, const char *name);
/* How many events called name are queued (without reading). */
unsigned qmp_event_count(QMPClient *c, const char *name);
void qmp_events_clear(QMPClient *c);

/*
 * Starts the binary with qtest on stdio and QMP on a fresh unix socket,
 * connects and negotiates.  qmp_test_end() closes both and checks the
 * process exits cleanly.
 */
QMPClient *qmp_test_start(QTestState **qts, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
void qmp_test_end(QTestState *qts, QMPClient *c);

#endif
