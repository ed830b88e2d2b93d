/*
 * Randomized robustness test for QMP.
 *
 * One machine is built in-process; then a seeded stream of QMP requests,
 * valid and hostile mixed, goes through the monitor's framer (in random
 * chunk sizes) and dispatcher.  The process must not abort, and:
 *  - every request gets exactly one reply, a JSON object with either
 *    "return" or "error"; every reply (garbage's too) is valid UTF-8 and
 *    strict JSON that json-glib parses; a request's "id" (often a random
 *    JSON value with escapes and non-ASCII) comes back exactly as sent;
 *  - device_add and device_del succeed exactly when a shadow model of the
 *    plugged edu devices and PHBs says they should, and DEVICE_DELETED
 *    comes once per removed device (a PHB takes its edu devices along);
 *  - query-pci and query-spapr-dma-windows list what the model holds;
 *  - STOP and RESUME come exactly on run state changes;
 *  - token soup and random bytes get error replies and nothing else.
 *
 * SPAPR_DDW_FUZZ_SEED=N replays a run (the seed is printed),
 * SPAPR_DDW_FUZZ_COUNT=N sets the steps: 1500 in make check; 250 k in
 * slow mode (-m slow, SPAPR_DDW_SLOW=1), which took 168 s (VM idle) to
 * 210 s (loaded) under ASAN + UBSAN (make check-slow-sanitizers) on the
 * 2-core VM shared with other builds; the slow timeout is 1800 s.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "sysemu/sysemu.h"
#include "monitor/monitor-internal.h"
#include "fuzz-rng.h"

#define FUZZ_SLOW       250000
#define FUZZ_DEFAULT    1500
#define NUM_EDU     6
#define NUM_PHB     5           /* indexes 0..4; 0 is the machine's */

typedef struct FuzzEdu {
    bool present;
    int phb;                    /* index of the PHB whose bus it is on */
    int devfn;
} FuzzEdu;

typedef struct QmpFuzz {
    uint64_t rng;
    QmpSession sess;
    QmpStream stream;
    GPtrArray *replies;         /* JSON texts not yet taken */
    GHashTable *events;         /* name -> count */
    FuzzEdu edu[NUM_EDU];
    int phb_id[NUM_PHB];        /* p<N> id number, -1: absent; 0: machine */
    bool running;
    uint64_t steps, adds, dels, garbage;
    const char *last_op;        /* for a debugger looking at a failure */
} QmpFuzz;

static QmpFuzz fz;

static uint64_t rnd_below(uint64_t n)
{
    return fuzz_rng_below(&fz.rng, n);
}

static bool chance(unsigned percent)
{
    return fuzz_rng_chance(&fz.rng, percent);
}

static void fz_reply(void *opaque, const char *text, size_t len,
                     const char *err)
{
    g_ptr_array_add(fz.replies,
                    qmp_session_handle(&fz.sess, text, len, err));
}

static void fz_event(const char *json, void *opaque)
{
    g_autoptr(JsonParser) p = json_parser_new();
    const char *name;

    g_assert_true(json_parser_load_from_data(p, json, -1, NULL));
    name = json_object_get_string_member(
        json_node_get_object(json_parser_get_root(p)), "event");
    g_hash_table_insert(fz.events, g_strdup(name), GINT_TO_POINTER(
        GPOINTER_TO_INT(g_hash_table_lookup(fz.events, name)) + 1));
}

static int fz_events_take(const char *name)
{
    int n = GPOINTER_TO_INT(g_hash_table_lookup(fz.events, name));

    g_hash_table_remove(fz.events, name);
    return n;
}

/* Feeds text in random chunks. */
static void fz_feed(const char *text, size_t len)
{
    for (size_t off = 0; off < len;) {
        size_t chunk = 1 + rnd_below(64);    /* MIN() evaluates twice */
        size_t n = MIN(len - off, chunk);

        qmp_stream_feed(&fz.stream, (const uint8_t *)text + off, n);
        off += n;
    }
}

/*
 * The reply's JSON object, checked for its shape; and the text itself:
 * valid UTF-8 and strict JSON (no "1e+19.0"), whatever the input was.
 */
static JsonObject *fz_parse_reply(const char *text)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_autofree char *id = NULL;
    const char *err = NULL;
    JsonObject *o;

    if (!g_utf8_validate(text, -1, NULL) ||
        !qmp_json_check(text, strlen(text), &id, &err)) {
        g_error("reply is not valid UTF-8 JSON (%s): %s", err, text);
    }
    if (!json_parser_load_from_data(p, text, -1, NULL)) {
        g_error("invalid JSON reply: %s", text);
    }
    g_assert_true(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)));
    o = json_object_ref(json_node_get_object(json_parser_get_root(p)));
    g_assert_true(json_object_has_member(o, "return") !=
                  json_object_has_member(o, "error"));
    return o;
}

