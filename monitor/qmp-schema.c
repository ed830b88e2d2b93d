/*
 * QMP schema: the types commands take and return, their checking, and
 * query-qmp-schema.
 *
 * DOC: QMP schema
 *
 * Commands (QmpCommandInfo), types (QmpSchemaTypeInfo) and events
 * (QmpEventInfo) are declared in their owners' registration tables.  The
 * dispatcher checks arguments against the same strings this file turns
 * into QEMU's SchemaInfo list, so what query-qmp-schema says a command
 * takes is what the dispatcher accepts.  As in QEMU, type names other
 * than builtins are masked: each type gets a number, in the order the
 * walk from the commands and events meets it ("0" is the empty object);
 * arrays are "[ELEMENT]".  Optional members carry "default": null.  A
 * command that may run out of band has "allow-oob": true.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/qmp.h"
#include "monitor-internal.h"

typedef struct QmpBuiltin {
    const char *name;
    const char *json_type;      /* SchemaInfoBuiltin's json-type */
    const char *expected;       /* the word in "expected: ..." errors */
} QmpBuiltin;

static const QmpBuiltin qmp_builtins[] = {
    { "str", "string", "string" },
    { "bool", "boolean", "boolean" },
    { "int", "int", "integer" },
    { "int64", "int", "integer" },
    { "uint32", "int", "integer" },
    { "uint64", "int", "integer" },
    { "size", "int", "integer" },
    { "number", "number", "number" },
    { "null", "null", "null" },
    { "any", "value", "value" },
    /* Only for qmp_register_command()'s "o": any JSON object. */
    { "object", "object", "object" },
};

static GHashTable *qmp_types;          /* name -> QmpSchemaTypeInfo */
static GPtrArray *qmp_events;          /* QmpEventInfo */

void qmp_schema_register_types(const QmpSchemaTypeInfo *types, size_t n)
{
    if (!qmp_types) {
        qmp_types = g_hash_table_new(g_str_hash, g_str_equal);
    }
    for (size_t i = 0; i < n; i++) {
        g_assert(!g_hash_table_lookup(qmp_types, types[i].name));
        g_hash_table_insert(qmp_types, (char *)types[i].name,
                            (void *)&types[i]);
    }
}

void qmp_schema_register_events(const QmpEventInfo *events, size_t n)
{
    if (!qmp_events) {
        qmp_events = g_ptr_array_new();
    }
    for (size_t i = 0; i < n; i++) {
        g_ptr_array_add(qmp_events, (void *)&events[i]);
    }
}

