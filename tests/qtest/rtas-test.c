/*
 * RTAS core: call dispatch by name, argument count checks, bad addresses,
 * PCI configuration space access.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "libqtest.h"
#include "libqos/rtas.h"

#define ARGS        QRTAS_SCRATCH
#define RETS        (QRTAS_SCRATCH + 0x100)
#define NCELLS      16
#define EDU_ID      0x11e81234U

/* The core calls and the argument counts they accept. */
typedef struct CoreCall {
    const char *name;
    uint32_t nargs, nret;
    int32_t bad_status;         /* what a wrong nargs or nret answers */
} CoreCall;

static const CoreCall core_calls[] = {
    { "get-time-of-day", 0, 8, RTAS_PARAM_ERROR },
    { "power-off", 2, 1, RTAS_PARAM_ERROR },
    { "system-reboot", 0, 1, RTAS_PARAM_ERROR },
    { "read-pci-config", 2, 2, RTAS_HW_ERROR },
    { "write-pci-config", 3, 1, RTAS_HW_ERROR },
    { "ibm,read-pci-config", 4, 2, RTAS_HW_ERROR },
    { "ibm,write-pci-config", 5, 1, RTAS_HW_ERROR },
};

/* Every registered name with counts it accepts (for the address sweeps). */
static const CoreCall all_calls[] = {
    { "get-time-of-day", 0, 8 },
    { "power-off", 3, 1 },              /* a wrong count: it would quit */
    { "system-reboot", 0, 1 },
    { "read-pci-config", 2, 2 },
    { "write-pci-config", 3, 1 },
    { "ibm,read-pci-config", 4, 2 },
    { "ibm,write-pci-config", 5, 1 },
    { "ibm,query-pe-dma-window", 3, 5 },
    { "ibm,create-pe-dma-window", 5, 4 },
    { "ibm,remove-pe-dma-window", 1, 1 },
    { "ibm,reset-pe-dma-window", 3, 1 },
};

/*
 * Calls name with counts that need not match the buffers: ARGS holds
 * NCELLS zero cells (or args), RETS NCELLS untouched cells read back.
 */
static void call_counts(QTestState *s, const char *name, uint32_t nargs,
                        const uint32_t *args, uint32_t nret,
                        uint32_t rets[NCELLS])
{
    for (int i = 0; i < NCELLS; i++) {
        qtest_writel(s, ARGS + 4 * i, args ? args[i] : 0);
        qtest_writel(s, RETS + 4 * i, QRTAS_UNTOUCHED);
    }
    g_assert_cmpuint(qtest_rtas_call(s, name, nargs, ARGS, nret, RETS), ==, 0);
    for (int i = 0; i < NCELLS; i++) {
        rets[i] = qtest_readl(s, RETS + 4 * i);
    }
}

/* Only rets[0] carries the error, and no cell past nret was written. */
static void assert_bad_counts(QTestState *s, const CoreCall *c,
                              uint32_t nargs, uint32_t nret)
{
    uint32_t rets[NCELLS];

    call_counts(s, c->name, nargs, NULL, nret, rets);
    if (nret == 0) {
        g_assert_cmphex(rets[0], ==, QRTAS_UNTOUCHED);
    } else {
        if ((int32_t)rets[0] != c->bad_status) {
            g_error("%s nargs=%u nret=%u: status %d, expected %d", c->name,
                    nargs, nret, (int32_t)rets[0], c->bad_status);
        }
    }
    for (int i = 1; i < NCELLS; i++) {
        g_assert_cmphex(rets[i], ==, QRTAS_UNTOUCHED);
    }
}

static void test_rtas_get_time_of_day(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t rets[8];

    g_assert_cmpuint(qrtas_call(s, "get-time-of-day", 0, NULL, 8, rets), ==, 0);
    g_assert_cmpint(rets[0], ==, 0);
    g_assert_cmpuint(rets[1], >=, 2024);
    g_assert_cmpuint(rets[2], >=, 1);
    g_assert_cmpuint(rets[2], <=, 12);
    g_assert_cmpuint(rets[3], >=, 1);
    g_assert_cmpuint(rets[3], <=, 31);
    g_assert_cmpuint(rets[4], <=, 23);
    g_assert_cmpuint(rets[5], <=, 59);
    g_assert_cmpuint(rets[6], <=, 60);
    g_assert_cmpuint(rets[7], <, 1000000000);
    qtest_quit(s);
}

