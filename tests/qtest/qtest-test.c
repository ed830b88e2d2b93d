/*
 * The qtest protocol itself: every verb with value checks, malformed lines
 * (the process must answer FAIL/ERR and keep going), and how accesses that
 * miss RAM behave (reads give zeros, writes are dropped).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>
#include "libqtest.h"
#include "libqos/edu.h"
#include "libqos/rtas.h"

#define RAM_SIZE        (4ULL << 30)    /* qtest_init's -m 4G */
#define SCRATCH         ((uint64_t)0x1000000)
#define UNMAPPED        0x200000000ULL  /* above RAM, below the PHB windows */
#define MAX_XFER        (16 * 1024 * 1024)

/* Sends line and asserts the answer starts with prefix. */
static void expect(QTestState *s, const char *line, const char *prefix)
{
    g_autofree char *ans = qtest_raw(s, line);

    if (!g_str_has_prefix(ans, prefix)) {
        g_error("'%.100s' answered '%.200s', expected '%s...'", line, ans,
                prefix);
    }
}

static void expect_exact(QTestState *s, const char *line, const char *answer)
{
    g_autofree char *ans = qtest_raw(s, line);

    g_assert_cmpstr(ans, ==, answer);
}

/* The process still answers (and RAM still works) after a bad line. */
static void assert_alive(QTestState *s)
{
    qtest_writel(s, SCRATCH, 0xa5a5c3c3);
    g_assert_cmphex(qtest_readl(s, SCRATCH), ==, 0xa5a5c3c3);
}

static const uint8_t pattern[8] = { 0x11, 0x22, 0x33, 0x44,
                                    0x55, 0x66, 0x77, 0x88 };

/* readX returns the bytes at ADDR as a big-endian number. */
static void test_readx(void)
{
    QTestState *s = qtest_init(NULL);

    qtest_memwrite(s, SCRATCH, pattern, sizeof(pattern));
    g_assert_cmphex(qtest_readb(s, SCRATCH), ==, 0x11);
    g_assert_cmphex(qtest_readb(s, SCRATCH + 7), ==, 0x88);
    g_assert_cmphex(qtest_readw(s, SCRATCH), ==, 0x1122);
    g_assert_cmphex(qtest_readw(s, SCRATCH + 1), ==, 0x2233);
    g_assert_cmphex(qtest_readl(s, SCRATCH), ==, 0x11223344);
    g_assert_cmphex(qtest_readl(s, SCRATCH + 3), ==, 0x44556677);
    g_assert_cmphex(qtest_readq(s, SCRATCH), ==, 0x1122334455667788ULL);
    /* The answer is always 16 hex digits. */
    expect_exact(s, "readb 0x1000000", "OK 0x0000000000000011");
    expect_exact(s, "readq 16777216", "OK 0x1122334455667788");
    qtest_quit(s);
}

/* writeX stores VALUE big-endian; only the access size is written. */
static void test_writex(void)
{
    QTestState *s = qtest_init(NULL);
    uint8_t buf[8];

    qtest_memset(s, SCRATCH, 0xee, 16);
    qtest_writeb(s, SCRATCH, 0x12);
    qtest_memread(s, SCRATCH, buf, 2);
    g_assert_cmphex(buf[0], ==, 0x12);
    g_assert_cmphex(buf[1], ==, 0xee);

    qtest_writew(s, SCRATCH, 0xabcd);
    qtest_memread(s, SCRATCH, buf, 3);
    g_assert_cmphex(buf[0], ==, 0xab);
    g_assert_cmphex(buf[1], ==, 0xcd);
    g_assert_cmphex(buf[2], ==, 0xee);

    qtest_writel(s, SCRATCH, 0x01020304);
    qtest_memread(s, SCRATCH, buf, 5);
    g_assert_cmpmem(buf, 5, ((uint8_t[]){ 1, 2, 3, 4, 0xee }), 5);

    qtest_writeq(s, SCRATCH + 8, 0x0102030405060708ULL);
    qtest_memread(s, SCRATCH + 8, buf, 8);
    g_assert_cmpmem(buf, 8, ((uint8_t[]){ 1, 2, 3, 4, 5, 6, 7, 8 }), 8);
    g_assert_cmphex(qtest_readl(s, SCRATCH + 12), ==, 0x05060708);

    /* VALUE is truncated to the access size; any strtoull base works. */
    expect_exact(s, "writeb 0x1000000 0x1ff", "OK");
    g_assert_cmphex(qtest_readb(s, SCRATCH), ==, 0xff);
    expect_exact(s, "writew 0x1000000 0777", "OK");
    g_assert_cmphex(qtest_readw(s, SCRATCH), ==, 0777);
    expect_exact(s, "writel 16777216 4294967295", "OK");
    g_assert_cmphex(qtest_readl(s, SCRATCH), ==, 0xffffffff);
    qtest_quit(s);
}

