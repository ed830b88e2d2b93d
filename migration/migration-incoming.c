/*
 * Live migration, incoming: the stream is read non-blocking and loaded as
 * it arrives (migration/savevm-load.c), in bounded memory; a refused
 * stream leaves the destination as it was, in "inmigrate", ready for
 * another attempt.  A peer that sends nothing for x-incoming-timeout
 * seconds is dropped, so a silent one cannot hold the only incoming slot.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include <sys/socket.h>
#include "migration/migration-internal.h"
#include "migration/channel.h"
#include "system/vl-hooks.h"
#include "trace.h"

#define MIG_READ_CHUNK      (256u << 10)

static bool mig_autostart = true;

void migration_set_autostart(bool on)
{
    mig_autostart = on;
}

/* The end of the stream: the devices are applied, the VM goes on. */
static void migration_incoming_finish(void)
{
    Error *err = NULL;
    int64_t t0 = mig_now_ms();

    bool ok = savevm_load_finish(mig.load, &err);

    if (migrate_return_path() && mig.fd >= 0) {
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

    if (!migrate_incoming_timeout() ||
        mig_now_ms() - mig.last_rx_ms <
        (int64_t)migrate_incoming_timeout() * 1000) {
        return G_SOURCE_CONTINUE;
    }
    mig.idle_timer = 0;
    why = g_strdup_printf("%" PRIu64, migrate_incoming_timeout());
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
