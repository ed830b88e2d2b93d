/*
 * libqtest: a qtest client over pipes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libqtest.h"

struct QTestState {
    pid_t pid;
    FILE *to, *from;
    char *errfile;
};

const char *qtest_binary(void)
{
    const char *b = g_getenv("SPAPR_DDW_BIN");

    return b ? b : "build/spapr-ddw";
}

bool qtest_slow_enabled(void)
{
    return g_test_slow() || g_getenv("SPAPR_DDW_SLOW");
}

pid_t qtest_pid(QTestState *s)
{
    return s->pid;
}

static char **qtest_argv(const char *args)
{
    g_autofree char *cmd = g_strdup_printf("%s %s", qtest_binary(), args);
    g_autoptr(GError) err = NULL;
    char **argv = NULL;

    if (!g_shell_parse_argv(cmd, NULL, &argv, &err)) {
        g_error("bad qtest command line '%s': %s", cmd, err->message);
    }
    return argv;
}

/*
 * In the child, before exec: die with the test.  The signal comes when the
 * thread that forked exits, however it exits (an assertion's abort
 * included); a test that died before the prctl is caught by the parent
 * check.
 */
void qtest_child_setup(gpointer parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != GPOINTER_TO_INT(parent)) {
        _exit(127);
    }
}

/*
 * SPAPR_DDW_QTEST_ABORT=1 (or =a GLib test path, for that test only):
 * the test fails an assertion right after starting the binary.  The
 * process is left in the worst state for the harness: it holds the
 * test's stderr and the write end of its own qtest input, so it never
 * sees an end of file (like one still busy, or serving a socket nobody
 * connected to).  tests/unit/test-run-tests.py proves that it still dies
 * with the test, and that the suite still ends and reports the failure.
 */
static bool qtest_deliberate_abort(void)
{
    const char *v = g_getenv("SPAPR_DDW_QTEST_ABORT");

    return v && (!strcmp(v, "1") ||
                 (g_test_get_path() && !strcmp(v, g_test_get_path())));
}

/* Forks the binary with stdin/stdout on pipes and stderr to a file. */
static pid_t spawn(const char *args, int *to_fd, int *from_fd, int err_fd)
{
    g_auto(GStrv) argv = qtest_argv(args);
    int in[2], out[2];
    pid_t parent = getpid(), pid;
    bool hold_input = qtest_deliberate_abort();

    /* Close-on-exec: a second process must not hold this one's pipes. */
    g_assert_cmpint(pipe2(in, O_CLOEXEC), ==, 0);
    g_assert_cmpint(pipe2(out, O_CLOEXEC), ==, 0);
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        qtest_child_setup(GINT_TO_POINTER(parent));
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err_fd, 2);
        if (hold_input) {
            /* Never sees EOF: only the death signal can end it. */
            fcntl(in[1], F_SETFD, 0);
        } else {
            close(in[1]);
        }
        close(out[0]);
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    *to_fd = in[1];
    *from_fd = out[0];
    return pid;
}

QTestState *qtest_init_bare(const char *args)
{
    QTestState *s = g_new0(QTestState, 1);
    g_autofree char *full = g_strdup_printf("-qtest stdio %s", args);
    int err_fd, to_fd, from_fd;

    /*
     * A machine may exit while we still hold pipes or sockets to it (QMP
     * quit, power-off): writes must then fail with EPIPE, not kill the
     * test with SIGPIPE.
     */
    signal(SIGPIPE, SIG_IGN);

    s->errfile = g_build_filename(g_get_tmp_dir(), "qtest-err-XXXXXX", NULL);
    err_fd = g_mkstemp(s->errfile);
    g_assert_cmpint(err_fd, >=, 0);
    if (qtest_deliberate_abort()) {
        dup2(STDERR_FILENO, err_fd);
    }
    s->pid = spawn(full, &to_fd, &from_fd, err_fd);
    close(err_fd);
    s->to = fdopen(to_fd, "w");
    s->from = fdopen(from_fd, "r");
    if (qtest_deliberate_abort()) {
        g_free(qtest_raw(s, "deliberate-abort"));   /* it is up and serving */
        g_printerr("SPAPR_DDW_QTEST_ABORT: deliberate failure, spapr-ddw "
                   "(pid %d) running\n", (int)s->pid);
        g_assert_not_reached();
    }
    return s;
}

