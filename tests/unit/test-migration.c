/*
 * Migration in-process: the VMState layer on a synthetic description
 * (EQUAL, version and max checks, subsections, validation changing
 * nothing), the compact TCE encoding on a real machine (a direct-mapped
 * 4 GiB window fits in 1 KiB), a save/load round trip, and a short run of
 * the loader fuzzer (the long one is tests/fuzz/migration-load-fuzz).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/pci-host/spapr.h"
#include "migration/migration.h"
#include "migration/vmstate.h"
#include "sysemu/sysemu.h"
#include "tests/fuzz/migration-mutate.h"
#include "migration/ram.h"

#define LIOBN_DEF   0x80000000
#define LIOBN_DDW   0x80000001
#define DDW_START   (1ULL << 59)

/* A synthetic device, and its section's state struct */

typedef struct TestDev {
    uint32_t id;
    uint32_t a;
    uint64_t b;
    bool flag;
    uint8_t buf[16];
    uint32_t extra;             /* subsection */
    int post_loads;
} TestDev;

typedef struct TestMigState {
    uint32_t id;
    uint32_t a;
    uint64_t b;
    bool flag;
    uint8_t buf[16];
    uint32_t extra;
} TestMigState;

/* What the last validate() was given. */
static const void *validated_state, *validated_live;

static bool test_extra_needed(const void *live)
{
    return ((const TestDev *)live)->extra != 0;
}

static const VMStateDescription vmstate_test_extra = {
    .name = "test/extra",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = test_extra_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(extra, TestMigState),
        VMSTATE_END_OF_LIST()
    },
};

static void test_export(void *state, const void *live)
{
    TestMigState *s = state;
    const TestDev *d = live;

    s->a = d->a;
    s->b = d->b;
    s->flag = d->flag;
    memcpy(s->buf, d->buf, sizeof(s->buf));
    s->extra = d->extra;
}

static bool test_validate(const void *state, const void *live,
                          int version_id, VMStateLoadPass *pass,
                          Error **errp)
{
    validated_state = state;
    validated_live = live;
    return true;
}

static bool test_post_load(void *live, const void *state, int version_id,
                           Error **errp)
{
    const TestMigState *s = state;
    TestDev *d = live;

    d->a = s->a;
    d->b = s->b;
    d->flag = s->flag;
    memcpy(d->buf, s->buf, sizeof(d->buf));
    d->extra = s->extra;
    d->post_loads++;
    return true;
}

static const VMStateDescription vmstate_test = {
    .name = "test",
    .version_id = 3,
    .minimum_version_id = 2,
    .size = sizeof(TestMigState),
    .export = test_export,
    .validate = test_validate,
    .post_load = test_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_EQUAL(id, TestMigState, TestDev),
        VMSTATE_UINT32_MAX(a, TestMigState, 1000),
        VMSTATE_UINT64(b, TestMigState),
        VMSTATE_BOOL_V(flag, TestMigState, 3),
        VMSTATE_BUFFER(buf, TestMigState),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_test_extra,
        NULL
    },
};

static GByteArray *save_dev(TestDev *d)
{
    MigWriter w = { .buf = g_byte_array_new() };

    vmstate_save(&w, &vmstate_test, d);
    return w.buf;
}

/* dry: validate only, which must leave d as it was. */
static bool load_dev(TestDev *d, GByteArray *b, int version, bool dry,
                     Error **errp)
{
    MigReader r;
    TestDev before = *d;
    bool ok;

    mig_reader_init(&r, b->data, b->len);
    ok = vmstate_load(&r, &vmstate_test, d, version, !dry, errp);
    if (dry || !ok) {
        g_assert_cmpmem(d, sizeof(*d), &before, sizeof(before));
    }
    return ok && !mig_remaining(&r);
}

