/*
 * The qtest server.
 *
 * DOC: QTest Protocol
 *
 * The client sends one command per line; the server answers each line
 * with exactly one line starting with "OK", "FAIL" or "ERR".  Numbers are
 * parsed with strtoull base 0 (decimal, 0x hex, 0 octal) and must be a
 * whole word; values read back are printed in hex.
 *
 *   readb|readw|readl|readq ADDR      -> OK 0x%016x (target, big endian)
 *   writeb|writew|writel|writeq ADDR VALUE -> OK
 *   read ADDR SIZE                    -> OK 0xHEXBYTES
 *   write ADDR SIZE 0xHEXBYTES        -> OK   (short data is zero padded)
 *   b64read ADDR SIZE                 -> OK BASE64
 *   b64write ADDR SIZE BASE64         -> OK
 *   memset ADDR SIZE BYTE             -> OK
 *   clock_step [NS]                   -> OK NOW   (runs timers due)
 *   clock_set NS                      -> OK NOW
 *   endianness                        -> OK big
 *   inb|inw|inl ADDR, outb|outw|outl ADDR VALUE (no I/O space: 0 / dropped)
 *   irq_intercept_in|irq_intercept_out PATH, set_irq_in ... -> OK
 *
 * The machine adds verbs through qtest_set_command_cb(); pseries adds
 *   rtas NAME NARGS ARGS NRET RETS    -> OK 0, or OK 2^64-4 if NAME is unknown
 *   hcall OPCODE ARG...               -> OK R3 R4 ... R11
 *
 * A malformed line (missing, extra or non-numeric argument, size over the
 * limit, a line longer than 32 MiB or of more than 64 words) gets "ERR
 * reason"; an unknown verb gets "FAIL Unknown command 'x'".  (QEMU ignores
 * extra words; we refuse them.)  Nothing a client sends can end the
 * process.
 *
 * A machine verb may answer later (a long hypercall, see "DOC: long
 * guest calls"): until it does, no further line is read, as while a
 * reply waits.
 *
 * Flow control: a reply of any size within the limits goes out whole,
 * written as the client takes it; while a reply waits, no further line
 * is read, so a client that does not read stalls only itself (its own
 * writes block), and the server never queues more than one reply.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "exec/memory.h"
#include "sysemu/qtest.h"

/* Largest read/write/memset a client may ask for in one line. */
#define QTEST_MAX_XFER (16 * 1024 * 1024)
#define QTEST_MAX_LINE (2 * QTEST_MAX_XFER + 256)
/* More words than any verb takes (rtas: NAME NARGS ARGS... NRET) */
#define QTEST_MAX_WORDS 64

struct QTestReply {
    GString *out;
    bool later;                 /* qtest_reply_defer(): no reply now */
};

static QTestCommandCb *machine_cb;
static Chardev *qtest_chr;
static GString *inbuf;
static FILE *qtest_log;
static bool discarding;         /* skipping an over-long line */
static GString *held_input;     /* read, not yet answered: reply waiting */
static bool answer_pending;     /* a verb answers later */
static bool answer_orphaned;    /* ... to a client that has gone */
static guint resume_source;

void qtest_set_command_cb(QTestCommandCb *cb)
{
    machine_cb = cb;
}


bool qtest_parse_u64(const char *word, uint64_t *out)
{
    return word && qemu_strtou64(word, out);
}

void qtest_reply_ok(QTestReply *r, const char *fmt, ...)
{
    va_list ap;

    g_string_append(r->out, "OK");
    if (fmt && *fmt) {
        g_string_append_c(r->out, ' ');
        va_start(ap, fmt);
        g_string_append_vprintf(r->out, fmt, ap);
        va_end(ap);
    }
}

void qtest_reply_err(QTestReply *r, const char *fmt, ...)
{
    va_list ap;

    g_string_append(r->out, "ERR ");
    va_start(ap, fmt);
    g_string_append_vprintf(r->out, fmt, ap);
    va_end(ap);
}

void qtest_reply_defer(QTestReply *r)
{
    r->later = true;
}

static AddressSpace *qtest_as(void)
{
    return &address_space_memory;
}

