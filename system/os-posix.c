/*
 * Process plumbing on POSIX hosts: termination signals.
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