static void test_rtas_unknown_name(void)
{
    QTestState *s = qtest_init(NULL);
    uint32_t rets[1];

    g_assert_cmpuint(qrtas_call(s, "ibm,no-such-call", 0, NULL, 1, rets), ==,
                     (uint64_t)-4);
    g_assert_cmphex(rets[0], ==, QRTAS_UNTOUCHED);
    /* Names are exact: no prefixes, no case folding. */
    g_assert_cmpuint(qrtas_call(s, "get-time-of-da", 0, NULL, 1, rets), ==,
                     (uint64_t)-4);
    g_assert_cmpuint(qrtas_call(s, "GET-TIME-OF-DAY", 0, NULL, 1, rets), ==,
                     (uint64_t)-4);
    g_assert_cmphex(rets[0], ==, QRTAS_UNTOUCHED);
    qtest_quit(s);
}

/* Every core call refuses every wrong nargs/nret, and nothing else moves. */
static void test_rtas_bad_counts(void)
{
    QTestState *s = qtest_init("-device edu");

    for (size_t i = 0; i < G_N_ELEMENTS(core_calls); i++) {
        const CoreCall *c = &core_calls[i];
        const uint32_t counts[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16 };

        for (size_t a = 0; a < G_N_ELEMENTS(counts); a++) {
            for (size_t r = 0; r < G_N_ELEMENTS(counts); r++) {
                if (counts[a] == c->nargs && counts[r] == c->nret) {
                    continue;
                }
                assert_bad_counts(s, c, counts[a], counts[r]);
            }
        }
    }
    /* The bad power-off and system-reboot calls did nothing. */
    g_assert_cmphex(qtest_readl(s, 0x1000), ==, 0);
    qtest_quit(s);
}

/* Counts up to 2^32 - 1 are refused without reading or writing that far. */
static void test_rtas_huge_counts(void)
{
    QTestState *s = qtest_init("-device edu");
    const uint32_t huge[] = { 0xffffffff, 0x80000000, 0x40000001, 0x10000 };

    for (size_t i = 0; i < G_N_ELEMENTS(core_calls); i++) {
        const CoreCall *c = &core_calls[i];

        for (size_t h = 0; h < G_N_ELEMENTS(huge); h++) {
            assert_bad_counts(s, c, huge[h], c->nret);
            assert_bad_counts(s, c, c->nargs, huge[h]);
            assert_bad_counts(s, c, huge[h], huge[h]);
        }
    }
    /* The DDW calls too (status only: spapr-ddw-test covers them). */
    for (size_t i = 7; i < G_N_ELEMENTS(all_calls); i++) {
        uint32_t rets[NCELLS];

        call_counts(s, all_calls[i].name, 0xffffffff, NULL, 0xffffffff,
                    rets);
        g_assert_cmpint((int32_t)rets[0], <, 0);
        for (int k = 1; k < NCELLS; k++) {
            g_assert_cmphex(rets[k], ==, QRTAS_UNTOUCHED);
        }
    }
    qtest_quit(s);
}

/*
 * Argument and result buffers anywhere: unmapped, past RAM, straddling
 * the end of RAM, in MMIO windows, wrapping at 2^64.  Reads there give
 * zeros and writes vanish (a buffer never wraps around to address 0); the
 * process answers every call and RAM outside the buffers stays intact.
 */
