/*
 * Live migration: capabilities (migrate-set-capabilities) and parameters
 * (migrate-set-parameters), as QMP sets them and the state machines read
 * them.  Neither changes while a migration is active.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "migration/migration-internal.h"

#define MIG_INCOMING_TIMEOUT_DEFAULT 120    /* seconds without a byte */

static bool mig_param_compress;
static uint64_t mig_param_max_bandwidth;
static uint64_t mig_param_incoming_timeout = MIG_INCOMING_TIMEOUT_DEFAULT;
static bool mig_cap_events, mig_cap_return_path, mig_cap_pause;

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

bool migrate_compress(void)
{
    return mig_param_compress;
}

bool migrate_return_path(void)
{
    return mig_cap_return_path;
}

bool migrate_pause_before_switchover(void)
{
    return mig_cap_pause;
}

uint64_t migrate_incoming_timeout(void)
{
    return mig_param_incoming_timeout;
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
