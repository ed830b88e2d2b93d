/*
 * Character devices on the GLib main loop.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <poll.h>
#include <netdb.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/stat.h>
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qemu/sockets.h"
#include "qemu/log.h"
#include "chardev/char.h"
#include <glib-unix.h>

struct Chardev {
    char *id;
    int in_fd, out_fd;          /* connected peer, -1 when none */
    int listen_fd;              /* server sockets */
    guint in_watch, listen_watch, out_watch;
    bool is_socket;
    GString *outbuf;            /* output the peer has not taken */
    size_t out_pos;             /* ... from this offset on */
    char *path;                 /* unix server socket to unlink */
    UnixSocketId path_id;       /* ... only while it is still ours */
    ChrReadFn *read;
    ChrEventFn *event;
    void *opaque;
    void (*drained)(void *opaque);
    bool input_paused;
    GArray *msgfds;             /* int: SCM_RIGHTS fds not yet taken */
    char *filename;             /* how it was opened (query-chardev) */
};

/* File descriptors a socket peer may have queued with us at a time. */
#define CHR_MAX_MSGFDS 16

/*
 * DOC: chardev output
 *
 * No write blocks the main loop, whatever the peer (socket, stdio, file):
 * what the peer does not take at once is queued and written when it can
 * take more.  A write is accepted while fewer than CHR_MAX_OUTBUF bytes
 * wait (so one large reply always goes out whole); a peer that lets more
 * pile up than that is disconnected.  Producers that can wait (qtest)
 * pause their input until the queue drains, and are never cut off.  At
 * exit, what is queued gets a bounded time to go out.
 */
#define CHR_MAX_OUTBUF (16u << 20)
#define CHR_EXIT_FLUSH_MS   1000
#define CHR_EXIT_STALL_MS   200

static GHashTable *chardevs;    /* by id */
static GList *all_chardevs;     /* with or without an id (-qtest has none) */

static void chr_close_peer(Chardev *chr);
static void chr_watch_listen(Chardev *chr);

static void chr_queue_fd(Chardev *chr, int fd)
{
    if (!chr->msgfds) {
        chr->msgfds = g_array_new(false, false, sizeof(int));
    }
    if (chr->msgfds->len >= CHR_MAX_MSGFDS) {
        close(fd);      /* a peer flooding us with fds gets them dropped */
        return;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    g_array_append_val(chr->msgfds, fd);
}

static void chr_drop_fds(Chardev *chr)
{
    for (guint i = 0; chr->msgfds && i < chr->msgfds->len; i++) {
        close(g_array_index(chr->msgfds, int, i));
    }
    if (chr->msgfds) {
        g_array_set_size(chr->msgfds, 0);
    }
}

/* Socket input: bytes, and any descriptors passed with SCM_RIGHTS. */
static ssize_t chr_recv(Chardev *chr, uint8_t *buf, size_t size)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int) * CHR_MAX_MSGFDS)];
    } control;
    struct iovec iov = { buf, size };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.buf,
                          .msg_controllen = sizeof(control.buf) };
    ssize_t n;

    if (!chr->is_socket) {
        return read(chr->in_fd, buf, size);
    }
    n = recvmsg(chr->in_fd, &msg, MSG_CMSG_CLOEXEC);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); n >= 0 && c;
         c = CMSG_NXTHDR(&msg, c)) {
        size_t nfds;

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
            c->cmsg_len < CMSG_LEN(0)) {
            continue;
        }
        nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < nfds; i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            chr_queue_fd(chr, fd);
        }
    }
    return n;
}

int qemu_chr_get_msgfd(Chardev *chr)
{
    int fd;

    if (!chr->msgfds || !chr->msgfds->len) {
        return -1;
    }
    fd = g_array_index(chr->msgfds, int, 0);
    g_array_remove_index(chr->msgfds, 0);
    return fd;
}

static gboolean chr_readable(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    uint8_t buf[4096];
    ssize_t n = chr_recv(chr, buf, sizeof(buf));

    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        chr->in_watch = 0;
        if (!chr->is_socket) {
            /* stdin ended: what stdout still owes is flushed at exit */
            chr->in_fd = -1;
            if (chr->event) {
                chr->event(chr->opaque, CHR_EVENT_CLOSED);
            }
            return G_SOURCE_REMOVE;
        }
        chr_close_peer(chr);
        return G_SOURCE_REMOVE;
    }
    if (chr->read) {
        chr->read(chr->opaque, buf, n);
    }
    return G_SOURCE_CONTINUE;
}

static void chr_watch_input(Chardev *chr)
{
    GIOChannel *ch = g_io_channel_unix_new(chr->in_fd);

    chr->in_watch = g_io_add_watch(ch, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                   chr_readable, chr);
    g_io_channel_unref(ch);
}

