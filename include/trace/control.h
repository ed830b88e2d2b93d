/*
 * Trace event control: -trace enable=PATTERN, -trace events=FILE.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TRACE_CONTROL_H
#define TRACE_CONTROL_H

typedef struct TraceEvent {
    const char *name;
    bool state;
} TraceEvent;

void trace_event_register_group(TraceEvent **events);
void trace_event_log(const char *name, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* Enables (or with a leading '-', disables) every event matching a glob. */
int trace_enable_events(const char *pattern);
bool trace_opt_parse(const char *optarg, Error **errp);
void trace_list_events(FILE *f);

#endif