/*
 * A random request id: any JSON value, its strings with escapes, raw
 * UTF-8 and surrogate pairs, nested up to depth 3.
 */
static void rnd_id(GString *s, int depth)
{
    static const char *const pieces[] = {
        "a", "Z9", " ", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\u00e9",
        "\xc3\xa9", "\\u20ac", "\xe2\x82\xac", "\\ud83d\\ude00",
        "\xf0\x9f\x98\x80", "\\u007f", "'",
    };
    static const char *const scalars[] = {
        "0", "-1", "9223372036854775807", "-9223372036854775808", "0.5",
        "-2.25", "true", "false", "null", "1e3",
    };
    unsigned n = rnd_below(4);

    switch (depth < 3 ? rnd_below(4) : rnd_below(2)) {
    case 0:
        g_string_append(s, scalars[rnd_below(G_N_ELEMENTS(scalars))]);
        break;
    case 1:
        g_string_append_c(s, '"');
        for (unsigned i = 0; i < n * 2; i++) {
            g_string_append(s, pieces[rnd_below(G_N_ELEMENTS(pieces))]);
        }
        g_string_append_c(s, '"');
        break;
    case 2:
        g_string_append_c(s, '[');
        for (unsigned i = 0; i < n; i++) {
            g_string_append(s, i ? "," : "");
            rnd_id(s, depth + 1);
        }
        g_string_append_c(s, ']');
        break;
    default:
        g_string_append_c(s, '{');
        for (unsigned i = 0; i < n; i++) {
            g_string_append_printf(s, "%s\"k%u%s\":", i ? "," : "", i,
                                   pieces[rnd_below(G_N_ELEMENTS(pieces))]);
            rnd_id(s, depth + 1);
        }
        g_string_append_c(s, '}');
    }
}

/*
 * The reply carries the request's id exactly as it was sent (its text,
 * escapes and all, and so JSON-equal), or none.
 */
static void fz_check_id(const char *text, JsonObject *reply, const char *id)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_autofree char *sent = id ? g_strdup_printf("\"id\":%s}", id) : NULL;
    JsonNode *got = json_object_get_member(reply, "id");

    if (!id) {
        g_assert_null(got);
        return;
    }
    if (!g_str_has_suffix(text, sent)) {
        g_error("id %s not echoed as sent: %s", id, text);
    }
    g_assert_true(json_parser_load_from_data(p, id, -1, NULL));
    if (!got || !json_node_equal(got, json_parser_get_root(p))) {
        g_error("id %s came back as %s", id,
                got ? json_to_string(got, false) : "nothing");
    }
}

