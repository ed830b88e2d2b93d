/*
 * Splits the QMP input byte stream into JSON texts.
 *
 * DOC: QMP framing
 *
 * QMP messages are not line based: a message ends where its outermost
 * object or array closes, wherever the line breaks fall.  The framer
 * tracks only strings (with escapes) and bracket depth; json-glib then
 * parses each complete text.  A bare scalar at the top level ends at
 * whitespace and is handed on too, so that it gets QEMU's "must be a JSON
 * object" reply.  A message longer than QMP_STREAM_MAX_BYTES or nested
 * deeper than QMP_STREAM_MAX_DEPTH is refused with one error and the rest
 * of it is dropped, so the buffer never grows past the bound.
 *
 * As QEMU's lexer does, strings may also be single-quoted (they are
 * passed on double-quoted), and a byte no JSON text can hold there (a
 * control character; outside strings also '%' and any byte >= 0x80; in
 * strings 0xC0, 0xC1, 0xF5..0xFF) is a lexical error: it gets one error
 * reply, whatever was buffered is dropped, and input is skipped up to
 * the next bracket or control character (a newline), where the stream
 * starts afresh.  So "{\xFF", a stray "}" or an unbalanced text never
 * leaves the monitor waiting for ever.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"

void qmp_stream_init(QmpStream *s, QmpStreamEmit *emit, void *opaque)
{
    memset(s, 0, sizeof(*s));
    s->buf = g_string_new(NULL);
    s->emit = emit;
    s->opaque = opaque;
}

void qmp_stream_reset(QmpStream *s)
{
    g_string_truncate(s->buf, 0);
    s->depth = 0;
    s->in_string = s->escape = s->discard = s->recovering = false;
}

void qmp_stream_destroy(QmpStream *s)
{
    if (s->buf) {
        g_string_free(s->buf, true);
        s->buf = NULL;
    }
}

static void stream_flush(QmpStream *s)
{
    g_autofree char *text = NULL;
    size_t len = s->buf->len;

    if (!len) {
        return;
    }
    text = g_string_free(s->buf, false);
    s->buf = g_string_new(NULL);
    s->emit(s->opaque, text, len, NULL);
}

/* Refuses the message under way; the rest of it is dropped. */
static void stream_refuse(QmpStream *s, const char *err)
{
    g_string_truncate(s->buf, 0);
    s->discard = true;
    s->emit(s->opaque, NULL, 0, err);
}

static void stream_append(QmpStream *s, uint8_t c)
{
    if (s->discard) {
        return;
    }
    if (s->buf->len >= QMP_STREAM_MAX_BYTES) {
        stream_refuse(s, "message too large");
        return;
    }
    g_string_append_c(s->buf, c);
}

/* A lexical error: reported once, the message dropped, input skipped. */
static void stream_lexical_error(QmpStream *s, uint8_t c)
{
    g_autofree char *err = g_ascii_isprint(c)
        ? g_strdup_printf("stray '%c'", c)
        : g_strdup_printf("stray '\\x%02x'", c);    /* never raw bytes */

    g_string_truncate(s->buf, 0);
    s->depth = 0;
    s->in_string = s->escape = s->discard = false;
    s->recovering = true;
    s->emit(s->opaque, NULL, 0, err);
}

static bool stream_bad_in_string(uint8_t c)
{
    return c < 0x20 || c == 0xc0 || c == 0xc1 || c >= 0xf5;
}

static void stream_string_byte(QmpStream *s, uint8_t c)
{
    bool single = s->quote == '\'';

    if (stream_bad_in_string(c)) {
        stream_lexical_error(s, c);
        return;
    }
    if (s->escape) {
        s->escape = false;
        if (!(single && c == '\'')) {
            stream_append(s, '\\');
        }
        stream_append(s, c);        /* \' is just ' in a "string" */
        return;
    }
    if (c == '\\') {
        s->escape = true;
        return;
    }
    if (c == s->quote) {
        stream_append(s, '"');
        s->in_string = false;
        if (s->depth == 0 && !s->discard) {
            stream_flush(s);
        }
        return;
    }
    if (single && c == '"') {
        stream_append(s, '\\');
    }
    stream_append(s, c);
}

/* Recovery skips to a bracket or a control character (see above). */
static bool stream_resyncs_at(uint8_t c)
{
    return c < 0x20 || c == 0xfe || c == 0xff || c == '{' || c == '}' ||
           c == '[' || c == ']';
}

static void stream_open(QmpStream *s, uint8_t c)
{
    if (s->depth == 0) {
        stream_flush(s);        /* a scalar right before the bracket */
        s->discard = false;
    }
    s->depth++;
    if (s->depth > QMP_STREAM_MAX_DEPTH && !s->discard) {
        stream_refuse(s, "nesting too deep");
    }
    stream_append(s, c);
}

static void stream_close(QmpStream *s, uint8_t c)
{
    if (s->depth == 0) {
        stream_flush(s);
        s->discard = false;
        s->emit(s->opaque, NULL, 0, "expecting value");
        return;
    }
    stream_append(s, c);
    if (--s->depth == 0) {
        if (!s->discard) {
            stream_flush(s);
        }
        s->discard = false;
        g_string_truncate(s->buf, 0);
    }
}

static void stream_byte(QmpStream *s, uint8_t c)
{
    if (s->recovering) {
        if (!stream_resyncs_at(c)) {
            return;
        }
        s->recovering = false;
    }
    if (s->in_string) {
        stream_string_byte(s, c);
        return;
    }
    if (c >= 0x80 || c == '%' || (c < 0x20 && c != '\t' && c != '\r' &&
                                  c != '\n')) {
        stream_lexical_error(s, c);
        return;
    }
    switch (c) {
    case '"':
    case '\'':
        s->in_string = true;
        s->quote = c;
        stream_append(s, '"');
        break;
    case '{':
    case '[':
        stream_open(s, c);
        break;
    case '}':
    case ']':
        stream_close(s, c);
        break;
    case ' ':
    case '\t':
    case '\r':
    case '\n':
        if (s->depth == 0) {
            stream_flush(s);
            s->discard = false;
        } else {
            stream_append(s, c);
        }
        break;
    default:
        stream_append(s, c);
    }
}

void qmp_stream_feed(QmpStream *s, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        stream_byte(s, buf[i]);
    }
}
