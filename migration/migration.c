/*
 * Live migration: the state the outgoing (migration/migration-outgoing.c)
 * and incoming (migration/migration-incoming.c) state machines share,
 * its status and observers, the channel's end, and query-migrate.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "migration/migration-internal.h"
#include "trace.h"

MigrationState mig = { .fd = -1, .listen_fd = -1 };
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

void migration_set_status(MigrationStatus s)
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

bool migration_is_active(void)
{
    return mig.status == MIGRATION_STATUS_SETUP ||
           mig.status == MIGRATION_STATUS_ACTIVE ||
           mig.status == MIGRATION_STATUS_PRE_SWITCHOVER ||
           mig.status == MIGRATION_STATUS_DEVICE;
}

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

void migration_watch_child(void)
{
    mig.exec = mig.child != 0;
    mig.child_status = -1;
    if (mig.child) {
        mig.child_watch = g_child_watch_add(mig.child, mig_child_exited,
                                            NULL);
    }
}

void migration_close(void)
{
    if (mig.throttle) {
        g_source_remove(mig.throttle);
        mig.throttle = 0;
    }
    if (mig.watch) {
        g_source_remove(mig.watch);
        mig.watch = 0;
    }
    if (mig.rp_watch) {
        g_source_remove(mig.rp_watch);
        mig.rp_watch = 0;
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

void migration_fail(const char *fmt, const char *detail)
{
    g_free(mig.error_desc);
    mig.error_desc = g_strdup_printf(fmt, detail);
    error_report("migration: %s", mig.error_desc);
    if (!mig.incoming) {
        migration_outgoing_abort();
    }
    migration_close();
    migration_set_status(MIGRATION_STATUS_FAILED);
}

void migration_cancel(void)
{
    if (!migration_is_active()) {
        return;
    }
    if (!mig.incoming) {
        migration_outgoing_abort();
    }
    mig.await_child = false;
    migration_close();
    migration_set_status(MIGRATION_STATUS_CANCELLED);
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
