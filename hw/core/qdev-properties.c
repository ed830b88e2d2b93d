/*
 * Static device properties: parsing, defaults, read-back, help listing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "hw/qdev-properties.h"

static bool parse_bool(const Property *prop, void *field, const char *str,
                       Error **errp)
{
    if (!qemu_strtobool(str, field)) {
        error_setg(errp, "Property '%s' expects on/off (or true/false), "
                   "got '%s'", prop->name, str);
        return false;
    }
    return true;
}

static void get_bool(const Property *prop, void *field, PropValue *v)
{
    v->kind = PROP_KIND_BOOL;
    v->b = *(bool *)field;
}

static void default_bool(const Property *prop, void *field)
{
    *(bool *)field = prop->defval;
}

const PropertyInfo qdev_prop_bool = {
    .name = "bool",
    .parse = parse_bool,
    .get = get_bool,
    .set_default = default_bool,
};

static bool parse_unsigned(const Property *prop, const char *str,
                           uint64_t max, uint64_t *out, Error **errp)
{
    if (!qemu_strtou64(str, out)) {
        error_setg(errp, "Property '%s' expects a number, got '%s'",
                   prop->name, str);
        return false;
    }
    if (*out > max) {
        error_setg(errp, "Property '%s' value %s is out of range "
                   "(maximum %" PRIu64 ")", prop->name, str, max);
        return false;
    }
    return true;
}

#define DEFINE_UNSIGNED_PROP(bits, ctype)                                   \
    static bool parse_u##bits(const Property *prop, void *field,            \
                              const char *str, Error **errp)                \
    {                                                                       \
        uint64_t v;                                                         \
        if (!parse_unsigned(prop, str, (ctype)-1, &v, errp)) {              \
            return false;                                                   \
        }                                                                   \
        *(ctype *)field = v;                                                \
        return true;                                                        \
    }                                                                       \
    static void get_u##bits(const Property *prop, void *field, PropValue *v) \
    {                                                                       \
        v->kind = PROP_KIND_UINT;                                           \
        v->u = *(ctype *)field;                                             \
    }                                                                       \
    static void default_u##bits(const Property *prop, void *field)          \
    {                                                                       \
        *(ctype *)field = prop->defval;                                     \
    }                                                                       \
    const PropertyInfo qdev_prop_uint##bits = {                             \
        .name = "uint" #bits,                                               \
        .parse = parse_u##bits,                                             \
        .get = get_u##bits,                                                 \
        .set_default = default_u##bits,                                     \
    };

DEFINE_UNSIGNED_PROP(8, uint8_t)
DEFINE_UNSIGNED_PROP(16, uint16_t)
DEFINE_UNSIGNED_PROP(32, uint32_t)
DEFINE_UNSIGNED_PROP(64, uint64_t)

static bool parse_int32(const Property *prop, void *field, const char *str,
                        Error **errp)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(str, &end, 0);
    if (errno || !*str || *end || v < INT32_MIN || v > INT32_MAX) {
        error_setg(errp, "Property '%s' expects a 32-bit signed number, "
                   "got '%s'", prop->name, str);
        return false;
    }
    *(int32_t *)field = v;
    return true;
}

static void get_int32(const Property *prop, void *field, PropValue *v)
{
    v->kind = PROP_KIND_INT;
    v->i = *(int32_t *)field;
}

static void default_int32(const Property *prop, void *field)
{
    *(int32_t *)field = (int32_t)prop->defval;
}

const PropertyInfo qdev_prop_int32 = {
    .name = "int32",
    .parse = parse_int32,
    .get = get_int32,
    .set_default = default_int32,
};

static bool parse_size(const Property *prop, void *field, const char *str,
                       Error **errp)
{
    if (!qemu_strtosz(str, field)) {
        error_setg(errp, "Property '%s' expects a size (like 4G), got '%s'",
                   prop->name, str);
        return false;
    }
    return true;
}

const PropertyInfo qdev_prop_size = {
    .name = "size",
    .parse = parse_size,
    .get = get_u64,
    .set_default = default_u64,
};

static bool parse_string(const Property *prop, void *field, const char *str,
                         Error **errp)
{
    g_free(*(char **)field);
    *(char **)field = g_strdup(str);
    return true;
}

static void get_string(const Property *prop, void *field, PropValue *v)
{
    v->kind = PROP_KIND_STR;
    v->s = g_strdup(*(char **)field ? *(char **)field : "");
}

static void release_string(const Property *prop, void *field)
{
    g_free(*(char **)field);
    *(char **)field = NULL;
}

const PropertyInfo qdev_prop_string = {
    .name = "str",
    .parse = parse_string,
    .get = get_string,
    .release = release_string,
};

/* PCI devfn: "SLOT" or "SLOT.FN" (hex, as QEMU's addr=), -1 = automatic. */
static bool parse_devfn(const Property *prop, void *field, const char *str,
                        Error **errp)
{
    unsigned long slot, fn = 0;
    char *end = (char *)str;

    /* Each part is hex digits only: no sign, blanks, or empty function. */
    errno = 0;
    slot = g_ascii_isxdigit(str[0]) ? strtoul(str, &end, 16) : 32;
    if (slot < 32 && *end == '.') {
        fn = g_ascii_isxdigit(end[1]) ? strtoul(end + 1, &end, 16) : 8;
    }
    if (errno || slot > 31 || fn > 7 || *end) {
        error_setg(errp, "Property '%s': invalid PCI address '%s' "
                   "(expected SLOT[.FN], slot 0-1f, function 0-7)",
                   prop->name, str);
        return false;
    }
    *(int32_t *)field = slot << 3 | fn;
    return true;
}

