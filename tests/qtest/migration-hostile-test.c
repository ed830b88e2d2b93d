/*
 * Hostile migration streams: truncated, with flipped bytes, a wrong LIOBN,
 * huge counts or runs outside the window.  Each is fed to a fresh
 * destination, which must refuse it with a clear error and stay as it
 * was (inmigrate, RAM and TCEs untouched), and then exit normally.
 * What a qtest client writes while the stream loads stays after it is
 * refused (issue 13 item 11).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
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
    g_autofree char *st = NULL, *err = NULL;
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
    mig_check_dst_unchanged(dst);
    mig_vm_quit(dst);
}

/* The valid stream every case starts from, made once. */
static char *dir;
static Stream good, good_z;
static size_t def_body, ddw_body;

static void make_good_streams(void)
{
    MigVm *src = mig_vm_start(dir, "src", "pseries-2.7", NULL);
    g_autofree char *path = NULL, *path_z = NULL;

    mig_populate_ram(src->qts);
    mig_populate_tces(src->qts, true);
    path = mig_save_stream(src, dir, "good.mig");
    mig_qmp_ok(src->qmp, "{\"execute\": \"migrate-set-parameters\", "
               "\"arguments\": {\"compress\": true}}");
    path_z = mig_save_stream(src, dir, "good-z.mig");
    mig_vm_quit(src);
    g_assert_true(g_file_get_contents(path, (char **)&good.data, &good.len,
                                      NULL));
    g_assert_true(g_file_get_contents(path_z, (char **)&good_z.data,
                                      &good_z.len, NULL));
    def_body = find_section_body(&good, "spapr_iommu", LIOBN_DEF);
    ddw_body = find_section_body(&good, "spapr_iommu", LIOBN_DDW);
    g_assert_cmpuint(def_body, >, 0);
    g_assert_cmpuint(ddw_body, >, 0);
}

static Stream copy_good(void)
{
    return (Stream) { g_memdup2(good.data, good.len), good.len };
}

/* Cut in the header, after it, in RAM, in a device, before the end. */
static void test_truncated(void)
{
    size_t at[] = { 5, 12, good.len / 2, def_body + 6, good.len - 1 };

    for (size_t i = 0; i < G_N_ELEMENTS(at); i++) {
        Stream bad = { g_memdup2(good.data, at[i]), at[i] };

        expect_refused(dir, &bad, "truncated", true, i ? "trunc" : NULL);
        g_free(bad.data);
    }
}

static void test_not_a_stream(void)
{
    Stream bad = { (uint8_t *)g_strdup("this is not a migration stream"),
                   30 };

    expect_refused(dir, &bad, "garbage", true, "not a spapr-ddw");
    g_free(bad.data);
}

static void test_wrong_liobn(void)
{
    Stream bad = copy_good();

    put_be32_at(bad.data + def_body, 0x80000007);
    expect_refused(dir, &bad, "wrong liobn", true, "liobn");
    g_free(bad.data);
}

static void test_huge_counts(void)
{
    Stream bad = copy_good();

    put_be32_at(bad.data + ddw_body + 4, 0xffffffff);
    expect_refused(dir, &bad, "huge nb_table", true,
                   "spapr_iommu.nb_table: 4294967295 exceeds");
    memcpy(bad.data, good.data, good.len);
    put_be32_at(bad.data + ddw_body + 9, 0xfffffff0);
    expect_refused(dir, &bad, "huge run count", true, "runs for");
    g_free(bad.data);
}

/* The DDW table's first run moved past its window. */
static void test_run_outside_window(void)
{
    Stream bad = copy_good();

    put_be32_at(bad.data + ddw_body + 14, DDW_ENTRIES);
    expect_refused(dir, &bad, "run outside the window", true,
                   "outside the window");
    g_free(bad.data);
}

/* The DDW window's geometry: 16 MiB pages the PHB does not offer. */
static void test_bad_page_size(void)
{
    Stream bad = copy_good();
    const char *ex = "spapr_iommu_ex";
    size_t at = 0;

    for (size_t i = ddw_body; i + strlen(ex) < good.len && !at; i++) {
        if (!memcmp(good.data + i, ex, strlen(ex))) {
            at = i + strlen(ex) + 4 + 8;    /* version, bus offset */
        }
    }
    g_assert_cmpuint(at, >, 0);
    g_assert_cmpuint(mig_be64_at(good.data + at) >> 32, ==, 16);
    put_be32_at(bad.data + at, 24);
    expect_refused(dir, &bad, "16M pages", true, "is not valid");
    put_be32_at(bad.data + at, 13);
    expect_refused(dir, &bad, "8K pages", true, "is not valid");
    g_free(bad.data);
}

/* A flip in page data is still a valid stream: then it must load. */
static void test_flipped_bytes(void)
{
    Stream bad = copy_good();

    for (size_t i = 0; i < 12; i++) {
        size_t off = i < 3 ? 20 + i * 977 : def_body - 40 + (i - 3) * 5;

        memcpy(bad.data, good.data, good.len);
        bad.data[off % good.len] ^= 0x5a;
        expect_refused(dir, &bad, "flipped byte", false, NULL);
    }
    g_free(bad.data);
}

