/*
 * Live migration: the outgoing and incoming state machines on the GLib
 * main loop, and the API QMP and -incoming use.
 *
 * Outgoing: RAM rounds are produced a budget at a time whenever the
 * channel has drained, so the process keeps serving qtest and QMP while
 * migrating and writes between rounds are caught by dirty logging.  When
 * a round is small enough (or after MIG_MAX_ROUNDS), the VM stops, the
 * last dirty pages and every device section go out, and the source ends
 * in "postmigrate".  Downtime is the time from the stop until the last
 * byte is written.
 *
 * Incoming: the stream is read non-blocking and loaded as it arrives
 * (migration/savevm-load.c), in bounded memory; a refused stream leaves
 * the destination as it was, in "inmigrate", ready for another attempt.
 * A peer that sends nothing for x-incoming-timeout seconds is dropped,
 * so a silent one cannot hold the only incoming slot.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <zlib.h>
#include "qemu/cutils.h"
#include "sysemu/sysemu.h"
#include "migration/migration.h"
#include "migration/ram.h"
#include "migration/savevm.h"
#include "migration/channel.h"
#include "system/vl-hooks.h"
#include "sysemu/guest-call.h"
#include "trace.h"

#define MIG_BUDGET          (1u << 20)
#define MIG_MAX_ROUNDS      8
#define MIG_CONVERGED_PAGES 64
#define MIG_READ_CHUNK      (256u << 10)
#define MIG_INCOMING_TIMEOUT_DEFAULT 120    /* seconds without a byte */

typedef enum MigStage {
    STAGE_RAM,
    STAGE_FINAL,
    STAGE_DRAIN,
} MigStage;

typedef struct MigrationState {
    MigrationStatus status;
    bool incoming;
    int fd;
    int listen_fd;
    guint watch;
    guint throttle;             /* timeout while over max-bandwidth */
    GPid child;
    guint child_watch;
    bool await_child;
    bool exec;                  /* exec: the command's status decides */
    int child_status;           /* once it exited, else -1 */
    /* outgoing */
    MigStage stage;
    GByteArray *out;
    size_t out_pos;
    bool compress;
    z_stream zs;
    RamSaveState ram;
    RunState prev_state;
    int64_t start_ms, stop_ms;
    /* incoming */
    MigLoad *load;
    uint8_t *in_buf;
    int64_t last_rx_ms;
    guint idle_timer;
    /* both */
    uint64_t total_bytes, ram_bytes, ram_total, device_bytes;
    uint64_t downtime_ms, total_time_ms;
    char *error_desc;
} MigrationState;

static MigrationState mig = { .fd = -1, .listen_fd = -1 };
static bool mig_param_compress;
static uint64_t mig_param_max_bandwidth;
static uint64_t mig_param_incoming_timeout = MIG_INCOMING_TIMEOUT_DEFAULT;
static bool mig_cap_events, mig_cap_return_path, mig_cap_pause;
static guint mig_rp_watch;
static bool mig_autostart = true;
static GList *mig_notifiers;

const char *migration_status_name(MigrationStatus s)
{
    static const char *const names[] = {
        [MIGRATION_STATUS_NONE] = "none",
        [MIGRATION_STATUS_SETUP] = "setup",
        [MIGRATION_STATUS_ACTIVE] = "active",
        [MIGRATION_STATUS_COMPLETED] = "completed",
        [MIGRATION_STATUS_FAILED] = "failed",
        [MIGRATION_STATUS_CANCELLED] = "cancelled",
        [MIGRATION_STATUS_PRE_SWITCHOVER] = "pre-switchover",
        [MIGRATION_STATUS_DEVICE] = "device",
    };

    return s < G_N_ELEMENTS(names) ? names[s] : "unknown";
}

static int64_t mig_now_ms(void)
{
    return g_get_monotonic_time() / 1000;
}

static void migration_set_status(MigrationStatus s)
{
    mig.status = s;
    trace_migration_status(migration_status_name(s));
    for (GList *l = mig_notifiers; l; l = l->next) {
        ((void (*)(MigrationStatus))l->data)(s);
    }
}

void migration_add_status_notifier(void (*fn)(MigrationStatus s))
{
    mig_notifiers = g_list_append(mig_notifiers, fn);
}

void migration_set_autostart(bool on)
{
    mig_autostart = on;
}

