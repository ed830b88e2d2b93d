/*
 * Error reporting for host and configuration errors.
 *
 * Convention (one per layer): functions that can fail for host or
 * configuration reasons take "Error **errp" as their last parameter and
 * return bool (true on success).  On failure they set *errp exactly once;
 * on success they leave it alone.  Guest-visible failures are never
 * Errors: they are RTAS / H_* status codes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

typedef struct Error Error;

void error_setg(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
void error_prepend(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void error_propagate(Error **dst_errp, Error *local_err);
const char *error_get_pretty(const Error *err);
void error_free(Error *err);
void error_report_err(Error *err);

/* Messages for the user, on stderr (and the -D log when one is set). */
void error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* -msg timestamp=on, guest-name=on: prefixes of every reported line. */
void error_set_message_timestamps(bool on);
void error_set_guest_name(const char *name);
/* The timestamp prefix (empty without -msg timestamp=on); g_free it. */
char *error_timestamp_prefix(void);
void warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void info_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void error_set_progname(const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Error, error_free)

#endif
