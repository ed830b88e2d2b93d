/*
 * Until migration lands: refuse -incoming clearly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "vl-hooks.h"

bool vl_hook_incoming(const char *uri, Error **errp)
{
    error_setg(errp, "-incoming %s: migration is not available in this "
               "build", uri);
    return false;
}