const PropertyInfo qdev_prop_pci_devfn = {
    .name = "int32",
    .parse = parse_devfn,
    .get = get_int32,
    .set_default = default_int32,
};

const Property *qdev_class_find_prop(DeviceClass *dc, const char *name)
{
    ObjectClass *klass = OBJECT_CLASS(dc);

    for (; klass; klass = object_class_get_parent(klass)) {
        DeviceClass *d = (DeviceClass *)object_class_dynamic_cast(klass,
                                                                 TYPE_DEVICE);
        if (!d) {
            break;
        }
        for (Property *p = d->props_; p && p->name; p++) {
            if (!strcmp(p->name, name)) {
                return p;
            }
        }
    }
    return NULL;
}

/* The default as a user would type it, or NULL for strings. */
static char *qdev_prop_default_str(const Property *p)
{
    if (p->info == &qdev_prop_string) {
        return NULL;
    }
    if (p->info == &qdev_prop_bool) {
        return g_strdup(p->defval ? "on" : "off");
    }
    if (p->info == &qdev_prop_int32 || p->info == &qdev_prop_pci_devfn) {
        return g_strdup_printf("%d", (int32_t)p->defval);
    }
    if (p->info == &qdev_prop_uint32 && (uint32_t)p->defval == UINT32_MAX) {
        return g_strdup("unset");
    }
    return g_strdup_printf("0x%" PRIx64, p->defval);
}

void qdev_print_props(FILE *f, DeviceClass *dc)
{
    ObjectClass *klass = OBJECT_CLASS(dc);
    Property *last = NULL;

    for (; klass; klass = object_class_get_parent(klass)) {
        DeviceClass *d = (DeviceClass *)object_class_dynamic_cast(klass,
                                                                 TYPE_DEVICE);
        if (!d) {
            break;
        }
        if (d->props_ == last) {
            continue;   /* inherited unchanged from the parent class */
        }
        last = d->props_;
        for (Property *p = d->props_; p && p->name; p++) {
            g_autofree char *def = qdev_prop_default_str(p);

            fprintf(f, "  %s=<%s>%s%s%s\n", p->name, p->info->name,
                    def ? " (default: " : "", def ? def : "", def ? ")" : "");
        }
    }
}
