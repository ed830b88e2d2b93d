/*
 * Process plumbing on POSIX hosts (system/os-posix.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_OS_POSIX_H
#define SYSEMU_OS_POSIX_H

/* SIGTERM/SIGINT/SIGHUP request a host-signal shutdown via the main loop. */
bool os_setup_signal_handling(Error **errp);
/* -daemonize: forks; the parent waits for os_setup_post() and exits. */
bool os_daemonize(Error **errp);
/* -pidfile: opens and locks now (refused when a live process holds it). */
bool qemu_pidfile_open(const char *path, Error **errp);
/* Ready: writes the pid file, releases a waiting -daemonize parent. */
bool os_setup_post(Error **errp);
/* -overcommit mem-lock=on */
bool os_mlock(Error **errp);
/* -name process=NAME */
void os_set_proc_name(const char *name);

#endif