static bool migration_is_active(void)
{
    return mig.status == MIGRATION_STATUS_SETUP ||
           mig.status == MIGRATION_STATUS_ACTIVE ||
           mig.status == MIGRATION_STATUS_PRE_SWITCHOVER ||
           mig.status == MIGRATION_STATUS_DEVICE;
}

static void migration_complete_outgoing(void);
static void migration_exec_done(void);

static void mig_child_exited(GPid pid, gint status, gpointer opaque)
{
    g_spawn_close_pid(pid);
    if (pid != mig.child) {
        return;     /* the command of an earlier, cancelled migration */
    }
    mig.child = 0;
    mig.child_watch = 0;
    mig.child_status = status;
    if (mig.await_child) {
        mig.await_child = false;
        migration_exec_done();
    }
}

/* Closes the channel; an exec: child is reaped when it exits. */
static void migration_close(void)
{
    if (mig.throttle) {
        g_source_remove(mig.throttle);
        mig.throttle = 0;
    }
    if (mig.watch) {
        g_source_remove(mig.watch);
        mig.watch = 0;
    }
    if (mig_rp_watch) {
        g_source_remove(mig_rp_watch);
        mig_rp_watch = 0;
    }
    if (mig.fd >= 0) {
        close(mig.fd);
        mig.fd = -1;
    }
    if (mig.listen_fd >= 0) {
        close(mig.listen_fd);
        mig.listen_fd = -1;
    }
    if (mig.out) {
        g_byte_array_unref(mig.out);
        mig.out = NULL;
    }
    if (mig.idle_timer) {
        g_source_remove(mig.idle_timer);
        mig.idle_timer = 0;
    }
    if (mig.load) {
        mig.total_bytes = savevm_load_bytes(mig.load);
        savevm_load_free(mig.load);     /* unfinished: RAM discarded */
        mig.load = NULL;
    }
    g_clear_pointer(&mig.in_buf, g_free);
}

static void migration_fail(const char *fmt, const char *detail)
{
    g_free(mig.error_desc);
    mig.error_desc = g_strdup_printf(fmt, detail);
    error_report("migration: %s", mig.error_desc);
    if (!mig.incoming) {
        if (mig.compress) {
            deflateEnd(&mig.zs);
        }
        ram_save_cleanup(&mig.ram);
        if (mig.stage != STAGE_RAM) {
            runstate_set(mig.prev_state);   /* the guest goes on here */
        }
    }
    migration_close();
    migration_set_status(MIGRATION_STATUS_FAILED);
}

/* Outgoing */

/* Queues produced bytes, through zlib when compressing. */
static void migration_queue(const uint8_t *data, size_t len, bool finish)
{
    uint8_t chunk[65536];

    mig.total_bytes += len;
    if (!mig.compress) {
        g_byte_array_append(mig.out, data, len);
        return;
    }
    mig.zs.next_in = (Bytef *)data;
    mig.zs.avail_in = len;
    do {
        mig.zs.next_out = chunk;
        mig.zs.avail_out = sizeof(chunk);
        deflate(&mig.zs, finish ? Z_FINISH : Z_NO_FLUSH);
        g_byte_array_append(mig.out, chunk, sizeof(chunk) - mig.zs.avail_out);
    } while (mig.zs.avail_in || !mig.zs.avail_out);
}

static void migration_stop_guest(void)
{
    mig.prev_state = runstate_get();
    mig.stop_ms = mig_now_ms();
    vm_stop(RUN_STATE_POSTMIGRATE);
}

/* Stops the guest (unless paused before switchover) and produces the rest. */
static void migration_produce_final(MigWriter *w)
{
    size_t before;

    guest_call_drain();         /* device state after the call completes */
    if (mig.status != MIGRATION_STATUS_DEVICE) {
        migration_stop_guest();
    }
    ram_save_next_round(&mig.ram);
    ram_save_iterate(&mig.ram, w, SIZE_MAX);
    before = w->buf->len;
    savevm_put_devices(w);
    mig.device_bytes = w->buf->len - before;
}

