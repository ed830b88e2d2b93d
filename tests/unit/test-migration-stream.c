/*
 * The incoming stream loader against a hostile peer, in bounded memory
 * (issue 13 items 1, 6 and 10).  Each case runs in a forked child whose
 * address space is limited (RLIMIT_AS: what is reserved now plus a
 * budget; not under ASAN, whose shadow memory needs terabytes of address
 * space) and whose peak RSS is measured from just before the load:
 * - a zlib bomb inflating past its cap is refused while inflating;
 * - zeros after a valid start are refused at the first record;
 * - a device record claiming 4 GiB is refused from its header;
 * - a 4.3 GiB plain stream loads (64-bit counts) in a few MiB;
 * - a refused stream's RAM is discarded, and pages written on the
 *   destination before the stream come back as they were, within a
 *   bounded copy budget, while what was written after the stream stays.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/resource.h>
#include <sys/wait.h>
#include <zlib.h>
#include "qemu/bswap.h"
#include "exec/memory.h"
#include "migration/migration.h"
#include "migration/savevm.h"
#include "migration/ram.h"
#include "sysemu/sysemu.h"

#define RAM_SIZE        (1ULL << 30)
#define BUDGET          (96ULL << 20)
#define PIECE_RECORDS   1024

static uint64_t proc_status_kb(const char *field)
{
    g_autofree char *text = NULL;
    const char *p;

    g_assert_true(g_file_get_contents("/proc/self/status", &text, NULL,
                                      NULL));
    p = strstr(text, field);
    g_assert_nonnull(p);
    return g_ascii_strtoull(p + strlen(field) + 1, NULL, 10);
}

/* Runs fn in a child limited to BUDGET more memory than it has now. */
static void run_bounded(void (*fn)(void))
{
    pid_t pid = fork();
    int status;

    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        uint64_t rss0;

#ifndef __SANITIZE_ADDRESS__
        struct rlimit rl;

        rl.rlim_cur = rl.rlim_max = proc_status_kb("VmSize:") * 1024 + BUDGET;
        g_assert_cmpint(setrlimit(RLIMIT_AS, &rl), ==, 0);
#endif
        /* peak RSS from here on */
        g_file_set_contents("/proc/self/clear_refs", "5", 1, NULL);
        rss0 = proc_status_kb("VmRSS:");
        fn();
        g_assert_cmpuint(proc_status_kb("VmHWM:"), <, rss0 + BUDGET / 1024);
        _exit(0);
    }
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

static void put_header(MigWriter *w, bool zlib)
{
    savevm_put_header(w, zlib ? MIG_FLAG_ZLIB : 0);
}

static void put_layout(MigWriter *w)
{
    RamBlockInfo blocks[MIG_RAM_MAX_BLOCKS];
    unsigned n = ram_blocks_collect(blocks);

    mig_put_u8(w, MIG_REC_RAM_BLOCKS);
    mig_put_be32(w, n);
    for (unsigned i = 0; i < n; i++) {
        mig_put_be64(w, blocks[i].gpa);
        mig_put_be64(w, blocks[i].size);
    }
}

static void put_page(MigWriter *w, uint64_t gpa, uint8_t fill)
{
    uint8_t page[MIG_PAGE_SIZE];

    memset(page, fill, sizeof(page));
    mig_put_u8(w, MIG_REC_RAM_PAGE);
    mig_put_be64(w, gpa);
    mig_put_bytes(w, page, sizeof(page));
}

/* Feeds a whole buffer; the loader's verdict, its error in *err. */
static bool load_buffer(MigLoad *l, GByteArray *b, Error **err)
{
    return savevm_load_feed(l, b->data, b->len, err) &&
           savevm_load_finish(l, err);
}

static void expect_refused(MigLoad *l, GByteArray *b, const char *why)
{
    Error *err = NULL;

    g_assert_false(load_buffer(l, b, &err));
    g_assert_nonnull(err);
    g_test_message("%s", error_get_pretty(err));
    g_assert_nonnull(strstr(error_get_pretty(err), why));
    error_free(err);
}