static void chr_connected(Chardev *chr, int in_fd, int out_fd)
{
    chr->in_fd = in_fd;
    chr->out_fd = out_fd;
    g_unix_set_fd_nonblocking(out_fd, true, NULL);
    chr_watch_input(chr);
    if (chr->event) {
        chr->event(chr->opaque, CHR_EVENT_OPENED);
    }
}

static void chr_close_peer(Chardev *chr)
{
    if (chr->in_watch) {
        g_source_remove(chr->in_watch);
        chr->in_watch = 0;
    }
    if (chr->out_watch) {
        g_source_remove(chr->out_watch);
        chr->out_watch = 0;
    }
    if (chr->outbuf) {
        g_string_truncate(chr->outbuf, 0);
        chr->out_pos = 0;
    }
    chr_drop_fds(chr);
    if (chr->in_fd >= 0 && chr->is_socket) {
        close(chr->in_fd);
    }
    chr->in_fd = chr->out_fd = -1;
    if (chr->event) {
        chr->event(chr->opaque, CHR_EVENT_CLOSED);
    }
}

static gboolean chr_accept(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    int fd = accept(chr->listen_fd, NULL, NULL);

    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    if (chr->in_fd >= 0) {
        close(fd);      /* one client at a time, as QEMU's socket chardev */
        return G_SOURCE_CONTINUE;
    }
    chr_connected(chr, fd, fd);
    return G_SOURCE_CONTINUE;
}

static void chr_watch_listen(Chardev *chr)
{
    GIOChannel *ch = g_io_channel_unix_new(chr->listen_fd);

    chr->listen_watch = g_io_add_watch(ch, G_IO_IN, chr_accept, chr);
    g_io_channel_unref(ch);
}

static int socket_unix(Chardev *chr, const char *path, bool server,
                       Error **errp)
{
    if (!server) {
        return unix_connect_path(path, errp);
    }
    return unix_listen_path(path, 1, &chr->path_id, errp);
}

static int socket_tcp(const char *host, const char *port, bool server,
                      Error **errp)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_flags = server ? AI_PASSIVE : 0 };
    struct addrinfo *res = NULL;
    int fd = -1, one = 1;
    int rc = getaddrinfo(*host ? host : NULL, port, &hints, &res);

    if (rc) {
        error_setg(errp, "tcp address '%s:%s': %s", host, port,
                   gai_strerror(rc));
        return -1;
    }
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    if (fd < 0 || (server ? bind(fd, res->ai_addr, res->ai_addrlen) < 0
                            || listen(fd, 1) < 0
                          : connect(fd, res->ai_addr, res->ai_addrlen) < 0)) {
        error_setg_errno(errp, errno, "tcp socket '%s:%s'", host, port);
        if (fd >= 0) {
            close(fd);
        }
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

typedef struct SocketSpec {
    char *path, *host, *port, *fd;
    bool server, wait;
} SocketSpec;

static bool parse_flag(const char *kv, const char *key, bool *out)
{
    size_t n = strlen(key);

    if (strncmp(kv, key, n) || kv[n] != '=') {
        return false;
    }
    return qemu_strtobool(kv + n + 1, out);
}

static bool parse_socket_spec(const char *spec, SocketSpec *s, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);

    s->wait = true;
    for (int i = 0; parts[i]; i++) {
        const char *p = parts[i];
        bool b;

        if (i == 0 && g_str_has_prefix(p, "unix:")) {
            s->path = g_strdup(p + 5);
        } else if (i == 0 && g_str_has_prefix(p, "tcp:")) {
            const char *colon = strrchr(p + 4, ':');

            if (!colon) {
                error_setg(errp, "'%s': expected tcp:HOST:PORT", spec);
                return false;
            }
            s->host = g_strndup(p + 4, colon - (p + 4));
            s->port = g_strdup(colon + 1);
        } else if (i == 0 && !strcmp(p, "socket")) {
            continue;
        } else if (g_str_has_prefix(p, "path=")) {
            s->path = g_strdup(p + 5);
        } else if (g_str_has_prefix(p, "host=")) {
            s->host = g_strdup(p + 5);
        } else if (g_str_has_prefix(p, "port=")) {
            s->port = g_strdup(p + 5);
        } else if (g_str_has_prefix(p, "fd=")) {
            s->fd = g_strdup(p + 3);
        } else if (parse_flag(p, "server", &b)) {
            s->server = b;
        } else if (parse_flag(p, "wait", &b)) {
            s->wait = b;
        } else if (!strcmp(p, "server")) {
            s->server = true;
        } else if (!strcmp(p, "nowait")) {
            s->wait = false;
        } else if (!g_str_has_prefix(p, "id=")) {
            error_setg(errp, "'%s': unknown socket option '%s'", spec, p);
            return false;
        }
    }
    if (!s->path && !(s->host && s->port) && !s->fd) {
        error_setg(errp, "'%s': socket needs path=, host= and port=, or fd=",
                   spec);
        return false;
    }
    return true;
}

