/*
 * Options that configure the process and the machine's identity rather
 * than build devices: -name, -uuid, -msg, -overcommit, -smp, -cpu, -rtc,
 * -boot, -audiodev, -sandbox.  Each is validated here; what it promises
 * is kept where it takes effect (see each handler).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/option.h"
#include "sysemu/os-posix.h"
#include "sysemu/seccomp.h"
#include "sysemu/sysemu.h"
#include "vl-internal.h"

QemuSmp qemu_smp = { 1, 1, 1, 1, 1, 1, 1 };
const char *qemu_uuid;
const char *qemu_boot_order;
bool qemu_boot_menu;
static bool mem_lock;
static GHashTable *audiodevs;

/* One option's keyval argument, checked against the names it allows. */
static GPtrArray *opt_parse(const char *opt, const char *arg,
                            const char *implied, const char *const *keys,
                            Error **errp)
{
    g_autoptr(GPtrArray) kv = arg[0] == '{' ? keyval_parse_json(arg, errp)
                                            : keyval_parse(arg, implied, errp);

    if (!kv) {
        error_prepend(errp, "-%s %s: ", opt, arg);
        return NULL;
    }
    for (guint i = 0; i < kv->len; i++) {
        const char *key = ((KeyVal *)g_ptr_array_index(kv, i))->key;

        if (!g_strv_contains(keys, key)) {
            error_setg(errp, "-%s %s: invalid parameter '%s'", opt, arg, key);
            return NULL;
        }
    }
    return g_steal_pointer(&kv);
}

static bool opt_bool(const char *opt, GPtrArray *kv, const char *key,
                     bool *out, Error **errp)
{
    const char *v = keyval_get(kv, key);

    if (v && !qemu_strtobool(v, out)) {
        error_setg(errp, "-%s: parameter '%s' expects on or off", opt, key);
        return false;
    }
    return true;
}

/* -name [guest=]NAME[,process=P][,debug-threads=on|off] */
static bool apply_name(const char *arg, Error **errp)
{
    static const char *const keys[] = { "guest", "process", "debug-threads",
                                        NULL };
    g_autoptr(GPtrArray) kv = opt_parse("name", arg, "guest", keys, errp);
    bool debug_threads = false;

    if (!kv || !opt_bool("name", kv, "debug-threads", &debug_threads, errp)) {
        return false;
    }
    /* debug-threads names helper threads: this program runs none. */
    qemu_name = keyval_take(kv, "guest");
    if (keyval_get(kv, "process")) {
        os_set_proc_name(keyval_get(kv, "process"));
    }
    return true;
}

static bool apply_uuid(const char *arg, Error **errp)
{
    if (!g_uuid_string_is_valid(arg)) {
        error_setg(errp, "-uuid %s: invalid UUID (expected "
                   "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", arg);
        return false;
    }
    qemu_uuid = g_ascii_strdown(arg, -1);
    return true;
}

/* -msg timestamp=on: every error line and debug-log line gets a time. */
static bool apply_msg(const char *arg, Error **errp)
{
    static const char *const keys[] = { "timestamp", "guest-name", NULL };
    g_autoptr(GPtrArray) kv = opt_parse("msg", arg, NULL, keys, errp);
    bool ts = false, guest_name = false;

    if (!kv || !opt_bool("msg", kv, "timestamp", &ts, errp) ||
        !opt_bool("msg", kv, "guest-name", &guest_name, errp)) {
        return false;
    }
    error_set_message_timestamps(ts);
    error_set_guest_name(guest_name ? qemu_name : NULL);
    return true;
}

static bool apply_overcommit(const char *arg, Error **errp)
{
    static const char *const keys[] = { "mem-lock", "cpu-pm", NULL };
    g_autoptr(GPtrArray) kv = opt_parse("overcommit", arg, NULL, keys, errp);
    bool cpu_pm = false;

    if (!kv || !opt_bool("overcommit", kv, "mem-lock", &mem_lock, errp) ||
        !opt_bool("overcommit", kv, "cpu-pm", &cpu_pm, errp)) {
        return false;
    }
    if (cpu_pm) {
        error_setg(errp, "-overcommit cpu-pm=on: there is no vCPU whose "
                   "power management could be handed to the guest");
        return false;
    }
    return true;
}

