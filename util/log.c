/*
 * The debug log: -d selects what is logged, -D where it goes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include "qapi/error.h"
#include "qemu/log.h"

int qemu_loglevel;
static FILE *logfile;
static bool log_at_line_start = true;

FILE *qemu_log_file(void)
{
    return logfile ? logfile : stderr;
}

/* A line may be logged in pieces: the timestamp goes before its first. */
void qemu_log(const char *fmt, ...)
{
    va_list ap;
    FILE *f = qemu_log_file();
    g_autofree char *text = NULL;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (log_at_line_start && *text) {
        g_autofree char *ts = error_timestamp_prefix();

        fputs(ts, f);
    }
    fputs(text, f);
    if (*text) {
        log_at_line_start = text[strlen(text) - 1] == '\n';
    }
    fflush(f);
}

/*
 * Output files (-D, -qtest-log, file: chardevs) are created or truncated,
 * but never through a symbolic link: a link planted where a log goes
 * would otherwise truncate whatever it points to.  A link is refused
 * with the option named.
 */
int qemu_create_output_file(const char *what, const char *path,
                            Error **errp)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
                  O_NOFOLLOW, 0644);

    if (fd < 0 && errno == ELOOP) {
        error_setg(errp, "%s '%s': is a symbolic link (refused: output "
                   "files are not written through links)", what, path);
    } else if (fd < 0) {
        error_setg_errno(errp, errno, "%s '%s'", what, path);
    }
    return fd;
}

FILE *qemu_create_output_stream(const char *what, const char *path,
                                Error **errp)
{
    int fd = qemu_create_output_file(what, path, errp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

    if (fd >= 0 && !f) {
        error_setg_errno(errp, errno, "%s '%s'", what, path);
        close(fd);
    }
    return f;
}

bool qemu_set_log_filename(const char *filename, Error **errp)
{
    FILE *f = qemu_create_output_stream("-D", filename, errp);

    if (!f) {
        return false;
    }
    qemu_log_close();
    logfile = f;
    return true;
}

static const struct {
    const char *name;
    int mask;
} log_items[] = {
    { "guest_errors", LOG_GUEST_ERROR },
    { "unimp", LOG_UNIMP },
    { "trace", LOG_TRACE },
};

bool qemu_set_log_items(const char *items, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(items, ",", -1);
    int mask = 0;

    for (int i = 0; parts[i]; i++) {
        size_t j;

        for (j = 0; j < ARRAY_SIZE(log_items); j++) {
            if (!strcmp(parts[i], log_items[j].name)) {
                mask |= log_items[j].mask;
                break;
            }
        }
        if (j == ARRAY_SIZE(log_items)) {
            error_setg(errp, "-d: unknown log item '%s' "
                       "(known: guest_errors, unimp, trace)", parts[i]);
            return false;
        }
    }
    qemu_loglevel |= mask;
    return true;
}

void qemu_log_close(void)
{
    if (logfile) {
        fclose(logfile);
        logfile = NULL;
    }
}
