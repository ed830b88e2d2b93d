/*
 * String to number helpers used by the command line and the qtest server.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

/* Whole-string unsigned parse, any C base prefix; false on junk/overflow. */
bool qemu_strtou64(const char *s, uint64_t *out);
/* Sizes with optional K/M/G/T/P/E suffix (binary units, default bytes). */
bool qemu_strtosz(const char *s, uint64_t *out);
/* Same, but a bare number means MiB (the -m convention). */
bool qemu_strtosz_MiB(const char *s, uint64_t *out);
bool qemu_strtobool(const char *s, bool *out);
char *size_to_str(uint64_t val);

/* Overflow-safe arithmetic: false when the result does not fit. */
static inline bool uadd64_overflow(uint64_t a, uint64_t b, uint64_t *r)
{
    return __builtin_add_overflow(a, b, r);
}

static inline bool umul64_overflow(uint64_t a, uint64_t b, uint64_t *r)
{
    return __builtin_mul_overflow(a, b, r);
}

/* [a, a+alen) and [b, b+blen) overlap; lengths may reach 2^64 - 1. */
static inline bool ranges_overlap(uint64_t a, uint64_t alen,
                                  uint64_t b, uint64_t blen)
{
    return alen && blen && a <= b + (blen - 1) && b <= a + (alen - 1);
}

#endif
