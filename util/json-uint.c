/*
 * JSON integers from 2^63 to 2^64 - 1, exactly.
 *
 * DOC: JSON unsigned integers
 *
 * json-glib holds numbers as gint64 or double: a uint64 above INT64_MAX
 * fits neither exactly (its parser even wraps such a literal to a
 * negative gint64).  Such a value travels in the tree as a tagged node,
 * an object whose only member is named JSON_UINT_TAG (a key no input
 * text can produce: it is not UTF-8) with the decimal digits as a string.
 *
 * On input, qemu_json_fix_integers() ("DOC: Strict JSON input") rewrites
 * every integer literal above INT64_MAX into one.  QMP's output writer
 * (monitor/qmp-json.c) prints it as the bare integer, and its schema
 * accepts it where an unsigned type is expected ("DOC: QMP JSON rules");
 * the command line's JSON form (util/keyval.c) passes its digits to the
 * property parsers.  Code that reads numbers from a tree uses
 * qemu_json_get_uint() / qemu_json_number_text() (for QMP handlers,
 * qmp_node_get_uint() / qmp_node_number_text() in monitor/qmp.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/json-uint.h"

#define JSON_UINT_TAG "\xff" "uint64"

JsonNode *qemu_json_uint_node(uint64_t v)
{
    JsonNode *n;
    JsonObject *tag;
    char digits[24];

    if (v <= INT64_MAX) {
        n = json_node_new(JSON_NODE_VALUE);
        json_node_set_int(n, (int64_t)v);
        return n;
    }
    tag = json_object_new();
    snprintf(digits, sizeof(digits), "%" PRIu64, v);
    json_object_set_string_member(tag, JSON_UINT_TAG, digits);
    n = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(n, tag);
    return n;
}

/* The tagged value, if n is a tagged node. */
static bool json_uint_get_tagged(JsonNode *n, uint64_t *v)
{
    JsonObject *o;
    JsonNode *digits;

    if (!n || !JSON_NODE_HOLDS_OBJECT(n)) {
        return false;
    }
    o = json_node_get_object(n);
    digits = json_object_get_member(o, JSON_UINT_TAG);
    return digits && json_object_get_size(o) == 1 &&
           JSON_NODE_HOLDS_VALUE(digits) &&
           json_node_get_value_type(digits) == G_TYPE_STRING &&
           qemu_strtou64(json_node_get_string(digits), v);
}

bool qemu_json_is_uint_tag(JsonNode *n)
{
    uint64_t v;

    return json_uint_get_tagged(n, &v);
}

bool qemu_json_get_uint(JsonNode *n, uint64_t *v)
{
    if (json_uint_get_tagged(n, v)) {
        return true;
    }
    if (n && JSON_NODE_HOLDS_VALUE(n) &&
        json_node_get_value_type(n) == G_TYPE_INT64 &&
        json_node_get_int(n) >= 0) {
        *v = json_node_get_int(n);
        return true;
    }
    return false;
}

char *qemu_json_number_text(JsonNode *n)
{
    uint64_t v;

    if (json_uint_get_tagged(n, &v)) {
        return g_strdup_printf("%" PRIu64, v);
    }
    if (n && JSON_NODE_HOLDS_VALUE(n) &&
        json_node_get_value_type(n) == G_TYPE_INT64) {
        return g_strdup_printf("%" PRId64, json_node_get_int(n));
    }
    return NULL;
}