static JsonObject *fz_cmd(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* One request (often with a random id) and its one reply. */
static JsonObject *fz_cmd(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;
    g_autofree char *reply = NULL;
    g_autoptr(GString) id = NULL;
    JsonObject *r;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_assert_true(g_str_has_prefix(text, "{\"execute\":"));
    if (chance(40)) {
        g_autofree char *bare = text;

        id = g_string_new(NULL);
        rnd_id(id, 0);
        text = g_strdup_printf("{\"id\":%s,%s", id->str, bare + 1);
    }
    fz_feed(text, strlen(text));
    if (fz.replies->len != 1) {
        for (guint i = 0; i < fz.replies->len; i++) {
            g_test_message("reply %u: %s", i,
                           (char *)g_ptr_array_index(fz.replies, i));
        }
        g_error("%u replies to %s after %s", fz.replies->len, text,
                fz.last_op);
    }
    reply = g_ptr_array_steal_index(fz.replies, 0);
    r = fz_parse_reply(reply);
    fz_check_id(reply, r, id ? id->str : NULL);
    return r;
}

static bool fz_ok(const char *what, JsonObject *r)
{
    bool ok = json_object_has_member(r, "return");

    json_object_unref(r);
    return ok;
}

/* The model */

static bool id_in_use(const char *id)
{
    for (int i = 0; i < NUM_EDU; i++) {
        g_autofree char *e = g_strdup_printf("e%d", i);

        if (fz.edu[i].present && !strcmp(e, id)) {
            return true;
        }
    }
    for (int i = 1; i < NUM_PHB; i++) {
        g_autofree char *p = g_strdup_printf("p%d", fz.phb_id[i]);

        if (fz.phb_id[i] > 0 && !strcmp(p, id)) {
            return true;
        }
    }
    return false;
}

static bool devfn_used(int phb, int devfn)
{
    for (int i = 0; i < NUM_EDU; i++) {
        if (fz.edu[i].present && fz.edu[i].phb == phb &&
            fz.edu[i].devfn == devfn) {
            return true;
        }
    }
    return false;
}

static int first_free_devfn(int phb)
{
    for (int devfn = 0; devfn < 256; devfn += 8) {
        if (!devfn_used(phb, devfn)) {
            return devfn;
        }
    }
    return -1;
}

static void op_edu_add(void)
{
    int k = rnd_below(NUM_EDU), phb = rnd_below(NUM_PHB);
    int slot = rnd_below(4) ? -1 : (int)rnd_below(32);
    bool default_bus = !rnd_below(5);
    g_autofree char *id = g_strdup_printf("e%d", k);
    g_autofree char *bus = phb ? g_strdup_printf(",\"bus\":\"p%d.0\"",
                                                 fz.phb_id[phb])
                               : g_strdup(",\"bus\":\"pci.0\"");
    g_autofree char *addr = slot < 0 ? g_strdup("") :
                            g_strdup_printf(",\"addr\":\"%x.0\"", slot);
    int devfn;
    bool expect, ok;

    if (default_bus) {
        phb = 0;
        g_free(bus);
        bus = g_strdup("");
    }
    devfn = slot < 0 ? first_free_devfn(phb) : slot << 3;
    expect = !id_in_use(id) && fz.phb_id[phb] >= 0 &&
             !devfn_used(phb, devfn);
    ok = fz_ok("device_add", fz_cmd("{\"execute\":\"device_add\","
        "\"arguments\":{\"driver\":\"edu\",\"id\":\"%s\"%s%s}}", id, bus,
        addr));
    g_assert_cmpint(ok, ==, expect);
    if (ok) {
        fz.edu[k] = (FuzzEdu) { true, phb, devfn };
        fz.adds++;
    }
}

static void op_phb_add(void)
{
    int n = 1 + rnd_below(NUM_PHB + 2), index = rnd_below(NUM_PHB);
    g_autofree char *id = g_strdup_printf("p%d", n);
    bool expect = !id_in_use(id) && fz.phb_id[index] < 0;
    bool ok = fz_ok("device_add", fz_cmd("{\"execute\":\"device_add\","
        "\"arguments\":{\"driver\":\"spapr-pci-host-bridge\",\"id\":\"%s\","
        "\"index\":%d}}", id, index));

    g_assert_cmpint(ok, ==, expect);
    if (ok) {
        fz.phb_id[index] = n;
        fz.adds++;
    }
}

/* The model's removals for id; returns how many devices go, 0 if none. */
static int model_del(const char *id)
{
    int gone = 0;

    for (int i = 0; i < NUM_EDU; i++) {
        g_autofree char *e = g_strdup_printf("e%d", i);

        if (fz.edu[i].present && !strcmp(e, id)) {
            fz.edu[i].present = false;
            return 1;
        }
    }
    for (int p = 1; p < NUM_PHB; p++) {
        g_autofree char *name = g_strdup_printf("p%d", fz.phb_id[p]);

        if (fz.phb_id[p] > 0 && !strcmp(name, id)) {
            fz.phb_id[p] = -1;
            gone = 1;
            for (int i = 0; i < NUM_EDU; i++) {
                if (fz.edu[i].present && fz.edu[i].phb == p) {
                    fz.edu[i].present = false;
                    gone++;
                }
            }
        }
    }
    return gone;
}

static void op_del(void)
{
    g_autofree char *id = rnd_below(2) ?
        g_strdup_printf("e%d", (int)rnd_below(NUM_EDU)) :
        g_strdup_printf("p%d", (int)rnd_below(NUM_PHB + 3));
    int gone = model_del(id);
    bool ok = fz_ok("device_del", fz_cmd("{\"execute\":\"device_del\","
                                         "\"arguments\":{\"id\":\"%s\"}}",
                                         id));

    g_assert_cmpint(ok, ==, gone > 0);
    if (ok) {
        /*
         * No guest answers the unplug request: a reset completes it, from
         * the main loop after the reply (monitor/device-unplug.c).
         */
        json_object_unref(fz_cmd("{\"execute\":\"system_reset\"}"));
        while (g_main_context_iteration(NULL, false)) {
        }
        fz_events_take("RESET");
    }
    g_assert_cmpint(fz_events_take("DEVICE_DELETED"), ==, gone);
    fz.dels += ok;
}

static gint str_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *joined_sorted(GPtrArray *items)
{
    GString *s = g_string_new(NULL);

    g_ptr_array_sort(items, str_cmp);
    for (guint i = 0; i < items->len; i++) {
        g_string_append_printf(s, "%s ", (char *)g_ptr_array_index(items, i));
    }
    return g_string_free(s, false);
}

static char *model_pci(void)
{
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);

    for (int i = 0; i < NUM_EDU; i++) {
        if (fz.edu[i].present) {
            g_ptr_array_add(items, g_strdup_printf("e%d:%d", i,
                                                   fz.edu[i].devfn >> 3));
        }
    }
    return joined_sorted(items);
}

