/*
 * Process plumbing on POSIX hosts: termination signals, -daemonize,
 * -pidfile, -overcommit mem-lock, -name process=.
 *
 * DOC: termination signals
 *
 * SIGTERM, SIGINT and SIGHUP end the process through the main loop, as in
 * QEMU: the handler only records the signal number and sender pid and
 * writes one byte to a non-blocking self-pipe; the main loop reads it,
 * requests a shutdown with cause host-signal, logs "terminating on signal
 * N from pid P (NAME)", emits SHUTDOWN {"guest": false, "reason":
 * "host-signal"} and exits 0.  Nothing is blocked in the signal mask, so
 * children (exec: migration) start with the default mask.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <glib-unix.h>
#include "sysemu/sysemu.h"
#include "sysemu/os-posix.h"

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_number;
static volatile sig_atomic_t sig_pid;

static void termsig_handler(int signal, siginfo_t *info, void *c)
{
    int saved_errno = errno;
    char b = 0;

    sig_number = signal;
    sig_pid = info ? info->si_pid : 0;
    if (write(sig_pipe[1], &b, 1) < 0) {
        /* the pipe is full: a wake-up is already pending */
    }
    errno = saved_errno;
}

static gboolean termsig_dispatch(gint fd, GIOCondition cond, gpointer opaque)
{
    char buf[64];

    while (read(fd, buf, sizeof(buf)) > 0) {
        /* drain */
    }
    if (sig_number) {
        qemu_system_killed(sig_number, sig_pid);
        sig_number = 0;
    }
    return G_SOURCE_CONTINUE;
}

bool os_setup_signal_handling(Error **errp)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    struct sigaction act = { 0 };
    GError *gerr = NULL;

    if (sig_pipe[0] >= 0) {
        return true;
    }
    if (!g_unix_open_pipe(sig_pipe, FD_CLOEXEC, &gerr) ||
        !g_unix_set_fd_nonblocking(sig_pipe[0], true, &gerr) ||
        !g_unix_set_fd_nonblocking(sig_pipe[1], true, &gerr)) {
        error_setg(errp, "signal pipe: %s", gerr->message);
        g_error_free(gerr);
        return false;
    }
    g_unix_fd_add(sig_pipe[0], G_IO_IN, termsig_dispatch, NULL);
    act.sa_sigaction = termsig_handler;
    act.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&act.sa_mask);
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
        sigaction(sigs[i], &act, NULL);
    }
    return true;
}

/*
 * DOC: -daemonize and -pidfile
 *
 * The parent forks and waits on a pipe; the child runs the whole start-up
 * (machine, devices, monitors), writes the pid file, then sends one byte
 * and points its stdin/stdout/stderr at /dev/null, so that a caller
 * reading our output (libvirt) sees EOF.  The parent exits 0 only on that
 * byte, 1 when the child died first (its error message went to the
 * caller's stderr, which the child still had).
 *
 * The pid file is opened and locked (lockf) at start-up: a file locked by
 * a live process is refused.  It stays locked while we run, gets our pid
 * once we are ready, and is removed at exit.
 */
static int daemon_pipe = -1;
static int pidfile_fd = -1;
static char *pidfile_path;

static QEMU_NORETURN void daemon_parent_wait(int fd)
{
    char status = 1;
    ssize_t n;

    do {
        n = read(fd, &status, 1);
    } while (n < 0 && errno == EINTR);
    _exit(n == 1 && status == 0 ? 0 : 1);
}

bool os_daemonize(Error **errp)
{
    int fds[2];
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        error_setg_errno(errp, errno, "-daemonize: pipe");
        return false;
    }
    pid = fork();
    if (pid < 0) {
        error_setg_errno(errp, errno, "-daemonize: fork");
        return false;
    }
    if (pid > 0) {
        close(fds[1]);
        daemon_parent_wait(fds[0]);
    }
    close(fds[0]);
    daemon_pipe = fds[1];
    setsid();
    umask(027);
    return true;
}

static void pidfile_remove(void)
{
    if (pidfile_path && pidfile_fd >= 0) {
        unlink(pidfile_path);
    }
}

bool qemu_pidfile_open(const char *path, Error **errp)
{
    struct stat a, b;
    int fd;

    for (;;) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            error_setg_errno(errp, errno, "-pidfile %s: cannot open", path);
            return false;
        }
        if (lockf(fd, F_TLOCK, 0) < 0) {
            error_setg_errno(errp, errno, "-pidfile %s: cannot lock pid file "
                             "(another process holds it)", path);
            close(fd);
            return false;
        }
        /* The holder may have unlinked it between our open and lock. */
        if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
            a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            break;
        }
        close(fd);
    }
    pidfile_fd = fd;
    pidfile_path = g_strdup(path);
    atexit(pidfile_remove);
    return true;
}

static bool pidfile_write(Error **errp)
{
    g_autofree char *text = g_strdup_printf("%d\n", (int)getpid());

    if (ftruncate(pidfile_fd, 0) < 0 ||
        pwrite(pidfile_fd, text, strlen(text), 0) != (ssize_t)strlen(text)) {
        error_setg_errno(errp, errno, "-pidfile %s: cannot write",
                         pidfile_path);
        return false;
    }
    return true;
}

bool os_setup_post(Error **errp)
{
    char ok = 0;
    int null;

    if (pidfile_fd >= 0 && !pidfile_write(errp)) {
        return false;
    }
    if (daemon_pipe < 0) {
        return true;
    }
    null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || chdir("/") < 0) {
        error_setg_errno(errp, errno, "-daemonize: /dev/null");
        return false;
    }
    if (write(daemon_pipe, &ok, 1) != 1) {
        error_setg_errno(errp, errno, "-daemonize: parent");
        return false;
    }
    close(daemon_pipe);
    daemon_pipe = -1;
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    close(null);
    return true;
}

bool os_mlock(Error **errp)
{
    if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
        error_setg_errno(errp, errno, "-overcommit mem-lock=on: locking "
                         "memory failed");
        return false;
    }
    return true;
}

void os_set_proc_name(const char *name)
{
    char comm[16] = { 0 };

    g_strlcpy(comm, name, sizeof(comm));
    prctl(PR_SET_NAME, comm);
}
