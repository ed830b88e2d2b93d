/*
 * The debug log (-d ITEMS, -D FILE): guest errors and trace output.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_LOG_H
#define QEMU_LOG_H

#define LOG_GUEST_ERROR (1 << 0)
#define LOG_UNIMP       (1 << 1)
#define LOG_TRACE       (1 << 2)

extern int qemu_loglevel;

static inline bool qemu_loglevel_mask(int mask)
{
    return (qemu_loglevel & mask) != 0;
}

void qemu_log(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/*
 * Guest mistakes are logged (one line per reason) only when asked for with
 * "-d guest_errors"; they never end the process.
 */
#define qemu_log_mask(mask, ...) do {           \
        if (qemu_loglevel_mask(mask)) {         \
            qemu_log(__VA_ARGS__);              \
        }                                       \
    } while (0)

bool qemu_set_log_filename(const char *filename, Error **errp);
/*
 * Creates (or truncates) an output file for option what, refusing a
 * symbolic link at path: a descriptor, or -1 with errp set.
 */
int qemu_create_output_file(const char *what, const char *path,
                            Error **errp);
FILE *qemu_create_output_stream(const char *what, const char *path,
                                Error **errp);
bool qemu_set_log_items(const char *items, Error **errp);
FILE *qemu_log_file(void);
void qemu_log_close(void);

#endif
