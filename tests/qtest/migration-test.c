/*
 * Live migration between two processes: TCE tables (default and DDW
 * windows), RAM and the edu device must arrive intact over unix: and tcp:,
 * DMA must go on through the windows on the destination, a pseries-2.6
 * machine must use the single-window format, committed golden streams
 * must keep loading, and hostile streams must be refused with the
 * destination unchanged and alive.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <json-glib/json-glib.h>
#include "libqtest.h"
#include "libqos/rtas.h"
#include "libqos/edu.h"

#define BUID0           BUID_PHB(0)
#define LIOBN_DEF       LIOBN_PHB(0, 0)
#define LIOBN_DDW       LIOBN_PHB(0, 1)
#define DEF_ENTRIES     8192            /* 32 MiB default window */
#define DDW_SHIFT       16
#define DDW_ENTRIES     8192            /* 512 MiB of 64 KiB pages */
#define DDW_START       (1ULL << 59)
#define EDU_CFG         0x1000          /* addr=2 */
#define TCE_LIST        0x3000000ULL
#define PATTERN_BASE    0x100000ULL
#define PATTERN_PAGES   32
#define DMA_RAM         0x12340000ULL
#define PAGE            4096
#define VFIO_ARGS       "-object vfio-spapr-host-emu,id=h0 " \
                        "-device vfio-pci,host-emu=h0,addr=0"
#define WAIT_TRIES      3000            /* x 10 ms: a bound, not a timing */

#define MACHINE_ARGS \
    "-accel qtest -display none -nodefaults " \
    "-global spapr-pci-host-bridge.dma_win_size=0x2000000 " \
    "-device edu,addr=2,dma_mask=0xffffffffffffffff "

typedef struct Vm {
    QTestState *qts;
    FILE *qmp;
    char *qmp_path;
} Vm;

static const char *vm_mem = "512M";
static bool vm_paused = true;       /* -S */
static GList *live_vms;         /* Vm, for diagnostics when one dies */

static void dump_vms(void)
{
    for (GList *l = live_vms; l; l = l->next) {
        Vm *vm = l->data;
        g_autofree char *err = qtest_stderr(vm->qts);

        int status = 0;
        pid_t r = waitpid(qtest_pid(vm->qts), &status, WNOHANG);

        g_test_message("%s (exited: %d, status 0x%x) stderr:\n%s",
                       vm->qmp_path, r, status, err);
    }
}

/* QMP */

static void qmp_send(FILE *f, const char *json)
{
    g_autofree char *line = g_strdup_printf("%s\n", json);
    size_t len = strlen(line), done = 0;

    while (done < len) {
        ssize_t n = write(fileno(f), line + done, len - done);

        g_assert_cmpint(n, >, 0);
        done += n;
    }
}

static FILE *qmp_connect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    FILE *f;
    char *line = NULL;
    size_t n = 0;

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    for (int i = 0; connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0; i++) {
        g_assert_cmpint(i, <, WAIT_TRIES);
        g_usleep(10000);
    }
    /* Reads through stdio, writes straight to the socket (no r+ mixing). */
    f = fdopen(fd, "r");
    g_assert_cmpint(getline(&line, &n, f), >, 0);     /* greeting */
    qmp_send(f, "{\"execute\": \"qmp_capabilities\"}");
    g_assert_cmpint(getline(&line, &n, f), >, 0);
    g_assert_nonnull(strstr(line, "return"));
    free(line);
    return f;
}

/* Sends a command; returns its "return" (or "error") object's node. */
static JsonNode *qmp_cmd(FILE *f, const char *json, bool *is_error)
{
    char *line = NULL;
    size_t n = 0;
    JsonNode *ret = NULL;

    qmp_send(f, json);
    while (!ret) {
        g_autoptr(JsonParser) p = json_parser_new();
        JsonObject *o;

        if (getline(&line, &n, f) <= 0) {
            g_test_message("no answer to %s", json);
            dump_vms();
            g_assert_not_reached();
        }
        g_assert_true(json_parser_load_from_data(p, line, -1, NULL));
        o = json_node_get_object(json_parser_get_root(p));
        if (json_object_has_member(o, "return")) {
            ret = json_node_copy(json_object_get_member(o, "return"));
            *is_error = false;
        } else if (json_object_has_member(o, "error")) {
            ret = json_node_copy(json_object_get_member(o, "error"));
            *is_error = true;
        }
    }
    free(line);
    return ret;
}