static void test_rtas_bad_buffers(void)
{
    QTestState *s = qtest_init("-device edu");
    const uint64_t addrs[] = {
        0xfffffff8ULL, 0xfffffffcULL, 0x100000000ULL, 0x200000000ULL,
        0x10080000000ULL, 0x100a0000000ULL, 0x7fffffffffffffffULL,
        0xfffffffffffffff0ULL, 0xfffffffffffffffcULL, 0xffffffffffffffffULL,
    };

    qtest_writeq(s, 0, 0x0123456789abcdefULL);
    qtest_writeq(s, 8, 0x0123456789abcdefULL);
    for (size_t n = 0; n < G_N_ELEMENTS(all_calls); n++) {
        for (size_t a = 0; a < G_N_ELEMENTS(addrs); a++) {
            for (size_t r = 0; r < G_N_ELEMENTS(addrs); r++) {
                g_assert_cmpuint(qtest_rtas_call(s, all_calls[n].name,
                                                 all_calls[n].nargs, addrs[a],
                                                 all_calls[n].nret, addrs[r]),
                                 ==, 0);
            }
        }
    }
    g_assert_cmphex(qtest_readq(s, 0), ==, 0x0123456789abcdefULL);
    g_assert_cmphex(qtest_readq(s, 8), ==, 0x0123456789abcdefULL);

    /* The cells that fall in RAM are written; the rest vanish. */
    qtest_writeq(s, 0xfffffff8ULL, 0);
    g_assert_cmpuint(qtest_rtas_call(s, "get-time-of-day", 0, ARGS, 8,
                                     0xfffffff8ULL), ==, 0);
    g_assert_cmphex(qtest_readl(s, 0xfffffff8ULL), ==, 0);
    g_assert_cmpuint(qtest_readl(s, 0xfffffffcULL), >=, 2024);
    /* Wrapping: the status lands at the top, nothing at address 0. */
    g_assert_cmpuint(qtest_rtas_call(s, "get-time-of-day", 1, ARGS, 8,
                                     0xfffffffffffffffcULL), ==, 0);
    g_assert_cmphex(qtest_readq(s, 0), ==, 0x0123456789abcdefULL);
    /* Arguments do not wrap either: cell 1 of 0xffff...fffc reads as 0. */
    qtest_writel(s, RETS, QRTAS_UNTOUCHED);
    qtest_writel(s, 0, 0x04);
    g_assert_cmpuint(qtest_rtas_call(s, "read-pci-config", 2,
                                     0xfffffffffffffffcULL, 2, RETS), ==, 0);
    g_assert_cmpint((int32_t)qtest_readl(s, RETS), ==, RTAS_HW_ERROR);
    qtest_quit(s);
}

/* Arguments read from unmapped memory are zeros: a real call still runs. */
static void test_rtas_args_unmapped(void)
{
    QTestState *s = qtest_init("-device edu");
    uint64_t rets = RETS;

    qtest_writel(s, rets, QRTAS_UNTOUCHED);
    qtest_writel(s, rets + 4, QRTAS_UNTOUCHED);
    /* read-pci-config(0, 0): size 0 is a hardware error. */
    g_assert_cmpuint(qtest_rtas_call(s, "read-pci-config", 2, 0x200000000ULL,
                                     2, rets), ==, 0);
    g_assert_cmpint((int32_t)qtest_readl(s, rets), ==, RTAS_HW_ERROR);
    g_assert_cmphex(qtest_readl(s, rets + 4), ==, QRTAS_UNTOUCHED);
    /* get-time-of-day needs no arguments: any ARGS address works. */
    g_assert_cmpuint(qtest_rtas_call(s, "get-time-of-day", 0,
                                     0xfffffffffffffff0ULL, 8, rets), ==, 0);
    g_assert_cmpint((int32_t)qtest_readl(s, rets), ==, 0);
    g_assert_cmpuint(qtest_readl(s, rets + 4), >=, 2024);
    qtest_quit(s);
}

/* The 2-argument forms: (addr, size) on PHB 0. */
static int read_cfg2(QTestState *s, uint32_t addr, uint32_t size,
                     uint32_t *val)
{
    uint32_t args[2] = { addr, size };
    uint32_t rets[2];

    g_assert_cmpuint(qrtas_call(s, "read-pci-config", 2, args, 2, rets), ==,
                     0);
    *val = rets[1];
    return (int32_t)rets[0];
}

static int write_cfg2(QTestState *s, uint32_t addr, uint32_t size,
                      uint32_t val)
{
    uint32_t args[3] = { addr, size, val };
    uint32_t rets[1];

    g_assert_cmpuint(qrtas_call(s, "write-pci-config", 3, args, 1, rets), ==,
                     0);
    return (int32_t)rets[0];
}

