/*
 * Two-process migration helpers for qtests: a small QMP client (json-glib),
 * machines started with a QMP socket, and a guest scenario (RAM patterns,
 * TCEs in the default and DDW windows) with its checks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "libqos/migrate.h"
#include "libqos/rtas.h"

const char *mig_vm_mem = "512M";
bool mig_vm_paused = true;
static GList *mig_live_vms;     /* MigVm, for diagnostics when one dies */

static void dump_vms(void)
{
    for (GList *l = mig_live_vms; l; l = l->next) {
        MigVm *vm = l->data;
        g_autofree char *err = qtest_stderr(vm->qts);

        int status = 0;
        pid_t r = waitpid(qtest_pid(vm->qts), &status, WNOHANG);

        g_test_message("%s (exited: %d, status 0x%x) stderr:\n%s",
                       vm->qmp_path, r, status, err);
    }
}

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
    int fd = qtest_unix_connect(path);
    FILE *f;
    char *line = NULL;
    size_t n = 0;

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
JsonNode *mig_qmp_cmd(FILE *f, const char *json, bool *is_error)
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

void mig_qmp_ok(FILE *f, const char *json)
{
    bool err;
    JsonNode *r = mig_qmp_cmd(f, json, &err);

    if (err) {
        g_autofree char *s = json_to_string(r, false);

        g_test_message("%s -> %s", json, s);
    }
    g_assert_false(err);
    json_node_unref(r);
}

/* A string member of a command's return, or "" (g_free it). */
char *mig_qmp_get_str(FILE *f, const char *cmd, const char *member)
{
    bool err;
    JsonNode *r = mig_qmp_cmd(f, cmd, &err);
    JsonObject *o = json_node_get_object(r);
    char *s = g_strdup(json_object_has_member(o, member) ?
                       json_object_get_string_member(o, member) : "");

    g_assert_false(err);
    json_node_unref(r);
    return s;
}

char *mig_status(MigVm *vm)
{
    return mig_qmp_get_str(vm->qmp, "{\"execute\": \"query-migrate\"}",
                           "status");
}

char *mig_run_status(MigVm *vm)
{
    return mig_qmp_get_str(vm->qmp, "{\"execute\": \"query-status\"}",
                           "status");
}

/* Waits for the migration to end; returns its final status. */
char *mig_wait_end(MigVm *vm)
{
    for (int i = 0; i < WAIT_TRIES; i++) {
        char *s = mig_status(vm);

        if (!strcmp(s, "completed") || !strcmp(s, "failed") ||
            !strcmp(s, "cancelled")) {
            return s;
        }
        g_free(s);
        g_usleep(10000);
    }
    g_assert_not_reached();
}

MigVm *mig_vm_start(const char *dir, const char *name, const char *machine,
                    const char *extra)
{
    MigVm *vm = g_new0(MigVm, 1);
    g_autofree char *args = NULL;

    vm->qmp_path = g_strdup_printf("%s/%s.qmp", dir, name);
    args = g_strdup_printf("-M %s -m %s %s" MACHINE_ARGS
                           "-qmp unix:%s,server=on,wait=off %s",
                           machine, mig_vm_mem, mig_vm_paused ? "-S " : "",
                           vm->qmp_path, extra ? extra : "");
    vm->qts = qtest_init_bare(args);
    vm->qmp = qmp_connect(vm->qmp_path);
    mig_live_vms = g_list_prepend(mig_live_vms, vm);
    return vm;
}

void mig_vm_quit(MigVm *vm)
{
    mig_live_vms = g_list_remove(mig_live_vms, vm);
    fclose(vm->qmp);
    qtest_quit(vm->qts);
    unlink(vm->qmp_path);
    g_free(vm->qmp_path);
    g_free(vm);
}

void mig_migrate(MigVm *src, const char *uri)
{
    g_autofree char *cmd = g_strdup_printf(
        "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"%s\"}}", uri);

    mig_qmp_ok(src->qmp, cmd);
}

/* Saves src's stream to dir/name through exec:; returns its path. */
char *mig_save_stream(MigVm *src, const char *dir, const char *name)
{
    char *path = g_strdup_printf("%s/%s", dir, name);
    g_autofree char *uri = g_strdup_printf("exec:cat > %s", path);
    g_autofree char *st = NULL;

    mig_migrate(src, uri);
    st = mig_wait_end(src);
    g_assert_cmpstr(st, ==, "completed");
    return path;
}

int64_t mig_ram_transferred(MigVm *vm)
{
    bool err;
    JsonNode *r = mig_qmp_cmd(vm->qmp, "{\"execute\": \"query-migrate\"}",
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

void mig_fill_pattern(uint8_t *buf, uint64_t seed)
{
    for (int i = 0; i < PAGE; i++) {
        buf[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
    }
}

/* Maps n entries from index with TCEs first + i * step, 512 at a time. */
void mig_map_progression(QTestState *s, uint32_t liobn, uint64_t ioba,
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

void mig_populate_ram(QTestState *s)
{
    uint8_t buf[PAGE];

    for (int k = 0; k < PATTERN_PAGES; k++) {
        mig_fill_pattern(buf, k);
        qtest_memwrite(s, PATTERN_BASE + k * 0x10000ULL, buf, PAGE);
    }
}

void mig_check_ram(QTestState *s, bool present)
{
    uint8_t want[PAGE], got[PAGE];

    for (int k = 0; k < PATTERN_PAGES; k++) {
        mig_fill_pattern(want, k);
        if (!present) {
            memset(want, 0, PAGE);
        }
        qtest_memread(s, PATTERN_BASE + k * 0x10000ULL, got, PAGE);
        g_assert_cmpmem(got, PAGE, want, PAGE);
    }
}

void mig_check_dst_unchanged(MigVm *dst)
{
    g_autofree char *rs = mig_run_status(dst);
    uint64_t tce;

    g_assert_cmpstr(rs, ==, "inmigrate");
    mig_check_ram(dst->qts, false);
    g_assert_cmphex(qh_get_tce(dst->qts, LIOBN_DEF, 0, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    g_assert_cmphex(qh_get_tce(dst->qts, LIOBN_DDW, DDW_START, &tce), ==,
                    H_PARAMETER_U);
}

/* Default window: 256 pages mapped, and two strays with one permission. */
void mig_populate_tces(QTestState *s, bool ddw)
{
    mig_map_progression(s, LIOBN_DEF, 0, 12, 256, 0x200000 | 3, PAGE);
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
        mig_map_progression(s, LIOBN_DDW, DDW_START, DDW_SHIFT, DDW_ENTRIES, 3,
                            1ULL << DDW_SHIFT);
    }
}

void mig_check_tces(QTestState *s, bool ddw)
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
void mig_compare_window(QTestState *a, QTestState *b, uint32_t liobn,
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

void mig_compare_page(QTestState *a, QTestState *b, uint64_t addr)
{
    uint8_t pa[PAGE], pb[PAGE];

    qtest_memread(a, addr, pa, PAGE);
    qtest_memread(b, addr, pb, PAGE);
    g_assert_cmpmem(pa, PAGE, pb, PAGE);
}

uint64_t mig_be64_at(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

char *mig_tmp_dir(void)
{
    return g_dir_make_tmp("mig-test-XXXXXX", NULL);
}

void mig_rm_dir(char *dir)
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
