/*
 * -sandbox: a seccomp filter built with libseccomp (system/qemu-seccomp.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_SECCOMP_H
#define SYSEMU_SECCOMP_H

bool qemu_seccomp_parse(const char *arg, Error **errp);
/* Installs the filter -sandbox on asked for (nothing otherwise). */
bool qemu_seccomp_install(Error **errp);
/* -sandbox spawn=deny is in force: fork/exec are refused. */
bool qemu_seccomp_spawn_denied(void);

#endif