static void test_read_write(void)
{
    QTestState *s = qtest_init(NULL);
    uint8_t data[256], back[256];

    for (int i = 0; i < 256; i++) {
        data[i] = i * 7 + 3;
    }
    qtest_memwrite(s, SCRATCH + 1, data, sizeof(data));
    qtest_memread(s, SCRATCH + 1, back, sizeof(back));
    g_assert_cmpmem(data, sizeof(data), back, sizeof(back));

    /* The hex answer is exactly SIZE bytes, lower case. */
    expect_exact(s, "write 0x1000000 4 0xDEADbeef", "OK");
    expect_exact(s, "read 0x1000000 4", "OK 0xdeadbeef");
    /* Short data is zero padded to SIZE. */
    expect_exact(s, "write 0x1000000 4 0xab", "OK");
    expect_exact(s, "read 0x1000000 4", "OK 0xab000000");
    /* Data longer than SIZE: only SIZE bytes are written. */
    expect_exact(s, "write 0x1000000 2 0x1122334455", "OK");
    expect_exact(s, "read 0x1000000 4", "OK 0x11220000");
    /* Zero-length transfers are fine. */
    expect_exact(s, "read 0x1000000 0", "OK 0x");
    expect_exact(s, "write 0x1000000 0 0x", "OK");
    expect_exact(s, "read 0x1000000 1", "OK 0x11");
    qtest_quit(s);
}

static void test_b64(void)
{
    QTestState *s = qtest_init(NULL);
    g_autofree uint8_t *data = g_malloc(4099);
    g_autofree char *enc = NULL;
    g_autofree char *line = NULL;
    g_autofree char *ans = NULL;
    g_autofree uint8_t *back = g_malloc(4099);

    for (int i = 0; i < 4099; i++) {
        data[i] = g_test_rand_int_range(0, 256);
    }
    enc = g_base64_encode(data, 4099);
    line = g_strdup_printf("b64write 0x%" PRIx64 " 4099 %s", SCRATCH, enc);
    expect_exact(s, line, "OK");
    /* What b64write stored, read and b64read both give back. */
    qtest_memread(s, SCRATCH, back, 4099);
    g_assert_cmpmem(data, 4099, back, 4099);
    g_free(line);
    line = g_strdup_printf("b64read 0x%" PRIx64 " 4099", SCRATCH);
    ans = qtest_raw(s, line);
    g_assert_true(g_str_has_prefix(ans, "OK "));
    g_assert_cmpstr(ans + 3, ==, enc);

    /* "3q2+7w==" is de ad be ef; b64read prints standard padding. */
    expect_exact(s, "b64write 0x1000000 4 3q2+7w==", "OK");
    expect_exact(s, "readl 0x1000000", "OK 0x00000000deadbeef");
    expect_exact(s, "b64read 0x1000000 4", "OK 3q2+7w==");
    /* Short data is zero padded, long data truncated to SIZE. */
    expect_exact(s, "b64write 0x1000000 4 qw==", "OK");
    expect_exact(s, "read 0x1000000 4", "OK 0xab000000");
    expect_exact(s, "b64write 0x1000000 1 3q2+7w==", "OK");
    expect_exact(s, "read 0x1000000 4", "OK 0xde000000");
    /* An empty encoding (the client strips the trailing blank). */
    expect_exact(s, "b64read 0x1000000 0", "OK");
    qtest_quit(s);
}