static void test_vmstate_round_trip(void)
{
    TestDev src = { .id = 7, .a = 999, .b = 1ULL << 60, .flag = true,
                    .buf = "sixteen bytes!!", .extra = 42 };
    TestDev dst = { .id = 7 }, before;
    g_autoptr(GByteArray) b = save_dev(&src);

    before = dst;
    g_assert_true(load_dev(&dst, b, 3, true, NULL));
    g_assert_cmpmem(&dst, sizeof(dst), &before, sizeof(before));
    /* validate() saw the device, and a state struct apart from it */
    g_assert_true(validated_live == &dst);
    g_assert_true((const uint8_t *)validated_state + sizeof(TestMigState) <=
                  (const uint8_t *)&dst ||
                  (const uint8_t *)validated_state >=
                  (const uint8_t *)(&dst + 1));
    g_assert_true(load_dev(&dst, b, 3, false, NULL));
    g_assert_cmpuint(dst.a, ==, 999);
    g_assert_cmphex(dst.b, ==, 1ULL << 60);
    g_assert_true(dst.flag);
    g_assert_cmpstr((char *)dst.buf, ==, "sixteen bytes!!");
    g_assert_cmpuint(dst.extra, ==, 42);
    g_assert_cmpint(dst.post_loads, ==, 1);
}

static void test_vmstate_refusals(void)
{
    TestDev src = { .id = 7, .a = 5 };
    TestDev other = { .id = 8 };
    g_autoptr(GByteArray) b = save_dev(&src);
    Error *err = NULL;

    /* EQUAL */
    g_assert_false(load_dev(&other, b, 3, true, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "test.id"));
    g_clear_pointer(&err, error_free);
    /* version newer than ours, older than the minimum */
    g_assert_false(load_dev(&other, b, 4, true, &err));
    g_clear_pointer(&err, error_free);
    g_assert_false(load_dev(&other, b, 1, true, &err));
    g_clear_pointer(&err, error_free);
    /* a value above max */
    src.a = 1001;
    g_byte_array_unref(b);
    b = save_dev(&src);
    g_assert_false(load_dev(&src, b, 3, true, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "exceeds"));
    g_clear_pointer(&err, error_free);
    /* a boolean that is 2 (offset of flag: 4 + 4 + 8) */
    src.a = 1;
    g_byte_array_unref(b);
    b = save_dev(&src);
    b->data[16] = 2;
    g_assert_false(load_dev(&src, b, 3, true, &err));
    g_clear_pointer(&err, error_free);
    /* an unknown subsection: rename the one we send */
    src.extra = 1;
    g_byte_array_unref(b);
    b = save_dev(&src);
    b->data[b->len - 2 - 4 - 4 - 1] ^= 0x20;
    g_assert_false(load_dev(&src, b, 3, true, &err));
    g_test_message("%s", error_get_pretty(err));
    g_assert_nonnull(strstr(error_get_pretty(err), "subsection"));
    g_clear_pointer(&err, error_free);
    /* truncated anywhere (the rename above is undone first) */
    b->data[b->len - 2 - 4 - 4 - 1] ^= 0x20;
    for (guint cut = 0; cut < b->len; cut++) {
        GByteArray *t = g_byte_array_new();

        g_byte_array_append(t, b->data, cut);
        g_assert_false(load_dev(&src, t, 3, true, NULL));
        g_byte_array_unref(t);
    }
}

static void test_vmstate_old_version(void)
{
    TestDev src = { .id = 7, .a = 3, .flag = true };
    TestDev dst = { .id = 7 };
    g_autoptr(GByteArray) b = save_dev(&src);

    /* A version 2 stream has no flag: drop its byte (offset 16). */
    g_byte_array_remove_index(b, 16);
    g_assert_true(load_dev(&dst, b, 2, false, NULL));
    g_assert_cmpuint(dst.a, ==, 3);
    g_assert_false(dst.flag);
}

/* The machine */

static size_t tce_section_size(uint32_t liobn)
{
    SaveStateEntry *se = vmstate_find("spapr_iommu", liobn);
    MigWriter w = { .buf = g_byte_array_new() };
    size_t len;

    g_assert_nonnull(se);
    vmstate_save(&w, se->vmsd, se->opaque);
    len = w.buf->len;
    g_byte_array_unref(w.buf);
    return len;
}