static bool smp_field(GPtrArray *kv, const char *key, unsigned *out,
                      Error **errp)
{
    const char *v = keyval_get(kv, key);
    uint64_t n;

    if (!v) {
        *out = 0;
        return true;
    }
    if (!qemu_strtou64(v, &n) || n == 0 || n > QEMU_MAX_CPUS) {
        error_setg(errp, "-smp: %s=%s: expected 1 to %u", key, v,
                   QEMU_MAX_CPUS);
        return false;
    }
    *out = n;
    return true;
}

/*
 * QEMU's rules: missing counts default to 1 (sockets from the rest), the
 * topology's product is maxcpus, and cpus <= maxcpus.
 */
static bool smp_resolve(QemuSmp *s, Error **errp)
{
    unsigned per_socket = s->dies * s->clusters * s->cores * s->threads;

    if (!s->sockets) {
        unsigned m = s->max_cpus ? s->max_cpus : s->cpus ? s->cpus : 1;

        s->sockets = MAX(1, m / per_socket);
    }
    if (!s->max_cpus) {
        s->max_cpus = s->sockets * per_socket;
    }
    if (!s->cpus) {
        s->cpus = s->max_cpus;
    }
    if ((uint64_t)s->sockets * per_socket != s->max_cpus ||
        s->max_cpus > QEMU_MAX_CPUS) {
        error_setg(errp, "-smp: sockets (%u) * dies (%u) * clusters (%u) * "
                   "cores (%u) * threads (%u) != maxcpus (%u)", s->sockets,
                   s->dies, s->clusters, s->cores, s->threads, s->max_cpus);
        return false;
    }
    if (s->cpus > s->max_cpus) {
        error_setg(errp, "-smp: cpus (%u) exceeds maxcpus (%u)", s->cpus,
                   s->max_cpus);
        return false;
    }
    return true;
}

static bool apply_smp(const char *arg, Error **errp)
{
    static const char *const keys[] = { "cpus", "maxcpus", "sockets", "dies",
                                        "clusters", "cores", "threads", NULL };
    g_autoptr(GPtrArray) kv = opt_parse("smp", arg, "cpus", keys, errp);
    QemuSmp s;

    if (!kv || !smp_field(kv, "cpus", &s.cpus, errp) ||
        !smp_field(kv, "maxcpus", &s.max_cpus, errp) ||
        !smp_field(kv, "sockets", &s.sockets, errp) ||
        !smp_field(kv, "dies", &s.dies, errp) ||
        !smp_field(kv, "clusters", &s.clusters, errp) ||
        !smp_field(kv, "cores", &s.cores, errp) ||
        !smp_field(kv, "threads", &s.threads, errp)) {
        return false;
    }
    s.dies = MAX(s.dies, 1);
    s.clusters = MAX(s.clusters, 1);
    s.cores = MAX(s.cores, 1);
    s.threads = MAX(s.threads, 1);
    if (!smp_resolve(&s, errp)) {
        return false;
    }
    qemu_smp = s;
    return true;
}

const char *const qemu_cpu_models[] = {
    QEMU_CPU_MODEL, "power8_v2.0", "power8e_v2.1", "power8nvl_v1.0", NULL,
};

static bool cpu_model_known(const char *name)
{
    for (int i = 0; qemu_cpu_models[i]; i++) {
        if (!g_ascii_strcasecmp(name, qemu_cpu_models[i])) {
            return true;
        }
    }
    /* QEMU's aliases: power8, power8e, power8nvl */
    return !g_ascii_strcasecmp(name, "power8e") ||
           !g_ascii_strcasecmp(name, "power8nvl");
}

/* The device tree names POWER8 cores whichever POWER8 model is given. */
static bool apply_cpu(const char *arg, Error **errp)
{
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        for (int i = 0; qemu_cpu_models[i]; i++) {
            printf("PowerPC %-16s\n", qemu_cpu_models[i]);
        }
        exit(0);
    }
    if (!cpu_model_known(arg)) {
        error_setg(errp, "-cpu %s: unable to find CPU model '%s' (this "
                   "machine has only the POWER8 family)", arg, arg);
        return false;
    }
    return true;
}

