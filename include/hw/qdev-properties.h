/*
 * Static device properties: a table of typed fields with defaults.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_QDEV_PROPERTIES_H
#define HW_QDEV_PROPERTIES_H

#include "hw/qdev-core.h"

typedef struct PropertyInfo {
    const char *name;
    /* Parses str into the field; false with errp set on a bad value. */
    bool (*parse)(const Property *prop, void *field, const char *str,
                  Error **errp);
    void (*get)(const Property *prop, void *field, PropValue *v);
    void (*set_default)(const Property *prop, void *field);
    void (*release)(const Property *prop, void *field);
} PropertyInfo;

struct Property {
    const char *name;
    const PropertyInfo *info;
    size_t offset;
    uint64_t defval;
    const char *defstr;
    int64_t min, max;           /* for int32 fields */
};

extern const PropertyInfo qdev_prop_bool;
extern const PropertyInfo qdev_prop_uint8;
extern const PropertyInfo qdev_prop_uint16;
extern const PropertyInfo qdev_prop_uint32;
extern const PropertyInfo qdev_prop_int32;
extern const PropertyInfo qdev_prop_uint64;
extern const PropertyInfo qdev_prop_size;
extern const PropertyInfo qdev_prop_string;
extern const PropertyInfo qdev_prop_pci_devfn;

#define DEFINE_PROP(_name, _state, _field, _info, _def)  \
    { .name = (_name), .info = &(_info),                 \
      .offset = offsetof(_state, _field), .defval = (uint64_t)(_def) }

#define DEFINE_PROP_BOOL(n, s, f, d)   DEFINE_PROP(n, s, f, qdev_prop_bool, d)
#define DEFINE_PROP_UINT8(n, s, f, d)  DEFINE_PROP(n, s, f, qdev_prop_uint8, d)
#define DEFINE_PROP_UINT16(n, s, f, d) DEFINE_PROP(n, s, f, qdev_prop_uint16, d)
#define DEFINE_PROP_UINT32(n, s, f, d) DEFINE_PROP(n, s, f, qdev_prop_uint32, d)
#define DEFINE_PROP_INT32(n, s, f, d)  DEFINE_PROP(n, s, f, qdev_prop_int32, d)
#define DEFINE_PROP_UINT64(n, s, f, d) DEFINE_PROP(n, s, f, qdev_prop_uint64, d)
#define DEFINE_PROP_SIZE(n, s, f, d)   DEFINE_PROP(n, s, f, qdev_prop_size, d)
#define DEFINE_PROP_PCI_DEVFN(n, s, f, d) \
    DEFINE_PROP(n, s, f, qdev_prop_pci_devfn, d)
#define DEFINE_PROP_STRING(n, s, f) \
    { .name = (n), .info = &qdev_prop_string, .offset = offsetof(s, f) }
#define DEFINE_PROP_END_OF_LIST() { .name = NULL }

const Property *qdev_class_find_prop(DeviceClass *dc, const char *name);
/* Lists "name=<type> (default: x)" lines for TYPE,help. */
void qdev_print_props(FILE *f, DeviceClass *dc);

#endif