static void check_pci(void)
{
    JsonObject *r = fz_cmd("{\"execute\":\"query-pci\"}");
    JsonArray *buses = json_object_get_array_member(r, "return");
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *got = NULL, *want = model_pci();

    for (guint b = 0; b < json_array_get_length(buses); b++) {
        JsonArray *devs = json_object_get_array_member(
            json_array_get_object_element(buses, b), "devices");

        for (guint d = 0; d < json_array_get_length(devs); d++) {
            JsonObject *dev = json_array_get_object_element(devs, d);

            g_ptr_array_add(items, g_strdup_printf("%s:%" PRId64,
                json_object_get_string_member(dev, "qdev_id"),
                json_object_get_int_member(dev, "slot")));
        }
    }
    got = joined_sorted(items);
    g_assert_cmpstr(got, ==, want);
    json_object_unref(r);
}

static void check_dma_windows(void)
{
    JsonObject *r = fz_cmd("{\"execute\":\"query-spapr-dma-windows\"}");
    JsonArray *phbs = json_object_get_array_member(r, "return");
    int expected = 0;

    for (int i = 0; i < NUM_PHB; i++) {
        expected += fz.phb_id[i] >= 0;
    }
    g_assert_cmpint(json_array_get_length(phbs), ==, expected);
    for (guint i = 0; i < json_array_get_length(phbs); i++) {
        JsonObject *phb = json_array_get_object_element(phbs, i);
        int64_t index = json_object_get_int_member(phb, "index");
        JsonArray *wins = json_object_get_array_member(phb, "windows");
        JsonObject *w0 = json_array_get_object_element(wins, 0);

        g_assert_cmpint(index, >=, 0);
        g_assert_cmpint(index, <, NUM_PHB);
        g_assert_cmpint(fz.phb_id[index], >=, 0);
        g_assert_cmpuint(json_array_get_length(wins), ==, 2);
        g_assert_true(json_object_get_boolean_member(w0, "enabled"));
        g_assert_cmpint(json_object_get_int_member(w0, "mapped-tces"), ==, 0);
    }
    json_object_unref(r);
}

static void op_run_state(void)
{
    bool cont = rnd_below(2);
    bool was = fz.running;

    g_assert_true(fz_ok("run", fz_cmd("{\"execute\":\"%s\"}",
                                      cont ? "cont" : "stop")));
    fz.running = cont;
    g_assert_cmpint(fz_events_take("RESUME"), ==, cont && !was);
    g_assert_cmpint(fz_events_take("STOP"), ==, !cont && was);
}

static void op_misc(void)
{
    static const char *const cmds[] = {
        "{\"execute\":\"query-status\"}",
        "{\"execute\":\"query-commands\"}",
        "{\"execute\":\"query-version\"}",
        "{\"execute\":\"human-monitor-command\",\"arguments\":"
        "{\"command-line\":\"info qtree\"}}",
        "{\"execute\":\"human-monitor-command\",\"arguments\":"
        "{\"command-line\":\"info mtree\"}}",
        "{\"execute\":\"human-monitor-command\",\"arguments\":"
        "{\"command-line\":\"info spapr-dma\"}}",
        "{\"execute\":\"qom-get\",\"arguments\":{\"path\":"
        "\"/machine/peripheral/e1\",\"property\":\"addr\"}}",
        "{\"execute\":\"qom-get\",\"arguments\":{\"path\":"
        "\"/machine/peripheral/p1\",\"property\":\"ddw\"}}",
        "{\"execute\":\"qom-list\",\"arguments\":{\"path\":"
        "\"/machine/peripheral\"}}",
        "{\"execute\":\"qom-set\",\"arguments\":{\"path\":"
        "\"/machine/peripheral/e2\",\"property\":\"dma_mask\",\"value\":1}}",
        "{\"execute\":\"system_reset\"}",
        "{\"execute\":\"device_add\",\"arguments\":{\"driver\":\"edu\","
        "\"bus\":\"nowhere\"}}",
        "{\"execute\":\"device_add\",\"arguments\":{\"driver\":"
        "\"spapr-pci-host-bridge\",\"index\":256}}",
    };

    json_object_unref(fz_cmd("%s", cmds[rnd_below(G_N_ELEMENTS(cmds))]));
    fz_events_take("RESET");
}

