/*
 * Until hw/vfio/host-emu.c is merged: no emulated host exists.  Weak, so
 * the real vfio_host_emu_find() replaces it at link time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/vfio/vfio-common.h"

VFIOHost * __attribute__((weak)) vfio_host_emu_find(const char *id,
                                                    Error **errp)
{
    error_setg(errp, "host-emu='%s': no emulated VFIO host in this build",
               id);
    return NULL;
}