/* item 1: 560 MiB of valid page records, deflated, over a 512 MiB cap */
static void bomb_body(void)
{
    MigWriter w = { .buf = g_byte_array_new() }, rec = {
        .buf = g_byte_array_new() };
    z_stream zs = { 0 };
    uint8_t out[1 << 16];
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);

    put_header(&w, true);
    put_layout(&rec);
    deflateInit(&zs, 1);
    for (int round = 0; round < 140; round++) {
        for (int i = 0; rec.buf->len < (4u << 20); i++) {
            put_page(&rec, 0x100000 + (i % 16) * MIG_PAGE_SIZE, 0xaa);
        }
        zs.next_in = rec.buf->data;
        zs.avail_in = rec.buf->len;
        do {
            zs.next_out = out;
            zs.avail_out = sizeof(out);
            deflate(&zs, round == 139 ? Z_FINISH : Z_NO_FLUSH);
            g_byte_array_append(w.buf, out, sizeof(out) - zs.avail_out);
        } while (zs.avail_in || !zs.avail_out);
        g_byte_array_set_size(rec.buf, 0);
    }
    deflateEnd(&zs);
    g_test_message("bomb: %u compressed bytes", w.buf->len);
    g_assert_cmpuint(w.buf->len, <, 8u << 20);
    savevm_load_set_plain_limit(l, 512ULL << 20);
    expect_refused(l, w.buf, "stream larger than any valid one");
    savevm_load_free(l);
    g_byte_array_unref(rec.buf);
    g_byte_array_unref(w.buf);
    /* the pages it wrote are gone */
    g_assert_cmphex(address_space_ldl_be(&address_space_memory, 0x100000,
                                         NULL), ==, 0);
}

static void test_zlib_bomb(void)
{
    run_bounded(bomb_body);
}

/* item 1, as reported: zeros after a valid start, 4 GiB of them */
static void zeros_body(void)
{
    MigWriter w = { .buf = g_byte_array_new() };
    g_autofree uint8_t *zeros = g_malloc0(1 << 20);
    z_stream zs = { 0 };
    uint8_t out[1 << 16];
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);
    Error *err = NULL;
    MigWriter pre = { .buf = g_byte_array_new() };
    bool ok = true;

    put_header(&w, true);
    put_layout(&pre);
    deflateInit(&zs, 9);
    zs.next_in = pre.buf->data;
    zs.avail_in = pre.buf->len;
    zs.next_out = out;
    zs.avail_out = sizeof(out);
    deflate(&zs, Z_NO_FLUSH);
    /* the peer sends it a MiB at a time: refused within the first one */
    for (int i = 0; i < 4096 && ok; i++) {
        zs.next_in = zeros;
        zs.avail_in = 1 << 20;
        do {
            deflate(&zs, Z_NO_FLUSH);
            if (!zs.avail_out) {
                ok = savevm_load_feed(l, w.buf->data, w.buf->len, &err);
                g_byte_array_set_size(w.buf, 0);
                g_byte_array_append(w.buf, out, sizeof(out));
                zs.next_out = out;
                zs.avail_out = sizeof(out);
            }
        } while (zs.avail_in && ok);
        ok = ok && savevm_load_feed(l, w.buf->data, w.buf->len, &err);
        g_byte_array_set_size(w.buf, 0);
    }
    deflateEnd(&zs);
    g_assert_false(ok);
    g_assert_nonnull(strstr(error_get_pretty(err), "unknown record type"));
    g_assert_cmpuint(savevm_load_bytes(l), <, 1u << 20);
    error_free(err);
    savevm_load_free(l);
    g_byte_array_unref(pre.buf);
    g_byte_array_unref(w.buf);
}

static void test_zlib_zeros(void)
{
    run_bounded(zeros_body);
}