/* The one-letter argument types of qmp_register_command() */
static const char *qmp_type_expand(const char *t)
{
    static const char *const letters[][2] = {
        { "s", "str" }, { "b", "bool" }, { "i", "int" }, { "a", "any" },
        { "o", "object" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(letters); i++) {
        if (!strcmp(t, letters[i][0])) {
            return letters[i][1];
        }
    }
    return t;
}

static const QmpBuiltin *qmp_builtin_find(const char *t)
{
    for (size_t i = 0; i < ARRAY_SIZE(qmp_builtins); i++) {
        if (!strcmp(qmp_builtins[i].name, t)) {
            return &qmp_builtins[i];
        }
    }
    return NULL;
}

static const QmpSchemaTypeInfo *qmp_type_find(const char *t)
{
    return qmp_types ? g_hash_table_lookup(qmp_types, t) : NULL;
}

/* Members */

bool qmp_member_parse(const char *spec, QmpMember *m)
{
    const char *colon = strchr(spec, ':');
    size_t tlen;

    if (!colon) {
        return false;
    }
    tlen = strlen(colon + 1);
    m->optional = tlen && colon[tlen] == '?';
    g_strlcpy(m->name, spec, MIN(sizeof(m->name), (size_t)(colon - spec) + 1));
    g_strlcpy(m->type, colon + 1,
              MIN(sizeof(m->type), tlen - m->optional + 1));
    g_strlcpy(m->type, qmp_type_expand(m->type), sizeof(m->type));
    return true;
}

static bool qmp_members_find(const char *members, const char *name,
                             QmpMember *m, bool *any)
{
    g_auto(GStrv) specs = g_strsplit(members ? members : "", ",", -1);

    *any = false;
    for (char **s = specs; *s; s++) {
        if (!strcmp(*s, "*")) {
            *any = true;
        } else if (qmp_member_parse(*s, m) && !strcmp(m->name, name)) {
            return true;
        }
    }
    return false;
}

/* Values */

static bool qmp_enum_has(const QmpSchemaTypeInfo *e, const char *v)
{
    g_auto(GStrv) values = g_strsplit(e->values, ",", -1);

    return g_strv_contains((const char *const *)values, v);
}

static const char *qmp_expected(const char *t)
{
    const QmpBuiltin *b = qmp_builtin_find(t);
    const QmpSchemaTypeInfo *ti = qmp_type_find(t);

    if (t[0] == '[') {
        return "array";
    }
    if (b) {
        return b->expected;
    }
    return ti && ti->values ? "string" : "object";
}

static bool qmp_builtin_ok(const char *t, JsonNode *n)
{
    GType vt = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_value_type(n)
                                        : G_TYPE_INVALID;

    if (!strcmp(t, "any")) {
        return true;
    }
    if (qmp_node_is_uint_tag(n)) {
        /* above INT64_MAX: "DOC: JSON unsigned integers" */
        return !strcmp(t, "uint64") || !strcmp(t, "size") ||
               !strcmp(t, "number");
    }
    if (!strcmp(t, "null")) {
        return JSON_NODE_HOLDS_NULL(n);
    }
    if (!strcmp(t, "object")) {
        return JSON_NODE_HOLDS_OBJECT(n);   /* not a tagged integer: above */
    }
    if (!strcmp(t, "str")) {
        return vt == G_TYPE_STRING;
    }
    if (!strcmp(t, "bool")) {
        return vt == G_TYPE_BOOLEAN;
    }
    if (!strcmp(t, "number")) {
        return vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE;
    }
    if (vt != G_TYPE_INT64) {
        return false;
    }
    return t[0] != 'u' && strcmp(t, "size") ? true : json_node_get_int(n) >= 0;
}

static bool qmp_array_check(const char *t, JsonNode *n, const char *name,
                            Error **errp)
{
    g_autofree char *elem = g_strndup(t + 1, strlen(t) - 2);
    JsonArray *arr = json_node_get_array(n);

    for (guint i = 0; i < json_array_get_length(arr); i++) {
        g_autofree char *path = g_strdup_printf("%s[%u]", name, i);

        if (!qmp_schema_check_value(elem, json_array_get_element(arr, i),
                                    path, errp)) {
            return false;
        }
    }
    return true;
}

/*
 * QEMU names a refused enumeration value by its member's own name, and
 * an array element (which has none) 'null': "Parameter 'null' does not
 * accept value 'foo'" for qmp_capabilities {"enable": ["foo"]}.
 */
static const char *qmp_enum_member_name(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (path[0] && path[strlen(path) - 1] == ']') {
        return "null";
    }
    return dot ? dot + 1 : path;
}

bool qmp_schema_check_value(const char *t, JsonNode *n, const char *name,
                            Error **errp)
{
    const QmpSchemaTypeInfo *ti = qmp_type_find(t);
    bool ok;

    if (t[0] == '[') {
        ok = JSON_NODE_HOLDS_ARRAY(n);
    } else if (qmp_builtin_find(t)) {
        ok = qmp_builtin_ok(t, n);
    } else if (ti && ti->values) {
        ok = JSON_NODE_HOLDS_VALUE(n) &&
             json_node_get_value_type(n) == G_TYPE_STRING;
        if (ok && !qmp_enum_has(ti, json_node_get_string(n))) {
            error_setg(errp, "Parameter '%s' does not accept value '%s'",
                       qmp_enum_member_name(name), json_node_get_string(n));
            return false;
        }
    } else {
        ok = JSON_NODE_HOLDS_OBJECT(n) && !qmp_node_is_uint_tag(n);
    }
    if (!ok) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   name, qmp_expected(t));
        return false;
    }
    if (t[0] == '[') {
        return qmp_array_check(t, n, name, errp);
    }
    if (ti && ti->members) {
        return qmp_schema_check_members(ti->members, json_node_get_object(n),
                                        name, errp);
    }
    return true;
}

static char *qmp_member_path(const char *prefix, const char *name)
{
    return prefix ? g_strdup_printf("%s.%s", prefix, name) : g_strdup(name);
}

static bool qmp_members_present(const char *members, JsonObject *obj,
                                const char *prefix, Error **errp)
{
    GList *names = json_object_get_members(obj);
    bool ok = true;

    for (GList *l = names; l && ok; l = l->next) {
        g_autofree char *path = qmp_member_path(prefix, l->data);
        QmpMember m;
        bool any;

        if (!qmp_members_find(members, l->data, &m, &any)) {
            if (!any) {
                error_setg(errp, "Parameter '%s' is unexpected", path);
                ok = false;
            }
        } else {
            ok = qmp_schema_check_value(m.type,
                                        json_object_get_member(obj, l->data),
                                        path, errp);
        }
    }
    g_list_free(names);
    return ok;
}