static void op_garbage(void)
{
    static const char *const toks[] = {
        "{", "}", "[", "]", "\"", "\\", ":", ",", " ", "\n", "\"execute\"",
        "\"arguments\"", "\"id\"", "1", "-1e999", "null", "true",
        "\"device_add\"", "\"device_del\"", "\"driver\"",
        "\"quit\"", "\xff", "\"\\u0000\"", "'", "%", "\x01", "\xc3",
        "\"\xff\"", "18446744073709551615", "1e308", "\"id\": 1.50",
    };
    GString *s = g_string_new(NULL);
    int n = 1 + rnd_below(60);

    for (int i = 0; i < n; i++) {
        if (rnd_below(8)) {
            g_string_append(s, toks[rnd_below(G_N_ELEMENTS(toks))]);
        } else {
            g_string_append_c(s, (char)rnd_below(256));
        }
    }
    fz_feed(s->str, s->len);
    g_string_free(s, true);
    for (guint i = 0; i < fz.replies->len; i++) {
        json_object_unref(fz_parse_reply(g_ptr_array_index(fz.replies, i)));
    }
    g_ptr_array_set_size(fz.replies, 0);
    qmp_stream_reset(&fz.stream);   /* as a client reconnecting */
    fz_events_take("STOP");
    fz_events_take("RESUME");
    fz_events_take("RESET");
    fz.garbage++;
}

static void fuzz_setup(void)
{
    static char *argv[] = {
        (char *)"spapr-ddw", (char *)"-M", (char *)"pseries-2.7",
        (char *)"-m", (char *)"1G", (char *)"-display", (char *)"none",
        (char *)"-nodefaults", (char *)"-S", NULL,
    };
    g_autofree char *greeting = NULL;

    qemu_init(G_N_ELEMENTS(argv) - 1, argv);
    fz.replies = g_ptr_array_new_with_free_func(g_free);
    fz.events = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    qmp_stream_init(&fz.stream, fz_reply, NULL);
    qmp_event_add_observer(fz_event, NULL);
    for (int i = 1; i < NUM_PHB; i++) {
        fz.phb_id[i] = -1;
    }
    greeting = qmp_greeting();
    g_assert_nonnull(strstr(greeting, "\"capabilities\":[\"oob\"]"));
    g_assert_true(fz_ok("negotiate",
                        fz_cmd("{\"execute\":\"qmp_capabilities\"}")));
}

static void fuzz_step(void)
{
    uint64_t r = rnd_below(100);

    if (r < 25) {
        op_edu_add();
        fz.last_op = "op_edu_add";
    } else if (r < 37) {
        op_phb_add();
        fz.last_op = "op_phb_add";
    } else if (r < 57) {
        op_del();
        fz.last_op = "op_del";
    } else if (r < 65) {
        op_run_state();
        fz.last_op = "op_run_state";
    } else if (r < 80) {
        op_misc();
        fz.last_op = "op_misc";
    } else if (r < 90) {
        op_garbage();
        fz.last_op = "op_garbage";
    } else if (r < 95) {
        check_pci();
        fz.last_op = "check_pci";
    } else {
        check_dma_windows();
        fz.last_op = "check_dma_windows";
    }
}

static void test_qmp_fuzz(void)
{
    uint64_t steps = fuzz_run_count(FUZZ_DEFAULT, FUZZ_SLOW);

    fz.rng = fuzz_run_seed("SPAPR_DDW_FUZZ_SEED", steps);
    fuzz_setup();
    for (fz.steps = 0; fz.steps < steps; fz.steps++) {
        fuzz_step();
        g_assert_cmpuint(fz.replies->len, ==, 0);
    }
    check_pci();
    check_dma_windows();
    g_test_message("%" PRIu64 " device_add, %" PRIu64 " device_del, %"
                   PRIu64 " garbage bursts", fz.adds, fz.dels, fz.garbage);
    qmp_event_remove_observer(fz_event, NULL);
    qmp_stream_destroy(&fz.stream);
    g_ptr_array_free(fz.replies, true);
    g_hash_table_destroy(fz.events);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qmp/fuzz", test_qmp_fuzz);
    return g_test_run();
}