/* item 10: a device record that claims 4 GiB of state */
static void huge_device_body(void)
{
    MigWriter w = { .buf = g_byte_array_new() };
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);

    put_header(&w, false);
    put_layout(&w);
    mig_put_u8(&w, MIG_REC_DEVICE);
    mig_put_str(&w, "spapr_iommu");
    mig_put_be32(&w, 0x80000000);
    mig_put_be32(&w, 2);
    mig_put_be32(&w, 0xfffffff0);
    expect_refused(l, w.buf, "device state of more than");
    savevm_load_free(l);
    g_byte_array_unref(w.buf);
}

static void test_huge_device(void)
{
    run_bounded(huge_device_body);
}

/* item 6: more than 4 GiB of stream, in pieces, loads in bounded memory */
static void big_stream_body(void)
{
    MigWriter w = { .buf = g_byte_array_new() };
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);
    Error *err = NULL;
    uint64_t total = 0;

    put_header(&w, false);
    put_layout(&w);
    g_assert_true(savevm_load_feed(l, w.buf->data, w.buf->len, NULL));
    g_byte_array_set_size(w.buf, 0);
    for (int i = 0; i < PIECE_RECORDS; i++) {
        put_page(&w, 0x200000 + i * MIG_PAGE_SIZE, i + 1);
    }
    /* cut across records: a piece of 4 MiB + 1 */
    while (total < (4ULL << 30) + (300ULL << 20)) {
        g_assert_true(savevm_load_feed(l, w.buf->data, w.buf->len - 1,
                                       &err));
        g_assert_true(savevm_load_feed(l, w.buf->data + w.buf->len - 1, 1,
                                       &err));
        total += w.buf->len;
    }
    mig_put_u8(&w, MIG_REC_EOF);
    g_assert_true(savevm_load_feed(l, w.buf->data + w.buf->len - 1, 1,
                                   &err));
    g_assert_true(savevm_load_finish(l, &err));
    g_assert_cmpuint(savevm_load_bytes(l), >, 4ULL << 30);
    savevm_load_free(l);
    g_assert_cmphex(address_space_ldl_be(&address_space_memory,
                                         0x200000 + 5 * MIG_PAGE_SIZE, NULL),
                    ==, 0x06060606);
    g_byte_array_unref(w.buf);
}

static void test_big_stream(void)
{
    run_bounded(big_stream_body);
}

/* A stream refused after pages were written: they are zero again. */
static void test_refused_ram_discarded(void)
{
    MigWriter w = { .buf = g_byte_array_new() };
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);
    Error *err = NULL;

    put_header(&w, false);
    put_layout(&w);
    put_page(&w, 0x400000, 0x5a);
    put_page(&w, 0x401000, 0x5b);
    g_assert_true(savevm_load_feed(l, w.buf->data, w.buf->len, &err));
    /* written as they arrived */
    g_assert_cmphex(address_space_ldl_be(&address_space_memory, 0x401000,
                                         NULL), ==, 0x5b5b5b5b);
    g_byte_array_set_size(w.buf, 0);
    mig_put_u8(&w, 0xee);
    g_assert_false(savevm_load_feed(l, w.buf->data, w.buf->len, &err));
    error_free(err);
    g_assert_cmphex(address_space_ldl_be(&address_space_memory, 0x400000,
                                         NULL), ==, 0);
    g_assert_cmphex(address_space_ldl_be(&address_space_memory, 0x401000,
                                         NULL), ==, 0);
    savevm_load_free(l);
    g_byte_array_unref(w.buf);
}

static void fill_ram(uint64_t gpa, uint8_t v, uint64_t len)
{
    address_space_set(&address_space_memory, gpa, v, len,
                      MEMTXATTRS_UNSPECIFIED);
}

static uint32_t ram_word(uint64_t gpa)
{
    return address_space_ldl_be(&address_space_memory, gpa, NULL);
}

static void put_zero_page(MigWriter *w, uint64_t gpa)
{
    mig_put_u8(w, MIG_REC_RAM_PAGE);
    mig_put_be64(w, gpa | MIG_PAGE_ZERO);
}

/*
 * issue 13: pages a qtest client wrote on the destination before the
 * stream (and a blank one) are as they were after a refusal, whatever
 * the stream wrote over them, twice or as a zero page.
 */
