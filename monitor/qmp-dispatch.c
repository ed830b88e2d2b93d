/*
 * QMP dispatch: the command registry, request checking, argument
 * validation against each command's schema (qmp-schema.c), and response
 * building.
 *
 * DOC: QMP request handling
 *
 * A request is one JSON object {"execute": NAME, "arguments": {...},
 * "id": ANY}; any other member is an error.  Until the client has run
 * qmp_capabilities, every other command fails with CommandNotFound, as in
 * QEMU.  The reply is {"return": VALUE} or {"error": {"class": CLASS,
 * "desc": TEXT}}, with "id" copied when the request had one.  Nothing in
 * a request can end the process: every malformed input gets a
 * GenericError reply.
 *
 * DOC: QMP out-of-band execution
 *
 * As QEMU 7.2: the greeting offers the "oob" capability and
 * qmp_capabilities {"enable": ["oob"]} turns it on for the session.
 * Then {"exec-oob": NAME, ...} stands for "execute" (both at once
 * clash) and runs NAME out of band, if its table entry has allow_oob
 * (migrate-pause, migrate-recover: commands that never wait); any other
 * command is refused ("The command NAME does not support OOB").  Before
 * that, "exec-oob" is an unexpected member.  In-band requests need no
 * "id", as in QEMU 7.2.  Out of band means: the monitor answers it at
 * once, even while its in-band requests are held for a long guest call
 * ("DOC: monitor connections"), so its reply may come before theirs;
 * in-band replies keep their order.  QEMU's x-oob-test (2.12) is gone
 * from 7.2, and so absent here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/version.h"
#include <math.h>
#include "monitor/qmp.h"
#include "monitor-internal.h"
#include "trace.h"


typedef struct QmpCommand {
    QmpCommandInfo info;
    char *name;                 /* owned copies for qmp_register_command */
    char *args;
} QmpCommand;

static GHashTable *qmp_commands;

static void qmp_command_add(QmpCommand *cmd)
{
    if (!qmp_commands) {
        qmp_commands = g_hash_table_new(g_str_hash, g_str_equal);
    }
    g_assert(!g_hash_table_lookup(qmp_commands, cmd->info.name));
    g_hash_table_insert(qmp_commands, (char *)cmd->info.name, cmd);
}

void qmp_register_commands(const QmpCommandInfo *cmds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        QmpCommand *cmd = g_new0(QmpCommand, 1);

        cmd->info = cmds[i];
        qmp_command_add(cmd);
    }
}

void qmp_register_command(const char *name, const char *args_type,
                          QmpCommandFn *fn)
{
    QmpCommand *cmd = g_new0(QmpCommand, 1);

    cmd->name = g_strdup(name);
    cmd->args = g_strdup(args_type);
    cmd->info = (QmpCommandInfo) { cmd->name, fn, cmd->args, "any" };
    qmp_command_add(cmd);
}

const QmpCommandInfo *qmp_command_find(const char *name)
{
    QmpCommand *cmd = qmp_commands ? g_hash_table_lookup(qmp_commands, name)
                                   : NULL;

    return cmd ? &cmd->info : NULL;
}

GList *qmp_command_names(void)
{
    GList *l = qmp_commands ? g_hash_table_get_keys(qmp_commands) : NULL;

    return g_list_sort(l, (GCompareFunc)strcmp);
}

/* Arguments */

const char *qmp_arg_str(JsonObject *args, const char *name)
{
    JsonNode *n = json_object_get_member(args, name);

    return n && JSON_NODE_HOLDS_VALUE(n) &&
           json_node_get_value_type(n) == G_TYPE_STRING ?
           json_node_get_string(n) : NULL;
}

bool qmp_arg_bool(JsonObject *args, const char *name, bool dflt)
{
    JsonNode *n = json_object_get_member(args, name);

    return n && JSON_NODE_HOLDS_VALUE(n) &&
           json_node_get_value_type(n) == G_TYPE_BOOLEAN ?
           json_node_get_boolean(n) : dflt;
}

