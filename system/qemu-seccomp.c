/*
 * -sandbox: a seccomp filter built with libseccomp, with QEMU's options.
 *
 * DOC: -sandbox on[,obsolete=allow|deny][,elevateprivileges=allow|deny|
 *      children][,spawn=allow|deny][,resourcecontrol=allow|deny]
 *
 * "on" always denies what a device model never needs (reboot, swapon,
 * mount, kexec, modules, ...); each option adds a group, as in QEMU:
 * obsolete system calls (default deny), privilege changes (setuid and
 * friends), spawning processes (fork, vfork, execve and clone without
 * CLONE_VM: threads stay allowed) and scheduler/priority control.  The
 * first groups end the process if called (nothing this program runs calls
 * them); spawning and resource control fail with EPERM, so an exec:
 * migration under spawn=deny is refused with an error rather than killing
 * the machine (migration also checks qemu_seccomp_spawn_denied() first).
 * The filter is installed once the machine and devices exist, before any
 * monitor, qtest or migration peer can talk to us; every other system
 * call stays allowed (a deny list, as QEMU's).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "sysemu/seccomp.h"

#ifndef CONFIG_SECCOMP
bool qemu_seccomp_spawn_denied(void)
{
    return false;       /* no -sandbox in a build without libseccomp */
}
#else
#include <sched.h>
#include <seccomp.h>
#include "qemu/cutils.h"
#include "qemu/option.h"

enum {
    SET_DEFAULT = 1 << 0,
    SET_OBSOLETE = 1 << 1,
    SET_PRIVILEGED = 1 << 2,
    SET_SPAWN = 1 << 3,
    SET_RESOURCECTL = 1 << 4,
};

static const struct {
    const char *name;
    unsigned set;
} deny_rules[] = {
    { "reboot", SET_DEFAULT }, { "swapon", SET_DEFAULT },
    { "swapoff", SET_DEFAULT }, { "syslog", SET_DEFAULT },
    { "mount", SET_DEFAULT }, { "umount2", SET_DEFAULT },
    { "kexec_load", SET_DEFAULT }, { "kexec_file_load", SET_DEFAULT },
    { "init_module", SET_DEFAULT }, { "finit_module", SET_DEFAULT },
    { "delete_module", SET_DEFAULT }, { "acct", SET_DEFAULT },
    { "afs_syscall", SET_DEFAULT }, { "getpmsg", SET_DEFAULT },
    { "putpmsg", SET_DEFAULT }, { "security", SET_DEFAULT },
    { "tuxcall", SET_DEFAULT }, { "vserver", SET_DEFAULT },
    { "readdir", SET_OBSOLETE }, { "_sysctl", SET_OBSOLETE },
    { "bdflush", SET_OBSOLETE }, { "create_module", SET_OBSOLETE },
    { "get_kernel_syms", SET_OBSOLETE }, { "query_module", SET_OBSOLETE },
    { "sgetmask", SET_OBSOLETE }, { "ssetmask", SET_OBSOLETE },
    { "sysfs", SET_OBSOLETE }, { "uselib", SET_OBSOLETE },
    { "ustat", SET_OBSOLETE }, { "vm86", SET_OBSOLETE },
    { "vm86old", SET_OBSOLETE },
    { "setuid", SET_PRIVILEGED }, { "setgid", SET_PRIVILEGED },
    { "setpgid", SET_PRIVILEGED }, { "setsid", SET_PRIVILEGED },
    { "setreuid", SET_PRIVILEGED }, { "setregid", SET_PRIVILEGED },
    { "setresuid", SET_PRIVILEGED }, { "setresgid", SET_PRIVILEGED },
    { "setfsuid", SET_PRIVILEGED }, { "setfsgid", SET_PRIVILEGED },
    { "fork", SET_SPAWN }, { "vfork", SET_SPAWN }, { "execve", SET_SPAWN },
    { "execveat", SET_SPAWN },
    { "getpriority", SET_RESOURCECTL }, { "setpriority", SET_RESOURCECTL },
    { "sched_setparam", SET_RESOURCECTL },
    { "sched_setscheduler", SET_RESOURCECTL },
    { "sched_setaffinity", SET_RESOURCECTL },
    { "sched_setattr", SET_RESOURCECTL },
    { "sched_get_priority_max", SET_RESOURCECTL },
    { "sched_get_priority_min", SET_RESOURCECTL },
};