static void test_memset(void)
{
    QTestState *s = qtest_init(NULL);
    g_autofree uint8_t *buf = g_malloc(10000);

    qtest_memset(s, SCRATCH, 0x11, 10002);
    qtest_memset(s, SCRATCH + 1, 0x5a, 10000);
    qtest_memread(s, SCRATCH + 1, buf, 10000);
    for (int i = 0; i < 10000; i++) {
        g_assert_cmphex(buf[i], ==, 0x5a);
    }
    g_assert_cmphex(qtest_readb(s, SCRATCH), ==, 0x11);
    g_assert_cmphex(qtest_readb(s, SCRATCH + 10001), ==, 0x11);
    expect_exact(s, "memset 0x1000000 0 0xff", "OK");
    g_assert_cmphex(qtest_readb(s, SCRATCH), ==, 0x11);
    expect_exact(s, "memset 0x1000000 2 255", "OK");
    g_assert_cmphex(qtest_readw(s, SCRATCH), ==, 0xffff);
    qtest_quit(s);
}

static int64_t clock_answer(QTestState *s, const char *line)
{
    g_auto(GStrv) w = qtest_okf(s, "%s", line);

    g_assert_nonnull(w[1]);
    g_assert_null(w[2]);
    return g_ascii_strtoll(w[1], NULL, 10);
}

static void test_clock(void)
{
    QTestState *s = qtest_init("-device edu");
    QEdu e;

    /* The virtual clock starts at 0 and only moves when told. */
    g_assert_cmpint(clock_answer(s, "clock_step 0"), ==, 0);
    g_assert_cmpint(qtest_clock_step(s, 1000), ==, 1000);
    g_assert_cmpint(qtest_clock_step(s, 5), ==, 1005);
    /* Without an argument: to the next timer, or nowhere if none. */
    g_assert_cmpint(clock_answer(s, "clock_step"), ==, 1005);
    /* clock_set goes forward only. */
    g_assert_cmpint(clock_answer(s, "clock_set 50000"), ==, 50000);
    g_assert_cmpint(clock_answer(s, "clock_set 10"), ==, 50000);
    g_assert_cmpint(clock_answer(s, "clock_set 0x10000"), ==, 0x10000);

    /* An edu DMA arms a 100 ms timer: bare clock_step lands exactly on it. */
    qedu_init(&e, s, BUID_PHB(0), 0, PHB0_MMIO32_CPU);
    qtest_writeq(s, e.mmio + 0x80, 0x1000);
    qtest_writeq(s, e.mmio + 0x88, EDU_BUF);
    qtest_writeq(s, e.mmio + 0x90, 8);
    qtest_writeq(s, e.mmio + 0x98, 1);
    g_assert_cmphex(qtest_readq(s, e.mmio + 0x98) & 1, ==, 1);
    g_assert_cmpint(clock_answer(s, "clock_step"), ==, 0x10000 + 100000000);
    g_assert_cmphex(qtest_readq(s, e.mmio + 0x98) & 1, ==, 0);
    /* No timer left: the clock stays. */
    g_assert_cmpint(clock_answer(s, "clock_step"), ==, 0x10000 + 100000000);

    /* A timer due in the middle of a long step runs; the step completes. */
    qtest_writeq(s, e.mmio + 0x98, 1);
    g_assert_cmpint(clock_answer(s, "clock_step 1000000000"), ==,
                    0x10000 + 1100000000LL);
    g_assert_cmphex(qtest_readq(s, e.mmio + 0x98) & 1, ==, 0);

    /* Steps saturate at INT64_MAX instead of wrapping. */
    g_assert_cmpint(clock_answer(s, "clock_step 0x7fffffffffffffff"), ==,
                    INT64_MAX);
    g_assert_cmpint(clock_answer(s, "clock_step 1"), ==, INT64_MAX);
    /* A timer armed at the end of time runs there (no overflow). */
    qtest_writeq(s, e.mmio + 0x98, 1);
    g_assert_cmpint(clock_answer(s, "clock_step"), ==, INT64_MAX);
    g_assert_cmphex(qtest_readq(s, e.mmio + 0x98) & 1, ==, 0);
    qtest_quit(s);
}

static void test_endianness(void)
{
    QTestState *s = qtest_init(NULL);

    expect_exact(s, "endianness", "OK big");
    qtest_quit(s);
}

