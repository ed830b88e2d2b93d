/*
 * The QMP framer: message boundaries independent of line breaks and
 * write sizes, strings and escapes, bare scalars, and the bounds on size
 * and nesting.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/monitor-internal.h"

typedef struct Collected {
    GPtrArray *texts;           /* "ERR:<reason>" for framing errors */
    size_t max_buffered;
} Collected;

static void collect(void *opaque, const char *text, size_t len,
                    const char *err)
{
    Collected *c = opaque;

    g_ptr_array_add(c->texts, err ? g_strdup_printf("ERR:%s", err)
                                  : g_strndup(text, len));
}

static void feed_bytes(QmpStream *s, Collected *c, const char *data,
                       size_t len, size_t chunk)
{
    for (size_t off = 0; off < len; off += chunk) {
        qmp_stream_feed(s, (const uint8_t *)data + off, MIN(chunk, len - off));
        c->max_buffered = MAX(c->max_buffered, s->buf->len);
    }
}

static Collected *run(const char *data, size_t len, size_t chunk)
{
    Collected *c = g_new0(Collected, 1);
    QmpStream s;

    c->texts = g_ptr_array_new_with_free_func(g_free);
    qmp_stream_init(&s, collect, c);
    feed_bytes(&s, c, data, len, chunk);
    qmp_stream_destroy(&s);
    return c;
}

static void collected_free(Collected *c)
{
    g_ptr_array_free(c->texts, true);
    g_free(c);
}

static const char *text(Collected *c, guint i)
{
    g_assert_cmpuint(i, <, c->texts->len);
    return g_ptr_array_index(c->texts, i);
}

static void test_boundaries(void)
{
    static const char in[] = "{\"a\": [1, {\"b\": 2}]}{\"c\":3}\n  [4]";

    for (size_t chunk = 1; chunk <= sizeof(in); chunk++) {
        Collected *c = run(in, strlen(in), chunk);

        g_assert_cmpuint(c->texts->len, ==, 3);
        g_assert_cmpstr(text(c, 0), ==, "{\"a\": [1, {\"b\": 2}]}");
        g_assert_cmpstr(text(c, 1), ==, "{\"c\":3}");
        g_assert_cmpstr(text(c, 2), ==, "[4]");
        collected_free(c);
    }
}

static void test_strings(void)
{
    static const char in[] = "{\"a\": \"}{][\\\"\\\\\"}{\"b\": \"\\\\\"}";
    Collected *c = run(in, strlen(in), 1);

    g_assert_cmpuint(c->texts->len, ==, 2);
    g_assert_cmpstr(text(c, 0), ==, "{\"a\": \"}{][\\\"\\\\\"}");
    g_assert_cmpstr(text(c, 1), ==, "{\"b\": \"\\\\\"}");
    collected_free(c);
}

static void test_scalars(void)
{
    static const char in[] = "42 \"x y\" true\nnull{}";
    Collected *c = run(in, strlen(in), 3);

    g_assert_cmpuint(c->texts->len, ==, 5);
    g_assert_cmpstr(text(c, 0), ==, "42");
    g_assert_cmpstr(text(c, 1), ==, "\"x y\"");
    g_assert_cmpstr(text(c, 2), ==, "true");
    g_assert_cmpstr(text(c, 3), ==, "null");
    g_assert_cmpstr(text(c, 4), ==, "{}");
    collected_free(c);
}

static void test_unbalanced(void)
{
    static const char in[] = "}] {\"ok\": 1}";
    Collected *c = run(in, strlen(in), 1);

    g_assert_cmpuint(c->texts->len, ==, 3);
    g_assert_cmpstr(text(c, 0), ==, "ERR:expecting value");
    g_assert_cmpstr(text(c, 1), ==, "ERR:expecting value");
    g_assert_cmpstr(text(c, 2), ==, "{\"ok\": 1}");
    collected_free(c);
}

