/*
 * Clients that do not read (issue 13 items 3, 8 and 9):
 * - a 32 MiB qtest reply over a unix socket arrives whole, and the
 *   connection goes on;
 * - a qtest client on stdio or a socket that sends without reading
 *   stalls only itself: QMP keeps answering, and it gets every reply
 *   once it reads;
 * - a QMP client that never reads is disconnected past the output cap,
 *   and does not keep quit from ending the process;
 * - a line of 32 M blanks, or of too many words, is refused without the
 *   server's memory growing by more than the line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libqtest.h"
#include "libqos/qmp.h"

#define MAX_XFER        (16 * 1024 * 1024)
#define WAIT_TRIES      3000            /* x 10 ms: a bound, not a timing */

typedef struct Proc {
    pid_t pid;
    int to, from;               /* qtest on stdio, or on the socket */
    bool qtest_socket;
    char *dir, *qmp_path;
} Proc;

/* The binary with QMP on a socket and qtest on stdio or a socket. */
static Proc *proc_start(bool qtest_socket)
{
    Proc *p = g_new0(Proc, 1);
    g_autofree char *qt = NULL, *args = NULL, *qtpath = NULL;

    p->qtest_socket = qtest_socket;
    g_auto(GStrv) argv = NULL;
    int in[2], out[2], devnull = open("/dev/null", O_WRONLY);

    p->dir = g_dir_make_tmp("qtest-flow-XXXXXX", NULL);
    p->qmp_path = g_strdup_printf("%s/qmp.sock", p->dir);
    qtpath = g_strdup_printf("%s/qtest.sock", p->dir);
    qt = qtest_socket ? g_strdup_printf("unix:%s,server=on,wait=off", qtpath)
                      : g_strdup("stdio");
    args = g_strdup_printf("%s -M pseries-2.7 -m 1G -accel qtest -display "
                           "none -nodefaults -qtest %s -qmp unix:%s,"
                           "server=on,wait=off", qtest_binary(), qt,
                           p->qmp_path);
    g_assert_true(g_shell_parse_argv(args, NULL, &argv, NULL));
    g_assert_cmpint(pipe2(in, O_CLOEXEC), ==, 0);
    g_assert_cmpint(pipe2(out, O_CLOEXEC), ==, 0);
    p->pid = fork();
    g_assert_cmpint(p->pid, >=, 0);
    if (p->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(devnull, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(devnull);
    p->to = in[1];
    p->from = out[0];
    if (qtest_socket) {
        /* stdin stays open: a closed stdin is not a closed qtest socket */
        close(p->from);
        p->from = p->to = qtest_unix_connect(qtpath);
    }
    return p;
}

/* Waits (bounded) for the process to end; its exit status. */
static int proc_wait(Proc *p)
{
    int status;

    for (int i = 0; i < WAIT_TRIES; i++) {
        if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
            return status;
        }
        g_usleep(10000);
    }
    kill(p->pid, SIGKILL);
    waitpid(p->pid, &status, 0);
    g_assert_not_reached();
}

/*
 * Ends the qtest connection and the process: EOF on stdio ends it; a
 * socket client may leave and come back (as in QEMU), so then quit.
 */
static int proc_end(Proc *p)
{
    close(p->to);
    if (p->qtest_socket) {
        QMPClient *c = qmp_client_connect(p->qmp_path);

        qmp_client_negotiate(c);
        json_node_unref(qmp_cmd_ok(c, "{\"execute\": \"quit\"}"));
        qmp_client_close(c);
    }
    return proc_wait(p);
}

static void proc_free(Proc *p)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", p->dir);

    g_assert_cmpint(system(cmd), ==, 0);
    g_free(p->dir);
    g_free(p->qmp_path);
    g_free(p);
}

static void send_all(int fd, const char *s)
{
    size_t len = strlen(s);

    while (len) {
        ssize_t n = write(fd, s, len);

        g_assert_cmpint(n, >, 0);
        s += n;
        len -= n;
    }
}

/* One reply line (without its newline). */
static char *recv_line(int fd)
{
    GString *line = g_string_new(NULL);
    char buf[65536];

    for (;;) {
        ssize_t n = read(fd, buf, 1);

        g_assert_cmpint(n, ==, 1);
        if (buf[0] == '\n') {
            return g_string_free(line, false);
        }
        g_string_append_c(line, buf[0]);
        if (line->len > 16 && line->str[0] == 'O') {
            /* a big reply: the rest in large reads, up to its newline */
            char *nl;

            do {
                n = read(fd, buf, sizeof(buf));
                g_assert_cmpint(n, >, 0);
                nl = memchr(buf, '\n', n);
                g_string_append_len(line, buf, nl ? nl - buf : n);
            } while (!nl);
            g_assert_true(nl == buf + n - 1);   /* one reply at a time */
            return g_string_free(line, false);
        }
    }
}

static void assert_qmp_answers(Proc *p)
{
    QMPClient *c = qmp_client_connect(p->qmp_path);
    g_autoptr(JsonNode) r = NULL;

    qmp_client_negotiate(c);
    r = qmp_cmd_ok(c, "{\"execute\": \"query-status\"}");
    qmp_client_close(c);
}