static void test_tce_direct_map_size(void)
{
    SpaprTceTable *ddw = spapr_tce_find_by_liobn(LIOBN_DDW);
    uint64_t n = (4ULL << 30) >> 12;
    size_t len;

    spapr_tce_table_disable(ddw);
    g_assert_true(spapr_tce_table_enable(ddw, 12, DDW_START, n, NULL));
    for (uint64_t i = 0; i < n; i++) {
        spapr_tce_put(ddw, DDW_START + (i << 12), (i << 12) | 3);
    }
    len = tce_section_size(LIOBN_DDW);
    g_test_message("direct-mapped 4 GiB window: %zu bytes (dense: %" PRIu64
                   ")", len, n * 8);
    g_assert_cmpuint(len, <=, 1024);
    /* holes and strays cost a run each, not the window */
    spapr_tce_put(ddw, DDW_START + (1000ULL << 12), 0);
    spapr_tce_put(ddw, DDW_START + (5000ULL << 12), 0x1234000 | 1);
    g_assert_cmpuint(tce_section_size(LIOBN_DDW), <=, 1024);
    spapr_tce_table_disable(ddw);
}

/*
 * A TCE section loaded without apply (the checking pass) leaves the live
 * table exactly as it is; applied, it brings back the saved window.
 */
static void test_tce_validate_only(void)
{
    SpaprTceTable *ddw = spapr_tce_find_by_liobn(LIOBN_DDW);
    SaveStateEntry *se = vmstate_find("spapr_iommu", LIOBN_DDW);
    MigWriter w = { .buf = g_byte_array_new() };
    MigReader r;

    spapr_tce_table_disable(ddw);
    g_assert_true(spapr_tce_table_enable(ddw, 16, DDW_START, 256, NULL));
    spapr_tce_put(ddw, DDW_START + (7 << 16), 0x70003);
    vmstate_save(&w, se->vmsd, se->opaque);
    spapr_tce_table_disable(ddw);
    g_assert_true(spapr_tce_table_enable(ddw, 12, DDW_START, 64, NULL));
    spapr_tce_put(ddw, DDW_START + (3 << 12), 0x3001);
    mig_reader_init(&r, w.buf->data, w.buf->len);
    g_assert_true(vmstate_load(&r, se->vmsd, se->opaque, 2, false, NULL));
    g_assert_cmpuint(ddw->nb_table, ==, 64);
    g_assert_cmpuint(ddw->page_shift, ==, 12);
    g_assert_cmphex(spapr_tce_get_entry(ddw, 3), ==, 0x3001);
    g_assert_cmpuint(spapr_tce_table_mapped(ddw), ==, 1);
    mig_reader_init(&r, w.buf->data, w.buf->len);
    g_assert_true(vmstate_load(&r, se->vmsd, se->opaque, 2, true, NULL));
    g_assert_cmpuint(ddw->nb_table, ==, 256);
    g_assert_cmpuint(ddw->page_shift, ==, 16);
    g_assert_cmphex(spapr_tce_get_entry(ddw, 7), ==, 0x70003);
    g_assert_cmpuint(spapr_tce_table_mapped(ddw), ==, 1);
    g_byte_array_unref(w.buf);
    spapr_tce_table_disable(ddw);
}

/* A pass's scratch object: made once on first use, destroyed with it. */
static int scratch_made, scratch_destroyed;

static void *scratch_new(void)
{
    scratch_made++;
    return g_new0(int, 1);
}

static void scratch_free(void *p)
{
    scratch_destroyed++;
    g_free(p);
}

