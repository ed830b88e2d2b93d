/*
 * Strict JSON input: the check json-glib's parser does not make, and the
 * integers it wraps put right.
 *
 * DOC: Strict JSON input
 *
 * json-glib's parser takes an object with the same member twice (the last
 * one wins) and wraps an integer literal above INT64_MAX to a negative
 * gint64.  QEMU's own parser does neither, and both QMP (monitor/) and
 * the command line's JSON form (-object '{...}', -device '{...}',
 * util/keyval.c) answer as QEMU does, through this one implementation.
 *
 * qemu_json_check() checks a text before json-glib parses it: an object
 * with the same member twice is refused ("duplicate key"), as is
 * anything outside RFC 8259's grammar or nested deeper than
 * QEMU_JSON_MAX_DEPTH (so that no recursive walk can be driven deeper).
 * qemu_json_member_text() gives a checked text's top-level member as its
 * own text, whitespace removed (QMP echoes a request's "id" exactly with
 * it: 1e308, 2^64 - 1 or 1.50 come back as they were sent).
 *
 * After the check, qemu_json_fix_integers() walks the text and
 * json-glib's tree side by side and puts right what json-glib's parser
 * wraps: an integer literal above INT64_MAX becomes a tagged uint64 node
 * ("DOC: JSON unsigned integers", util/json-uint.c), one beyond the
 * 64-bit ranges a double, so that integer uses refuse it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/json-strict.h"
#include "qemu/json-uint.h"

typedef struct JsonCheck {
    const char *p, *end;
    const char *err;
} JsonCheck;

static void jc_ws(JsonCheck *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
                             *c->p == '\n' || *c->p == '\r')) {
        c->p++;
    }
}

static bool jc_fail(JsonCheck *c, const char *why)
{
    if (!c->err) {
        c->err = why;
    }
    return false;
}

static int jc_hex4(const char *p)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(p[i]);

        if (d < 0) {
            return -1;
        }
        v = v << 4 | d;
    }
    return v;
}

/* A string; its decoded bytes appended to out when out is not NULL. */
static bool jc_string(JsonCheck *c, GString *out)
{
    c->p++;     /* the opening quote */
    while (c->p < c->end && *c->p != '"') {
        unsigned char ch = *c->p;

        if (ch < 0x20) {
            return jc_fail(c, "control character in string");
        }
        if (ch != '\\') {
            if (out) {
                g_string_append_c(out, ch);
            }
            c->p++;
            continue;
        }
        if (c->end - c->p < 2) {
            break;
        }
        if (c->p[1] == 'u') {
            int v = c->end - c->p >= 6 ? jc_hex4(c->p + 2) : -1;

            if (v < 0) {
                return jc_fail(c, "invalid escape sequence in string");
            }
            if (out) {
                g_string_append_unichar(out, v ? v : 0xfffd);
            }
            c->p += 6;
            continue;
        }
        if (!strchr("\"\\/bfnrt", c->p[1])) {
            return jc_fail(c, "invalid escape sequence in string");
        }
        if (out) {
            g_string_append_c(out, c->p[1]);
        }
        c->p += 2;
    }
    if (c->p >= c->end) {
        return jc_fail(c, "unterminated string");
    }
    c->p++;
    return true;
}

static bool jc_digits(JsonCheck *c)
{
    const char *s = c->p;

    while (c->p < c->end && g_ascii_isdigit(*c->p)) {
        c->p++;
    }
    return c->p > s;
}

static bool jc_number(JsonCheck *c)
{
    if (*c->p == '-') {
        c->p++;
    }
    if (c->p < c->end && *c->p == '0') {
        c->p++;
    } else if (!jc_digits(c)) {
        return jc_fail(c, "invalid number");
    }
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (!jc_digits(c)) {
            return jc_fail(c, "invalid number");
        }
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
            c->p++;
        }
        if (!jc_digits(c)) {
            return jc_fail(c, "invalid number");
        }
    }
    return true;
}