/* pseries has no port I/O: reads are zero, writes go nowhere. */
static void test_port_io(void)
{
    QTestState *s = qtest_init(NULL);

    qtest_writel(s, 0x10, 0x12345678);
    expect_exact(s, "outb 0x10 0xff", "OK");
    expect_exact(s, "outw 0x10 0xffff", "OK");
    expect_exact(s, "outl 0x10 0xffffffff", "OK");
    expect_exact(s, "inb 0x10", "OK 0x0000");
    expect_exact(s, "inw 0x10", "OK 0x0000");
    expect_exact(s, "inl 0x10", "OK 0x0000");
    /* Port numbers are not RAM addresses. */
    g_assert_cmphex(qtest_readl(s, 0x10), ==, 0x12345678);
    qtest_quit(s);
}

/* No interrupt controller is modelled: the IRQ verbs are accepted. */
static void test_irq(void)
{
    QTestState *s = qtest_init(NULL);

    expect_exact(s, "irq_intercept_in /machine", "OK");
    expect_exact(s, "irq_intercept_out /machine/peripheral/x", "OK");
    expect_exact(s, "set_irq_in /machine gpio 0 1", "OK");
    assert_alive(s);
    qtest_quit(s);
}

typedef struct BadLine {
    const char *line;
    const char *answer;         /* prefix */
} BadLine;

static const BadLine bad_lines[] = {
    /* unknown verbs */
    { "foo", "FAIL Unknown command 'foo'" },
    { "READB 0", "FAIL Unknown command 'READB'" },
    { "readx 0", "FAIL Unknown command 'readx'" },
    { "rtasx a 0 0 0 0", "FAIL" },
    /* empty and blank lines */
    { "", "ERR" },
    { "   \t ", "ERR" },
    /* missing arguments */
    { "readb", "ERR" }, { "readw", "ERR" }, { "readl", "ERR" },
    { "readq", "ERR" },
    { "writeb", "ERR" }, { "writeb 0x1000", "ERR" },
    { "writew 0x1000", "ERR" }, { "writel 0x1000", "ERR" },
    { "writeq 0x1000", "ERR" },
    { "read", "ERR" }, { "read 0x1000", "ERR" },
    { "write", "ERR" }, { "write 0x1000", "ERR" },
    { "write 0x1000 4", "ERR" },
    { "b64read 0x1000", "ERR" }, { "b64write 0x1000 4", "ERR" },
    { "memset", "ERR" }, { "memset 0x1000 4", "ERR" },
    { "clock_set", "ERR" },
    { "inb", "ERR" }, { "outb 0x10", "ERR" }, { "outl", "ERR" },
    { "irq_intercept_in", "ERR" }, { "set_irq_in /machine gpio 0", "ERR" },
    /* non-numeric */
    { "readb zz", "ERR" }, { "readl 0xgg", "ERR" }, { "readq -1", "ERR" },
    { "readb 0x", "ERR" }, { "readb +", "ERR" },
    { "writel 0x1000 zz", "ERR" }, { "writeq 0x1000 -5", "ERR" },
    { "read 0x1000 four", "ERR" }, { "read x 4", "ERR" },
    { "write 0x1000 4 deadbeef", "ERR" },     /* no 0x */
    { "write 0x1000 4 0xdeadbexf", "ERR" },
    { "write 0x1000 four 0x00", "ERR" },
    { "memset 0x1000 4 0x100", "ERR" },        /* not a byte */
    { "memset 0x1000 4 x", "ERR" },
    { "clock_step -1", "ERR" }, { "clock_step 1.5", "ERR" },
    { "clock_step 0x8000000000000000", "ERR" },
    { "clock_set -1", "ERR" }, { "clock_set soon", "ERR" },
    { "inb x", "ERR" }, { "outw 0x10 y", "ERR" },
    /* numbers out of range */
    { "readb 0x10000000000000000", "ERR" },
    { "writel 0x1000 0x10000000000000000", "ERR" },
    { "read 0x1000 99999999999999999999999", "ERR" },
    /* trailing junk, inside a number or as extra words */
    { "readb 0x1000zz", "ERR" }, { "readl 12abc", "ERR" },
    { "writel 0x1000 5x", "ERR" },
    { "readb 0x1000 junk", "ERR" }, { "readq 0x1000 0", "ERR" },
    { "writeb 0x1000 1 2", "ERR" }, { "read 0x1000 4 4", "ERR" },
    { "write 0x1000 1 0x00 0x00", "ERR" },
    { "b64read 0x1000 4 x", "ERR" }, { "b64write 0x1000 4 AAAA AAAA", "ERR" },
    { "memset 0x1000 1 1 1", "ERR" },
    { "clock_step 1 2", "ERR" }, { "clock_set 1 2", "ERR" },
    { "endianness little", "ERR" }, { "inb 0x10 0", "ERR" },
    { "outb 0x10 0 0", "ERR" }, { "irq_intercept_in a b", "ERR" },
    /* sizes over the 16 MiB limit */
    { "read 0x1000 0x1000001", "ERR" },
    { "read 0x1000 0xffffffffffffffff", "ERR" },
    { "b64read 0x1000 16777217", "ERR" },
    { "write 0x1000 0x1000001 0x00", "ERR" },
    { "b64write 0x1000 0x1000001 AAAA", "ERR" },
    { "memset 0x1000 0x1000001 0", "ERR" },
    /* rtas: NAME NARGS ARGS NRET RETS */
    { "rtas", "ERR" }, { "rtas get-time-of-day", "ERR" },
    { "rtas get-time-of-day 0 0x1000 8", "ERR" },
    { "rtas get-time-of-day x 0x1000 8 0x2000", "ERR" },
    { "rtas get-time-of-day 0 0x1000 8 rets", "ERR" },
    { "rtas get-time-of-day 0 0x1000 0x100000000 0x2000", "ERR" },
    { "rtas get-time-of-day 0x100000000 0x1000 8 0x2000", "ERR" },
    { "rtas get-time-of-day 0 0x1000 8 0x2000 junk", "ERR" },
    /* hcall: OPCODE [ARG...], at most 9 arguments */
    { "hcall", "ERR" }, { "hcall put-tce", "ERR" },
    { "hcall 0x20 1 2 x", "ERR" }, { "hcall 0x20 -1", "ERR" },
    { "hcall 0x20 1 2 3 4 5 6 7 8 9 10", "ERR" },
    { "hcall 0x10000000000000000", "ERR" },
};

