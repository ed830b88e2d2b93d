/*
 * Declarative device state for migration, after QEMU's VMState.
 *
 * A VMStateDescription lists a device's fields with their wire types;
 * migration/vmstate.c writes and reads them in order.  Loading is done
 * twice: a dry run into a scratch copy of the device struct, in which
 * every value is read, range-checked and handed to the description's
 * validate() hook, and then, once the whole stream passed, the real load
 * into the device followed by post_load().  So a bad stream changes
 * nothing.  Fields a device must not take from the stream verbatim (its
 * live geometry, say) are loaded into mig_* members and applied by
 * post_load().
 *
 * Compatibility: a field added later carries the version that introduced
 * it; optional state goes in a subsection whose needed() decides whether
 * it is sent, so streams for the common case stay loadable by older
 * destinations.  A destination refuses a section whose version is newer
 * than its own or older than minimum_version_id, and an unknown
 * subsection.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MIGRATION_VMSTATE_H
#define MIGRATION_VMSTATE_H

#include "migration/qemu-file.h"

typedef struct VMStateDescription VMStateDescription;
typedef struct VMStateField VMStateField;

typedef enum VMStateType {
    VMS_END,
    VMS_BOOL,
    VMS_UINT8,
    VMS_UINT16,
    VMS_UINT32,
    VMS_UINT64,
    VMS_BUFFER,         /* size bytes, verbatim */
    VMS_STRUCT,         /* an embedded struct described by vmsd */
    VMS_CUSTOM,         /* put/get callbacks */
} VMStateType;

struct VMStateField {
    const char *name;
    VMStateType type;
    size_t offset;
    size_t size;                /* VMS_BUFFER */
    int version_id;             /* first section version that has it */
    bool equal;                 /* must equal the destination's value */
    uint64_t max;               /* when non-zero: the largest valid value */
    const VMStateDescription *vmsd;     /* VMS_STRUCT */
    void (*put)(MigWriter *w, void *opaque, const VMStateField *f);
    /* Reads into opaque (maybe a scratch copy); false with errp set. */
    bool (*get)(MigReader *r, void *opaque, const VMStateField *f,
                Error **errp);
    /* Releases what get() allocated in opaque. */
    void (*release)(void *opaque, const VMStateField *f);
};

struct VMStateDescription {
    const char *name;
    int version_id;
    int minimum_version_id;
    /* Subsections: sent only when needed() says so. */
    bool (*needed)(void *opaque);
    int (*pre_save)(void *opaque);
    /* Checks loaded values as a whole (dry run and real load). */
    bool (*validate)(void *opaque, int version_id, Error **errp);
    /* Applies the loaded state; values are already validated. */
    bool (*post_load)(void *opaque, int version_id, Error **errp);
    /* Before loading: clears the mig_* state subsections would set. */
    void (*pre_load)(void *opaque);
    size_t size;                /* bytes of the struct, for the dry run */
    const VMStateField *fields;
    const VMStateDescription *const *subsections;
};

#define VMSTATE_FIELD(_n, _st, _f, _t, _v) { \
    .name = (_n), .type = (_t), .offset = offsetof(_st, _f), \
    .version_id = (_v) }

#define VMSTATE_BOOL(_f, _st)   VMSTATE_FIELD(#_f, _st, _f, VMS_BOOL, 0)
#define VMSTATE_UINT8(_f, _st)  VMSTATE_FIELD(#_f, _st, _f, VMS_UINT8, 0)
#define VMSTATE_UINT16(_f, _st) VMSTATE_FIELD(#_f, _st, _f, VMS_UINT16, 0)
#define VMSTATE_UINT32(_f, _st) VMSTATE_FIELD(#_f, _st, _f, VMS_UINT32, 0)
#define VMSTATE_UINT64(_f, _st) VMSTATE_FIELD(#_f, _st, _f, VMS_UINT64, 0)
#define VMSTATE_UINT32_V(_f, _st, _v) \
    VMSTATE_FIELD(#_f, _st, _f, VMS_UINT32, _v)
#define VMSTATE_BOOL_V(_f, _st, _v) VMSTATE_FIELD(#_f, _st, _f, VMS_BOOL, _v)
#define VMSTATE_UINT32_EQUAL(_f, _st) { \
    .name = #_f, .type = VMS_UINT32, .offset = offsetof(_st, _f), \
    .equal = true }
#define VMSTATE_UINT64_EQUAL(_f, _st) { \
    .name = #_f, .type = VMS_UINT64, .offset = offsetof(_st, _f), \
    .equal = true }
#define VMSTATE_UINT32_MAX(_f, _st, _max) { \
    .name = #_f, .type = VMS_UINT32, .offset = offsetof(_st, _f), \
    .max = (_max) }
#define VMSTATE_UINT64_MAX(_f, _st, _max) { \
    .name = #_f, .type = VMS_UINT64, .offset = offsetof(_st, _f), \
    .max = (_max) }
#define VMSTATE_BUFFER(_f, _st) { \
    .name = #_f, .type = VMS_BUFFER, .offset = offsetof(_st, _f), \
    .size = sizeof(((_st *)0)->_f) }
#define VMSTATE_STRUCT(_f, _st, _vmsd) { \
    .name = #_f, .type = VMS_STRUCT, .offset = offsetof(_st, _f), \
    .vmsd = &(_vmsd) }
#define VMSTATE_END_OF_LIST() { .type = VMS_END }

/* Writes the fields (and needed subsections) of opaque. */
void vmstate_save(MigWriter *w, const VMStateDescription *vmsd,
                  void *opaque);
/*
 * Reads one section body of version_id into opaque.  With dry_run,
 * opaque is a scratch copy: EQUAL checks compare against live, and
 * post_load is not called.
 */
bool vmstate_load(MigReader *r, const VMStateDescription *vmsd,
                  void *opaque, const void *live, int version_id,
                  bool dry_run, Error **errp);

/*
 * Sections: (idstr, instance_id) name one device's state in the stream.
 * Devices whose class has a vmsd are registered by qdev at realize with
 * the next free instance id for that name; others register themselves
 * (a TCE table uses its LIOBN).
 */
void vmstate_register(uint32_t instance_id, const VMStateDescription *vmsd,
                      void *opaque);
void vmstate_register_auto(const VMStateDescription *vmsd, void *opaque);
void vmstate_unregister(const VMStateDescription *vmsd, void *opaque);

typedef struct SaveStateEntry {
    char *idstr;
    uint32_t instance_id;
    const VMStateDescription *vmsd;
    void *opaque;
} SaveStateEntry;

/* Calls fn for each registered section in registration order. */
int vmstate_foreach(int (*fn)(SaveStateEntry *se, void *opaque),
                    void *opaque);
SaveStateEntry *vmstate_find(const char *idstr, uint32_t instance_id);

#endif