static void qmp_ok(FILE *f, const char *json)
{
    bool err;
    JsonNode *r = qmp_cmd(f, json, &err);

    if (err) {
        g_autofree char *s = json_to_string(r, false);

        g_test_message("%s -> %s", json, s);
    }
    g_assert_false(err);
    json_node_unref(r);
}

/* A string member of a command's return, or "" (g_free it). */
static char *qmp_get_str(FILE *f, const char *cmd, const char *member)
{
    bool err;
    JsonNode *r = qmp_cmd(f, cmd, &err);
    JsonObject *o = json_node_get_object(r);
    char *s = g_strdup(json_object_has_member(o, member) ?
                       json_object_get_string_member(o, member) : "");

    g_assert_false(err);
    json_node_unref(r);
    return s;
}

static char *migrate_status(Vm *vm)
{
    return qmp_get_str(vm->qmp, "{\"execute\": \"query-migrate\"}", "status");
}

static char *run_status(Vm *vm)
{
    return qmp_get_str(vm->qmp, "{\"execute\": \"query-status\"}", "status");
}

/* Waits for the migration to end; returns its final status. */
static char *wait_migration_end(Vm *vm)
{
    for (int i = 0; i < WAIT_TRIES; i++) {
        char *s = migrate_status(vm);

        if (!strcmp(s, "completed") || !strcmp(s, "failed") ||
            !strcmp(s, "cancelled")) {
            return s;
        }
        g_free(s);
        g_usleep(10000);
    }
    g_assert_not_reached();
}

/* VMs */

static Vm *vm_start(const char *dir, const char *name, const char *machine,
                    const char *extra)
{
    Vm *vm = g_new0(Vm, 1);
    g_autofree char *args = NULL;

    vm->qmp_path = g_strdup_printf("%s/%s.qmp", dir, name);
    args = g_strdup_printf("-M %s -m %s %s" MACHINE_ARGS
                           "-qmp unix:%s,server=on,wait=off %s",
                           machine, vm_mem, vm_paused ? "-S " : "",
                           vm->qmp_path, extra ? extra : "");
    vm->qts = qtest_init_bare(args);
    vm->qmp = qmp_connect(vm->qmp_path);
    live_vms = g_list_prepend(live_vms, vm);
    return vm;
}

static void vm_quit(Vm *vm)
{
    live_vms = g_list_remove(live_vms, vm);
    fclose(vm->qmp);
    qtest_quit(vm->qts);
    unlink(vm->qmp_path);
    g_free(vm->qmp_path);
    g_free(vm);
}

static void migrate_to(Vm *src, const char *uri)
{
    g_autofree char *cmd = g_strdup_printf(
        "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"%s\"}}", uri);

    qmp_ok(src->qmp, cmd);
}

/* Guest state */

