/*
 * Process plumbing on POSIX hosts (system/os-posix.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_OS_POSIX_H
#define SYSEMU_OS_POSIX_H

/* SIGTERM/SIGINT/SIGHUP request a host-signal shutdown via the main loop. */
bool os_setup_signal_handling(Error **errp);

#endif
