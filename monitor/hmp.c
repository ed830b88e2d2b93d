/*
 * The human monitor: command lookup, "info" views, "help", and QMP's
 * human-monitor-command, which runs one line and returns its output.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "monitor/hmp.h"
#include "monitor-internal.h"

typedef struct HmpEntry {
    const char *name;
    const char *help;
    HmpInfoFn *info;
    HmpCommandFn *cmd;
} HmpEntry;

static GHashTable *hmp_infos, *hmp_cmds;

static void hmp_table_add(GHashTable **table, HmpEntry *e)
{
    if (!*table) {
        *table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    g_assert(!g_hash_table_lookup(*table, e->name));
    g_hash_table_insert(*table, (gpointer)e->name, e);
}

void hmp_register_info(const char *name, const char *help, HmpInfoFn *fn)
{
    HmpEntry *e = g_new0(HmpEntry, 1);

    e->name = name;
    e->help = help;
    e->info = fn;
    hmp_table_add(&hmp_infos, e);
}

void hmp_register_command(const char *name, const char *help,
                          HmpCommandFn *fn)
{
    HmpEntry *e = g_new0(HmpEntry, 1);

    e->name = name;
    e->help = help;
    e->cmd = fn;
    hmp_table_add(&hmp_cmds, e);
}

void hmp_printf(GString *out, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *s = NULL;

    va_start(ap, fmt);
    s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
}

static void hmp_list(GHashTable *table, const char *prefix, GString *out)
{
    GList *keys = table ? g_hash_table_get_keys(table) : NULL;

    keys = g_list_sort(keys, (GCompareFunc)strcmp);
    for (GList *l = keys; l; l = l->next) {
        HmpEntry *e = g_hash_table_lookup(table, l->data);

        hmp_printf(out, "%s%-20s -- %s\n", prefix, e->name, e->help);
    }
    g_list_free(keys);
}

static void hmp_info(const char *args, GString *out)
{
    HmpEntry *e = hmp_infos && *args ? g_hash_table_lookup(hmp_infos, args)
                                     : NULL;

    if (!*args) {
        hmp_list(hmp_infos, "info ", out);
    } else if (!e) {
        hmp_printf(out, "unknown command: 'info %s'\n", args);
    } else {
        e->info(out);
    }
}

/* "help info" lists only the info views, one "info NAME -- ..." each. */
static void hmp_help(const char *args, GString *out)
{
    if (strcmp(args, "info")) {
        hmp_list(hmp_cmds, "", out);
    }
    hmp_list(hmp_infos, "info ", out);
}

char *hmp_run_command(const char *line)
{
    g_autofree char *copy = g_strstrip(g_strdup(line));
    GString *out = g_string_new(NULL);
    char *args = copy + strcspn(copy, " \t");
    HmpEntry *e;

    if (*args) {
        *args++ = '\0';
        args = g_strchug(args);
    }
    if (!*copy) {
        return g_string_free(out, false);
    }
    if (!strcmp(copy, "info")) {
        hmp_info(args, out);
    } else if (!strcmp(copy, "help") || !strcmp(copy, "?")) {
        hmp_help(args, out);
    } else if (hmp_cmds && (e = g_hash_table_lookup(hmp_cmds, copy))) {
        e->cmd(args, out);
    } else {
        hmp_printf(out, "unknown command: '%s'\n", line);
    }
    return g_string_free(out, false);
}

static JsonNode *qmp_human_monitor_command(JsonObject *args, Error **errp)
{
    g_autofree char *out =
        hmp_run_command(qmp_arg_str(args, "command-line"));

    return qmp_node_str(out);
}

static const QmpCommandInfo hmp_qmp_commands[] = {
    { "human-monitor-command", qmp_human_monitor_command,
      "command-line:str,cpu-index:int?", "str" },
};

QMP_COMMANDS(hmp_qmp_commands)