/* Produces the next piece of the stream into mig.out. */
static void migration_produce(void)
{
    MigWriter w = { .buf = g_byte_array_new() };

    if (mig.stage == STAGE_RAM) {
        if (ram_save_iterate(&mig.ram, &w, MIG_BUDGET)) {
            if (mig.ram.round_pages <= MIG_CONVERGED_PAGES ||
                mig.ram.round + 1 >= MIG_MAX_ROUNDS) {
                mig.stage = STAGE_FINAL;
            } else {
                ram_save_next_round(&mig.ram);
            }
        }
    } else if (mig.stage == STAGE_FINAL) {
        migration_produce_final(&w);
        mig.stage = STAGE_DRAIN;
    }
    mig.ram_bytes = mig.ram.ram_bytes;
    migration_queue(w.buf->data, w.buf->len, mig.stage == STAGE_DRAIN);
    g_byte_array_unref(w.buf);
}

static void migration_complete_outgoing(void)
{
    if (mig.compress) {
        deflateEnd(&mig.zs);
    }
    ram_save_cleanup(&mig.ram);
    mig.downtime_ms = mig_now_ms() - mig.stop_ms;
    mig.total_time_ms = mig_now_ms() - mig.start_ms;
    migration_close();
    trace_migration_done(mig.total_bytes, mig.ram.pages_sent,
                         mig.downtime_ms);
    migration_set_status(MIGRATION_STATUS_COMPLETED);
}

/* Writes what is queued; false on a channel error. */
static bool migration_flush(void)
{
    while (mig.out_pos < mig.out->len) {
        ssize_t n = write(mig.fd, mig.out->data + mig.out_pos,
                          mig.out->len - mig.out_pos);

        if (n < 0) {
            return errno == EAGAIN || errno == EINTR;
        }
        mig.out_pos += n;
    }
    g_byte_array_set_size(mig.out, 0);
    mig.out_pos = 0;
    return true;
}

static gboolean migration_writable(gint fd, GIOCondition cond, gpointer o);

/* max-bandwidth (bytes per second): whether more bytes now exceed it. */
static bool migration_over_bandwidth(void)
{
    uint64_t ms = mig_now_ms() - mig.start_ms;
    uint64_t allowed_x1000;

    /* libvirt's "unlimited" is about INT64_MAX: never multiply blindly */
    if (!mig_param_max_bandwidth ||
        umul64_overflow(mig_param_max_bandwidth, ms, &allowed_x1000)) {
        return false;
    }
    return mig.total_bytes > allowed_x1000 / 1000;
}

static gboolean migration_resume(gpointer opaque)
{
    mig.throttle = 0;
    mig.watch = g_unix_fd_add(mig.fd, G_IO_OUT, migration_writable, NULL);
    return G_SOURCE_REMOVE;
}

static gboolean migration_return_path(gint fd, GIOCondition cond,
                                      gpointer o);

/*
 * Everything is written.  With return-path the destination answers one
 * byte once it has loaded (0: running there), so a failed load leaves the
 * guest running here instead of nowhere.
 */
static void migration_drained(void)
{
    if (mig.child) {
        /* exec: the command has the whole stream once it exits */
        close(mig.fd);
        mig.fd = -1;
        mig.await_child = true;
    } else if (mig.exec) {
        migration_exec_done();
    } else if (mig_cap_return_path) {
        shutdown(mig.fd, SHUT_WR);
        mig_rp_watch = g_unix_fd_add(mig.fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                     migration_return_path, NULL);
    } else {
        migration_complete_outgoing();
    }
}

static gboolean migration_return_path(gint fd, GIOCondition cond, gpointer o)
{
    uint8_t status = 1;
    ssize_t n = read(fd, &status, 1);

    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    mig_rp_watch = 0;
    if (n == 1 && status == 0) {
        migration_complete_outgoing();
    } else {
        migration_fail("%s", "the destination did not load the stream "
                       "(return path)");
    }
    return G_SOURCE_REMOVE;
}

/* pause-before-switchover: the guest is stopped; wait for migrate-continue */
static bool migration_pause_before_switchover(void)
{
    if (!mig_cap_pause || mig.stage != STAGE_FINAL ||
        mig.status != MIGRATION_STATUS_ACTIVE) {
        return false;
    }
    migration_stop_guest();
    mig.watch = 0;
    migration_set_status(MIGRATION_STATUS_PRE_SWITCHOVER);
    return true;
}

bool migration_continue(const char *state, Error **errp)
{
    if (mig.status != MIGRATION_STATUS_PRE_SWITCHOVER ||
        strcmp(state, "pre-switchover")) {
        error_setg(errp, "Migration not in expected state: %s",
                   migration_status_name(mig.status));
        return false;
    }
    migration_set_status(MIGRATION_STATUS_DEVICE);
    mig.watch = g_unix_fd_add(mig.fd, G_IO_OUT, migration_writable, NULL);
    return true;
}