static bool jc_value(JsonCheck *c, int depth);

static bool jc_object(JsonCheck *c, int depth)
{
    g_autoptr(GHashTable) keys = g_hash_table_new_full(g_str_hash,
                                                       g_str_equal, g_free,
                                                       NULL);

    c->p++;
    jc_ws(c);
    if (c->p < c->end && *c->p == '}') {
        c->p++;
        return true;
    }
    for (;;) {
        GString *key = g_string_new(NULL);

        jc_ws(c);
        if (c->p >= c->end || *c->p != '"' || !jc_string(c, key)) {
            g_string_free(key, true);
            return jc_fail(c, "key is not a string");
        }
        if (!g_hash_table_add(keys, g_string_free(key, false))) {
            return jc_fail(c, "duplicate key");
        }
        jc_ws(c);
        if (c->p >= c->end || *c->p++ != ':') {
            return jc_fail(c, "missing : in object pair");
        }
        if (!jc_value(c, depth + 1)) {
            return false;
        }
        jc_ws(c);
        if (c->p < c->end && *c->p == ',') {
            c->p++;
        } else if (c->p < c->end && *c->p == '}') {
            c->p++;
            return true;
        } else {
            return jc_fail(c, "expected separator in dict");
        }
    }
}

static bool jc_array(JsonCheck *c, int depth)
{
    c->p++;
    jc_ws(c);
    if (c->p < c->end && *c->p == ']') {
        c->p++;
        return true;
    }
    for (;;) {
        if (!jc_value(c, depth + 1)) {
            return false;
        }
        jc_ws(c);
        if (c->p < c->end && *c->p == ',') {
            c->p++;
        } else if (c->p < c->end && *c->p == ']') {
            c->p++;
            return true;
        } else {
            return jc_fail(c, "expected separator in list");
        }
    }
}

static bool jc_literal(JsonCheck *c, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n)) {
        return jc_fail(c, "invalid keyword");
    }
    c->p += n;
    return true;
}

static bool jc_value(JsonCheck *c, int depth)
{
    jc_ws(c);
    if (c->p >= c->end) {
        return jc_fail(c, "expecting value");
    }
    if (depth > QEMU_JSON_MAX_DEPTH) {
        return jc_fail(c, "nesting too deep");
    }
    switch (*c->p) {
    case '{':
        return jc_object(c, depth);
    case '[':
        return jc_array(c, depth);
    case '"':
        return jc_string(c, NULL);
    case 't':
        return jc_literal(c, "true");
    case 'f':
        return jc_literal(c, "false");
    case 'n':
        return jc_literal(c, "null");
    default:
        if (*c->p == '-' || g_ascii_isdigit(*c->p)) {
            return jc_number(c);
        }
        return jc_fail(c, "expecting value");
    }
}

/* The text of s[0..len) without whitespace outside strings. */
static char *jc_minify(const char *s, size_t len)
{
    GString *out = g_string_sized_new(len);
    bool in_str = false, esc = false;

    for (size_t i = 0; i < len; i++) {
        char ch = s[i];

        if (in_str) {
            in_str = esc || ch != '"';
            esc = !esc && ch == '\\';
        } else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            continue;
        } else {
            in_str = ch == '"';
        }
        g_string_append_c(out, ch);
    }
    return g_string_free(out, false);
}

char *qemu_json_member_text(const char *text, size_t len, const char *name)
{
    JsonCheck c = { .p = text, .end = text + len };

    jc_ws(&c);
    if (c.p >= c.end || *c.p != '{') {
        return NULL;
    }
    c.p++;
    for (;;) {
        g_autoptr(GString) key = g_string_new(NULL);
        const char *start;

        jc_ws(&c);
        if (c.p >= c.end || *c.p != '"' || !jc_string(&c, key)) {
            return NULL;
        }
        jc_ws(&c);
        c.p++;      /* ':' (checked already) */
        jc_ws(&c);
        start = c.p;
        jc_value(&c, 1);
        if (!strcmp(key->str, name)) {
            return jc_minify(start, c.p - start);
        }
        jc_ws(&c);
        if (c.p >= c.end || *c.p++ != ',') {
            return NULL;
        }
    }
}

