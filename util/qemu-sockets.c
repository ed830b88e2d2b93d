/*
 * Unix domain sockets: one way to listen and connect for the whole
 * process (see include/qemu/sockets.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "qemu/sockets.h"

/*
 * DOC: listening without a window
 *
 * bind() makes the path appear before listen() is called: a client that
 * connects in between gets ECONNREFUSED.  The socket is therefore bound
 * under a temporary name in the target's directory (same file system),
 * given its mode, put in the listening state, and only then renamed onto
 * the target: whoever sees the path can connect.  The mode is set before
 * listen(), so nobody connects through a laxer mode either.
 */

static bool unix_addr(const char *path, struct sockaddr_un *sa, Error **errp)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if (!*path || strlen(path) >= sizeof(sa->sun_path)) {
        error_setg(errp, "unix socket path '%s' is %s", path,
                   *path ? "too long" : "empty");
        return false;
    }
    strcpy(sa->sun_path, path);
    return true;
}

/* An existing non-socket at @path is never replaced. */
static bool unix_path_replaceable(const char *path, Error **errp)
{
    struct stat st;

    if (lstat(path, &st) < 0) {
        if (errno == ENOENT) {
            return true;
        }
        error_setg_errno(errp, errno, "unix socket path '%s'", path);
        return false;
    }
    if (!S_ISSOCK(st.st_mode)) {
        error_setg(errp, "unix socket path '%s' exists and is not a socket",
                   path);
        return false;
    }
    return true;
}

/* "DIR/.RANDOM", as long as sun_path allows (at least one character). */
static char *unix_tmp_name(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    size_t room = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;
    size_t used = strlen(dir) + 2, n;
    GString *s;

    if (used >= room) {
        return NULL;
    }
    n = MIN(room - used, 12);
    s = g_string_new(dir);
    g_string_append(s, "/.");
    for (size_t i = 0; i < n; i++) {
        g_string_append_c(s, "0123456789abcdefghijklmnopqrstuvwxyz"
                             [g_random_int_range(0, 36)]);
    }
    return g_string_free(s, false);
}

/* Bound, mode set, listening, under a fresh name; *tmp gets the name. */
static int unix_listen_tmp(const char *path, int backlog, char **tmp,
                           Error **errp)
{
    struct sockaddr_un sa;

    for (int tries = 0; tries < 100; tries++) {
        g_autofree char *name = unix_tmp_name(path);
        int fd;

        if (!name) {
            error_setg(errp, "unix socket path '%s': no room for a "
                       "temporary name next to it", path);
            return -1;
        }
        unix_addr(name, &sa, NULL);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            error_setg_errno(errp, errno, "unix socket '%s'", path);
            return -1;
        }
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            int err = errno;

            close(fd);
            if (err == EADDRINUSE) {
                continue;
            }
            error_setg_errno(errp, err, "unix socket '%s': bind", path);
            return -1;
        }
        if (chmod(name, UNIX_SOCKET_MODE) < 0 || listen(fd, backlog) < 0) {
            error_setg_errno(errp, errno, "unix socket '%s': listen", path);
            unlink(name);
            close(fd);
            return -1;
        }
        *tmp = g_steal_pointer(&name);
        return fd;
    }
    error_setg(errp, "unix socket path '%s': no free temporary name", path);
    return -1;
}

/* Replaces only a socket: a file created meanwhile makes this fail. */
static bool unix_rename_into_place(const char *tmp, const char *path,
                                   Error **errp)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0) {
        return true;
    }
    if (errno != EEXIST && errno != EINVAL && errno != ENOSYS) {
        error_setg_errno(errp, errno, "unix socket path '%s'", path);
        return false;
    }
    if (!unix_path_replaceable(path, errp)) {
        return false;
    }
    if (rename(tmp, path) < 0) {
        error_setg_errno(errp, errno, "unix socket path '%s'", path);
        return false;
    }
    return true;
}

int unix_listen_path(const char *path, int backlog, UnixSocketId *id,
                     Error **errp)
{
    struct sockaddr_un sa;
    g_autofree char *tmp = NULL;
    struct stat st;
    int fd;

    if (!unix_addr(path, &sa, errp) || !unix_path_replaceable(path, errp)) {
        return -1;
    }
    fd = unix_listen_tmp(path, backlog, &tmp, errp);
    if (fd < 0) {
        return -1;
    }
    if (lstat(tmp, &st) < 0) {
        error_setg_errno(errp, errno, "unix socket '%s'", path);
        goto fail;
    }
    if (!unix_rename_into_place(tmp, path, errp)) {
        goto fail;
    }
    if (id) {
        id->dev = st.st_dev;
        id->ino = st.st_ino;
    }
    return fd;
fail:
    unlink(tmp);
    close(fd);
    return -1;
}

int unix_connect_path(const char *path, Error **errp)
{
    struct sockaddr_un sa;
    int fd;

    if (!unix_addr(path, &sa, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        error_setg_errno(errp, errno, "unix socket '%s': connect", path);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

void unix_unlink_path(const char *path, const UnixSocketId *id)
{
    struct stat st;

    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
        st.st_dev == id->dev && st.st_ino == id->ino) {
        unlink(path);
    }
}
