/*
 * Accelerators (system/accel.c): none runs a vCPU here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_ACCEL_H
#define SYSEMU_ACCEL_H

#define TYPE_ACCEL "accel"
#define ACCEL_CLASS_SUFFIX "-accel"

/*
 * Checks -accel and -machine accel= (at most one of them, naming qtest
 * or tcg); both behave the same here, so nothing is recorded.
 */
bool accel_check(const char *accel_opt, const char *machine_accel,
                 Error **errp);

#endif
