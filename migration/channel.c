/*
 * Migration transports.  Sockets are opened here and then handed to the
 * main loop non-blocking; exec: runs "sh -c CMD" with a pipe.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/socket.h>
#include <netdb.h>
#include <fcntl.h>
#include "qemu/sockets.h"
#include "migration/channel.h"
#include "monitor/monitor.h"
#include "sysemu/seccomp.h"

static bool channel_parse_tcp(const char *spec, char **host, char **port,
                              Error **errp)
{
    const char *colon = strrchr(spec, ':');

    if (!colon || colon == spec || !colon[1]) {
        error_setg(errp, "migration URI tcp:%s: expected tcp:HOST:PORT",
                   spec);
        return false;
    }
    /* [::] and [fe80::1]: an IPv6 address in brackets, as QEMU takes it */
    if (spec[0] == '[' && colon > spec + 1 && colon[-1] == ']') {
        *host = g_strndup(spec + 1, colon - spec - 2);
    } else {
        *host = g_strndup(spec, colon - spec);
    }
    *port = g_strdup(colon + 1);
    return true;
}

/* tcp: each resolved address in turn; listen or connect. */
static int channel_tcp(const char *spec, bool listening, Error **errp)
{
    g_autofree char *host = NULL, *port = NULL;
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_flags = listening ? AI_PASSIVE : 0 };
    struct addrinfo *res, *ai;
    int fd = -1, one = 1, err;

    if (!channel_parse_tcp(spec, &host, &port, errp)) {
        return -1;
    }
    err = getaddrinfo(host, port, &hints, &res);
    if (err) {
        error_setg(errp, "migration URI tcp:%s: %s", spec, gai_strerror(err));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (listening ? !bind(fd, ai->ai_addr, ai->ai_addrlen) &&
                        !listen(fd, 1)
                      : !connect(fd, ai->ai_addr, ai->ai_addrlen)) {
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, errno, "migration URI tcp:%s: cannot %s",
                         spec, listening ? "listen" : "connect");
    }
    return fd;
}

static int channel_unix(const char *path, bool listening, Error **errp)
{
    int fd = listening ? unix_listen_path(path, 1, NULL, errp)
                       : unix_connect_path(path, errp);

    if (fd < 0) {
        error_prepend(errp, "migration URI unix:%s: cannot %s: ", path,
                      listening ? "listen" : "connect");
    }
    return fd;
}

/* exec: sh -c CMD; the stream goes to its stdin or comes from its stdout. */
static int channel_exec(const char *cmd, bool outgoing, GPid *child,
                        Error **errp)
{
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    GError *gerr = NULL;
    int fd = -1;

    if (!*cmd) {
        error_setg(errp, "migration URI exec: needs a command");
        return -1;
    }
    if (qemu_seccomp_spawn_denied()) {
        error_setg(errp, "migration URI exec:%s: spawning processes is "
                   "denied by -sandbox spawn=deny", cmd);
        return -1;
    }
    if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD |
                                  (outgoing ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                                  NULL, NULL,
                                  child, outgoing ? &fd : NULL,
                                  outgoing ? NULL : &fd, NULL, &gerr)) {
        error_setg(errp, "migration URI exec:%s: %s", cmd, gerr->message);
        g_error_free(gerr);
        return -1;
    }
    return fd;
}

/* fd:NAME: a socket a QMP client passed with getfd (libvirt's). */
static int channel_fd(const char *name, Error **errp)
{
    int fd = monitor_fd_take(name, errp);

    if (fd >= 0) {
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    return fd;
}

int migration_channel_connect(const char *uri, GPid *child, Error **errp)
{
    *child = 0;
    if (g_str_has_prefix(uri, "fd:")) {
        return channel_fd(uri + 3, errp);
    }
    if (g_str_has_prefix(uri, "tcp:")) {
        return channel_tcp(uri + 4, false, errp);
    } else if (g_str_has_prefix(uri, "unix:")) {
        return channel_unix(uri + 5, false, errp);
    } else if (g_str_has_prefix(uri, "exec:")) {
        return channel_exec(uri + 5, true, child, errp);
    }
    error_setg(errp, "migration URI '%s': expected tcp:HOST:PORT, "
               "unix:PATH, exec:CMD or fd:NAME", uri);
    return -1;
}

int migration_channel_listen(const char *uri, bool *listening, GPid *child,
                             Error **errp)
{
    *child = 0;
    *listening = true;
    if (g_str_has_prefix(uri, "fd:")) {
        *listening = false;
        return channel_fd(uri + 3, errp);
    }
    if (g_str_has_prefix(uri, "tcp:")) {
        return channel_tcp(uri + 4, true, errp);
    } else if (g_str_has_prefix(uri, "unix:")) {
        return channel_unix(uri + 5, true, errp);
    } else if (g_str_has_prefix(uri, "exec:")) {
        *listening = false;
        return channel_exec(uri + 5, false, child, errp);
    }
    error_setg(errp, "migration URI '%s': expected tcp:HOST:PORT, "
               "unix:PATH, exec:CMD, fd:NAME or defer", uri);
    return -1;
}