static unsigned sandbox_sets;   /* 0: no sandbox */

static bool parse_group(GPtrArray *kv, const char *key, unsigned set,
                        bool deny_default, Error **errp)
{
    const char *v = keyval_get(kv, key);

    if (!v) {
        sandbox_sets |= deny_default ? set : 0;
    } else if (!strcmp(v, "deny")) {
        sandbox_sets |= set;
    } else if (!strcmp(v, "children") && set == SET_PRIVILEGED) {
        /* no_new_privs (always set with the filter) covers children */
    } else if (strcmp(v, "allow")) {
        error_setg(errp, "-sandbox %s=%s: invalid argument (allow, deny%s)",
                   key, v, set == SET_PRIVILEGED ? ", children" : "");
        return false;
    }
    return true;
}

bool qemu_seccomp_parse(const char *arg, Error **errp)
{
    static const char *const keys[] = { "enable", "obsolete",
        "elevateprivileges", "spawn", "resourcecontrol", NULL };
    g_autoptr(GPtrArray) kv = keyval_parse(arg, "enable", errp);
    bool on = false;

    if (!kv) {
        error_prepend(errp, "-sandbox %s: ", arg);
        return false;
    }
    for (guint i = 0; i < kv->len; i++) {
        const char *key = ((KeyVal *)g_ptr_array_index(kv, i))->key;

        if (!g_strv_contains(keys, key)) {
            error_setg(errp, "-sandbox %s: invalid parameter '%s'", arg, key);
            return false;
        }
    }
    if (!keyval_get(kv, "enable") ||
        !qemu_strtobool(keyval_get(kv, "enable"), &on)) {
        error_setg(errp, "-sandbox %s: expected on or off first", arg);
        return false;
    }
    sandbox_sets = 0;
    if (!on) {
        return true;
    }
    sandbox_sets = SET_DEFAULT;
    return parse_group(kv, "obsolete", SET_OBSOLETE, true, errp) &&
           parse_group(kv, "elevateprivileges", SET_PRIVILEGED, false, errp) &&
           parse_group(kv, "spawn", SET_SPAWN, false, errp) &&
           parse_group(kv, "resourcecontrol", SET_RESOURCECTL, false, errp);
}

bool qemu_seccomp_spawn_denied(void)
{
    return sandbox_sets & SET_SPAWN;
}

static int seccomp_add_spawn_rules(scmp_filter_ctx ctx)
{
    int rc;

    /* clone without CLONE_VM makes a process; with it, a thread. */
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                          SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_VM, 0));
    /* clone3 hides its flags in memory: ENOSYS sends libc to clone. */
    return rc < 0 ? rc : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
                                          SCMP_SYS(clone3), 0);
}

static int seccomp_add_rules(scmp_filter_ctx ctx)
{
    for (size_t i = 0; i < ARRAY_SIZE(deny_rules); i++) {
        unsigned set = deny_rules[i].set;
        int nr = seccomp_syscall_resolve_name(deny_rules[i].name);
        uint32_t action = set & (SET_SPAWN | SET_RESOURCECTL) ?
                          SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_KILL_PROCESS;
        int rc;

        if (!(sandbox_sets & set) || nr == __NR_SCMP_ERROR) {
            continue;   /* not a system call on this architecture */
        }
        rc = seccomp_rule_add(ctx, action, nr, 0);
        if (rc < 0) {
            return rc;
        }
    }
    return sandbox_sets & SET_SPAWN ? seccomp_add_spawn_rules(ctx) : 0;
}

bool qemu_seccomp_install(Error **errp)
{
    scmp_filter_ctx ctx;
    int rc;

    if (!sandbox_sets) {
        return true;
    }
    ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) {
        error_setg(errp, "-sandbox: failed to initialize seccomp context");
        return false;
    }
    rc = seccomp_add_rules(ctx);
    if (rc >= 0) {
        rc = seccomp_load(ctx);
    }
    seccomp_release(ctx);
    if (rc < 0) {
        error_setg_errno(errp, -rc, "-sandbox: failed to install seccomp "
                         "syscall filter in the kernel");
        return false;
    }
    return true;
}
#endif
