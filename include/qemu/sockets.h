/*
 * Unix domain sockets shared by every server and client of the process:
 * the qtest and QMP chardevs, other socket chardevs, migration.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_SOCKETS_H
#define QEMU_SOCKETS_H

#include <sys/types.h>

/* Which file a listener put in place, so that only that one is removed. */
typedef struct UnixSocketId {
    dev_t dev;
    ino_t ino;
} UnixSocketId;

/* Mode of a listening socket's file: owner only. */
#define UNIX_SOCKET_MODE 0600

/*
 * Listens on @path: the socket is bound and listening under a temporary
 * name in the same directory, then renamed into place, so a client that
 * connects as soon as @path exists is accepted.  A stale socket at @path
 * is replaced; any other file there is an error and is left alone.
 * Returns the close-on-exec fd (and @id, if not NULL), or -1 with @errp.
 */
int unix_listen_path(const char *path, int backlog, UnixSocketId *id,
                     Error **errp);

/* Connects to @path; returns the close-on-exec fd, or -1 with @errp. */
int unix_connect_path(const char *path, Error **errp);

/* Removes @path only if it is still the socket @id names. */
void unix_unlink_path(const char *path, const UnixSocketId *id);

#endif
