/*
 * Until QMP lands: refuse monitor options clearly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "vl-hooks.h"

bool vl_hook_monitors(GPtrArray *chardevs, GPtrArray *monitors,
                      GPtrArray *qmp, Error **errp)
{
    if (chardevs || monitors || qmp) {
        error_setg(errp, "-qmp/-mon/-chardev: monitors are not available "
                   "in this build");
        return false;
    }
    return true;
}