bool qmp_schema_check_members(const char *members, JsonObject *obj,
                              const char *prefix, Error **errp)
{
    g_auto(GStrv) specs = g_strsplit(members ? members : "", ",", -1);

    if (!qmp_members_present(members, obj, prefix, errp)) {
        return false;
    }
    for (char **s = specs; *s; s++) {
        QmpMember m;

        if (qmp_member_parse(*s, &m) && !m.optional &&
            !json_object_has_member(obj, m.name)) {
            g_autofree char *path = qmp_member_path(prefix, m.name);

            error_setg(errp, "Parameter '%s' is missing", path);
            return false;
        }
    }
    return true;
}

/* query-qmp-schema */

typedef struct SchemaGen {
    JsonArray *out;
    GHashTable *ids;            /* type key -> its SchemaInfo name */
    GQueue todo;                /* type keys to emit */
    unsigned next;
} SchemaGen;

static const char *schema_ref(SchemaGen *g, const char *t);

static JsonArray *schema_members(SchemaGen *g, const char *members)
{
    g_auto(GStrv) specs = g_strsplit(members ? members : "", ",", -1);
    JsonArray *arr = json_array_new();

    for (char **s = specs; *s; s++) {
        JsonObject *o;
        QmpMember m;

        if (!qmp_member_parse(*s, &m)) {
            continue;           /* "*": any further member */
        }
        o = json_object_new();
        json_object_set_string_member(o, "name", m.name);
        if (m.optional) {
            json_object_set_null_member(o, "default");
        }
        json_object_set_string_member(o, "type", schema_ref(g, m.type));
        json_array_add_object_element(arr, o);
    }
    return arr;
}

/* Implicit object types (arguments, event data) have key "{MEMBERS}". */
static const char *schema_ref(SchemaGen *g, const char *t)
{
    const char *id = g_hash_table_lookup(g->ids, t);
    char *key, *name;

    if (id) {
        return id;
    }
    if (qmp_builtin_find(t)) {
        name = g_strdup(t);
    } else if (t[0] == '[') {
        g_autofree char *elem = g_strndup(t + 1, strlen(t) - 2);

        name = g_strdup_printf("[%s]", schema_ref(g, elem));
    } else {
        name = g_strdup_printf("%u", g->next++);
    }
    key = g_strdup(t);
    g_hash_table_insert(g->ids, key, name);
    g_queue_push_tail(&g->todo, key);
    return name;
}

static JsonObject *schema_entity(const char *name, const char *meta)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "name", name);
    json_object_set_string_member(o, "meta-type", meta);
    return o;
}

static JsonObject *schema_enum(const char *name, const char *values)
{
    JsonObject *o = schema_entity(name, "enum");
    g_auto(GStrv) vs = g_strsplit(values, ",", -1);
    JsonArray *members = json_array_new(), *arr = json_array_new();

    for (char **v = vs; *v; v++) {
        JsonObject *m = json_object_new();

        json_object_set_string_member(m, "name", *v);
        json_array_add_object_element(members, m);
        json_array_add_string_element(arr, *v);
    }
    json_object_set_array_member(o, "members", members);
    json_object_set_array_member(o, "values", arr);
    return o;
}

static JsonObject *schema_type(SchemaGen *g, const char *key)
{
    const char *name = g_hash_table_lookup(g->ids, key);
    const QmpBuiltin *b = qmp_builtin_find(key);
    const QmpSchemaTypeInfo *ti = qmp_type_find(key);
    JsonObject *o;

    if (b) {
        o = schema_entity(name, "builtin");
        json_object_set_string_member(o, "json-type", b->json_type);
    } else if (key[0] == '[') {
        g_autofree char *elem = g_strndup(key + 1, strlen(key) - 2);

        o = schema_entity(name, "array");
        json_object_set_string_member(o, "element-type", schema_ref(g, elem));
    } else if (ti && ti->values) {
        o = schema_enum(name, ti->values);
    } else {
        g_autofree char *inner = key[0] == '{' ?
            g_strndup(key + 1, strlen(key) - 2) : NULL;

        o = schema_entity(name, "object");
        json_object_set_array_member(o, "members",
                                     schema_members(g, inner ? inner :
                                                    ti ? ti->members : NULL));
    }
    return o;
}

static const char *schema_implicit(SchemaGen *g, const char *members)
{
    g_autofree char *key = NULL;
    g_auto(GStrv) specs = g_strsplit(members ? members : "", ",", -1);
    GString *named = g_string_new("");

    /* "*" (any further member) is not part of the described type. */
    for (char **s = specs; *s; s++) {
        if (strcmp(*s, "*")) {
            g_string_append_printf(named, "%s%s", named->len ? "," : "", *s);
        }
    }
    key = g_strdup_printf("{%s}", named->str);
    g_string_free(named, true);
    return schema_ref(g, key);
}