/*
 * fd=N: a socket the caller passed us open (libvirt's monitor socket).
 * A listening one serves clients as server=on would; a connected one is
 * the peer itself.  Anything else (closed, not a socket) is refused.
 */
static int socket_inherited(const char *num, bool *listening, Error **errp)
{
    uint64_t n;
    int accepting = 0;
    socklen_t len = sizeof(accepting);
    struct stat st;

    if (!qemu_strtou64(num, &n) || n > INT_MAX) {
        error_setg(errp, "fd=%s: not a file descriptor number", num);
        return -1;
    }
    if (fstat(n, &st) < 0 || !S_ISSOCK(st.st_mode) ||
        getsockopt(n, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) < 0) {
        error_setg(errp, "fd=%s: file descriptor %d is not an open socket",
                   num, (int)n);
        return -1;
    }
    fcntl(n, F_SETFD, FD_CLOEXEC);
    *listening = accepting;
    return n;
}

static int socket_open(Chardev *chr, SocketSpec *s, Error **errp)
{
    if (s->fd) {
        return socket_inherited(s->fd, &s->server, errp);
    }
    return s->path ? socket_unix(chr, s->path, s->server, errp)
                   : socket_tcp(s->host ? s->host : "", s->port, s->server,
                                errp);
}

static bool chr_open_socket(Chardev *chr, const char *spec, Error **errp)
{
    SocketSpec s = { 0 };
    int fd;
    bool ok = false;

    if (!parse_socket_spec(spec, &s, errp)) {
        goto out;
    }
    fd = socket_open(chr, &s, errp);
    if (fd < 0) {
        goto out;
    }
    chr->is_socket = true;
    if (!s.server) {
        chr_connected(chr, fd, fd);
    } else {
        chr->listen_fd = fd;
        chr->path = s.fd ? NULL : g_strdup(s.path);
        if (s.wait) {
            int c = accept(fd, NULL, NULL);     /* wait=on: block here */

            if (c >= 0) {
                chr_connected(chr, c, c);
            }
        }
        chr_watch_listen(chr);
    }
    ok = true;
out:
    g_free(s.path);
    g_free(s.host);
    g_free(s.port);
    g_free(s.fd);
    return ok;
}

Chardev *qemu_chr_new(const char *id, const char *spec, Error **errp)
{
    Chardev *chr = g_new0(Chardev, 1);

    chr->in_fd = chr->out_fd = chr->listen_fd = -1;
    chr->id = g_strdup(id);
    chr->filename = g_strdup(spec);
    if (!strcmp(spec, "stdio")) {
        chr->in_fd = STDIN_FILENO;
        chr->out_fd = STDOUT_FILENO;
        g_unix_set_fd_nonblocking(STDOUT_FILENO, true, NULL);
    } else if (g_str_has_prefix(spec, "file:")) {
        chr->out_fd = qemu_create_output_file("chardev file", spec + 5,
                                              errp);
        if (chr->out_fd < 0) {
            goto fail;
        }
    } else if (g_str_has_prefix(spec, "unix:") ||
               g_str_has_prefix(spec, "tcp:") ||
               g_str_has_prefix(spec, "socket")) {
        if (!chr_open_socket(chr, spec, errp)) {
            goto fail;
        }
    } else {
        error_setg(errp, "unknown chardev '%s' (use stdio, file:PATH, "
                   "unix:PATH or tcp:HOST:PORT)", spec);
        goto fail;
    }
    if (!chardevs) {
        chardevs = g_hash_table_new(g_str_hash, g_str_equal);
    }
    if (id) {
        g_hash_table_insert(chardevs, chr->id, chr);
    }
    all_chardevs = g_list_append(all_chardevs, chr);
    return chr;
fail:
    g_free(chr->id);
    g_free(chr->filename);
    g_free(chr);
    return NULL;
}

void qemu_chr_foreach(QemuChrInfoFn *fn, void *opaque)
{
    for (GList *l = all_chardevs; l; l = l->next) {
        Chardev *chr = l->data;

        if (chr->id) {
            fn(chr->id, chr->filename, qemu_chr_is_connected(chr), opaque);
        }
    }
}

Chardev *qemu_chr_find(const char *id)
{
    return chardevs ? g_hash_table_lookup(chardevs, id) : NULL;
}

void qemu_chr_set_handlers(Chardev *chr, ChrReadFn *read, ChrEventFn *event,
                           void *opaque)
{
    chr->read = read;
    chr->event = event;
    chr->opaque = opaque;
    if (!chr->is_socket && chr->in_fd >= 0 && !chr->in_watch && read &&
        !chr->input_paused) {
        chr_watch_input(chr);
    }
    if (chr->is_socket && chr->in_fd >= 0 && event) {
        event(opaque, CHR_EVENT_OPENED);
    }
}

