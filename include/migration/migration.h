/*
 * Live migration: the API the monitor (QMP migrate, migrate-incoming,
 * query-migrate, migrate-set-parameters) and -incoming use.  Implemented
 * in migration/.
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
} MigrationStatus;

typedef struct MigrationInfo {
    MigrationStatus status;
    uint64_t total_bytes;       /* bytes sent (or received) so far */
    uint64_t ram_bytes;
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
/* migrate-set-parameters: "compress" (zlib on/off), "max-bandwidth". */
bool migration_set_parameter(const char *name, const char *value,
                             Error **errp);
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