/* -boot: the order and menu reach the device tree's /chosen, as QEMU's. */
static bool apply_boot(const char *arg, Error **errp)
{
    static const char *const keys[] = { "order", "once", "menu", "strict",
                                        "splash", "splash-time",
                                        "reboot-timeout", NULL };
    g_autoptr(GPtrArray) kv = opt_parse("boot", arg, "order", keys, errp);
    const char *order;
    bool strict = false;

    if (!kv || !opt_bool("boot", kv, "menu", &qemu_boot_menu, errp) ||
        !opt_bool("boot", kv, "strict", &strict, errp)) {
        return false;
    }
    order = keyval_get(kv, "once") ? keyval_get(kv, "once")
                                   : keyval_get(kv, "order");
    for (const char *p = order; p && *p; p++) {
        if (*p < 'a' || *p > 'p') {
            error_setg(errp, "-boot %s: invalid boot device '%c'", arg, *p);
            return false;
        }
    }
    qemu_boot_order = order && *order ? g_strdup(order) : NULL;
    return true;
}

/* -audiodev: the machine has no sound device; only 'none' is honest. */
static bool apply_audiodev(const char *arg, Error **errp)
{
    static const char *const keys[] = { "driver", "id", NULL };
    g_autoptr(GPtrArray) kv = opt_parse("audiodev", arg, "driver", keys, errp);
    const char *id;

    if (!kv) {
        return false;
    }
    id = keyval_get(kv, "id");
    if (g_strcmp0(keyval_get(kv, "driver"), "none")) {
        error_setg(errp, "-audiodev %s: only driver 'none' is supported", arg);
        return false;
    }
    if (!id || !*id) {
        error_setg(errp, "-audiodev %s: parameter 'id' is missing", arg);
        return false;
    }
    if (!audiodevs) {
        audiodevs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          NULL);
    }
    if (!g_hash_table_add(audiodevs, g_strdup(id))) {
        error_setg(errp, "-audiodev %s: duplicate audiodev id '%s'", arg, id);
        return false;
    }
    return true;
}

static const struct {
    const char *name;
    bool (*apply)(const char *arg, Error **errp);
} early_opts[] = {
    { "name", apply_name },
    { "uuid", apply_uuid },
    { "overcommit", apply_overcommit },
    { "smp", apply_smp },
    { "cpu", apply_cpu },
    { "rtc", qemu_rtc_parse },
    { "boot", apply_boot },
    { "audiodev", apply_audiodev },
    { "msg", apply_msg },
#ifdef CONFIG_SECCOMP
    { "sandbox", qemu_seccomp_parse },
#endif
};

static bool apply_one(const char *name, const char *arg, Error **errp)
{
    for (size_t i = 0; i < ARRAY_SIZE(early_opts); i++) {
        if (!strcmp(early_opts[i].name, name)) {
            return early_opts[i].apply(arg, errp);
        }
    }
    g_assert_not_reached();
}

/* procopts: option name, argument, ...; -msg last (it reads -name). */
void vl_apply_options(GPtrArray *procopts)
{
    Error *err = NULL;

    for (int pass = 0; pass < 2; pass++) {
        for (guint i = 0; procopts && i + 1 < procopts->len; i += 2) {
            const char *name = g_ptr_array_index(procopts, i);

            if ((pass == 1) != !strcmp(name, "msg")) {
                continue;
            }
            if (!apply_one(name, g_ptr_array_index(procopts, i + 1), &err)) {
                error_report_err(err);
                exit(1);
            }
        }
    }
}

/* Once the machine is built: memory locking, then the sandbox. */
void vl_apply_late_options(void)
{
    Error *err = NULL;

    if ((mem_lock && !os_mlock(&err))
#ifdef CONFIG_SECCOMP
        || !qemu_seccomp_install(&err)
#endif
        ) {
        error_report_err(err);
        exit(1);
    }
}
