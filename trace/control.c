/*
 * Trace event registry and the "log" backend.
 *
 * Events are generated per directory from trace-events files by
 * scripts/tracetool.py and register themselves here at startup.  Enabled
 * events print one line each to the log (stderr, or the -D file).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "trace/control.h"

static GPtrArray *trace_groups;

void trace_event_register_group(TraceEvent **events)
{
    if (!trace_groups) {
        trace_groups = g_ptr_array_new();
    }
    g_ptr_array_add(trace_groups, events);
}

void trace_event_log(const char *name, const char *fmt, ...)
{
    FILE *f = qemu_log_file();
    g_autofree char *ts = error_timestamp_prefix();   /* -msg timestamp=on */
    va_list ap;

    fprintf(f, "%s%d@%" PRId64 ":%s ", ts, getpid(), g_get_monotonic_time(),
            name);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fflush(f);
}

#define FOREACH_EVENT(ev) \
    for (guint g_ = 0; trace_groups && g_ < trace_groups->len; g_++) \
        for (TraceEvent **p_ = g_ptr_array_index(trace_groups, g_); \
             (ev = *p_) != NULL; p_++)


int trace_enable_events(const char *pattern)
{
    bool on = pattern[0] != '-';
    const char *glob = on ? pattern : pattern + 1;
    TraceEvent *ev;
    int n = 0;

    FOREACH_EVENT(ev) {
        if (g_pattern_match_simple(glob, ev->name)) {
            ev->state = on;
            n++;
        }
    }
    return n;
}

void trace_list_events(FILE *f)
{
    TraceEvent *ev;

    FOREACH_EVENT(ev) {
        fprintf(f, "%s\n", ev->name);
    }
}

static bool trace_events_file(const char *path, Error **errp)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) gerr = NULL;

    if (!g_file_get_contents(path, &text, NULL, &gerr)) {
        error_setg(errp, "-trace events=%s: %s", path, gerr->message);
        return false;
    }
    lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        g_strstrip(lines[i]);
        if (lines[i][0] && lines[i][0] != '#') {
            trace_enable_events(lines[i]);
        }
    }
    return true;
}

/* -trace [enable=]PATTERN[,events=FILE][,file=FILE] */
bool trace_opt_parse(const char *optarg, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(optarg, ",", -1);

    for (int i = 0; parts[i]; i++) {
        const char *p = parts[i];

        if (g_str_has_prefix(p, "enable=")) {
            p += strlen("enable=");
        } else if (g_str_has_prefix(p, "events=")) {
            if (!trace_events_file(p + strlen("events="), errp)) {
                return false;
            }
            continue;
        } else if (g_str_has_prefix(p, "file=")) {
            if (!qemu_set_log_filename(p + strlen("file="), errp)) {
                error_prepend(errp, "-trace: ");
                return false;
            }
            continue;
        } else if (strchr(p, '=')) {
            error_setg(errp, "-trace: unknown option '%s' "
                       "(use enable=PATTERN, events=FILE or file=FILE)", p);
            return false;
        }
        if (!*p) {
            error_setg(errp, "-trace: empty pattern");
            return false;
        }
        if (!trace_enable_events(p) && !strpbrk(p, "*?")) {
            error_setg(errp, "-trace: no trace event named '%s'", p);
            return false;
        }
    }
    return true;
}