static void test_compressed_corrupt(void)
{
    Stream bad = { g_memdup2(good_z.data, good_z.len), good_z.len };

    bad.data[good_z.len / 2] ^= 0xff;
    expect_refused(dir, &bad, "corrupt zlib", true, NULL);
    bad.data[good_z.len / 2] ^= 0xff;   /* only cut short, now */
    bad.len = good_z.len - 10;
    expect_refused(dir, &bad, "truncated zlib", true, "zlib");
    g_free(bad.data);
}

#define PATTERN_AT(k)   (PATTERN_BASE + (k) * 0x10000ULL)
#define OTHER_PAGE      (PATTERN_BASE + 0x8000)

/* Offset just past pattern page k's first record in the good stream. */
static size_t pattern_record_end(int k)
{
    uint8_t want[PAGE];

    mig_fill_pattern(want, k);
    for (size_t i = 0; i + PAGE <= good.len; i++) {
        if (!memcmp(good.data + i, want, PAGE)) {
            return i + PAGE;
        }
    }
    g_assert_not_reached();
}

/* Waits (bounded) until the stream has written pattern pages 0..2. */
static void wait_patterns(QTestState *qts)
{
    uint8_t want[PAGE], got[PAGE];

    for (int k = 0, tries = 0; k < 3; tries++) {
        g_assert_cmpint(tries, <, WAIT_TRIES);
        mig_fill_pattern(want, k);
        qtest_memread(qts, PATTERN_AT(k), got, PAGE);
        if (memcmp(got, want, PAGE)) {
            g_usleep(10000);
        } else {
            k++;
        }
    }
}

/* Lets cat past the fifo at path (it must have opened it to read). */
static void open_gate(const char *path)
{
    for (int tries = 0; tries < WAIT_TRIES; tries++) {
        int fd = open(path, O_WRONLY | O_NONBLOCK);

        if (fd >= 0) {
            close(fd);
            return;
        }
        g_assert_cmpint(errno, ==, ENXIO);
        g_usleep(10000);
    }
    g_assert_not_reached();
}

static void check_page(QTestState *qts, uint64_t gpa, const uint8_t *want)
{
    uint8_t got[PAGE];

    qtest_memread(qts, gpa, got, PAGE);
    g_assert_cmpmem(got, PAGE, want, PAGE);
}

/*
 * The stream writes pattern pages 0-2 and stalls at a fifo; a qtest
 * client fills page 0, writes 4 bytes of page 2 and fills a page the
 * stream does not carry; then one bad byte.  After the refusal: page 0
 * and the other page hold what qtest wrote, page 1 is blank again, page
 * 2 is blank but for qtest's 4 bytes.
 */
static void test_written_during_load(void)
{
    g_autofree char *part = g_strdup_printf("%s/part.mig", dir);
    g_autofree char *gate = g_strdup_printf("%s/gate", dir);
    g_autofree char *tail = g_strdup_printf("%s/tail.mig", dir);
    g_autofree char *incoming = g_strdup_printf(
        "-incoming 'exec:cat %s %s %s'", part, gate, tail);
    g_autofree char *st = NULL;
    static const uint8_t word[4] = { 0x12, 0x34, 0x56, 0x78 };
    uint8_t want[PAGE];
    size_t cut = MAX(MAX(pattern_record_end(0), pattern_record_end(1)),
                     pattern_record_end(2));
    MigVm *dst;

    g_assert_true(g_file_set_contents(part, (char *)good.data, cut, NULL));
    g_assert_true(g_file_set_contents(tail, "\xee", 1, NULL));
    g_assert_cmpint(mkfifo(gate, 0600), ==, 0);
    dst = mig_vm_start(dir, "dst", "pseries-2.7", incoming);
    wait_patterns(dst->qts);
    qtest_memset(dst->qts, PATTERN_AT(0), 0x66, PAGE);
    qtest_memwrite(dst->qts, PATTERN_AT(2) + 0x100, word, sizeof(word));
    qtest_memset(dst->qts, OTHER_PAGE, 0x77, PAGE);
    open_gate(gate);
    st = mig_wait_end(dst);
    g_assert_cmpstr(st, ==, "failed");
    memset(want, 0x66, PAGE);
    check_page(dst->qts, PATTERN_AT(0), want);
    memset(want, 0x77, PAGE);
    check_page(dst->qts, OTHER_PAGE, want);
    memset(want, 0, PAGE);
    check_page(dst->qts, PATTERN_AT(1), want);
    memcpy(want + 0x100, word, sizeof(word));
    check_page(dst->qts, PATTERN_AT(2), want);
    mig_vm_quit(dst);
    unlink(part);
    unlink(gate);
    unlink(tail);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    dir = mig_tmp_dir();
    make_good_streams();
    g_test_add_func("/migration/hostile/truncated", test_truncated);
    g_test_add_func("/migration/hostile/not-a-stream", test_not_a_stream);
    g_test_add_func("/migration/hostile/wrong-liobn", test_wrong_liobn);
    g_test_add_func("/migration/hostile/huge-counts", test_huge_counts);
    g_test_add_func("/migration/hostile/run-outside-window",
                    test_run_outside_window);
    g_test_add_func("/migration/hostile/bad-page-size", test_bad_page_size);
    g_test_add_func("/migration/hostile/flipped-bytes", test_flipped_bytes);
    g_test_add_func("/migration/hostile/compressed-corrupt",
                    test_compressed_corrupt);
    g_test_add_func("/migration/hostile/written-during-load",
                    test_written_during_load);
    ret = g_test_run();
    g_free(good.data);
    g_free(good_z.data);
    mig_rm_dir(dir);
    return ret;
}