int64_t qmp_arg_int(JsonObject *args, const char *name, int64_t dflt)
{
    JsonNode *n = json_object_get_member(args, name);

    return n && JSON_NODE_HOLDS_VALUE(n) &&
           json_node_get_value_type(n) == G_TYPE_INT64 ?
           json_node_get_int(n) : dflt;
}

/* Return values */

JsonNode *qmp_return_empty(void)
{
    return qmp_node_object(json_object_new());
}

JsonNode *qmp_node_object(JsonObject *obj)
{
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_node_take_object(n, obj);
    return n;
}

JsonNode *qmp_node_array(JsonArray *arr)
{
    JsonNode *n = json_node_new(JSON_NODE_ARRAY);

    json_node_take_array(n, arr);
    return n;
}

JsonNode *qmp_node_str(const char *s)
{
    JsonNode *n = json_node_new(JSON_NODE_VALUE);

    json_node_set_string(n, s);
    return n;
}

/* Requests */

char *qmp_node_to_text(JsonNode *node)
{
    return qmp_json_to_text(node);
}

/* The request's "id" as it was sent (qmp-json.c), while it is handled. */
static char *qmp_request_id_text;

/* A reply's text, with the request's id echoed exactly when it had one. */
static char *reply_text(JsonObject *reply, JsonNode *id)
{
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *text = NULL;

    if (id && !qmp_request_id_text) {
        json_object_set_member(reply, "id", json_node_copy(id));
    }
    root = qmp_node_object(reply);
    text = qmp_node_to_text(root);
    if (!id || !qmp_request_id_text) {
        return g_steal_pointer(&text);
    }
    text[strlen(text) - 1] = 0;     /* the closing brace */
    return g_strdup_printf("%s,\"id\":%s}", text, qmp_request_id_text);
}

static char *reply_error(JsonNode *id, const char *cls, const char *desc)
{
    JsonObject *err = json_object_new();
    JsonObject *reply = json_object_new();
    g_autoptr(JsonNode) root = NULL;

    json_object_set_string_member(err, "class", cls);
    json_object_set_string_member(err, "desc", desc);
    json_object_set_object_member(reply, "error", err);
    return reply_text(reply, id);
}

static char *reply_return(JsonNode *id, JsonNode *ret)
{
    JsonObject *reply = json_object_new();
    g_autoptr(JsonNode) root = NULL;

    json_object_set_member(reply, "return", ret);
    return reply_text(reply, id);
}

/* Members other than execute, exec-oob (once oob is enabled), arguments, id */
static bool request_members_known(JsonObject *req, bool oob, Error **errp)
{
    GList *members = json_object_get_members(req);
    bool ok = true;

    for (GList *l = members; l && ok; l = l->next) {
        const char *m = l->data;

        if (strcmp(m, "execute") && strcmp(m, "arguments") &&
            strcmp(m, "id") && (strcmp(m, "exec-oob") || !oob)) {
            error_setg(errp, "QMP input member '%s' is unexpected", m);
            ok = false;
        }
    }
    g_list_free(members);
    return ok;
}

static bool request_name_ok(JsonObject *req, const char *member,
                            Error **errp)
{
    JsonNode *n = json_object_get_member(req, member);

    if (n && (!JSON_NODE_HOLDS_VALUE(n) ||
              json_node_get_value_type(n) != G_TYPE_STRING)) {
        error_setg(errp, "QMP input member '%s' must be a string", member);
        return false;
    }
    return true;
}

/* oob: the session enabled it, so "exec-oob" may stand for "execute". */
static bool request_check(JsonObject *req, bool oob, Error **errp)
{
    JsonNode *args = json_object_get_member(req, "arguments");
    bool has_exec = json_object_has_member(req, "execute");
    bool has_oob = json_object_has_member(req, "exec-oob");

    if (!request_members_known(req, oob, errp) ||
        !request_name_ok(req, "execute", errp) ||
        !request_name_ok(req, "exec-oob", errp)) {
        return false;
    }
    if (has_exec && has_oob) {
        error_setg(errp, "QMP input member 'execute' clashes with "
                   "'exec-oob'");
        return false;
    }
    if (!has_exec && !has_oob) {
        error_setg(errp, "QMP input lacks member 'execute'");
        return false;
    }
    if (args && !JSON_NODE_HOLDS_OBJECT(args)) {
        error_setg(errp, "QMP input member 'arguments' must be an object");
        return false;
    }
    return true;
}

