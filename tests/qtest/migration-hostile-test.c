/*
 * Hostile migration streams: truncated, with flipped bytes, a wrong LIOBN,
 * huge counts or runs outside the window.  Each is fed to a fresh
 * destination, which must refuse it with a clear error and stay as it
 * was (inmigrate, RAM and TCEs untouched), and then exit normally.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "libqos/migrate.h"
#include "libqos/rtas.h"

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
            mig_be64_at(p + 1 + l) >> 32 == instance) {
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
    MigVm *dst;

    g_assert_true(g_file_set_contents(path, (char *)s->data, s->len, NULL));
    dst = mig_vm_start(dir, "dst", "pseries-2.7", incoming);
    st = mig_wait_end(dst);
    if (!must_fail && !strcmp(st, "completed")) {
        mig_vm_quit(dst);   /* a flip inside page data is a valid stream */
        return;
    }
    if (strcmp(st, "failed")) {
        g_test_message("stream '%s' was not refused", why);
    }
    g_assert_cmpstr(st, ==, "failed");
    err = mig_qmp_get_str(dst->qmp, "{\"execute\": \"query-migrate\"}",
                          "error-desc");
    g_test_message("%s: %s", why, err);
    if (expect_err) {
        g_assert_nonnull(strstr(err, expect_err));
    }
    rs = mig_run_status(dst);
    g_assert_cmpstr(rs, ==, "inmigrate");
    mig_check_ram(dst->qts, false);
    g_assert_cmphex(qh_get_tce(dst->qts, LIOBN_DEF, 0, &tce), ==,
                    H_SUCCESS_U);
    g_assert_cmphex(tce, ==, 0);
    g_assert_cmphex(qh_get_tce(dst->qts, LIOBN_DDW, DDW_START, &tce), ==,
                    H_PARAMETER_U);
    mig_vm_quit(dst);
}

static void test_hostile(void)
{
    char *dir = mig_tmp_dir();
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.7", NULL);
    g_autofree char *path = NULL;
    Stream good, bad;
    size_t def_body, ddw_body;

    mig_populate_ram(src->qts);
    mig_populate_tces(src->qts, true);
    path = mig_save_stream(src, dir, "good.mig");
    mig_vm_quit(src);
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
    mig_rm_dir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/migration/hostile", test_hostile);
    return g_test_run();
}
