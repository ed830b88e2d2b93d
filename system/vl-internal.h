/*
 * Start-up steps of system/vl.c, in the order main() runs them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSTEM_VL_INTERNAL_H
#define SYSTEM_VL_INTERNAL_H

void vl_setup_logging(const char *logfile, const char *items,
                      GPtrArray *traces);
void vl_check_accel(const char *accel, const char *machine_opts);
/* vl-opts.c: -name, -uuid, -msg, -smp, -cpu, -rtc, -boot, ... */
void vl_apply_options(GPtrArray *procopts);
void vl_apply_late_options(void);
void vl_create_objects(GPtrArray *objects);
void vl_create_devices(GPtrArray *devices);
void vl_start_servers(const char *qtest_spec, const char *qtest_log,
                      GPtrArray *chardevs, GPtrArray *monitors,
                      GPtrArray *qmp);
void vl_start(bool paused, const char *incoming);
int vl_main_loop(void);

#endif
