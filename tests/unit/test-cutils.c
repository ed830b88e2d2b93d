/*
 * String to number helpers and overflow-safe arithmetic (util/cutils.c,
 * include/qemu/cutils.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

static void test_strtou64(void)
{
    static const struct {
        const char *s;
        uint64_t v;
    } good[] = {
        { "0", 0 }, { "1", 1 }, { "42", 42 }, { "0x2a", 42 }, { "0X2A", 42 },
        { "052", 42 }, { "00", 0 }, { "0x0", 0 }, { "+7", 7 },
        { "18446744073709551615", UINT64_MAX },
        { "0xffffffffffffffff", UINT64_MAX },
        { "01777777777777777777777", UINT64_MAX },
    };
    static const char *const bad[] = {
        "", " 1", "\t1", "1 ", "-1", "-0", "x", "0x", "0xg", "1a", "09",
        "1.0", "18446744073709551616", "0x10000000000000000", "1e3", "++1",
        "0b101", "1K",
    };
    uint64_t v;

    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        v = 12345;
        if (!qemu_strtou64(good[i].s, &v) || v != good[i].v) {
            g_error("qemu_strtou64('%s'): %" PRIu64, good[i].s, v);
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        v = 12345;
        if (qemu_strtou64(bad[i], &v)) {
            g_error("qemu_strtou64('%s') accepted: %" PRIu64, bad[i], v);
        }
        /* A failed parse leaves the output alone. */
        g_assert_cmpuint(v, ==, 12345);
    }
    g_assert_false(qemu_strtou64(NULL, &v));
}

static void test_strtosz(void)
{
    static const struct {
        const char *s;
        uint64_t v;
    } good[] = {
        { "0", 0 }, { "1", 1 }, { "4096", 4096 }, { "0x1000", 4096 },
        { "1B", 1 }, { "1b", 1 }, { "1K", 1024 }, { "1k", 1024 },
        { "2M", 2 << 20 }, { "3G", 3ULL << 30 }, { "4T", 4ULL << 40 },
        { "5P", 5ULL << 50 }, { "1E", 1ULL << 60 }, { "15E", 15ULL << 60 },
        { "0x10K", 16 << 10 }, { "010K", 8 << 10 }, { "0G", 0 },
        { "16383P", 16383ULL << 50 },
        { "18446744073709551615", UINT64_MAX },
        { "18446744073709551615B", UINT64_MAX },
    };
    static const char *const bad[] = {
        "", " 1K", "-1", "-1K", "K", "1KB", "1KiB", "1 K", "1.5G", "1X",
        "1Z", "16E", "18446744073709551616", "17179869184G", "0x", "1K ",
        "G1",
    };
    uint64_t v;

    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        v = 12345;
        if (!qemu_strtosz(good[i].s, &v) || v != good[i].v) {
            g_error("qemu_strtosz('%s'): %" PRIu64, good[i].s, v);
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        v = 12345;
        if (qemu_strtosz(bad[i], &v)) {
            g_error("qemu_strtosz('%s') accepted: %" PRIu64, bad[i], v);
        }
        /* Left alone on failure, overflow included: it may be a field. */
        g_assert_cmpuint(v, ==, 12345);
    }
    g_assert_false(qemu_strtosz(NULL, &v));
}

/* -m: a bare number is MiB, suffixes mean what they say. */
static void test_strtosz_mib(void)
{
    uint64_t v;

    g_assert_true(qemu_strtosz_MiB("256", &v));
    g_assert_cmpuint(v, ==, 256ULL << 20);
    g_assert_true(qemu_strtosz_MiB("4G", &v));
    g_assert_cmpuint(v, ==, 4ULL << 30);
    g_assert_true(qemu_strtosz_MiB("512B", &v));
    g_assert_cmpuint(v, ==, 512);
    g_assert_true(qemu_strtosz_MiB("0x10", &v));
    g_assert_cmpuint(v, ==, 16ULL << 20);
    g_assert_true(qemu_strtosz_MiB("17592186044415", &v));
    g_assert_cmpuint(v, ==, 17592186044415ULL << 20);
    /* 2^44 MiB is 2^64 bytes: one too many. */
    g_assert_false(qemu_strtosz_MiB("17592186044416", &v));
    g_assert_false(qemu_strtosz_MiB("1.5", &v));
    g_assert_false(qemu_strtosz_MiB("", &v));
}

