/*
 * Monitors on character devices: QMP (-qmp, -mon mode=control) and the
 * human monitor (-mon mode=readline), and QMP event delivery.
 *
 * DOC: monitor connections
 *
 * Each monitor owns one chardev; a socket chardev serves one client at a
 * time, and every new client starts a fresh QMP session: the greeting
 * {"QMP": {"version": ..., "capabilities": ["oob"]}}, then nothing but
 * qmp_capabilities is accepted until it has run.  Responses and events
 * are single lines ending in CR LF, as QEMU writes them.  Events go to
 * every connected QMP session that has negotiated capabilities.
 *
 * While a long guest call is in flight ("DOC: long guest calls"), a QMP
 * command that would pause vCPUs in QEMU (qmp_request_waits_for_vcpus)
 * waits for it: the monitor holds it, and every in-band message after
 * it, and handles them all in order once the call has ended.  Without
 * the oob capability it stops reading meanwhile (QEMU reads nothing
 * past an unfinished command then); with oob it reads on, answering
 * out-of-band requests at once ("DOC: QMP out-of-band execution"), until
 * QMP_HELD_MAX in-band messages are held, as QEMU's queue of 8.  An
 * exec-oob request is never held (refused at once if oob is off, as in
 * QEMU).  Other monitors, and other commands, are answered meanwhile.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/version.h"
#include "qemu/option.h"
#include "chardev/char.h"
#include "monitor/hmp.h"
#include "monitor-internal.h"
#include "sysemu/guest-call.h"
#include "trace.h"

/* A human monitor line longer than this is dropped. */
#define HMP_MAX_LINE 4096
/*
 * In-band requests held while out-of-band ones are still read, as QEMU's
 * queue of 8; past it the monitor stops reading (so holds at most 8 MiB,
 * plus what the last read completed).
 */
#define QMP_HELD_MAX 8

typedef struct Monitor {
    Chardev *chr;
    char *chr_id;
    bool is_qmp;
    bool open;
    QmpSession sess;
    QmpStream stream;
    GString *line;              /* human monitor input */
    bool line_overflow;
    GQueue *waiting;            /* QmpWaiting: read, held for a guest call */
} Monitor;

typedef struct QmpWaiting {
    char *text;
    size_t len;
    char *err;
} QmpWaiting;

typedef struct EventObserver {
    QmpEventObserver *fn;
    void *opaque;
} EventObserver;

static GPtrArray *monitors;
static GArray *event_observers;
static Monitor *cur_mon;        /* the one whose command is running */

Chardev *monitor_cur_chardev(void)
{
    return cur_mon ? cur_mon->chr : NULL;
}

static void monitor_puts(Monitor *mon, const char *text)
{
    qemu_chr_write_all(mon->chr, text, strlen(text));
}

static void monitor_put_line(Monitor *mon, const char *text)
{
    monitor_puts(mon, text);
    monitor_puts(mon, "\r\n");
}

static void qmp_waiting_free(gpointer p)
{
    QmpWaiting *w = p;

    g_free(w->text);
    g_free(w->err);
    g_free(w);
}

static void qmp_handle(Monitor *mon, const char *text, size_t len,
                       const char *err);

/* The guest call has ended: what the monitor held is handled in order. */
static void qmp_release(void *opaque)
{
    Monitor *mon = opaque;
    g_autoptr(GQueue) held = mon->waiting;
    QmpWaiting *w;

    mon->waiting = NULL;
    trace_monitor_qmp_release(mon->chr_id, g_queue_get_length(held));
    while ((w = g_queue_pop_head(held))) {
        if (mon->open) {
            qmp_handle(mon, w->text, w->len, w->err);
        }
        qmp_waiting_free(w);
    }
    qemu_chr_accept_input(mon->chr, true);
}

/*
 * Holds a message while a guest call is in flight, if it or an earlier
 * one must wait for it.  Without oob nothing could overtake it, so the
 * monitor stops reading at once; with oob it reads on (out-of-band
 * requests are answered meanwhile) until QMP_HELD_MAX are held.
 */
static bool qmp_hold(Monitor *mon, const char *text, size_t len,
                     const char *err)
{
    QmpWaiting *w;

    if (!mon->waiting) {
        if (err || !guest_call_in_flight() ||
            !qmp_request_waits_for_vcpus(text, len)) {
            return false;
        }
        mon->waiting = g_queue_new();
        guest_call_when_done(qmp_release, mon);
        trace_monitor_qmp_hold(mon->chr_id);
    }
    w = g_new0(QmpWaiting, 1);
    w->text = g_strndup(text, len);
    w->len = len;
    w->err = g_strdup(err);
    g_queue_push_tail(mon->waiting, w);
    if (!mon->sess.oob || g_queue_get_length(mon->waiting) >= QMP_HELD_MAX) {
        trace_monitor_qmp_queue_full(mon->chr_id,
                                     g_queue_get_length(mon->waiting));
        qemu_chr_accept_input(mon->chr, false);
    }
    return true;
}

/* An out-of-band request overtakes what is held (see the DOC above). */
static void qmp_stream_message(void *opaque, const char *text, size_t len,
                               const char *err)
{
    Monitor *mon = opaque;

    if (mon->waiting && !err && qmp_request_is_oob(text, len)) {
        trace_monitor_qmp_oob(mon->chr_id);
        qmp_handle(mon, text, len, NULL);
        return;
    }
    if (!qmp_hold(mon, text, len, err)) {
        qmp_handle(mon, text, len, err);
    }
}