static ssize_t chr_write_some(Chardev *chr, const void *buf, size_t len)
{
    ssize_t n;

    do {
        n = write(chr->out_fd, buf, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return 0;
    }
    return n;
}

static gboolean chr_writable(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    ssize_t n = chr_write_some(chr, chr->outbuf->str + chr->out_pos,
                               chr->outbuf->len - chr->out_pos);

    if (n < 0) {
        chr->out_watch = 0;
        chr_close_peer(chr);
        return G_SOURCE_REMOVE;
    }
    chr->out_pos += n;
    if (chr->out_pos < chr->outbuf->len) {
        /* a memmove only once half is out: draining stays O(n) */
        if (chr->out_pos > chr->outbuf->len / 2) {
            g_string_erase(chr->outbuf, 0, chr->out_pos);
            chr->out_pos = 0;
        }
        return G_SOURCE_CONTINUE;
    }
    g_string_truncate(chr->outbuf, 0);
    chr->out_pos = 0;
    chr->out_watch = 0;
    if (chr->drained) {
        chr->drained(chr->opaque);
    }
    return G_SOURCE_REMOVE;
}

/* Writes what the peer takes now, queues the rest. */
static bool chr_write_queued(Chardev *chr, const uint8_t *p, size_t len)
{
    GIOChannel *ch;
    ssize_t n = 0;

    if (!chr->outbuf) {
        chr->outbuf = g_string_new(NULL);
    }
    if (!chr->outbuf->len) {
        n = chr_write_some(chr, p, len);
        if (n < 0) {
            chr_close_peer(chr);
            return false;
        }
    }
    if ((size_t)n == len) {
        return true;
    }
    if (chr->outbuf->len - chr->out_pos > CHR_MAX_OUTBUF) {
        chr_close_peer(chr);    /* it stopped reading long ago */
        return false;
    }
    g_string_append_len(chr->outbuf, (const char *)p + n, len - n);
    if (!chr->out_watch) {
        ch = g_io_channel_unix_new(chr->out_fd);
        chr->out_watch = g_io_add_watch(ch, G_IO_OUT | G_IO_ERR | G_IO_HUP,
                                        chr_writable, chr);
        g_io_channel_unref(ch);
    }
    return true;
}

bool qemu_chr_write_all(Chardev *chr, const void *buf, size_t len)
{
    return chr->out_fd >= 0 && chr_write_queued(chr, buf, len);
}

size_t qemu_chr_pending(Chardev *chr)
{
    return chr->outbuf ? chr->outbuf->len - chr->out_pos : 0;
}

void qemu_chr_set_drained_cb(Chardev *chr, void (*cb)(void *opaque))
{
    chr->drained = cb;
}

void qemu_chr_accept_input(Chardev *chr, bool on)
{
    chr->input_paused = !on;
    if (!on && chr->in_watch) {
        g_source_remove(chr->in_watch);
        chr->in_watch = 0;
    } else if (on && !chr->in_watch && chr->in_fd >= 0 && chr->read) {
        chr_watch_input(chr);
    }
}


bool qemu_chr_is_connected(Chardev *chr)
{
    return chr->out_fd >= 0;
}


/* Last words (a quit's reply, SHUTDOWN) get a bounded time to go out. */
static void chr_flush_at_exit(Chardev *chr, int64_t deadline_ms)
{
    while (chr->outbuf && chr->outbuf->len && chr->out_fd >= 0) {
        struct pollfd pfd = { .fd = chr->out_fd, .events = POLLOUT };
        int64_t left = deadline_ms - g_get_monotonic_time() / 1000;
        ssize_t n;

        if (left <= 0 ||
            poll(&pfd, 1, MIN(left, CHR_EXIT_STALL_MS)) <= 0) {
            break;      /* the peer is not reading: leave it */
        }
        n = chr_write_some(chr, chr->outbuf->str + chr->out_pos,
                           chr->outbuf->len - chr->out_pos);
        if (n <= 0) {
            break;
        }
        chr->out_pos += n;
        if (chr->out_pos == chr->outbuf->len) {
            g_string_truncate(chr->outbuf, 0);
            chr->out_pos = 0;
        }
    }
}

void qemu_chr_close_all(void)
{
    int64_t deadline = g_get_monotonic_time() / 1000 + CHR_EXIT_FLUSH_MS;

    for (GList *l = all_chardevs; l; l = l->next) {
        Chardev *chr = l->data;

        chr_flush_at_exit(chr, deadline);
        if (chr->path && chr->listen_fd >= 0) {
            unix_unlink_path(chr->path, &chr->path_id);
        }
    }
}