static void schema_add_command(const char *name, void *opaque)
{
    SchemaGen *g = opaque;
    const QmpCommandInfo *c = qmp_command_find(name);
    JsonObject *o = schema_entity(c->name, "command");

    json_object_set_string_member(o, "arg-type", schema_implicit(g, c->args));
    json_object_set_string_member(o, "ret-type", c->returns ?
                                  schema_ref(g, c->returns) :
                                  schema_implicit(g, NULL));
    if (c->allow_oob) {
        /* as QAPI's SchemaInfoCommand: present only when true */
        json_object_set_boolean_member(o, "allow-oob", true);
    }
    json_array_add_object_element(g->out, o);
}

static void schema_add_event(SchemaGen *g, const QmpEventInfo *e)
{
    JsonObject *o = schema_entity(e->name, "event");

    json_object_set_string_member(o, "arg-type", schema_implicit(g, e->data));
    json_array_add_object_element(g->out, o);
}

JsonArray *qmp_schema_build(void)
{
    SchemaGen g = { .out = json_array_new() };
    GList *names = qmp_command_names();
    char *key;

    g.ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_queue_init(&g.todo);
    schema_implicit(&g, NULL);              /* "0": the empty object */
    for (GList *l = names; l; l = l->next) {
        schema_add_command(l->data, &g);
    }
    g_list_free(names);
    for (guint i = 0; qmp_events && i < qmp_events->len; i++) {
        schema_add_event(&g, g_ptr_array_index(qmp_events, i));
    }
    while ((key = g_queue_pop_head(&g.todo))) {
        json_array_add_object_element(g.out, schema_type(&g, key));
    }
    g_hash_table_destroy(g.ids);
    return g.out;
}

/* Every type a table names exists: a check for the tests. */
static bool schema_type_known(const char *t, Error **errp)
{
    g_autofree char *elem = NULL;

    if (t[0] == '[') {
        elem = g_strndup(t + 1, strlen(t) - 2);
        return schema_type_known(elem, errp);
    }
    if (qmp_builtin_find(t) || qmp_type_find(t)) {
        return true;
    }
    error_setg(errp, "QMP schema: unknown type '%s'", t);
    return false;
}

static bool schema_members_known(const char *members, Error **errp)
{
    g_auto(GStrv) specs = g_strsplit(members ? members : "", ",", -1);

    for (char **s = specs; *s; s++) {
        QmpMember m;

        if (strcmp(*s, "*") && !qmp_member_parse(*s, &m)) {
            error_setg(errp, "QMP schema: bad member '%s'", *s);
            return false;
        }
        if (strcmp(*s, "*") && !schema_type_known(m.type, errp)) {
            return false;
        }
    }
    return true;
}

bool qmp_schema_check_tables(Error **errp)
{
    GList *names = qmp_command_names();
    GHashTableIter it;
    gpointer v;
    bool ok = true;

    for (GList *l = names; l && ok; l = l->next) {
        const QmpCommandInfo *c = qmp_command_find(l->data);

        ok = schema_members_known(c->args, errp) &&
             (!c->returns || schema_type_known(c->returns, errp));
    }
    g_list_free(names);
    for (guint i = 0; ok && qmp_events && i < qmp_events->len; i++) {
        ok = schema_members_known(((QmpEventInfo *)
                                   g_ptr_array_index(qmp_events, i))->data,
                                  errp);
    }
    if (!qmp_types) {
        return ok;
    }
    g_hash_table_iter_init(&it, qmp_types);
    while (ok && g_hash_table_iter_next(&it, NULL, &v)) {
        ok = schema_members_known(((QmpSchemaTypeInfo *)v)->members, errp);
    }
    return ok;
}

static JsonNode *qmp_query_qmp_schema(JsonObject *args, Error **errp)
{
    return qmp_node_array(qmp_schema_build());
}

static const QmpCommandInfo qmp_schema_commands[] = {
    { "query-qmp-schema", qmp_query_qmp_schema, NULL, "[SchemaInfo]" },
};

static const QmpSchemaTypeInfo qmp_schema_types[] = {
    /* SchemaInfo's common members; the rest depend on meta-type. */
    { "SchemaInfo", .members = "name:str,meta-type:SchemaMetaType,"
                               "features:[str]?" },
    { "SchemaMetaType", .values = "builtin,enum,array,object,alternate,"
                                  "command,event" },
};

QMP_COMMANDS(qmp_schema_commands)
QMP_SCHEMA_TYPES(qmp_schema_types)
