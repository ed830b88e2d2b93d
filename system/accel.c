/*
 * Accelerators: -accel and -machine accel=, and their QOM types.
 *
 * DOC: accelerators
 *
 * spapr-ddw executes no guest instruction under any accelerator: it has
 * no vCPU.  "qtest" (the default with -qtest) and "tcg" (libvirt's
 * <domain type='qemu'>, "no hardware acceleration") are accepted and
 * behave the same: the machine is driven by qtest, RTAS/hcall verbs and
 * QMP.  "kvm" is refused; in -machine accel=kvm:tcg it is skipped, as
 * QEMU skips an accelerator the host lacks.  The types qtest-accel and
 * tcg-accel exist so that management tools find what they probe for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qom/object.h"
#include "sysemu/accel.h"

static bool accel_known(const char *name)
{
    return !strcmp(name, "tcg") || !strcmp(name, "qtest");
}

/* -accel NAME[,thread=single|multi] */
static bool accel_parse_opt(const char *opt, Error **errp)
{
    g_autoptr(GPtrArray) kv = keyval_parse(opt, "accel", errp);
    const char *name, *thread;

    if (!kv) {
        error_prepend(errp, "-accel %s: ", opt);
        return false;
    }
    name = keyval_get(kv, "accel");
    thread = keyval_get(kv, "thread");
    for (guint i = 0; i < kv->len; i++) {
        const char *key = ((KeyVal *)g_ptr_array_index(kv, i))->key;

        if (strcmp(key, "accel") && strcmp(key, "thread")) {
            error_setg(errp, "-accel %s: invalid parameter '%s'", opt, key);
            return false;
        }
    }
    if (!name || !accel_known(name)) {
        error_setg(errp, "-accel %s: accelerator not supported: spapr-ddw "
                   "has no CPU emulation (qtest or tcg, no vCPU executes)",
                   opt);
        return false;
    }
    if (thread && strcmp(thread, "single") && strcmp(thread, "multi")) {
        error_setg(errp, "-accel %s: thread must be single or multi", opt);
        return false;
    }
    return true;
}

/* -machine accel=A:B:C: the first one this program has. */
static bool accel_parse_list(const char *list, Error **errp)
{
    g_auto(GStrv) names = g_strsplit(list, ":", -1);

    for (int i = 0; names[i]; i++) {
        if (accel_known(names[i])) {
            return true;
        }
    }
    error_setg(errp, "-machine accel=%s: no accelerator found (spapr-ddw "
               "offers qtest and tcg; no vCPU executes)", list);
    return false;
}

bool accel_check(const char *accel_opt, const char *machine_accel,
                 Error **errp)
{
    if (accel_opt && machine_accel) {
        error_setg(errp, "The -accel and \"-machine accel=\" options are "
                   "incompatible");
        return false;
    }
    if (accel_opt) {
        return accel_parse_opt(accel_opt, errp);
    }
    return !machine_accel || accel_parse_list(machine_accel, errp);
}

static const TypeInfo accel_types[] = {
    { .name = TYPE_ACCEL, .parent = TYPE_OBJECT, .abstract = true },
    { .name = "qtest" ACCEL_CLASS_SUFFIX, .parent = TYPE_ACCEL },
    { .name = "tcg" ACCEL_CLASS_SUFFIX, .parent = TYPE_ACCEL },
};

DEFINE_TYPES(accel_types)