static int access_size(const char *verb)
{
    switch (verb[strlen(verb) - 1]) {
    case 'b': return 1;
    case 'w': return 2;
    case 'l': return 4;
    default: return 8;
    }
}

static void cmd_readx(QTestReply *r, char **w)
{
    uint64_t addr;
    uint8_t buf[8];
    int size = access_size(w[0]);

    if (!qtest_parse_u64(w[1], &addr)) {
        qtest_reply_err(r, "%s: expected ADDR", w[0]);
        return;
    }
    address_space_read(qtest_as(), addr, MEMTXATTRS_UNSPECIFIED, buf, size);
    qtest_reply_ok(r, "0x%016" PRIx64, ldn_be_p(buf, size));
}

static void cmd_writex(QTestReply *r, char **w)
{
    uint64_t addr, val;
    uint8_t buf[8];
    int size = access_size(w[0]);

    if (!qtest_parse_u64(w[1], &addr) || !w[1] ||
        !qtest_parse_u64(w[2], &val)) {
        qtest_reply_err(r, "%s: expected ADDR VALUE", w[0]);
        return;
    }
    stn_be_p(buf, size, val);
    address_space_write(qtest_as(), addr, MEMTXATTRS_UNSPECIFIED, buf, size);
    qtest_reply_ok(r, NULL);
}

static bool parse_addr_size(QTestReply *r, char **w, uint64_t *addr,
                            uint64_t *size)
{
    if (!qtest_parse_u64(w[1], addr) || !qtest_parse_u64(w[2], size)) {
        qtest_reply_err(r, "%s: expected ADDR SIZE", w[0]);
        return false;
    }
    if (*size > QTEST_MAX_XFER) {
        qtest_reply_err(r, "%s: size %" PRIu64 " over the limit of %d",
                        w[0], *size, QTEST_MAX_XFER);
        return false;
    }
    return true;
}

static void cmd_read(QTestReply *r, char **w)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t addr, size;
    g_autofree uint8_t *data = NULL;
    gsize start;
    char *p;

    if (!parse_addr_size(r, w, &addr, &size)) {
        return;
    }
    data = g_malloc(size ? size : 1);
    address_space_read(qtest_as(), addr, MEMTXATTRS_UNSPECIFIED, data, size);
    g_string_append(r->out, "OK 0x");
    /* 16 MiB is 32 M digits: no printf per byte. */
    start = r->out->len;
    g_string_set_size(r->out, start + 2 * size);
    p = r->out->str + start;
    for (uint64_t i = 0; i < size; i++) {
        p[2 * i] = hex[data[i] >> 4];
        p[2 * i + 1] = hex[data[i] & 0xf];
    }
}