static void test_malformed(void)
{
    QTestState *s = qtest_init(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(bad_lines); i++) {
        expect(s, bad_lines[i].line, bad_lines[i].answer);
        /* Nothing was written by the bad line, and the server still works. */
        assert_alive(s);
    }
    /* The FAIL answer names the verb; ERR answers give a reason. */
    expect_exact(s, "frobnicate 1 2", "FAIL Unknown command 'frobnicate'");
    expect(s, "readb", "ERR readb: ");
    expect(s, "read 0 0x1000001", "ERR read: size 16777217 over the limit");
    qtest_quit(s);
}

/* A bad write never lands anywhere. */
static void test_malformed_no_side_effects(void)
{
    QTestState *s = qtest_init(NULL);

    qtest_writeq(s, 0x1000, 0x0102030405060708ULL);
    expect(s, "writel 0x1000 0x5x", "ERR");
    expect(s, "writel 0x1000 5 6", "ERR");
    expect(s, "write 0x1000 8 0x11223344556677zz", "ERR");
    expect(s, "b64write 0x1000 0x1000001 AAAA", "ERR");
    expect(s, "memset 0x1000 8 0x1ff", "ERR");
    expect(s, "memset 0x1000 0x1000001 0", "ERR");
    g_assert_cmphex(qtest_readq(s, 0x1000), ==, 0x0102030405060708ULL);
    qtest_quit(s);
}

static char *hex_encode(const uint8_t *buf, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    char *s = g_malloc(2 * size + 1);

    for (size_t i = 0; i < size; i++) {
        s[2 * i] = hex[buf[i] >> 4];
        s[2 * i + 1] = hex[buf[i] & 0xf];
    }
    s[2 * size] = 0;
    return s;
}

