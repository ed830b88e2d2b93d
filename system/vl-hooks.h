/*
 * Services main() starts after the machine: monitors (monitor/) and an
 * incoming migration (migration/).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSTEM_VL_HOOKS_H
#define SYSTEM_VL_HOOKS_H

bool vl_hook_monitors(GPtrArray *chardevs, GPtrArray *monitors,
                      GPtrArray *qmp, Error **errp);
bool vl_hook_incoming(const char *uri, Error **errp);

#endif
