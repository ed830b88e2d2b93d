/*
 * The command line's memory options: -m sizes, -machine none, memory
 * backends (RAM, a shared file), -mem-path and a 1 TiB guest that costs
 * little host memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "libqtest.h"
#include "libqos/qmp.h"
#include "libqos/rtas.h"

/* RAM ends where -m says: the last byte keeps data, the next one not. */
static void assert_ram_size(QTestState *s, uint64_t size)
{
    qtest_writeb(s, size - 1, 0x5a);
    qtest_writeb(s, size, 0x5a);
    g_assert_cmphex(qtest_readb(s, size - 1), ==, 0x5a);
    g_assert_cmphex(qtest_readb(s, size), ==, 0);
}

static void test_ram_sizes(void)
{
    static const struct {
        const char *arg;
        uint64_t size;
    } sizes[] = {
        { "-m 256", 256ULL << 20 }, { "-m 256M", 256ULL << 20 },
        { "-m 8G", 8ULL << 30 }, { "-m size=2G", 2ULL << 30 },
        { "-m 1536M,slots=4,maxmem=8G", 1536ULL << 20 },
        { "-m 4096", 4ULL << 30 }, { "-m 0x2000", 8ULL << 30 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        QTestState *s = qtest_init(sizes[i].arg);

        assert_ram_size(s, sizes[i].size);
        qtest_quit(s);
    }
}

/* -machine none: no devices, RAM only when -m asks for it. */
static void test_machine_none(void)
{
    QTestState *s = qtest_init_bare("-machine none -accel qtest");
    QTestState *m = qtest_init_bare("-machine none -m 256M -accel qtest");
    g_autofree char *rtas = NULL;

    qtest_writel(s, 0, 0x12345678);
    g_assert_cmphex(qtest_readl(s, 0), ==, 0);
    /* No pseries machine: no RTAS either. */
    rtas = qtest_raw(s, "rtas get-time-of-day 0 0 8 0");
    g_assert_true(g_str_has_prefix(rtas, "FAIL"));
    assert_ram_size(m, 256ULL << 20);
    qtest_quit(s);
    qtest_quit(m);
}

static void test_memory_backend_ram(void)
{
    QTestState *s = qtest_init("-object memory-backend-ram,id=mem0,size=4G "
                               "-machine pseries-2.7,memory-backend=mem0");

    assert_ram_size(s, 4ULL << 30);
    qtest_writeq(s, 0, 0x1122334455667788ULL);
    g_assert_cmphex(qtest_readq(s, 0), ==, 0x1122334455667788ULL);
    qtest_quit(s);

    /* -m and the backend agree in any spelling. */
    s = qtest_init("-m 2048 -object memory-backend-ram,id=m,size=2G,"
                   "prealloc=off,share=off -M pseries,memory-backend=m");
    assert_ram_size(s, 2ULL << 30);
    qtest_quit(s);
}

/* A shared file backend: guest writes show up in the file. */
static void test_memory_backend_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("spapr-ddw-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "ram", NULL);
    QTestState *s = qtest_initf("-m 1G -object memory-backend-file,id=m,"
                                "size=1G,mem-path=%s,share=on "
                                "-M pseries,memory-backend=m", path);
    g_autofree char *data = NULL;
    FILE *f;
    char buf[4];

    qtest_writel(s, 0x12340, 0x41424344);
    assert_ram_size(s, 1ULL << 30);
    f = fopen(path, "r");
    g_assert_nonnull(f);
    g_assert_cmpint(fseek(f, 0x12340, SEEK_SET), ==, 0);
    g_assert_cmpuint(fread(buf, 1, 4, f), ==, 4);
    fclose(f);
    g_assert_cmpmem(buf, 4, "ABCD", 4);
    qtest_quit(s);
    g_unlink(path);
    g_rmdir(dir);
}

/* -mem-path DIR: RAM in an unlinked file in DIR; usable, leaves nothing. */
static void test_mem_path(void)
{
    g_autofree char *dir = g_dir_make_tmp("spapr-ddw-XXXXXX", NULL);
    QTestState *s = qtest_initf("-m 1G -mem-path %s", dir);
    GDir *d;

    qtest_memset(s, 0, 0xab, 0x10000);
    qtest_writeq(s, (1ULL << 30) - 8, 0x0102030405060708ULL);
    g_assert_cmphex(qtest_readq(s, (1ULL << 30) - 8), ==,
                    0x0102030405060708ULL);
    g_assert_cmphex(qtest_readb(s, 0xffff), ==, 0xab);
    assert_ram_size(s, 1ULL << 30);
    qtest_quit(s);
    d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    g_assert_null(g_dir_read_name(d));
    g_dir_close(d);
    g_rmdir(dir);
}

static uint64_t vm_rss_kb(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", pid);
    g_autofree char *text = NULL;
    const char *p;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    p = strstr(text, "VmRSS:");
    g_assert_nonnull(p);
    return g_ascii_strtoull(p + strlen("VmRSS:"), NULL, 10);
}

/* A 1 TiB guest starts, works at both ends, and costs little memory. */
static void test_1t_guest(void)
{
    QTestState *s = qtest_init("-m 1T");
    uint64_t rss;

    /* The handshake: the process has answered, so it is fully up. */
    qtest_writel(s, 0, 1);
    g_assert_cmphex(qtest_readl(s, 0), ==, 1);
    rss = vm_rss_kb(qtest_pid(s));
    g_test_message("VmRSS with -m 1T: %" PRIu64 " kB", rss);
    g_assert_cmpuint(rss, <, 50 * 1024);
    assert_ram_size(s, 1ULL << 40);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cmdline/ram-sizes", test_ram_sizes);
    g_test_add_func("/cmdline/machine-none", test_machine_none);
    g_test_add_func("/cmdline/memory-backend/ram", test_memory_backend_ram);
    g_test_add_func("/cmdline/memory-backend/file", test_memory_backend_file);
    g_test_add_func("/cmdline/mem-path", test_mem_path);
    g_test_add_func("/cmdline/1t-guest", test_1t_guest);
    return g_test_run();
}
