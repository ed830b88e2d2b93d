/*
 * Live migration between two processes: TCE tables (default and DDW
 * windows), RAM and the edu device must arrive intact over unix: and tcp:,
 * DMA must go on through the windows on the destination, a pseries-2.6
 * machine must use the single-window format, committed golden streams
 * must keep loading, pages dirtied during precopy must travel again, and
 * a cancelled migration must leave the source as it was.  Hostile streams:
 * migration-hostile-test.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include "libqos/migrate.h"
#include "libqos/rtas.h"
#include "libqos/edu.h"

static void edu_fill(QEdu *e, uint64_t seed)
{
    for (int i = 0; i < 64; i += 8) {
        qtest_writeq(e->qts, e->mmio + EDU_BUF + i, seed * 0x0101010101010101ULL
                     + i);
    }
}

/* A free loopback TCP port (bound once, then released). */
static int free_tcp_port(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sa, &len), ==, 0);
    port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

/* The full scenario over one transport. */
static void test_migrate_transport(bool tcp, bool compress)
{
    char *dir = mig_tmp_dir();
    g_autofree char *uri = tcp ?
        g_strdup_printf("tcp:127.0.0.1:%d", free_tcp_port()) :
        g_strdup_printf("unix:%s/mig.sock", dir);
    g_autofree char *incoming = g_strdup_printf("-incoming %s", uri);
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.7", NULL);
    MigVm *dst = mig_vm_start(dir, "dst", "pseries-2.7", incoming);
    QEdu edu;
    uint8_t buf[64], want[64];
    g_autofree char *st = NULL, *dt = NULL, *rs = NULL, *rd = NULL;

    mig_populate_ram(src->qts);
    mig_populate_tces(src->qts, true);
    qedu_init(&edu, src->qts, BUID0, EDU_CFG, PHB0_MMIO32_CPU);
    edu_fill(&edu, 0x11);
    /* DMA through the DDW window before migrating: lands at DMA_RAM. */
    g_assert_true(qedu_dma(&edu, EDU_BUF, DDW_START + DMA_RAM, 64, true));
    edu_fill(&edu, 0x22);
    if (compress) {
        mig_qmp_ok(src->qmp, "{\"execute\": \"migrate-set-parameters\", "
                   "\"arguments\": {\"compress\": true}}");
    }
    if (tcp) {
        /* paced: the stream is about 1 MB */
        mig_qmp_ok(src->qmp, "{\"execute\": \"migrate-set-parameters\", "
                   "\"arguments\": {\"max-bandwidth\": 33554432}}");
    }
    rd = mig_run_status(dst);
    g_assert_cmpstr(rd, ==, "inmigrate");
    g_free(rd);
    mig_migrate(src, uri);
    st = mig_wait_end(src);
    g_assert_cmpstr(st, ==, "completed");
    dt = mig_wait_end(dst);
    g_assert_cmpstr(dt, ==, "completed");
    rs = mig_run_status(src);
    g_assert_cmpstr(rs, ==, "postmigrate");
    rd = mig_run_status(dst);
    g_assert_cmpstr(rd, ==, "paused");      /* -S */

    mig_compare_window(src->qts, dst->qts, LIOBN_DEF, 0, 12, DEF_ENTRIES);
    mig_compare_window(src->qts, dst->qts, LIOBN_DDW, DDW_START, DDW_SHIFT,
                       DDW_ENTRIES);
    mig_check_tces(dst->qts, true);
    for (int k = 0; k < PATTERN_PAGES; k++) {
        mig_compare_page(src->qts, dst->qts, PATTERN_BASE + k * 0x10000ULL);
    }
    mig_compare_page(src->qts, dst->qts, TCE_LIST);
    mig_compare_page(src->qts, dst->qts, DMA_RAM);
    mig_compare_page(src->qts, dst->qts, QRTAS_SCRATCH);
    mig_check_ram(dst->qts, true);

    /* The edu device goes on: its buffer came along, DMA works both ways. */
    edu.qts = dst->qts;
    qtest_memread(dst->qts, DMA_RAM, buf, 8);
    g_assert_cmphex(mig_be64_at(buf), ==, 0x1111111111111111ULL);
    g_assert_cmphex(qtest_readq(dst->qts, edu.mmio + EDU_BUF), ==,
                    0x2222222222222222ULL);
    g_assert_true(qedu_dma(&edu, EDU_BUF, DDW_START + DMA_RAM + PAGE, 64,
                           true));
    g_assert_true(qedu_dma(&edu, EDU_BUF, 5 * PAGE, 64, true));
    qtest_memread(dst->qts, DMA_RAM + PAGE, buf, 64);
    qtest_memread(dst->qts, 0x205000, want, 64);
    g_assert_cmpmem(buf, 64, want, 64);
    g_assert_cmphex(mig_be64_at(buf), ==, 0x2222222222222222ULL);
    /* and from RAM into the device through the default window */
    qtest_writeq(dst->qts, 0x201000, 0x0123456789abcdefULL);
    g_assert_true(qedu_dma(&edu, PAGE, EDU_BUF, 8, false));
    g_assert_cmphex(qtest_readq(dst->qts, edu.mmio + EDU_BUF), ==,
                    0x0123456789abcdefULL);
    mig_vm_quit(src);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

static void test_migrate_unix(void)
{
    test_migrate_transport(false, false);
}

static void test_migrate_tcp(void)
{
    test_migrate_transport(true, false);
}

static void test_migrate_unix_compressed(void)
{
    test_migrate_transport(false, true);
}

static size_t count_substr(const uint8_t *data, size_t len, const char *s)
{
    size_t n = 0, l = strlen(s);

    for (size_t i = 0; i + l <= len; i++) {
        n += !memcmp(data + i, s, l);
    }
    return n;
}

/* pseries-2.6 (ddw=off): one table, no DDW sections, and it round-trips. */
static void test_migrate_pseries26(void)
{
    char *dir = mig_tmp_dir();
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.6", NULL);
    g_autofree char *path = NULL, *incoming = NULL, *st = NULL;
    g_autofree uint8_t *data = NULL;
    uint32_t liobn;
    uint64_t start;
    gsize len;
    MigVm *dst;

    mig_populate_ram(src->qts);
    mig_populate_tces(src->qts, false);
    g_assert_cmpint(qrtas_create(src->qts, BUID0, 16, 29, &liobn, &start),
                    ==, RTAS_PARAM_ERROR);
    path = mig_save_stream(src, dir, "26.mig");
    g_assert_true(g_file_get_contents(path, (char **)&data, &len, NULL));
    /* "spapr_iommu" appears once (one table); no geometry subsection */
    g_assert_cmpuint(count_substr(data, len, "spapr_iommu"), ==, 1);
    g_assert_cmpuint(count_substr(data, len, "spapr_iommu_ex"), ==, 0);
    g_assert_cmpuint(count_substr(data, len, "spapr_pci"), ==, 1);

    incoming = g_strdup_printf("-incoming 'exec:cat %s'", path);
    dst = mig_vm_start(dir, "dst", "pseries-2.6", incoming);
    st = mig_wait_end(dst);
    g_assert_cmpstr(st, ==, "completed");
    mig_compare_window(src->qts, dst->qts, LIOBN_DEF, 0, 12, DEF_ENTRIES);
    mig_check_tces(dst->qts, false);
    mig_check_ram(dst->qts, true);
    mig_vm_quit(src);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

/* A 2.6 stream into a 2.7 machine: its second table keeps its state. */
static void test_migrate_26_into_27(void)
{
    char *dir = mig_tmp_dir();
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.6", NULL);
    g_autofree char *path = mig_save_stream(src, dir, "26.mig");
    g_autofree char *incoming = g_strdup_printf("-incoming 'exec:cat %s'",
                                                path);
    g_autofree char *st = NULL;
    MigVm *dst;

    mig_vm_quit(src);
    /*
     * The 2.7 machine has a second table the stream does not mention:
     * that loads (the table stays disabled), as in QEMU.
     */
    dst = mig_vm_start(dir, "dst", "pseries-2.7", incoming);
    st = mig_wait_end(dst);
    g_assert_cmpstr(st, ==, "completed");
    g_assert_cmphex(qh_get_tce(dst->qts, LIOBN_DDW, DDW_START, NULL), ==,
                    H_PARAMETER_U);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

/*
 * A VFIO container on the destination (emulated POWER host) receives the
 * incoming mappings: the assigned device's DMA goes through TCEs the
 * guest only ever put on the source.
 */
static void test_vfio_destination(void)
{
    char *dir = mig_tmp_dir();
    g_autofree char *uri = g_strdup_printf("unix:%s/mig.sock", dir);
    g_autofree char *incoming = g_strdup_printf(
        "-incoming %s " VFIO_ARGS, uri);
    g_autofree char *st = NULL, *dt = NULL;
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.7", VFIO_ARGS);
    MigVm *dst = mig_vm_start(dir, "dst", "pseries-2.7", incoming);
    uint8_t a[PAGE], b[PAGE];
    QEdu e;

    mig_populate_tces(src->qts, true);
    mig_fill_pattern(a, 77);
    qtest_memwrite(src->qts, 0x205000, a, 64);
    mig_fill_pattern(b, 78);
    qtest_memwrite(src->qts, 0x300000, b, 64);
    mig_migrate(src, uri);
    st = mig_wait_end(src);
    g_assert_cmpstr(st, ==, "completed");
    dt = mig_wait_end(dst);
    g_assert_cmpstr(dt, ==, "completed");

    /*
     * vfio-pci's config space is not migrated: program it again.  Then
     * RAM -> device -> RAM through each window, with TCEs put on the
     * source only.
     */
    qedu_init(&e, dst->qts, BUID0, 0, PHB0_MMIO32_CPU);
    g_assert_true(qedu_dma(&e, 5 * PAGE, EDU_BUF, 64, false));
    g_assert_true(qedu_dma(&e, EDU_BUF, 6 * PAGE, 64, true));
    qtest_memread(dst->qts, 0x206000, b, 64);
    g_assert_cmpmem(b, 64, a, 64);
    g_assert_true(qedu_dma(&e, DDW_START + 0x300000, EDU_BUF, 64, false));
    g_assert_true(qedu_dma(&e, EDU_BUF, DDW_START + 0x310000, 64, true));
    qtest_memread(dst->qts, 0x310000, b, 64);
    mig_fill_pattern(a, 78);
    g_assert_cmpmem(b, 64, a, 64);
    mig_vm_quit(src);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

static const char *golden_path(bool ddw)
{
    return ddw ? "tests/data/migration/pseries-2.7-ddw.mig.gz"
               : "tests/data/migration/pseries-2.6.mig.gz";
}

/*
 * SPAPR_DDW_REGEN_GOLDEN=1 rewrites the files; only do that for a
 * deliberate format change, and explain it in docs/devel/migration.md.
 */
static void test_golden(gconstpointer opaque)
{
    bool ddw = GPOINTER_TO_INT(opaque);
    const char *machine = ddw ? "pseries-2.7" : "pseries-2.6";
    char *dir = mig_tmp_dir();
    g_autofree char *incoming = NULL, *st = NULL, *rs = NULL;
    MigVm *vm;

    if (g_getenv("SPAPR_DDW_REGEN_GOLDEN")) {
        g_autofree char *uri = g_strdup_printf("exec:gzip -9n > %s",
                                               golden_path(ddw));

        vm = mig_vm_start(dir, "src", machine, NULL);
        mig_populate_ram(vm->qts);
        mig_populate_tces(vm->qts, ddw);
        mig_migrate(vm, uri);
        st = mig_wait_end(vm);
        g_assert_cmpstr(st, ==, "completed");
        g_clear_pointer(&st, g_free);
        mig_vm_quit(vm);
    }
    g_assert_true(g_file_test(golden_path(ddw), G_FILE_TEST_EXISTS));
    incoming = g_strdup_printf("-incoming 'exec:gzip -dc %s'",
                               golden_path(ddw));
    mig_vm_paused = ddw;    /* without -S the destination runs once loaded */
    vm = mig_vm_start(dir, "dst", machine, incoming);
    mig_vm_paused = true;
    st = mig_wait_end(vm);
    g_assert_cmpstr(st, ==, "completed");
    rs = mig_run_status(vm);
    g_assert_cmpstr(rs, ==, ddw ? "paused" : "running");
    mig_check_tces(vm->qts, ddw);
    mig_check_ram(vm->qts, true);
    mig_vm_quit(vm);
    mig_rm_dir(dir);
}

/* A page written after it was sent travels again (dirty logging). */
static void test_dirty_pages(void)
{
    char *dir = mig_tmp_dir();
    g_autofree char *gate = g_strdup_printf("%s/gate", dir);
    g_autofree char *file = g_strdup_printf("%s/dirty.mig", dir);
    g_autofree char *uri = g_strdup_printf("exec:read x < %s; cat > %s",
                                           gate, file);
    g_autofree char *gate2 = g_strdup_printf("%s/gate2", dir);
    g_autofree char *incoming = g_strdup_printf(
        "-incoming 'exec:read x < %s; cat %s'", gate2, file);
    g_autofree char *st = NULL, *dt = NULL, *rd = NULL;
    uint8_t fresh[PAGE], got[PAGE];
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.7", NULL), *dst;
    FILE *g;

    g_assert_cmpint(mkfifo(gate, 0600), ==, 0);
    mig_populate_ram(src->qts);
    mig_populate_tces(src->qts, true);
    mig_migrate(src, uri);
    /* The stream is blocked behind the gate once the first round is out. */
    for (int i = 0; mig_ram_transferred(src) == 0; i++) {
        g_assert_cmpint(i, <, WAIT_TRIES);
        g_usleep(10000);
    }
    st = mig_status(src);
    g_assert_cmpstr(st, ==, "active");
    g_clear_pointer(&st, g_free);
    memset(fresh, 0xa5, PAGE);
    qtest_memwrite(src->qts, PATTERN_BASE, fresh, PAGE);
    qtest_memset(src->qts, PATTERN_BASE + 0x10000, 0, PAGE);
    g_assert_cmphex(qh_put_tce(src->qts, LIOBN_DEF, 7 * PAGE, 0x9000 | 3),
                    ==, H_SUCCESS_U);
    g = fopen(gate, "w");
    g_assert_nonnull(g);
    fputs("go\n", g);
    fclose(g);
    st = mig_wait_end(src);
    g_assert_cmpstr(st, ==, "completed");

    /* The destination answers while its stream has not arrived. */
    g_assert_cmpint(mkfifo(gate2, 0600), ==, 0);
    dst = mig_vm_start(dir, "dst", "pseries-2.7", incoming);
    dt = mig_status(dst);
    g_assert_cmpstr(dt, ==, "active");
    rd = mig_run_status(dst);
    g_assert_cmpstr(rd, ==, "inmigrate");
    g_assert_cmphex(qtest_readq(dst->qts, PATTERN_BASE), ==, 0);
    g = fopen(gate2, "w");
    g_assert_nonnull(g);
    fclose(g);
    g_clear_pointer(&dt, g_free);
    dt = mig_wait_end(dst);
    g_assert_cmpstr(dt, ==, "completed");
    qtest_memread(dst->qts, PATTERN_BASE, got, PAGE);
    g_assert_cmpmem(got, PAGE, fresh, PAGE);
    memset(fresh, 0, PAGE);     /* a page that became zero: zero record */
    qtest_memread(dst->qts, PATTERN_BASE + 0x10000, got, PAGE);
    g_assert_cmpmem(got, PAGE, fresh, PAGE);
    mig_compare_window(src->qts, dst->qts, LIOBN_DEF, 0, 12, DEF_ENTRIES);
    mig_vm_quit(src);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

/*
 * Cancelled while blocked: the source is as before and migrates again,
 * to a destination started with -incoming defer and told by QMP.
 */
static void test_cancel(void)
{
    char *dir = mig_tmp_dir();
    g_autofree char *gate = g_strdup_printf("%s/gate", dir);
    g_autofree char *uri = g_strdup_printf("exec:read x < %s; cat > /dev/null",
                                           gate);
    g_autofree char *uri2 = g_strdup_printf("unix:%s/mig.sock", dir);
    g_autofree char *cmd = g_strdup_printf(
        "{\"execute\": \"migrate-incoming\", \"arguments\": "
        "{\"uri\": \"%s\"}}", uri2);
    g_autofree char *st = NULL, *rs = NULL, *dt = NULL;
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.7", NULL), *dst;
    bool err;
    JsonNode *r;
    FILE *g;

    g_assert_cmpint(mkfifo(gate, 0600), ==, 0);
    mig_populate_ram(src->qts);
    mig_populate_tces(src->qts, true);
    mig_migrate(src, uri);
    /* a second migration while one runs is refused */
    r = mig_qmp_cmd(src->qmp, "{\"execute\": \"migrate\", \"arguments\": "
                    "{\"uri\": \"exec:cat > /dev/null\"}}", &err);
    g_assert_true(err);
    json_node_unref(r);
    mig_qmp_ok(src->qmp, "{\"execute\": \"migrate_cancel\"}");
    st = mig_status(src);
    g_assert_cmpstr(st, ==, "cancelled");
    rs = mig_run_status(src);
    g_assert_cmpstr(rs, ==, "prelaunch");   /* -S, as before */
    g = fopen(gate, "w");                   /* let the command end */
    g_assert_nonnull(g);
    fclose(g);

    /* the destination waits for QMP to say where the stream comes from */
    dst = mig_vm_start(dir, "dst", "pseries-2.7", "-incoming defer");
    g_clear_pointer(&rs, g_free);
    rs = mig_run_status(dst);
    g_assert_cmpstr(rs, ==, "inmigrate");
    mig_qmp_ok(dst->qmp, cmd);
    mig_migrate(src, uri2);
    g_clear_pointer(&st, g_free);
    st = mig_wait_end(src);
    g_assert_cmpstr(st, ==, "completed");
    dt = mig_wait_end(dst);
    g_assert_cmpstr(dt, ==, "completed");
    mig_check_tces(dst->qts, true);
    mig_check_ram(dst->qts, true);
    mig_vm_quit(src);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

/* A 1 TiB guest that touched little sends little: untouched RAM is skipped. */
static void test_large_empty_guest(void)
{
    char *dir = mig_tmp_dir();
    g_autofree char *uri = g_strdup_printf("unix:%s/mig.sock", dir);
    g_autofree char *incoming = g_strdup_printf("-incoming %s", uri);
    g_autofree char *st = NULL, *dt = NULL;
    MigVm *src, *dst;
    bool err;
    JsonNode *r;
    JsonObject *ram;

    mig_vm_mem = "1T";
    src = mig_vm_start(dir, "src", "pseries-2.7", NULL);
    dst = mig_vm_start(dir, "dst", "pseries-2.7", incoming);
    mig_vm_mem = "512M";
    mig_populate_ram(src->qts);
    mig_populate_tces(src->qts, true);
    mig_migrate(src, uri);
    st = mig_wait_end(src);
    g_assert_cmpstr(st, ==, "completed");
    dt = mig_wait_end(dst);
    g_assert_cmpstr(dt, ==, "completed");
    r = mig_qmp_cmd(src->qmp, "{\"execute\": \"query-migrate\"}", &err);
    ram = json_object_get_object_member(json_node_get_object(r), "ram");
    g_test_message("1 TiB guest: %" G_GINT64_FORMAT " bytes",
                   json_object_get_int_member(ram, "total-transferred"));
    g_assert_cmpint(json_object_get_int_member(ram, "total-transferred"),
                    <, 1 << 20);
    json_node_unref(r);
    mig_check_ram(dst->qts, true);
    mig_check_tces(dst->qts, true);
    mig_vm_quit(src);
    mig_vm_quit(dst);
    mig_rm_dir(dir);
}

/* A bad -incoming is a command line error naming the option, exit 1. */
static void test_bad_incoming(void)
{
    static const char *const uris[] = {
        "foo:bar", "tcp:nohost", "tcp:127.0.0.1:notaport", "unix:", "exec:",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(uris); i++) {
        g_autofree char *args = g_strdup_printf(
            "-M pseries-2.7 -m 512M -display none -nodefaults "
            "-incoming '%s'", uris[i]);
        g_autofree char *err = NULL;

        g_assert_cmpint(qtest_run_cmdline(args, NULL, &err), ==, 1);
        g_assert_nonnull(strstr(err, "-incoming"));
        g_assert_nonnull(strstr(err, uris[i]));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/migration/unix", test_migrate_unix);
    g_test_add_func("/migration/tcp", test_migrate_tcp);
    g_test_add_func("/migration/unix-compressed",
                    test_migrate_unix_compressed);
    g_test_add_func("/migration/pseries-2.6", test_migrate_pseries26);
    g_test_add_func("/migration/2.6-stream-into-2.7",
                    test_migrate_26_into_27);
    g_test_add_data_func("/migration/golden/pseries-2.6",
                         GINT_TO_POINTER(false), test_golden);
    g_test_add_data_func("/migration/golden/pseries-2.7-ddw",
                         GINT_TO_POINTER(true), test_golden);
    g_test_add_func("/migration/dirty-pages", test_dirty_pages);
    g_test_add_func("/migration/cancel", test_cancel);
    g_test_add_func("/migration/bad-incoming", test_bad_incoming);
    g_test_add_func("/migration/vfio-destination", test_vfio_destination);
    g_test_add_func("/migration/large-empty-guest", test_large_empty_guest);
    return g_test_run();
}

