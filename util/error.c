/*
 * Error objects and user-facing reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"

struct Error {
    char *msg;
    ErrorClass err_class;
};

static const char *progname = "spapr-ddw";

void error_set_progname(const char *name)
{
    progname = name;
}

const char *ErrorClass_str(ErrorClass cls)
{
    static const char *const names[ERROR_CLASS__MAX] = {
        [ERROR_CLASS_GENERIC_ERROR] = "GenericError",
        [ERROR_CLASS_COMMAND_NOT_FOUND] = "CommandNotFound",
        [ERROR_CLASS_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
        [ERROR_CLASS_DEVICE_NOT_FOUND] = "DeviceNotFound",
        [ERROR_CLASS_KVM_MISSING_CAP] = "KVMMissingCap",
    };

    return (unsigned)cls < ERROR_CLASS__MAX ? names[cls] : "GenericError";
}

static void error_setv(Error **errp, ErrorClass cls, const char *fmt,
                       va_list ap)
{
    Error *err;

    if (!errp) {
        return;
    }
    g_assert(*errp == NULL); /* programmer error: an error set twice */
    err = g_new0(Error, 1);
    err->msg = g_strdup_vprintf(fmt, ap);
    err->err_class = cls;
    *errp = err;
}

void error_set(Error **errp, ErrorClass cls, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, cls, fmt, ap);
    va_end(ap);
}

void error_setg(Error **errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, ERROR_CLASS_GENERIC_ERROR, fmt, ap);
    va_end(ap);
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (!errp) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(errp, "%s: %s", msg, g_strerror(os_errno));
    g_free(msg);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;
    char *prefix;
    char *old;

    if (!errp || !*errp) {
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    old = (*errp)->msg;
    (*errp)->msg = g_strconcat(prefix, old, NULL);
    g_free(prefix);
    g_free(old);
}

void error_propagate(Error **dst_errp, Error *local_err)
{
    if (!local_err) {
        return;
    }
    if (dst_errp && !*dst_errp) {
        *dst_errp = local_err;
    } else {
        error_free(local_err);
    }
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

ErrorClass error_get_class(const Error *err)
{
    return err->err_class;
}

void error_free(Error *err)
{
    if (err) {
        g_free(err->msg);
        g_free(err);
    }
}

static bool msg_timestamps;
static const char *msg_guest_name;

void error_set_message_timestamps(bool on)
{
    msg_timestamps = on;
}

void error_set_guest_name(const char *name)
{
    msg_guest_name = name;
}

/* -msg timestamp=on: QEMU's "2026-12-02T17:43:12.123456Z " prefix. */
char *error_timestamp_prefix(void)
{
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *date = NULL;

    if (!msg_timestamps) {
        return g_strdup("");
    }
    now = g_date_time_new_now_utc();
    date = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");
    return g_strdup_printf("%s.%06dZ ", date,
                           g_date_time_get_microsecond(now));
}

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
    g_autofree char *ts = error_timestamp_prefix();

    fprintf(stderr, "%s%s%s%s: %s", ts, msg_guest_name ? msg_guest_name : "",
            msg_guest_name ? " " : "", progname, prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("info: ", fmt, ap);
    va_end(ap);
}

void error_report_err(Error *err)
{
    error_report("%s", error_get_pretty(err));
    error_free(err);
}