static void fill_pattern(uint8_t *buf, uint64_t seed)
{
    for (int i = 0; i < PAGE; i++) {
        buf[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
    }
}

/* Maps n entries from index with TCEs first + i * step, 512 at a time. */
static void map_progression(QTestState *s, uint32_t liobn, uint64_t ioba,
                            uint64_t shift, uint64_t n, uint64_t first,
                            uint64_t step)
{
    for (uint64_t done = 0; done < n; done += 512) {
        uint64_t list[512], cnt = MIN(512, n - done);

        for (uint64_t i = 0; i < cnt; i++) {
            list[i] = GUINT64_TO_BE(first + (done + i) * step);
        }
        qtest_memwrite(s, TCE_LIST, list, cnt * 8);
        g_assert_cmphex(qh_put_tce_indirect(s, liobn, ioba + (done << shift),
                                            TCE_LIST, cnt), ==, H_SUCCESS_U);
    }
}

static void populate_ram(QTestState *s)
{
    uint8_t buf[PAGE];

    for (int k = 0; k < PATTERN_PAGES; k++) {
        fill_pattern(buf, k);
        qtest_memwrite(s, PATTERN_BASE + k * 0x10000ULL, buf, PAGE);
    }
}

static void check_ram(QTestState *s, bool present)
{
    uint8_t want[PAGE], got[PAGE];

    for (int k = 0; k < PATTERN_PAGES; k++) {
        fill_pattern(want, k);
        if (!present) {
            memset(want, 0, PAGE);
        }
        qtest_memread(s, PATTERN_BASE + k * 0x10000ULL, got, PAGE);
        g_assert_cmpmem(got, PAGE, want, PAGE);
    }
}

/* Default window: 256 pages mapped, and two strays with one permission. */
static void populate_tces(QTestState *s, bool ddw)
{
    map_progression(s, LIOBN_DEF, 0, 12, 256, 0x200000 | 3, PAGE);
    g_assert_cmphex(qh_put_tce(s, LIOBN_DEF, 1000ULL * PAGE, 0x5000 | 1), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(qh_put_tce(s, LIOBN_DEF, (DEF_ENTRIES - 1ULL) * PAGE,
                               0x7000 | 2), ==, H_SUCCESS_U);
    if (ddw) {
        uint32_t liobn;
        uint64_t start;

        g_assert_cmpint(qrtas_create(s, BUID0, DDW_SHIFT, 29, &liobn,
                                     &start), ==, 0);
        g_assert_cmphex(liobn, ==, LIOBN_DDW);
        g_assert_cmphex(start, ==, DDW_START);
        map_progression(s, LIOBN_DDW, DDW_START, DDW_SHIFT, DDW_ENTRIES, 3,
                        1ULL << DDW_SHIFT);
    }
}

static void check_tces(QTestState *s, bool ddw)
{
    uint64_t tce;

    g_assert_cmphex(qh_get_tce(s, LIOBN_DEF, 0, &tce), ==, H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x200000 | 3);
    g_assert_cmphex(qh_get_tce(s, LIOBN_DEF, 255 * PAGE, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, (0x200000 + 255 * PAGE) | 3);
    g_assert_cmphex(qh_get_tce(s, LIOBN_DEF, 1000 * PAGE, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0x5000 | 1);
    g_assert_cmphex(qh_get_tce(s, LIOBN_DEF, 256 * PAGE, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    if (ddw) {
        g_assert_cmphex(qh_get_tce(s, LIOBN_DDW, DDW_START + (100ULL << 16),
                                   &tce), ==, H_SUCCESS_U);
        g_assert_cmphex(tce, ==, (100ULL << 16) | 3);
    } else {
        g_assert_cmphex(qh_get_tce(s, LIOBN_DDW, DDW_START, &tce), ==,
                        H_PARAMETER_U);
    }
}

/* Every entry of a window is the same on both sides. */
static void compare_window(QTestState *a, QTestState *b, uint32_t liobn,
                           uint64_t start, unsigned shift, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        uint64_t ta = ~0ULL, tb = 0;

        g_assert_cmphex(qh_get_tce(a, liobn, start + (i << shift), &ta), ==,
                        H_SUCCESS_U);
        g_assert_cmphex(qh_get_tce(b, liobn, start + (i << shift), &tb), ==,
                        H_SUCCESS_U);
        g_assert_cmphex(ta, ==, tb);
    }
}

static void compare_page(QTestState *a, QTestState *b, uint64_t addr)
{
    uint8_t pa[PAGE], pb[PAGE];

    qtest_memread(a, addr, pa, PAGE);
    qtest_memread(b, addr, pb, PAGE);
    g_assert_cmpmem(pa, PAGE, pb, PAGE);
}

static uint64_t be64_at(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static void edu_fill(QEdu *e, uint64_t seed)
{
    for (int i = 0; i < 64; i += 8) {
        qtest_writeq(e->qts, e->mmio + EDU_BUF + i, seed * 0x0101010101010101ULL
                     + i);
    }
}

static char *tmp_dir(void)
{
    return g_dir_make_tmp("mig-test-XXXXXX", NULL);
}

static void rm_dir(char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, name, NULL);

        unlink(p);
    }
    rmdir(dir);
    g_free(dir);
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
    char *dir = tmp_dir();
    g_autofree char *uri = tcp ?
        g_strdup_printf("tcp:127.0.0.1:%d", free_tcp_port()) :
        g_strdup_printf("unix:%s/mig.sock", dir);
    g_autofree char *incoming = g_strdup_printf("-incoming %s", uri);
    Vm *src = vm_start(dir, "src", "pseries-2.7", NULL);
    Vm *dst = vm_start(dir, "dst", "pseries-2.7", incoming);
    QEdu edu;
    uint8_t buf[64], want[64];
    g_autofree char *st = NULL, *dt = NULL, *rs = NULL, *rd = NULL;

    populate_ram(src->qts);
    populate_tces(src->qts, true);
    qedu_init(&edu, src->qts, BUID0, EDU_CFG, PHB0_MMIO32_CPU);
    edu_fill(&edu, 0x11);
    /* DMA through the DDW window before migrating: lands at DMA_RAM. */
    g_assert_true(qedu_dma(&edu, EDU_BUF, DDW_START + DMA_RAM, 64, true));
    edu_fill(&edu, 0x22);
    if (compress) {
        qmp_ok(src->qmp, "{\"execute\": \"migrate-set-parameters\", "
               "\"arguments\": {\"compress\": true}}");
    }
    if (tcp) {
        /* paced: the stream is about 1 MB */
        qmp_ok(src->qmp, "{\"execute\": \"migrate-set-parameters\", "
               "\"arguments\": {\"max-bandwidth\": 33554432}}");
    }
    rd = run_status(dst);
    g_assert_cmpstr(rd, ==, "inmigrate");
    g_free(rd);
    migrate_to(src, uri);
    st = wait_migration_end(src);
    g_assert_cmpstr(st, ==, "completed");
    dt = wait_migration_end(dst);
    g_assert_cmpstr(dt, ==, "completed");
    rs = run_status(src);
    g_assert_cmpstr(rs, ==, "postmigrate");
    rd = run_status(dst);
    g_assert_cmpstr(rd, ==, "paused");      /* -S */

    compare_window(src->qts, dst->qts, LIOBN_DEF, 0, 12, DEF_ENTRIES);
    compare_window(src->qts, dst->qts, LIOBN_DDW, DDW_START, DDW_SHIFT,
                   DDW_ENTRIES);
    check_tces(dst->qts, true);
    for (int k = 0; k < PATTERN_PAGES; k++) {
        compare_page(src->qts, dst->qts, PATTERN_BASE + k * 0x10000ULL);
    }
    compare_page(src->qts, dst->qts, TCE_LIST);
    compare_page(src->qts, dst->qts, DMA_RAM);
    compare_page(src->qts, dst->qts, QRTAS_SCRATCH);
    check_ram(dst->qts, true);

    /* The edu device goes on: its buffer came along, DMA works both ways. */
    edu.qts = dst->qts;
    qtest_memread(dst->qts, DMA_RAM, buf, 8);
    g_assert_cmphex(be64_at(buf), ==, 0x1111111111111111ULL);
    g_assert_cmphex(qtest_readq(dst->qts, edu.mmio + EDU_BUF), ==,
                    0x2222222222222222ULL);
    g_assert_true(qedu_dma(&edu, EDU_BUF, DDW_START + DMA_RAM + PAGE, 64,
                           true));
    g_assert_true(qedu_dma(&edu, EDU_BUF, 5 * PAGE, 64, true));
    qtest_memread(dst->qts, DMA_RAM + PAGE, buf, 64);
    qtest_memread(dst->qts, 0x205000, want, 64);
    g_assert_cmpmem(buf, 64, want, 64);
    g_assert_cmphex(be64_at(buf), ==, 0x2222222222222222ULL);
    /* and from RAM into the device through the default window */
    qtest_writeq(dst->qts, 0x201000, 0x0123456789abcdefULL);
    g_assert_true(qedu_dma(&edu, PAGE, EDU_BUF, 8, false));
    g_assert_cmphex(qtest_readq(dst->qts, edu.mmio + EDU_BUF), ==,
                    0x0123456789abcdefULL);
    vm_quit(src);
    vm_quit(dst);
    rm_dir(dir);
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

/* Saves src's stream to dir/name through exec:; returns its path. */
static char *save_stream(Vm *src, const char *dir, const char *name)
{
    char *path = g_strdup_printf("%s/%s", dir, name);
    g_autofree char *uri = g_strdup_printf("exec:cat > %s", path);
    g_autofree char *st = NULL;

    migrate_to(src, uri);
    st = wait_migration_end(src);
    g_assert_cmpstr(st, ==, "completed");
    return path;
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
    char *dir = tmp_dir();
    Vm *src = vm_start(dir, "src", "pseries-2.6", NULL);
    g_autofree char *path = NULL, *incoming = NULL, *st = NULL;
    g_autofree uint8_t *data = NULL;
    uint32_t liobn;
    uint64_t start;
    gsize len;
    Vm *dst;

    populate_ram(src->qts);
    populate_tces(src->qts, false);
    g_assert_cmpint(qrtas_create(src->qts, BUID0, 16, 29, &liobn, &start),
                    ==, RTAS_PARAM_ERROR);
    path = save_stream(src, dir, "26.mig");
    g_assert_true(g_file_get_contents(path, (char **)&data, &len, NULL));
    /* "spapr_iommu" appears once (one table); no geometry subsection */
    g_assert_cmpuint(count_substr(data, len, "spapr_iommu"), ==, 1);
    g_assert_cmpuint(count_substr(data, len, "spapr_iommu_ex"), ==, 0);
    g_assert_cmpuint(count_substr(data, len, "spapr_pci"), ==, 1);

    incoming = g_strdup_printf("-incoming 'exec:cat %s'", path);
    dst = vm_start(dir, "dst", "pseries-2.6", incoming);
    st = wait_migration_end(dst);
    g_assert_cmpstr(st, ==, "completed");
    compare_window(src->qts, dst->qts, LIOBN_DEF, 0, 12, DEF_ENTRIES);
    check_tces(dst->qts, false);
    check_ram(dst->qts, true);
    vm_quit(src);
    vm_quit(dst);
    rm_dir(dir);
}

/* A 2.6 stream into a 2.7 machine: its second table keeps its state. */
static void test_migrate_26_into_27(void)
{
    char *dir = tmp_dir();
    Vm *src = vm_start(dir, "src", "pseries-2.6", NULL);
    g_autofree char *path = save_stream(src, dir, "26.mig");
    g_autofree char *incoming = g_strdup_printf("-incoming 'exec:cat %s'",
                                                path);
    g_autofree char *st = NULL;
    Vm *dst;

    vm_quit(src);
    /*
     * The 2.7 machine has a second table the stream does not mention:
     * that loads (the table stays disabled), as in QEMU.
     */
    dst = vm_start(dir, "dst", "pseries-2.7", incoming);
    st = wait_migration_end(dst);
    g_assert_cmpstr(st, ==, "completed");
    g_assert_cmphex(qh_get_tce(dst->qts, LIOBN_DDW, DDW_START, NULL), ==,
                    H_PARAMETER_U);
    vm_quit(dst);
    rm_dir(dir);
}

/*
 * A VFIO container on the destination (emulated POWER host) receives the
 * incoming mappings: the assigned device's DMA goes through TCEs the
 * guest only ever put on the source.
 */
static void test_vfio_destination(void)
{
    char *dir = tmp_dir();
    g_autofree char *uri = g_strdup_printf("unix:%s/mig.sock", dir);
    g_autofree char *incoming = g_strdup_printf(
        "-incoming %s " VFIO_ARGS, uri);
    g_autofree char *st = NULL, *dt = NULL;
    Vm *src = vm_start(dir, "src", "pseries-2.7", VFIO_ARGS);
    Vm *dst = vm_start(dir, "dst", "pseries-2.7", incoming);
    uint8_t a[PAGE], b[PAGE];
    QEdu e;

    populate_tces(src->qts, true);
    fill_pattern(a, 77);
    qtest_memwrite(src->qts, 0x205000, a, 64);
    fill_pattern(b, 78);
    qtest_memwrite(src->qts, 0x300000, b, 64);
    migrate_to(src, uri);
    st = wait_migration_end(src);
    g_assert_cmpstr(st, ==, "completed");
    dt = wait_migration_end(dst);
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
    fill_pattern(a, 78);
    g_assert_cmpmem(b, 64, a, 64);
    vm_quit(src);
    vm_quit(dst);
    rm_dir(dir);
}

/* Golden streams */

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
    char *dir = tmp_dir();
    g_autofree char *incoming = NULL, *st = NULL, *rs = NULL;
    Vm *vm;

    if (g_getenv("SPAPR_DDW_REGEN_GOLDEN")) {
        g_autofree char *uri = g_strdup_printf("exec:gzip -9n > %s",
                                               golden_path(ddw));

        vm = vm_start(dir, "src", machine, NULL);
        populate_ram(vm->qts);
        populate_tces(vm->qts, ddw);
        migrate_to(vm, uri);
        st = wait_migration_end(vm);
        g_assert_cmpstr(st, ==, "completed");
        g_clear_pointer(&st, g_free);
        vm_quit(vm);
    }
    g_assert_true(g_file_test(golden_path(ddw), G_FILE_TEST_EXISTS));
    incoming = g_strdup_printf("-incoming 'exec:gzip -dc %s'",
                               golden_path(ddw));
    vm_paused = ddw;    /* without -S the destination runs once loaded */
    vm = vm_start(dir, "dst", machine, incoming);
    vm_paused = true;
    st = wait_migration_end(vm);
    g_assert_cmpstr(st, ==, "completed");
    rs = run_status(vm);
    g_assert_cmpstr(rs, ==, ddw ? "paused" : "running");
    check_tces(vm->qts, ddw);
    check_ram(vm->qts, true);
    vm_quit(vm);
    rm_dir(dir);
}

/* Hostile streams */

typedef struct Stream {
    uint8_t *data;
    gsize len;
} Stream;

/* Offset of the body of section idstr/instance, or 0 if absent. */
static size_t find_section_body(const Stream *s, const char *idstr,
                                uint32_t instance)
{
    size_t l = strlen(idstr);

    for (size_t i = 1; i + 1 + l + 12 <= s->len; i++) {
        const uint8_t *p = s->data + i;

        if (p[-1] == 0x03 && p[0] == l && !memcmp(p + 1, idstr, l) &&
            be64_at(p + 1 + l) >> 32 == instance) {
            return i + 1 + l + 12;
        }
    }
    return 0;
}

static void put_be32_at(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* Loads a stream into a fresh destination: refused, nothing changed. */
static void expect_refused(const char *dir, const Stream *s, const char *why,
                           bool must_fail, const char *expect_err)
{
    g_autofree char *path = g_strdup_printf("%s/hostile.mig", dir);
    g_autofree char *incoming = g_strdup_printf("-incoming 'exec:cat %s'",
                                                path);
    g_autofree char *st = NULL, *rs = NULL, *err = NULL;
    uint64_t tce = 1;
    Vm *dst;

    g_assert_true(g_file_set_contents(path, (char *)s->data, s->len, NULL));
    dst = vm_start(dir, "dst", "pseries-2.7", incoming);
    st = wait_migration_end(dst);
    if (!must_fail && !strcmp(st, "completed")) {
        vm_quit(dst);   /* a flip inside page data is a valid stream */
        return;
    }
    if (strcmp(st, "failed")) {
        g_test_message("stream '%s' was not refused", why);
    }
    g_assert_cmpstr(st, ==, "failed");
    err = qmp_get_str(dst->qmp, "{\"execute\": \"query-migrate\"}",
                      "error-desc");
    g_test_message("%s: %s", why, err);
    if (expect_err) {
        g_assert_nonnull(strstr(err, expect_err));
    }
    rs = run_status(dst);
    g_assert_cmpstr(rs, ==, "inmigrate");
    check_ram(dst->qts, false);
    g_assert_cmphex(qh_get_tce(dst->qts, LIOBN_DEF, 0, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    g_assert_cmphex(qh_get_tce(dst->qts, LIOBN_DDW, DDW_START, &tce), ==,
                    H_PARAMETER_U);
    vm_quit(dst);
}

static void test_hostile(void)
{
    char *dir = tmp_dir();
    Vm *src = vm_start(dir, "src", "pseries-2.7", NULL);
    g_autofree char *path = NULL;
    Stream good, bad;
    size_t def_body, ddw_body;

    populate_ram(src->qts);
    populate_tces(src->qts, true);
    path = save_stream(src, dir, "good.mig");
    vm_quit(src);
    g_assert_true(g_file_get_contents(path, (char **)&good.data, &good.len,
                                      NULL));
    def_body = find_section_body(&good, "spapr_iommu", LIOBN_DEF);
    ddw_body = find_section_body(&good, "spapr_iommu", LIOBN_DDW);
    g_assert_cmpuint(def_body, >, 0);
    g_assert_cmpuint(ddw_body, >, 0);

    /* truncated: in the header, in RAM, in devices, just before the end */
    for (size_t cut = 0; cut < 5; cut++) {
        size_t at[] = { 5, 12, good.len / 2, def_body + 6, good.len - 1 };

        bad = (Stream) { g_memdup2(good.data, at[cut]), at[cut] };
        expect_refused(dir, &bad, "truncated", true, cut ? "trunc" : NULL);
        g_free(bad.data);
    }
    /* wrong LIOBN in the default table's section */
    bad = (Stream) { g_memdup2(good.data, good.len), good.len };
    put_be32_at(bad.data + def_body, 0x80000007);
    expect_refused(dir, &bad, "wrong liobn", true, "liobn");
    /* huge entry count, then a huge run count */
    memcpy(bad.data, good.data, good.len);
    put_be32_at(bad.data + ddw_body + 4, 0xffffffff);
    expect_refused(dir, &bad, "huge nb_table", true,
                   "mig_nb_table");
    memcpy(bad.data, good.data, good.len);
    put_be32_at(bad.data + ddw_body + 9, 0xfffffff0);
    expect_refused(dir, &bad, "huge run count", true, "runs for");
    /* a run past the window: first run's index */
    memcpy(bad.data, good.data, good.len);
    put_be32_at(bad.data + ddw_body + 14, DDW_ENTRIES);
    expect_refused(dir, &bad, "run outside the window", true,
                   "outside the window");
    /* flipped bytes all over the device part (and some in RAM) */
    for (size_t i = 0; i < 12; i++) {
        size_t off = i < 3 ? 20 + i * 977 : def_body - 40 + (i - 3) * 5;

        memcpy(bad.data, good.data, good.len);
        bad.data[off % good.len] ^= 0x5a;
        expect_refused(dir, &bad, "flipped byte", false, NULL);
    }
    g_free(bad.data);
    g_free(good.data);
    rm_dir(dir);
}

static int64_t ram_transferred(Vm *vm)
{
    bool err;
    JsonNode *r = qmp_cmd(vm->qmp, "{\"execute\": \"query-migrate\"}",
                          &err);
    JsonObject *o = json_node_get_object(r);
    int64_t v = 0;

    if (json_object_has_member(o, "ram")) {
        v = json_object_get_int_member(
            json_object_get_object_member(o, "ram"), "transferred");
    }
    json_node_unref(r);
    return v;
}

/* A page written after it was sent travels again (dirty logging). */
static void test_dirty_pages(void)
{
    char *dir = tmp_dir();
    g_autofree char *gate = g_strdup_printf("%s/gate", dir);
    g_autofree char *file = g_strdup_printf("%s/dirty.mig", dir);
    g_autofree char *uri = g_strdup_printf("exec:read x < %s; cat > %s",
                                           gate, file);
    g_autofree char *gate2 = g_strdup_printf("%s/gate2", dir);
    g_autofree char *incoming = g_strdup_printf(
        "-incoming 'exec:read x < %s; cat %s'", gate2, file);
    g_autofree char *st = NULL, *dt = NULL, *rd = NULL;
    uint8_t fresh[PAGE], got[PAGE];
    Vm *src = vm_start(dir, "src", "pseries-2.7", NULL), *dst;
    FILE *g;

    g_assert_cmpint(mkfifo(gate, 0600), ==, 0);
    populate_ram(src->qts);
    populate_tces(src->qts, true);
    migrate_to(src, uri);
    /* The stream is blocked behind the gate once the first round is out. */
    for (int i = 0; ram_transferred(src) == 0; i++) {
        g_assert_cmpint(i, <, WAIT_TRIES);
        g_usleep(10000);
    }
    st = migrate_status(src);
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
    st = wait_migration_end(src);
    g_assert_cmpstr(st, ==, "completed");

    /* The destination answers while its stream has not arrived. */
    g_assert_cmpint(mkfifo(gate2, 0600), ==, 0);
    dst = vm_start(dir, "dst", "pseries-2.7", incoming);
    dt = migrate_status(dst);
    g_assert_cmpstr(dt, ==, "active");
    rd = run_status(dst);
    g_assert_cmpstr(rd, ==, "inmigrate");
    g_assert_cmphex(qtest_readq(dst->qts, PATTERN_BASE), ==, 0);
    g = fopen(gate2, "w");
    g_assert_nonnull(g);
    fclose(g);
    g_clear_pointer(&dt, g_free);
    dt = wait_migration_end(dst);
    g_assert_cmpstr(dt, ==, "completed");
    qtest_memread(dst->qts, PATTERN_BASE, got, PAGE);
    g_assert_cmpmem(got, PAGE, fresh, PAGE);
    memset(fresh, 0, PAGE);     /* a page that became zero: zero record */
    qtest_memread(dst->qts, PATTERN_BASE + 0x10000, got, PAGE);
    g_assert_cmpmem(got, PAGE, fresh, PAGE);
    compare_window(src->qts, dst->qts, LIOBN_DEF, 0, 12, DEF_ENTRIES);
    vm_quit(src);
    vm_quit(dst);
    rm_dir(dir);
}

/* Cancelled while blocked: the source is as before and migrates again. */
static void test_cancel(void)
{
    char *dir = tmp_dir();
    g_autofree char *gate = g_strdup_printf("%s/gate", dir);
    g_autofree char *uri = g_strdup_printf("exec:read x < %s; cat > /dev/null",
                                           gate);
    g_autofree char *uri2 = g_strdup_printf("unix:%s/mig.sock", dir);
    g_autofree char *incoming = g_strdup_printf("-incoming %s", uri2);
    g_autofree char *st = NULL, *rs = NULL, *dt = NULL;
    Vm *src = vm_start(dir, "src", "pseries-2.7", NULL), *dst;
    bool err;
    JsonNode *r;
    FILE *g;

    g_assert_cmpint(mkfifo(gate, 0600), ==, 0);
    populate_ram(src->qts);
    populate_tces(src->qts, true);
    migrate_to(src, uri);
    /* a second migration while one runs is refused */
    r = qmp_cmd(src->qmp, "{\"execute\": \"migrate\", \"arguments\": "
                "{\"uri\": \"exec:cat > /dev/null\"}}", &err);
    g_assert_true(err);
    json_node_unref(r);
    qmp_ok(src->qmp, "{\"execute\": \"migrate_cancel\"}");
    st = migrate_status(src);
    g_assert_cmpstr(st, ==, "cancelled");
    rs = run_status(src);
    g_assert_cmpstr(rs, ==, "prelaunch");   /* -S, as before */
    g = fopen(gate, "w");                   /* let the command end */
    g_assert_nonnull(g);
    fclose(g);

    dst = vm_start(dir, "dst", "pseries-2.7", incoming);
    migrate_to(src, uri2);
    g_clear_pointer(&st, g_free);
    st = wait_migration_end(src);
    g_assert_cmpstr(st, ==, "completed");
    dt = wait_migration_end(dst);
    g_assert_cmpstr(dt, ==, "completed");
    check_tces(dst->qts, true);
    check_ram(dst->qts, true);
    vm_quit(src);
    vm_quit(dst);
    rm_dir(dir);
}

/* A 1 TiB guest that touched little sends little: untouched RAM is skipped. */
static void test_large_empty_guest(void)
{
    char *dir = tmp_dir();
    g_autofree char *uri = g_strdup_printf("unix:%s/mig.sock", dir);
    g_autofree char *incoming = g_strdup_printf("-incoming %s", uri);
    g_autofree char *st = NULL, *dt = NULL;
    Vm *src, *dst;
    bool err;
    JsonNode *r;
    JsonObject *ram;

    vm_mem = "1T";
    src = vm_start(dir, "src", "pseries-2.7", NULL);
    dst = vm_start(dir, "dst", "pseries-2.7", incoming);
    vm_mem = "512M";
    populate_ram(src->qts);
    populate_tces(src->qts, true);
    migrate_to(src, uri);
    st = wait_migration_end(src);
    g_assert_cmpstr(st, ==, "completed");
    dt = wait_migration_end(dst);
    g_assert_cmpstr(dt, ==, "completed");
    r = qmp_cmd(src->qmp, "{\"execute\": \"query-migrate\"}", &err);
    ram = json_object_get_object_member(json_node_get_object(r), "ram");
    g_test_message("1 TiB guest: %" G_GINT64_FORMAT " bytes",
                   json_object_get_int_member(ram, "total-transferred"));
    g_assert_cmpint(json_object_get_int_member(ram, "total-transferred"),
                    <, 1 << 20);
    json_node_unref(r);
    check_ram(dst->qts, true);
    check_tces(dst->qts, true);
    vm_quit(src);
    vm_quit(dst);
    rm_dir(dir);
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
    g_test_add_func("/migration/hostile", test_hostile);
    g_test_add_func("/migration/dirty-pages", test_dirty_pages);
    g_test_add_func("/migration/cancel", test_cancel);
    g_test_add_func("/migration/vfio-destination", test_vfio_destination);
    g_test_add_func("/migration/large-empty-guest", test_large_empty_guest);
    return g_test_run();
}