static void test_refused_ram_restored(void)
{
    MigWriter w = { .buf = g_byte_array_new() };
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);
    Error *err = NULL;

    fill_ram(0x500000, 0x11, MIG_PAGE_SIZE);
    fill_ram(0x501000, 0x22, MIG_PAGE_SIZE);
    put_header(&w, false);
    put_layout(&w);
    put_page(&w, 0x500000, 0x5a);
    put_page(&w, 0x500000, 0x5c);
    put_zero_page(&w, 0x501000);
    put_page(&w, 0x502000, 0x5b);
    g_assert_true(savevm_load_feed(l, w.buf->data, w.buf->len, &err));
    g_assert_cmphex(ram_word(0x500000), ==, 0x5c5c5c5c);
    g_assert_cmphex(ram_word(0x501ffc), ==, 0);
    g_byte_array_set_size(w.buf, 0);
    mig_put_u8(&w, 0xee);
    g_assert_false(savevm_load_feed(l, w.buf->data, w.buf->len, &err));
    error_free(err);
    g_assert_cmphex(ram_word(0x500000), ==, 0x11111111);
    g_assert_cmphex(ram_word(0x500ffc), ==, 0x11111111);
    g_assert_cmphex(ram_word(0x501000), ==, 0x22222222);
    g_assert_cmphex(ram_word(0x502000), ==, 0);
    savevm_load_free(l);
    fill_ram(0x500000, 0, 2 * MIG_PAGE_SIZE);
    g_byte_array_unref(w.buf);
}

static void write_word(uint64_t gpa, uint32_t v)
{
    address_space_stl_be(&address_space_memory, gpa, v, NULL);
}

/* What a device doing DMA by host address does (hw/vfio/host-emu). */
static void dma_fill(uint64_t gpa, uint8_t v, uint64_t len)
{
    hwaddr plen;
    uint8_t *host = address_space_get_ram_ptr(&address_space_memory, gpa,
                                              &plen, NULL);

    g_assert_nonnull(host);
    g_assert_cmpuint(plen, >=, len);
    memset(host, v, len);
    ram_host_written(host, len);
}

#define LATER_BASE      0x600000ULL
#define LATER(n)        (LATER_BASE + (n) * MIG_PAGE_SIZE)

/*
 * issue 13 item 11: what is written on the destination after the stream
 * wrote a page (a qtest write, DMA) is not lost to a refusal.  Pages:
 * 0 pre-written, stream, then wholly overwritten; 1 blank, stream, one
 * word; 2 pre-written, stream, one word; 3 pre-written only; 4
 * pre-written, stream only; 5 blank, stream only; 6 stream, wholly
 * overwritten, stream again; 7/8 stream, one word across their border;
 * 9 stream, then filled by host address (a device's DMA) but its last
 * word.
 */
static void later_writes_stream(MigLoad *l)
{
    MigWriter w = { .buf = g_byte_array_new() };
    Error *err = NULL;

    put_header(&w, false);
    put_layout(&w);
    for (int i = 0; i < 10; i++) {
        if (i != 3) {
            put_page(&w, LATER(i), 0x50 + i);
        }
    }
    g_assert_true(savevm_load_feed(l, w.buf->data, w.buf->len, &err));
    g_assert_cmphex(ram_word(LATER(2)), ==, 0x52525252);
    fill_ram(LATER(0), 0x66, MIG_PAGE_SIZE);
    write_word(LATER(1) + 0x10, 0xdeadbeef);
    write_word(LATER(2) + 0x20, 0xfeedf00d);
    fill_ram(LATER(6), 0x67, MIG_PAGE_SIZE);
    write_word(LATER(8) - 2, 0x12345678);
    dma_fill(LATER(9), 0x69, MIG_PAGE_SIZE - 4);
    g_byte_array_set_size(w.buf, 0);
    put_page(&w, LATER(6), 0x5e);
    g_assert_true(savevm_load_feed(l, w.buf->data, w.buf->len, &err));
    g_assert_cmphex(ram_word(LATER(6)), ==, 0x5e5e5e5e);
    g_byte_array_set_size(w.buf, 0);
    mig_put_u8(&w, 0xee);
    g_assert_false(savevm_load_feed(l, w.buf->data, w.buf->len, &err));
    error_free(err);
    g_byte_array_unref(w.buf);
}