static bool hex_decode(const char *hex, uint8_t *out, uint64_t size)
{
    size_t n;

    if (hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X')) {
        return false;
    }
    hex += 2;
    n = strlen(hex);
    memset(out, 0, size);
    for (uint64_t i = 0; i < size && 2 * i + 1 < n; i++) {
        int hi = g_ascii_xdigit_value(hex[2 * i]);
        int lo = g_ascii_xdigit_value(hex[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return false;
        }
        out[i] = hi << 4 | lo;
    }
    return true;
}

static void cmd_write(QTestReply *r, char **w)
{
    uint64_t addr, size;
    g_autofree uint8_t *data = NULL;

    if (!parse_addr_size(r, w, &addr, &size)) {
        return;
    }
    data = g_malloc(size ? size : 1);
    if (!w[3] || !hex_decode(w[3], data, size)) {
        qtest_reply_err(r, "write: expected ADDR SIZE 0xHEXDATA");
        return;
    }
    address_space_write(qtest_as(), addr, MEMTXATTRS_UNSPECIFIED, data, size);
    qtest_reply_ok(r, NULL);
}

static void cmd_b64read(QTestReply *r, char **w)
{
    uint64_t addr, size;
    g_autofree uint8_t *data = NULL;
    g_autofree char *enc = NULL;

    if (!parse_addr_size(r, w, &addr, &size)) {
        return;
    }
    data = g_malloc(size ? size : 1);
    address_space_read(qtest_as(), addr, MEMTXATTRS_UNSPECIFIED, data, size);
    enc = g_base64_encode(data, size);
    qtest_reply_ok(r, "%s", enc);
}

static void cmd_b64write(QTestReply *r, char **w)
{
    uint64_t addr, size;
    g_autofree uint8_t *dec = NULL;
    g_autofree uint8_t *data = NULL;
    gsize dlen;

    if (!parse_addr_size(r, w, &addr, &size)) {
        return;
    }
    if (!w[3]) {
        qtest_reply_err(r, "b64write: expected ADDR SIZE BASE64");
        return;
    }
    dec = g_base64_decode(w[3], &dlen);
    data = g_malloc0(size ? size : 1);
    memcpy(data, dec, MIN(dlen, size));
    address_space_write(qtest_as(), addr, MEMTXATTRS_UNSPECIFIED, data, size);
    qtest_reply_ok(r, NULL);
}

static void cmd_memset(QTestReply *r, char **w)
{
    uint64_t addr, size, val;

    if (!parse_addr_size(r, w, &addr, &size)) {
        return;
    }
    if (!qtest_parse_u64(w[3], &val) || val > 0xff) {
        qtest_reply_err(r, "memset: expected ADDR SIZE BYTE");
        return;
    }
    address_space_set(qtest_as(), addr, val, size, MEMTXATTRS_UNSPECIFIED);
    qtest_reply_ok(r, NULL);
}

static void cmd_clock(QTestReply *r, char **w)
{
    uint64_t v;
    int64_t dest;

    if (!strcmp(w[0], "clock_step") && !w[1]) {
        int64_t d = qemu_clock_deadline_ns();

        dest = qemu_clock_get_ns() + (d < 0 ? 0 : d);
    } else if (!qtest_parse_u64(w[1], &v) || v > INT64_MAX) {
        qtest_reply_err(r, "%s: expected NS", w[0]);
        return;
    } else if (!strcmp(w[0], "clock_step")) {
        dest = qemu_clock_get_ns() + (int64_t)MIN(v, (uint64_t)INT64_MAX -
                                                  qemu_clock_get_ns());
    } else {
        dest = v;
    }
    qemu_clock_advance(dest);
    qtest_reply_ok(r, "%" PRIi64, qemu_clock_get_ns());
}

static void cmd_port(QTestReply *r, char **w)
{
    uint64_t addr, val;

    if (!qtest_parse_u64(w[1], &addr) ||
        (w[0][0] == 'o' && !qtest_parse_u64(w[2], &val))) {
        qtest_reply_err(r, "%s: expected ADDR%s", w[0],
                        w[0][0] == 'o' ? " VALUE" : "");
        return;
    }
    /* pseries has no I/O port space: reads are 0, writes vanish. */
    if (w[0][0] == 'i') {
        qtest_reply_ok(r, "0x%04x", 0);
    } else {
        qtest_reply_ok(r, NULL);
    }
}

static void cmd_ok(QTestReply *r, char **w)
{
    qtest_reply_ok(r, NULL);
}

static void cmd_endianness(QTestReply *r, char **w)
{
    qtest_reply_ok(r, "big");
}

static const struct {
    const char *verb;
    void (*fn)(QTestReply *r, char **words);
    int min_args, max_args;
    const char *usage;
} qtest_verbs[] = {
    { "readb", cmd_readx, 1, 1, "ADDR" },
    { "readw", cmd_readx, 1, 1, "ADDR" },
    { "readl", cmd_readx, 1, 1, "ADDR" },
    { "readq", cmd_readx, 1, 1, "ADDR" },
    { "writeb", cmd_writex, 2, 2, "ADDR VALUE" },
    { "writew", cmd_writex, 2, 2, "ADDR VALUE" },
    { "writel", cmd_writex, 2, 2, "ADDR VALUE" },
    { "writeq", cmd_writex, 2, 2, "ADDR VALUE" },
    { "read", cmd_read, 2, 2, "ADDR SIZE" },
    { "write", cmd_write, 3, 3, "ADDR SIZE 0xHEXDATA" },
    { "b64read", cmd_b64read, 2, 2, "ADDR SIZE" },
    { "b64write", cmd_b64write, 3, 3, "ADDR SIZE BASE64" },
    { "memset", cmd_memset, 3, 3, "ADDR SIZE BYTE" },
    { "clock_step", cmd_clock, 0, 1, "[NS]" },
    { "clock_set", cmd_clock, 1, 1, "NS" },
    { "inb", cmd_port, 1, 1, "ADDR" },
    { "inw", cmd_port, 1, 1, "ADDR" },
    { "inl", cmd_port, 1, 1, "ADDR" },
    { "outb", cmd_port, 2, 2, "ADDR VALUE" },
    { "outw", cmd_port, 2, 2, "ADDR VALUE" },
    { "outl", cmd_port, 2, 2, "ADDR VALUE" },
    { "irq_intercept_in", cmd_ok, 1, 1, "QOM-PATH" },
    { "irq_intercept_out", cmd_ok, 1, 1, "QOM-PATH" },
    { "set_irq_in", cmd_ok, 4, 4, "QOM-PATH NAME NUM LEVEL" },
    { "endianness", cmd_endianness, 0, 0, "" },
};

static void qtest_process_command(QTestReply *r, char **words)
{
    if (!words[0]) {
        qtest_reply_err(r, "empty command");
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(qtest_verbs); i++) {
        if (!strcmp(words[0], qtest_verbs[i].verb)) {
            int nargs = g_strv_length(words) - 1;

            /* Missing words and trailing junk are both malformed lines. */
            if (nargs < qtest_verbs[i].min_args ||
                nargs > qtest_verbs[i].max_args) {
                qtest_reply_err(r, "%s: expected %s%s", words[0],
                                *qtest_verbs[i].usage ? "" : "no arguments",
                                qtest_verbs[i].usage);
                return;
            }
            qtest_verbs[i].fn(r, words);
            return;
        }
    }
    if (machine_cb && machine_cb(r, words)) {
        return;
    }
    g_string_append_printf(r->out, "FAIL Unknown command '%s'", words[0]);
}

/*
 * Cuts line into its words, in place; false past QTEST_MAX_WORDS, before
 * anything is allocated for them (a line of 32 M blanks costs nothing).
 */
static bool qtest_split_words(char *line, char **words)
{
    int n = 0;

    for (char *p = line; *p;) {
        while (*p == ' ' || *p == '\t') {
            *p++ = 0;
        }
        if (!*p) {
            break;
        }
        if (n == QTEST_MAX_WORDS) {
            return false;
        }
        words[n++] = p;
        while (*p && *p != ' ' && *p != '\t') {
            p++;
        }
    }
    words[n] = NULL;
    return true;
}

static char *qtest_answer_line(const char *line)
{
    g_autofree char *copy = g_strdup(line);
    char *words[QTEST_MAX_WORDS + 1];
    QTestReply r = { .out = g_string_new("") };

    if (!qtest_split_words(copy, words)) {
        qtest_reply_err(&r, "more than %d words", QTEST_MAX_WORDS);
    } else {
        qtest_process_command(&r, words);
    }
    if (r.later) {
        g_string_free(r.out, true);
        return NULL;
    }
    return g_string_free(r.out, false);
}

static void qtest_log_line(const char *dir, const char *line)
{
    if (qtest_log) {
        fprintf(qtest_log, "[%s +%" PRId64 "] %s\n", dir,
                qemu_clock_get_ns(), line);
        fflush(qtest_log);
    }
}


/* One reply and its newline in one write (it may be 32 MiB long). */
static void qtest_send(const char *line)
{
    size_t len = strlen(line);
    g_autoptr(GString) out = g_string_sized_new(len + 1);

    qtest_log_line("S", line);
    g_string_append_len(out, line, len);
    g_string_append_c(out, '\n');
    qemu_chr_write_all(qtest_chr, out->str, out->len);
}

/* A reply is waiting for the client: hold the rest, stop reading. */
static bool qtest_hold(const uint8_t *buf, size_t len)
{
    if (!answer_pending && !qemu_chr_pending(qtest_chr)) {
        return false;
    }
    g_string_append_len(held_input, (const char *)buf, len);
    qemu_chr_accept_input(qtest_chr, false);
    return true;
}

static void qtest_read(void *opaque, const uint8_t *buf, size_t len)
{
    const uint8_t *nl;

    while (len) {
        if (qtest_hold(buf, len)) {
            return;
        }
        nl = memchr(buf, '\n', len);
        if (!nl) {
            if (!discarding) {
                g_string_append_len(inbuf, (const char *)buf, len);
            }
            if (inbuf->len > QTEST_MAX_LINE) {
                g_string_truncate(inbuf, 0);
                discarding = true;
            }
            return;
        }
        if (!discarding) {
            g_autofree char *ans = NULL;

            g_string_append_len(inbuf, (const char *)buf, nl - buf);
            g_strchomp(inbuf->str);
            qtest_log_line("R", inbuf->str);
            ans = qtest_answer_line(inbuf->str);
            if (ans) {
                qtest_send(ans);
            } else {
                answer_pending = true;
            }
        } else {
            qtest_send("ERR line too long");
            discarding = false;
        }
        g_string_truncate(inbuf, 0);
        len -= nl + 1 - buf;
        buf = nl + 1;
    }
}

/* The client took the reply: answer what was held, then read again. */
static void qtest_drained(void *opaque)
{
    g_autoptr(GString) held = NULL;

    if (answer_pending || !held_input->len) {
        return;
    }
    held = held_input;
    held_input = g_string_new("");
    qtest_read(NULL, (const uint8_t *)held->str, held->len);
    if (!held_input->len) {
        qemu_chr_accept_input(qtest_chr, true);
    }
}

/*
 * After the deferred answer: what was held is read from an idle source,
 * so a monitor command that waited for the call (system_reset) runs
 * before the client's next line, as it would between two vCPU
 * instructions.
 */
static gboolean qtest_resume(gpointer opaque)
{
    resume_source = 0;
    if (held_input->len) {
        qtest_drained(NULL);
    } else if (!qemu_chr_pending(qtest_chr)) {
        qemu_chr_accept_input(qtest_chr, true);
    }
    return G_SOURCE_REMOVE;
}

void qtest_reply_later(const char *fmt, ...)
{
    g_autoptr(GString) out = g_string_new("OK ");
    va_list ap;

    g_assert(answer_pending);
    va_start(ap, fmt);
    g_string_append_vprintf(out, fmt, ap);
    va_end(ap);
    answer_pending = false;
    if (answer_orphaned) {
        answer_orphaned = false;    /* not for the next client */
        qtest_log_line("dropped", out->str);
    } else {
        qtest_send(out->str);
    }
    if (!resume_source) {
        resume_source = g_idle_add(qtest_resume, NULL);
    }
}

static void (*qtest_close_cb)(void);

static void qtest_event(void *opaque, QEMUChrEvent event)
{
    if (event == CHR_EVENT_CLOSED && answer_pending) {
        /* what the client sent after the pending call was its own too */
        answer_orphaned = true;
        g_string_truncate(held_input, 0);
    }
    if (event == CHR_EVENT_CLOSED && qtest_close_cb) {
        qtest_close_cb();
    }
}

void qtest_set_close_cb(void (*cb)(void))
{
    qtest_close_cb = cb;
}

bool qtest_server_init(const char *spec, const char *logfile, Error **errp)
{
    if (logfile && strcmp(logfile, "none")) {
        qtest_log = qemu_create_output_stream("-qtest-log", logfile, errp);
        if (!qtest_log) {
            return false;
        }
    }
    qtest_chr = qemu_chr_new(NULL, spec, errp);
    if (!qtest_chr) {
        error_prepend(errp, "-qtest: ");
        return false;
    }
    inbuf = g_string_new("");
    held_input = g_string_new("");
    qemu_chr_set_drained_cb(qtest_chr, qtest_drained);
    qemu_chr_set_handlers(qtest_chr, qtest_read, qtest_event, NULL);
    return true;
}