static gboolean migration_writable(gint fd, GIOCondition cond, gpointer o)
{
    if (!migration_flush()) {
        mig.watch = 0;
        migration_fail(mig.exec ? "the exec: command stopped reading (%s)"
                                : "%s", g_strerror(errno));
        return G_SOURCE_REMOVE;
    }
    if (mig.out->len) {
        return G_SOURCE_CONTINUE;
    }
    if (mig.stage == STAGE_DRAIN) {
        mig.watch = 0;
        migration_drained();
        return G_SOURCE_REMOVE;
    }
    if (migration_pause_before_switchover()) {
        return G_SOURCE_REMOVE;
    }
    if (migration_over_bandwidth()) {
        mig.watch = 0;
        mig.throttle = g_timeout_add(10, migration_resume, NULL);
        return G_SOURCE_REMOVE;
    }
    migration_produce();
    return G_SOURCE_CONTINUE;
}

/* exec: completed only if the command took the stream: exit status 0. */
static void migration_exec_done(void)
{
    g_autofree char *why = NULL;
    GError *gerr = NULL;

    if (g_spawn_check_wait_status(mig.child_status, &gerr)) {
        migration_complete_outgoing();
        return;
    }
    why = g_strdup(gerr->message);
    g_error_free(gerr);
    migration_fail("the exec: command failed (%s)", why);
}

static void migration_watch_child(void)
{
    mig.exec = mig.child != 0;
    mig.child_status = -1;
    if (mig.child) {
        mig.child_watch = g_child_watch_add(mig.child, mig_child_exited,
                                            NULL);
    }
}

/* Queues the header and the RAM layout; dirty logging starts. */
static void migration_outgoing_setup(void)
{
    MigWriter w = { .buf = g_byte_array_new() };

    savevm_put_header(&w, mig.compress ? MIG_FLAG_ZLIB : 0);
    g_byte_array_append(mig.out, w.buf->data, w.buf->len);
    mig.total_bytes = w.buf->len;
    g_byte_array_set_size(w.buf, 0);
    if (mig.compress) {
        memset(&mig.zs, 0, sizeof(mig.zs));
        deflateInit(&mig.zs, Z_DEFAULT_COMPRESSION);
    }
    mig_put_u8(&w, MIG_REC_RAM_BLOCKS);
    ram_save_setup(&mig.ram, &w);
    mig.ram_total = ram_save_total(&mig.ram);
    migration_queue(w.buf->data, w.buf->len, false);
    g_byte_array_unref(w.buf);
}

bool migration_start_outgoing(const char *uri, Error **errp)
{
    if (migration_is_active()) {
        error_setg(errp, "a migration is already in progress");
        return false;
    }
    if (runstate_get() == RUN_STATE_INMIGRATE) {
        error_setg(errp, "cannot migrate out before the incoming migration "
                   "finished");
        return false;
    }
    mig.incoming = false;
    mig.fd = migration_channel_connect(uri, &mig.child, errp);
    if (mig.fd < 0) {
        return false;
    }
    if (mig_cap_return_path && mig.child) {
        error_setg(errp, "return-path needs a socket (tcp:, unix: or fd:), "
                   "not exec:");
        migration_close();
        return false;
    }
    signal(SIGPIPE, SIG_IGN);   /* a closed peer is an error, not a death */
    g_unix_set_fd_nonblocking(mig.fd, true, NULL);
    migration_watch_child();
    g_clear_pointer(&mig.error_desc, g_free);
    mig.ram_bytes = mig.ram_total = mig.device_bytes = 0;
    mig.downtime_ms = mig.total_time_ms = 0;
    mig.start_ms = mig_now_ms();
    mig.stage = STAGE_RAM;
    mig.compress = mig_param_compress;
    mig.out = g_byte_array_new();
    mig.out_pos = 0;
    migration_set_status(MIGRATION_STATUS_SETUP);
    trace_migration_start_outgoing(uri, mig.compress);
    migration_outgoing_setup();
    mig.watch = g_unix_fd_add(mig.fd, G_IO_OUT, migration_writable, NULL);
    migration_set_status(MIGRATION_STATUS_ACTIVE);
    return true;
}