static void test_pci_config_2arg(void)
{
    QTestState *s = qtest_init("-device edu -device edu,addr=3.0");
    uint32_t v;

    g_assert_cmpint(read_cfg2(s, 0x00, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, EDU_ID);
    g_assert_cmpint(read_cfg2(s, 0x00, 2, &v), ==, 0);
    g_assert_cmphex(v, ==, 0x1234);
    g_assert_cmpint(read_cfg2(s, 0x02, 2, &v), ==, 0);
    g_assert_cmphex(v, ==, 0x11e8);
    g_assert_cmpint(read_cfg2(s, 0x01, 1, &v), ==, 0);
    g_assert_cmphex(v, ==, 0x12);
    g_assert_cmpint(read_cfg2(s, 0x03, 1, &v), ==, 0);
    g_assert_cmphex(v, ==, 0x11);
    /* Revision 0x10, class 0x00ff00 (others). */
    g_assert_cmpint(read_cfg2(s, 0x08, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, 0xff000010);
    /* The second edu, at slot 3: devfn 0x18. */
    g_assert_cmpint(read_cfg2(s, 0x1800, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, EDU_ID);

    /* Writes go through the write mask: the command register. */
    g_assert_cmpint(write_cfg2(s, 0x04, 2, 0xffff), ==, 0);
    g_assert_cmpint(read_cfg2(s, 0x04, 2, &v), ==, 0);
    g_assert_cmphex(v, ==, 0x0407);
    g_assert_cmpint(write_cfg2(s, 0x04, 2, 0), ==, 0);
    /* Read-only registers ignore writes. */
    g_assert_cmpint(write_cfg2(s, 0x00, 4, 0), ==, 0);
    g_assert_cmpint(read_cfg2(s, 0x00, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, EDU_ID);
    /* Byte writes: the interrupt line is fully writable. */
    g_assert_cmpint(write_cfg2(s, 0x3c, 1, 0x5a), ==, 0);
    g_assert_cmpint(read_cfg2(s, 0x3c, 4, &v), ==, 0);
    g_assert_cmphex(v & 0xffff, ==, 0x015a);       /* pin 1, line 0x5a */

    /* Bad sizes, unaligned, out of range, absent device: -1, no value. */
    v = QRTAS_UNTOUCHED;
    g_assert_cmpint(read_cfg2(s, 0x00, 0, &v), ==, RTAS_HW_ERROR);
    g_assert_cmphex(v, ==, QRTAS_UNTOUCHED);
    g_assert_cmpint(read_cfg2(s, 0x00, 3, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0x00, 8, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0x01, 2, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0x02, 4, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0x03, 4, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0xff, 2, &v), ==, RTAS_HW_ERROR);
    /* Extended registers (0x100 and up, bits 28-31) do not exist. */
    g_assert_cmpint(read_cfg2(s, 0x10000000, 4, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0xf00000fc, 4, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0xfc, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, 0);
    /* No device at slot 1, function 1, or on bus 1. */
    g_assert_cmpint(read_cfg2(s, 0x0800, 4, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0x0100, 4, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0x10000, 4, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0xffffffff, 4, &v), ==, RTAS_HW_ERROR);
    g_assert_cmphex(v, ==, QRTAS_UNTOUCHED);

    g_assert_cmpint(write_cfg2(s, 0x04, 3, 6), ==, RTAS_HW_ERROR);
    g_assert_cmpint(write_cfg2(s, 0x05, 2, 6), ==, RTAS_HW_ERROR);
    g_assert_cmpint(write_cfg2(s, 0x10000004, 2, 6), ==, RTAS_HW_ERROR);
    g_assert_cmpint(write_cfg2(s, 0x0804, 2, 6), ==, RTAS_HW_ERROR);
    g_assert_cmpint(read_cfg2(s, 0x04, 2, &v), ==, 0);
    g_assert_cmphex(v, ==, 0);
    qtest_quit(s);
}

static void test_pci_config_4arg(void)
{
    QTestState *s = qtest_init("-device edu "
                               "-device spapr-pci-host-bridge,index=1,id=phb1 "
                               "-device edu,bus=phb1.0,addr=2.0 "
                               "-device spapr-pci-host-bridge,index=255,"
                               "id=phb255");
    uint32_t v;

    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, EDU_ID);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 2, 2, &v), ==, 0);
    g_assert_cmphex(v, ==, 0x11e8);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0, 1, &v), ==, 0);
    g_assert_cmphex(v, ==, 0x34);

    /* The second PHB: its edu is at slot 2, nothing at slot 0. */
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(1), 0x1000, 4, &v), ==,
                    0);
    g_assert_cmphex(v, ==, EDU_ID);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(1), 0, 4, &v), ==,
                    RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x1000, 4, &v), ==,
                    RTAS_HW_ERROR);
    /* A PHB with an empty bus. */
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(255), 0, 4, &v), ==,
                    RTAS_HW_ERROR);
    /* Writes reach the right PHB's device only. */
    g_assert_cmpint(qrtas_write_pci_config(s, BUID_PHB(1), 0x1004, 2, 2), ==,
                    0);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(1), 0x1004, 2, &v), ==,
                    0);
    g_assert_cmphex(v, ==, 2);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x04, 2, &v), ==,
                    0);
    g_assert_cmphex(v, ==, 0);

    /* Unknown BUIDs: the next index, the base with high bits, zero. */
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(2), 0, 4, &v), ==,
                    RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(256), 0, 4, &v), ==,
                    RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_read_pci_config(s, 0, 0, 4, &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0) | (1ULL << 63), 0, 4,
                                          &v), ==, RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_write_pci_config(s, BUID_PHB(3), 0x04, 2, 6), ==,
                    RTAS_HW_ERROR);

    /* Sizes and alignment, as in the 2-argument form. */
    for (uint32_t size = 0; size <= 8; size++) {
        int expect = size == 1 || size == 2 || size == 4 ? 0 : RTAS_HW_ERROR;

        g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0, size, &v),
                        ==, expect);
        g_assert_cmpint(qrtas_write_pci_config(s, BUID_PHB(0), 0x3c, size, 0),
                        ==, expect);
    }
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x06, 4, &v), ==,
                    RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x07, 2, &v), ==,
                    RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x100, 4, &v), ==,
                    RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x200000fc, 4, &v),
                    ==, RTAS_HW_ERROR);
    qtest_quit(s);
}

