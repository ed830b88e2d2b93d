/*
 * Option strings ("val,key=val" with ",," for a comma) and their JSON
 * form (util/keyval.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/json-strict.h"

/* Parses str and asserts the result is the NULL-terminated key/value list. */
static void assert_parse(const char *str, const char *implied, ...)
{
    Error *err = NULL;
    g_autoptr(GPtrArray) kv = keyval_parse(str, implied, &err);
    va_list ap;
    guint n = 0;

    if (!kv) {
        g_error("keyval_parse('%s'): %s", str, error_get_pretty(err));
    }
    va_start(ap, implied);
    for (;;) {
        const char *key = va_arg(ap, const char *);
        const char *value;
        KeyVal *e;

        if (!key) {
            break;
        }
        value = va_arg(ap, const char *);
        g_assert_cmpuint(n, <, kv->len);
        e = g_ptr_array_index(kv, n);
        g_assert_cmpstr(e->key, ==, key);
        g_assert_cmpstr(e->value, ==, value);
        n++;
    }
    va_end(ap);
    g_assert_cmpuint(n, ==, kv->len);
}

static void assert_parse_fails(const char *str, const char *implied,
                               const char *msg)
{
    Error *err = NULL;
    GPtrArray *kv = keyval_parse(str, implied, &err);

    if (kv) {
        g_error("keyval_parse('%s') accepted", str);
    }
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), msg)) {
        g_error("keyval_parse('%s'): '%s', expected '%s'", str,
                error_get_pretty(err), msg);
    }
    error_free(err);
}

static void test_basic(void)
{
    assert_parse("", NULL, NULL);
    assert_parse("", "driver", NULL);
    assert_parse("a=1", NULL, "a", "1", NULL);
    assert_parse("a=1,b=2,c=3", NULL, "a", "1", "b", "2", "c", "3", NULL);
    /* Order is kept; values may be empty or contain '='. */
    assert_parse("z=1,a=", NULL, "z", "1", "a", "", NULL);
    assert_parse("a=b=c", NULL, "a", "b=c", NULL);
    assert_parse("path=/x/y.img", NULL, "path", "/x/y.img", NULL);
    /* A trailing comma ends the list. */
    assert_parse("a=1,", NULL, "a", "1", NULL);
    /* Keys and values are not trimmed. */
    assert_parse(" a = 1 ", NULL, " a ", " 1 ", NULL);
}

static void test_implied_key(void)
{
    assert_parse("edu", "driver", "driver", "edu", NULL);
    assert_parse("edu,id=e0,addr=3.0", "driver",
                 "driver", "edu", "id", "e0", "addr", "3.0", NULL);
    /* Only the first element may omit its key. */
    assert_parse("driver=edu,id=e0", "driver", "driver", "edu", "id", "e0",
                 NULL);
    assert_parse_fails("edu,e0", "driver", "'e0'");
    assert_parse_fails("edu", NULL, "'edu'");
    /* An explicit key equal to the implied one is a duplicate. */
    assert_parse_fails("edu,driver=x", "driver", "'driver' given twice");
    assert_parse("4G", "size", "size", "4G", NULL);
    /* An empty first element is an empty implied value. */
    assert_parse(",id=x", "driver", "driver", "", "id", "x", NULL);
}

static void test_comma_escape(void)
{
    assert_parse("a=x,,y", NULL, "a", "x,y", NULL);
    assert_parse("a=x,,,b=2", NULL, "a", "x,", "b", "2", NULL);
    assert_parse("a=,,,,", NULL, "a", ",,", NULL);
    assert_parse("a=,,", NULL, "a", ",", NULL);
    assert_parse("file=/tmp/a,,b.dtb,x=1", NULL, "file", "/tmp/a,b.dtb",
                 "x", "1", NULL);
    /* In keys and implied values too. */
    assert_parse("k,,ey=v", NULL, "k,ey", "v", NULL);
    assert_parse("ed,,u,id=1", "driver", "driver", "ed,u", "id", "1", NULL);
    /* Three commas: an escaped one, then a separator. */
    assert_parse("a=1,,,b=2,,", NULL, "a", "1,", "b", "2,", NULL);
}

static void test_errors(void)
{
    assert_parse_fails("a=1,a=2", NULL, "'a' given twice");
    assert_parse_fails("a=1,b=2,a=1", NULL, "'a' given twice");
    assert_parse_fails("=1", NULL, "empty parameter name");
    assert_parse_fails("a=1,=2", NULL, "empty parameter name");
    assert_parse_fails("a=1,b", NULL, "'b' has no value");
    assert_parse_fails("a,b=1", NULL, "'a'");
    assert_parse_fails("a,,b", NULL, "'a,b'");
    /* An escaped comma does not end a value. */
    assert_parse("a=1,,b", NULL, "a", "1,b", NULL);
}

static void test_get_take(void)
{
    g_autoptr(GPtrArray) kv = keyval_parse("edu,id=e0,addr=3.0", "driver",
                                           NULL);
    char *v;

    g_assert_cmpstr(keyval_get(kv, "id"), ==, "e0");
    g_assert_null(keyval_get(kv, "nope"));
    g_assert_null(keyval_get(NULL, "id"));
    v = keyval_take(kv, "driver");
    g_assert_cmpstr(v, ==, "edu");
    g_free(v);
    g_assert_null(keyval_get(kv, "driver"));
    g_assert_null(keyval_take(kv, "driver"));
    g_assert_cmpuint(kv->len, ==, 2);
    g_assert_cmpstr(((KeyVal *)g_ptr_array_index(kv, 0))->key, ==, "id");
    g_assert_null(keyval_take(NULL, "id"));
}