static void test_too_large(void)
{
    size_t len = QMP_STREAM_MAX_BYTES * 3;
    g_autofree char *in = g_malloc(len + 16);
    Collected *c;

    memset(in, ' ', len);
    in[0] = '{';
    in[1] = '"';
    in[len - 2] = '"';
    in[len - 1] = '}';
    memcpy(in + len, "{\"next\": 1}", 11);
    c = run(in, len + 11, 4096);
    g_assert_cmpuint(c->texts->len, ==, 2);
    g_assert_cmpstr(text(c, 0), ==, "ERR:message too large");
    g_assert_cmpstr(text(c, 1), ==, "{\"next\": 1}");
    g_assert_cmpuint(c->max_buffered, <=, QMP_STREAM_MAX_BYTES);
    collected_free(c);
}

static void test_scalar_too_large(void)
{
    size_t len = QMP_STREAM_MAX_BYTES + 100;
    g_autofree char *in = g_malloc(len + 8);
    Collected *c;

    memset(in, '7', len);
    memcpy(in + len, " {}", 3);
    c = run(in, len + 3, 65536);
    g_assert_cmpuint(c->texts->len, ==, 2);
    g_assert_cmpstr(text(c, 0), ==, "ERR:message too large");
    g_assert_cmpstr(text(c, 1), ==, "{}");
    collected_free(c);
}

static void test_too_deep(void)
{
    size_t depth = QMP_STREAM_MAX_DEPTH * 4;
    g_autofree char *in = g_malloc(depth * 2 + 8);
    Collected *c;

    memset(in, '[', depth);
    memset(in + depth, ']', depth);
    memcpy(in + depth * 2, "[1]", 3);
    c = run(in, depth * 2 + 3, 100);
    g_assert_cmpuint(c->texts->len, ==, 2);
    g_assert_cmpstr(text(c, 0), ==, "ERR:nesting too deep");
    g_assert_cmpstr(text(c, 1), ==, "[1]");
    g_assert_cmpuint(c->max_buffered, <=, QMP_STREAM_MAX_DEPTH + 1);
    collected_free(c);
}

static void test_reset(void)
{
    Collected c = { .texts = g_ptr_array_new_with_free_func(g_free) };
    QmpStream s;

    qmp_stream_init(&s, collect, &c);
    feed_bytes(&s, &c, "{\"half\": \"open", 14, 14);
    qmp_stream_reset(&s);       /* the client went away mid-message */
    feed_bytes(&s, &c, "{}", 2, 2);
    g_assert_cmpuint(c.texts->len, ==, 1);
    g_assert_cmpstr(text(&c, 0), ==, "{}");
    qmp_stream_destroy(&s);
    g_ptr_array_free(c.texts, true);
}

/* issue 13 item 14: what the monitor writes is valid UTF-8 JSON */
static void test_output(void)
{
    JsonObject *o = json_object_new();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *text = NULL;

    qmp_object_set_uint(o, "big", 10000000000000000000ULL);
    qmp_object_set_uint(o, "max", UINT64_MAX);
    qmp_object_set_uint(o, "odd", (1ULL << 63) + 1);
    qmp_object_set_uint(o, "small", 42);
    json_object_set_string_member(o, "bytes", "spapr\xff\x01\"\\e\xc3\xa9");
    json_object_set_double_member(o, "half", 0.5);
    root = qmp_node_object(o);
    text = qmp_node_to_text(root);
    g_assert_cmpstr(text, ==, "{\"big\":10000000000000000000,"
                    "\"max\":18446744073709551615,"
                    "\"odd\":9223372036854775809,\"small\":42,"
                    "\"bytes\":\"spapr\\ufffd\\u0001\\\"\\\\e\xc3\xa9\","
                    "\"half\":0.5}");
    g_assert_true(g_utf8_validate(text, -1, NULL));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp-stream/boundaries", test_boundaries);
    g_test_add_func("/qmp-stream/strings", test_strings);
    g_test_add_func("/qmp-stream/scalars", test_scalars);
    g_test_add_func("/qmp-stream/unbalanced", test_unbalanced);
    g_test_add_func("/qmp-stream/too-large", test_too_large);
    g_test_add_func("/qmp-stream/scalar-too-large", test_scalar_too_large);
    g_test_add_func("/qmp-stream/too-deep", test_too_deep);
    g_test_add_func("/qmp-stream/reset", test_reset);
    g_test_add_func("/qmp-stream/output", test_output);
    return g_test_run();
}
