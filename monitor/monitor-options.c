/*
 * -chardev, -mon and -qmp: the command line side of the monitors.
 *
 *   -chardev socket,id=ID,path=PATH|host=H,port=P[,server=on][,wait=off]
 *   -chardev stdio,id=ID | -chardev file,id=ID,path=PATH
 *   -mon [chardev=]ID[,mode=control|readline][,id=MONID]
 *   -qmp unix:PATH,server=on,wait=off | tcp:HOST:PORT,... | stdio
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "chardev/char.h"
#include "system/vl-hooks.h"
#include "monitor-internal.h"

static char *chardev_spec(GPtrArray *kv, const char *backend,
                          const char *opt, Error **errp)
{
    const char *path = keyval_get(kv, "path");

    if (!strcmp(backend, "socket")) {
        return g_strdup(opt);
    }
    if (!strcmp(backend, "stdio")) {
        return g_strdup("stdio");
    }
    if (!strcmp(backend, "file") && path) {
        return g_strdup_printf("file:%s", path);
    }
    error_setg(errp, "-chardev %s: unsupported backend '%s' (socket, stdio "
               "or file with path=)", opt, backend);
    return NULL;
}

static bool chardev_add(const char *opt, Error **errp)
{
    g_autoptr(GPtrArray) kv = keyval_parse(opt, "backend", errp);
    g_autofree char *spec = NULL;
    const char *backend, *id;

    if (!kv) {
        error_prepend(errp, "-chardev %s: ", opt);
        return false;
    }
    backend = keyval_get(kv, "backend");
    id = keyval_get(kv, "id");
    if (!backend || !id || !*id) {
        error_setg(errp, "-chardev %s: parameter '%s' is missing", opt,
                   backend ? "id" : "backend");
        return false;
    }
    if (qemu_chr_find(id)) {
        error_setg(errp, "-chardev %s: duplicate chardev id '%s'", opt, id);
        return false;
    }
    spec = chardev_spec(kv, backend, opt, errp);
    if (!spec || !qemu_chr_new(id, spec, errp)) {
        if (spec) {
            error_prepend(errp, "-chardev %s: ", opt);
        }
        return false;
    }
    return true;
}

static bool mon_add(const char *opt, Error **errp)
{
    g_autoptr(GPtrArray) kv = keyval_parse(opt, "chardev", errp);
    const char *chardev, *mode;
    bool ok;

    if (!kv) {
        error_prepend(errp, "-mon %s: ", opt);
        return false;
    }
    for (guint i = 0; i < kv->len; i++) {
        const char *key = ((KeyVal *)g_ptr_array_index(kv, i))->key;

        if (strcmp(key, "chardev") && strcmp(key, "mode") &&
            strcmp(key, "pretty") && strcmp(key, "id")) {
            error_setg(errp, "-mon %s: invalid parameter '%s' (chardev, "
                       "mode, pretty, id)", opt, key);
            return false;
        }
    }
    chardev = keyval_get(kv, "chardev");
    mode = keyval_get(kv, "mode") ? keyval_get(kv, "mode") : "readline";
    if (!chardev) {
        error_setg(errp, "-mon %s: parameter 'chardev' is missing", opt);
        return false;
    }
    if (strcmp(mode, "control") && strcmp(mode, "readline")) {
        error_setg(errp, "-mon %s: mode must be 'control' or 'readline'",
                   opt);
        return false;
    }
    ok = !strcmp(mode, "control") ? monitor_init_qmp(chardev, errp)
                                  : monitor_init_hmp(chardev, errp);
    if (!ok) {
        error_prepend(errp, "-mon %s: ", opt);
    }
    return ok;
}

static bool qmp_add(const char *opt, unsigned n, Error **errp)
{
    g_autofree char *id = g_strdup_printf("compat_monitor%u", n);

    if (!qemu_chr_new(id, opt, errp) || !monitor_init_qmp(id, errp)) {
        error_prepend(errp, "-qmp %s: ", opt);
        return false;
    }
    return true;
}

bool vl_hook_monitors(GPtrArray *chardevs, GPtrArray *monitors,
                      GPtrArray *qmp, Error **errp)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        if (!chardev_add(g_ptr_array_index(chardevs, i), errp)) {
            return false;
        }
    }
    for (guint i = 0; monitors && i < monitors->len; i++) {
        if (!mon_add(g_ptr_array_index(monitors, i), errp)) {
            return false;
        }
    }
    for (guint i = 0; qmp && i < qmp->len; i++) {
        if (!qmp_add(g_ptr_array_index(qmp, i), i, errp)) {
            return false;
        }
    }
    return true;
}