static void test_vmstate_pass_scratch(void)
{
    VMStateLoadPass *pass = vmstate_pass_new();
    int *a = vmstate_pass_scratch(pass, &vmstate_test, scratch_new,
                                  scratch_free);

    g_assert_true(vmstate_pass_scratch(pass, &vmstate_test, scratch_new,
                                       scratch_free) == a);
    g_assert_true(vmstate_pass_scratch(pass, &vmstate_test_extra,
                                       scratch_new, scratch_free) != a);
    g_assert_cmpint(scratch_made, ==, 2);
    g_assert_cmpint(scratch_destroyed, ==, 0);
    vmstate_pass_free(pass);
    g_assert_cmpint(scratch_destroyed, ==, 2);
}

static GByteArray *save_section(SaveStateEntry *se)
{
    MigWriter w = { .buf = g_byte_array_new() };

    vmstate_save(&w, se->vmsd, se->opaque);
    return w.buf;
}

static bool load_section(VMStateLoadPass *pass, SaveStateEntry *se,
                         GByteArray *b, bool apply, Error **errp)
{
    MigReader r;

    mig_reader_init(&r, b->data, b->len);
    return pass ? vmstate_load_in_pass(pass, &r, se->vmsd, se->opaque, 2,
                                       apply, errp)
                : vmstate_load(&r, se->vmsd, se->opaque, 2, apply, errp);
}

/*
 * A PHB's windows are checked against each other as one load pass has
 * them: the default window at 0 overlaps a DDW the same pass moved to 0,
 * though not the one here; and a pass that ended (refused) leaves nothing
 * behind for the next.
 */
static void test_tce_windows_in_pass(void)
{
    SpaprTceTable *def = spapr_tce_find_by_liobn(LIOBN_DEF);
    SpaprTceTable *ddw = spapr_tce_find_by_liobn(LIOBN_DDW);
    SaveStateEntry *se_def = vmstate_find("spapr_iommu", LIOBN_DEF);
    SaveStateEntry *se_ddw = vmstate_find("spapr_iommu", LIOBN_DDW);
    g_autoptr(GByteArray) def_at_0 = NULL, ddw_at_0 = NULL;
    VMStateLoadPass *pass = vmstate_pass_new();
    Error *err = NULL;

    spapr_tce_table_disable(ddw);
    def_at_0 = save_section(se_def);
    spapr_tce_table_disable(def);
    g_assert_true(spapr_tce_table_enable(ddw, 12, 0, 256, NULL));
    ddw_at_0 = save_section(se_ddw);
    /* here: no default window, the DDW at the 64-bit address */
    spapr_tce_table_disable(ddw);
    g_assert_true(spapr_tce_table_enable(ddw, 12, DDW_START, 256, NULL));
    g_assert_true(load_section(pass, se_ddw, ddw_at_0, false, NULL));
    g_assert_false(load_section(pass, se_def, def_at_0, false, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "overlaps"));
    g_clear_pointer(&err, error_free);
    vmstate_pass_free(pass);
    g_assert_true(load_section(NULL, se_def, def_at_0, false, NULL));
    g_assert_true(load_section(NULL, se_ddw, ddw_at_0, false, NULL));
    /* back to the default window alone */
    g_assert_true(load_section(NULL, se_def, def_at_0, true, NULL));
    g_assert_cmpuint(def->nb_table, !=, 0);
    spapr_tce_table_disable(ddw);
}