QTestState *qtest_init(const char *extra_args)
{
    g_autofree char *args = g_strdup_printf(
        "-M pseries-2.7 -m 4G -accel qtest -display none -nodefaults -S %s",
        extra_args ? extra_args : "");

    return qtest_init_bare(args);
}

QTestState *qtest_initf(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *extra = NULL;

    va_start(ap, fmt);
    extra = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return qtest_init(extra);
}

char *qtest_stderr(QTestState *s)
{
    char *text = NULL;

    if (!s->errfile) {
        return g_strdup("(a machine we did not start)");
    }
    g_file_get_contents(s->errfile, &text, NULL, NULL);
    return text ? text : g_strdup("");
}

int qtest_unix_connect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    g_assert_cmpuint(strlen(path), <, sizeof(sa.sun_path));
    strcpy(sa.sun_path, path);
    /* a bound, not a timing: the server may not be listening yet */
    for (int i = 0; i < 3000; i++) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        g_assert_cmpint(fd, >=, 0);
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            return fd;
        }
        close(fd);
        g_usleep(10 * 1000);
    }
    g_error("cannot connect to %s: %s", path, g_strerror(errno));
    return -1;
}

QTestState *qtest_connect(const char *path)
{
    QTestState *s = g_new0(QTestState, 1);
    int fd = qtest_unix_connect(path);  /* waits for a starting machine */

    signal(SIGPIPE, SIG_IGN);
    s->to = fdopen(dup(fd), "w");
    s->from = fdopen(fd, "r");
    return s;
}

void qtest_quit(QTestState *s)
{
    int status = 0;

    fclose(s->to);
    fclose(s->from);
    if (!s->pid) {
        g_free(s);      /* qtest_connect(): the machine keeps running */
        return;
    }
    g_assert_cmpint(waitpid(s->pid, &status, 0), ==, s->pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        g_autofree char *err = qtest_stderr(s);

        g_test_message("spapr-ddw stderr:\n%s", err);
        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    }
    unlink(s->errfile);
    g_free(s->errfile);
    g_free(s);
}

void qtest_send_line(QTestState *s, const char *line)
{
    fprintf(s->to, "%s\n", line);
    fflush(s->to);
}

char *qtest_receive_line(QTestState *s)
{
    g_autofree char *buf = NULL;
    size_t cap = 0;
    ssize_t n;

    n = getline(&buf, &cap, s->from);
    if (n <= 0) {
        g_autofree char *err = qtest_stderr(s);

        g_error("spapr-ddw closed the connection: %s", err);
    }
    g_strchomp(buf);
    return g_steal_pointer(&buf);
}

bool qtest_peek_line(QTestState *s, char **line)
{
    size_t cap = 0;

    *line = NULL;
    if (getline(line, &cap, s->from) <= 0) {
        free(*line);
        *line = NULL;
        return false;
    }
    g_strchomp(*line);
    return true;
}

/* Answers are read whole, so nothing sits in s->from's buffer here. */
bool qtest_answer_arrived(QTestState *s)
{
    struct pollfd p = { .fd = fileno(s->from), .events = POLLIN };

    return poll(&p, 1, 0) == 1;
}

char *qtest_raw(QTestState *s, const char *line)
{
    qtest_send_line(s, line);
    return qtest_receive_line(s);
}

gchar **qtest_okf(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *line = NULL;
    g_autofree char *ans = NULL;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    ans = qtest_raw(s, line);
    if (strncmp(ans, "OK", 2)) {
        g_error("'%.200s' answered '%s'", line, ans);
    }
    return g_strsplit(ans, " ", -1);
}

static uint64_t qtest_read_n(QTestState *s, const char *verb, uint64_t addr)
{
    g_auto(GStrv) w = qtest_okf(s, "%s 0x%" PRIx64, verb, addr);

    g_assert_nonnull(w[1]);
    return g_ascii_strtoull(w[1], NULL, 0);
}

