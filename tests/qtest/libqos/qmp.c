/*
 * QMP client for qtests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "libqos/qmp.h"

struct QMPClient {
    int fd;
    GString *in;                /* bytes read, not yet a full line */
    GQueue events;              /* JsonObject */
    JsonObject *greeting;
    char *dir;                  /* the socket's temporary directory */
    char *path;
};

/* Reads one line (without CR LF); NULL when the server closed. */
static char *read_line(QMPClient *c)
{
    for (;;) {
        char *nl = memchr(c->in->str, '\n', c->in->len);
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        char buf[4096];
        ssize_t n;

        if (nl) {
            size_t len = nl - c->in->str;
            char *line = g_strndup(c->in->str, len);

            g_string_erase(c->in, 0, len + 1);
            return g_strchomp(line);
        }
        g_assert_cmpint(poll(&pfd, 1, QMP_CLIENT_TIMEOUT_MS), ==, 1);
        n = read(c->fd, buf, sizeof(buf));
        if (n <= 0) {
            return NULL;
        }
        g_string_append_len(c->in, buf, n);
    }
}

static JsonObject *parse_object(const char *line)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) err = NULL;
    JsonNode *root;

    if (!json_parser_load_from_data(parser, line, -1, &err)) {
        g_error("QMP server sent invalid JSON '%s': %s", line, err->message);
    }
    root = json_parser_get_root(parser);
    g_assert_true(root && JSON_NODE_HOLDS_OBJECT(root));
    return json_object_ref(json_node_get_object(root));
}

/* The next message from the server, or NULL when it closed. */
static JsonObject *read_message(QMPClient *c)
{
    g_autofree char *line = read_line(c);

    return line ? parse_object(line) : NULL;
}

QMPClient *qmp_client_connect(const char *path)
{
    QMPClient *c = g_new0(QMPClient, 1);

    c->in = g_string_new(NULL);
    g_queue_init(&c->events);
    /*
     * The server serves one client at a time and turns others away; the
     * previous client's close may not have been seen yet: try again.
     */
    for (int i = 0; i < 500 && !c->greeting; i++) {
        c->fd = qtest_unix_connect(path);
        c->greeting = read_message(c);
        if (!c->greeting) {
            close(c->fd);
            g_string_truncate(c->in, 0);
            g_usleep(10 * 1000);
        }
    }
    g_assert_nonnull(c->greeting);
    g_assert_true(json_object_has_member(c->greeting, "QMP"));
    return c;
}

void qmp_send_with_fd(QMPClient *c, int fd, const char *text)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control = { 0 };
    struct iovec iov = { (void *)text, strlen(text) };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.buf,
                          .msg_controllen = sizeof(control.buf) };
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &fd, sizeof(int));
    g_assert_cmpint(sendmsg(c->fd, &msg, 0), ==, (ssize_t)strlen(text));
}

QMPClient *qmp_client_from_fd(int fd)
{
    QMPClient *c = g_new0(QMPClient, 1);

    c->in = g_string_new(NULL);
    g_queue_init(&c->events);
    c->fd = fd;
    c->greeting = read_message(c);
    g_assert_nonnull(c->greeting);
    g_assert_true(json_object_has_member(c->greeting, "QMP"));
    return c;
}

void qmp_client_close(QMPClient *c)
{
    qmp_events_clear(c);
    close(c->fd);
    g_string_free(c->in, true);
    json_object_unref(c->greeting);
    g_free(c->path);
    g_free(c->dir);
    g_free(c);
}

JsonObject *qmp_client_greeting(QMPClient *c)
{
    return c->greeting;
}

void qmp_client_negotiate(QMPClient *c)
{
    g_autoptr(JsonNode) ret =
        qmp_cmd_ok(c, "{\"execute\": \"qmp_capabilities\"}");

    g_assert_true(JSON_NODE_HOLDS_OBJECT(ret));
}

