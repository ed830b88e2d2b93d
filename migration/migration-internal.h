/*
 * Live migration inside migration/: the state both directions share
 * (migration/migration.c), what the outgoing side
 * (migration/migration-outgoing.c) offers the rest, and the capabilities
 * and parameters (migration/options.c) they read.  The incoming side is
 * migration/migration-incoming.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MIGRATION_MIGRATION_INTERNAL_H
#define MIGRATION_MIGRATION_INTERNAL_H

#include <zlib.h>
#include "sysemu/sysemu.h"
#include "migration/migration.h"
#include "migration/ram.h"
#include "migration/savevm.h"

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
    guint rp_watch;             /* return path: the destination's answer */
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

/* The one migration, outgoing or incoming (migration/migration.c). */
extern MigrationState mig;

static inline int64_t mig_now_ms(void)
{
    return g_get_monotonic_time() / 1000;
}

/* migration/migration.c */
void migration_set_status(MigrationStatus s);
bool migration_is_active(void);
/* Watches an exec: command (mig.child) until it exits. */
void migration_watch_child(void);
/* Closes the channel; an exec: child is reaped when it exits. */
void migration_close(void);
/* Ends the migration as failed: fmt with detail is its error-desc. */
void migration_fail(const char *fmt, const char *detail);

/* migration/migration-outgoing.c */
/* The exec: command exited: completed only if it took the stream. */
void migration_exec_done(void);
/* A failed or cancelled outgoing migration: the guest goes on here. */
void migration_outgoing_abort(void);

/* migration/options.c */
bool migrate_compress(void);
bool migrate_return_path(void);
bool migrate_pause_before_switchover(void);
/* x-incoming-timeout: seconds without a byte (0: none). */
uint64_t migrate_incoming_timeout(void);

#endif
