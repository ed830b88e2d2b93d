/*
 * Live migration, outgoing: a state machine on the GLib main loop.
 *
 * RAM rounds are produced a budget at a time whenever the channel has
 * drained, so the process keeps serving qtest and QMP while migrating and
 * writes between rounds are caught by dirty logging.  When a round is
 * small enough (or after MIG_MAX_ROUNDS), the VM stops, the last dirty
 * pages and every device section go out, and the source ends in
 * "postmigrate".  Downtime is the time from the stop until the last byte
 * is written.  A failed or cancelled migration puts the guest back in the
 * run state it had.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include <signal.h>
#include <sys/socket.h>
#include "qemu/cutils.h"
#include "migration/migration-internal.h"
#include "migration/channel.h"
#include "sysemu/guest-call.h"
#include "trace.h"

#define MIG_BUDGET          (1u << 20)
#define MIG_MAX_ROUNDS      8
#define MIG_CONVERGED_PAGES 64

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

/* What the stream's production holds, whatever its end. */
static void migration_outgoing_release(void)
{
    if (mig.compress) {
        deflateEnd(&mig.zs);
    }
    ram_save_cleanup(&mig.ram);
}

void migration_outgoing_abort(void)
{
    migration_outgoing_release();
    if (mig.stage != STAGE_RAM) {
        runstate_set(mig.prev_state);
    }
}

static void migration_complete_outgoing(void)
{
    migration_outgoing_release();
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
    uint64_t bw = migration_max_bandwidth();
    uint64_t allowed_x1000;

    /* libvirt's "unlimited" is about INT64_MAX: never multiply blindly */
    if (!bw || umul64_overflow(bw, ms, &allowed_x1000)) {
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
    } else if (migrate_return_path()) {
        shutdown(mig.fd, SHUT_WR);
        mig.rp_watch = g_unix_fd_add(mig.fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
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
    mig.rp_watch = 0;
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
    if (!migrate_pause_before_switchover() || mig.stage != STAGE_FINAL ||
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
void migration_exec_done(void)
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
    if (migrate_return_path() && mig.child) {
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
    mig.compress = migrate_compress();
    mig.out = g_byte_array_new();
    mig.out_pos = 0;
    migration_set_status(MIGRATION_STATUS_SETUP);
    trace_migration_start_outgoing(uri, mig.compress);
    migration_outgoing_setup();
    mig.watch = g_unix_fd_add(mig.fd, G_IO_OUT, migration_writable, NULL);
    migration_set_status(MIGRATION_STATUS_ACTIVE);
    return true;
}