uint8_t qtest_readb(QTestState *s, uint64_t a) { return qtest_read_n(s, "readb", a); }
uint16_t qtest_readw(QTestState *s, uint64_t a) { return qtest_read_n(s, "readw", a); }
uint32_t qtest_readl(QTestState *s, uint64_t a) { return qtest_read_n(s, "readl", a); }
uint64_t qtest_readq(QTestState *s, uint64_t a) { return qtest_read_n(s, "readq", a); }

static void qtest_write_n(QTestState *s, const char *verb, uint64_t addr,
                          uint64_t v)
{
    g_strfreev(qtest_okf(s, "%s 0x%" PRIx64 " 0x%" PRIx64, verb, addr, v));
}

void qtest_writeb(QTestState *s, uint64_t a, uint8_t v) { qtest_write_n(s, "writeb", a, v); }
void qtest_writew(QTestState *s, uint64_t a, uint16_t v) { qtest_write_n(s, "writew", a, v); }
void qtest_writel(QTestState *s, uint64_t a, uint32_t v) { qtest_write_n(s, "writel", a, v); }
void qtest_writeq(QTestState *s, uint64_t a, uint64_t v) { qtest_write_n(s, "writeq", a, v); }

void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size)
{
    g_auto(GStrv) w = qtest_okf(s, "read 0x%" PRIx64 " 0x%zx", addr, size);
    uint8_t *p = buf;

    g_assert_nonnull(w[1]);
    g_assert_cmpuint(strlen(w[1]), ==, 2 + 2 * size);
    for (size_t i = 0; i < size; i++) {
        char hex[3] = { w[1][2 + 2 * i], w[1][3 + 2 * i], 0 };

        p[i] = strtoul(hex, NULL, 16);
    }
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size)
{
    GString *line = g_string_new("");
    const uint8_t *p = buf;
    g_autofree char *ans = NULL;

    g_string_printf(line, "write 0x%" PRIx64 " 0x%zx 0x", addr, size);
    for (size_t i = 0; i < size; i++) {
        g_string_append_printf(line, "%02x", p[i]);
    }
    if (!size) {
        g_string_append(line, "00");
    }
    ans = qtest_raw(s, line->str);
    g_string_free(line, true);
    g_assert_cmpstr(ans, ==, "OK");
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t v, size_t size)
{
    g_strfreev(qtest_okf(s, "memset 0x%" PRIx64 " 0x%zx 0x%x", addr, size, v));
}

int64_t qtest_clock_step(QTestState *s, int64_t ns)
{
    g_auto(GStrv) w = qtest_okf(s, "clock_step %" PRId64, ns);

    return g_ascii_strtoll(w[1], NULL, 10);
}

uint64_t qtest_rtas_call(QTestState *s, const char *name, uint32_t nargs,
                         uint64_t args, uint32_t nret, uint64_t rets)
{
    g_auto(GStrv) w = qtest_okf(s, "rtas %s %u 0x%" PRIx64 " %u 0x%" PRIx64,
                                name, nargs, args, nret, rets);

    return g_ascii_strtoull(w[1], NULL, 10);
}

void qtest_hcall(QTestState *s, uint64_t opcode, int nargs,
                 const uint64_t *args, uint64_t r[9])
{
    GString *line = g_string_new("");
    gchar **w;

    g_string_printf(line, "hcall 0x%" PRIx64, opcode);
    for (int i = 0; i < nargs; i++) {
        g_string_append_printf(line, " 0x%" PRIx64, args[i]);
    }
    w = qtest_okf(s, "%s", line->str);
    g_string_free(line, true);
    for (int i = 0; i < 9; i++) {
        g_assert_nonnull(w[1 + i]);
        r[i] = g_ascii_strtoull(w[1 + i], NULL, 16);
    }
    g_strfreev(w);
}

int qtest_run_cmdline(const char *args, char **out, char **err)
{
    g_auto(GStrv) argv = qtest_argv(args);
    g_autoptr(GError) gerr = NULL;
    int status = -1;

    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL,
                      qtest_child_setup, GINT_TO_POINTER(getpid()),
                      out, err, &status, &gerr)) {
        g_error("cannot run %s: %s", argv[0], gerr->message);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