void qmp_send_raw(QMPClient *c, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(c->fd, p, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

JsonObject *qmp_receive(QMPClient *c)
{
    for (;;) {
        JsonObject *msg = read_message(c);

        g_assert_nonnull(msg);
        if (!json_object_has_member(msg, "event")) {
            return msg;
        }
        g_queue_push_tail(&c->events, msg);
    }
}

char *qmp_receive_line(QMPClient *c)
{
    for (;;) {
        char *line = read_line(c);
        JsonObject *msg;

        g_assert_nonnull(line);
        msg = parse_object(line);
        if (!json_object_has_member(msg, "event")) {
            json_object_unref(msg);
            return line;
        }
        g_queue_push_tail(&c->events, msg);
        g_free(line);
    }
}

static JsonObject *qmp_cmdv(QMPClient *c, const char *fmt, va_list ap)
{
    g_autofree char *cmd = g_strdup_vprintf(fmt, ap);
    /* One write: after "quit" the peer may be gone before a second one. */
    g_autofree char *text = g_strconcat(cmd, "\n", NULL);

    qmp_send_raw(c, text, strlen(text));
    return qmp_receive(c);
}

JsonObject *qmp_cmd(QMPClient *c, const char *fmt, ...)
{
    va_list ap;
    JsonObject *r;

    va_start(ap, fmt);
    r = qmp_cmdv(c, fmt, ap);
    va_end(ap);
    return r;
}

static char *object_text(JsonObject *o)
{
    g_autoptr(JsonNode) n = json_node_new(JSON_NODE_OBJECT);

    json_node_set_object(n, o);
    return json_to_string(n, false);
}

JsonObject *qmp_ret_object(JsonNode *ret)
{
    g_assert_true(JSON_NODE_HOLDS_OBJECT(ret));
    return json_node_get_object(ret);
}

JsonArray *qmp_ret_array(JsonNode *ret)
{
    g_assert_true(JSON_NODE_HOLDS_ARRAY(ret));
    return json_node_get_array(ret);
}

JsonNode *qmp_cmd_ok(QMPClient *c, const char *fmt, ...)
{
    va_list ap;
    JsonObject *r;
    JsonNode *ret;

    va_start(ap, fmt);
    r = qmp_cmdv(c, fmt, ap);
    va_end(ap);
    if (!json_object_has_member(r, "return")) {
        g_autofree char *text = object_text(r);

        g_error("QMP command failed: %s", text);
    }
    ret = json_node_copy(json_object_get_member(r, "return"));
    json_object_unref(r);
    return ret;
}

char *qmp_cmd_err(QMPClient *c, const char *cls, const char *fmt, ...)
{
    va_list ap;
    JsonObject *r, *err;
    char *desc;

    va_start(ap, fmt);
    r = qmp_cmdv(c, fmt, ap);
    va_end(ap);
    if (!json_object_has_member(r, "error")) {
        g_autofree char *text = object_text(r);

        g_error("QMP command should have failed: %s", text);
    }
    err = json_object_get_object_member(r, "error");
    g_assert_cmpstr(json_object_get_string_member(err, "class"), ==, cls);
    desc = g_strdup(json_object_get_string_member(err, "desc"));
    json_object_unref(r);
    return desc;
}

static JsonObject *event_take(QMPClient *c, const char *name)
{
    for (GList *l = c->events.head; l; l = l->next) {
        JsonObject *ev = l->data;

        if (!strcmp(json_object_get_string_member(ev, "event"), name)) {
            g_queue_delete_link(&c->events, l);
            return ev;
        }
    }
    return NULL;
}

JsonObject *qmp_event_wait(QMPClient *c, const char *name)
{
    JsonObject *ev;

    while (!(ev = event_take(c, name))) {
        JsonObject *msg = read_message(c);

        g_assert_nonnull(msg);
        g_assert_true(json_object_has_member(msg, "event"));
        g_queue_push_tail(&c->events, msg);
    }
    return ev;
}

unsigned qmp_event_count(QMPClient *c, const char *name)
{
    unsigned n = 0;

    for (GList *l = c->events.head; l; l = l->next) {
        n += !strcmp(json_object_get_string_member(l->data, "event"), name);
    }
    return n;
}

void qmp_events_clear(QMPClient *c)
{
    JsonObject *ev;

    while ((ev = g_queue_pop_head(&c->events))) {
        json_object_unref(ev);
    }
}

QMPClient *qmp_test_start(QTestState **qts, const char *fmt, ...)
{
    g_autofree char *dir = g_dir_make_tmp("qmp-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "qmp.sock", NULL);
    g_autofree char *extra = NULL;
    va_list ap;
    QMPClient *c;

    g_assert_nonnull(dir);
    va_start(ap, fmt);
    extra = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    *qts = qtest_initf("-qmp unix:%s,server=on,wait=off %s", path, extra);
    c = qmp_client_connect(path);
    c->dir = g_steal_pointer(&dir);
    c->path = g_steal_pointer(&path);
    qmp_client_negotiate(c);
    return c;
}

void qmp_test_end(QTestState *qts, QMPClient *c)
{
    g_autofree char *dir = g_strdup(c->dir);
    g_autofree char *path = g_strdup(c->path);

    qmp_client_close(c);
    qtest_quit(qts);
    if (path) {
        unlink(path);
    }
    if (dir) {
        rmdir(dir);
    }
}
