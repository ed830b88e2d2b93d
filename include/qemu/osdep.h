/*
 * spapr-ddw: common definitions included first by every source file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_OSDEP_H
#define QEMU_OSDEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <unistd.h>
#include <glib.h>

typedef uint64_t hwaddr;

#ifndef container_of
#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#include "qapi/error.h"

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#define QEMU_ALIGN_DOWN(n, m) ((n) / (m) * (m))
#define QEMU_ALIGN_UP(n, m) QEMU_ALIGN_DOWN((n) + (m) - 1, (m))
#define QEMU_IS_ALIGNED(n, m) (((n) % (m)) == 0)
#define QEMU_NORETURN __attribute__((noreturn))

/* Registration of types, RTAS calls and hcalls from the file that owns them. */
#define type_init(fn) \
    static void __attribute__((constructor)) do_qemu_init_##fn(void) { fn(); }

static inline int ctz64(uint64_t v)
{
    return v ? __builtin_ctzll(v) : 64;
}

static inline int clz64(uint64_t v)
{
    return v ? __builtin_clzll(v) : 64;
}

static inline int ctpop64(uint64_t v)
{
    return __builtin_popcountll(v);
}

static inline bool is_power_of_2(uint64_t v)
{
    return v && !(v & (v - 1));
}

#include "qapi/error.h"

#endif
