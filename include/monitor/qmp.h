/*
 * QMP: the command registry, events, and the helpers command handlers use.
 *
 * Commands register from the file that owns them, at startup:
 *
 *     qmp_register_command("query-foo", "id:s,verbose:b?", qmp_query_foo);
 *
 * args_type lists the accepted arguments as NAME:TYPE, comma separated;
 * TYPE is s (string), b (bool), i (integer), o (object), a (any value),
 * with a trailing '?' when optional.  A lone "*" accepts any further
 * argument (device_add's device properties).  The dispatcher checks
 * unknown, missing and mistyped arguments before the handler runs, so
 * handlers read them with the qmp_arg_*() helpers without re-checking.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_QMP_H
#define MONITOR_QMP_H

#include <json-glib/json-glib.h>

/* Returns the "return" value (owned by the caller), or NULL with errp set. */
typedef JsonNode *QmpCommandFn(JsonObject *args, Error **errp);

void qmp_register_command(const char *name, const char *args_type,
                          QmpCommandFn *fn);
/* Sorted command names, for query-commands (g_list_free, not the names). */
GList *qmp_command_names(void);

/* Arguments, already validated by the dispatcher against args_type. */
const char *qmp_arg_str(JsonObject *args, const char *name);
bool qmp_arg_bool(JsonObject *args, const char *name, bool dflt);
int64_t qmp_arg_int(JsonObject *args, const char *name, int64_t dflt);

/* Return values */
JsonNode *qmp_return_empty(void);
JsonNode *qmp_node_object(JsonObject *obj);     /* takes obj */
JsonNode *qmp_node_array(JsonArray *arr);       /* takes arr */
JsonNode *qmp_node_str(const char *s);
/* Unsigned values as JSON integers (above INT64_MAX: as a double). */
void qmp_object_set_uint(JsonObject *obj, const char *name, uint64_t v);

/*
 * Sends {"event": name, "data": data, "timestamp": ...} to every QMP
 * monitor past capabilities negotiation.  data (taken) may be NULL: the
 * event then has no "data" member, as QEMU sends STOP and RESUME.
 */
void qmp_event_emit(const char *name, JsonObject *data);
/* Observers of emitted events (tests); the text is the JSON line. */
typedef void QmpEventObserver(const char *json, void *opaque);
void qmp_event_add_observer(QmpEventObserver *fn, void *opaque);
void qmp_event_remove_observer(QmpEventObserver *fn, void *opaque);

/* Runs fn once the current command's response has been sent. */
void qmp_after_response(void (*fn)(void *opaque), void *opaque);

/*
 * One connection's protocol state.  qmp_session_handle() takes one
 * complete JSON text (or the framing error the stream reported) and
 * returns the response line (without the line end), or NULL when the
 * text asks for none.  Used by the monitor and by in-process tests.
 */
typedef struct QmpSession {
    bool negotiated;
} QmpSession;

char *qmp_session_handle(QmpSession *sess, const char *text, size_t len,
                         const char *stream_err);
void qmp_session_run_deferred(void);
char *qmp_greeting(void);

#endif