static void assert_json(const char *str, ...)
{
    Error *err = NULL;
    g_autoptr(GPtrArray) kv = keyval_parse_json(str, &err);
    va_list ap;
    guint n = 0;

    if (!kv) {
        g_error("keyval_parse_json('%s'): %s", str, error_get_pretty(err));
    }
    va_start(ap, str);
    for (;;) {
        const char *key = va_arg(ap, const char *);

        if (!key) {
            break;
        }
        g_assert_cmpstr(keyval_get(kv, key), ==, va_arg(ap, const char *));
        n++;
    }
    va_end(ap);
    g_assert_cmpuint(n, ==, kv->len);
}

static void assert_json_fails(const char *str, const char *msg)
{
    Error *err = NULL;
    GPtrArray *kv = keyval_parse_json(str, &err);

    if (kv) {
        g_error("keyval_parse_json('%s') accepted", str);
    }
    if (!strstr(error_get_pretty(err), msg)) {
        g_error("keyval_parse_json('%s'): '%s', expected '%s'", str,
                error_get_pretty(err), msg);
    }
    error_free(err);
}

static void test_json(void)
{
    assert_json("{}", NULL);
    assert_json("{\"driver\":\"edu\",\"id\":\"e0\",\"addr\":\"3.0\"}",
                "driver", "edu", "id", "e0", "addr", "3.0", NULL);
    /* Scalars become the strings properties parse. */
    assert_json("{\"n\":42,\"m\":-7,\"t\":true,\"f\":false,\"big\":"
                "9223372036854775807}",
                "n", "42", "m", "-7", "t", "on", "f", "off",
                "big", "9223372036854775807", NULL);
    /* Commas need no escaping in JSON. */
    assert_json("{\"path\":\"/a,b\",\"e\":\"\"}", "path", "/a,b", "e", "",
                NULL);
    assert_json(" { \"a\" : \"1\" } ", "a", "1", NULL);
    assert_json("{\"u\":\"\\u00e9\\n\"}", "u", "\xc3\xa9\n", NULL);
}

static void test_json_errors(void)
{
    assert_json_fails("", "must be an object");
    assert_json_fails("  ", "must be an object");
    assert_json_fails("{", "invalid JSON");
    assert_json_fails("{\"a\":}", "invalid JSON");
    assert_json_fails("{\"a\":1", "invalid JSON");
    assert_json_fails("{a:1}", "invalid JSON");
    assert_json_fails("[1,2]", "must be an object");
    assert_json_fails("\"edu\"", "must be an object");
    assert_json_fails("42", "must be an object");
    assert_json_fails("null", "must be an object");
    assert_json_fails("{\"a\":[1]}", "'a'");
    assert_json_fails("{\"a\":{\"b\":1}}", "'a'");
    assert_json_fails("{\"a\":null}", "'a'");
    assert_json_fails("{\"ok\":1,\"a\":1.5}", "'a'");
}

/* As QMP: integers up to 2^64 - 1 exactly, never wrapped; no key twice. */
static void test_json_strict(void)
{
    assert_json("{\"a\":9223372036854775808,\"b\":9223372036854775809,"
                "\"c\":18446744073709551615,\"d\":-9223372036854775808}",
                "a", "9223372036854775808", "b", "9223372036854775809",
                "c", "18446744073709551615", "d", "-9223372036854775808",
                NULL);
    assert_json("{\"a\":0,\"b\":-0}", "a", "0", "b", "0", NULL);
    assert_json_fails("{\"n\":18446744073709551616}",
                      "Invalid parameter type for 'n', expected: integer");
    assert_json_fails("{\"n\":-9223372036854775809}", "'n'");
    assert_json_fails("{\"n\":36893488147419103232}", "'n'");
    assert_json_fails("{\"n\":1e3}", "'n'");
    assert_json_fails("{\"id\":\"a\",\"id\":\"b\"}",
                      "invalid JSON: duplicate key");
    assert_json_fails("{\"id\":\"a\",\"\\u0069d\":\"b\"}",
                      "duplicate key");
    assert_json_fails("{\"a\":[{\"x\":1,\"x\":2}]}", "duplicate key");
    /* What json-glib alone would take: trailing comma, trailing data. */
    assert_json_fails("{\"a\":1,}", "invalid JSON");
    assert_json_fails("{\"a\":1} x", "invalid JSON");
    assert_json_fails("{\"a\":01}", "invalid JSON");
}

/* Nesting beyond QEMU_JSON_MAX_DEPTH is refused before any recursion. */
static void test_json_deep(void)
{
    size_t depth = QEMU_JSON_MAX_DEPTH * 64;
    g_autofree char *text = g_malloc(2 * depth + 8);
    char *p = text;

    p += sprintf(p, "{\"a\":");
    memset(p, '[', depth);
    memset(p + depth, ']', depth);
    strcpy(p + 2 * depth, "}");
    assert_json_fails(text, "nesting too deep");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/keyval/basic", test_basic);
    g_test_add_func("/keyval/implied-key", test_implied_key);
    g_test_add_func("/keyval/comma-escape", test_comma_escape);
    g_test_add_func("/keyval/errors", test_errors);
    g_test_add_func("/keyval/get-take", test_get_take);
    g_test_add_func("/keyval/json", test_json);
    g_test_add_func("/keyval/json-errors", test_json_errors);
    g_test_add_func("/keyval/json-strict", test_json_strict);
    g_test_add_func("/keyval/json-deep", test_json_deep);
    return g_test_run();
}
