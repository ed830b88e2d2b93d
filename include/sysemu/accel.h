/*
 * Accelerators (system/accel.c): none runs a vCPU here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_ACCEL_H
#define SYSEMU_ACCEL_H

#define TYPE_ACCEL "accel"
#define ACCEL_CLASS_SUFFIX "-accel"

/* From -accel and -machine accel= (at most one of them). */
bool accel_select(const char *accel_opt, const char *machine_accel,
                  bool qtest, Error **errp);
/* "qtest" or "tcg" */
const char *current_accel_name(void);

#endif