/* Exactly 16 MiB is allowed in both directions, in every encoding. */
static void test_max_transfer(void)
{
    QTestState *s = qtest_init(NULL);
    g_autofree uint8_t *buf = g_malloc(MAX_XFER);
    g_autofree char *hex = NULL;
    g_autofree char *line = NULL;
    g_autofree char *ans = NULL;
    g_autofree char *b64 = NULL;

    qtest_memset(s, SCRATCH, 0x3c, MAX_XFER);
    g_assert_cmphex(qtest_readb(s, SCRATCH), ==, 0x3c);
    g_assert_cmphex(qtest_readb(s, SCRATCH + MAX_XFER - 1), ==, 0x3c);
    g_assert_cmphex(qtest_readb(s, SCRATCH + MAX_XFER), ==, 0);

    for (int i = 0; i < MAX_XFER; i++) {
        buf[i] = i ^ (i >> 8);
    }
    hex = hex_encode(buf, MAX_XFER);
    line = g_strdup_printf("write 0x%" PRIx64 " 0x%x 0x%s", SCRATCH, MAX_XFER,
                           hex);
    expect_exact(s, line, "OK");
    g_assert_cmphex(qtest_readb(s, SCRATCH + 0x123456), ==,
                    (uint8_t)(0x123456 ^ 0x1234));
    g_free(line);
    line = g_strdup_printf("read 0x%" PRIx64 " 0x%x", SCRATCH, MAX_XFER);
    ans = qtest_raw(s, line);
    g_assert_cmpuint(strlen(ans), ==, 5 + 2 * MAX_XFER);
    g_assert_true(g_str_has_prefix(ans, "OK 0x"));
    g_assert_true(strcmp(ans + 5, hex) == 0);

    b64 = g_base64_encode(buf, MAX_XFER);
    g_free(line);
    g_free(ans);
    line = g_strdup_printf("b64read 0x%" PRIx64 " 0x%x", SCRATCH, MAX_XFER);
    ans = qtest_raw(s, line);
    g_assert_true(strcmp(ans + 3, b64) == 0);
    g_free(line);
    line = g_strdup_printf("b64write 0x%" PRIx64 " 0x%x %s", SCRATCH + 1,
                           MAX_XFER, b64);
    expect_exact(s, line, "OK");
    g_assert_cmphex(qtest_readb(s, SCRATCH + 1 + 0x123456), ==,
                    (uint8_t)(0x123456 ^ 0x1234));
    qtest_quit(s);
}

/* A line longer than any valid command is refused as a whole. */
static void test_overlong_line(void)
{
    QTestState *s = qtest_init(NULL);
    size_t len = 2 * MAX_XFER + 4096;
    g_autofree char *line = g_malloc(len + 1);

    /* A valid-looking write whose data makes the line too long. */
    memcpy(line, "write 0x1000 0x10 0x", 20);
    memset(line + 20, 'a', len - 20);
    line[len] = 0;
    qtest_writel(s, 0x1000, 0x11111111);
    expect(s, line, "ERR");
    g_assert_cmphex(qtest_readl(s, 0x1000), ==, 0x11111111);
    /* Garbage without spaces, too. */
    memset(line, 'z', len);
    expect(s, line, "ERR");
    assert_alive(s);
    qtest_quit(s);
}

/*
 * Several commands in one write, and CRLF line ends: one answer per line,
 * in order.  qtest_raw() reads one answer per call, so the later calls
 * collect the answers the earlier lines are owed.
 */
static void test_pipelined(void)
{
    QTestState *s = qtest_init(NULL);
    const char *send[] = {
        "writel 0x1000 0x42\nreadl 0x1000\r\nfoo",
        "endianness\r", "readb 0x1003", "readb 0x1002", "endianness",
        "endianness",
    };
    const char *answers[] = {
        "OK", "OK 0x0000000000000042", "FAIL Unknown command 'foo'",
        "OK big", "OK 0x0000000000000042", "OK 0x0000000000000000",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(send); i++) {
        expect_exact(s, send[i], answers[i]);
    }
    qtest_quit(s);
}

