/*
 * Until the VFIO container lands: no PHB has a container.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/vfio/vfio-spapr-info.h"

bool vfio_spapr_get_info(AddressSpace *as, VFIOSpaprInfo *info)
{
    return false;
}
