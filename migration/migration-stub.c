/*
 * Until the migration code lands: every request is refused.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "migration/migration.h"

const char *migration_status_name(MigrationStatus s)
{
    return s == MIGRATION_STATUS_NONE ? "none" : "failed";
}

bool migration_start_outgoing(const char *uri, Error **errp)
{
    error_setg(errp, "migration is not available in this build");
    return false;
}

bool migration_start_incoming(const char *uri, Error **errp)
{
    error_setg(errp, "migration is not available in this build");
    return false;
}

void migration_cancel(void)
{
}

void migration_query(MigrationInfo *info)
{
    memset(info, 0, sizeof(*info));
}

bool migration_set_parameter(const char *name, const char *value,
                             Error **errp)
{
    error_setg(errp, "migration is not available in this build");
    return false;
}

void migration_add_status_notifier(void (*fn)(MigrationStatus s))
{
}