/* Polls /proc until pid is a zombie: it exited and waits to be reaped. */
static bool wait_for_exit(pid_t pid)
{
    for (int i = 0; i < 1000; i++) {
        g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
        g_autofree char *stat = NULL;
        const char *p;

        if (!g_file_get_contents(path, &stat, NULL, NULL)) {
            return true;
        }
        p = strrchr(stat, ')');
        if (p && p[1] == ' ' && p[2] == 'Z') {
            return true;
        }
        g_usleep(10000);
    }
    return false;
}

static void test_rtas_power_off(void)
{
    QTestState *s = qtest_init(NULL);

    qtest_writel(s, RETS, QRTAS_UNTOUCHED);
    g_assert_cmpuint(qtest_rtas_call(s, "power-off", 2, ARGS, 1, RETS), ==, 0);
    /* The process ends by itself, with status 0 (checked by qtest_quit). */
    g_assert_true(wait_for_exit(qtest_pid(s)));
    qtest_quit(s);
}

/* system-reboot resets the devices and the machine keeps running. */
static void test_rtas_system_reboot(void)
{
    QTestState *s = qtest_init("-device edu");
    uint32_t rets[1], v;

    g_assert_cmpint(qrtas_write_pci_config(s, BUID_PHB(0), 0x10, 4,
                                           0x80000000), ==, 0);
    g_assert_cmpint(qrtas_write_pci_config(s, BUID_PHB(0), 0x04, 2, 6), ==, 0);
    g_assert_cmphex(qtest_readl(s, 0x100a0000000ULL), ==, 0x010000ed);
    qtest_writel(s, 0x1000, 0xcafe);

    g_assert_cmpuint(qrtas_call(s, "system-reboot", 0, NULL, 1, rets), ==, 0);
    g_assert_cmpint(rets[0], ==, 0);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x04, 2, &v), ==, 0);
    g_assert_cmphex(v, ==, 0);
    g_assert_cmpint(qrtas_read_pci_config(s, BUID_PHB(0), 0x10, 4, &v), ==, 0);
    g_assert_cmphex(v, ==, 0);
    g_assert_cmphex(qtest_readl(s, 0x100a0000000ULL), ==, 0);
    /* RAM is not cleared by a reset. */
    g_assert_cmphex(qtest_readl(s, 0x1000), ==, 0xcafe);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtas/get-time-of-day", test_rtas_get_time_of_day);
    g_test_add_func("/rtas/unknown-name", test_rtas_unknown_name);
    g_test_add_func("/rtas/bad-counts", test_rtas_bad_counts);
    g_test_add_func("/rtas/huge-counts", test_rtas_huge_counts);
    g_test_add_func("/rtas/bad-buffers", test_rtas_bad_buffers);
    g_test_add_func("/rtas/args-unmapped", test_rtas_args_unmapped);
    g_test_add_func("/rtas/pci-config/2-arg", test_pci_config_2arg);
    g_test_add_func("/rtas/pci-config/4-arg", test_pci_config_4arg);
    g_test_add_func("/rtas/power-off", test_rtas_power_off);
    g_test_add_func("/rtas/system-reboot", test_rtas_system_reboot);
    return g_test_run();
}
