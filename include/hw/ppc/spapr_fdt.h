/*
 * Building the pseries device tree with libfdt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_PPC_SPAPR_FDT_H
#define HW_PPC_SPAPR_FDT_H

#include <libfdt.h>

/*
 * In a bool function with an Error **errp: evaluates a libfdt call and,
 * when it fails, sets errp ("device tree: WHAT: libfdt's reason") and
 * returns false.
 */
#define FDT_TRY(expr, what) do {                                          \
        int ret_ = (expr);                                                \
        if (ret_ < 0) {                                                   \
            error_setg(errp, "device tree: %s: %s", what,                 \
                       fdt_strerror(ret_));                               \
            return false;                                                 \
        }                                                                 \
    } while (0)

#endif