static void test_strtobool(void)
{
    static const char *const on[] = { "on", "yes", "true" };
    static const char *const off[] = { "off", "no", "false" };
    static const char *const bad[] = {
        "", "1", "0", "ON", "True", "y", "n", "onn", " on", "of",
    };
    bool b;

    for (size_t i = 0; i < G_N_ELEMENTS(on); i++) {
        b = false;
        g_assert_true(qemu_strtobool(on[i], &b));
        g_assert_true(b);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(off); i++) {
        b = true;
        g_assert_true(qemu_strtobool(off[i], &b));
        g_assert_false(b);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        b = true;
        g_assert_false(qemu_strtobool(bad[i], &b));
        g_assert_true(b);
    }
}

static void test_size_to_str(void)
{
    static const struct {
        uint64_t v;
        const char *s;
    } cases[] = {
        { 0, "0 B" }, { 1, "1 B" }, { 1023, "1023 B" }, { 1024, "1 KiB" },
        { 1536, "1536 B" }, { 4096, "4 KiB" }, { 1 << 20, "1 MiB" },
        { 3ULL << 30, "3 GiB" }, { 1ULL << 40, "1 TiB" },
        { 16ULL << 40, "16 TiB" }, { 1ULL << 50, "1 PiB" },
        { 1ULL << 60, "1 EiB" }, { 1ULL << 63, "8 EiB" },
        { (1ULL << 30) + 1024, "1048577 KiB" },
        { UINT64_MAX, "18446744073709551615 B" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *s = size_to_str(cases[i].v);

        g_assert_cmpstr(s, ==, cases[i].s);
    }
}

static void test_overflow(void)
{
    uint64_t r;

    g_assert_false(uadd64_overflow(1, 2, &r));
    g_assert_cmpuint(r, ==, 3);
    g_assert_false(uadd64_overflow(UINT64_MAX, 0, &r));
    g_assert_cmpuint(r, ==, UINT64_MAX);
    g_assert_true(uadd64_overflow(UINT64_MAX, 1, &r));
    g_assert_true(uadd64_overflow(1ULL << 63, 1ULL << 63, &r));
    g_assert_false(umul64_overflow(1ULL << 32, (1ULL << 32) - 1, &r));
    g_assert_cmpuint(r, ==, (1ULL << 32) * ((1ULL << 32) - 1));
    g_assert_true(umul64_overflow(1ULL << 32, 1ULL << 32, &r));
    g_assert_false(umul64_overflow(0, UINT64_MAX, &r));
    g_assert_cmpuint(r, ==, 0);
    g_assert_true(umul64_overflow(3, 1ULL << 63, &r));
}

static void test_ranges_overlap(void)
{
    /* Touching is not overlapping. */
    g_assert_false(ranges_overlap(0, 0x1000, 0x1000, 0x1000));
    g_assert_false(ranges_overlap(0x1000, 0x1000, 0, 0x1000));
    g_assert_true(ranges_overlap(0, 0x1001, 0x1000, 0x1000));
    g_assert_true(ranges_overlap(0x1fff, 1, 0x1000, 0x1000));
    /* Containment either way. */
    g_assert_true(ranges_overlap(0, 0x10000, 0x1000, 1));
    g_assert_true(ranges_overlap(0x1000, 1, 0, 0x10000));
    /* Empty ranges overlap nothing, not even themselves. */
    g_assert_false(ranges_overlap(0x1000, 0, 0x1000, 0x1000));
    g_assert_false(ranges_overlap(0x1000, 0x1000, 0x1000, 0));
    g_assert_false(ranges_overlap(5, 0, 5, 0));
    /* Lengths up to the top of the space. */
    g_assert_true(ranges_overlap(0, UINT64_MAX, UINT64_MAX - 1, 1));
    g_assert_false(ranges_overlap(0, UINT64_MAX, UINT64_MAX, 1));
    g_assert_true(ranges_overlap(1, UINT64_MAX, UINT64_MAX, 1));
    g_assert_false(ranges_overlap(UINT64_MAX, 1, 0, UINT64_MAX));
    g_assert_true(ranges_overlap(UINT64_MAX, 1, UINT64_MAX, 1));
    g_assert_true(ranges_overlap(0x800000000000000ULL, 1ULL << 40,
                                 0x800000000000000ULL + (1ULL << 40) - 1, 1));
    g_assert_false(ranges_overlap(0x800000000000000ULL, 1ULL << 40,
                                  0x800000000000000ULL + (1ULL << 40), 1));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cutils/strtou64", test_strtou64);
    g_test_add_func("/cutils/strtosz", test_strtosz);
    g_test_add_func("/cutils/strtosz-MiB", test_strtosz_mib);
    g_test_add_func("/cutils/strtobool", test_strtobool);
    g_test_add_func("/cutils/size-to-str", test_size_to_str);
    g_test_add_func("/cutils/overflow", test_overflow);
    g_test_add_func("/cutils/ranges-overlap", test_ranges_overlap);
    return g_test_run();
}