void migration_cancel(void)
{
    if (!migration_is_active()) {
        return;
    }
    if (!mig.incoming) {
        if (mig.compress) {
            deflateEnd(&mig.zs);
        }
        ram_save_cleanup(&mig.ram);
        if (mig.stage != STAGE_RAM) {
            runstate_set(mig.prev_state);
        }
    }
    mig.await_child = false;
    migration_close();
    migration_set_status(MIGRATION_STATUS_CANCELLED);
}

/* Incoming */

/* The end of the stream: the devices are applied, the VM goes on. */
static void migration_incoming_finish(void)
{
    Error *err = NULL;
    int64_t t0 = mig_now_ms();

    bool ok = savevm_load_finish(mig.load, &err);

    if (mig_cap_return_path && mig.fd >= 0) {
        uint8_t status = ok ? 0 : 1;    /* the source waits for this */

        if (write(mig.fd, &status, 1) != 1) {
            trace_migration_return_path_lost(g_strerror(errno));
        }
    }
    if (!ok) {
        migration_fail("load failed: %s", error_get_pretty(err));
        error_free(err);
        return;
    }
    migration_close();
    mig.downtime_ms = mig_now_ms() - t0;
    mig.total_time_ms = mig_now_ms() - mig.start_ms;
    migration_set_status(MIGRATION_STATUS_COMPLETED);
    if (mig_autostart) {
        vm_start();
    } else {
        runstate_set(RUN_STATE_PAUSED);
    }
}

static gboolean migration_readable(gint fd, GIOCondition cond, gpointer o)
{
    ssize_t n = read(fd, mig.in_buf, MIG_READ_CHUNK);
    Error *err = NULL;

    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    if (n > 0) {
        mig.last_rx_ms = mig_now_ms();
        if (savevm_load_feed(mig.load, mig.in_buf, n, &err) &&
            !savevm_load_ended(mig.load)) {
            return G_SOURCE_CONTINUE;
        }
    }
    mig.watch = 0;
    if (err) {
        migration_fail("load failed: %s", error_get_pretty(err));
        error_free(err);
    } else if (n < 0) {
        migration_fail("load failed: %s", g_strerror(errno));
    } else {
        migration_incoming_finish();    /* the end record, or EOF */
    }
    return G_SOURCE_REMOVE;
}

/* A peer that went silent gives the incoming slot back. */
static gboolean migration_idle_check(gpointer opaque)
{
    g_autofree char *why = NULL;

    if (!mig_param_incoming_timeout ||
        mig_now_ms() - mig.last_rx_ms <
        (int64_t)mig_param_incoming_timeout * 1000) {
        return G_SOURCE_CONTINUE;
    }
    mig.idle_timer = 0;
    why = g_strdup_printf("%" PRIu64, mig_param_incoming_timeout);
    migration_fail("load failed: nothing received for %s s "
                   "(x-incoming-timeout)", why);
    return G_SOURCE_REMOVE;
}

static void migration_incoming_begin(int fd)
{
    mig.fd = fd;
    g_unix_set_fd_nonblocking(fd, true, NULL);
    mig.load = savevm_load_new(MIG_LOAD_ALL, 0);
    mig.in_buf = g_malloc(MIG_READ_CHUNK);
    mig.last_rx_ms = mig_now_ms();
    mig.idle_timer = g_timeout_add(250, migration_idle_check, NULL);
    migration_set_status(MIGRATION_STATUS_ACTIVE);
    mig.watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                              migration_readable, NULL);
}

static gboolean migration_accept(gint fd, GIOCondition cond, gpointer o)
{
    int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

    if (conn < 0) {
        return G_SOURCE_CONTINUE;
    }
    mig.watch = 0;
    close(mig.listen_fd);
    mig.listen_fd = -1;
    migration_incoming_begin(conn);
    return G_SOURCE_REMOVE;
}

bool migration_start_incoming(const char *uri, Error **errp)
{
    bool listening;
    int fd;

    if (migration_is_active() || runstate_get() != RUN_STATE_INMIGRATE) {
        error_setg(errp, "an incoming migration needs a VM started with "
                   "-incoming defer that is not migrating");
        return false;
    }
    if (!strcmp(uri, "defer")) {
        error_setg(errp, "'defer' is only valid for -incoming");
        return false;
    }
    mig.incoming = true;
    fd = migration_channel_listen(uri, &listening, &mig.child, errp);
    if (fd < 0) {
        return false;
    }
    migration_watch_child();
    g_clear_pointer(&mig.error_desc, g_free);
    mig.start_ms = mig_now_ms();
    mig.total_bytes = 0;
    trace_migration_start_incoming(uri);
    if (!listening) {
        migration_incoming_begin(fd);
        return true;
    }
    mig.listen_fd = fd;
    migration_set_status(MIGRATION_STATUS_SETUP);
    mig.watch = g_unix_fd_add(fd, G_IO_IN, migration_accept, NULL);
    return true;
}