static void test_unmapped(void)
{
    QTestState *s = qtest_init(NULL);
    uint8_t buf[64];

    /* Reads of unmapped addresses give zeros of the requested size. */
    g_assert_cmphex(qtest_readb(s, UNMAPPED), ==, 0);
    g_assert_cmphex(qtest_readq(s, UNMAPPED), ==, 0);
    g_assert_cmphex(qtest_readq(s, 0x7fffffffffff0000ULL), ==, 0);
    /* Writes there are dropped, not remembered. */
    qtest_writeq(s, UNMAPPED, 0x1122334455667788ULL);
    g_assert_cmphex(qtest_readq(s, UNMAPPED), ==, 0);
    expect_exact(s, "write 0x200000000 4 0xffffffff", "OK");
    expect_exact(s, "read 0x200000000 4", "OK 0x00000000");
    expect_exact(s, "memset 0x200000000 64 0xff", "OK");
    qtest_memread(s, UNMAPPED, buf, sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); i++) {
        g_assert_cmphex(buf[i], ==, 0);
    }
    expect_exact(s, "b64write 0x200000000 3 AAEC", "OK");
    expect_exact(s, "b64read 0x200000000 3", "OK AAAA");
    /* The PHB's I/O window exists but decodes nothing. */
    qtest_writel(s, 0x10080000000ULL, 0xffffffff);
    g_assert_cmphex(qtest_readl(s, 0x10080000000ULL), ==, 0);
    /* So does an unprogrammed part of its 32-bit MMIO window. */
    qtest_writel(s, PHB0_MMIO32_CPU, 0xffffffff);
    g_assert_cmphex(qtest_readl(s, PHB0_MMIO32_CPU), ==, 0);
    /* The very top of the address space. */
    g_assert_cmphex(qtest_readq(s, 0xfffffffffffffff8ULL), ==, 0);
    qtest_writeq(s, 0xfffffffffffffff8ULL, 1);
    assert_alive(s);
    qtest_quit(s);
}

/* An access across the end of RAM: the RAM part works, the rest misses. */
static void test_straddle_ram_end(void)
{
    QTestState *s = qtest_init(NULL);
    uint8_t buf[16];

    qtest_memset(s, RAM_SIZE - 16, 0, 16);
    qtest_writeq(s, RAM_SIZE - 4, 0x1122334455667788ULL);
    g_assert_cmphex(qtest_readl(s, RAM_SIZE - 4), ==, 0x11223344);
    g_assert_cmphex(qtest_readq(s, RAM_SIZE - 4), ==, 0x1122334400000000ULL);
    g_assert_cmphex(qtest_readl(s, RAM_SIZE), ==, 0);

    qtest_writel(s, RAM_SIZE - 2, 0xaabbccdd);
    g_assert_cmphex(qtest_readw(s, RAM_SIZE - 2), ==, 0xaabb);
    g_assert_cmphex(qtest_readl(s, RAM_SIZE - 2), ==, 0xaabb0000);

    qtest_memset(s, RAM_SIZE - 8, 0x77, 16);
    qtest_memread(s, RAM_SIZE - 8, buf, 16);
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(buf[i], ==, i < 8 ? 0x77 : 0);
    }
    expect_exact(s, "write 0xfffffffe 4 0x01020304", "OK");
    expect_exact(s, "read 0xfffffffe 4", "OK 0x01020000");
    expect_exact(s, "b64read 0xffffffff 2", "OK AgA=");
    qtest_quit(s);
}

/* A transfer that would wrap past 2^64 reads zeros and writes nothing. */
static void test_wrap(void)
{
    QTestState *s = qtest_init(NULL);

    qtest_writel(s, 0, 0x12345678);
    expect_exact(s, "read 0xfffffffffffffffe 6", "OK 0x000000000000");
    expect_exact(s, "readq 0xfffffffffffffffc", "OK 0x0000000000000000");
    expect_exact(s, "writeq 0xfffffffffffffffc 0xffffffffffffffff", "OK");
    expect_exact(s, "memset 0xffffffffffffff00 0x200 0xff", "OK");
    expect_exact(s, "write 0xffffffffffffffff 4 0xffffffff", "OK");
    /* Nothing wrapped around to address 0. */
    g_assert_cmphex(qtest_readl(s, 0), ==, 0x12345678);
    qtest_quit(s);
}

