/*
 * What other subsystems take from the monitor: file descriptors a QMP
 * client passed with getfd (migration's fd:NAME).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

/* Removes the descriptor named name and returns it (the caller owns it). */
int monitor_fd_take(const char *name, Error **errp);

#endif
