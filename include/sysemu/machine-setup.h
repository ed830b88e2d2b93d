/*
 * The machine and its devices from the command line
 * (hw/core/machine-setup.c).  Plain strings in, exit(1) with a message
 * naming the option on any error: these run before the machine exists.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_MACHINE_SETUP_H
#define SYSEMU_MACHINE_SETUP_H

/* -machine help, -device help and -device TYPE,help: print and exit 0. */
void machine_setup_help(const char *machine_opts, GPtrArray *devices);
/* -global DRIVER.PROPERTY=VALUE */
void machine_setup_global(const char *optarg);
/* -machine, -m and -mem-path: the machine, its RAM, its init. */
void machine_setup_create(const char *machine_opts, const char *mem_opts,
                          const char *mem_path);
/* The first reset; -machine dumpdtb= writes the tree and exits. */
void machine_setup_done(void);

#endif
