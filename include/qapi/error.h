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

/*
 * The class an Error carries, as QMP reports it ("class" member of an
 * error reply).  Almost every error is generic: error_setg().  The few
 * others exist because clients (libvirt, QEMU's qtests) test for them.
 * The class survives error_propagate() and error_prepend().
 */
typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR,
    ERROR_CLASS_COMMAND_NOT_FOUND,
    ERROR_CLASS_DEVICE_NOT_ACTIVE,
    ERROR_CLASS_DEVICE_NOT_FOUND,
    ERROR_CLASS_KVM_MISSING_CAP,
    ERROR_CLASS__MAX,
} ErrorClass;

/* QMP's name for cls ("GenericError", "DeviceNotFound", ...). */
const char *ErrorClass_str(ErrorClass cls);

void error_set(Error **errp, ErrorClass cls, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
void error_setg(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
void error_prepend(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void error_propagate(Error **dst_errp, Error *local_err);
const char *error_get_pretty(const Error *err);
ErrorClass error_get_class(const Error *err);
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