/* item 3: a 32 MiB reply on a unix socket arrives whole */
static void test_big_reply_socket(void)
{
    Proc *p = proc_start(true);
    g_autofree char *ans = NULL, *ans2 = NULL;

    send_all(p->to, "memset 0 0x1000000 0xa5\n");
    g_free(recv_line(p->from));
    send_all(p->to, "read 0 0x1000000\n");
    ans = recv_line(p->from);
    g_assert_cmpuint(strlen(ans), ==, 5 + 2 * MAX_XFER);
    g_assert_true(g_str_has_prefix(ans, "OK 0xa5a5"));
    g_assert_cmpint(ans[5 + 2 * MAX_XFER - 1], ==, '5');
    send_all(p->to, "readb 0x10\n");
    ans2 = recv_line(p->from);
    g_assert_cmpstr(ans2, ==, "OK 0x00000000000000a5");
    g_assert_cmpint(proc_end(p), ==, 0);
    proc_free(p);
}

/* items 3 and 8: a qtest client that does not read stalls only itself */
static void non_reading_qtest(bool qtest_socket)
{
    Proc *p = proc_start(qtest_socket);
    const int n = 3;

    for (int i = 0; i < n; i++) {
        send_all(p->to, "read 0 0x1000000\n");
    }
    assert_qmp_answers(p);
    for (int i = 0; i < n; i++) {
        g_autofree char *ans = recv_line(p->from);

        g_assert_cmpuint(strlen(ans), ==, 5 + 2 * MAX_XFER);
    }
    if (p->from != p->to) {
        close(p->from);
    }
    g_assert_cmpint(proc_end(p), ==, 0);
    proc_free(p);
}

static void test_non_reading_stdio(void)
{
    non_reading_qtest(false);
}

static void test_non_reading_socket(void)
{
    non_reading_qtest(true);
}

/* Sends everything; false once the peer has closed the connection. */
static bool send_until_cut(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

        if (n <= 0) {
            return false;
        }
        s += n;
        len -= n;
    }
    return true;
}

/*
 * item 8: QMP replies nobody reads (each echoes a 512 KiB id): the client
 * is cut off past the output cap, and does not keep quit from ending it.
 */
static void test_qmp_not_reading(void)
{
    Proc *p = proc_start(false);
    int fd = qtest_unix_connect(p->qmp_path);
    g_autofree char *big = g_strnfill(512 << 10, 'x');
    g_autofree char *cmd = g_strdup_printf(
        "{\"execute\": \"query-status\", \"id\": \"%s\"}\n", big);
    const char *caps = "{\"execute\": \"qmp_capabilities\"}\n";
    int sent = 0;

    send_all(fd, caps);
    while (sent < 200 && send_until_cut(fd, cmd, strlen(cmd))) {
        sent++;
    }
    g_test_message("cut off after %d commands", sent);
    g_assert_cmpint(sent, <, 200);
    assert_qmp_answers(p);      /* the monitor takes a new client */
    /* another one that never reads, then qtest EOF: the process ends */
    close(fd);
    fd = qtest_unix_connect(p->qmp_path);
    send_all(fd, caps);
    for (int i = 0; i < 8; i++) {
        send_until_cut(fd, cmd, strlen(cmd));
    }
    g_assert_cmpint(proc_end(p), ==, 0);
    close(fd);
    close(p->from);
    proc_free(p);
}

static uint64_t proc_kb(pid_t pid, const char *field)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    const char *f;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    f = strstr(text, field);
    g_assert_nonnull(f);
    return g_ascii_strtoull(f + strlen(field) + 1, NULL, 10);
}

/* item 9: 32 M blanks, and 65 words, refused in bounded memory */
static void test_blank_line(void)
{
    Proc *p = proc_start(true);
    size_t len = 2 * MAX_XFER;
    g_autofree char *line = g_malloc(len + 2);
    g_autofree char *ans = NULL, *ans2 = NULL;
    GString *words = g_string_new("readb");
    uint64_t hwm0;

    send_all(p->to, "endianness\n");
    g_free(recv_line(p->from));
    hwm0 = proc_kb(p->pid, "VmHWM:");
    memset(line, ' ', len);
    line[len] = '\n';
    line[len + 1] = 0;
    send_all(p->to, line);
    ans = recv_line(p->from);
    g_assert_cmpstr(ans, ==, "ERR empty command");
    /*
     * the line and a copy or two of it (more under ASAN), not the 2 GiB
     * of a word array of 32 M entries
     */
    g_assert_cmpuint(proc_kb(p->pid, "VmHWM:"), <, hwm0 + 8 * len / 1024);
    for (int i = 0; i < 64; i++) {
        g_string_append(words, " 0");
    }
    g_string_append_c(words, '\n');
    send_all(p->to, words->str);
    ans2 = recv_line(p->from);
    g_assert_cmpstr(ans2, ==, "ERR more than 64 words");
    g_string_free(words, true);
    g_assert_cmpint(proc_end(p), ==, 0);
    proc_free(p);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qtest/flow/big-reply-socket", test_big_reply_socket);
    g_test_add_func("/qtest/flow/non-reading-stdio", test_non_reading_stdio);
    g_test_add_func("/qtest/flow/non-reading-socket",
                    test_non_reading_socket);
    g_test_add_func("/qtest/flow/qmp-not-reading", test_qmp_not_reading);
    g_test_add_func("/qtest/flow/blank-line", test_blank_line);
    return g_test_run();
}
