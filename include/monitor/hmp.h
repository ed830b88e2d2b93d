/*
 * The human monitor: "info" views and a few commands, registered from the
 * file that owns the data, e.g.
 *
 *     hmp_register_info("spapr-dma", "show the PHBs' DMA windows",
 *                       hmp_info_spapr_dma);
 *
 * Output lines end in "\r\n", as QEMU's monitor writes them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_HMP_H
#define MONITOR_HMP_H

/* Appends the view to out. */
typedef void HmpInfoFn(GString *out);
/* A command; args is the rest of the line (may be ""). */
typedef void HmpCommandFn(const char *args, GString *out);

void hmp_register_info(const char *name, const char *help, HmpInfoFn *fn);
void hmp_register_command(const char *name, const char *help,
                          HmpCommandFn *fn);
/* Runs one command line and returns everything it printed. */
char *hmp_run_command(const char *line);
/* printf into out, turning each "\n" into "\r\n". */
void hmp_printf(GString *out, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

#endif