/*
 * As QEMU: a command run out of band must allow it; qmp_capabilities,
 * once negotiation is over, checks its arguments and then refuses.
 */
static JsonNode *command_run(QmpSession *sess, const char *name, bool oob,
                             JsonObject *args, Error **errp)
{
    const QmpCommandInfo *cmd = qmp_command_find(name);
    bool caps = !strcmp(name, "qmp_capabilities");

    if (!caps && !sess->negotiated) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND, "Expecting "
                  "capabilities negotiation with 'qmp_capabilities'");
        return NULL;
    }
    if (!cmd) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "The command %s has not been found", name);
        return NULL;
    }
    if (oob && !cmd->allow_oob) {
        error_setg(errp, "The command %s does not support OOB", name);
        return NULL;
    }
    if (!qmp_schema_check_members(cmd->args, args, NULL, errp)) {
        return NULL;
    }
    if (caps && sess->negotiated) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND, "Capabilities "
                  "negotiation is already complete, command ignored");
        return NULL;
    }
    trace_qmp_command(name, oob);
    return cmd->fn(args, errp);
}

/* qmp_capabilities succeeded: its (checked) "enable" list takes effect. */
static void session_negotiated(QmpSession *sess, JsonObject *args)
{
    JsonNode *enable = json_object_get_member(args, "enable");
    JsonArray *arr = enable ? json_node_get_array(enable) : NULL;

    sess->negotiated = true;
    sess->oob = false;
    for (guint i = 0; arr && i < json_array_get_length(arr); i++) {
        if (!strcmp(json_array_get_string_element(arr, i), "oob")) {
            sess->oob = true;
        }
    }
}

static char *request_handle(QmpSession *sess, JsonObject *req)
{
    JsonNode *id = json_object_get_member(req, "id");
    g_autoptr(JsonObject) empty = json_object_new();
    g_autoptr(Error) err = NULL;
    JsonObject *args;
    const char *name;
    JsonNode *ret;
    bool oob;

    if (!request_check(req, sess->oob, &err)) {
        return reply_error(id, "GenericError", error_get_pretty(err));
    }
    oob = json_object_has_member(req, "exec-oob");
    name = json_object_get_string_member(req, oob ? "exec-oob" : "execute");
    args = json_object_has_member(req, "arguments") ?
           json_object_get_object_member(req, "arguments") : empty;
    ret = command_run(sess, name, oob, args, &err);
    if (!ret) {
        if (!err) {
            error_setg(&err, "command %s failed", name);
        }
        trace_qmp_command_error(name, error_get_pretty(err));
        return reply_error(id, ErrorClass_str(error_get_class(err)),
                           error_get_pretty(err));
    }
    if (!strcmp(name, "qmp_capabilities")) {
        session_negotiated(sess, args);
    }
    return reply_return(id, ret);
}

/*
 * json-glib reads numbers beyond double range as infinities, which it
 * would echo back (in "id") as text no JSON parser accepts.  The framer
 * bounds the nesting, and so this recursion.
 */
static bool json_node_finite(JsonNode *n)
{
    if (JSON_NODE_HOLDS_OBJECT(n)) {
        JsonObjectIter it;
        JsonNode *member;

        json_object_iter_init(&it, json_node_get_object(n));
        while (json_object_iter_next(&it, NULL, &member)) {
            if (!json_node_finite(member)) {
                return false;
            }
        }
    } else if (JSON_NODE_HOLDS_ARRAY(n)) {
        JsonArray *arr = json_node_get_array(n);

        for (guint i = 0; i < json_array_get_length(arr); i++) {
            if (!json_node_finite(json_array_get_element(arr, i))) {
                return false;
            }
        }
    } else if (JSON_NODE_HOLDS_VALUE(n) &&
               json_node_get_value_type(n) == G_TYPE_DOUBLE) {
        return isfinite(json_node_get_double(n));
    }
    return true;
}

