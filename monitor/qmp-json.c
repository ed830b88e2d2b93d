/*
 * QMP JSON: the strict check of each input text, and the output writer.
 *
 * DOC: QMP JSON rules
 *
 * Input (after the framer, monitor/qmp-stream.c, has turned QEMU's
 * single-quoted strings into ordinary ones): a text json-glib would take
 * is also checked as QEMU's parser checks it ("DOC: Strict JSON input",
 * util/json-strict.c): an object with the same member twice is refused
 * ("duplicate key"), as is anything outside RFC 8259's grammar.  The
 * request's "id" is kept as its own text (whitespace removed), so that
 * it is echoed exactly: 1e308, 2^64 - 1 or 1.50 come back as they were
 * sent.  After the check, integer literals json-glib's parser wraps are
 * put right in its tree (above INT64_MAX a tagged node, beyond the
 * 64-bit ranges a double).
 *
 * Output: always valid UTF-8 JSON.  Strings are escaped (control
 * characters, and any byte that is not valid UTF-8 becomes U+FFFD);
 * integers are written as integers, those from 2^63 to 2^64 - 1 too
 * (tagged nodes, "DOC: JSON unsigned integers", util/json-uint.c); other
 * numbers in C-locale %.17g form, with null for the infinities json-glib
 * can hold.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <math.h>
#include "qemu/json-strict.h"
#include "monitor-internal.h"

bool qmp_json_check(const char *text, size_t len, char **id_text,
                    const char **err)
{
    *id_text = NULL;
    if (!qemu_json_check(text, len, err)) {
        return false;
    }
    *id_text = qemu_json_member_text(text, len, "id");
    return true;
}

/* Output */

static void jw_string(GString *out, const char *s)
{
    const char *end = s + strlen(s);

    g_string_append_c(out, '"');
    while (s < end) {
        gunichar u = g_utf8_get_char_validated(s, end - s);

        if (u == (gunichar)-1 || u == (gunichar)-2) {
            g_string_append(out, "\\ufffd");    /* not UTF-8: one byte */
            s++;
            continue;
        }
        if (u == '"' || u == '\\') {
            g_string_append_c(out, '\\');
            g_string_append_c(out, u);
        } else if (u < 0x20 || u == 0x7f) {
            g_string_append_printf(out, "\\u%04x", u);
        } else {
            g_string_append_len(out, s, g_utf8_next_char(s) - s);
        }
        s = g_utf8_next_char(s);
    }
    g_string_append_c(out, '"');
}

static void jw_double(GString *out, double d)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    if (!isfinite(d)) {
        g_string_append(out, "null");
    } else {
        g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.17g", d));
    }
}

static void jw_node(GString *out, JsonNode *n);

static void jw_object(GString *out, JsonObject *o)
{
    GList *members = json_object_get_members(o);

    g_string_append_c(out, '{');
    for (GList *l = members; l; l = l->next) {
        if (l != members) {
            g_string_append_c(out, ',');
        }
        jw_string(out, l->data);
        g_string_append_c(out, ':');
        jw_node(out, json_object_get_member(o, l->data));
    }
    g_string_append_c(out, '}');
    g_list_free(members);
}

static void jw_node(GString *out, JsonNode *n)
{
    uint64_t u;

    if (!n || JSON_NODE_HOLDS_NULL(n)) {
        g_string_append(out, "null");
    } else if (JSON_NODE_HOLDS_OBJECT(n) && qmp_node_is_uint_tag(n) &&
               qmp_node_get_uint(n, &u)) {
        g_string_append_printf(out, "%" PRIu64, u);
    } else if (JSON_NODE_HOLDS_OBJECT(n)) {
        jw_object(out, json_node_get_object(n));
    } else if (JSON_NODE_HOLDS_ARRAY(n)) {
        JsonArray *a = json_node_get_array(n);

        g_string_append_c(out, '[');
        for (guint i = 0; i < json_array_get_length(a); i++) {
            g_string_append(out, i ? "," : "");
            jw_node(out, json_array_get_element(a, i));
        }
        g_string_append_c(out, ']');
    } else if (json_node_get_value_type(n) == G_TYPE_STRING) {
        jw_string(out, json_node_get_string(n));
    } else if (json_node_get_value_type(n) == G_TYPE_BOOLEAN) {
        g_string_append(out, json_node_get_boolean(n) ? "true" : "false");
    } else if (json_node_get_value_type(n) == G_TYPE_DOUBLE) {
        jw_double(out, json_node_get_double(n));
    } else {
        g_string_append_printf(out, "%" PRId64, json_node_get_int(n));
    }
}

char *qmp_json_to_text(JsonNode *node)
{
    GString *out = g_string_new(NULL);

    jw_node(out, node);
    return g_string_free(out, false);
}