static void test_rtas_verb(void)
{
    QTestState *s = qtest_init(NULL);

    /* An unknown name answers OK with -4 (as u64), like QEMU. */
    expect_exact(s, "rtas ibm,nothing 0 0x1000 1 0x2000",
                 "OK 18446744073709551612");
    /* Known names answer OK 0, whatever the buffers hold. */
    expect_exact(s, "rtas get-time-of-day 0 0x1000 8 0x2000", "OK 0");
    expect_exact(s, "rtas get-time-of-day 0xffffffff 0xffffffffffffffff "
                 "0xffffffff 0xfffffffffffffff0", "OK 0");
    expect_exact(s, "rtas read-pci-config 2 0x200000000 2 0x200000000",
                 "OK 0");
    assert_alive(s);
    qtest_quit(s);
}

static void test_hcall_verb(void)
{
    QTestState *s = qtest_init(NULL);
    uint64_t r[9];
    uint64_t args[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

    /* Unknown opcodes are H_FUNCTION and leave r4.. as they came. */
    qtest_hcall(s, 0x4, 9, args, r);
    g_assert_cmphex(r[0], ==, H_FUNCTION_U);
    for (int i = 1; i < 9; i++) {
        g_assert_cmphex(r[i], ==, args[i - 1]);
    }
    qtest_hcall(s, 0x21, 0, NULL, r);       /* not a multiple of 4 */
    g_assert_cmphex(r[0], ==, H_FUNCTION_U);
    qtest_hcall(s, 0x454, 0, NULL, r);      /* past the PAPR table */
    g_assert_cmphex(r[0], ==, H_FUNCTION_U);
    qtest_hcall(s, 0xf004, 0, NULL, r);     /* past the KVM-PPC range */
    g_assert_cmphex(r[0], ==, H_FUNCTION_U);
    qtest_hcall(s, 0xffffffffffffffffULL, 0, NULL, r);
    g_assert_cmphex(r[0], ==, H_FUNCTION_U);
    /* Exactly nine arguments, in any base; missing ones are zero. */
    expect_exact(s, "hcall 4 1 0x2 03 4 5 6 7 8 9",
                 "OK 0xfffffffffffffffe 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8");
    expect_exact(s, "hcall 4", "OK 0xfffffffffffffffe 0x0 0x0 0x0 0x0 0x0 "
                 "0x0 0x0 0x0");
    /* H_PUT_TCE with an unknown LIOBN is a parameter error, not a crash. */
    g_assert_cmphex(qh_put_tce(s, 0xdeadbeef, 0, 0x1003), ==, H_PARAMETER_U);
    g_assert_cmphex(qh_put_tce(s, 0xffffffffffffffffULL, 0, 3), ==,
                    H_PARAMETER_U);
    assert_alive(s);
    qtest_quit(s);
}

/* Closing the connection ends the process with status 0. */
static void test_quit_on_close(void)
{
    QTestState *s = qtest_init(NULL);

    expect(s, "foo", "FAIL");
    expect(s, "readb", "ERR");
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qtest/protocol/readx", test_readx);
    g_test_add_func("/qtest/protocol/writex", test_writex);
    g_test_add_func("/qtest/protocol/read-write", test_read_write);
    g_test_add_func("/qtest/protocol/b64", test_b64);
    g_test_add_func("/qtest/protocol/memset", test_memset);
    g_test_add_func("/qtest/protocol/clock", test_clock);
    g_test_add_func("/qtest/protocol/endianness", test_endianness);
    g_test_add_func("/qtest/protocol/port-io", test_port_io);
    g_test_add_func("/qtest/protocol/irq", test_irq);
    g_test_add_func("/qtest/protocol/pipelined", test_pipelined);
    g_test_add_func("/qtest/protocol/quit-on-close", test_quit_on_close);
    g_test_add_func("/qtest/malformed/lines", test_malformed);
    g_test_add_func("/qtest/malformed/no-side-effects",
                    test_malformed_no_side_effects);
    g_test_add_func("/qtest/malformed/overlong-line", test_overlong_line);
    g_test_add_func("/qtest/limits/max-transfer", test_max_transfer);
    g_test_add_func("/qtest/memory/unmapped", test_unmapped);
    g_test_add_func("/qtest/memory/straddle-ram-end", test_straddle_ram_end);
    g_test_add_func("/qtest/memory/wrap", test_wrap);
    g_test_add_func("/qtest/machine/rtas", test_rtas_verb);
    g_test_add_func("/qtest/machine/hcall", test_hcall_verb);
    return g_test_run();
}