static void qmp_handle(Monitor *mon, const char *text, size_t len,
                       const char *err)
{
    g_autofree char *reply = NULL;

    cur_mon = mon;
    reply = qmp_session_handle(&mon->sess, text, len, err);
    cur_mon = NULL;
    if (reply) {
        monitor_put_line(mon, reply);
    }
}

static void hmp_line(Monitor *mon)
{
    g_autofree char *out = NULL;

    if (!mon->line_overflow && mon->line->len) {
        trace_monitor_hmp_command(mon->line->str);
        out = hmp_run_command(mon->line->str);
        monitor_puts(mon, out);
    }
    g_string_truncate(mon->line, 0);
    mon->line_overflow = false;
    monitor_puts(mon, "(qemu) ");
}

static void hmp_read(Monitor *mon, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            hmp_line(mon);
        } else if (buf[i] == '\r') {
            continue;
        } else if (mon->line->len >= HMP_MAX_LINE) {
            mon->line_overflow = true;
        } else {
            g_string_append_c(mon->line, buf[i]);
        }
    }
}

static void monitor_read(void *opaque, const uint8_t *buf, size_t len)
{
    Monitor *mon = opaque;

    if (mon->is_qmp) {
        qmp_stream_feed(&mon->stream, buf, len);
    } else {
        hmp_read(mon, buf, len);
    }
}

static void monitor_opened(Monitor *mon)
{
    g_autofree char *greeting = NULL;

    mon->open = true;
    mon->sess.negotiated = false;
    mon->sess.oob = false;
    if (mon->is_qmp) {
        trace_monitor_qmp_open(mon->chr_id);
        qmp_stream_reset(&mon->stream);
        greeting = qmp_greeting();
        monitor_put_line(mon, greeting);
    } else {
        g_string_truncate(mon->line, 0);
        monitor_puts(mon, "QEMU " QEMU_VERSION " monitor - type 'help' for "
                     "more information\r\n(qemu) ");
    }
}

static void monitor_event(void *opaque, QEMUChrEvent event)
{
    Monitor *mon = opaque;

    if (event == CHR_EVENT_OPENED) {
        monitor_opened(mon);
        return;
    }
    mon->open = false;
    mon->sess.negotiated = false;
    mon->sess.oob = false;
    if (mon->waiting) {
        /* a new client starts afresh; qmp_release still runs, on nothing */
        g_queue_clear_full(mon->waiting, qmp_waiting_free);
    }
    if (mon->is_qmp) {
        trace_monitor_qmp_close(mon->chr_id);
        qmp_stream_reset(&mon->stream);
    }
}

static bool monitor_new(const char *chardev_id, bool is_qmp, Error **errp)
{
    Chardev *chr = qemu_chr_find(chardev_id);
    Monitor *mon;

    if (!chr) {
        error_setg(errp, "chardev \"%s\" not found", chardev_id);
        return false;
    }
    for (guint i = 0; monitors && i < monitors->len; i++) {
        if (((Monitor *)g_ptr_array_index(monitors, i))->chr == chr) {
            error_setg(errp, "chardev \"%s\" is already in use", chardev_id);
            return false;
        }
    }
    mon = g_new0(Monitor, 1);
    mon->chr = chr;
    mon->chr_id = g_strdup(chardev_id);
    mon->is_qmp = is_qmp;
    mon->line = g_string_new(NULL);
    qmp_stream_init(&mon->stream, qmp_stream_message, mon);
    if (!monitors) {
        monitors = g_ptr_array_new();
    }
    g_ptr_array_add(monitors, mon);
    qemu_chr_set_handlers(chr, monitor_read, monitor_event, mon);
    if (!mon->open && qemu_chr_is_connected(chr)) {
        monitor_opened(mon);    /* stdio and files have no OPENED event */
    }
    return true;
}

bool monitor_init_qmp(const char *chardev_id, Error **errp)
{
    return monitor_new(chardev_id, true, errp);
}

bool monitor_init_hmp(const char *chardev_id, Error **errp)
{
    return monitor_new(chardev_id, false, errp);
}

/* Events */

void qmp_event_add_observer(QmpEventObserver *fn, void *opaque)
{
    EventObserver o = { fn, opaque };

    if (!event_observers) {
        event_observers = g_array_new(false, false, sizeof(EventObserver));
    }
    g_array_append_val(event_observers, o);
}

void qmp_event_remove_observer(QmpEventObserver *fn, void *opaque)
{
    for (guint i = 0; event_observers && i < event_observers->len; i++) {
        EventObserver *o = &g_array_index(event_observers, EventObserver, i);

        if (o->fn == fn && o->opaque == opaque) {
            g_array_remove_index(event_observers, i);
            return;
        }
    }
}

static char *event_to_text(const char *name, JsonObject *data)
{
    JsonObject *ev = json_object_new(), *ts = json_object_new();
    int64_t now = g_get_real_time();
    g_autoptr(JsonNode) root = NULL;

    json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(ev, "timestamp", ts);
    json_object_set_string_member(ev, "event", name);
    if (data) {
        json_object_set_object_member(ev, "data", data);
    }
    root = qmp_node_object(ev);
    return qmp_node_to_text(root);
}

void qmp_event_emit(const char *name, JsonObject *data)
{
    g_autofree char *text = event_to_text(name, data);

    trace_monitor_qmp_event(name);
    for (guint i = 0; monitors && i < monitors->len; i++) {
        Monitor *mon = g_ptr_array_index(monitors, i);

        if (mon->is_qmp && mon->open && mon->sess.negotiated) {
            monitor_put_line(mon, text);
        }
    }
    for (guint i = 0; event_observers && i < event_observers->len; i++) {
        EventObserver *o = &g_array_index(event_observers, EventObserver, i);

        o->fn(text, o->opaque);
    }
}
