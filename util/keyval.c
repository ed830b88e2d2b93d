/*
 * Option strings and their JSON form.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <json-glib/json-glib.h>
#include "qapi/error.h"
#include "qemu/option.h"
#include "qemu/json-strict.h"
#include "qemu/json-uint.h"

static void keyval_free(gpointer p)
{
    KeyVal *kv = p;

    g_free(kv->key);
    g_free(kv->value);
    g_free(kv);
}

/* Reads up to the next unescaped ',' (or '=' if stop_at_eq). */
static char *take_token(const char **p, bool stop_at_eq)
{
    GString *s = g_string_new("");

    while (**p) {
        if (**p == ',') {
            if ((*p)[1] != ',') {
                break;
            }
            (*p)++;
        } else if (stop_at_eq && **p == '=') {
            break;
        }
        g_string_append_c(s, **p);
        (*p)++;
    }
    return g_string_free(s, false);
}

static bool keyval_add(GPtrArray *arr, char *key, char *value, Error **errp)
{
    KeyVal *kv;

    if (keyval_get(arr, key)) {
        error_setg(errp, "parameter '%s' given twice", key);
        g_free(key);
        g_free(value);
        return false;
    }
    kv = g_new0(KeyVal, 1);
    kv->key = key;
    kv->value = value;
    g_ptr_array_add(arr, kv);
    return true;
}

GPtrArray *keyval_parse(const char *str, const char *implied_key,
                        Error **errp)
{
    GPtrArray *arr = g_ptr_array_new_with_free_func(keyval_free);
    const char *p = str;
    bool first = true;

    while (*p) {
        char *key = take_token(&p, true);
        char *value;

        if (*p == '=') {
            p++;
            value = take_token(&p, false);
        } else if (first && implied_key) {
            value = key;
            key = g_strdup(implied_key);
        } else {
            error_setg(errp, "parameter '%s' has no value (expected %s=VALUE)",
                       key, key);
            g_free(key);
            goto fail;
        }
        if (!*key) {
            error_setg(errp, "empty parameter name in '%s'", str);
            g_free(key);
            g_free(value);
            goto fail;
        }
        if (!keyval_add(arr, key, value, errp)) {
            goto fail;
        }
        if (*p == ',') {
            p++;
        }
        first = false;
    }
    return arr;
fail:
    g_ptr_array_free(arr, true);
    return NULL;
}

const char *keyval_get(GPtrArray *kv, const char *key)
{
    for (guint i = 0; kv && i < kv->len; i++) {
        KeyVal *e = g_ptr_array_index(kv, i);

        if (!strcmp(e->key, key)) {
            return e->value;
        }
    }
    return NULL;
}

char *keyval_take(GPtrArray *kv, const char *key)
{
    for (guint i = 0; kv && i < kv->len; i++) {
        KeyVal *e = g_ptr_array_index(kv, i);

        if (!strcmp(e->key, key)) {
            char *v = e->value;

            e->value = NULL;
            g_ptr_array_remove_index(kv, i);
            return v;
        }
    }
    return NULL;
}

/*
 * A member's value as the string a property parses: a tagged uint64
 * ("DOC: JSON unsigned integers") as its digits.  A double (1.5, or an
 * integer literal beyond the 64-bit ranges, which the strict input makes
 * one) is refused as QMP refuses it for an integer argument.
 */
static char *json_member_to_string(const char *name, JsonNode *node,
                                   Error **errp)
{
    GType t = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node)
                                          : G_TYPE_INVALID;

    if (qemu_json_is_uint_tag(node) || t == G_TYPE_INT64) {
        return qemu_json_number_text(node);
    }
    if (t == G_TYPE_BOOLEAN) {
        return g_strdup(json_node_get_boolean(node) ? "on" : "off");
    }
    if (t == G_TYPE_STRING) {
        return g_strdup(json_node_get_string(node));
    }
    if (t == G_TYPE_DOUBLE) {
        error_setg(errp, "Invalid parameter type for '%s', expected: integer "
                   "(from -2^63 to 2^64 - 1)", name);
    } else {
        error_setg(errp, "JSON member '%s' must be a string, number or "
                   "boolean", name);
    }
    return NULL;
}

/*
 * The text's object, checked as QMP checks its input ("DOC: Strict JSON
 * input": no member twice, integers above INT64_MAX exact), or NULL.
 */
static JsonNode *keyval_json_root(JsonParser *parser, const char *str,
                                  Error **errp)
{
    g_autoptr(GError) gerr = NULL;
    size_t len = strlen(str);
    const char *why = NULL;
    JsonNode *root;

    /* An empty document is no object (nor invalid JSON). */
    if (!str[strspn(str, " \t\n\r")]) {
        error_setg(errp, "JSON options must be an object");
        return NULL;
    }
    if (!qemu_json_check(str, len, &why)) {
        error_setg(errp, "invalid JSON: %s", why);
        return NULL;
    }
    if (!json_parser_load_from_data(parser, str, len, &gerr)) {
        error_setg(errp, "invalid JSON: %s", gerr->message);
        return NULL;
    }
    root = json_parser_get_root(parser);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        error_setg(errp, "JSON options must be an object");
        return NULL;
    }
    qemu_json_fix_integers(str, len, root);
    return root;
}

GPtrArray *keyval_parse_json(const char *str, Error **errp)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonNode *root = keyval_json_root(parser, str, errp);
    JsonObject *obj;
    GPtrArray *arr;
    GList *members;

    if (!root) {
        return NULL;
    }
    obj = json_node_get_object(root);
    arr = g_ptr_array_new_with_free_func(keyval_free);
    members = json_object_get_members(obj);
    for (GList *l = members; l; l = l->next) {
        char *v = json_member_to_string(l->data,
                                        json_object_get_member(obj, l->data),
                                        errp);

        if (!v) {
            g_ptr_array_free(arr, true);
            arr = NULL;
            break;
        }
        keyval_add(arr, g_strdup(l->data), v, NULL);
    }
    g_list_free(members);
    return arr;
}
