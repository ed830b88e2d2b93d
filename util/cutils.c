/*
 * String to number helpers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

bool qemu_strtou64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!s || !*s || *s == '-' || g_ascii_isspace(*s)) {
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || *end) {
        return false;
    }
    *out = v;
    return true;
}

static bool strtosz_unit(const char *s, uint64_t *out, uint64_t default_unit)
{
    char *end;
    unsigned long long v;
    uint64_t unit = default_unit, v64;

    if (!s || !*s || *s == '-' || g_ascii_isspace(*s)) {
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || end == s) {
        return false;
    }
    if (*end) {
        static const char units[] = "BKMGTPE";
        const char *u = strchr(units, g_ascii_toupper(*end));

        if (!u || end[1]) {
            return false;
        }
        unit = 1ULL << (10 * (u - units));
    }
    /* *out is left alone on failure: it may be a property's field. */
    if (umul64_overflow(v, unit, &v64)) {
        return false;
    }
    *out = v64;
    return true;
}

bool qemu_strtosz(const char *s, uint64_t *out)
{
    return strtosz_unit(s, out, 1);
}

bool qemu_strtosz_MiB(const char *s, uint64_t *out)
{
    return strtosz_unit(s, out, 1 << 20);
}

bool qemu_strtobool(const char *s, bool *out)
{
    if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false")) {
        *out = false;
        return true;
    }
    return false;
}

char *size_to_str(uint64_t val)
{
    static const char *suffixes[] = { "B", "KiB", "MiB", "GiB", "TiB",
                                      "PiB", "EiB" };
    int i = 0;

    while (i < 6 && val >= 1024 && !(val % 1024)) {
        val /= 1024;
        i++;
    }
    return g_strdup_printf("%" PRIu64 " %s", val, suffixes[i]);
}
