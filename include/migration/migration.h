/*
 * Live migration: the API the monitor (QMP migrate, migrate-incoming,
 * query-migrate, migrate-set-parameters) and -incoming use.  Implemented
 * in migration/: migration.c (status, query), migration-outgoing.c,
 * migration-incoming.c and options.c (capabilities, parameters).
 *
 * URIs: tcp:HOST:PORT, unix:PATH, exec:CMD (and "defer" for -incoming).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MIGRATION_MIGRATION_H
#define MIGRATION_MIGRATION_H

typedef enum MigrationStatus {
    MIGRATION_STATUS_NONE,
    MIGRATION_STATUS_SETUP,
    MIGRATION_STATUS_ACTIVE,
    MIGRATION_STATUS_COMPLETED,
    MIGRATION_STATUS_FAILED,
    MIGRATION_STATUS_CANCELLED,
    MIGRATION_STATUS_PRE_SWITCHOVER,    /* stopped, waiting for continue */
    MIGRATION_STATUS_DEVICE,            /* device state going out */
} MigrationStatus;

typedef struct MigrationInfo {
    MigrationStatus status;
    uint64_t total_bytes;       /* bytes sent (or received) so far */
    uint64_t ram_bytes;
    uint64_t ram_total;         /* guest RAM (outgoing) */
    uint64_t ram_remaining;     /* RAM the current round has yet to scan */
    uint64_t device_bytes;      /* non-iterative device state */
    uint64_t downtime_ms;
    uint64_t total_time_ms;
    char *error_desc;           /* owned by the migration code */
} MigrationInfo;

const char *migration_status_name(MigrationStatus s);
/* Starts an outgoing migration (QMP migrate); progress runs on the main loop. */
bool migration_start_outgoing(const char *uri, Error **errp);
/* Listens for (or with "defer", waits for) an incoming migration. */
bool migration_start_incoming(const char *uri, Error **errp);
void migration_cancel(void);
void migration_query(MigrationInfo *info);
/*
 * migrate-set-parameters: "compress" (zlib on/off), "max-bandwidth"
 * (bytes per second, 0 unlimited), "tls-creds"/"tls-hostname"/"tls-authz"
 * (only "": no TLS).
 */
bool migration_set_parameter(const char *name, const char *value,
                             Error **errp);
uint64_t migration_max_bandwidth(void);
/*
 * Capabilities: "events" (MIGRATION events are sent), "return-path" (the
 * destination reports its load back; the source completes only then),
 * "pause-before-switchover" (the source stops in pre-switchover until
 * migration_continue()), "compress".
 */
bool migration_set_capability(const char *name, bool on, Error **errp);
void migration_capabilities_foreach(void (*fn)(const char *name, bool on,
                                               void *opaque),
                                    void *opaque);
bool migration_events_enabled(void);
/* migrate-continue {"state": "pre-switchover"} */
bool migration_continue(const char *state, Error **errp);
/*
 * Whether the destination runs once loaded (else it ends paused, as with
 * -S).  Set by the command line before -incoming.
 */
void migration_set_autostart(bool on);
/*
 * In-process streams (tests, fuzzing, benchmarks): the whole state of
 * this machine in one buffer, and loading one (validated, then applied).
 */
GByteArray *migration_save_to_buffer(bool compress);
bool migration_load_from_buffer(const uint8_t *data, size_t len,
                                Error **errp);
/* Observers (QMP MIGRATION events). */
void migration_add_status_notifier(void (*fn)(MigrationStatus s));

#endif