static void test_round_trip_machine(void)
{
    SpaprTceTable *def = spapr_tce_find_by_liobn(LIOBN_DEF);
    SpaprTceTable *ddw = spapr_tce_find_by_liobn(LIOBN_DDW);
    g_autoptr(GByteArray) s = NULL;

    spapr_tce_table_disable(ddw);
    g_assert_true(spapr_tce_table_enable(ddw, 16, DDW_START, 128, NULL));
    for (uint64_t i = 0; i < 128; i++) {
        spapr_tce_put(ddw, DDW_START + (i << 16), (i << 16) | 3);
        spapr_tce_put(def, i << 12, ((i * 13) << 12) | 1);
    }
    address_space_stl_be(&address_space_memory, 0x200000, 0xcafef00d, NULL);
    s = migration_save_to_buffer(false);
    /* change everything, then load the stream back */
    spapr_tce_table_disable(ddw);
    spapr_tce_put(def, 5 << 12, 0);
    address_space_stl_be(&address_space_memory, 0x200000, 0, NULL);
    address_space_stl_be(&address_space_memory, 0x300000, 1, NULL);
    g_assert_true(migration_load_from_buffer(s->data, s->len, NULL));
    g_assert_cmpuint(ddw->nb_table, ==, 128);
    g_assert_cmpuint(ddw->page_shift, ==, 16);
    g_assert_cmphex(ddw->bus_offset, ==, DDW_START);
    for (uint64_t i = 0; i < 128; i++) {
        g_assert_cmphex(spapr_tce_get_entry(ddw, i), ==, (i << 16) | 3);
        g_assert_cmphex(spapr_tce_get_entry(def, i), ==, ((i * 13) << 12) | 1);
    }
    g_assert_cmphex(address_space_ldl_be(&address_space_memory, 0x200000,
                                         NULL), ==, 0xcafef00d);
    /* the page that became non-zero after the save is not in the stream */
    g_assert_cmphex(address_space_ldl_be(&address_space_memory, 0x300000,
                                         NULL), ==, 1);
}

static void test_short_fuzz(void)
{
    g_autoptr(GByteArray) good = migration_save_to_buffer(false);
    GRand *r = g_rand_new_with_seed(42);

    for (int i = 0; i < 3000; i++) {
        GByteArray *b = mig_fuzz_mutate(r, good);
        Error *err = NULL;

        if (!migration_load_from_buffer(b->data, b->len, &err)) {
            error_free(err);
        }
        g_byte_array_unref(b);
    }
    g_rand_free(r);
    g_assert_true(migration_load_from_buffer(good->data, good->len, NULL));
}

/* query-migrate's ram.total and ram.remaining follow the scan cursor. */
static void test_ram_remaining(void)
{
    RamSaveState rs = { .nr_blocks = 2 };

    rs.blocks[0].size = 1ULL << 30;
    rs.blocks[1].size = 1ULL << 20;
    g_assert_cmpuint(ram_save_total(&rs), ==, (1ULL << 30) + (1ULL << 20));
    g_assert_cmpuint(ram_save_remaining(&rs), ==, ram_save_total(&rs));
    rs.page = 16;
    g_assert_cmpuint(ram_save_remaining(&rs), ==,
                     ram_save_total(&rs) - 16 * MIG_PAGE_SIZE);
    rs.block = 1;
    rs.page = 0;
    g_assert_cmpuint(ram_save_remaining(&rs), ==, 1ULL << 20);
    rs.block = 2;
    g_assert_cmpuint(ram_save_remaining(&rs), ==, 0);
}

int main(int argc, char **argv)
{
    char *qargv[] = {
        (char *)"test-migration", (char *)"-M", (char *)"pseries-2.7",
        (char *)"-m", (char *)"4G", (char *)"-display", (char *)"none",
        (char *)"-nodefaults", (char *)"-S", NULL,
    };

    g_test_init(&argc, &argv, NULL);
    qemu_init(G_N_ELEMENTS(qargv) - 1, qargv);
    g_test_add_func("/migration/vmstate/round-trip", test_vmstate_round_trip);
    g_test_add_func("/migration/vmstate/refusals", test_vmstate_refusals);
    g_test_add_func("/migration/vmstate/old-version",
                    test_vmstate_old_version);
    g_test_add_func("/migration/tce/direct-map-size",
                    test_tce_direct_map_size);
    g_test_add_func("/migration/vmstate/tce-validate-only",
                    test_tce_validate_only);
    g_test_add_func("/migration/vmstate/pass-scratch",
                    test_vmstate_pass_scratch);
    g_test_add_func("/migration/vmstate/tce-windows-in-pass",
                    test_tce_windows_in_pass);
    g_test_add_func("/migration/round-trip", test_round_trip_machine);
    g_test_add_func("/migration/ram-remaining", test_ram_remaining);
    g_test_add_func("/migration/short-fuzz", test_short_fuzz);
    return g_test_run();
}