static void test_refused_ram_later_writes(void)
{
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);

    fill_ram(LATER(0), 0x11, MIG_PAGE_SIZE);
    fill_ram(LATER(2), 0x22, MIG_PAGE_SIZE);
    fill_ram(LATER(3), 0x33, MIG_PAGE_SIZE);
    fill_ram(LATER(4), 0x44, MIG_PAGE_SIZE);
    later_writes_stream(l);
    g_assert_cmphex(ram_word(LATER(0)), ==, 0x66666666);
    g_assert_cmphex(ram_word(LATER(0) + 0xffc), ==, 0x66666666);
    g_assert_cmphex(ram_word(LATER(1)), ==, 0);
    g_assert_cmphex(ram_word(LATER(1) + 0x10), ==, 0xdeadbeef);
    g_assert_cmphex(ram_word(LATER(2)), ==, 0x22222222);
    g_assert_cmphex(ram_word(LATER(2) + 0x20), ==, 0xfeedf00d);
    g_assert_cmphex(ram_word(LATER(3)), ==, 0x33333333);
    g_assert_cmphex(ram_word(LATER(4) + 0x800), ==, 0x44444444);
    g_assert_cmphex(ram_word(LATER(5)), ==, 0);
    g_assert_cmphex(ram_word(LATER(6) + 0x800), ==, 0x67676767);
    g_assert_cmphex(ram_word(LATER(7) + 0xff8), ==, 0);
    g_assert_cmphex(ram_word(LATER(8) - 2), ==, 0x12345678);
    g_assert_cmphex(ram_word(LATER(8) + 4), ==, 0);
    g_assert_cmphex(ram_word(LATER(9)), ==, 0x69696969);
    g_assert_cmphex(ram_word(LATER(9) + 0xffc), ==, 0);
    savevm_load_free(l);
    fill_ram(LATER_BASE, 0, 10 * MIG_PAGE_SIZE);
}

/*
 * Partial writes after the stream within a one-page copy budget: with
 * page 0's copy held, page 1 (blank before) cannot get one and keeps
 * what it holds; once page 0 is wholly overwritten (its copy freed),
 * page 2 gets one and comes back blank but for the written word.
 */
static void test_later_writes_budget(void)
{
    MigWriter w = { .buf = g_byte_array_new() };
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);
    Error *err = NULL;

    savevm_load_set_saved_limit(l, MIG_PAGE_SIZE);
    fill_ram(LATER(0), 0x11, MIG_PAGE_SIZE);
    put_header(&w, false);
    put_layout(&w);
    for (int i = 0; i < 3; i++) {
        put_page(&w, LATER(i), 0x50 + i);
    }
    g_assert_true(savevm_load_feed(l, w.buf->data, w.buf->len, &err));
    write_word(LATER(1) + 0x10, 0xdeadbeef);
    fill_ram(LATER(0), 0x66, MIG_PAGE_SIZE);
    write_word(LATER(2) + 0x20, 0xfeedf00d);
    g_byte_array_set_size(w.buf, 0);
    mig_put_u8(&w, 0xee);
    g_assert_false(savevm_load_feed(l, w.buf->data, w.buf->len, &err));
    error_free(err);
    g_assert_cmphex(ram_word(LATER(0)), ==, 0x66666666);
    g_assert_cmphex(ram_word(LATER(1)), ==, 0x51515151);
    g_assert_cmphex(ram_word(LATER(1) + 0x10), ==, 0xdeadbeef);
    g_assert_cmphex(ram_word(LATER(2)), ==, 0);
    g_assert_cmphex(ram_word(LATER(2) + 0x20), ==, 0xfeedf00d);
    savevm_load_free(l);
    fill_ram(LATER_BASE, 0, 3 * MIG_PAGE_SIZE);
    g_byte_array_unref(w.buf);
}

