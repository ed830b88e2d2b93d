/*
 * File descriptors passed over the QMP socket: getfd, closefd.
 *
 * DOC: getfd
 *
 * A client on a unix socket monitor sends {"execute": "getfd",
 * "arguments": {"fdname": NAME}} with one descriptor attached
 * (SCM_RIGHTS); the chardev queues attached descriptors as they arrive
 * and getfd takes the oldest one under NAME, replacing (and closing) an
 * earlier one of that name.  closefd closes it; a user such as migration
 * ("fd:NAME") takes it out of the table.  Names are bounded in number and
 * length, since a client can otherwise make us hold descriptors forever.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "monitor/monitor.h"
#include "monitor-internal.h"

#define MONITOR_MAX_FDS     64
#define MONITOR_FDNAME_MAX  128

static GHashTable *named_fds;   /* name -> GINT_TO_POINTER(fd + 1) */

static void named_fd_close(gpointer v)
{
    close(GPOINTER_TO_INT(v) - 1);
}

static GHashTable *fd_table(void)
{
    if (!named_fds) {
        named_fds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          named_fd_close);
    }
    return named_fds;
}

static JsonNode *qmp_getfd(JsonObject *args, Error **errp)
{
    const char *name = qmp_arg_str(args, "fdname");
    Chardev *chr = monitor_cur_chardev();
    int fd;

    if (g_ascii_isdigit(name[0]) || strlen(name) > MONITOR_FDNAME_MAX) {
        error_setg(errp, "Parameter 'fdname' expects a name not starting "
                   "with a digit (at most %d characters)",
                   MONITOR_FDNAME_MAX);
        return NULL;
    }
    if (!g_hash_table_contains(fd_table(), name) &&
        g_hash_table_size(fd_table()) >= MONITOR_MAX_FDS) {
        error_setg(errp, "too many named file descriptors (%d)",
                   MONITOR_MAX_FDS);
        return NULL;
    }
    fd = chr ? qemu_chr_get_msgfd(chr) : -1;
    if (fd < 0) {
        error_setg(errp, "No file descriptor supplied via SCM_RIGHTS");
        return NULL;
    }
    g_hash_table_replace(fd_table(), g_strdup(name), GINT_TO_POINTER(fd + 1));
    return qmp_return_empty();
}

static JsonNode *qmp_closefd(JsonObject *args, Error **errp)
{
    const char *name = qmp_arg_str(args, "fdname");

    if (!g_hash_table_remove(fd_table(), name)) {
        error_setg(errp, "File descriptor named '%s' not found", name);
        return NULL;
    }
    return qmp_return_empty();
}

int monitor_fd_take(const char *name, Error **errp)
{
    gpointer key, value;

    if (!g_hash_table_steal_extended(fd_table(), name, &key, &value)) {
        error_setg(errp, "File descriptor named '%s' has not been found",
                   name);
        return -1;
    }
    g_free(key);
    return GPOINTER_TO_INT(value) - 1;
}

static const QmpCommandInfo monitor_fd_commands[] = {
    { "getfd", qmp_getfd, "fdname:str" },
    { "closefd", qmp_closefd, "fdname:str" },
};

QMP_COMMANDS(monitor_fd_commands)