char *qmp_session_handle(QmpSession *sess, const char *text, size_t len,
                         const char *stream_err)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) gerr = NULL;
    g_autofree char *desc = NULL, *id_text = NULL;
    const char *strict_err = NULL;
    JsonNode *root;
    char *reply;

    if (stream_err) {
        desc = g_strdup_printf("JSON parse error, %s", stream_err);
        return reply_error(NULL, "GenericError", desc);
    }
    if (!g_utf8_validate(text, len, NULL)) {
        return reply_error(NULL, "GenericError",
                           "JSON parse error, invalid UTF-8 sequence");
    }
    if (!qmp_json_check(text, len, &id_text, &strict_err)) {
        desc = g_strdup_printf("JSON parse error, %s", strict_err);
        return reply_error(NULL, "GenericError", desc);
    }
    if (!json_parser_load_from_data(parser, text, len, &gerr)) {
        desc = g_strdup_printf("JSON parse error, %s", gerr->message);
        return reply_error(NULL, "GenericError", desc);
    }
    root = json_parser_get_root(parser);
    if (root) {
        qemu_json_fix_integers(text, len, root);
    }
    if (root && !json_node_finite(root)) {
        return reply_error(NULL, "GenericError",
                           "JSON parse error, number out of range");
    }
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        return reply_error(NULL, "GenericError",
                           "QMP input must be a JSON object");
    }
    qmp_request_id_text = id_text;
    reply = request_handle(sess, json_node_get_object(root));
    qmp_request_id_text = NULL;
    return reply;
}

/*
 * The request object of a text, for a look before it is handled: NULL
 * when it is not one (it is then refused in band, in order, as QEMU
 * refuses what it cannot parse).
 */
static JsonObject *request_peek(JsonParser *parser, const char *text,
                                size_t len)
{
    const char *err;
    JsonNode *root;

    if (!g_utf8_validate(text, len, NULL) ||
        !qemu_json_check(text, len, &err) ||
        !json_parser_load_from_data(parser, text, len, NULL) ||
        !(root = json_parser_get_root(parser)) ||
        !JSON_NODE_HOLDS_OBJECT(root)) {
        return NULL;
    }
    return json_node_get_object(root);
}

bool qmp_request_is_oob(const char *text, size_t len)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonObject *req = request_peek(parser, text, len);

    return req && json_object_has_member(req, "exec-oob") &&
           !json_object_has_member(req, "execute");
}

/*
 * The commands that in QEMU wait for the vCPUs to pause (so for a
 * hypercall in progress to return): see "DOC: long guest calls".
 */
bool qmp_request_waits_for_vcpus(const char *text, size_t len)
{
    static const char *const waiting[] = {
        "system_reset", "system_powerdown", "stop", "cont", "migrate",
        "device_add", "device_del",
    };
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonObject *req = request_peek(parser, text, len);
    JsonNode *exec = req ? json_object_get_member(req, "execute") : NULL;

    if (!exec || !JSON_NODE_HOLDS_VALUE(exec) ||
        json_node_get_value_type(exec) != G_TYPE_STRING) {
        return false;       /* refused at once, as ever */
    }
    for (size_t i = 0; i < G_N_ELEMENTS(waiting); i++) {
        if (!strcmp(json_node_get_string(exec), waiting[i])) {
            return true;
        }
    }
    return false;
}

JsonObject *qmp_version_object(void)
{
    JsonObject *ver = json_object_new(), *qemu = json_object_new();

    json_object_set_int_member(qemu, "micro", QEMU_VERSION_MICRO);
    json_object_set_int_member(qemu, "minor", QEMU_VERSION_MINOR);
    json_object_set_int_member(qemu, "major", QEMU_VERSION_MAJOR);
    json_object_set_object_member(ver, "qemu", qemu);
    json_object_set_string_member(ver, "package", "");
    return ver;
}

char *qmp_greeting(void)
{
    JsonObject *qmp = json_object_new(), *top = json_object_new();
    JsonArray *caps = json_array_new();
    g_autoptr(JsonNode) root = NULL;

    json_array_add_string_element(caps, "oob");
    json_object_set_object_member(qmp, "version", qmp_version_object());
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(top, "QMP", qmp);
    root = qmp_node_object(top);
    return qmp_node_to_text(root);
}
