/*
 * QMP: the command registry, events, and the helpers command handlers use.
 *
 * Commands, the types they take and return, and events are declared in
 * tables at the bottom of the file that owns them; query-qmp-schema and
 * the dispatcher's argument checks are both generated from these tables
 * (docs/devel/qmp.md):
 *
 *     static const QmpCommandInfo foo_commands[] = {
 *         { "query-foo", qmp_query_foo, "id:str,verbose:bool?", "[FooInfo]" },
 *     };
 *     static const QmpSchemaTypeInfo foo_types[] = {
 *         { "FooInfo", .members = "id:str,size:int,state:FooState" },
 *         { "FooState", .values = "idle,busy" },
 *     };
 *     QMP_COMMANDS(foo_commands)
 *     QMP_SCHEMA_TYPES(foo_types)
 *
 * A type is a QAPI builtin (str, bool, int, uint64, size, number, any,
 * null), a type declared in some QMP_SCHEMA_TYPES table, or [TYPE] for an
 * array.  Members and arguments are NAME:TYPE, comma separated, with a
 * trailing '?' when optional.  A lone "*" in a command's arguments accepts
 * any further member (device_add's device properties); the schema shows
 * only the named ones.  "returns" NULL means the empty object {}.  The
 * dispatcher checks unknown, missing and mistyped arguments (enum values
 * included) before the handler runs, so handlers read them with the
 * qmp_arg_*() helpers without re-checking.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_QMP_H
#define MONITOR_QMP_H

#include <json-glib/json-glib.h>
#include "qemu/json-uint.h"

/* Returns the "return" value (owned by the caller), or NULL with errp set. */
typedef JsonNode *QmpCommandFn(JsonObject *args, Error **errp);

typedef struct QmpCommandInfo {
    const char *name;
    QmpCommandFn *fn;
    const char *args;           /* "name:TYPE,opt:TYPE?" or NULL */
    const char *returns;        /* TYPE, or NULL for {} */
    /*
     * May run out of band ({"exec-oob": NAME}, "DOC: QMP out-of-band
     * execution"): it must never wait for anything, as QAPI's allow-oob.
     */
    bool allow_oob;
} QmpCommandInfo;

/* An object type (members) or an enumeration (values, comma separated). */
typedef struct QmpSchemaTypeInfo {
    const char *name;
    const char *members;
    const char *values;
} QmpSchemaTypeInfo;

/* An event and its "data" members (NULL: no data). */
typedef struct QmpEventInfo {
    const char *name;
    const char *data;
} QmpEventInfo;

void qmp_register_commands(const QmpCommandInfo *cmds, size_t n);
void qmp_schema_register_types(const QmpSchemaTypeInfo *types, size_t n);
void qmp_schema_register_events(const QmpEventInfo *events, size_t n);

#define QMP_REGISTER_TABLE_(fn, table)                             \
    static void qmp_register_##table(void)                         \
    {                                                              \
        fn(table, ARRAY_SIZE(table));                              \
    }                                                              \
    type_init(qmp_register_##table)
#define QMP_COMMANDS(table) QMP_REGISTER_TABLE_(qmp_register_commands, table)
#define QMP_SCHEMA_TYPES(table) \
    QMP_REGISTER_TABLE_(qmp_schema_register_types, table)
#define QMP_EVENTS(table) \
    QMP_REGISTER_TABLE_(qmp_schema_register_events, table)

/*
 * One command outside a table (tests).  Its arguments may also use the
 * one-letter types s, b, i, a (str, bool, int, any) and o (an object).
 */
void qmp_register_command(const char *name, const char *args_type,
                          QmpCommandFn *fn);
/* The command's table entry, or NULL. */
const QmpCommandInfo *qmp_command_find(const char *name);
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
/*
 * Unsigned values as JSON integers, exactly up to 2^64 - 1 (above
 * INT64_MAX as a tagged node: "DOC: JSON unsigned integers",
 * util/json-uint.c).
 */
static inline JsonNode *qmp_node_uint(uint64_t v)
{
    return qemu_json_uint_node(v);
}

static inline void qmp_object_set_uint(JsonObject *obj, const char *name,
                                       uint64_t v)
{
    json_object_set_member(obj, name, qemu_json_uint_node(v));
}

static inline bool qmp_node_is_uint_tag(JsonNode *n)
{
    return qemu_json_is_uint_tag(n);
}

/* A non-negative integer or a tagged one. */
static inline bool qmp_node_get_uint(JsonNode *n, uint64_t *v)
{
    return qemu_json_get_uint(n, v);
}

/* An integer (tagged or not) as decimal text, else NULL (g_free). */
static inline char *qmp_node_number_text(JsonNode *n)
{
    return qemu_json_number_text(n);
}

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

/*
 * One connection's protocol state.  qmp_session_handle() takes one
 * complete JSON text (or the framing error the stream reported) and
 * returns the response line (without the line end), or NULL when the
 * text asks for none.  Used by the monitor and by in-process tests.
 */
typedef struct QmpSession {
    bool negotiated;
    bool oob;                   /* qmp_capabilities enabled "oob" */
} QmpSession;

char *qmp_session_handle(QmpSession *sess, const char *text, size_t len,
                         const char *stream_err);
char *qmp_greeting(void);
/*
 * Whether the text is an out-of-band request: an object with "exec-oob"
 * and without "execute" (it is then handled at once, even while the
 * session's in-band requests wait; refused unless oob is enabled).
 */
bool qmp_request_is_oob(const char *text, size_t len);

#endif