/* -incoming URI (or defer: QMP migrate-incoming gives it later). */
bool vl_hook_incoming(const char *uri, Error **errp)
{
    runstate_set(RUN_STATE_INMIGRATE);
    if (!strcmp(uri, "defer")) {
        return true;
    }
    if (!migration_start_incoming(uri, errp)) {
        error_prepend(errp, "-incoming: ");
        return false;
    }
    return true;
}

void migration_query(MigrationInfo *info)
{
    info->status = mig.status;
    info->total_bytes = mig.incoming && mig.load
                        ? savevm_load_bytes(mig.load) : mig.total_bytes;
    info->ram_bytes = mig.ram_bytes;
    info->ram_total = mig.ram_total;
    info->ram_remaining = mig.stage == STAGE_RAM && mig.status ==
                          MIGRATION_STATUS_ACTIVE ?
                          ram_save_remaining(&mig.ram) : 0;
    info->device_bytes = mig.device_bytes;
    info->downtime_ms = mig.downtime_ms;
    info->total_time_ms = mig.total_time_ms;
    info->error_desc = mig.error_desc;
}

static bool *migration_capability(const char *name)
{
    static const struct {
        const char *name;
        bool *state;
    } caps[] = {
        { "events", &mig_cap_events },
        { "return-path", &mig_cap_return_path },
        { "pause-before-switchover", &mig_cap_pause },
        { "compress", &mig_param_compress },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(caps); i++) {
        if (!name || !strcmp(caps[i].name, name)) {
            return caps[i].state;
        }
    }
    return NULL;
}

bool migration_set_capability(const char *name, bool on, Error **errp)
{
    bool *cap = migration_capability(name);

    if (!cap) {
        error_setg(errp, "Parameter 'capability' does not accept value '%s'",
                   name);
        return false;
    }
    if (migration_is_active()) {
        error_setg(errp, "There's a migration process in progress");
        return false;
    }
    *cap = on;
    return true;
}

void migration_capabilities_foreach(void (*fn)(const char *name, bool on,
                                               void *opaque),
                                    void *opaque)
{
    static const char *const names[] = { "events", "return-path",
                                         "pause-before-switchover",
                                         "compress" };

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        fn(names[i], *migration_capability(names[i]), opaque);
    }
}

bool migration_events_enabled(void)
{
    return mig_cap_events;
}

uint64_t migration_max_bandwidth(void)
{
    return mig_param_max_bandwidth;
}

bool migration_set_parameter(const char *name, const char *value,
                             Error **errp)
{
    if (migration_is_active()) {
        error_setg(errp, "parameters cannot change during a migration");
        return false;
    }
    if (!strcmp(name, "compress")) {
        if (!qemu_strtobool(value, &mig_param_compress)) {
            error_setg(errp, "compress: '%s' is not on or off", value);
            return false;
        }
        return true;
    }
    if (!strcmp(name, "max-bandwidth")) {
        if (!qemu_strtosz(value, &mig_param_max_bandwidth)) {
            error_setg(errp, "max-bandwidth: '%s' is not a size", value);
            return false;
        }
        return true;
    }
    if (!strcmp(name, "x-incoming-timeout")) {
        uint64_t secs;

        if (!qemu_strtou64(value, &secs) || secs > UINT32_MAX) {
            error_setg(errp, "x-incoming-timeout: '%s' is not a number of "
                       "seconds", value);
            return false;
        }
        mig_param_incoming_timeout = secs;
        return true;
    }
    if (!strcmp(name, "tls-creds") || !strcmp(name, "tls-hostname") ||
        !strcmp(name, "tls-authz")) {
        if (*value) {
            error_setg(errp, "%s: TLS is not supported; only \"\" (no TLS) "
                       "is accepted", name);
            return false;
        }
        return true;
    }
    error_setg(errp, "unknown migration parameter '%s'", name);
    return false;
}
