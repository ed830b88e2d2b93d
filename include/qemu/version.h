/*
 * The QEMU version this program answers as (query-version, -version, the
 * human monitor): management tools compare it against what they need
 * (libvirt 9.0 wants 4.2.0 or later).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_VERSION_H
#define QEMU_VERSION_H

#define QEMU_VERSION_MAJOR 7
#define QEMU_VERSION_MINOR 2
#define QEMU_VERSION_MICRO 50
#define QEMU_VERSION G_STRINGIFY(QEMU_VERSION_MAJOR) "." \
                     G_STRINGIFY(QEMU_VERSION_MINOR) "." \
                     G_STRINGIFY(QEMU_VERSION_MICRO)

#endif