bool qemu_json_check(const char *text, size_t len, const char **err)
{
    JsonCheck c = { .p = text, .end = text + len };

    if (!jc_value(&c, 0)) {
        *err = c.err;
        return false;
    }
    jc_ws(&c);
    if (c.p != c.end) {
        *err = "trailing data";
        return false;
    }
    return true;
}

/* Input: integers json-glib wraps */

/*
 * An integer literal outside int64 (json-glib wrapped it): a double is
 * put right in n, a uint64 above INT64_MAX is returned as its tagged
 * replacement (json-glib cannot turn a value node into an object).
 */
static JsonNode *jc_fix_number(JsonNode *n, const char *s, size_t len)
{
    g_autofree char *lit = g_strndup(s, len);
    uint64_t u;
    gint64 i;

    if (strpbrk(lit, ".eE") ||
        g_ascii_string_to_signed(lit, 10, INT64_MIN, INT64_MAX, &i, NULL)) {
        return NULL;    /* a double, or an int64 json-glib holds exactly */
    }
    if (lit[0] != '-' && qemu_strtou64(lit, &u)) {
        return qemu_json_uint_node(u);
    }
    json_node_set_double(n, g_ascii_strtod(lit, NULL));
    return NULL;
}

/* Puts the array's replaced elements (repl[i] non-NULL) in place. */
static void jc_fix_array(JsonNode *n, GPtrArray *repl)
{
    JsonArray *a = json_node_get_array(n), *fixed;

    fixed = json_array_sized_new(repl->len);
    for (guint i = 0; i < repl->len; i++) {
        JsonNode *r = g_ptr_array_index(repl, i);

        json_array_add_element(fixed, r ? r : json_node_copy(
                                   json_array_get_element(a, i)));
    }
    json_node_take_array(n, fixed);
}

/*
 * Walks a checked text and its tree (n may be NULL: nothing to fix);
 * returns a replacement for n, or NULL.
 */
static JsonNode *jc_fix(JsonCheck *c, JsonNode *n)
{
    JsonObject *o = n && JSON_NODE_HOLDS_OBJECT(n) ?
                    json_node_get_object(n) : NULL;
    JsonArray *a = n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n)
                                                 : NULL;
    g_autoptr(GPtrArray) repl = NULL;
    const char *start;
    bool replaced = false;

    jc_ws(c);
    start = c->p;
    if (*c->p != '{' && *c->p != '[') {
        jc_value(c, 0);
        return n && (*start == '-' || g_ascii_isdigit(*start)) ?
               jc_fix_number(n, start, c->p - start) : NULL;
    }
    repl = g_ptr_array_new();
    c->p++;
    for (jc_ws(c); *c->p != '}' && *c->p != ']'; jc_ws(c)) {
        g_autoptr(GString) key = g_string_new(NULL);
        JsonNode *elem = a && repl->len < json_array_get_length(a) ?
                         json_array_get_element(a, repl->len) : NULL, *r;

        if (*start == '{') {
            jc_string(c, key);
            jc_ws(c);
            c->p++;                 /* ':' */
            elem = o ? json_object_get_member(o, key->str) : NULL;
        }
        r = jc_fix(c, elem);
        if (r && o) {
            json_object_set_member(o, key->str, r);
        }
        replaced |= r != NULL;
        g_ptr_array_add(repl, r);
        jc_ws(c);
        if (*c->p == ',') {
            c->p++;
        }
    }
    c->p++;
    if (a && replaced && repl->len == json_array_get_length(a)) {
        jc_fix_array(n, repl);
    }
    return NULL;
}

void qemu_json_fix_integers(const char *text, size_t len, JsonNode *root)
{
    JsonCheck c = { .p = text, .end = text + len };

    jc_fix(&c, root);
}