/* A load that ends stops listening: later writes are just writes. */
static void test_loaded_ram_later_writes(void)
{
    MigWriter w = { .buf = g_byte_array_new() };
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);
    Error *err = NULL;

    put_header(&w, false);
    put_layout(&w);
    put_page(&w, LATER(0), 0x5a);
    mig_put_u8(&w, MIG_REC_EOF);
    g_assert_true(load_buffer(l, w.buf, &err));
    savevm_load_free(l);
    write_word(LATER(0), 0x01020304);       /* a freed notifier: ASAN */
    g_assert_cmphex(ram_word(LATER(0)), ==, 0x01020304);
    g_assert_cmphex(ram_word(LATER(0) + 4), ==, 0x5a5a5a5a);
    fill_ram(LATER(0), 0, MIG_PAGE_SIZE);
    g_byte_array_unref(w.buf);
}

#define SAVED_LIMIT     (1ULL << 20)
#define SAVED_BASE      0x800000ULL
#define SAVED_PAGES     (SAVED_LIMIT / MIG_PAGE_SIZE + 16)

/*
 * More pre-written pages than the copy budget: the stream is refused at
 * the first page it cannot keep a copy of, before touching it, and
 * every page is as it was.
 */
static void saved_limit_body(void)
{
    MigWriter w = { .buf = g_byte_array_new() };
    MigLoad *l = savevm_load_new(MIG_LOAD_ALL, 0);

    savevm_load_set_saved_limit(l, SAVED_LIMIT);
    put_header(&w, false);
    put_layout(&w);
    for (uint64_t i = 0; i < SAVED_PAGES; i++) {
        put_page(&w, SAVED_BASE + i * MIG_PAGE_SIZE, 0x77);
    }
    expect_refused(l, w.buf, "than can be kept (1024 KiB)");
    savevm_load_free(l);
    for (uint64_t i = 0; i < SAVED_PAGES; i++) {
        g_assert_cmphex(ram_word(SAVED_BASE + i * MIG_PAGE_SIZE), ==,
                        0x33333333);
    }
    g_byte_array_unref(w.buf);
}

static void test_saved_limit(void)
{
    fill_ram(SAVED_BASE, 0x33, SAVED_PAGES * MIG_PAGE_SIZE);
    run_bounded(saved_limit_body);
    fill_ram(SAVED_BASE, 0, SAVED_PAGES * MIG_PAGE_SIZE);
}

int main(int argc, char **argv)
{
    char *qargv[] = {
        (char *)"test-migration-stream", (char *)"-M", (char *)"pseries-2.7",
        (char *)"-m", (char *)"1G", (char *)"-display", (char *)"none",
        (char *)"-nodefaults", (char *)"-S", NULL,
    };

    g_test_init(&argc, &argv, NULL);
    qemu_init(G_N_ELEMENTS(qargv) - 1, qargv);
    g_test_add_func("/migration/stream/zlib-bomb", test_zlib_bomb);
    g_test_add_func("/migration/stream/zlib-zeros", test_zlib_zeros);
    g_test_add_func("/migration/stream/huge-device", test_huge_device);
    g_test_add_func("/migration/stream/over-4g", test_big_stream);
    g_test_add_func("/migration/stream/refused-ram-discarded",
                    test_refused_ram_discarded);
    g_test_add_func("/migration/stream/refused-ram-restored",
                    test_refused_ram_restored);
    g_test_add_func("/migration/stream/refused-ram-later-writes",
                    test_refused_ram_later_writes);
    g_test_add_func("/migration/stream/later-writes-budget",
                    test_later_writes_budget);
    g_test_add_func("/migration/stream/loaded-ram-later-writes",
                    test_loaded_ram_later_writes);
    g_test_add_func("/migration/stream/saved-limit", test_saved_limit);
    return g_test_run();
}
